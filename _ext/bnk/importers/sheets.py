"""Spreadsheets from departments: ``.xlsx`` workbooks and CSV saved by German Excel.

Both become one grid of cells with the row number the author sees (Excel row, CSV line) and a
column label (Excel letter, CSV field number). The layout is recognised from the header row:
*long* (a ``Jahr`` column and a value column) or *wide* (years as column headers, one row per
series). Empty rows and footnote rows ("Quelle: …") are skipped; a "Quelle:" footnote becomes the
source in the metadata skeleton.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from bnk.importers import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    MISSING_MARKS,
    YEAR,
    BnkImportError,
    Imported,
    Point,
    Problem,
    check_archive,
    check_digits,
    check_file_size,
    check_table_size,
    parse_number,
)

_YEAR_THEN_SEPARATOR = re.compile(r"^(1[89]\d\d|2[01]\d\d)\s*[;,\t]")
YEAR_HEADERS = {"jahr", "year", "berichtsjahr", "zeit"}
VALUE_HEADERS = {"wert", "value", "anzahl", "werte"}
REGION_HEADERS = {"region", "gebiet", "reihe", "vergleich"}
FOOTNOTE = re.compile(r"^(quelle|anmerkung|hinweis|stand|fußnote|fussnote|\*|¹|²|³|\d\))", re.IGNORECASE)


@dataclass
class Grid:
    """The cells of a sheet (as read), the row number of each frame row and the column labels."""

    frame: pd.DataFrame
    rows: list[int]
    columns: list[str]
    decimal: str = ","

    def where(self, index: int, col: int) -> str:
        return f"Zeile {self.rows[index]}, Spalte {self.columns[col]}"


def _excel_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_xlsx(path: Path, sheet: str | None = None) -> Grid:
    """Read one sheet of a workbook with pandas (openpyxl engine), keeping Excel row numbers."""
    check_file_size(path)
    try:
        with zipfile.ZipFile(path) as archive:  # a workbook is a ZIP: its sizes before openpyxl unpacks
            check_archive(path, archive)
    except (zipfile.BadZipFile, OSError):
        pass  # not a ZIP: openpyxl says what it is not, below
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for a damaged or wrong file
        raise BnkImportError(str(path), [Problem("", f"Die Arbeitsmappe lässt sich nicht lesen: {exc}")]) from exc
    if sheet is None:
        name = next(iter(sheets))
    elif sheet in sheets:
        name = sheet
    else:
        raise BnkImportError(
            str(path), [Problem("", f"Kein Tabellenblatt „{sheet}“; vorhanden: {', '.join(map(str, sheets))}.")]
        )
    frame = sheets[name].reset_index(drop=True)
    check_table_size(str(path), *frame.shape)
    long_cells = [
        (r, c)
        for c, column in enumerate(frame.columns)
        for r, cell in enumerate(frame[column])
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS
    ]
    if long_cells:
        r, c = long_cells[0]
        raise BnkImportError(
            str(path),
            [Problem(f"Zeile {r + 1}, Spalte {_excel_letter(c)}", f"Zelle mit mehr als {MAX_CELL_CHARS} Zeichen.")],
        )
    uncached = _formulas_without_value(path, str(name), frame)
    if uncached:
        raise BnkImportError(
            str(path),
            [
                Problem(
                    f"Zeile {r}, Spalte {_excel_letter(c)}",
                    "Formel ohne gespeicherten Wert (die Datei wurde nicht von Excel berechnet und gespeichert); "
                    "bitte in Excel oder LibreOffice öffnen und speichern – sonst würde daraus eine Lücke.",
                )
                for r, c in uncached
            ],
        )
    # pandas keeps the sheet's rows from row 1 on (blank rows as NaN), so index + 1 is the Excel row.
    return Grid(frame, [i + 1 for i in range(len(frame))], [_excel_letter(i) for i in range(frame.shape[1])])


def _formulas_without_value(path: Path, sheet: str, frame: pd.DataFrame) -> list[tuple[int, int]]:
    """(Excel row, 0-based column) of each formula whose cached value is missing: pandas reads the
    cached values only, so such a cell would become a silent gap."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception:  # pandas has read it; a second reader's complaint is no news
        return []
    try:
        found = []
        for r, row in enumerate(book[sheet].iter_rows(values_only=True)):
            for c, cell in enumerate(row):
                if isinstance(cell, str) and cell.startswith("=") and r < frame.shape[0] and c < frame.shape[1]:
                    value = frame.iat[r, c]
                    if value is None or (isinstance(value, float) and pd.isna(value)):
                        found.append((r + 1, c))
        return found
    finally:
        book.close()


