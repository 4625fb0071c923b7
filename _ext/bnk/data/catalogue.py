"""The BNK catalogue of any edition: groups, chapters, aspects and Kernindikatoren, loaded from TOML.

The shape of a catalogue is data, not code: any number of groups with free titles (BNK 1.0:
"Steuerung" and "Handlungsfelder"), chapters with free codes ("01", "A"), aspects with free codes
("10.1", "12", "A3", unique per edition) and Kernindikatoren tied to one aspect each. The
catalogue file (``bnk-<edition>.toml`` in the package, or a report's own ``katalog/<id>.toml``
written by ``bnk katalog import``) is checked by :func:`assemble`, which the table importer
(:mod:`bnk.data.catalogue_table`) uses too, so both report the same problems the same way.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bnk.data import BnkDataError
from bnk.data.files import cached

CATALOGUE_DIR = Path(__file__).parent / "catalogues"
SCHEMA_PATH = Path(__file__).parent.parent / "schema" / "bnk-catalogue.schema.json"
MAX_CATALOGUE_BYTES = 4 * 1024 * 1024
MAX_ENTRIES = 5000  # a catalogue has dozens of aspects; thousands are a pasted sheet, not a catalogue
STYLES = ("primary", "field")  # print colour of a group's chapter openers and divider

# A code: ASCII letters and digits, parts joined by "." or "-" ("10.1", "12", "A3", "B-2").
_CODE_RE = re.compile(r"[0-9A-Za-z]{1,12}(?:[.\-][0-9A-Za-z]{1,12}){0,3}")


def code_key(text: object) -> str | None:
    """The key a code is compared by: ``"01.1"`` → ``"1.1"``, ``" A03 "`` → ``"a3"``; None if no code.

    Leading zeros of numbers and letter case do not distinguish codes, so an author may write
    ``01`` for chapter ``1`` or ``a3`` for aspect ``A3``.
    """
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not _CODE_RE.fullmatch(text):
        return None
    return re.sub(r"[0-9]+", lambda m: str(int(m.group())), text).lower()


def code_shape(code: str) -> str:
    """The numbering scheme of a code: ``"10.1"`` → ``"9.9"``, ``"12"`` → ``"9"``, ``"A3"`` → ``"A9"``."""
    return re.sub(r"[A-Za-z]+", "A", re.sub(r"[0-9]+", "9", code))


SHAPE_NAMES = {
    "9": "Zahl (z. B. „12“)",
    "9.9": "Kapitel.Nummer (z. B. „10.1“)",
    "A9": "Buchstabe und Zahl (z. B. „A3“)",
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class Group:
    """A group of chapters, e.g. "Steuerung" (Kriterien 01–09) or "Handlungsfelder"."""

    id: str
    title: str
    chapter_label: str = "Kapitel"  # the word before a chapter code: "Kriterium 01"
    chapters_label: str = ""  # plural for a range of chapters: "Kriterien 01–09"
    style: str = "primary"
    folder: str = ""  # where `bnk new` puts the group's chapter pages


class _Coded:
    """What every catalogue entry with a free code shares: the key it is compared by
    (:func:`code_key`: ``"01"`` and ``"1"`` are one chapter), or the code itself."""

    code: str

    @property
    def key(self) -> str:
        return code_key(self.code) or self.code


@dataclass(frozen=True)
class Aspect(_Coded):
    """One aspect, e.g. 10.1 (BNK 1.0) or 12 (a numbering 1…n)."""

    code: str
    title: str
    chapter: str  # the key of its chapter
    question: str = ""
    title_derived: bool = False

    @property
    def number(self) -> str:
        """The code as the report shows it ("Aspekt 10.1")."""
        return self.code

    @property
    def anchor(self) -> str:
        """Stable HTML anchor, e.g. ``aspekt-10-1``."""
        return "aspekt-" + _slug(self.code)


@dataclass(frozen=True)
class CoreIndicator(_Coded):
    """A Kernindikator: a quantitative indicator the catalogue asks for, tied to one aspect."""

    code: str
    title: str
    aspect: str  # the key of its aspect
    unit: str = ""
    definition: str = ""
    sdg: str = ""

    @property
    def label(self) -> str:
        """E.g. ``Kernindikator 7``."""
        return f"Kernindikator {self.code}"

    @property
    def anchor(self) -> str:
        """Stable HTML anchor, e.g. ``kernindikator-7``."""
        return "kernindikator-" + _slug(self.code)


@dataclass(frozen=True)
class Chapter(_Coded):
    """One chapter: e.g. Kriterium 01 of the group "Steuerung"."""

    code: str
    group: Group
    title: str
    question: str = ""
    aspects: tuple[Aspect, ...] = ()
    aspects_known: bool = True

    @property
    def number(self) -> str:
        """The code as the report shows it ("01")."""
        return self.code

    @property
    def scope(self) -> str:
        """The guiding question or scope sentence shown under the chapter heading."""
        return self.question

    @property
    def label(self) -> str:
        """E.g. ``Kriterium 01`` or ``Handlungsfeld 10``."""
        return f"{self.group.chapter_label} {self.code}"

    @property
    def heading(self) -> str:
        """E.g. ``Handlungsfeld 10: Klimaschutz und Energie``."""
        return f"{self.label}: {self.title}"

    @property
    def anchor(self) -> str:
        """Stable HTML anchor, e.g. ``kriterium-01``."""
        return f"{_slug(self.group.chapter_label) or 'kapitel'}-{_slug(self.code)}"


@dataclass(frozen=True)
class Catalogue:
    """Groups, chapters, aspects and Kernindikatoren of one edition, in catalogue order."""

    edition: str
    title: str
    chapters: tuple[Chapter, ...]
    path: str
    variant: str = ""
    total_aspects_stated: int | None = None
    core_indicators: tuple[CoreIndicator, ...] = ()
    groups: tuple[Group, ...] = ()
    publisher: str = ""
    published: str = ""
    _aspects: dict[str, Aspect] = field(default_factory=dict, compare=False, repr=False)
    _chapters: dict[str, Chapter] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for chapter in self.chapters:
            self._chapters[chapter.key] = chapter
            for aspect in chapter.aspects:
                self._aspects[aspect.key] = aspect

    def chapter(self, code: object) -> Chapter | None:
        """The chapter with that code (``"01"``, ``"1"`` or ``1``), or None."""
        key = code_key(code)
        return self._chapters.get(key) if key else None

    def aspect(self, code: object) -> Aspect | None:
        """The aspect with that code, or None."""
        key = code_key(code)
        return self._aspects.get(key) if key else None

    def core_indicator(self, code: object) -> CoreIndicator | None:
        """The Kernindikator with that code, or None."""
        key = code_key(code)
        return next((c for c in self.core_indicators if c.key == key), None)

    def position(self, chapter: object) -> int:
        """The chapter's place in catalogue order (unknown chapters last): for sorting."""
        found = self.chapter(chapter)
        return self.chapters.index(found) if found else len(self.chapters)

    @property
    def aspects(self) -> tuple[Aspect, ...]:
        """All known aspects in catalogue order."""
        return tuple(a for c in self.chapters for a in c.aspects)


