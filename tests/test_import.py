"""bnk import: Excel workbooks, German-Excel CSV (long and wide), GENESIS flat files (current ZIP,
CSV and the older German-header variant) and SDG-Portal chart JSON → data/<id>.csv + metadata."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from babel.numbers import format_decimal
from bnk.importers import BnkImportError, Point, parse_number
from bnk.importers.genesis import import_genesis
from bnk.importers.sdgportal import import_sdg_portal
from bnk.importers.sheets import import_sheet, read_csv, read_xlsx
from conftest import bnk_warnings_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def bnk(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bnk", *args], cwd=cwd, capture_output=True, text=True, check=False)


def report_dir(tmp_path: Path) -> Path:
    root = tmp_path / "bericht"
    (root / "data").mkdir(parents=True)
    (root / "conf.py").write_text('extensions = ["bnk"]\n', encoding="utf-8")
    return root


def wide_workbook(path: Path) -> Path:
    """A wide sheet as departments deliver it: title row, empty row, units, gaps, footnote."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Daten"
    sheet.append(["Anteil der Arbeitslosen an der Bevölkerung"])
    sheet.append([])
    sheet.append(["Gebiet", "Einheit", 2019, 2020, 2021, 2022])
    sheet.append(["Kreis Heinsberg", "%", 8.4, 8.9, "-", 9.3])
    sheet.append(["Nordrhein-Westfalen", "%", 7, "7,2", 7.4, None])
    sheet.append([])
    sheet.append(["Quelle: Bundesagentur für Arbeit"])
    sheet.append(["¹ vorläufig"])
    book.save(path)
    return path


def test_wide_excel_sheet_with_gaps_footnotes_and_comparison(tmp_path):
    grid = read_xlsx(wide_workbook(tmp_path / "amt.xlsx"))
    imported = import_sheet(grid, "amt.xlsx", "Kreis Heinsberg", {"Nordrhein-Westfalen": "NRW"})
    assert imported.points == [
        Point(2019, Decimal("8.4")),
        Point(2020, Decimal("8.9")),
        Point(2021, None, "", "kein Wert („-“)"),
        Point(2022, Decimal("9.3")),
        Point(2019, Decimal("7"), "NRW"),
        Point(2020, Decimal("7.2"), "NRW"),
        Point(2021, Decimal("7.4"), "NRW"),
        Point(2022, None, "NRW", "leere Zelle"),
    ]
    assert (imported.title, imported.unit, imported.source) == (
        "Kreis Heinsberg",
        "%",
        "Bundesagentur für Arbeit",
    )


