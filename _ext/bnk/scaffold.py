"""``bnk new``: a complete report repository for a Kommune, ready to build."""

from __future__ import annotations

import re
import shutil
import unicodedata
from importlib import resources
from pathlib import Path
from string import Template

from bnk import __version__
from bnk.data.catalogue import available_editions, edition_path, load_catalogue

TEMPLATES = "templates"
RENAMES = {"gitignore": ".gitignore"}
TEXT_SUFFIXES = {".py", ".md", ".toml", ".yaml", ".yml", ""}


def slugify(text: str) -> str:
    """``Handlungsfeld 10: Klimaschutz und Energie`` → ``klimaschutz-und-energie`` style slugs."""
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = text.replace("Ä", "Ae").replace("Ö", "Oe").replace("Ü", "Ue")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def default_package_spec() -> str:
    """How the new report depends on this package: the local source tree when there is one."""
    import bnk

    root = Path(bnk.__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file() and (root / "_ext" / "bnk").is_dir():
        return f"bnk-bericht @ {root.as_uri()}"
    return f"bnk-bericht>={__version__}"


def chapter_page(number: int, edition: str) -> tuple[str, str]:
    """Relative path and content of the page of one chapter, every aspect as an open item."""
    catalogue = load_catalogue(str(edition_path(edition)))
    chapter = catalogue.chapter(number)
    assert chapter is not None
    folder = "kriterien" if chapter.kind == "kriterium" else "handlungsfelder"
    path = f"{folder}/{chapter.number:02d}-{slugify(chapter.title)}.md"
    lines = [f"# {{bnk-heading}}`{chapter.number:02d}`", ""]
    if chapter.aspects:
        lines += [
            "% Offene Punkte: jeden Aspekt berichten oder mit Begründung auslassen.",
            "% Vorlage (ohne die Prozentzeichen einfügen):",
            "%",
            f"% ```{{bnk-aspect}} {chapter.aspects[0].number}",
            "% :responsible: zuständiges Amt",
            "%",
            "% Was die Kommune zu diesem Aspekt berichtet …",
            "% ```",
            "%",
        ]
        lines += [f"% - Aspekt {a.number}: {a.title}" for a in chapter.aspects]
    else:
        lines += [
            "% Die Aspekte dieses Handlungsfelds sind im BNK-Katalog noch nicht erfasst.",
            "% Wird das Kapitel nicht berichtet: ```{bnk-chapter-omitted} mit Begründung.",
        ]
    return path, "\n".join(lines) + "\n"


def create_report(target: Path, kommune: str, edition: str, year: int, package: str | None = None) -> list[Path]:
    """Write a new report repository into ``target`` (which must not hold a report yet).

    :returns: the files written
    """
    if edition not in available_editions():
        raise ValueError(f"Unbekannte BNK-Ausgabe {edition!r}; verfügbar: {', '.join(available_editions())}.")
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} ist nicht leer; bitte einen neuen Ordner angeben.")
    title = f"Nachhaltigkeitsbericht {kommune} {year}"
    values = {
        "kommune": kommune.replace('"', "'"),
        "title": title.replace('"', "'"),
        "slug": slugify(f"nachhaltigkeitsbericht {kommune} {year}"),
        "edition": edition,
        "year": str(year),
        "next_year": str(year + 1),
        "package": package or default_package_spec(),
    }
    written: list[Path] = []
    source = resources.files("bnk") / TEMPLATES
    with resources.as_file(source) as folder:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_dir() or "__pycache__" in path.parts:
                continue
            rel = path.relative_to(folder)
            out = target / Path(*[RENAMES.get(part, part) for part in rel.parts])
            out.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix in TEXT_SUFFIXES and path.name != "ensure-deps":
                out.write_text(Template(path.read_text(encoding="utf-8")).substitute(values), encoding="utf-8")
            else:
                shutil.copy2(path, out)
            written.append(out)
    catalogue = load_catalogue(str(edition_path(edition)))
    for chapter in catalogue.chapters:
        rel, content = chapter_page(chapter.number, edition)
        out = target / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(content, encoding="utf-8")
        written.append(out)
    return written
