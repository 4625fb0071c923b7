"""Bounded input: every importer refuses what exceeds the limits (README, „Grenzen der Eingabe“)
with a located German message, before it costs memory – and hostile values are problems, not
tracebacks."""

from __future__ import annotations

import json
import tracemalloc
import zipfile

import pytest
from bnk.importers import MAX_CELL_CHARS, MAX_COLUMNS, BnkImportError
from bnk.importers.genesis import import_genesis
from bnk.importers.sdgportal import import_sdg_portal
from bnk.importers.sheets import import_sheet, read_csv, read_xlsx

GIB = 1024**3


def _problems(call) -> list[str]:
    with pytest.raises(BnkImportError) as info:
        call()
    return info.value.lines()


def test_a_1_gib_zip_bomb_is_refused_within_100_mb(tmp_path):
    """Before: the member was read whole (2.1 GB of memory) before the CSV failed."""
    bomb = tmp_path / "12411-01-01-4.zip"
    chunk = bytes(16 * 1024 * 1024)
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("12411-01-01-4_de_flat.csv", "w", force_zip64=True) as member,
    ):
        for _ in range(GIB // len(chunk)):
            member.write(chunk)
    assert bomb.stat().st_size < 5 * 1024 * 1024
    tracemalloc.start()
    try:
        lines = _problems(lambda: import_genesis(bomb, "05370"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert lines == [
        f"{bomb}: 12411-01-01-4_de_flat.csv: entpackt 1024 MB groß; erlaubt sind höchstens 64 MB "
        "(eine „ZIP-Bombe“ oder eine viel zu große Tabelle)."
    ]
    assert peak < 100 * 1024 * 1024


def test_a_workbook_is_checked_like_a_zip(tmp_path):
    book = tmp_path / "mappe.xlsx"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(1001):
            archive.writestr(f"x/{i}.xml", "")
    assert _problems(lambda: read_xlsx(book)) == [f"{book}: Das Archiv enthält 1001 Dateien; erlaubt sind 1000."]


def test_a_file_larger_than_the_limit_is_not_read(tmp_path):
    big = tmp_path / "gross.csv"
    with big.open("wb") as f:
        f.truncate(65 * 1024 * 1024)  # sparse
    assert _problems(lambda: read_csv(big)) == [f"{big}: Die Datei ist 65 MB groß; gelesen werden höchstens 64 MB."]
    big.rename(tmp_path / "gross.json")
    assert _problems(lambda: import_sdg_portal(tmp_path / "gross.json")) == [
        f"{tmp_path / 'gross.json'}: Die Datei ist 65 MB groß; gelesen werden höchstens 64 MB."
    ]


def test_columns_cells_and_csv_fields_are_bounded(tmp_path):
    wide = tmp_path / "breit.csv"
    wide.write_text("Jahr;" + ";".join(["1"] * MAX_COLUMNS) + "\n", encoding="utf-8")
    assert _problems(lambda: read_csv(wide)) == [f"{wide}: Zeile 1: 1001 Spalten; gelesen werden höchstens 1000."]
    long = tmp_path / "lang.csv"
    long.write_text("Jahr;Wert\n2020;" + "x" * (MAX_CELL_CHARS + 1) + "\n", encoding="utf-8")
    assert _problems(lambda: read_csv(long)) == [f"{long}: Zeile 2, Spalte 2: Zelle mit mehr als 10000 Zeichen."]
    huge = tmp_path / "feld.csv"
    huge.write_text('Jahr;Wert\n2020;"' + "x" * 200_000 + '"\n', encoding="utf-8")
    [line] = _problems(lambda: read_csv(huge))
    assert line.startswith(f"{huge}: Zeile 2: nicht lesbar: field larger than field limit")


def test_values_with_too_many_digits_are_problems(tmp_path):
    sheet = tmp_path / "werte.csv"
    sheet.write_text("Jahr;Wert\n2020;" + "1" * 29 + "\n2021;0,000000000000000000000001\n", encoding="utf-8")
    lines = _problems(lambda: import_sheet(read_csv(sheet), str(sheet)))
    assert lines == [
        f"{sheet}: Zeile 2, Spalte 2: „11111111111111111111111111111“ hat mehr als 20 Stellen.",
        f"{sheet}: Zeile 3, Spalte 2: „0,000000000000000000000001“ hat mehr als 20 Stellen.",
    ]


@pytest.mark.parametrize(
    ("graphs", "problem"),
    [
        ([{"config": {}, "points": [[2020, "NaN"]]}], "graphs[0].points[0]: „NaN“ ist keine Zahl."),
        ([{"config": {}, "points": [[2020, float("inf")]]}], "graphs[0].points[0]: „Infinity“ ist keine Zahl."),
        ([{"config": {}, "points": [["Infinity", 1]]}], "graphs[0].points[0]: „Infinity“ ist kein Jahr."),
        (
            [{"config": {}, "points": [[2020, 10**5000]]}],
            "graphs[0].points[0]: „100000000000000000000000000000…“ hat mehr als 20 Stellen.",
        ),
        ([{"config": [], "points": [[2020, 1]]}], "graphs[0].config: ist kein Objekt."),
        ([{"config": {}, "points": {"2020": 1}}], "graphs[0].points: ist keine Liste."),
        ([{"config": {}, "points": [[2020.5, 1]]}], "graphs[0].points[0]: „2020.5“ ist kein Jahr."),
    ],
)
def test_sdg_portal_hostile_values_are_located_problems(tmp_path, graphs, problem):
    import sys

    source = tmp_path / "sdg.json"
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)  # only to write the 5,000-digit test file
    try:
        source.write_text(json.dumps({"graphs": graphs}), encoding="utf-8")
    finally:
        sys.set_int_max_str_digits(limit)
    lines = _problems(lambda: import_sdg_portal(source))
    assert any(line.startswith(f"{source}: {problem}") for line in lines), lines


def test_a_latin_1_page_is_a_located_warning_not_a_traceback(make_bnk_app):
    """Before: Sphinx aborted the build (and bnk check) with a UnicodeDecodeError."""
    from conftest import bnk_warnings_of

    def prepare(src):
        (src / "latin.md").write_bytes("# Seite\n\nStraße und Müll.\n".encode("latin-1"))
        with (src / "index.md").open("a", encoding="utf-8") as f:
            f.write("\n```{toctree}\nlatin\n```\n")

    app = make_bnk_app("basic", prepare=prepare)
    app.build()
    assert bnk_warnings_of(app) == [
        "<srcdir>/latin.md:3: WARNING: Die Seite ist nicht als UTF-8 gespeichert (erstes unlesbares Zeichen in "
        "Zeile 3, im Bericht als „\ufffd“); bitte im Editor mit der Kodierung UTF-8 speichern. [bnk.encoding]"
    ]
    assert "Stra\ufffde und M\ufffdll." in (app.outdir / "latin.html").read_text(encoding="utf-8")
    assert "Support for source encodings" not in app.warning.getvalue()


def test_a_row_with_another_separator_is_a_problem_not_a_dropped_footnote(tmp_path):
    """Before: "2021,9" in a ";" file was one cell, taken for a footnote and silently dropped."""
    sheet = tmp_path / "trenner.csv"
    sheet.write_text("Quote, Kreis Beispiel\r\nJahr;Wert\r\n2019;8,4\r\n2020;9,1\r\n2021,9\r\n", encoding="utf-8")
    assert _problems(lambda: import_sheet(read_csv(sheet), str(sheet))) == [
        f"{sheet}: Zeile 5: „2021,9“ ist mit einem anderen Trennzeichen geschrieben als die übrigen Zeilen; "
        "bitte angleichen (sonst ginge die Zeile verloren)."
    ]


def test_two_equal_year_columns_in_a_wide_sheet_are_a_problem(tmp_path):
    """Before: the CSV got the year twice."""
    sheet = tmp_path / "breit.csv"
    sheet.write_text("Region;2019;2020;2020\r\nKreis;1;2;3\r\n", encoding="utf-8")
    assert _problems(lambda: import_sheet(read_csv(sheet), str(sheet))) == [
        f"{sheet}: Zeile 1, Spalte 4: Jahr 2020 steht zweimal in der Kopfzeile (zuerst in Spalte 3)."
    ]


def test_year_0000_and_sdgs_0_are_located_errors(tmp_path):
    from bnk.data import BnkDataError
    from bnk.data.csvdata import load_indicator_csv
    from bnk.data.metadata import load_metadata

    data = tmp_path / "x.csv"
    data.write_text("year,value\n0000,1\n2020,2\n", encoding="utf-8")
    with pytest.raises(BnkDataError) as info:
        load_indicator_csv(data)
    assert [(p.msg, p.line) for p in info.value.problems] == [
        ("„0000“ ist kein plausibles Jahr (Spalte „year“): erwartet 1800 bis 2199.", 2)
    ]
    meta = tmp_path / "x.yaml"
    meta.write_text(
        "title: T\ndefinition: D\nunit: t\nsource: Q\nindicator_set: eigene\ndirection: lower\nsdgs: 0\n",
        encoding="utf-8",
    )
    with pytest.raises(BnkDataError) as info:
        load_metadata(meta, "x")
    assert (info.value.msg, info.value.line) == ("„sdgs“ muss eine Liste von SDG-Nummern 1 bis 17 sein.", 7)


def test_a_reversed_period_in_the_value_role_is_an_error():
    from bnk.data import BnkDataError
    from bnk.data.values import parse_reference

    assert parse_reference("emissionen:change_rel:2015-2019").years == (2015, 2019)
    with pytest.raises(BnkDataError) as info:
        parse_reference("emissionen:change_rel:2019-2015")
    assert info.value.msg == (
        "Zeitraum „2019-2015“ in „emissionen:change_rel:2019-2015“: das erste Jahr muss vor dem zweiten liegen."
    )


def test_a_column_twice_in_the_indicator_header_is_named(tmp_path):
    """Before: "year,value,value" read the first "value" as a series: "Keine Zeilen für die Kommune"."""
    from bnk.data import BnkDataError
    from bnk.data.csvdata import load_indicator_csv

    data = tmp_path / "x.csv"
    data.write_text("year,value,value\n2020,1,2\n", encoding="utf-8")
    with pytest.raises(BnkDataError) as info:
        load_indicator_csv(data)
    assert [(p.msg, p.line) for p in info.value.problems] == [("Spalte „value“ steht mehrfach in der Kopfzeile.", 1)]


def test_a_formula_without_a_cached_value_is_a_problem_not_a_gap(tmp_path):
    """openpyxl writes formulas without values (as do scripts); pandas read them as empty cells."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Jahr", "Wert"])
    sheet.append([2020, 5])
    sheet.append([2021, "=B2*2"])
    path = tmp_path / "formel.xlsx"
    book.save(path)
    assert _problems(lambda: read_xlsx(path)) == [
        f"{path}: Zeile 3, Spalte B: Formel ohne gespeicherten Wert (die Datei wurde nicht von Excel berechnet und "
        "gespeichert); bitte in Excel oder LibreOffice öffnen und speichern – sonst würde daraus eine Lücke."
    ]


@pytest.mark.parametrize(
    ("unit", "message"),
    [
        ("Euro je", "In der Einheit „Euro je“ fehlt, wonach geteilt wird (nach „je“)."),
        ("Euro je  ", "In der Einheit „Euro je“ fehlt, wonach geteilt wird (nach „je“)."),
    ],
)
def test_a_unit_without_denominator_is_an_error(tmp_path, unit, message):
    from bnk.data import BnkDataError
    from bnk.data.metadata import load_metadata

    meta = tmp_path / "x.yaml"
    meta.write_text(
        f"title: T\ndefinition: D\nunit: {unit}\nsource: Q\nindicator_set: eigene\ndirection: lower\n", encoding="utf-8"
    )
    with pytest.raises(BnkDataError) as info:
        load_metadata(meta, "x")
    assert (info.value.msg, info.value.line) == (message, 3)