def test_wide_excel_problems_name_excel_row_and_column_letter(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Indikator", 2020, 2021, 2022])
    book.active.append(["Kreis", "viel", 3.5, "1,2,3"])
    book.save(tmp_path / "f.xlsx")
    with pytest.raises(BnkImportError) as info:
        import_sheet(read_xlsx(tmp_path / "f.xlsx"), "f.xlsx")
    assert [str(p) for p in info.value.problems] == [
        "Zeile 2, Spalte B: „viel“ ist keine Zahl.",
        "Zeile 2, Spalte D: „1,2,3“ ist keine Zahl.",
    ]


def test_german_excel_csv_long_with_bom_crlf_thousands_marks_and_footnote():
    imported = import_sheet(read_csv(FIXTURES / "excel-lang.csv"), "excel-lang.csv")
    assert imported.points == [
        Point(2019, Decimal("5.1")),
        Point(2020, Decimal("6.0")),
        Point(2021, None, "", "keine Angabe („k. A.“)"),
        Point(2022, Decimal("1234.5")),
    ]
    assert imported.title == "Arbeitslosenquote Kreis Heinsberg"
    assert imported.source == "Bundesagentur für Arbeit"


def test_german_excel_csv_in_windows_1252_is_read(tmp_path):
    path = tmp_path / "alt.csv"
    path.write_bytes("Jahr;Wert;Anmerkung\r\n2020;3,5;geschätzt\r\n2021;4,25;Prüfung\r\n".encode("cp1252"))
    imported = import_sheet(read_csv(path), "alt.csv", value_column="Wert")
    assert imported.points == [Point(2020, Decimal("3.5")), Point(2021, Decimal("4.25"))]


def test_every_problem_of_a_csv_is_reported_at_once_with_row_and_column(tmp_path):
    root = report_dir(tmp_path)
    result = bnk("import", "tabelle", str(FIXTURES / "excel-fehler.csv"), "--id", "x", "--bericht", str(root))
    assert result.returncode == 1
    path = str(FIXTURES / "excel-fehler.csv")
    assert result.stdout.splitlines() == [
        f"{path}: Zeile 3, Spalte 1: „zwanzig“ ist kein Jahr.",
        f"{path}: Zeile 4, Spalte 2: „viel“ ist keine Zahl.",
        f"{path}: Zeile 5, Spalte 1: Jahr 2021 doppelt (zuerst in Zeile 4).",
        f"{path}: Zeile 6, Spalte 2: „1,2,3“ ist keine Zahl.",
    ]
    assert "4 Problem(e) in der Eingabe – nichts geschrieben." in result.stderr
    assert not list((root / "data").iterdir())


def genesis_zip(tmp_path: Path) -> Path:
    """The current ffcsv as Destatis delivers it: a ZIP holding one ``<table>_de_flat.csv``."""
    path = tmp_path / "12411-01-01-4.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(FIXTURES / "12411-01-01-4_de_flat.csv", "12411-01-01-4_de_flat.csv")
    return path


def test_genesis_zip_picks_kommune_by_ags_and_land_and_keeps_quality_signs_as_gaps(tmp_path):
    imported = import_genesis(genesis_zip(tmp_path), "05370", land=True, land_name="NRW", filters={"GES": "GESW"})
    assert sorted(imported.points, key=lambda p: (p.region, p.year)) == [
        Point(2019, Decimal("128500")),
        Point(2020, None, "", "Qualitätszeichen „.“: Zahlenwert unbekannt oder geheim"),
        Point(2021, Decimal("129000")),
        Point(2022, Decimal("130125")),
        Point(2019, Decimal("9120000"), "NRW"),
        Point(2020, Decimal("9110000"), "NRW"),
        Point(2021, None, "NRW", "Qualitätszeichen „x“: nicht zutreffend oder geheim"),
        Point(2022, Decimal("9150000"), "NRW"),
    ]
    assert (imported.title, imported.unit, imported.table) == ("Bevölkerungsstand", "Personen", "12411-01-01-4")


def test_genesis_reports_ambiguous_dimensions_and_unknown_ags(tmp_path):
    with pytest.raises(BnkImportError) as info:
        import_genesis(genesis_zip(tmp_path), "05370")
    assert [p.message for p in info.value.problems] == [
        "Merkmal GES hat mehrere Ausprägungen (GESM, GESW): bitte mit --filter GES=… wählen."
    ]
    with pytest.raises(BnkImportError) as info:
        import_genesis(FIXTURES / "12411-01-01-4_de_flat.csv", "05999")
    assert info.value.problems[0].message.startswith("Der Schlüssel (AGS) 05999 kommt in der Datei nicht vor")


def test_genesis_older_german_header_variant():
    imported = import_genesis(FIXTURES / "alt-61111-01-03-4.csv", "05")
    assert imported.points == [
        Point(2020, Decimal("100.0")),
        Point(2021, Decimal("103.1")),
        Point(2022, None, "", "Qualitätszeichen „...“: Angabe fällt später an"),
        Point(2023, Decimal("117.6")),
    ]
    assert (imported.title, imported.unit, imported.table) == ("Verbraucherpreisindex", "Index", "61111-01-03-4")
    assert imported.notes == ["Index, Basisjahr 2020 = 100."]


def test_sdg_portal_json_with_average_and_direction():
    imported = import_sdg_portal(FIXTURES / "sdg-portal-breitband.json", "NRW")
    assert [p for p in imported.points if p.region == ""] == [
        Point(2017, Decimal("80.1")),
        Point(2018, Decimal("84.5")),
        Point(2019, None, "", "kein Wert im SDG-Portal"),
        Point(2020, Decimal("93.2")),
        Point(2021, Decimal("96.4")),
    ]
    assert [p.value for p in imported.points if p.region == "NRW"] == [
        Decimal(v) for v in ("85.0", "88.2", "90.1", "94.0", "95.5")
    ]
    assert (imported.unit, imported.direction, imported.indicator_set) == ("%", "higher", "sdg-kommunen")


def test_sdg_portal_problems_are_located(tmp_path):
    path = tmp_path / "kaputt.json"
    path.write_text('{"graphs": [{"config": {"isAvg": false}, "points": [[2019, "viel"], ["x", 1], [2019]]}]}', "utf-8")
    with pytest.raises(BnkImportError) as info:
        import_sdg_portal(path)
    assert [str(p) for p in info.value.problems] == [
        "graphs[0].points[0]: „viel“ ist keine Zahl.",
        "graphs[0].points[1]: „x“ ist kein Jahr.",
        "graphs[0].points[2]: erwartet [Jahr, Wert].",
    ]


@pytest.mark.langsam  # runs bnk import and bnk new as processes
def test_cli_writes_machine_csv_and_metadata_skeleton_and_never_overwrites(tmp_path):
    root = report_dir(tmp_path)
    args = ["import", "genesis", str(genesis_zip(tmp_path)), "--id", "bevoelkerung", "--bericht", str(root)]
    args += ["--ags", "05370", "--land", "--land-name", "NRW", "--filter", "GES=GESW", "--abgerufen", "2024-05-02"]
    result = bnk(*args)
    assert result.returncode == 0, result.stderr
    assert (root / "data/bevoelkerung.csv").read_text(encoding="utf-8") == (
        "year,region,value\n2019,,128500\n2019,NRW,9120000\n2020,NRW,9110000\n2021,,129000\n2022,,130125\n2022,NRW,9150000\n"
    )
    meta = yaml.safe_load((root / "data/bevoelkerung.yaml").read_text(encoding="utf-8"))
    assert meta["unit"] == "Personen"
    assert meta["source"] == (
        "Statistische Ämter des Bundes und der Länder (GENESIS) (Tabelle 12411-01-01-4, abgerufen am 02.05.2024)"
    )
    assert meta["notes"] == [
        "Importiert mit „bnk import genesis“ aus 12411-01-01-4.zip (Tabelle 12411-01-01-4), abgerufen am 02.05.2024.",
        "Kein Wert für 2020 – Qualitätszeichen „.“: Zahlenwert unbekannt oder geheim. Die Lücke ist gewollt, kein Nullwert.",
        "Kein Wert für 2021 (NRW) – Qualitätszeichen „x“: nicht zutreffend oder geheim. Die Lücke ist gewollt, kein Nullwert.",
    ]
    assert "data/bevoelkerung.csv: neu, 6 Werte 2019–2022, Reihen: Kommune, NRW." in result.stdout
    # A changed delivery: shown, but nothing is written without --force.
    (root / "data/bevoelkerung.csv").write_text("year,value\n2019,1\n2023,5\n", encoding="utf-8")
    result = bnk(*args)
    assert result.returncode == 1
    assert "gibt es schon – nichts geschrieben (mit --force überschreiben)" in result.stdout
    assert "  geändert  2019: 1 → 128500" in result.stdout
    assert "  entfällt  2023: 5" in result.stdout
    assert "  neu       2022 (NRW): 9150000" in result.stdout
    assert "bleibt unverändert (Metadaten werden nie überschrieben)" in result.stdout
    assert (root / "data/bevoelkerung.csv").read_text(encoding="utf-8") == "year,value\n2019,1\n2023,5\n"
    assert bnk(*args, "--force").returncode == 0
    assert (root / "data/bevoelkerung.csv").read_text(encoding="utf-8").startswith("year,region,value\n2019,,128500\n")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"graphs": ' + "[" * 20 + "]" * 20 + "}", "Zeile 1, Spalte 31"),  # 21 levels: one too many
        ('{"graphs":\n  ' + "[" * 100_000 + "]" * 100_000 + "}", "Zeile 2, Spalte 22"),  # beyond json's recursion
    ],
)
def test_sdg_portal_json_nested_deeper_than_the_limit_is_refused_at_its_place(tmp_path, text, where):
    path = tmp_path / "tief.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BnkImportError) as info:
        import_sdg_portal(path)
    assert [str(p) for p in info.value.problems] == [
        f"{where}: Die JSON-Struktur ist tiefer als 20 Ebenen verschachtelt (ein SDG-Portal-Diagramm hat 5)."
    ]
    # 20 levels, and brackets inside a text, are no problem of nesting
    path.write_text('{"graphs": ' + "[" * 19 + "]" * 19 + "}", encoding="utf-8")
    with pytest.raises(BnkImportError) as info:
        import_sdg_portal(path)
    assert [str(p) for p in info.value.problems] == [
        "graphs: Erwartet genau eine Reihe der Kommune (isAvg: false), gefunden 0.",
        "graphs[0]: ist kein Objekt.",
    ]
    text = '{"graphs": [{"config": {"title": "[[[[[[[[[[[[[[[[[[[[[[\\"["}, "points": [[2020, 1]]}]}'
    path.write_text(text, encoding="utf-8")
    assert import_sdg_portal(path).points == [Point(2020, Decimal(1))]


