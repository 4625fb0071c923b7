"""CSV validation: every problem with its exact message, line and column."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from bnk.data import BnkDataError
from bnk.data.csvdata import load_indicator_csv


def _load(tmp_path: Path, content: bytes | str):
    path = tmp_path / "x.csv"
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return load_indicator_csv(path)


def test_series_with_land_comparison(tmp_path):
    data = _load(tmp_path, "year,region,value\n2019,,25.3\n2019,NRW,20.1\n\n2020,,25.8\n")
    assert data.headline.years == (2019, 2020)
    assert data.headline.values == (Decimal("25.3"), Decimal("25.8"))
    assert data.headline.lines == (2, 5)
    assert [s.name for s in data.others] == ["NRW"]


@pytest.mark.parametrize(
    ("content", "message", "line", "column"),
    [
        ("", "Die CSV-Datei ist leer.", 1, None),
        ("year,value\n", "Die CSV-Datei enthält nur die Kopfzeile, keine Daten.", 1, None),
        (
            "\ufeffyear,value\n2019,1\n",
            "Die Datei beginnt mit einer Byte-Order-Mark (BOM); bitte als UTF-8 ohne BOM speichern.",
            1,
            None,
        ),
        (
            "year;value\n2019;1\n",
            "Trennzeichen ist das Semikolon; bitte Komma als Trennzeichen verwenden. Die Datei sieht aus wie aus "
            "deutschem Excel gespeichert. Umwandeln ins Maschinenformat: bnk import tabelle data/x.csv --id x --force.",
            1,
            None,
        ),
        (
            "year,value\n2019,25,7\n",
            "Zeile hat 3 Felder, die Kopfzeile 2. Steht hier ein Dezimalkomma („25,7“)? In der CSV-Datei gilt der Dezimalpunkt, z. B. „25.7“.",
            2,
            None,
        ),
        (
            'year,value\n2019,"25,7"\n',
            "Dezimalkomma in „25,7“ (Spalte „value“): in der CSV-Datei gilt der Dezimalpunkt, z. B. „25.7“.",
            2,
            "value",
        ),
        (
            'year,value\n2019,"1.234.567"\n',
            "Tausendertrennzeichen in „1.234.567“ (Spalte „value“): bitte ohne Trennzeichen schreiben.",
            2,
            "value",
        ),
        ("year,value\n2019,viel\n", "„viel“ ist keine Zahl (Spalte „value“).", 2, "value"),
        (
            "year,value\n2019,NaN\n",
            "„NaN“ ist keine Zahl (Spalte „value“); fehlende Jahre bitte weglassen.",
            2,
            "value",
        ),
        (
            "year,value\n2019,inf\n",
            "„inf“ ist keine Zahl (Spalte „value“); fehlende Jahre bitte weglassen.",
            2,
            "value",
        ),
        ("year,value\n2019,\n", "Leerer Wert in Spalte „value“.", 2, "value"),
        ("year,value\n2019,1\n2019,2\n", "Jahr 2019 doppelt (zuerst in Zeile 2).", 3, "year"),
        ("year,value\n2020,1\n2019,2\n", "Jahre nicht aufsteigend sortiert: 2019 nach 2020.", 3, "year"),
        (
            "year,value\n2019.5,1\n",
            "„2019.5“ ist kein Jahr (Spalte „year“): erwartet eine vierstellige ganze Zahl.",
            2,
            "year",
        ),
        (
            "year,value\n-2019,1\n",
            "„-2019“ ist kein Jahr (Spalte „year“): erwartet eine vierstellige ganze Zahl.",
            2,
            "year",
        ),
        (
            "jahr,wert\n2019,1\n",
            "Kopfzeile muss mit „year“ beginnen und mit „value“ enden (gefunden: jahr, wert).",
            1,
            None,
        ),
        ("year,value\n2019,1e20\n", "„1e20“ ist keine Zahl (Spalte „value“).", 2, "value"),
        (
            "year,value\n2019,10000000000000000\n",
            "„10000000000000000“ ist unplausibel groß (Spalte „value“).",
            2,
            "value",
        ),
        (
            b"year,value\n2019,1\n2020,\xe4\n",
            "Die Datei ist nicht in UTF-8 kodiert; bitte als UTF-8 speichern. "
            "Umwandeln ins Maschinenformat: bnk import tabelle data/x.csv --id x --force.",
            3,
            None,
        ),
        ("year,region,value\n2019,NRW,1\n", "Keine Zeilen für die Kommune (Reihenspalten leer).", 2, None),
    ],
)
def test_invalid_csv_is_located(tmp_path, content, message, line, column):
    with pytest.raises(BnkDataError) as info:
        _load(tmp_path, content)
    assert info.value.msg == message
    assert info.value.line == line
    assert info.value.column == column
    assert info.value.path == str(tmp_path / "x.csv")


def test_too_many_rows(tmp_path):
    content = "year,value\n" + "".join(f"{2000 + i % 100},1\n" for i in range(10_002))
    with pytest.raises(BnkDataError) as info:
        _load(tmp_path, content)
    assert info.value.msg == "Mehr als 10000 Datenzeilen: das ist keine Indikatorzeitreihe."


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("year,value,value\n2020,1,2\n", 1),  # the header is line 1, not 2
        ("\n\nyear,value,value\n2020,1,2\n", 3),  # blank lines before the header: its real line
        ("\r\n \r\nyear,region,region,value\r\n2020,,,1\r\n", 3),
    ],
)
def test_a_column_twice_in_the_header_is_reported_on_the_header_line(tmp_path, content, line):
    with pytest.raises(BnkDataError) as info:
        _load(tmp_path, content)
    column = "value" if "value,value" in content else "region"
    assert [(p.msg, p.line, p.column) for p in info.value.problems] == [
        (f"Spalte „{column}“ steht mehrfach in der Kopfzeile.", line, column)
    ]


def test_other_header_problems_are_reported_on_the_header_line(tmp_path):
    with pytest.raises(BnkDataError) as info:
        _load(tmp_path, "\n\njahr,wert\n2020,1\n")
    assert [(p.msg, p.line) for p in info.value.problems] == [
        ("Kopfzeile muss mit „year“ beginnen und mit „value“ enden (gefunden: jahr, wert).", 3)
    ]
    with pytest.raises(BnkDataError) as info:
        _load(tmp_path, "\nyear,value\n")
    assert [(p.msg, p.line) for p in info.value.problems] == [
        ("Die CSV-Datei enthält nur die Kopfzeile, keine Daten.", 2)
    ]
    with pytest.raises(BnkDataError) as info:
        _load(tmp_path, "\nyear,region,value\n\n2020,NRW,1\n")
    assert [(p.msg, p.line) for p in info.value.problems] == [("Keine Zeilen für die Kommune (Reihenspalten leer).", 4)]
