"""Indicator CSV files (Open SDG style): year first, value last, optional series columns between."""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import pandas as pd

from bnk.data import BnkDataError

MAX_ROWS = 10_000
MAX_ABS_VALUE = Decimal("1e15")
_MACHINE_NUMBER = re.compile(r"^[+-]?(\d+(\.\d+)?|\.\d+)$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d{1,3}(\.\d{3})*,\d+$|^[+-]?\d+,\d+$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}((\.\d{3}){2,}|('\d{3})+)$")


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
    if not re.fullmatch(r"\d{4}", raw):
        raise BnkDataError(
            f"„{raw}“ ist kein Jahr (Spalte „year“): erwartet eine vierstellige ganze Zahl.",
            path,
            line,
            "year",
        )
    return int(raw)


MAX_PROBLEMS = 20


def import_hint(path: str) -> str:
    """The command that turns a German-Excel CSV into the machine format (in place)."""
    file = Path(path)
    return f"Umwandeln ins Maschinenformat: bnk import tabelle data/{file.name} --id {file.stem} --force"


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


def _sniff_problems(text: str, path: str, problems: list[BnkDataError]) -> tuple[str, str]:
    """Problems of the file as a whole; returns the text (without BOM) and the separator to read on."""
    german = []
    if text.startswith("\ufeff"):
        problems.append(
            BnkDataError(
                "Die Datei beginnt mit einer Byte-Order-Mark (BOM); bitte als UTF-8 ohne BOM speichern.", path, 1
            )
        )
        german.append("BOM")
        text = text[1:]
    if not text.strip():
        raise BnkDataError("Die CSV-Datei ist leer.", path, 1)
    header = text.splitlines()[0]
    sep = ","
    if ";" in header and "," not in header:
        german.append("Semikolon")
        # Read on with ";" so that the rows' own problems (decimal commas …) come in the same round.
        sep = ";"
        problems.append(
            BnkDataError(
                "Trennzeichen ist das Semikolon; bitte Komma als Trennzeichen verwenden. "
                f"Die Datei sieht aus wie aus deutschem Excel gespeichert. {import_hint(path)}.",
                path,
                1,
            )
        )
    return text, sep


def _check_field_counts(text: str, path: str, sep: str, problems: list[BnkDataError]) -> bool:
    """Rows with more or fewer fields than the header, with a hint at the usual cause.

    :returns: whether all rows fit the header (only then can the rows be read as a table)
    """
    reader = csv.reader(text.splitlines(), delimiter=sep)
    header: list[str] | None = None
    fits = True
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = row
            continue
        if len(row) == len(header):
            continue
        fits = False
        hint = ""
        if len(row) == len(header) + 1 and row[-2].strip().lstrip("+-").isdigit() and row[-1].strip().isdigit():
            number = f"{row[-2].strip()},{row[-1].strip()}"
            hint = (
                f" Steht hier ein Dezimalkomma („{number}“)? In der CSV-Datei gilt der Dezimalpunkt, "
                f"z. B. „{number.replace(',', '.')}“."
            )
        problems.append(BnkDataError(f"Zeile hat {len(row)} Felder, die Kopfzeile {len(header)}.{hint}", path, line))
    return fits


@lru_cache(maxsize=512)
def _load_cached(path: str, mtime_ns: int, size: int) -> IndicatorData:
    return _parse(path)


def load_indicator_csv(path: str | Path) -> IndicatorData:
    """Read and validate an indicator CSV.

    :param path: the CSV file
    :raises BnkDataError: with line (and column) of the first problem
    """
    path = str(path)
    try:
        stat = Path(path).stat()
    except OSError as exc:
        raise BnkDataError(f"CSV-Datei nicht gefunden: {path}", path) from exc
    return _load_cached(path, stat.st_mtime_ns, stat.st_size)


def _parse(path: str) -> IndicatorData:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = Path(path).read_bytes()[: exc.start].count(b"\n") + 1
        raise BnkDataError(
            f"Die Datei ist nicht in UTF-8 kodiert; bitte als UTF-8 speichern. {import_hint(path)}.", path, line
        ) from exc
    except OSError as exc:
        raise BnkDataError(f"CSV-Datei nicht lesbar: {exc}", path) from exc
    problems: list[BnkDataError] = []
    text, sep = _sniff_problems(text, path, problems)
    if not _check_field_counts(text, path, sep, problems):
        raise CsvFileError(problems)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
            nrows=MAX_ROWS + 1,
        )
    except (pd.errors.ParserError, csv.Error, ValueError) as exc:
        match = re.search(r"line (\d+)", str(exc))
        problems.append(BnkDataError(f"CSV-Datei nicht lesbar: {exc}", path, int(match[1]) if match else None))
        raise CsvFileError(problems) from exc
    columns = [str(c).strip() for c in frame.columns]
    if len(columns) < 2 or columns[0] != "year" or columns[-1] != "value":
        problems.append(
            BnkDataError(
                f"Kopfzeile muss mit „year“ beginnen und mit „value“ enden (gefunden: {', '.join(columns)}).",
                path,
                1,
            )
        )
        raise CsvFileError(problems)
    if frame.empty:
        problems.append(BnkDataError("Die CSV-Datei enthält nur die Kopfzeile, keine Daten.", path, 1))
        raise CsvFileError(problems)
    if len(frame) > MAX_ROWS:
        problems.append(
            BnkDataError(f"Mehr als {MAX_ROWS} Datenzeilen: das ist keine Indikatorzeitreihe.", path, MAX_ROWS + 2)
        )
        raise CsvFileError(problems)
    series_columns = columns[1:-1]
    # Physical line of each data row (blank lines are skipped by pandas).
    physical = [i for i, line in enumerate(text.splitlines(), start=1) if line.strip()][1:]

    grouped: dict[str, list[tuple[int, Decimal, str, int]]] = {}
    for index, row in enumerate(frame.itertuples(index=False, name=None)):
        line = physical[index] if index < len(physical) else index + 2
        try:
            year = _check_year(row[0], path, line)
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
        name = " / ".join(str(v).strip() for v in row[1:-1] if str(v).strip())
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
        problems.append(BnkDataError("Keine Zeilen für die Kommune (Reihenspalten leer).", path, 2))
    if problems:
        # Sorted by line, so that an author works through the file from top to bottom.
        raise CsvFileError(sorted(problems, key=lambda p: p.line or 0))
    return IndicatorData(path, tuple(series_list))
