"""Indicator CSV files (Open SDG style): year first, value last, optional series columns between."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from bnk.data import BnkDataError
from bnk.data.files import cached, import_hint, read_csv

if TYPE_CHECKING:
    from pathlib import Path

MAX_ROWS = 10_000
MIN_YEAR, MAX_YEAR = 1800, 2199  # as the importers (bnk.importers.YEAR)
MAX_ABS_VALUE = Decimal("1e15")
# re.ASCII: "\d" is 0-9 only; Arabic-Indic or superscript digits are no numbers of the report.
_MACHINE_NUMBER = re.compile(r"^[+-]?(\d+(\.\d+)?|\.\d+)\Z", re.ASCII)
_DECIMAL_COMMA = re.compile(r"^[+-]?\d{1,3}(\.\d{3})*,\d+\Z|^[+-]?\d+,\d+\Z", re.ASCII)
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}((\.\d{3}){2,}|('\d{3})+)\Z", re.ASCII)


@dataclass(frozen=True)
class Series:
    """One series of an indicator: the Kommune's own (``name == ""``) or e.g. the Land's."""

    name: str
    years: tuple[int, ...]
    values: tuple[Decimal, ...]
    texts: tuple[str, ...]  # the values as written in the CSV (for their decimals)
    lines: tuple[int, ...]  # the CSV line of each value


@dataclass(frozen=True)
class IndicatorData:
    """All series of one indicator CSV."""

    path: str
    series: tuple[Series, ...]

    @property
    def headline(self) -> Series:
        """The Kommune's own series (rows with empty series columns)."""
        for series in self.series:
            if series.name == "":
                return series
        raise BnkDataError("Keine Zeilen für die Kommune (Reihenspalten leer).", self.path, 1)

    @property
    def others(self) -> tuple[Series, ...]:
        """Comparison series, e.g. the Land average."""
        return tuple(s for s in self.series if s.name != "")


def _check_number(text: str, path: str, line: int, column: str) -> Decimal:
    raw = text.strip()
    if raw == "":
        raise BnkDataError(f"Leerer Wert in Spalte „{column}“.", path, line, column)
    if _DECIMAL_COMMA.match(raw):
        raise BnkDataError(
            f"Dezimalkomma in „{raw}“ (Spalte „{column}“): in der CSV-Datei gilt der Dezimalpunkt, "
            f"z. B. „{raw.replace('.', '').replace(',', '.')}“.",
            path,
            line,
            column,
        )
    if _THOUSANDS.match(raw):
        raise BnkDataError(
            f"Tausendertrennzeichen in „{raw}“ (Spalte „{column}“): bitte ohne Trennzeichen schreiben.",
            path,
            line,
            column,
        )
    if raw.lower() in {"nan", "inf", "-inf", "+inf", "infinity", "-infinity"}:
        raise BnkDataError(
            f"„{raw}“ ist keine Zahl (Spalte „{column}“); fehlende Jahre bitte weglassen.",
            path,
            line,
            column,
        )
    if not _MACHINE_NUMBER.match(raw):
        raise BnkDataError(f"„{raw}“ ist keine Zahl (Spalte „{column}“).", path, line, column)
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid decimals
        raise BnkDataError(f"„{raw}“ ist keine Zahl.", path, line, column) from exc
    if abs(value) >= MAX_ABS_VALUE or not math.isfinite(float(value)):
        raise BnkDataError(f"„{raw}“ ist unplausibel groß (Spalte „{column}“).", path, line, column)
    return value


def _check_year(text: str, path: str, line: int) -> int:
    raw = text.strip()
    if not re.fullmatch(r"[0-9]{4}", raw):
        raise BnkDataError(
            f"„{raw}“ ist kein Jahr (Spalte „year“): erwartet eine vierstellige ganze Zahl.",
            path,
            line,
            "year",
        )
    if not MIN_YEAR <= int(raw) <= MAX_YEAR:  # "0000" is four digits, but no year of a report
        raise BnkDataError(
            f"„{raw}“ ist kein plausibles Jahr (Spalte „year“): erwartet {MIN_YEAR} bis {MAX_YEAR}.",
            path,
            line,
            "year",
        )
    return int(raw)


MAX_PROBLEMS = 20
__all__ = ["CsvFileError", "IndicatorData", "Series", "import_hint", "load_indicator_csv"]


