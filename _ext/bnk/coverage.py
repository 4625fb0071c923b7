"""Comply-or-explain: compare what a report declares with the BNK catalogue (no Sphinx needed).

Used by the Sphinx domain on every build and by ``bnk check`` without a build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bnk.data.catalogue import normalise_aspect_number
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
    chapter: int
    status: str
    docname: str | None = None
    anchor: str | None = None
    reason: str = ""


@dataclass
class ChapterRow:
    """Coverage of one catalogue chapter in this report."""

    number: int
    label: str
    heading: str
    status: str
    docname: str | None = None
    anchor: str | None = None
    aspects_known: bool = True
    reason: str = ""
    aspects: list[AspectRow] = field(default_factory=list)


@dataclass
class Coverage:
    """The whole comply-or-explain picture, and the problems found on the way."""

    chapters: list[ChapterRow]
    problems: list[tuple[str, BnkWarning, tuple[str, int | None] | str]]

    def count(self, status: str) -> int:
        """Number of catalogue aspects with that status."""
        return sum(1 for c in self.chapters for a in c.aspects if a.status == status)

    @property
    def omitted_chapters(self) -> list[ChapterRow]:
        """Chapters omitted as a whole, with a reason."""
        return [c for c in self.chapters if c.status == STATUS_EXPLAINED]

    def summary(self) -> str:
        """The one-line summary printed at the end of every build."""
        line = (
            f"BNK-Vollständigkeit: {self.count(STATUS_REPORTED)} berichtet, "
            f"{self.count(STATUS_EXPLAINED)} begründet, {self.count(STATUS_MISSING)} fehlt"
        )
        omitted = self.omitted_chapters
        if omitted:
            line += "; begründet ausgelassen: " + ", ".join(c.label for c in omitted)
        return line


def resolve_title(titles: dict[str, str], number: str, default: str) -> str:
    """An aspect's title as the report words it (``bnk_aspect_titles``), else the catalogue's."""
    for key, value in titles.items():
        if normalise_aspect_number(key) == number:
            return value.strip()
    return default


def _sorted_records(data: dict[str, list[dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    return sorted(
        ((docname, record) for docname, records in data.items() for record in records),
        key=lambda item: (item[0], item[1]["line"] or 0),
    )


def compute_coverage(
    catalogue: Catalogue,
    data: dict[str, Any],
    titles: dict[str, str],
    doc2path: Callable[[str], str],
    root_doc: str | None,
) -> Coverage:
    """Status of every chapter and aspect, and every problem with its location."""
    problems: list[tuple[str, BnkWarning, tuple[str, int | None] | str]] = []

    # Which page declares which chapter.
    chapter_pages: dict[int, tuple[str, dict[str, Any]]] = {}
    for docname, record in _sorted_records(data["chapters"]):
        number = record["number"]
        if catalogue.chapter(number) is None:
            problems.append(
                (
                    f"Unbekanntes Kapitel {number}: nicht im BNK-Katalog ({catalogue.title}).",
                    BnkWarning.CHAPTER_UNKNOWN,
                    (docname, record["line"]),
                )
            )
            continue
        if number in chapter_pages:
            first_doc, first = chapter_pages[number]
            problems.append(
                (
                    f"{catalogue.chapter(number).label} ist doppelt erklärt "  # type: ignore[union-attr]
                    f"(zuerst in {doc2path(first_doc)}:{first['line']}).",
                    BnkWarning.CHAPTER_DUPLICATE,
                    (docname, record["line"]),
                )
            )
            continue
        if len(data["chapters"][docname]) > 1 and record is not data["chapters"][docname][0]:
            problems.append(
                (
                    "Eine Seite kann nur ein Kapitel enthalten; "
                    f"{catalogue.chapter(number).label} bitte auf eine eigene Seite.",  # type: ignore[union-attr]
                    BnkWarning.CHAPTER_DUPLICATE,
                    (docname, record["line"]),
                )
            )
            continue
        chapter_pages[number] = (docname, record)
        if record["omitted"] and not record["reason"].strip():
            problems.append(
                (
                    f"{catalogue.chapter(number).label} ist als nicht berichtet markiert, "  # type: ignore[union-attr]
                    "aber ohne Begründung. Bitte die Begründung in den Block schreiben.",
                    BnkWarning.REASON_MISSING,
                    (docname, record["omit_line"]),
                )
            )

    # Which aspect stands where.
    page_chapter = {docname: records[0]["number"] for docname, records in data["chapters"].items() if records}
    declared: dict[str, tuple[str, dict[str, Any]]] = {}
    for docname, record in _sorted_records(data["aspects"]):
        location = (docname, record["line"])
        number = record["number"]
        aspect = catalogue.aspect(number) if number else None
        if aspect is None:
            malformed = normalise_aspect_number(record["raw"]) is None
            problems.append(
                (
                    f"„{record['raw']}“ ist keine Aspektnummer (erwartet z. B. „10.1“)."
                    if malformed
                    else f"Unbekannter Aspekt {record['raw']!r}: nicht im BNK-Katalog ({catalogue.title}).",
                    BnkWarning.ASPECT_UNKNOWN,
                    location,
                )
            )
            continue
        if number in declared:
            first_doc, first = declared[number]
            problems.append(
                (
                    f"Aspekt {number} ist doppelt vorhanden (zuerst in {doc2path(first_doc)}:{first['line']}).",
                    BnkWarning.ASPECT_DUPLICATE,
                    location,
                )
            )
            continue
        declared[number] = (docname, record)
        home = catalogue.chapter(aspect.chapter)
        if page_chapter.get(docname) != aspect.chapter:
            where = (
                f"steht aber auf der Seite von {catalogue.chapter(page_chapter[docname]).label}"  # type: ignore[union-attr]
                if docname in page_chapter and catalogue.chapter(page_chapter[docname])
                else "steht aber auf einer Seite ohne Kapitelangabe"
            )
            problems.append(
                (
                    f"Aspekt {number} gehört zu {home.label}, {where}.",  # type: ignore[union-attr]
                    BnkWarning.ASPECT_MISPLACED,
                    location,
                )
            )
        if record["omitted"] and not record["has_body"]:
            problems.append(
                (
                    f"Aspekt {number} ist als nicht berichtet markiert (:omitted:), aber ohne "
                    "Begründung. Bitte die Begründung als Inhalt des Blocks schreiben.",
                    BnkWarning.REASON_MISSING,
                    location,
                )
            )
        elif not record["omitted"] and not record["has_body"]:
            problems.append(
                (
                    f"Aspekt {number} hat keinen Inhalt. Bitte berichten oder mit :omitted: und "
                    "einer Begründung als nicht berichtet kennzeichnen.",
                    BnkWarning.ASPECT_EMPTY,
                    location,
                )
            )

    # Status per chapter and aspect, and what is missing.
    rows: list[ChapterRow] = []
    for chapter in catalogue.chapters:
        page = chapter_pages.get(chapter.number)
        docname, record = page if page else (None, None)  # type: ignore[assignment]
        omitted = bool(record and record["omitted"])
        if omitted:
            status = STATUS_EXPLAINED if record["reason"].strip() else STATUS_MISSING  # type: ignore[index]
        else:
            status = STATUS_REPORTED if page else STATUS_MISSING
        if page is not None and not omitted and not chapter.aspects and not record.get("has_content", True):  # type: ignore[union-attr]
            # No catalogue aspects to report (e.g. Handlungsfeld 15 in BNK 2021): the chapter
            # must hold reported content or be omitted with a reason.
            status = STATUS_MISSING
            problems.append(
                (
                    f"{chapter.label} hat keinen Inhalt: der Katalog nennt hier keine Aspekte, also bitte "
                    "das Kapitel berichten oder mit „bnk-chapter-omitted“ und einer Begründung auslassen.",
                    BnkWarning.CHAPTER_EMPTY,
                    (docname, record["line"]),  # type: ignore[index]
                )
            )
        row = ChapterRow(
            chapter.number,
            chapter.label,
            chapter.heading,
            status,
            docname,
            chapter.anchor if page else None,
            chapter.aspects_known,
            record["reason"] if record else "",
        )
        if page is None:
            problems.append(
                (
                    f"Kapitelseite fehlt: keine Seite erklärt {chapter.heading} "
                    f"(Zeile „# {{bnk-heading}}`{chapter.number:02d}`“).",
                    BnkWarning.CHAPTER_MISSING,
                    (root_doc, None) if root_doc else "",
                )
            )
        for aspect in chapter.aspects:
            title = resolve_title(titles, aspect.number, aspect.title)
            found = declared.get(aspect.number)
            if found:
                a_doc, a_record = found
                empty = not a_record["has_body"]
                a_status = STATUS_EXPLAINED if a_record["omitted"] else STATUS_REPORTED
                if empty:
                    a_status = STATUS_MISSING
                row.aspects.append(
                    AspectRow(
                        aspect.number,
                        title,
                        chapter.number,
                        a_status,
                        a_doc,
                        a_record["anchor"],
                        a_record.get("reason", ""),
                    )
                )
            elif omitted:
                row.aspects.append(
                    AspectRow(aspect.number, title, chapter.number, status, docname, chapter.anchor, row.reason)
                )
            else:
                row.aspects.append(AspectRow(aspect.number, title, chapter.number, STATUS_MISSING))
                if page is not None:
                    problems.append(
                        (
                            f"Aspekt {aspect.number} „{title}“ fehlt: weder berichtet noch mit Begründung ausgelassen.",
                            BnkWarning.ASPECT_MISSING,
                            (docname, record["line"]),  # type: ignore[index]
                        )
                    )
        rows.append(row)
    return Coverage(rows, problems)
