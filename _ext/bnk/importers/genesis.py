"""GENESIS flat files (Destatis, Regionalstatistik, Landesdatenbank NRW).

The current "ffcsv" (a ZIP holding ``<table>_de_flat.csv``, ``;``-separated, English column names:
``time``, ``value``, ``value_unit``, ``value_variable_code``, ``value_variable_label``, ``value_q``
and per dimension ``N_variable_code`` / ``N_variable_attribute_code`` / ``…_label``) and the older
variant with German, table-specific headers (``Zeit``, ``1_Merkmal_Code``, ``1_Auspraegung_Code``,
``CODE__Label__Einheit`` and ``…__q``) are both normalised to the current shape with pandas, then
the Kommune is picked by its AGS and, optionally, the Land as a comparison series.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from bnk.importers import (
    QUALITY_SIGNS,
    BnkImportError,
    Imported,
    Point,
    Problem,
    check_archive,
    check_file_size,
    parse_number,
)
from bnk.importers.sheets import decode

TABLE_CODE = re.compile(r"\d{5}-\d{2}-\d{2}-\d+|\d{5}-\d{2}[A-Z]?-\d+")
_DIM = re.compile(r"^(\d+)_variable_attribute_code$")
_OLD_DIM = re.compile(r"^(\d+)_(Merkmal|Auspraegung)_(Code|Label)$")


def _read(path: Path) -> tuple[str, str]:
    """(text, inner file name) of a ffcsv ZIP or CSV."""
    check_file_size(path)
    if zipfile.is_zipfile(path):
        try:
            return _read_zip(path)
        except (zipfile.BadZipFile, OSError, RuntimeError) as exc:  # damaged or encrypted
            raise BnkImportError(str(path), [Problem("", f"Die ZIP-Datei lässt sich nicht lesen: {exc}")]) from exc
    return decode(path.read_bytes(), str(path)), path.name


def _read_zip(path: Path) -> tuple[str, str]:
    """The one ``<table>_de_flat.csv`` of a ffcsv ZIP."""
    with zipfile.ZipFile(path) as archive:
        check_archive(path, archive)
        members = [n for n in archive.namelist() if n.lower().endswith(".csv")]
        if len(members) != 1:
            raise BnkImportError(
                str(path), [Problem("", f"Die ZIP-Datei soll genau eine CSV-Datei enthalten, enthält {len(members)}.")]
            )
        return decode(archive.read(members[0]), str(path)), members[0]


def _normalise_old(frame: pd.DataFrame) -> pd.DataFrame:
    """The older German-header variant → the columns of the current ffcsv (one row per value)."""
    rename = {"Zeit": "time", "Statistik_Code": "statistics_code"}
    for column in frame.columns:
        match = _OLD_DIM.match(column)
        if match:
            number, kind, what = match.groups()
            rename[column] = f"{number}_variable_{'attribute_' if kind == 'Auspraegung' else ''}{what.lower()}"
    frame = frame.rename(columns=rename)
    value_columns = [c for c in frame.columns if "__" in c and not c.endswith("__q")]
    keep = [c for c in frame.columns if "__" not in c]
    parts = []
    for column in value_columns:
        code, _, rest = column.partition("__")
        label, _, unit = rest.partition("__")
        quality = next((c for c in frame.columns if c.endswith("__q") and c.startswith(f"{code}__")), None)
        part = frame[keep].copy()
        part["value"] = frame[column]
        part["value_q"] = frame[quality] if quality else ""
        part["value_variable_code"] = code
        part["value_variable_label"] = label.replace("_", " ")
        part["value_unit"] = unit
        parts.append(part)
    return pd.concat(parts, ignore_index=True) if parts else frame


def import_genesis(
    path: Path,
    ags: str,
    land: bool = False,
    land_name: str | None = None,
    variable: str | None = None,
    filters: dict[str, str] | None = None,
) -> Imported:
    """Read a GENESIS flat file and return the Kommune's series (and the Land's, if asked).

    :param ags: Amtlicher Gemeindeschlüssel of the Kommune, e.g. ``05370`` (a Kreis in NRW)
    :param land: also import the Land (the AGS' first two digits) as a comparison series
    :param variable: the value variable code (``value_variable_code``) when the table has several
    :param filters: ``{dimension variable code: attribute code}`` for the table's other dimensions
    """
    filters = filters or {}
    text, inner = _read(path)
    name = str(path)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise BnkImportError(name, [Problem("", f"Die Datei ist keine GENESIS-CSV: {exc}")]) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    frame["line"] = range(2, len(frame) + 2)  # header is line 1; ffcsv has no quoted newlines
    if "time" not in frame.columns and "Zeit" in frame.columns:
        frame = _normalise_old(frame)
    missing = [c for c in ("time", "value") if c not in frame.columns]
    if missing:
        raise BnkImportError(
            name, [Problem("Zeile 1", f"Keine GENESIS-Flatfile-CSV: Spalte(n) {', '.join(missing)} fehlen.")]
        )
    for column in ("value_q", "value_unit", "value_variable_code", "value_variable_label"):
        if column not in frame.columns:
            frame[column] = ""
    decimal = "." if "_en_" in inner else ","
    dims = sorted(int(m[1]) for c in frame.columns if (m := _DIM.match(c)))
    problems: list[Problem] = []

    wanted = {ags: ""}
    if land:
        wanted[ags[:2]] = land_name or ""
    regional = next((d for d in dims if frame[f"{d}_variable_attribute_code"].isin([ags]).any()), None)
    if regional is None:
        codes = sorted({v for d in dims for v in frame[f"{d}_variable_attribute_code"] if v.isdigit()})[:12]
        raise BnkImportError(
            name,
            [
                Problem(
                    "",
                    f"Der Schlüssel (AGS) {ags} kommt in der Datei nicht vor; "
                    f"vorhanden z. B.: {', '.join(codes) or 'keine'}.",
                )
            ],
        )
    code_col = f"{regional}_variable_attribute_code"
    rows = frame[frame[code_col].isin(list(wanted))].copy()
    if land and not (rows[code_col] == ags[:2]).any():
        problems.append(Problem("", f"Das Land (Schlüssel {ags[:2]}) steht nicht in der Datei; Vergleichsreihe fehlt."))
    if land and not wanted[ags[:2]]:
        label_col = f"{regional}_variable_attribute_label"
        labels = rows.loc[rows[code_col] == ags[:2], label_col] if label_col in rows.columns else []
        wanted[ags[:2]] = next(iter(labels), "") or "Land"

    variables = sorted(set(rows["value_variable_code"]))
    if variable is not None:
        if variable not in variables:
            problems.append(Problem("", f"Kein Merkmal „{variable}“; vorhanden: {', '.join(variables)}."))
        rows = rows[rows["value_variable_code"] == variable]
    elif len(variables) > 1:
        labels = dict(zip(rows["value_variable_code"], rows["value_variable_label"], strict=False))
        listed = ", ".join(f"{v} ({labels[v]})" for v in variables)
        problems.append(Problem("", f"Die Tabelle hat mehrere Merkmale: bitte mit --merkmal wählen: {listed}."))
    for dimension in dims:
        if dimension == regional:
            continue
        var_col, attr_col = f"{dimension}_variable_code", f"{dimension}_variable_attribute_code"
        code = next(iter(set(rows.get(var_col, pd.Series(dtype=str)))), "")
        if code in filters:
            rows = rows[rows[attr_col] == filters[code]]
            if rows.empty:
                problems.append(Problem("", f"Keine Zeilen mit {code} = {filters[code]}."))
            continue
        options = sorted(set(rows[attr_col]))
        if len(options) > 1:
            problems.append(
                Problem(
                    "",
                    f"Merkmal {code} hat mehrere Ausprägungen ({', '.join(options)}): "
                    f"bitte mit --filter {code}=… wählen.",
                )
            )
    if problems:
        raise BnkImportError(name, problems)

    points: list[Point] = []
    seen: dict[tuple[str, int], int] = {}
    for row in rows.sort_values("line").to_dict("records"):
        line = row["line"]
        match = re.search(r"(1[89]|2[01])\d\d", row["time"])
        if not match:
            problems.append(Problem(f"Zeile {line}, Spalte time", f"„{row['time']}“ enthält kein Jahr."))
            continue
        year = int(match[0])
        region = wanted[row[code_col]]
        if (region, year) in seen:
            problems.append(Problem(f"Zeile {line}", f"Jahr {year} doppelt (zuerst in Zeile {seen[(region, year)]})."))
            continue
        seen[(region, year)] = line
        raw, quality = row["value"].strip(), row["value_q"].strip()
        sign = raw if raw in QUALITY_SIGNS else quality if raw == "" and quality in QUALITY_SIGNS else None
        if sign is not None:
            points.append(Point(year, None, region, QUALITY_SIGNS[sign]))
            continue
        if raw == "":
            points.append(Point(year, None, region, "leeres Feld ohne Qualitätszeichen"))
            continue
        try:
            points.append(Point(year, parse_number(raw, decimal), region))
        except ValueError as exc:
            problems.append(Problem(f"Zeile {line}, Spalte value", f"{exc}."))
    if problems:
        raise BnkImportError(name, problems)
    table_codes = sorted(set(rows.get("statistics_code", pd.Series(dtype=str))) - {""})
    found = TABLE_CODE.search(inner)
    table = found[0] if found else (table_codes[0] if table_codes else "")
    first = rows.iloc[0] if not rows.empty else None
    unit = str(first["value_unit"]) if first is not None else ""
    notes = []
    base = re.fullmatch(r"(\d{4})\s*=\s*100", unit)
    if base:  # an index "2020=100": the unit is the index, its base year a note
        unit = "Index"
        notes.append(f"Index, Basisjahr {base[1]} = 100.")
    return Imported(
        points,
        title=str(first["value_variable_label"]) if first is not None else "",
        unit=unit,
        source="Statistische Ämter des Bundes und der Länder (GENESIS)",
        table=table,
        notes=notes,
    )