class CsvFileError(BnkDataError):
    """Every problem of one CSV file (at most :data:`MAX_PROBLEMS`); the first is the error itself,
    so code that reports one problem keeps working, and ``problems`` holds all of them."""

    def __init__(self, problems: list[BnkDataError]) -> None:
        first = problems[0]
        super().__init__(first.msg, first.path, first.line, first.column)
        self.problems = tuple(problems[:MAX_PROBLEMS])
        if len(problems) > MAX_PROBLEMS:
            rest = len(problems) - MAX_PROBLEMS
            self.problems += (BnkDataError(f"… und {rest} weitere Problem(e) in dieser Datei.", first.path, 1),)


@cached()
def load_indicator_csv(path: str | Path) -> IndicatorData:
    """Read and validate an indicator CSV (cached by path, size and mtime).

    :param path: the CSV file
    :raises BnkDataError: with line (and column) of the first problem; a :class:`CsvFileError`
        carries every problem of the file
    """
    return _parse(str(path))


def _parse(path: str) -> IndicatorData:
    problems: list[BnkDataError] = []
    try:
        table = read_csv(path, max_rows=MAX_ROWS, problems=problems)
    except BnkDataError as exc:
        if "UTF-8" in exc.msg:  # usually saved by German Excel: name the command that converts it
            raise BnkDataError(f"{exc.msg} {import_hint(path)}.", path, exc.line) from exc
        raise
    if any(p.msg.startswith("Zeile hat ") for p in problems):
        raise CsvFileError(problems)  # rows that do not fit the header: no table to check
    columns = [c.strip() for c in table.header]
    if len(columns) < 2 or columns[0] != "year" or columns[-1] != "value":
        problems.append(
            BnkDataError(
                f"Kopfzeile muss mit „year“ beginnen und mit „value“ enden (gefunden: {', '.join(columns)}).",
                path,
                table.header_line,
            )
        )
        raise CsvFileError(problems)
    twice = sorted({c for c in columns if columns.count(c) > 1})
    if twice:  # "year,value,value" would read the first "value" as a series name
        problems.append(
            BnkDataError(f"Spalte „{twice[0]}“ steht mehrfach in der Kopfzeile.", path, table.header_line, twice[0])
        )
        raise CsvFileError(problems)
    if not table.rows:
        problems.append(BnkDataError("Die CSV-Datei enthält nur die Kopfzeile, keine Daten.", path, table.header_line))
        raise CsvFileError(problems)
    series_columns = columns[1:-1]

    grouped: dict[str, list[tuple[int, Decimal, str, int]]] = {}
    for line, row in table.rows:
        try:
            year: int | None = _check_year(row[0], path, line)
        except BnkDataError as exc:
            problems.append(exc)
            year = None
        try:
            value = _check_number(row[-1], path, line, "value")
        except BnkDataError as exc:
            problems.append(exc)
            continue
        if year is None:
            continue
        name = " / ".join(v.strip() for v in row[1:-1] if v.strip())
        grouped.setdefault(name, []).append((year, value, row[-1].strip(), line))
    series_list = []
    for name in sorted(grouped, key=lambda n: (n != "", n)):
        rows = grouped[name]
        seen: dict[int, int] = {}
        previous = None
        for year, _, _, line in rows:
            if year in seen:
                label = f" (Reihe „{name}“)" if name else ""
                problems.append(
                    BnkDataError(f"Jahr {year} doppelt{label} (zuerst in Zeile {seen[year]}).", path, line, "year")
                )
            elif previous is not None and year < previous:
                problems.append(
                    BnkDataError(f"Jahre nicht aufsteigend sortiert: {year} nach {previous}.", path, line, "year")
                )
            seen.setdefault(year, line)
            previous = year
        series_list.append(
            Series(
                name,
                tuple(r[0] for r in rows),
                tuple(r[1] for r in rows),
                tuple(r[2] for r in rows),
                tuple(r[3] for r in rows),
            )
        )
    if series_columns and "" not in grouped and not problems:
        problems.append(BnkDataError("Keine Zeilen für die Kommune (Reihenspalten leer).", path, table.rows[0][0]))
    if problems:
        # Sorted by line, so that an author works through the file from top to bottom.
        raise CsvFileError(sorted(problems, key=lambda p: p.line or 0))
    return IndicatorData(path, tuple(series_list))