def decode(data: bytes, path: str) -> str:
    """German Excel writes UTF-8 with BOM or, in older versions, Windows-1252.

    :raises BnkImportError: for bytes that are neither (located at their line)
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BnkImportError(
            path, [Problem(f"Zeile {line}", "Die Datei ist weder UTF-8 noch Windows-1252 (ist es eine Textdatei?).")]
        ) from exc


def read_csv(path: Path) -> Grid:
    """Read a CSV as German Excel writes it (``;``, decimal comma, BOM, CRLF, ragged rows)."""
    check_file_size(path)
    text = decode(path.read_bytes(), str(path))
    # ";" or tab if at least half of the lines use it, else ",": not the first line's (a title
    # "Quote, Kreis X" above a ";" table made every data row one cell), and a decimal comma in
    # German numbers is no vote for ",".
    lines = [line for line in text.splitlines() if line.strip()]
    sep = next((c for c in (";", "\t") if 2 * sum(c in line for line in lines) >= len(lines) > 0), None)
    if sep is None:
        sep = "," if any("," in line for line in lines) else ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    cells, rows = [], []
    start = 1
    try:
        for row in reader:
            if len(cells) >= MAX_ROWS:
                check_table_size(str(path), len(cells) + 1, 0)
            if len(row) > MAX_COLUMNS:
                raise BnkImportError(
                    str(path),
                    [Problem(f"Zeile {start}", f"{len(row)} Spalten; gelesen werden höchstens {MAX_COLUMNS}.")],
                )
            cells.append(row)
            rows.append(start)  # the line a row starts on (a quoted newline spans lines)
            start = reader.line_num + 1
    except csv.Error as exc:  # a field longer than the csv module's limit, a NUL byte …
        raise BnkImportError(str(path), [Problem(f"Zeile {start}", f"nicht lesbar: {exc}.")]) from exc
    for row, line in zip(cells, rows, strict=True):
        for col, cell in enumerate(row):
            if len(cell) > MAX_CELL_CHARS:
                raise BnkImportError(
                    str(path),
                    [Problem(f"Zeile {line}, Spalte {col + 1}", f"Zelle mit mehr als {MAX_CELL_CHARS} Zeichen.")],
                )
    width = max((len(r) for r in cells), default=0)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in cells], dtype=object)
    # A comma-separated file with decimal points is already close to the machine format.
    decimal = "." if sep == "," else ","
    return Grid(frame, rows, [str(i + 1) for i in range(width)], decimal)


def _text(cell: Any) -> str:
    if cell is None or (isinstance(cell, float) and pd.isna(cell)):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _year(cell: Any) -> int | None:
    text = _text(cell)
    return int(text) if YEAR.match(text) else None


def _value(cell: Any, decimal: str) -> tuple[Decimal | None, str]:
    """(value, gap reason); raises ``ValueError`` for text that is neither a number nor a mark."""
    if isinstance(cell, bool):
        raise ValueError(f"„{cell}“ ist keine Zahl")
    if isinstance(cell, int):
        return check_digits(Decimal(cell), cell), ""
    if isinstance(cell, float):
        if pd.isna(cell):
            return None, MISSING_MARKS[""]
        return check_digits(
            Decimal(repr(cell)), cell
        ), ""  # repr: the shortest text that is this float (no binary tail)
    text = _text(cell)
    mark = MISSING_MARKS.get(text.lower())
    if mark is not None:
        return None, mark
    return parse_number(text, decimal), ""


def _other_separator(values: list[str]) -> bool:
    """A row read as one cell that starts with a year and another separator (``2021,9`` in a
    ``;`` file): a data row, not a footnote."""
    filled = [v for v in values if v]
    return len(filled) == 1 and bool(_YEAR_THEN_SEPARATOR.match(filled[0]))


def _is_footnote(values: list[str]) -> bool:
    filled = [v for v in values if v]
    return bool(filled) and ((len(filled) == 1 and values[0] != "") or bool(FOOTNOTE.match(filled[0])))


def import_sheet(
    grid: Grid,
    path: str,
    kommune_row: str | None = None,
    comparisons: dict[str, str] | None = None,
    value_column: str | None = None,
) -> Imported:
    """Turn a grid (long or wide layout) into points, collecting every problem.

    :param kommune_row: wide layout: label of the row with the Kommune's values
    :param comparisons: wide layout: ``{row label: series name}`` of comparison rows
    :param value_column: long layout: header of the value column
    """
    comparisons = comparisons or {}
    texts = [[_text(c) for c in row] for row in grid.frame.itertuples(index=False, name=None)]
    header_index = None
    for index, values in enumerate(texts):
        if sum(bool(YEAR.match(v)) for v in values) >= 2 or any(v.lower() in YEAR_HEADERS for v in values):
            header_index = index
            break
    if header_index is None:
        raise BnkImportError(
            path,
            [
                Problem(
                    "",
                    "Keine Kopfzeile gefunden: erwartet eine Spalte „Jahr“ (lang) "
                    "oder Jahreszahlen als Spalten (breit).",
                )
            ],
        )
    header = texts[header_index]
    year_columns = [i for i, v in enumerate(header) if YEAR.match(v)]
    sources = [
        " ".join(v for v in values if v) for values in texts[header_index + 1 :] if values and _is_footnote(values)
    ]
    if len(year_columns) >= 2:
        result = _wide(grid, texts, header_index, year_columns, path, kommune_row, comparisons)
    else:
        result = _long(grid, texts, header_index, path, value_column)
    # A single text above the header is the sheet's title ("Arbeitslosenquote Kreis Beispiel").
    titles = [v for values in texts[:header_index] for v in values if v]
    if len(titles) == 1 and not result.title:
        result.title = titles[0]
    source = next((s for s in sources if s.lower().startswith("quelle")), "")
    if source:
        result.source = source.split(":", 1)[1].strip() if ":" in source else source
    return result


def _wide(
    grid: Grid,
    texts: list[list[str]],
    header_index: int,
    year_columns: list[int],
    path: str,
    kommune_row: str | None,
    comparisons: dict[str, str],
) -> Imported:
    header = texts[header_index]
    label_col = next((i for i in range(year_columns[0]) if any(texts[r][i] for r in range(len(texts)))), 0)
    unit_col = next((i for i, v in enumerate(header) if v.lower() in {"einheit", "unit"}), None)
    problems: list[Problem] = []
    first_column: dict[str, int] = {}
    for c in year_columns:  # two columns "2020": which one holds the value is not knowable
        if header[c] in first_column:
            problems.append(
                Problem(
                    grid.where(header_index, c),
                    f"Jahr {header[c]} steht zweimal in der Kopfzeile (zuerst in Spalte "
                    f"{grid.columns[first_column[header[c]]]}).",
                )
            )
        first_column.setdefault(header[c], c)
    if problems:
        raise BnkImportError(path, problems)
    candidates: dict[str, int] = {}
    for index in range(header_index + 1, len(texts)):
        values = texts[index]
        if not any(values):
            continue
        if all(not values[c] for c in year_columns) or FOOTNOTE.match(values[label_col] or ""):
            continue  # a footnote or a title row, not a series
        label = values[label_col]
        if label in candidates:
            problems.append(Problem(grid.where(index, label_col), f"Die Reihe „{label}“ steht zweimal in der Tabelle."))
        candidates[label] = index
    if kommune_row is None and len(candidates) == 1:
        kommune_row = next(iter(candidates))
    wanted = {kommune_row: ""} if kommune_row is not None else {}
    wanted.update(comparisons)
    for label in wanted:
        if label not in candidates:
            available = ", ".join(f"„{c}“" for c in candidates) or "keine"
            problems.append(Problem("", f"Keine Zeile „{label}“ in der Tabelle; vorhandene Reihen: {available}."))
    if kommune_row is None:
        available = ", ".join(f"„{c}“" for c in candidates)
        problems.append(Problem("", f"Mehrere Reihen ({available}): bitte mit --reihe die Zeile der Kommune wählen."))
    # Wide → long with pandas: one row per (series, year), keeping the frame row for locations.
    chosen = [candidates[label] for label in wanted if label in candidates]
    frame = grid.frame.iloc[chosen, [label_col, *year_columns]].copy()
    frame.columns = ["label", *[header[c] for c in year_columns]]
    frame["row"] = chosen
    long = frame.melt(id_vars=["label", "row"], var_name="year", value_name="cell")
    points: list[Point] = []
    column_of = {header[c]: c for c in year_columns}
    for record in long.sort_values(["row", "year"]).itertuples(index=False):
        label = _text(record.label)
        try:
            value, gap = _value(record.cell, grid.decimal)
        except ValueError as exc:
            problems.append(Problem(grid.where(record.row, column_of[record.year]), f"{exc}."))
            continue
        points.append(Point(int(record.year), value, wanted[label], gap))
    if problems:
        raise BnkImportError(path, problems)
    unit = texts[candidates[kommune_row]][unit_col] if unit_col is not None and kommune_row in candidates else ""
    return Imported(points, title=kommune_row or "", unit=unit)


def _long(grid: Grid, texts: list[list[str]], header_index: int, path: str, value_column: str | None) -> Imported:
    header = [v.lower() for v in texts[header_index]]
    problems: list[Problem] = []
    year_col = next(i for i, v in enumerate(header) if v in YEAR_HEADERS)
    region_col = next((i for i, v in enumerate(header) if v in REGION_HEADERS), None)
    if value_column is not None:
        matches = [i for i, v in enumerate(texts[header_index]) if v == value_column]
        if not matches:
            raise BnkImportError(path, [Problem(f"Zeile {grid.rows[header_index]}", f"Keine Spalte „{value_column}“.")])
        value_col = matches[0]
    else:
        named = [i for i, v in enumerate(header) if v in VALUE_HEADERS]
        others = [i for i, v in enumerate(header) if v and i not in {year_col, region_col}]
        if named:
            value_col = named[0]
        elif len(others) == 1:
            value_col = others[0]
        else:
            names = ", ".join(f"„{texts[header_index][i]}“" for i in others)
            raise BnkImportError(
                path,
                [
                    Problem(
                        f"Zeile {grid.rows[header_index]}",
                        f"Welche Spalte ist der Wert? Bitte mit --spalte wählen: {names}.",
                    )
                ],
            )
    points: list[Point] = []
    seen: dict[tuple[str, int], int] = {}
    for index in range(header_index + 1, len(texts)):
        values = texts[index]
        if not any(values) or (_year(grid.frame.iat[index, year_col]) is None and _is_footnote(values)):
            if _other_separator(values):
                problems.append(
                    Problem(
                        f"Zeile {grid.rows[index]}",
                        f"„{values[0]}“ ist mit einem anderen Trennzeichen geschrieben als die übrigen Zeilen; "
                        "bitte angleichen (sonst ginge die Zeile verloren).",
                    )
                )
            continue
        year = _year(grid.frame.iat[index, year_col])
        if year is None:
            problems.append(Problem(grid.where(index, year_col), f"„{values[year_col]}“ ist kein Jahr."))
            continue
        region = values[region_col] if region_col is not None else ""
        if (region, year) in seen:
            problems.append(
                Problem(grid.where(index, year_col), f"Jahr {year} doppelt (zuerst in Zeile {seen[(region, year)]}).")
            )
            continue
        seen[(region, year)] = grid.rows[index]
        try:
            value, gap = _value(grid.frame.iat[index, value_col], grid.decimal)
        except ValueError as exc:
            problems.append(Problem(grid.where(index, value_col), f"{exc}."))
            continue
        points.append(Point(year, value, region, gap))
    if problems:
        raise BnkImportError(path, problems)
    return Imported(points)
