"""Configuration values ``bnk_*``: declared once, validated on ``config-inited``."""

from __future__ import annotations

import re
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from bnk.data import BnkDataError
from bnk.data.accessibility import AccessibilityStatement, parse_statement
from bnk.data.catalogue import (
    Catalogue,
    available_editions,
    code_key,
    edition_path,
    load_catalogue,
)
from bnk.data.guards import IMAGE_SUFFIXES, check_path, check_url
from bnk.data.report import Report, ReportProblem, parse_report
from bnk.warnings_ import BnkWarning, warn

if TYPE_CHECKING:
    from collections.abc import Callable
    from dataclasses import Field

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment


def _is_edition(value: Any) -> bool:
    return isinstance(value, str) and value in available_editions()


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _is_title_map(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and code_key(k) and isinstance(v, str) and v.strip() for k, v in value.items()
    )


def _is_year(value: Any) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2200)


def _is_dict(value: Any) -> bool:
    return isinstance(value, dict)


def _is_link_list(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(link, dict)
        and isinstance(link.get("text"), str)
        and link["text"].strip()
        and (isinstance(link.get("doc"), str) or isinstance(link.get("url"), str))
        for link in value
    )


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(u, str) for u in value)


def _is_responsible_map(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(w, str) and w.strip() for k, w in value.items()
    )


def _option(validator: Callable[[Any], bool], help_: str, rebuild: str = "env") -> dict[str, Any]:
    """The ``metadata`` of a ``BnkConfig`` field: how to check it, what it means, what it rebuilds."""
    return {"validator": validator, "help": help_, "rebuild": rebuild}


@dataclass
class BnkConfig:
    """All configuration of the extension; each field becomes ``bnk_<name>`` in conf.py."""

    edition: str = field(
        default="2021",
        metadata=_option(_is_edition, "BNK-Ausgabe, deren Katalog gilt (Datei bnk-<ausgabe>.toml im Paket)"),
    )
    catalogue_file: str = field(
        default="",
        metadata=_option(_is_str, "eigene Katalogdatei (TOML), relativ zu conf.py; leer = Katalog der Ausgabe"),
    )
    aspect_titles: dict[str, str] = field(
        default_factory=dict,
        metadata=_option(_is_title_map, "kommunenspezifische Formulierung von Aspekttiteln, z. B. {'2.1': '…'}"),
    )
    report_year: int | None = field(
        default=None,
        metadata=_option(_is_year, "Berichtsjahr (wählt die gezeigten Datenpunkte der Indikatoren)"),
    )
    units: list[str] = field(
        default_factory=list,
        metadata=_option(_is_str_list, "zusätzliche Einheiten für Indikatoren (Liste von Texten)"),
    )
    charts: bool = field(
        default=True,
        metadata=_option(_is_bool, "Diagramme zeichnen (True) oder weglassen (False, z. B. für schnelle Entwürfe)"),
    )
    draft: bool = field(
        default=False,
        metadata=_option(_is_bool, "Entwurf: offene Aspekte als Platzhalter zeigen und nicht als Fehler melden"),
    )
    responsible: dict[str, str] = field(
        default_factory=dict,
        metadata=_option(
            _is_responsible_map,
            "Zuständigkeit je Kapitel oder Aspekt für die Platzhalter im Entwurf, z. B. {'10': 'Umweltamt'}",
        ),
    )
    warn_missing_year: bool = field(
        default=False,
        metadata=_option(_is_bool, "warnen, wenn ein Indikator keinen Wert für das Berichtsjahr hat"),
    )
    report: dict[str, Any] = field(
        default_factory=dict,
        metadata=_option(_is_dict, "Metadaten des Berichts (Kommune, Titel, Kontakt …)"),
    )
    footer_links: list[dict[str, str]] = field(
        default_factory=list,
        metadata=_option(
            _is_link_list,
            "Links in der Fußzeile jeder Seite, z. B. [{'doc': 'barrierefreiheit', "
            "'text': 'Erklärung zur Barrierefreiheit'}] oder mit 'url' statt 'doc'",
            rebuild="html",
        ),
    )
    accessibility: dict[str, Any] = field(
        default_factory=dict,
        metadata=_option(
            _is_dict, "Angaben der Erklärung zur Barrierefreiheit (Status, Datum, Einschränkungen, Land …)"
        ),
    )
    pdfua_attachments: list[str] = field(
        default_factory=list,
        metadata=_option(
            _is_str_list,
            "Dateien, die das barrierefreie PDF als Anhang trägt, relativ zu conf.py, z. B. ['data/co2-bilanz.csv']; "
            "jeder andere Anhang wird weggelassen",
            rebuild="html",
        ),
    )


