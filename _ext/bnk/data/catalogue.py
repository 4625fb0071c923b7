"""The BNK catalogue: chapters and aspects of one BNK edition, loaded from versioned TOML files."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bnk.data import BnkDataError
from bnk.data.files import cached

CATALOGUE_DIR = Path(__file__).parent / "catalogues"

KINDS = {"kriterium": "Kriterium", "handlungsfeld": "Handlungsfeld"}
_ASPECT_RE = re.compile(r"^\s*0*([0-9]{1,2})\.0*([0-9]{1,2})\s*$")  # ASCII digits only


@dataclass(frozen=True)
class Aspect:
    """One aspect of the catalogue, e.g. 10.1."""

    number: str
    title: str
    chapter: int
    title_derived: bool = False

    @property
    def anchor(self) -> str:
        """Stable HTML anchor, e.g. ``aspekt-10-1``."""
        return "aspekt-" + self.number.replace(".", "-")

    @property
    def sort_key(self) -> tuple[int, int]:
        """Numeric order (1.10 after 1.9)."""
        major, minor = self.number.split(".")
        return int(major), int(minor)


@dataclass(frozen=True)
class Chapter:
    """One chapter: a Steuerungskriterium (01–09) or a Handlungsfeld (10–18)."""

    number: int
    kind: str
    title: str
    scope: str
    aspects: tuple[Aspect, ...] = ()
    aspects_known: bool = True

    @property
    def label(self) -> str:
        """E.g. ``Kriterium 01`` or ``Handlungsfeld 10``."""
        return f"{KINDS[self.kind]} {self.number:02d}"

    @property
    def heading(self) -> str:
        """E.g. ``Handlungsfeld 10: Klimaschutz und Energie``."""
        return f"{self.label}: {self.title}"

    @property
    def anchor(self) -> str:
        """Stable HTML anchor, e.g. ``kriterium-01``."""
        return f"{self.kind}-{self.number:02d}"


@dataclass(frozen=True)
class Catalogue:
    """All chapters and aspects of one BNK edition."""

    edition: str
    title: str
    chapters: tuple[Chapter, ...]
    path: str
    variant: str = ""
    total_aspects_stated: int | None = None
    _aspects: dict[str, Aspect] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for chapter in self.chapters:
            for aspect in chapter.aspects:
                self._aspects[aspect.number] = aspect

    def chapter(self, number: int) -> Chapter | None:
        """The chapter with that number, or None."""
        for chapter in self.chapters:
            if chapter.number == number:
                return chapter
        return None

    def aspect(self, number: str) -> Aspect | None:
        """The aspect with that (normalised) number, or None."""
        return self._aspects.get(number)

    @property
    def aspects(self) -> tuple[Aspect, ...]:
        """All known aspects in catalogue order."""
        return tuple(a for c in self.chapters for a in c.aspects)


def normalise_aspect_number(text: str) -> str | None:
    """Turn ``"01.1"``/``" 1.1 "`` into ``"1.1"``; None if it is not an aspect number."""
    match = _ASPECT_RE.match(text)
    if not match:
        return None
    return f"{int(match.group(1))}.{int(match.group(2))}"


def parse_chapter_number(text: str) -> int | None:
    """Turn ``"01"``/``"1"`` into 1; None if it is not a number."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 2:
        return None
    return int(text)


def available_editions() -> list[str]:
    """The editions shipped with the package, e.g. ``["2021"]``."""
    return sorted(p.stem.removeprefix("bnk-") for p in CATALOGUE_DIR.glob("bnk-*.toml"))


def edition_path(edition: str) -> Path:
    """Path of the packaged catalogue file of an edition (which may not exist)."""
    return CATALOGUE_DIR / f"bnk-{edition}.toml"


def _line_of(text: str, needle: str) -> int | None:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return lineno
    return None


def _require_str(entry: dict[str, Any], key: str, where: str, text: str, path: str, anchor: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BnkDataError(
            f"Katalog: {where} hat kein gültiges Feld „{key}“ (Text erwartet).",
            path,
            _line_of(text, anchor),
        )
    return value.strip()


@cached(maxsize=8)
def load_catalogue(path: str) -> Catalogue:
    """Load and validate a catalogue file (cached by path, size and mtime).

    :param path: path of the TOML file
    :raises BnkDataError: with file and line when the file is unreadable or malformed
    """
    from bnk.data.files import read_text

    text = read_text(path, "Die Katalogdatei", 1024 * 1024)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise BnkDataError(
            f"Katalogdatei ist kein gültiges TOML: {exc}", path, int(match[1]) if match else None
        ) from exc

    edition = raw.get("edition")
    if not isinstance(edition, dict):
        raise BnkDataError("Katalog: Abschnitt [edition] fehlt.", path, 1)
    edition_id = _require_str(edition, "id", "[edition]", text, path, "[edition]")
    title = _require_str(edition, "title", "[edition]", text, path, "[edition]")

    raw_chapters = raw.get("chapter")
    if not isinstance(raw_chapters, list) or not raw_chapters:
        raise BnkDataError("Katalog: keine Kapitel ([[chapter]]) gefunden.", path, 1)

    chapters: list[Chapter] = []
    seen_aspects: set[str] = set()
    for entry in raw_chapters:
        number = entry.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 99:
            raise BnkDataError(
                f"Katalog: Kapitelnummer {number!r} ist keine ganze Zahl von 1 bis 99.",
                path,
                _line_of(text, f"number = {number}") if number is not None else None,
            )
        anchor = f"number = {number}"
        where = f"Kapitel {number}"
        kind = entry.get("kind")
        if kind not in KINDS:
            raise BnkDataError(
                f"Katalog: {where} hat die Art {kind!r}; erlaubt: kriterium, handlungsfeld.",
                path,
                _line_of(text, anchor),
            )
        if any(c.number == number for c in chapters):
            raise BnkDataError(f"Katalog: {where} ist doppelt.", path, _line_of(text, anchor))
        chapter_title = _require_str(entry, "title", where, text, path, anchor)
        scope = _require_str(entry, "scope", where, text, path, anchor)
        aspects_known = entry.get("aspects_known", True)
        aspects: list[Aspect] = []
        for aspect_entry in entry.get("aspect", []):
            raw_number = aspect_entry.get("number")
            normalised = normalise_aspect_number(raw_number) if isinstance(raw_number, str) else None
            if normalised is None or int(normalised.split(".")[0]) != number:
                raise BnkDataError(
                    f"Katalog: Aspektnummer {raw_number!r} passt nicht zu {where} "
                    "(erwartet z. B. „{number}.1“ als Text).".replace("{number}", str(number)),
                    path,
                    _line_of(text, f'number = "{raw_number}"') or _line_of(text, anchor),
                )
            if normalised in seen_aspects:
                raise BnkDataError(
                    f"Katalog: Aspekt {normalised} ist doppelt.",
                    path,
                    _line_of(text, f'number = "{raw_number}"'),
                )
            seen_aspects.add(normalised)
            aspect_title = _require_str(aspect_entry, "title", f"Aspekt {normalised}", text, path, f'"{raw_number}"')
            aspects.append(Aspect(normalised, aspect_title, number, bool(aspect_entry.get("title_derived"))))
        chapters.append(Chapter(number, kind, chapter_title, scope, tuple(aspects), bool(aspects_known)))

    return Catalogue(
        edition=edition_id,
        title=title,
        chapters=tuple(sorted(chapters, key=lambda c: c.number)),
        path=str(path),
        variant=str(edition.get("variant", "")),
        total_aspects_stated=edition.get("total_aspects_stated"),
    )
