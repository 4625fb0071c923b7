"""A catalogue from the Kommune's table: ``bnk katalog import`` (no Sphinx here).

The Kommune types the catalogue of its edition (e.g. BNK 2.0 from the Handreichung) into a
workbook with the sheets ``Aspekte`` and ``Kernindikatoren``, or into two CSV files (German Excel
CSV accepted):

- ``Aspekte``: ``Gruppe``, ``Kapitel``, ``Kapiteltitel``, ``Leitfrage`` (of the chapter), ``Aspekt``,
  ``Aspekttitel``, optionally ``Aspektleitfrage``;
- ``Kernindikatoren``: ``Kernindikator``, ``Titel``, ``Aspekt``, ``Einheit``, ``Definition``,
  optionally ``SDG``.

Every problem of the table (missing column, formula, control character, a number where a code
belongs, duplicates, an aspect in two chapters, an indicator for an unknown aspect, empty titles,
mixed numbering, a sheet far too long) is collected with sheet, row and column; the catalogue is
checked by :func:`bnk.data.catalogue.assemble`, the same check a catalogue file gets.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bnk.data.catalogue import SCHEMA_PATH, Catalogue, assemble
from bnk.importers import BnkImportError, Problem
from bnk.importers.sheets import _excel_letter

ASPECT_SHEET = "Aspekte"
CORE_SHEET = "Kernindikatoren"
ASPECT_COLUMNS = ("Gruppe", "Kapitel", "Kapiteltitel", "Leitfrage", "Aspekt", "Aspekttitel")
ASPECT_OPTIONAL = ("Aspektleitfrage",)
CORE_COLUMNS = ("Kernindikator", "Titel", "Aspekt", "Einheit", "Definition")
CORE_OPTIONAL = ("SDG",)
REQUIRED_CELLS = {"Gruppe", "Kapitel", "Kapiteltitel", "Aspekt", "Aspekttitel", "Kernindikator", "Titel"}
CODE_COLUMNS = {"Kapitel", "Aspekt", "Kernindikator"}
MAX_ROWS = 2000  # a catalogue has about a hundred rows; more is a wrong sheet, read no further
MAX_BYTES = 2 * 1024 * 1024
MAX_CELL = 2000
EDITION_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,39}")

# Which table column holds which field of an entry (to locate a problem of the catalogue check).
ASPECT_FIELDS = {"code": "Aspekt", "title": "Aspekttitel", "chapter": "Kapitel", "question": "Aspektleitfrage"}
CHAPTER_FIELDS = {"code": "Kapitel", "title": "Kapiteltitel", "question": "Leitfrage", "group": "Gruppe"}
GROUP_FIELDS = {"id": "Gruppe", "title": "Gruppe"}
CORE_FIELDS = {"code": "Kernindikator", "title": "Titel", "aspect": "Aspekt", "unit": "Einheit"}


@dataclass
class Sheet:
    """The rows of one sheet or CSV file: cells by column name, with the row number and column label."""

    name: str  # "Aspekte" or the CSV file name
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # column name -> label ("C" or "3")
    skipped: int = 0  # empty rows

    def where(self, row: int | None, column: str | None = None) -> str:
        """E.g. ``Aspekte, Zeile 5, Spalte C (Aspekt)``."""
        text = self.name if row is None else f"{self.name}, Zeile {row}"
        if column and column in self.columns:
            text += f", Spalte {self.columns[column]} ({column})"
        elif column:
            text += f", Spalte {column}"
        return text


def _cell_text(value: Any, column: str, where: str, problems: list[Problem]) -> str:
    """A cell as text; a formula, a control character or a decimal number in a code column is a problem."""
    if value is None:
        return ""
    if isinstance(value, bool):
        problems.append(Problem(where, f"„{value}“ ist ein Wahrheitswert; erwartet wird Text."))
        return ""
    if isinstance(value, float):
        if column in CODE_COLUMNS and not value.is_integer():
            # Excel stored "10.10" as the number 10.1: the code is lost, so ask for text.
            problems.append(
                Problem(
                    where,
                    f"{value:g} ist als Zahl eingetragen; bitte die Zelle als Text formatieren "
                    "(sonst wird aus 10.10 10.1).",
                )
            )
            return ""
        value = int(value) if value.is_integer() else value
    if not isinstance(value, (str, int, float)):
        problems.append(Problem(where, f"Der Zellinhalt ({type(value).__name__}) ist kein Text."))
        return ""
    text = str(value).strip()
    if text.startswith("="):
        problems.append(Problem(where, "Die Zelle enthält eine Formel; bitte den Text selbst eintragen."))
        return ""
    if len(text) > MAX_CELL:
        problems.append(Problem(where, f"Der Text ist länger als {MAX_CELL} Zeichen."))
        return ""
    if any(unicodedata.category(c) in {"Cc", "Cf"} and c not in "\n\t" for c in text):
        problems.append(Problem(where, "Die Zelle enthält Steuerzeichen (unsichtbare Zeichen); bitte neu eintippen."))
        return ""
    return " ".join(text.split())


def _header(
    sheet: Sheet,
    header: list[Any],
    labels: list[str],
    required: tuple[str, ...],
    optional: tuple[str, ...],
    row: int,
    problems: list[Problem],
) -> dict[int, str]:
    """Which column index holds which known column; missing and doubled columns are problems."""
    found: dict[int, str] = {}
    for index, value in enumerate(header):
        name = str(value).strip() if value is not None else ""
        if name in required or name in optional:
            if name in sheet.columns:
                problems.append(
                    Problem(sheet.where(row, labels[index]), f"Die Spalte „{name}“ steht zweimal in der Kopfzeile.")
                )
                continue
            sheet.columns[name] = labels[index]
            found[index] = name
    missing = [name for name in required if name not in sheet.columns]
    if missing:
        names = ", ".join(f"„{m}“" for m in missing)
        problems.append(
            Problem(sheet.where(row), f"Es fehlen die Spalten {names} (Kopfzeile erwartet: {', '.join(required)}).")
        )
    return found


def _fill(
    sheet: Sheet,
    raw_rows: list[tuple[int, list[Any]]],
    labels: list[str],
    required: tuple[str, ...],
    optional: tuple[str, ...],
    problems: list[Problem],
) -> None:
    """Header = the first non-empty row; then every non-empty row as cells by column name."""
    rows = iter(raw_rows)
    for number, cells in rows:
        if any(c is not None and str(c).strip() for c in cells):
            found = _header(sheet, cells, labels, required, optional, number, problems)
            break
    else:
        problems.append(Problem(sheet.name, "Das Blatt ist leer (keine Kopfzeile)."))
        return
    for number, cells in rows:
        if not any(c is not None and str(c).strip() for c in cells):
            sheet.skipped += 1
            continue
        record = {
            name: _cell_text(cells[index] if index < len(cells) else None, name, sheet.where(number, name), problems)
            for index, name in found.items()
        }
        for index, value in enumerate(cells):
            if index not in found and value is not None and str(value).strip() and str(value).strip().startswith("="):
                problems.append(
                    Problem(
                        sheet.where(number, labels[index]),
                        "Die Zelle enthält eine Formel; bitte den Text selbst eintragen.",
                    )
                )
        sheet.rows.append((number, record))


def read_workbook(path: Path, problems: list[Problem]) -> tuple[Sheet | None, Sheet | None]:
    """The sheets ``Aspekte`` and ``Kernindikatoren`` of an ``.xlsx`` workbook (formulas kept as formulas)."""
    import zipfile

    import openpyxl

    from bnk.importers import check_archive, check_file_size

    try:
        check_file_size(path)
        with zipfile.ZipFile(path) as archive:  # a workbook is a ZIP: its sizes before openpyxl unpacks
            check_archive(path, archive)
    except BnkImportError as exc:
        problems.extend(exc.problems)
        return None, None
    except (zipfile.BadZipFile, OSError):
        pass  # not a ZIP: openpyxl says what it is not, below
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged or wrong file
        problems.append(Problem("", f"Die Arbeitsmappe lässt sich nicht lesen: {exc}"))
        return None, None
    try:
        sheets: list[Sheet | None] = []
        for name, required, optional in (
            (ASPECT_SHEET, ASPECT_COLUMNS, ASPECT_OPTIONAL),
            (CORE_SHEET, CORE_COLUMNS, CORE_OPTIONAL),
        ):
            if name not in book.sheetnames:
                if name == ASPECT_SHEET:
                    problems.append(
                        Problem("", f"Kein Tabellenblatt „{name}“; vorhanden: {', '.join(book.sheetnames)}.")
                    )
                sheets.append(None)
                continue
            sheet = Sheet(name)
            raw: list[tuple[int, list[Any]]] = []
            width = 0
            for number, row in enumerate(book[name].iter_rows(values_only=True), start=1):
                if number > MAX_ROWS + 1:
                    problems.append(
                        Problem(
                            name,
                            f"Das Blatt hat mehr als {MAX_ROWS} Zeilen; ein Katalog hat etwa hundert. "
                            "Bitte das richtige Blatt verwenden.",
                        )
                    )
                    break
                cells = list(row[:60])
                width = max(width, len(cells))
                raw.append((number, cells))
            _fill(sheet, raw, [_excel_letter(i) for i in range(max(width, 1))], required, optional, problems)
            sheets.append(sheet)
    finally:
        book.close()
    return sheets[0], sheets[1]


def read_csv_file(path: Path, problems: list[Problem]) -> Sheet | None:
    """One CSV file (``;`` or ``,``, UTF-8 or Windows-1252 as German Excel writes it)."""
    from bnk.importers.sheets import decode

    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            problems.append(
                Problem(
                    path.name, f"Die Datei ist größer als {MAX_BYTES // 1024 // 1024} MB; ein Katalog ist viel kleiner."
                )
            )
            return None
        text = decode(path.read_bytes(), path.name)
    except BnkImportError as exc:
        problems.extend(exc.problems)
        return None
    except OSError as exc:
        problems.append(Problem(path.name, f"Die Datei lässt sich nicht lesen: {exc.strerror or exc}."))
        return None
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (";", "\t", ",")}
    sep = max(counts, key=lambda s: counts[s]) if any(counts.values()) else ";"
    is_core = "Kernindikator" in [c.strip() for c in first.split(sep)]
    required, optional = (CORE_COLUMNS, CORE_OPTIONAL) if is_core else (ASPECT_COLUMNS, ASPECT_OPTIONAL)
    sheet = Sheet(path.name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    raw: list[tuple[int, list[Any]]] = []
    start = 1
    try:
        for row in reader:
            if len(raw) > MAX_ROWS:
                problems.append(
                    Problem(path.name, f"Die Datei hat mehr als {MAX_ROWS} Zeilen; ein Katalog hat etwa hundert.")
                )
                break
            raw.append((start, row[:60]))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(f"{path.name}, Zeile {reader.line_num}", f"Die CSV-Datei ist fehlerhaft: {exc}."))
    width = max((len(r) for _, r in raw), default=1)
    _fill(sheet, raw, [str(i + 1) for i in range(width)], required, optional, problems)
    sheet.name = path.name
    return sheet


def read_tables(paths: list[Path], problems: list[Problem]) -> tuple[Sheet | None, Sheet | None]:
    """The aspect and Kernindikator tables from one workbook or one or two CSV files."""
    if len(paths) == 1 and paths[0].suffix.lower() in (".xlsx", ".xlsm"):
        return read_workbook(paths[0], problems)
    if any(p.suffix.lower() not in (".csv", ".txt") for p in paths) or len(paths) > 2:
        problems.append(
            Problem("", "Erwartet eine .xlsx-Arbeitsmappe oder eine bzw. zwei CSV-Dateien (Aspekte, Kernindikatoren).")
        )
        return None, None
    aspects = core = None
    for path in paths:
        sheet = read_csv_file(path, problems)
        if sheet is None:
            continue
        if "Kernindikator" in sheet.columns:
            core = sheet
        else:
            aspects = sheet
    if aspects is None and not problems:
        problems.append(Problem("", "Keine Tabelle der Aspekte (Spalten Gruppe, Kapitel, …, Aspekt, Aspekttitel)."))
    return aspects, core


def _slug(text: str) -> str:
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def entries_from_tables(
    aspect_sheet: Sheet, core_sheet: Sheet | None, problems: list[Problem]
) -> tuple[list, list, list, list]:
    """Groups, chapters, aspects and Kernindikatoren as catalogue entries, each with its place."""
    groups: dict[str, dict[str, Any]] = {}
    chapters: dict[str, dict[str, Any]] = {}
    aspects: list[dict[str, Any]] = []
    for number, cells in aspect_sheet.rows:
        for column in ("Gruppe", "Kapitel", "Aspekt", "Aspekttitel"):
            where = aspect_sheet.where(number, column)
            # A cell refused as read (a formula, a control character) is not "empty" as well.
            if column in aspect_sheet.columns and not cells.get(column) and all(p.where != where for p in problems):
                problems.append(Problem(where, f"„{column}“ ist leer."))
        group_title = cells.get("Gruppe", "")
        if group_title and group_title not in groups:
            gid = _slug(group_title) or f"gruppe-{len(groups) + 1}"
            while any(g["id"] == gid for g in groups.values()):
                gid += "-2"
            groups[group_title] = {"id": gid, "title": group_title, "_pos": (aspect_sheet, number, GROUP_FIELDS)}
        code = cells.get("Kapitel", "")
        if code:
            chapter = chapters.get(code)
            if chapter is None:
                chapters[code] = {
                    "code": code,
                    "title": cells.get("Kapiteltitel", ""),
                    "question": cells.get("Leitfrage", ""),
                    "group": groups[group_title]["id"] if group_title in groups else "",
                    "_pos": (aspect_sheet, number, CHAPTER_FIELDS),
                    "_first": number,
                }
            else:
                # Later rows of a chapter may repeat its title, group and question, or leave them empty.
                for column, key in (("Kapiteltitel", "title"), ("Leitfrage", "question")):
                    value = cells.get(column, "")
                    if value and chapter[key] and value != chapter[key]:
                        problems.append(
                            Problem(
                                aspect_sheet.where(number, column),
                                f"Kapitel {code} hat hier einen anderen Eintrag in „{column}“ als in Zeile "
                                f"{chapter['_first']}.",
                            )
                        )
                    elif value and not chapter[key]:
                        chapter[key] = value
                gid = groups[group_title]["id"] if group_title in groups else ""
                if gid and gid != chapter["group"]:
                    problems.append(
                        Problem(
                            aspect_sheet.where(number, "Gruppe"),
                            f"Kapitel {code} steht hier in einer anderen Gruppe als in Zeile {chapter['_first']}.",
                        )
                    )
        aspects.append(
            {
                "code": cells.get("Aspekt", ""),
                "title": cells.get("Aspekttitel", ""),
                "question": cells.get("Aspektleitfrage", ""),
                "chapter": code,
                "_pos": (aspect_sheet, number, ASPECT_FIELDS),
            }
        )
    indicators: list[dict[str, Any]] = []
    for number, cells in core_sheet.rows if core_sheet else []:
        for column in ("Kernindikator", "Titel", "Aspekt"):
            if column in core_sheet.columns and not cells.get(column):  # type: ignore[union-attr]
                problems.append(Problem(core_sheet.where(number, column), f"„{column}“ ist leer."))  # type: ignore[union-attr]
        indicators.append(
            {
                "code": cells.get("Kernindikator", ""),
                "title": cells.get("Titel", ""),
                "aspect": cells.get("Aspekt", ""),
                "unit": cells.get("Einheit", ""),
                "definition": cells.get("Definition", ""),
                "sdg": cells.get("SDG", ""),
                "_pos": (core_sheet, number, CORE_FIELDS),
            }
        )
    group_list = [{"id": g["id"], "title": g["title"], "_pos": g["_pos"]} for g in groups.values()]
    return group_list, list(chapters.values()), aspects, indicators


def import_catalogue(paths: list[Path], edition_id: str, title: str = "") -> tuple[Catalogue, str]:
    """Read the table(s) and check everything; the catalogue and its TOML text.

    :raises BnkImportError: every problem, with sheet, row and column
    """
    label = ", ".join(p.name for p in paths)
    problems: list[Problem] = []
    if not EDITION_ID.fullmatch(edition_id):
        problems.append(
            Problem(
                "--ausgabe",
                f"{edition_id!r} taugt nicht als Kennung: Kleinbuchstaben, Ziffern, „.“, „-“, „_“, z. B. „bnk-2024“.",
            )
        )
    aspect_sheet, core_sheet = read_tables(paths, problems)
    if aspect_sheet is None or not aspect_sheet.columns.keys() >= set(ASPECT_COLUMNS):
        raise BnkImportError(label, problems or [Problem("", "Keine Aspekte gefunden.")])
    if core_sheet is not None and not core_sheet.columns.keys() >= set(CORE_COLUMNS):
        raise BnkImportError(label, problems)
    groups, chapters, aspects, indicators = entries_from_tables(aspect_sheet, core_sheet, problems)
    edition = {"id": edition_id, "title": title or f"Katalog {edition_id}", "_pos": (aspect_sheet, None, {})}
    catalogue, found = assemble(edition, groups, chapters, aspects, indicators, path=f"{edition_id}.toml")
    reported = {p.where + p.message for p in problems}
    for pos, key, message in found:
        if pos is None:
            where = "--ausgabe"
        else:
            sheet, row, columns = pos
            where = sheet.where(row, columns.get(key))
        # An empty cell is already reported as such; the catalogue check says it again in its words.
        if "fehlt oder ist leer" in message and any(where in r for r in reported):
            continue
        problems.append(Problem(where, message))
    if problems or catalogue is None:
        problems.sort(key=_order)
        raise BnkImportError(label, problems)
    return catalogue, dump_catalogue(catalogue, source=label)


def _order(problem: Problem) -> tuple[int, str, int, str]:
    match = re.match(r"(.*?), Zeile (\d+)(.*)", problem.where)
    if match is None:
        return (0, problem.where, 0, problem.message)
    return (1, match[1], int(match[2]), match[3])


def _toml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def dump_catalogue(catalogue: Catalogue, source: str = "") -> str:
    """The catalogue as a TOML file in the format :func:`bnk.data.catalogue.load_catalogue` reads."""
    lines = [
        f"#:schema {SCHEMA_PATH.name}",
        f"# Katalog {catalogue.edition}" + (f", übernommen aus {source} mit „bnk katalog import“." if source else "."),
        "# Prüfen: bnk katalog prüfen <diese Datei>. Änderungen am besten in der Tabelle und neu importieren.",
        "",
        "[edition]",
        f"id = {_toml(catalogue.edition)}",
        f"title = {_toml(catalogue.title)}",
    ]
    for group in catalogue.groups:
        lines += ["", "[[group]]", f"id = {_toml(group.id)}", f"title = {_toml(group.title)}"]
        lines += [f"chapter_label = {_toml(group.chapter_label)}", f"folder = {_toml(group.folder)}"]
    for chapter in catalogue.chapters:
        lines += ["", "[[chapter]]", f"code = {_toml(chapter.code)}", f"group = {_toml(chapter.group.id)}"]
        lines.append(f"title = {_toml(chapter.title)}")
        if chapter.question:
            lines.append(f"question = {_toml(chapter.question)}")
        for aspect in chapter.aspects:
            lines += ["", "[[chapter.aspect]]", f"code = {_toml(aspect.code)}", f"title = {_toml(aspect.title)}"]
            if aspect.question:
                lines.append(f"question = {_toml(aspect.question)}")
    for core in catalogue.core_indicators:
        aspect = catalogue.aspect(core.aspect)
        lines += ["", "[[core_indicator]]", f"code = {_toml(core.code)}", f"title = {_toml(core.title)}"]
        lines.append(f"aspect = {_toml(aspect.code if aspect else core.aspect)}")
        for key, value in (("unit", core.unit), ("definition", core.definition), ("sdg", core.sdg)):
            if value:
                lines.append(f"{key} = {_toml(value)}")
    return "\n".join(lines) + "\n"