def _default(f: Field[Any]) -> Any:
    """The default value of a ``BnkConfig`` field (a fresh one for mutable defaults)."""
    if f.default is not MISSING:
        return f.default
    factory: Callable[[], Any] = f.default_factory  # type: ignore[assignment]
    return factory()


def _types(f: Field[Any]) -> tuple[type, ...]:
    """The Python types Sphinx checks a ``bnk_*`` value against (``add_config_value(types=…)``)."""
    default = _default(f)
    if f.name == "report_year":
        return (int, type(None))
    return (type(default),)


def setup_config(app: Sphinx) -> None:
    """Register every ``BnkConfig`` field as ``bnk_<name>`` and validate on ``config-inited``."""
    from bnk.boundary import connect  # the boundary imports Sphinx; config is imported by data tools

    for f in fields(BnkConfig):
        app.add_config_value(
            f"bnk_{f.name}", _default(f), f.metadata["rebuild"], types=_types(f), description=f.metadata["help"]
        )
    # Early priority so that later handlers (and the catalogue check) see validated values.
    connect(app, "config-inited", validate_config, priority=100)
    # After the LaTeX defaults (priority 800), which take latex_logo from bnk_report['logo'].
    connect(app, "config-inited", guard_files, priority=900)
    connect(app, "config-inited", guard_attachments, priority=900)


def _convert(name: str, value: Any, validator: Callable[[Any], bool]) -> Any:
    """A ``-D`` value that arrives as text, as the type the setting has."""
    if name == "report_year" and isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value)  # -D bnk_report_year=2025 (the default None gives Sphinx no type)
    if validator is _is_bool and isinstance(value, str):
        return value.strip().lower() in {"1", "true", "ja", "yes"}
    return value


def validate_config(app: Sphinx, config: Config) -> None:
    """Replace invalid ``bnk_*`` values by their defaults, with a ``bnk.config`` warning; build
    the report model and report what is wrong in it.

    ``config-inited`` runs on every build (cold, unchanged, strict, ``bnk check``), so every
    configuration problem is reported on every build.
    """
    conf_py = Path(app.confdir) / "conf.py"
    for f in fields(BnkConfig):
        name = f"bnk_{f.name}"
        value = _convert(f.name, getattr(config, name), f.metadata["validator"])
        setattr(config, name, value)
        if not f.metadata["validator"](value):
            default = _default(f)
            hint = ""
            if f.name == "edition":
                hint = f" Verfügbare Ausgaben: {', '.join(available_editions())}."
            line = line_in(conf_py, name)
            where = "" if line else " (gesetzt auf der Befehlszeile)"
            warn(
                f"Ungültiger Wert für {name}{where}: {value!r} ({f.metadata['help']}).{hint} "
                f"Es gilt der Standardwert {default!r}.",
                BnkWarning.CONFIG,
                f"{conf_py}:{line}" if line else None,
            )
            setattr(config, name, default)
    config.bnk_footer_links = guard_links(config.bnk_footer_links, conf_py)
    # Built once, from the checked values: every later reader gets this model.
    settings = _settings(config, Path(app.confdir))
    for problem in settings.report_problems:
        line = key_line(conf_py, "bnk_report", problem.key) or line_in(conf_py, "bnk_report")
        warn(problem.message, BnkWarning.CONFIG, f"{conf_py}:{line}" if line else None)
    if settings.accessibility_problem:
        line = line_in(conf_py, "bnk_accessibility")
        warn(settings.accessibility_problem, BnkWarning.CONFIG, f"{conf_py}:{line}" if line else None)


