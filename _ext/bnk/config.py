"""Configuration values ``bnk_*``: declared once, validated on ``config-inited``."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bnk.data import BnkDataError
from bnk.data.catalogue import (
    Catalogue,
    available_editions,
    code_key,
    edition_path,
    load_catalogue,
)
from bnk.data.guards import IMAGE_SUFFIXES, check_path, check_url
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


def _default(f: Field[Any]) -> Any:
    """The default value of a ``BnkConfig`` field (a fresh one for mutable defaults)."""
    return f.default if f.default is not MISSING else f.default_factory()  # type: ignore[misc,operator,unused-ignore]


def setup_config(app: Sphinx) -> None:
    """Register every ``BnkConfig`` field as ``bnk_<name>`` and validate on ``config-inited``."""
    from bnk.boundary import connect  # the boundary imports Sphinx; config is imported by data tools

    for f in fields(BnkConfig):
        app.add_config_value(f"bnk_{f.name}", _default(f), f.metadata["rebuild"])
    # Early priority so that later handlers (and the catalogue check) see validated values.
    connect(app, "config-inited", validate_config, priority=100)
    # After the LaTeX defaults (priority 800), which take latex_logo from bnk_report['logo'].
    connect(app, "config-inited", guard_files, priority=900)


def validate_config(app: Sphinx, config: Config) -> None:
    """Replace invalid ``bnk_*`` values by their defaults, with a ``bnk.config`` warning."""
    conf_py = Path(app.confdir) / "conf.py"
    for f in fields(BnkConfig):
        name = f"bnk_{f.name}"
        value = getattr(config, name)
        if f.name == "report_year" and isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            # -D bnk_report_year=2025 on the command line arrives as text.
            value = int(value)
            setattr(config, name, value)
        if f.metadata["validator"] is _is_bool and isinstance(value, str):
            # -D bnk_draft=1 arrives as text for a bool value on some Sphinx versions.
            value = value.strip().lower() in {"1", "true", "ja", "yes"}
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
    problem = check_report(config.bnk_report)
    if problem:
        line = line_in(conf_py, "bnk_report")
        warn(problem, BnkWarning.CONFIG, f"{conf_py}:{line}" if line else None)
    config.bnk_footer_links = guard_links(config.bnk_footer_links, conf_py)


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
        what = "bnk_report['logo']" if value == report.get("logo") else name
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


def check_report(report: dict[str, Any]) -> str | None:
    """What is wrong with ``bnk_report`` as a whole (German), or None.

    An empty ``bnk_report`` (a small test or draft report) is fine; one that names other fields
    but no Kommune is not.
    """
    kommune = report.get("kommune")
    if report and (not isinstance(kommune, str) or not kommune.strip()):
        return (
            'bnk_report nennt keine „kommune“ (den Namen der Kommune, z. B. "kommune": "Kreis Heinsberg"); '
            "Titel, Tabellen und Export brauchen ihn."
        )
    return None


def line_in(path: Path, name: str) -> int | None:
    """The line of ``path`` that assigns ``name`` (for located config warnings)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for lineno, line in enumerate(lines, start=1):
        if line.lstrip().startswith(name) and "=" in line:
            return lineno
    return None


def get_bnk_config(env: BuildEnvironment) -> BnkConfig:
    """The validated configuration of this build (cached on the config object)."""
    cached = getattr(env.config, "_bnk_config_cache", None)
    if cached is None:
        cached = BnkConfig(**{f.name: getattr(env.config, f"bnk_{f.name}") for f in fields(BnkConfig)})
        # Config is picklable; keep the cache out of it when Sphinx pickles the environment.
        object.__setattr__(env.config, "_bnk_config_cache", cached)
    return cached


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