def test_an_import_never_writes_a_value_the_build_refuses(tmp_path):
    """10^15 and more: the build's limit (bnk.csv) is the importers' limit, at the cell."""
    path = tmp_path / "gross.csv"
    path.write_text("Jahr;Wert\r\n2020;1.000.000.000.000.000\r\n2021;999.999.999.999.999\r\n", encoding="utf-8")
    with pytest.raises(BnkImportError) as info:
        import_sheet(read_csv(path), "gross.csv")
    assert [str(p) for p in info.value.problems] == [
        "Zeile 2, Spalte 2: „1.000.000.000.000.000“ ist unplausibel groß (Beträge ab 10¹⁵ liest der Bau nicht)."
    ]


def test_a_year_column_twice_is_reported_on_the_header_line_of_the_file(tmp_path):
    """A title and a blank line above the header: the header's own line (3), not one off."""
    path = tmp_path / "amt.csv"
    path.write_bytes("Arbeitslose Kreis X\r\n\r\nGebiet;2019;2020;2020\r\nKreis X;1;2;3\r\n".encode("cp1252"))
    with pytest.raises(BnkImportError) as info:
        import_sheet(read_csv(path), "amt.csv")
    assert [str(p) for p in info.value.problems] == [
        "Zeile 3, Spalte 4: Jahr 2020 steht zweimal in der Kopfzeile (zuerst in Spalte 3)."
    ]