def guard_links(links: list[dict[str, str]], conf_py: Path) -> list[dict[str, str]]:
    """The footer links whose URL passes the URL guard; each other one is a located warning."""
    kept = []
    for number, link in enumerate(links):
        if "url" in link and "doc" not in link:
            try:
                kept.append({**link, "url": check_url(link["url"], f"bnk_footer_links[{number}]['url']")})
            except BnkDataError as exc:
                line = line_in(conf_py, "bnk_footer_links")
                where = f"{conf_py}:{line}" if line else None
                warn(f"{exc.msg} Der Link fehlt in der Fußzeile.", BnkWarning.CONFIG, where)
        else:
            kept.append(link)
    return kept


# Files that Sphinx copies into the published output: (setting, allowed types).
GUARDED_FILES = (
    ("html_logo", IMAGE_SUFFIXES),
    ("latex_logo", IMAGE_SUFFIXES),
    ("html_favicon", frozenset({".ico", ".png", ".svg"})),
)


def guard_files(app: Sphinx, config: Config) -> None:
    """``config-inited`` (after the LaTeX defaults took the logo from ``bnk_report``): every file
    that Sphinx copies into the output passes the path guard, else a located warning and no file.

    ``/etc/passwd`` as logo would otherwise be published as ``_static/passwd``.
    """
    conf_py = Path(app.confdir) / "conf.py"
    report = config.bnk_report if isinstance(config.bnk_report, dict) else {}
    reported: set[str] = set()  # html_logo and latex_logo are usually the same file: one warning
    for name, suffixes in GUARDED_FILES:
        value = getattr(config, name, None)
        if not value:
            continue
        if value == report.get("logo"):
            # The report model checked bnk_report['logo'] with the same guard and reported it.
            setattr(config, name, report_for(app).design.logo or None)
            continue
        what = name
        try:
            if name != "latex_logo" and isinstance(value, str) and "://" in value:
                check_url(value, what)  # Sphinx links a URL instead of copying a file
            else:
                check_path(value, app.confdir, what, suffixes)
        except BnkDataError as exc:
            setattr(config, name, None)
            if exc.msg not in reported:
                reported.add(exc.msg)
                line = line_in(conf_py, "bnk_report" if what.startswith("bnk_report") else name)
                where = f"{conf_py}:{line}" if line else None
                warn(f"{exc.msg} Es wird keine Datei verwendet.", BnkWarning.CONFIG, where)


# Files the accessible PDF may carry as attachments (bnk_pdfua_attachments): data and documents.
ATTACHMENT_SUFFIXES = frozenset({".csv", ".xlsx", ".json", ".yaml", ".txt", ".pdf"})
MAX_ATTACHMENT_BYTES = 16 * 1024 * 1024


def guard_attachments(app: Sphinx, config: Config) -> None:
    """``config-inited``: each file of ``bnk_pdfua_attachments`` passes the path guard (inside the
    report, no symbolic link out, an allowed type and size), else a located warning and it is left
    out; the setting then holds the resolved paths the accessible PDF may embed."""
    conf_py = Path(app.confdir) / "conf.py"
    kept: list[str] = []
    for number, value in enumerate(config.bnk_pdfua_attachments):
        what = f"bnk_pdfua_attachments[{number}]"
        try:
            path = str(check_path(value, app.confdir, what, ATTACHMENT_SUFFIXES, MAX_ATTACHMENT_BYTES))
        except BnkDataError as exc:
            line = line_in(conf_py, "bnk_pdfua_attachments")
            warn(f"{exc.msg} Die Datei wird nicht angehängt.", BnkWarning.CONFIG, f"{conf_py}:{line}" if line else None)
            continue
        if path not in kept:
            kept.append(path)
    config.bnk_pdfua_attachments = kept


def _assignment(name: str) -> re.Pattern[str]:
    # "bnk_report =" but not "bnk_report_year =": the name, then the assignment.
    return re.compile(rf"^\s*{re.escape(name)}\s*(?::[^=]*)?=(?!=)")