def available_editions() -> list[str]:
    """The editions shipped with the package, e.g. ``["2021"]``."""
    return sorted(p.stem.removeprefix("bnk-") for p in CATALOGUE_DIR.glob("bnk-*.toml"))


def edition_path(edition: str) -> Path:
    """Path of the packaged catalogue file of an edition (which may not exist)."""
    return CATALOGUE_DIR / f"bnk-{edition}.toml"


# -- checking ------------------------------------------------------------------------------------

# Entries as the file or table gives them: plain dicts with a "_pos" (where they stand) that
# `assemble` passes back with each problem; the reader turns it into a line or a row and column.
Problem = tuple[Any, str, str]  # (position, field, German message)


def _text(entry: dict[str, Any], key: str) -> str:
    value = entry.get(key)
    return value.strip() if isinstance(value, str) else ""


def assemble(
    edition: dict[str, Any],
    groups: list[dict[str, Any]],
    chapters: list[dict[str, Any]],
    aspects: list[dict[str, Any]],
    indicators: list[dict[str, Any]],
    path: str = "",
) -> tuple[Catalogue | None, list[Problem]]:
    """Check a whole catalogue and build it; every problem at once, in input order.

    :param chapters: entries with ``code``, ``group`` (a group id), ``title``, ``question``
    :param aspects: entries with ``code``, ``chapter`` (a chapter code), ``title``, ``question``
    :param indicators: entries with ``code``, ``title``, ``aspect``, ``unit``, ``definition``, ``sdg``
    :returns: the catalogue (None if there is any problem) and the problems
    """
    problems: list[Problem] = []

    def bad(entry: dict[str, Any], key: str, message: str) -> None:
        problems.append((entry.get("_pos"), key, message))

    def required(entry: dict[str, Any], key: str, what: str) -> str:
        value = _text(entry, key)
        if not value:
            bad(entry, key, f"{what}: „{key}“ fehlt oder ist leer.")
        return value

    for name in ("id", "title"):
        if not _text(edition, name):
            bad(edition, name, f"Katalog: [edition] braucht „{name}“ (Text).")
    if len(chapters) + len(aspects) + len(indicators) > MAX_ENTRIES:
        bad(edition, "", f"Katalog: mehr als {MAX_ENTRIES} Einträge; das ist kein BNK-Katalog.")
        return None, problems

    by_group: dict[str, Group] = {}
    for entry in groups:
        gid = required(entry, "id", "Gruppe")
        title = required(entry, "title", f"Gruppe {gid}")
        style = _text(entry, "style") or "primary"
        if style not in STYLES:
            bad(entry, "style", f"Gruppe {gid}: „style“ ist {style!r}; erlaubt: {', '.join(STYLES)}.")
        if gid in by_group:
            bad(entry, "id", f"Gruppe {gid!r} ist doppelt.")
        elif gid:
            by_group[gid] = Group(
                gid,
                title,
                _text(entry, "chapter_label") or "Kapitel",
                _text(entry, "chapters_label") or title,
                style,
                _text(entry, "folder") or _slug(title) or "kapitel",
            )
    if not chapters:
        bad(edition, "", "Katalog: keine Kapitel gefunden.")

    chapter_keys: dict[str, dict[str, Any]] = {}
    chapter_list: list[tuple[dict[str, Any], str, Group]] = []
    for entry in chapters:
        raw = entry.get("code")
        key = code_key(raw)
        if key is None and not _text(entry, "code"):
            bad(entry, "code", "Kapitel: „code“ fehlt oder ist leer.")
        elif key is None:
            bad(entry, "code", f"Kapitel: {raw!r} ist kein Kapitelcode (Buchstaben und Ziffern, z. B. „01“ oder „A“).")
        elif key in chapter_keys:
            bad(entry, "code", f"Kapitel {_text(entry, 'code')} ist doppelt.")
        where = f"Kapitel {raw}"
        required(entry, "title", where)
        gid = _text(entry, "group")
        group = by_group.get(gid)
        if group is None:
            known = ", ".join(by_group) or "keine"
            bad(entry, "group", f"{where}: unbekannte Gruppe {gid!r} (bekannt: {known}).")
        if key is not None and key not in chapter_keys:
            chapter_keys[key] = entry
            if group is not None:
                chapter_list.append((entry, key, group))

    aspect_keys: dict[str, dict[str, Any]] = {}
    aspects_by_chapter: dict[str, list[Aspect]] = {}
    shapes: dict[str, list[dict[str, Any]]] = {}
    for entry in aspects:
        raw = entry.get("code")
        key = code_key(raw)
        chapter_key = code_key(entry.get("chapter"))
        title = required(entry, "title", f"Aspekt {raw}")
        if key is None:
            empty = not _text(entry, "code")
            bad(
                entry,
                "code",
                "Aspekt: „code“ fehlt oder ist leer."
                if empty
                else f"Aspekt: {raw!r} ist kein Aspektcode (z. B. „10.1“, „12“ oder „A3“).",
            )
            continue
        shapes.setdefault(code_shape(str(raw).strip()), []).append(entry)
        if key in aspect_keys:
            first = aspect_keys[key]
            if code_key(first.get("chapter")) != chapter_key:
                bad(
                    entry,
                    "code",
                    f"Aspekt {raw} steht in zwei Kapiteln ({first.get('chapter')} und {entry.get('chapter')}).",
                )
            else:
                bad(entry, "code", f"Aspekt {raw} ist doppelt.")
            continue
        aspect_keys[key] = entry
        if chapter_key not in chapter_keys:
            bad(entry, "chapter", f"Aspekt {raw}: unbekanntes Kapitel {entry.get('chapter')!r}.")
            continue
        aspects_by_chapter.setdefault(chapter_key, []).append(
            Aspect(str(raw).strip(), title, chapter_key, _text(entry, "question"), entry.get("title_derived") is True)
        )
    if len(shapes) > 1:
        # Mixed numbering ("10.1" beside "12"): name the scheme most aspects use, flag the others.
        main_shape = max(shapes, key=lambda s: len(shapes[s]))
        for shape, entries in shapes.items():
            if shape == main_shape:
                continue
            for entry in entries:
                bad(
                    entry,
                    "code",
                    f"Aspekt {entry.get('code')}: gemischte Nummerierung; die meisten Aspekte sind als "
                    f"{SHAPE_NAMES.get(main_shape, repr(main_shape))} nummeriert.",
                )

    core: list[CoreIndicator] = []
    core_keys: set[str] = set()
    for entry in indicators:
        raw = entry.get("code")
        key = code_key(raw)
        where = f"Kernindikator {raw}"
        title = required(entry, "title", where)
        aspect_key = code_key(entry.get("aspect"))
        if key is None:
            empty = not _text(entry, "code")
            bad(
                entry,
                "code",
                "Kernindikator: „code“ fehlt oder ist leer."
                if empty
                else f"Kernindikator: {raw!r} ist kein Code (z. B. „7“ oder „K7“).",
            )
        elif key in core_keys:
            bad(entry, "code", f"{where} ist doppelt.")
        if aspect_key is None or aspect_key not in aspect_keys:
            bad(entry, "aspect", f"{where} gehört zu Aspekt {entry.get('aspect')!r}, den der Katalog nicht kennt.")
        if key is None or key in core_keys:
            continue
        core_keys.add(key)
        if aspect_key is not None and aspect_key in aspect_keys:
            core.append(
                CoreIndicator(
                    str(raw).strip(),
                    title,
                    aspect_key,
                    _text(entry, "unit"),
                    _text(entry, "definition"),
                    _text(entry, "sdg"),
                )
            )

    built = tuple(
        Chapter(
            _text(entry, "code") or str(entry.get("code")),
            group,
            _text(entry, "title"),
            _text(entry, "question"),
            tuple(aspects_by_chapter.get(key, [])),
            entry.get("aspects_known", True) is not False,
        )
        for entry, key, group in chapter_list
    )
    stated = edition.get("total_aspects_stated")
    if problems:
        return None, problems
    used = [g for g in by_group.values() if any(c.group is g for c in built)]
    return (
        Catalogue(
            edition=_text(edition, "id"),
            title=_text(edition, "title"),
            chapters=built,
            path=path,
            variant=_text(edition, "variant"),
            total_aspects_stated=stated if isinstance(stated, int) and not isinstance(stated, bool) else None,
            core_indicators=tuple(core),
            groups=tuple(used),
            publisher=_text(edition, "publisher"),
            published=_text(edition, "published"),
        ),
        [],
    )


