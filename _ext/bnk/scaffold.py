"""``bnk new``: a complete report repository for a Kommune, ready to build."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from importlib import resources
from pathlib import Path

import jinja2

from bnk import __version__
from bnk.data.catalogue import Catalogue, Chapter, available_editions, edition_path, load_catalogue
from bnk.data.writer import inside, write_author_text

TEMPLATES = "templates"
CATALOGUE_FOLDER = "katalog"  # a report's own catalogue: katalog/<id>.toml and its JSON Schema
RENAMES = {"gitignore": ".gitignore"}


def slugify(text: str) -> str:
    """``Handlungsfeld 10: Klimaschutz und Energie`` → ``klimaschutz-und-energie`` style slugs."""
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = text.replace("Ä", "Ae").replace("Ö", "Oe").replace("Ü", "Ue")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def chapter_page(chapter: Chapter, catalogue: Catalogue) -> tuple[str, str]:
    """Relative path and content of the page of one chapter: every aspect as an open item, every
    Kernindikator of its aspects as an open ``bnk-kernindikator`` placeholder."""
    slug = slugify(chapter.code)
    path = f"{chapter.group.folder}/{slug}-{slugify(chapter.title)}.md".replace("/-", "/")
    lines = [f"# {{bnk-heading}}`{chapter.code}`", ""]
    if chapter.aspects:
        lines += [
            "% Offene Punkte: jeden Aspekt berichten oder mit Begründung auslassen.",
            "% Vorlage (ohne die Prozentzeichen einfügen):",
            "%",
            f"% ```{{bnk-aspect}} {chapter.aspects[0].code}",
            "% :responsible: zuständiges Amt",
            "%",
            "% Was die Kommune zu diesem Aspekt berichtet …",
            "% ```",
            "%",
        ]
        lines += [f"% - Aspekt {a.code}: {' '.join(a.title.split())}" for a in chapter.aspects]
    else:
        lines += [
            "% Die Aspekte dieses Kapitels sind im BNK-Katalog noch nicht erfasst.",
            "% Wird das Kapitel nicht berichtet: ```{bnk-chapter-omitted} mit Begründung.",
        ]
    keys = {a.key for a in chapter.aspects}
    for core in (c for c in catalogue.core_indicators if c.aspect in keys):
        lines += [
            "",
            f"% Kernindikator {core.code} (Aspekt {catalogue.aspect(core.aspect).code}): zeigen mit einem "  # type: ignore[union-attr]
            f'Indikator, dessen Metadaten kernindikator: "{core.code}" nennen (dann diesen Block löschen),',
            "% oder hier begründen, warum er (noch) nicht gezeigt wird.",
            f"```{{bnk-kernindikator}} {core.code}",
            "```",
        ]
    return path, "\n".join(lines) + "\n"


def _markdown(text: str) -> str:
    """Text for Markdown: every ASCII punctuation mark backslash-escaped (CommonMark allows it), so
    ``<b>``, ``*``, ``[…](…)`` or ``{role}`` in a name stay letters and never markup or HTML."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)


def _string(text: str) -> str:
    """A double-quoted string literal valid in Python, TOML and YAML alike (JSON escaping)."""
    return json.dumps(text, ensure_ascii=False)