def line_in(path: Path, name: str) -> int | None:
    """The line of ``path`` that assigns ``name`` (for located config warnings)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    pattern = _assignment(name)
    for lineno, line in enumerate(lines, start=1):
        if pattern.match(line):
            return lineno
    return None


def key_line(path: Path, name: str, key: str) -> int | None:
    """The line of ``"key":`` inside the dict assigned to ``name`` (its first such line)."""
    start = line_in(path, name)
    if start is None or not key:
        return None
    lines = path.read_text(encoding="utf-8").splitlines()
    pattern = re.compile(rf"""^\s*["']{re.escape(key)}["']\s*:""")
    for lineno in range(start, len(lines) + 1):
        text = lines[lineno - 1]
        if lineno > start and (not text.strip() or not text[0].isspace()) and text.strip() not in ("}", "]"):
            break  # the dict ended: the next top-level statement
        if pattern.match(text) or (lineno == start and re.search(rf"""["']{re.escape(key)}["']\s*:""", text)):
            return lineno
    return None


@dataclass(frozen=True)
class Settings:
    """The validated settings of one build: the ``bnk_*`` values and the report model."""

    config: BnkConfig
    report: Report
    accessibility: AccessibilityStatement | None
    report_problems: tuple[ReportProblem, ...] = ()
    accessibility_problem: str = ""


# One entry per Sphinx Config object (no attribute of ours on Sphinx's objects).
_SETTINGS: WeakKeyDictionary[Config, Settings] = WeakKeyDictionary()


def _settings(config: Config, confdir: Path) -> Settings:
    cached = _SETTINGS.get(config)
    if cached is None:
        cfg = BnkConfig(**{f.name: getattr(config, f"bnk_{f.name}") for f in fields(BnkConfig)})
        report, problems = parse_report(
            cfg.report, year=cfg.report_year, edition=cfg.edition, root=confdir, project=str(config.project or "")
        )
        statement, problem = None, ""
        try:
            statement = parse_statement(cfg.accessibility, report)
        except BnkDataError as exc:
            problem = exc.msg
        cached = Settings(cfg, report, statement, problems, problem)
        _SETTINGS[config] = cached
    return cached


def get_bnk_config(env: BuildEnvironment) -> BnkConfig:
    """The validated configuration of this build."""
    return _settings(env.config, Path(env.srcdir)).config


def get_report(env: BuildEnvironment) -> Report:
    """The report model of this build: Kommune, year, editions, links and design."""
    return _settings(env.config, Path(env.srcdir)).report


def report_for(app: Sphinx) -> Report:
    """The report model while the configuration is read (``config-inited``, before the environment)."""
    return _settings(app.config, Path(app.confdir)).report


def get_accessibility(env: BuildEnvironment) -> AccessibilityStatement | None:
    """The Erklärung zur Barrierefreiheit, or None if ``bnk_accessibility`` is invalid (reported
    as a ``bnk.config`` warning on every build)."""
    return _settings(env.config, Path(env.srcdir)).accessibility


def catalogue_path(env: BuildEnvironment) -> Path:
    """Path of the catalogue file this build uses."""
    cfg = get_bnk_config(env)
    if cfg.catalogue_file:
        return (Path(env.srcdir) / cfg.catalogue_file).resolve()
    return edition_path(cfg.edition)


def get_catalogue(env: BuildEnvironment) -> Catalogue | None:
    """The catalogue of this build, or None if it cannot be loaded (see :func:`catalogue_error`)."""
    try:
        return load_catalogue(str(catalogue_path(env)))
    except BnkDataError:
        return None


def catalogue_error(env: BuildEnvironment) -> BnkDataError | None:
    """Why the catalogue cannot be loaded (reported once per build by the domain), or None."""
    try:
        load_catalogue(str(catalogue_path(env)))
    except BnkDataError as exc:
        return exc
    return None


def aspect_title(env: BuildEnvironment, number: str, default: str) -> str:
    """The title of an aspect as this report words it."""
    from bnk.coverage import resolve_title

    return resolve_title(get_bnk_config(env).aspect_titles, number, default)
