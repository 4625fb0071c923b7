"""Importers: the data Kommunen really have (Excel, German-Excel CSV, GENESIS, SDG-Portal) into the
machine format of ``data/<id>.csv`` plus a metadata skeleton.

No Sphinx here. Every reader collects *all* problems of its input (row and column) and raises one
:class:`BnkImportError` at the end, so an author fixes a file in one round, not one per problem.
Missing values and quality signs become documented gaps (a note in the metadata), never zeros.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import zipfile
    from pathlib import Path

# Marks for "no value" seen in department spreadsheets and official statistics.
MISSING_MARKS = {
    "": "leere Zelle",
    "-": "kein Wert („-“)",
    "–": "kein Wert („–“)",
    "—": "kein Wert („—“)",
    "k. a.": "keine Angabe („k. A.“)",
    "k.a.": "keine Angabe („k. A.“)",
    "n. v.": "nicht verfügbar („n. v.“)",
    "n.v.": "nicht verfügbar („n. v.“)",
    "...": "Angabe fällt später an („…“)",
    "…": "Angabe fällt später an („…“)",
}
# GENESIS quality signs (Destatis' ffcsv description, see docs/anleitung): a sign instead of a number.
QUALITY_SIGNS = {
    "-": "Qualitätszeichen „-“: nichts vorhanden",
    "x": "Qualitätszeichen „x“: nicht zutreffend oder geheim",
    ".": "Qualitätszeichen „.“: Zahlenwert unbekannt oder geheim",
    "/": "Qualitätszeichen „/“: keine Angabe, da nicht aussagekräftig",
    "...": "Qualitätszeichen „...“: Angabe fällt später an",
}
MAX_PROBLEMS = 20
# Limits of what an importer reads (README, "Grenzen der Eingabe"); more is refused with a message
# before it is read, so a 1 MB ZIP that inflates to 1 GiB costs no memory.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 1_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_ARCHIVE_BYTES = 128 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 1_000
MAX_CELL_CHARS = 10_000
MAX_DIGITS = 20  # significant digits of a value (more than any statistic has; 1e15 is the build's limit)
_GERMAN = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_ENGLISH = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
YEAR = re.compile(r"^(1[89]\d\d|2[01]\d\d)$")


@dataclass(frozen=True)
class Problem:
    """One problem of the input, with the place an author finds it at."""

    where: str  # e.g. "Zeile 5, Spalte C"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class BnkImportError(ValueError):
    """All problems of one input file (bounded by :data:`MAX_PROBLEMS` when shown)."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} Problem(e) in {path}")
        self.path = path
        self.problems = problems

    def lines(self) -> list[str]:
        """The problems as German lines, at most :data:`MAX_PROBLEMS`, then a count of the rest."""
        shown = [f"{self.path}: {p}" for p in self.problems[:MAX_PROBLEMS]]
        rest = len(self.problems) - MAX_PROBLEMS
        if rest > 0:
            shown.append(f"… und {rest} weitere Problem(e) in {self.path}.")
        return shown


@dataclass(frozen=True)
class Point:
    """One year of one series; ``value is None`` is a documented gap (``gap`` says why)."""

    year: int
    value: Decimal | None
    region: str = ""  # "" = the Kommune's own series
    gap: str = ""


@dataclass
class Imported:
    """What an importer read: the points and what it learned for the metadata skeleton."""

    points: list[Point]
    title: str = ""
    unit: str = ""
    source: str = ""
    source_url: str = ""
    table: str = ""
    direction: str = ""
    indicator_set: str = "eigene"
    notes: list[str] = field(default_factory=list)


def _mb(size: int) -> str:
    return f"{math.ceil(size / 1024 / 1024)} MB"


def check_file_size(path: Path) -> None:
    """Refuse an input file larger than :data:`MAX_FILE_BYTES` before reading it.

    :raises BnkImportError: the file is too large
    """
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise BnkImportError(
            str(path), [Problem("", f"Die Datei ist {_mb(size)} groß; gelesen werden höchstens {_mb(MAX_FILE_BYTES)}.")]
        )


