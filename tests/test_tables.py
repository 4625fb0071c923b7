"""General data tables (``bnk-table``) and the report overview (``bnk-overview``)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import bnk_warnings_of, warnings_of

CSV = """abteilung,kooperation,anzahl
Amt 1,ja,3
Amt 2,nein,
Amt 3,ja,1200
"""
YAML = """title: Kooperationen
source: Umfrage 2015
columns:
  abteilung: {label: "Abteilung", required: true}
  kooperation: {label: "Kooperation?", values: ["ja", "nein"]}
  anzahl: {label: "Anzahl", type: number}
summary:
  - column: kooperation
    value: ja
    text: "{count} von {total} Abteilungen ({percent}) kooperieren."
"""


def _built(make_bnk_app, csv: str = CSV, yaml: str = YAML):
    """The indicators root with the table ``tabellen/kooperation`` (``csv``, ``yaml``) on its
    index page, built."""
    app = make_bnk_app("indicators")
    folder = Path(app.srcdir) / "data/tabellen"
    folder.mkdir(parents=True)
    (folder / "kooperation.csv").write_text(csv, encoding="utf-8")
    (folder / "kooperation.yaml").write_text(yaml, encoding="utf-8")
    index = Path(app.srcdir) / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8") + "\n```{bnk-table} tabellen/kooperation\n```\n", encoding="utf-8"
    )
    app.build()
    return app


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#8211;", "–")


def test_table_with_computed_summary_and_german_numbers(make_bnk_app):
    app = _built(make_bnk_app)
    assert warnings_of(app) == []
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    part = html[html.index("bnk-data-table") :]
    text = _text(part)
    assert "2 von 3 Abteilungen (67\u00a0%) kooperieren." in part  # German percent via Babel
    assert "2 von 3 Abteilungen (67 %) kooperieren." in text
    assert "Abteilung Kooperation? Anzahl Amt 1 ja 3 Amt 2 nein – Amt 3 ja 1.200" in text
    assert "Quelle: Umfrage 2015" in text


def test_wrong_value_in_table_csv_is_located(make_bnk_app):
    app = _built(make_bnk_app, CSV.replace("Amt 2,nein,", "Amt 2,vielleicht,"))
    assert bnk_warnings_of(app) == [
        "<srcdir>/data/tabellen/kooperation.csv:3: WARNING: „vielleicht“ ist in Spalte „kooperation“ nicht erlaubt; erlaubt: ja, nein. [bnk.table]"
    ]
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert "Fehler in den Daten" in html and "(data/tabellen/kooperation.csv:3)" in html


@pytest.mark.parametrize(
    ("old", "new", "warning"),
    [
        (
            "abteilung,kooperation,anzahl",
            "abteilung,anzahl,kooperation",
            "<srcdir>/data/tabellen/kooperation.csv:1: WARNING: Kopfzeile passt nicht zur Beschreibung: erwartet abteilung, kooperation, anzahl; gefunden abteilung, anzahl, kooperation. [bnk.table]",
        ),
        (
            "Amt 3,ja,1200",
            'Amt 3,ja,"1,5"',
            "<srcdir>/data/tabellen/kooperation.csv:4: WARNING: Dezimalkomma in „1,5“ (Spalte „anzahl“): in der CSV-Datei gilt der Dezimalpunkt, z. B. „1.5“. [bnk.table]",
        ),
    ],
    ids=["header", "decimal-comma"],
)
def test_table_header_and_number_problems(make_bnk_app, old, new, warning):
    app = _built(make_bnk_app, CSV.replace(old, new))
    assert bnk_warnings_of(app) == [warning]


def test_table_path_cannot_leave_the_data_directory(make_bnk_app, tmp_path):
    app = make_bnk_app("indicators")
    outside = tmp_path / "geheim"
    outside.mkdir()
    (outside / "x.csv").write_text(CSV, encoding="utf-8")
    (outside / "x.yaml").write_text(YAML, encoding="utf-8")
    (Path(app.srcdir) / "data/link").symlink_to(outside)
    index = Path(app.srcdir) / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8") + "\n```{bnk-table} link/x\n```\n\n```{bnk-table} ../x\n```\n",
        encoding="utf-8",
    )
    app.build()
    warnings = bnk_warnings_of(app)
    assert warnings[0].startswith(
        "<srcdir>/data/link/x.csv:1: WARNING: data/link/x.csv zeigt aus dem Datenverzeichnis hinaus; nicht erlaubt."
    )
    assert (
        warnings[1]
        == "<srcdir>/index.md:29: WARNING: „../x“ ist kein gültiger Tabellenname (Kleinbuchstaben, Ziffern, -, /). [bnk.table]"
    )


def test_overview_from_report_metadata(make_bnk_app):
    app = make_bnk_app("indicators")
    conf = Path(app.srcdir) / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace(
            'bnk_report = {"kommune": "Kreis Testheim"}',
            'bnk_report = {"kommune": "Kreis Testheim", "website": "www.testheim.de", "population": 261625, '
            '"population_date": "2023-06-30", "period": "2023", "published": "2024", '
            '"contact": {"name": "A. Muster", "email": "a@testheim.de"}}',
        ),
        encoding="utf-8",
    )
    index = Path(app.srcdir) / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n```{bnk-overview}\n```\n", encoding="utf-8")
    app = make_bnk_app("indicators", srcdir=app.srcdir)  # conf.py changed: a new application
    app.build()
    assert bnk_warnings_of(app) == []
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    text = _text(html[html.index("bnk-overview") :])
    assert "Name Kreis Testheim Website www.testheim.de Einwohnerzahl 261.625 (Stand: 30. Juni 2023)" in text
    assert "Berichtszeitraum 2023 Jahr der Veröffentlichung 2024" in text
    assert 'href="https://www.testheim.de"' in html
    # docutils cloaks e-mail addresses; decoded, the link is the contact's address.
    assert "mailto:a@testheim.de" in unquote(unescape(html))
