"""Comply-or-explain: compare what a report declares with the BNK catalogue (no Sphinx needed).

Every aspect and every Kernindikator of the catalogue is reported (shown) or explained (omitted
with a reason), wherever it stands in the report: the order of the pages is the report's own
("flexible Anordnung der Berichtsinhalte", BNK 2.0). Each aspect is counted once, at its place.
Used by the Sphinx domain on every build and by ``bnk check`` without a build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bnk.data.catalogue import code_key
from bnk.warnings_ import BnkWarning

if TYPE_CHECKING:
    from collections.abc import Callable

    from bnk.data.catalogue import Catalogue

STATUS_REPORTED = "berichtet"
STATUS_EXPLAINED = "begründet"
STATUS_MISSING = "fehlt"

STATUS_LABELS = {
    STATUS_REPORTED: "berichtet",
    STATUS_EXPLAINED: "nicht berichtet, mit Begründung",
    STATUS_MISSING: "fehlt",
}


@dataclass
class AspectRow:
    """Coverage of one catalogue aspect in this report."""

    number: str
    title: str
    chapter: str  # the key of its chapter
    status: str
    docname: str | None = None
    anchor: str | None = None
    reason: str = ""


@dataclass
class CoreRow:
    """Coverage of one Kernindikator: shown by an indicator, explained, or missing."""

    code: str
    title: str
    aspect: str  # the code of its aspect
    unit: str
    status: str
    docname: str | None = None
    anchor: str | None = None
    reason: str = ""
    indicator: str | None = None  # the id of the indicator that shows it


@dataclass
class ChapterRow:
    """Coverage of one catalogue chapter in this report."""

    number: str  # the code as the catalogue writes it ("01")
    label: str
    heading: str
    status: str
    docname: str | None = None
    anchor: str | None = None
    aspects_known: bool = True
    reason: str = ""
    aspects: list[AspectRow] = field(default_factory=list)
    core: list[CoreRow] = field(default_factory=list)


@dataclass
class Coverage:
    """The whole comply-or-explain picture, and the problems found on the way."""

    chapters: list[ChapterRow]
    problems: list[tuple[str, BnkWarning, tuple[str, int | None] | str]]
    core: list[CoreRow] = field(default_factory=list)

    def count(self, status: str) -> int:
        """Number of catalogue aspects with that status."""
        return sum(1 for c in self.chapters for a in c.aspects if a.status == status)

    def count_core(self, status: str) -> int:
        """Number of Kernindikatoren with that status."""
        return sum(1 for c in self.core if c.status == status)

    @property
    def omitted_chapters(self) -> list[ChapterRow]:
        """Chapters omitted as a whole, with a reason."""
        return [c for c in self.chapters if c.status == STATUS_EXPLAINED]

    def totals(self) -> str:
        """E.g. "58 von 62 Aspekten, 17 von 19 Kernindikatoren" (berichtet oder begründet)."""
        aspects = sum(len(c.aspects) for c in self.chapters)
        done = aspects - self.count(STATUS_MISSING)
        text = f"{done} von {aspects} {'Aspekt' if aspects == 1 else 'Aspekten'}"
        if self.core:
            core_done = len(self.core) - self.count_core(STATUS_MISSING)
            text += (
                f", {core_done} von {len(self.core)} {'Kernindikator' if len(self.core) == 1 else 'Kernindikatoren'}"
            )
        return text

    def summary(self) -> str:
        """The one-line summary printed at the end of every build."""
        line = (
            f"BNK-Vollständigkeit: {self.count(STATUS_REPORTED)} berichtet, "
            f"{self.count(STATUS_EXPLAINED)} begründet, {self.count(STATUS_MISSING)} fehlt"
        )
        if self.core:
            line += (
                f"; Kernindikatoren: {self.count_core(STATUS_REPORTED)} gezeigt, "
                f"{self.count_core(STATUS_EXPLAINED)} begründet, {self.count_core(STATUS_MISSING)} fehlt"
            )
        omitted = self.omitted_chapters
        if omitted:
            line += "; begründet ausgelassen: " + ", ".join(c.label for c in omitted)
        return line


def resolve_title(titles: dict[str, str], number: str, default: str) -> str:
    """An aspect's title as the report words it (``bnk_aspect_titles``), else the catalogue's."""
    key = code_key(number)
    for name, value in titles.items():
        if code_key(name) == key:
            return value.strip()
    return default


def _sorted_records(data: dict[str, list[dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    return sorted(
        ((docname, record) for docname, records in data.items() for record in records),
        key=lambda item: (item[0], item[1]["line"] or 0),
    )


def _chapter_pages(catalogue: Catalogue, data: dict[str, Any], doc2path: Callable[[str], str], problems: list) -> dict:
    """Which page declares which chapter (by chapter key)."""
    pages: dict[str, tuple[str, dict[str, Any]]] = {}
    for docname, record in _sorted_records(data["chapters"]):
        chapter = catalogue.chapter(record["number"])
        location = (docname, record["line"])
        if chapter is None:
            problems.append(
                (
                    f"Unbekanntes Kapitel {record['number']}: nicht im BNK-Katalog ({catalogue.title}).",
                    BnkWarning.CHAPTER_UNKNOWN,
                    location,
                )
            )
            continue
        if chapter.key in pages:
            first_doc, first = pages[chapter.key]
            problems.append(
                (
                    f"{chapter.label} ist doppelt erklärt (zuerst in {doc2path(first_doc)}:{first['line']}).",
                    BnkWarning.CHAPTER_DUPLICATE,
                    location,
                )
            )
            continue
        if len(data["chapters"][docname]) > 1 and record is not data["chapters"][docname][0]:
            problems.append(
                (
                    f"Eine Seite kann nur ein Kapitel enthalten; {chapter.label} bitte auf eine eigene Seite.",
                    BnkWarning.CHAPTER_DUPLICATE,
                    location,
                )
            )
            continue
        pages[chapter.key] = (docname, record)
        if record["omitted"] and not record["reason"].strip():
            problems.append(
                (
                    f"{chapter.label} ist als nicht berichtet markiert, "
                    "aber ohne Begründung. Bitte die Begründung in den Block schreiben.",
                    BnkWarning.REASON_MISSING,
                    (docname, record["omit_line"]),
                )
            )
    return pages


def _declared_aspects(
    catalogue: Catalogue, data: dict[str, Any], doc2path: Callable[[str], str], problems: list
) -> dict:
    """Where each aspect stands (on any page: the order is the report's own), once."""
    declared: dict[str, tuple[str, dict[str, Any]]] = {}
    for docname, record in _sorted_records(data["aspects"]):
        location = (docname, record["line"])
        aspect = catalogue.aspect(record["number"]) if record["number"] else None
        if aspect is None:
            problems.append(
                (
                    f"„{record['raw']}“ ist keine Aspektnummer (erwartet z. B. „{catalogue.aspects[0].code}“)."
                    if code_key(record["raw"]) is None and catalogue.aspects
                    else f"Unbekannter Aspekt {record['raw']!r}: nicht im BNK-Katalog ({catalogue.title}).",
                    BnkWarning.ASPECT_UNKNOWN,
                    location,
                )
            )
            continue
        if aspect.key in declared:
            first_doc, first = declared[aspect.key]
            problems.append(
                (
                    f"Aspekt {aspect.code} ist doppelt vorhanden (zuerst in {doc2path(first_doc)}:{first['line']}).",
                    BnkWarning.ASPECT_DUPLICATE,
                    location,
                )
            )
            continue
        declared[aspect.key] = (docname, record)
        if record["omitted"] and not record["has_body"]:
            problems.append(
                (
                    f"Aspekt {aspect.code} ist als nicht berichtet markiert (:omitted:), aber ohne "
                    "Begründung. Bitte die Begründung als Inhalt des Blocks schreiben.",
                    BnkWarning.REASON_MISSING,
                    location,
                )
            )
        elif not record["omitted"] and not record["has_body"]:
            problems.append(
                (
                    f"Aspekt {aspect.code} hat keinen Inhalt. Bitte berichten oder mit :omitted: und "
                    "einer Begründung als nicht berichtet kennzeichnen.",
                    BnkWarning.ASPECT_EMPTY,
                    location,
                )
            )
    return declared


def compute_coverage(
    catalogue: Catalogue,
    data: dict[str, Any],
    titles: dict[str, str],
    doc2path: Callable[[str], str],
    root_doc: str | None,
) -> Coverage:
    """Status of every chapter, aspect and Kernindikator, and every problem with its location."""
    problems: list[tuple[str, BnkWarning, tuple[str, int | None] | str]] = []
    chapter_pages = _chapter_pages(catalogue, data, doc2path, problems)
    declared = _declared_aspects(catalogue, data, doc2path, problems)
    root: tuple[str, int | None] | str = (root_doc, None) if root_doc else ""

    rows: list[ChapterRow] = []
    for chapter in catalogue.chapters:
        page = chapter_pages.get(chapter.key)
        docname: str = page[0] if page else ""
        record: dict[str, Any] | None = page[1] if page else None
        placed = [declared[a.key] for a in chapter.aspects if a.key in declared]
        omitted = bool(record and record["omitted"])
        if omitted:
            status = STATUS_EXPLAINED if record and record["reason"].strip() else STATUS_MISSING
        else:
            status = STATUS_REPORTED if page or placed else STATUS_MISSING
        if record is not None and not omitted and not chapter.aspects and not record.get("has_content", True):
            # No catalogue aspects to report (e.g. Handlungsfeld 15 in BNK 2021): the chapter
            # must hold reported content or be omitted with a reason.
            status = STATUS_MISSING
            problems.append(
                (
                    f"{chapter.label} hat keinen Inhalt: der Katalog nennt hier keine Aspekte, also bitte "
                    "das Kapitel berichten oder mit „bnk-chapter-omitted“ und einer Begründung auslassen.",
                    BnkWarning.CHAPTER_EMPTY,
                    (docname, record["line"]),
                )
            )
        # Without a page of its own, the chapter lives where its first aspect stands.
        where, anchor = (
            (docname, chapter.anchor) if page else (placed[0][0], placed[0][1]["anchor"]) if placed else (None, None)
        )
        row = ChapterRow(
            chapter.number,
            chapter.label,
            chapter.heading,
            status,
            where,
            anchor,
            chapter.aspects_known,
            record["reason"] if record else "",
        )
        if page is None and not placed:
            problems.append(
                (
                    f"Kapitelseite fehlt: keine Seite erklärt {chapter.heading} "
                    f"(Zeile „# {{bnk-heading}}`{chapter.code}`“), und keiner seiner Aspekte steht im Bericht.",
                    BnkWarning.CHAPTER_MISSING,
                    root,
                )
            )
        missing_at: tuple[str, int | None] | str = (docname, record["line"]) if record else root
        for aspect in chapter.aspects:
            title = resolve_title(titles, aspect.code, aspect.title)
            found = declared.get(aspect.key)
            if found:
                a_doc, a_record = found
                a_status = STATUS_EXPLAINED if a_record["omitted"] else STATUS_REPORTED
                if not a_record["has_body"]:
                    a_status = STATUS_MISSING
                row.aspects.append(
                    AspectRow(
                        aspect.code, title, chapter.key, a_status, a_doc, a_record["anchor"], a_record.get("reason", "")
                    )
                )
            elif omitted:
                row.aspects.append(
                    AspectRow(aspect.code, title, chapter.key, status, docname, chapter.anchor, row.reason)
                )
            else:
                row.aspects.append(AspectRow(aspect.code, title, chapter.key, STATUS_MISSING))
                if page is not None or placed:
                    problems.append(
                        (
                            f"Aspekt {aspect.code} „{title}“ fehlt: weder berichtet noch mit Begründung ausgelassen.",
                            BnkWarning.ASPECT_MISSING,
                            missing_at,
                        )
                    )
        rows.append(row)
    core = core_coverage(catalogue, data, rows, declared, problems, root, doc2path)
    return Coverage(rows, problems, core)


def core_coverage(
    catalogue: Catalogue,
    data: dict[str, Any],
    rows: list[ChapterRow],
    declared: dict[str, tuple[str, dict[str, Any]]],
    problems: list,
    root: tuple[str, int | None] | str,
    doc2path: Callable[[str], str],
) -> list[CoreRow]:
    """Each Kernindikator: shown by an indicator whose metadata names it, explained, or missing."""
    shown: dict[str, tuple[str, dict[str, Any]]] = {}
    for docname, record in _sorted_records(data["indicators"]):
        key = code_key(record.get("kernindikator"))
        if record.get("kernindikator") and catalogue.core_indicator(key) is None:
            problems.append(
                (
                    f"Indikator „{record['id']}“ nennt Kernindikator {record['kernindikator']!r}, den der Katalog "
                    f"({catalogue.title}) nicht kennt.",
                    BnkWarning.CORE_INDICATOR,
                    (docname, record["line"]),
                )
            )
        elif key and key not in shown:
            shown[key] = (docname, record)
    placeholders: dict[str, tuple[str, dict[str, Any]]] = {}
    for docname, record in _sorted_records(data.get("core", {})):
        core = catalogue.core_indicator(record["code"])
        location = (docname, record["line"])
        if core is None:
            problems.append(
                (
                    f"Unbekannter Kernindikator {record['raw']!r}: nicht im Katalog ({catalogue.title}).",
                    BnkWarning.CORE_INDICATOR,
                    location,
                )
            )
        elif core.key in placeholders:
            first_doc, first = placeholders[core.key]
            problems.append(
                (
                    f"{core.label} steht mehrfach im Bericht (zuerst in {doc2path(first_doc)}:{first['line']}).",
                    BnkWarning.CORE_INDICATOR,
                    location,
                )
            )
        else:
            placeholders[core.key] = (docname, record)
    by_chapter = {chapter.key: row for chapter, row in zip(catalogue.chapters, rows, strict=True)}
    result: list[CoreRow] = []
    for core in catalogue.core_indicators:
        aspect = catalogue.aspect(core.aspect)
        row = CoreRow(core.code, core.title, aspect.code if aspect else core.aspect, core.unit, STATUS_MISSING)
        place = placeholders.get(core.key)
        if core.key in shown:
            docname, record = shown[core.key]
            row.status, row.docname, row.anchor, row.indicator = (
                STATUS_REPORTED,
                docname,
                record["anchor"],
                record["id"],
            )
            if place is not None:
                problems.append(
                    (
                        f"{core.label} wird schon von Indikator „{record['id']}“ gezeigt; "
                        "bitte diesen Block „bnk-kernindikator“ entfernen.",
                        BnkWarning.CORE_INDICATOR,
                        (place[0], place[1]["line"]),
                    )
                )
        elif place is not None and place[1]["has_body"]:
            row.status, row.docname, row.anchor, row.reason = (
                STATUS_EXPLAINED,
                place[0],
                place[1]["anchor"],
                place[1]["reason"],
            )
        else:
            # Located where the author will write it: its placeholder, else its aspect, else the start page.
            where: tuple[str, int | None] | str = root
            if place is not None:
                where = (place[0], place[1]["line"])
            elif aspect is not None and aspect.key in declared:
                where = (declared[aspect.key][0], declared[aspect.key][1]["line"])
            problems.append(
                (
                    f"{core.label} „{core.title}“ (Aspekt {row.aspect}) fehlt: weder mit einem Indikator "
                    f'gezeigt (Metadaten: kernindikator: "{core.code}") noch mit Begründung ausgelassen.',
                    BnkWarning.CORE_INDICATOR_MISSING,
                    where,
                )
            )
        result.append(row)
        if aspect is not None and aspect.chapter in by_chapter:
            by_chapter[aspect.chapter].core.append(row)
    return result