def check_archive(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a ZIP (or xlsx) whose members would unpack to more than the limits, before unpacking.

    ``zipfile`` never returns more bytes than a member's declared size (a member that inflates
    further fails its check), so the declared sizes bound the memory.

    :raises BnkImportError: too many members, a member or all together too large
    """
    members = archive.infolist()
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise BnkImportError(
            str(path), [Problem("", f"Das Archiv enthält {len(members)} Dateien; erlaubt sind {MAX_ARCHIVE_MEMBERS}.")]
        )
    for info in members:
        if info.file_size > MAX_MEMBER_BYTES:
            raise BnkImportError(
                str(path),
                [
                    Problem(
                        info.filename,
                        f"entpackt {_mb(info.file_size)} groß; erlaubt sind höchstens {_mb(MAX_MEMBER_BYTES)} "
                        "(eine „ZIP-Bombe“ oder eine viel zu große Tabelle).",
                    )
                ],
            )
    total = sum(info.file_size for info in members)
    if total > MAX_ARCHIVE_BYTES:
        raise BnkImportError(
            str(path),
            [Problem("", f"Das Archiv entpackt {_mb(total)}; erlaubt sind höchstens {_mb(MAX_ARCHIVE_BYTES)}.")],
        )


def check_table_size(path: str, rows: int, columns: int) -> None:
    """Refuse a table with more rows or columns than the limits.

    :raises BnkImportError: too many rows or columns
    """
    if rows > MAX_ROWS:
        raise BnkImportError(
            path, [Problem("", f"Die Tabelle hat {rows} Zeilen; gelesen werden höchstens {MAX_ROWS}.")]
        )
    if columns > MAX_COLUMNS:
        raise BnkImportError(
            path, [Problem("", f"Die Tabelle hat {columns} Spalten; gelesen werden höchstens {MAX_COLUMNS}.")]
        )


def check_digits(value: Decimal, text: object) -> Decimal:
    """``value``, if it has at most :data:`MAX_DIGITS` significant digits, is finite and below the
    build's limit (:data:`bnk.data.csvdata.MAX_ABS_VALUE`): an import never writes a CSV the build
    refuses.

    :raises ValueError: German message (NaN, Infinity, a 5,000-digit number, 10^16)
    """
    from bnk.data.csvdata import MAX_ABS_VALUE

    if not value.is_finite():
        raise ValueError(f"„{text}“ ist keine endliche Zahl")
    if len(value.as_tuple().digits) > MAX_DIGITS or abs(value.adjusted()) > MAX_DIGITS:
        raise ValueError(
            f"„{str(text)[:30]}…“ hat mehr als {MAX_DIGITS} Stellen"
            if len(str(text)) > 30
            else f"„{text}“ hat mehr als {MAX_DIGITS} Stellen"
        )
    if abs(value) >= MAX_ABS_VALUE:
        # Also where Excel stores a float: 6.745576237947613e16 came back as 67455762379476128.
        raise ValueError(f"„{text}“ ist unplausibel groß (Beträge ab 10¹⁵ liest der Bau nicht)")
    return value


def check_values(imported: Imported, path: str) -> Imported:
    """``imported``, if it holds at least one value of the Kommune's own series: an import of only
    a header or only gaps would write an indicator without data (and, with ``--force``, empty an
    existing one); one with only comparison series a CSV the build refuses.

    :raises BnkImportError: no value at all, or none for the Kommune
    """
    if not any(p.value is not None for p in imported.points):
        gaps = len(imported.points)
        raise BnkImportError(
            path,
            [
                Problem(
                    "",
                    "Die Datei enthält keinen einzigen Wert"
                    + (f" ({gaps} Lücke(n) ohne Zahl)" if gaps else " (nur Kopfzeile oder leere Zeilen)")
                    + " – nichts zu übernehmen.",
                )
            ],
        )
    if not any(p.value is not None and not p.region for p in imported.points):
        regions = ", ".join(f"„{r}“" for r in sorted({p.region for p in imported.points if p.value is not None}))
        raise BnkImportError(
            path,
            [
                Problem(
                    "",
                    f"Die Datei enthält keinen Wert für die Kommune selbst, nur für {regions}: die Zeilen der "
                    "Kommune lassen die Spalte „Region“ leer (im breiten Format: --reihe).",
                )
            ],
        )
    return imported


def parse_number(text: str, decimal: str = ",") -> Decimal:
    """A number as a person or a statistics office writes it: ``1.234,5`` (German) or ``1,234.5``.

    :param decimal: the decimal mark of the file (``,`` German, ``.`` English)
    :raises ValueError: with a German message when the text is no number
    """
    raw = text.strip().replace("\u00a0", "").replace(" ", "").replace("\u2212", "-")
    pattern, thousands = (_GERMAN, ".") if decimal == "," else (_ENGLISH, ",")
    if not pattern.match(raw):
        raise ValueError(f"„{text.strip()}“ ist keine Zahl")
    normal = raw.replace(thousands, "").replace(decimal, ".")
    try:
        return check_digits(Decimal(normal), text.strip())
    except InvalidOperation as exc:  # pragma: no cover - the patterns admit only valid decimals
        raise ValueError(f"„{text.strip()}“ ist keine Zahl") from exc


def machine_text(value: Decimal) -> str:
    """``Decimal`` → the CSV's machine format: decimal point, no exponent, no thousands mark."""
    text = format(value, "f")
    return "0" if text in {"-0", "+0"} else text


def gap_notes(points: list[Point], what: str = "") -> list[str]:
    """One metadata note per gap: which year, which series, and why there is no value."""
    notes = []
    for point in sorted((p for p in points if p.value is None), key=lambda p: (p.region, p.year)):
        series = f" ({point.region})" if point.region else ""
        notes.append(f"Kein Wert für {point.year}{series}{what} – {point.gap}. Die Lücke ist gewollt, kein Nullwert.")
    return notes