def environment() -> jinja2.Environment:
    """The Jinja2 environment of the scaffold: strict about undefined names, escaping by filter."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("bnk", TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # several target languages: each value is escaped by its filter
    )
    env.filters.update(md=_markdown, pystr=_string, tomlstr=_string)
    return env


def installed_source() -> str | None:
    """Where the running ``bnk-bericht`` was installed from, if not from a package index.

    Read from the installation's ``direct_url.json`` (PEP 610); None for an index installation.
    """
    import json
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        text = distribution("bnk-bericht").read_text("direct_url.json")
        return source_from_direct_url(json.loads(text)) if text else None
    except (PackageNotFoundError, ValueError):
        return None


def source_from_direct_url(origin: object) -> str | None:
    """The PEP 508 URL of a PEP 610 ``direct_url.json``: a folder (also an editable checkout) or an
    archive as its URL, a Git installation as ``git+URL@commit``; None if it names no URL."""
    if not isinstance(origin, dict) or not isinstance(origin.get("url"), str):
        return None
    url: str = origin["url"]
    vcs = origin.get("vcs_info")
    if isinstance(vcs, dict):
        commit = vcs.get("commit_id") or vcs.get("requested_revision")
        prefix = f"{vcs.get('vcs', 'git')}+"
        return f"{prefix}{url}@{commit}" if commit else f"{prefix}{url}"
    return url


def package_spec(source: str | None) -> str:
    """The dependency line for ``bnk-bericht``: by default where this ``bnk`` comes from (the
    package index, or the folder / Git commit it was installed from, so that the new report
    installs the same tools), a git URL or a local folder when asked (``--package``)."""
    if not source:
        origin = installed_source()
        return f"bnk-bericht @ {origin}" if origin else f"bnk-bericht=={__version__}"  # pinned
    if source.startswith(("git+", "https://", "http://")):
        url = source if source.startswith("git+") else f"git+{source}"
        return f"bnk-bericht @ {url}"
    path = Path(source).expanduser()
    if path.is_dir():
        return f"bnk-bericht @ {path.resolve().as_uri()}"
    return source  # a requirement as written, e.g. "bnk-bericht==0.3.0"


def check_kommune(kommune: str) -> str:
    """The name as given, or a German error for a name no page could show."""
    name = kommune.strip()
    if not name:
        raise ValueError('Bitte den Namen der Kommune angeben, z. B. --kommune "Stadt Beispiel".')
    if any(unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"} for c in name):
        raise ValueError("Der Name der Kommune enthält Steuerzeichen (z. B. einen Zeilenumbruch).")
    if len(name) > 200:
        raise ValueError("Der Name der Kommune ist länger als 200 Zeichen.")
    return name


def create_report(
    target: Path,
    kommune: str,
    edition: str,
    year: int,
    package: str | None = None,
    catalogue_text: tuple[str, str] | None = None,
) -> list[Path]:
    """Write a new report repository into ``target`` (which must not hold a report yet).

    :param catalogue_text: the report's own catalogue, ``(file name, TOML text)``, already checked
        (``bnk new --katalog``); it is written to ``katalog/`` and selected in ``conf.py``
    :returns: the files written
    :raises ValueError: with a German message (unknown edition, bad name, occupied target)
    """
    if catalogue_text is None and edition not in available_editions():
        raise ValueError(f"Unbekannte BNK-Ausgabe {edition!r}; verfügbar: {', '.join(available_editions())}.")
    kommune = check_kommune(kommune)
    # Absolute, so that every path below is the report folder joined with a name (the safe writer
    # takes a relative path as relative to the report folder): `bnk new neu` as well as `bnk new /x/neu`.
    target = Path(target).absolute()
    if not 1900 <= year <= 2199:
        raise ValueError(f"{year} ist kein plausibles Berichtsjahr.")
    if target.exists() and not target.is_dir():
        raise ValueError(f"{target} ist eine Datei; bitte einen neuen Ordner angeben.")
    if target.exists() and any(target.iterdir()):
        raise ValueError(f"{target} ist nicht leer; bitte einen neuen Ordner angeben.")
    written: list[Path] = []
    if catalogue_text is not None:
        written += write_catalogue_files(target, *catalogue_text)
        catalogue = load_catalogue(str(target / CATALOGUE_FOLDER / catalogue_text[0]))
    else:
        catalogue = load_catalogue(str(edition_path(edition)))
    # The start page's table of contents: one part per group of the catalogue, in its order.
    groups = []
    for group in catalogue.groups:
        codes = [c.code for c in catalogue.chapters if c.group is group]
        span = f"{group.chapters_label} {codes[0]} bis {codes[-1]}" if len(codes) > 1 else group.chapters_label
        # BNK 1.0: "Kriterien 01 bis 09 – Steuerung" and "Handlungsfelder 10 bis 18".
        caption = span if group.chapters_label == group.title else f"{span} – {group.title}"
        groups.append({"caption": caption, "folder": group.folder})
    values = {
        "groups": groups,
        "chapter_count": len(catalogue.chapters),
        "catalogue_title": catalogue.title,
        "kommune": kommune,
        "slug": slugify(f"nachhaltigkeitsbericht {kommune}") or "nachhaltigkeitsbericht",
        "edition": edition,
        "year": year,
        "next_year": year + 1,
        "package": package_spec(package),
        "catalogue_file": f"{CATALOGUE_FOLDER}/{catalogue_text[0]}" if catalogue_text else "",
    }
    env = environment()
    source = resources.files("bnk") / TEMPLATES
    with resources.as_file(source) as folder:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_dir() or "__pycache__" in path.parts:
                continue
            rel = path.relative_to(folder)
            parts = [RENAMES.get(part, part) for part in rel.parts]
            if path.suffix == ".jinja":
                parts[-1] = parts[-1].removesuffix(".jinja")
            out = target.joinpath(*parts)
            if path.suffix == ".jinja":
                text = env.get_template(rel.as_posix()).render(values)
                write_author_text(target, out, text)
            else:
                inside(target, out).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, out)
            written.append(out)
    for chapter in catalogue.chapters:
        rel_page, content = chapter_page(chapter, catalogue)
        out = target / rel_page
        write_author_text(target, out, content)
        written.append(out)
    return written


def write_catalogue_files(report: Path, name: str, text: str) -> list[Path]:
    """Write a report's catalogue file and, beside it, the JSON Schema its first line names."""
    from bnk.data.catalogue import SCHEMA_PATH

    folder = report / CATALOGUE_FOLDER
    schema = folder / SCHEMA_PATH.name
    write_author_text(report, schema, SCHEMA_PATH.read_text(encoding="utf-8"))
    path = folder / name
    write_author_text(report, path, text)
    return [path, schema]