def test_import_of_a_sheet_without_a_single_value_is_refused_and_changes_nothing(tmp_path, capsys):
    """Only a header, or only gaps: no indicator without data – and ``--force`` does not empty one."""
    from bnk.cli import main
    from openpyxl import Workbook

    root = report_dir(tmp_path)
    (root / "data/x.csv").write_text("year,value\n2019,1\n", encoding="utf-8")
    for rows, why in (
        ([["Jahr", "Wert"]], "nur Kopfzeile oder leere Zeilen"),
        ([["Jahr", "Wert"], [2020, "-"]], "1 Lücke(n) ohne Zahl"),
    ):
        book = Workbook()
        for row in rows:
            book.active.append(row)
        book.save(tmp_path / "leer.xlsx")
        assert (
            main(["import", "tabelle", str(tmp_path / "leer.xlsx"), "--id", "x", "--bericht", str(root), "--force"])
            == 1
        )
        out = capsys.readouterr()
        assert (
            out.out
            == f"{tmp_path / 'leer.xlsx'}: Die Datei enthält keinen einzigen Wert ({why}) – nichts zu übernehmen.\n"
        )
        assert "1 Problem(e) in der Eingabe – nichts geschrieben." in out.err
        assert (root / "data/x.csv").read_text(encoding="utf-8") == "year,value\n2019,1\n"
        assert not (root / "data/x.yaml").exists()
    # Only comparison rows (every row names a region): a CSV the build would refuse, so nothing.
    (tmp_path / "nrw.csv").write_text("Jahr;Region;Wert\n2020;NRW;1\n", encoding="utf-8")
    assert main(["import", "tabelle", str(tmp_path / "nrw.csv"), "--id", "x", "--bericht", str(root), "--force"]) == 1
    assert capsys.readouterr().out == (
        f"{tmp_path / 'nrw.csv'}: Die Datei enthält keinen Wert für die Kommune selbst, nur für „NRW“: die Zeilen "
        "der Kommune lassen die Spalte „Region“ leer (im breiten Format: --reihe).\n"
    )
    assert (root / "data/x.csv").read_text(encoding="utf-8") == "year,value\n2019,1\n"