# -- the TOML file -------------------------------------------------------------------------------

_HEADER_RE = re.compile(r"^\s*(\[\[?)\s*([A-Za-z_.]+)\s*\]\]?\s*(?:#.*)?$")


def _blocks(text: str) -> dict[str, list[tuple[int, int]]]:
    """Line ranges of each TOML table header, by name, in file order: where an entry stands."""
    found: dict[str, list[tuple[int, int]]] = {}
    lines = text.splitlines()
    starts = [(i + 1, m[2]) for i, line in enumerate(lines) if (m := _HEADER_RE.match(line))]
    for index, (line, name) in enumerate(starts):
        end = starts[index + 1][0] - 1 if index + 1 < len(starts) else len(lines)
        found.setdefault(name, []).append((line, end))
    return found


def _field_line(lines: list[str], block: tuple[int, int] | None, key: str) -> int | None:
    if block is None:
        return None
    for lineno in range(block[0], min(block[1], len(lines)) + 1):
        if re.match(rf"\s*{re.escape(key)}\s*=", lines[lineno - 1]):
            return lineno
    return block[0]


def check_catalogue_file(path: str) -> tuple[Catalogue | None, list[BnkDataError]]:
    """Read and check a catalogue file; every problem with its line (for ``bnk katalog prüfen``)."""
    from bnk.data.files import read_text

    text = read_text(path, "Die Katalogdatei", MAX_CATALOGUE_BYTES)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        return None, [
            BnkDataError(f"Katalogdatei ist kein gültiges TOML: {exc}", path, int(match[1]) if match else None)
        ]
    lines = text.splitlines()
    blocks = _blocks(text)

    def entries(items: Any, name: str) -> list[dict[str, Any]]:
        places = blocks.get(name, [])
        out = []
        for index, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                out.append({**item, "_pos": places[index] if index < len(places) else None})
        return out

    found = raw.get("edition")
    edition: dict[str, Any] = {
        **(found if isinstance(found, dict) else {}),
        "_pos": (blocks.get("edition") or [(1, 1)])[0],
    }
    groups = entries(raw.get("group"), "group")
    chapters = entries(raw.get("chapter"), "chapter")
    aspects: list[dict[str, Any]] = []
    aspect_places = iter(blocks.get("chapter.aspect", []))
    for chapter in chapters:
        for item in chapter.get("aspect", []) if isinstance(chapter.get("aspect"), list) else []:
            place = next(aspect_places, None)
            if isinstance(item, dict):
                aspects.append({**item, "chapter": chapter.get("code"), "_pos": place})
    indicators = entries(raw.get("core_indicator"), "core_indicator")
    catalogue, problems = assemble(edition, groups, chapters, aspects, indicators, str(path))
    errors = [BnkDataError(message, str(path), _field_line(lines, pos, key) or 1) for pos, key, message in problems]
    return catalogue, errors


@cached(maxsize=8)
def load_catalogue(path: str) -> Catalogue:
    """Load and validate a catalogue file (cached by path, size and mtime).

    :param path: path of the TOML file
    :raises BnkDataError: the first problem, with file and line (all of them: ``bnk katalog prüfen``)
    """
    catalogue, errors = check_catalogue_file(path)
    if errors:
        first = errors[0]
        if len(errors) > 1:
            more = f" (und {len(errors) - 1} weitere Probleme; alle zeigt „bnk katalog prüfen {path}“)"
            raise BnkDataError(first.msg + more, first.path, first.line)
        raise first
    assert catalogue is not None
    return catalogue
