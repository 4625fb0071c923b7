"""General data tables (e.g. a survey per department): CSV + YAML column spec, validated."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bnk.data import BnkDataError
from bnk.data.csvdata import _check_number
from bnk.data.files import MAX_YAML_BYTES, CsvTable, cached, load_yaml, read_csv, read_text

if TYPE_CHECKING:
    from pathlib import Path

COLUMN_FIELDS = {"label", "values", "required", "type", "width"}


@dataclass(frozen=True)
class Column:
    """One column: its CSV name, header label, and what its cells may hold."""

    name: str
    label: str
    values: tuple[str, ...] = ()  # allowed values; empty = free text
    required: bool = False
    type: str = "text"  # "text" | "number"
    width: int | None = None  # relative column width (print layout)


@dataclass(frozen=True)
class Summary:
    """A sentence computed from the data: how many rows have ``value`` in ``column``."""

    column: str
    value: str
    text: str


@dataclass(frozen=True)
class TableData:
    """A validated data table."""

    title: str
    source: str
    description: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    summaries: tuple[Summary, ...]
    numbers: dict[tuple[int, int], Decimal]  # (row, column) -> value of number columns

    def count(self, column: str, value: str) -> int:
        """Rows whose ``column`` equals ``value``."""
        index = [c.name for c in self.columns].index(column)
        return sum(1 for row in self.rows if row[index] == value)


def _spec(meta_path: str) -> tuple[dict[str, Any], dict[str, int]]:
    text = read_text(meta_path, "Die Tabellenbeschreibung", MAX_YAML_BYTES)
    raw, _ = load_yaml(text, meta_path)
    if not isinstance(raw, dict):
        raise BnkDataError("Die Tabellenbeschreibung muss eine YAML-Zuordnung sein.", meta_path, 1)
    # Line of the first "name:" anywhere (column specs are nested under "columns").
    lines: dict[str, int] = {}
    for i, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"^\s*([A-Za-z_][\w-]*):", line)
        if match and match[1] not in lines:
            lines[match[1]] = i
    return raw, lines


def _columns(raw: dict[str, Any], path: str, lines: dict[str, int]) -> tuple[Column, ...]:
    columns = raw.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise BnkDataError("Pflichtfeld „columns“ fehlt (Spaltenname: Überschrift).", path, lines.get("columns", 1))
    result = []
    for name, spec in columns.items():
        line = lines.get(str(name), lines.get("columns", 1))
        spec = {"label": spec} if isinstance(spec, str) else spec  # noqa: PLW2901 - the short form
        if not isinstance(spec, dict) or not isinstance(spec.get("label"), str):
            raise BnkDataError(f"Spalte „{name}“ braucht eine Überschrift („label“).", path, line)
        unknown = set(spec) - COLUMN_FIELDS
        if unknown:
            raise BnkDataError(f"Spalte „{name}“: unbekanntes Feld „{sorted(unknown)[0]}“.", path, line)
        values = spec.get("values") or []
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise BnkDataError(f"Spalte „{name}“: „values“ muss eine Liste von Texten sein.", path, line)
        kind = spec.get("type", "text")
        if kind not in ("text", "number"):
            raise BnkDataError(f"Spalte „{name}“: „type“ ist text oder number.", path, line)
        width = spec.get("width")
        if width is not None and (isinstance(width, bool) or not isinstance(width, int) or not 1 <= width <= 100):
            raise BnkDataError(f"Spalte „{name}“: „width“ ist eine ganze Zahl von 1 bis 100.", path, line)
        result.append(Column(str(name), spec["label"], tuple(values), bool(spec.get("required")), kind, width))
    return tuple(result)


def _summaries(
    raw: dict[str, Any], columns: tuple[Column, ...], path: str, lines: dict[str, int]
) -> tuple[Summary, ...]:
    entries = raw.get("summary") or []
    line = lines.get("summary", 1)
    if not isinstance(entries, list):
        raise BnkDataError("„summary“ muss eine Liste sein.", path, line)
    names = {c.name for c in columns}
    result = []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("column") not in names or not isinstance(entry.get("text"), str):
            raise BnkDataError(
                "Jede Zusammenfassung braucht „column“ (eine Spalte der Tabelle), „value“ und „text“.",
                path,
                line,
            )
        result.append(Summary(entry["column"], str(entry.get("value", "")), entry["text"]))
    return tuple(result)


def load_rows(
    csv_path: str, columns: tuple[Column, ...]
) -> tuple[tuple[tuple[str, ...], ...], dict[tuple[int, int], Decimal]]:
    """Read a CSV whose header must be exactly ``columns``; validate every cell.

    :raises BnkDataError: located at the first problem (line, column)
    """
    return check_rows(read_csv(csv_path), columns)


def check_rows(
    table: CsvTable, columns: tuple[Column, ...]
) -> tuple[tuple[tuple[str, ...], ...], dict[tuple[int, int], Decimal]]:
    """Validate the rows of a CSV already read against ``columns`` (see :func:`load_rows`)."""
    csv_path = table.path
    header = [c.strip() for c in table.header]
    expected = [c.name for c in columns]
    if header != expected:
        raise BnkDataError(
            f"Kopfzeile passt nicht zur Beschreibung: erwartet {', '.join(expected)}; gefunden {', '.join(header)}.",
            csv_path,
            table.header_line,
        )
    if not table.rows:
        raise BnkDataError("Die CSV-Datei enthält nur die Kopfzeile, keine Daten.", csv_path, table.header_line)
    rows: list[tuple[str, ...]] = []
    numbers: dict[tuple[int, int], Decimal] = {}
    for r, (line, row) in enumerate(table.rows):
        # Allowed values match regardless of case ("Umgesetzt" is "umgesetzt"); the table shows
        # the catalogue's spelling.
        cells = tuple(_canonical(v.strip(), column) for v, column in zip(row, columns, strict=True))
        for c, (column, cell) in enumerate(zip(columns, cells, strict=True)):
            if column.required and not cell:
                raise BnkDataError(
                    f"Leerer Wert in Spalte „{column.name}“ (Pflichtspalte).", csv_path, line, column.name
                )
            if column.values and cell not in column.values:
                close = difflib.get_close_matches(cell.casefold(), [v.casefold() for v in column.values], n=1)
                guess = next((v for v in column.values if close and v.casefold() == close[0]), None)
                hint = f" Gemeint ist wohl „{guess}“?" if guess else ""
                raise BnkDataError(
                    f"„{cell}“ ist in Spalte „{column.name}“ nicht erlaubt; erlaubt: {', '.join(column.values)}.{hint}",
                    csv_path,
                    line,
                    column.name,
                )
            if column.type == "number" and cell:
                numbers[(r, c)] = _check_number(cell, csv_path, line, column.name)
        rows.append(cells)
    return tuple(rows), numbers


def _canonical(cell: str, column: Column) -> str:
    """The allowed value a cell names, in the spelling of the description (case-insensitive)."""
    if column.values and cell not in column.values:
        return next((v for v in column.values if v.casefold() == cell.casefold()), cell)
    return cell


@cached(files=2, maxsize=64)
def load_table(csv_path: str | Path, meta_path: str | Path) -> TableData:
    """Read and validate a data table (cached by the files' path, size and mtime).

    :raises BnkDataError: located at the first problem
    """
    csv_path, meta_path = str(csv_path), str(meta_path)
    raw, lines = _spec(meta_path)
    columns = _columns(raw, meta_path, lines)
    summaries = _summaries(raw, columns, meta_path, lines)
    rows, numbers = load_rows(csv_path, columns)
    return TableData(
        title=str(raw.get("title", "")),
        source=str(raw.get("source", "")),
        description=str(raw.get("description", "")),
        columns=columns,
        rows=rows,
        summaries=summaries,
        numbers=numbers,
    )


_PLACEHOLDER = re.compile(r"\{(count|total|percent)\}")


def summary_text(table: TableData, template: str, column: str, value: str) -> str:
    """Fill ``{count}``, ``{total}`` and ``{percent}`` with German numbers (Babel).

    The template is data, never a format string: any other ``{…}`` stays as written (no
    ``str.format``, so ``{name}`` cannot fail and ``{0.__class__}`` cannot reach an object).
    """
    from babel.numbers import format_decimal, format_percent

    from bnk.data.numbers import LOCALE

    count = table.count(column, value)
    total = len(table.rows)
    filled = {
        "count": format_decimal(count, locale=LOCALE),
        "total": format_decimal(total, locale=LOCALE),
        "percent": format_percent(count / total if total else 0, format="#,##0\u00a0%", locale=LOCALE),
    }
    return _PLACEHOLDER.sub(lambda match: filled[match[1]], template)