@pytest.mark.langsam  # builds a report with Sphinx
def test_imported_wide_sheet_builds_with_table_and_chart(make_bnk_app, tmp_path):
    workbook = wide_workbook(tmp_path / "amt.xlsx")

    def prepare(srcdir: Path) -> None:
        result = bnk(
            "import", "tabelle", str(workbook), "--id", "arbeitslose", "--bericht", str(srcdir),
            "--reihe", "Kreis Heinsberg", "--vergleich", "Nordrhein-Westfalen=NRW", "--titel", "Arbeitslosenanteil",
            "--definition", "Anteil der Arbeitslosen an der Bevölkerung", "--richtung", "lower",
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        page = srcdir / "index.md"
        page.write_text(page.read_text(encoding="utf-8") + "\n```{indicator} arbeitslose\n```\n", encoding="utf-8")

    app = make_bnk_app("indicators", prepare=prepare, confoverrides={"bnk_report_year": 2022})
    app.build()
    assert bnk_warnings_of(app) == []
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    section = re.sub(r"<[^>]+>", " ", html[html.index("Arbeitslosenanteil") :]).replace("\u00a0", " ")
    section = re.sub(r"\s+", " ", section.replace("&#160;", " "))
    # The shown points (2019, 2020, 2022: 2021 is a gap), German format, change in %P.
    assert (
        "2019 2020 2022 Veränderung absolut relativ Kreis Testheim 8,4 8,9 9,3 +0,9 %P +10,7 % NRW 7,0 7,2 –" in section
    )
    assert "Kein Wert für 2021 – kein Wert („-“). Die Lücke ist gewollt, kein Nullwert." in section
    chart = re.search(
        r'<img src="(_images/bnk-chart-[0-9a-f]{16}\.svg)" alt="[^"]*', html[html.index("Arbeitslosenanteil") :]
    )
    assert chart and (Path(app.outdir) / chart[1]).stat().st_size > 1000


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_parse_number_reads_every_german_formatted_number(value):
    text = format_decimal(value, format="#,##0.00", locale="de_DE")
    assert parse_number(text, ",") == value
    assert parse_number(text.replace(".", ""), ",") == value


@given(st.text(max_size=12))
def test_parse_number_only_raises_value_error(text):
    try:
        parse_number(text, ",")
    except ValueError as exc:
        assert "ist keine Zahl" in str(exc)


GERMAN_EXCEL = "\ufeffyear;value\r\n2019;8,4\r\n2020;1.234.567\r\n2021;9\r\n"


@pytest.mark.langsam  # builds a report with Sphinx
def test_german_excel_csv_gives_every_problem_in_one_build_and_names_the_import(make_bnk_app):
    def prepare(srcdir: Path) -> None:
        (srcdir / "data/emissionen.csv").write_bytes(GERMAN_EXCEL.encode("utf-8"))

    app = make_bnk_app("indicators", prepare=prepare)
    app.build()
    csv = "<srcdir>/data/emissionen.csv"
    assert [w for w in bnk_warnings_of(app) if "[bnk.csv]" in w] == [
        f"{csv}:1: WARNING: Die Datei beginnt mit einer Byte-Order-Mark (BOM); bitte als UTF-8 ohne BOM speichern. [bnk.csv]",
        f"{csv}:1: WARNING: Trennzeichen ist das Semikolon; bitte Komma als Trennzeichen verwenden. Die Datei sieht aus "
        "wie aus deutschem Excel gespeichert. Umwandeln ins Maschinenformat: bnk import tabelle data/emissionen.csv "
        "--id emissionen --force. [bnk.csv]",
        f"{csv}:2: WARNING: Dezimalkomma in „8,4“ (Spalte „value“): in der CSV-Datei gilt der Dezimalpunkt, z. B. „8.4“. [bnk.csv]",
        f"{csv}:3: WARNING: Tausendertrennzeichen in „1.234.567“ (Spalte „value“): bitte ohne Trennzeichen schreiben. [bnk.csv]",
    ]
    # bnk check reports the same four.
    result = bnk("check", str(app.srcdir))
    assert [line for line in result.stdout.splitlines() if "[bnk.csv]" in line] == [
        w.replace("<srcdir>/", "").replace(": WARNING: ", ": ") for w in bnk_warnings_of(app) if "[bnk.csv]" in w
    ]


def test_the_suggested_import_turns_the_german_excel_csv_into_the_machine_format(tmp_path):
    root = report_dir(tmp_path)
    (root / "data/emissionen.csv").write_bytes(GERMAN_EXCEL.encode("utf-8"))
    result = bnk("import", "tabelle", "data/emissionen.csv", "--id", "emissionen", "--force", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "data/emissionen.csv").read_text(encoding="utf-8") == "year,value\n2019,8.4\n2020,1234567\n2021,9\n"


# Fuzz: whatever a department or portal delivers, an importer reports problems, never a traceback.
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CELLS = st.sampled_from(
    ["Jahr", "Wert", "2019", "2020", "8,4", "1.234,5", "-", "k. A.", "x", ".", "", "Quelle: A", '"']
)


def _grid_text(rows: list[list[str]], sep: str) -> str:
    return "\r\n".join(sep.join(row) for row in rows)


@FUZZ
@given(st.lists(st.lists(CELLS, max_size=5), max_size=6), st.sampled_from([";", ",", "\t"]), st.booleans())
def test_sheet_importer_only_raises_its_own_error(tmp_path, rows, sep, bom):
    path = tmp_path / "fuzz.csv"
    path.write_bytes((("\ufeff" if bom else "") + _grid_text(rows, sep)).encode("utf-8"))
    try:
        imported = import_sheet(read_csv(path), "fuzz.csv")
    except BnkImportError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
    else:
        assert all(p.value is not None or p.gap for p in imported.points)


@FUZZ
@given(st.binary(max_size=300))
def test_genesis_and_sdg_importers_only_raise_their_own_error(tmp_path, data):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(b"time;value;value_q;1_variable_attribute_code\n" + data)
    for run in (lambda: import_genesis(path, "05370"), lambda: import_sdg_portal(path)):
        try:
            run()
        except BnkImportError as exc:
            assert exc.problems
