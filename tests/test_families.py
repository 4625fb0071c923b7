"""Hostile and unusual input, family by family: each family has a decision (error, warning, or
accepted and documented), and each decision is tested here. The list is in the README
("Ungewöhnliche Eingaben").
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from pathlib import Path

import pytest
from bnk.data import BnkDataError
from bnk.data.catalogue import code_key
from bnk.data.csvdata import load_indicator_csv
from bnk.data.files import MAX_COLUMNS, load_yaml
from bnk.data.indicator import build_view, parse_years_option
from bnk.data.metadata import load_metadata
from bnk.data.numbers import compute_change
from bnk.data.sdgs import parse_sdg_list
from conftest import bnk_warnings_of
from test_bad_input import append, replace

META = """title: Test
definition: Test
unit: Anzahl
source: Testamt
indicator_set: eigene
direction: lower
"""
_count = itertools.count()


def _write(tmp_path: Path, suffix: str, text: str) -> Path:
    path = tmp_path / f"x{next(_count)}{suffix}"
    path.write_text(text, encoding="utf-8")
    return path


def _error(call) -> BnkDataError:
    with pytest.raises(BnkDataError) as info:
        call()
    return info.value


# -- YAML: error, located ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: !Ref x\n", 1, "YAML-Tags wie „!Ref“ sind nicht erlaubt"),
        ("a: 1\nb: !!python/object:os.system x\n", 2, "YAML-Tags wie „tag:yaml.org,2002:python/object:os.system“"),
        ("a: 1\n? [x, y]\n: 2\n", 2, "Ein Schlüssel ist eine Liste oder Zuordnung"),
        ("a: " + "[" * 30 + "]" * 30 + "\n", 1, "tiefer als 20 Ebenen"),
        ("title: A\nunit: x\ntitle: B\n", 3, "Schlüssel „title“ doppelt (zuerst in Zeile 1)"),
        ("a: &x 1\nb: *x\n", 1, "Anker und -Aliase"),
        ("a: 1\nb: \x07\n", 2, "nicht erlaubtes Steuerzeichen"),
    ],
    ids=["tag", "python-tag", "unhashable-key", "deep-nesting", "duplicate-key", "alias", "control-character"],
)
def test_yaml_family_is_a_located_error(text, line, message):
    error = _error(lambda: load_yaml(text, "m.yaml"))
    assert (error.path, error.line) == ("m.yaml", line)
    assert message in error.msg


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("{value: .nan, year: 2030}", "„value“ ist nan; bitte eine endliche Zahl angeben."),
        ("{value: -.inf, year: 2030}", "„value“ ist -inf; bitte eine endliche Zahl angeben."),
        ('{value: 5, hold: "nein"}', "„hold“ ist true oder false (gefunden: 'nein')"),
    ],
    ids=["nan", "minus-inf", "hold-text"],
)
def test_target_values_that_yaml_misreads_are_errors(tmp_path, target, message):
    path = _write(tmp_path, ".yaml", META + f"targets:\n  - {target}\n")
    error = _error(lambda: load_metadata(path, "x"))
    assert error.line == 7 and message in error.msg


def test_hold_false_is_a_value_target(tmp_path):
    meta = load_metadata(_write(tmp_path, ".yaml", META + "targets:\n  - {value: 5, year: 2030, hold: false}\n"), "x")
    assert meta.targets[0].kind == "value"


# -- numbers at the edges ---------------------------------------------------------------------------


def test_many_significant_digits_are_kept_exactly(tmp_path):
    """Accepted: values are Decimal, never float; rounding happens only for display."""
    data = load_indicator_csv(_write(tmp_path, ".csv", "year,value\n2020,123456789.123456789\n2021,0.000000001\n"))
    assert data.headline.values == (Decimal("123456789.123456789"), Decimal("0.000000001"))


def test_tiny_oldest_value_gives_an_exact_huge_relative_change():
    """Accepted and documented: the relative change is exact, however large."""
    change = compute_change(Decimal("0.001"), Decimal("10"), 3, False)
    assert change.relative == Decimal("999900")
    assert change.display_rel == "+999.900,0\u00a0%"


def test_huge_field_and_million_columns_are_located_errors(tmp_path):
    error = _error(lambda: load_indicator_csv(_write(tmp_path, ".csv", "year,value\n2020," + "1" * 20_000 + "\n")))
    assert (error.line, error.msg) == (2, "Ein Feld ist unplausibel lang (über 10000 Zeichen).")
    wide = ",".join(f"c{i}" for i in range(1_000_000))
    error = _error(lambda: load_indicator_csv(_write(tmp_path, ".csv", f"year,{wide},value\n")))
    assert error.line == 1 and f"mehr als {MAX_COLUMNS} sind keine Datentabelle" in error.msg


# -- Unicode digits and bidi controls ------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "message"),
    [("²⁰¹⁹,1", "„²⁰¹⁹“ ist kein Jahr"), ("٢٠١٩,1", "„٢٠١٩“ ist kein Jahr"), ("2019,١٢", "„١٢“ ist keine Zahl")],
    ids=["superscript-year", "arabic-indic-year", "arabic-indic-value"],
)
def test_digits_that_are_not_ascii_are_no_numbers(tmp_path, row, message):
    error = _error(lambda: load_indicator_csv(_write(tmp_path, ".csv", f"year,value\n{row}\n")))
    assert error.line == 2 and message in error.msg


def test_non_ascii_digits_are_no_aspect_chapter_or_sdg_numbers():
    assert code_key("١.١") is None
    assert code_key("1.²") is None
    assert code_key("١٠") is None
    assert code_key("¹") is None
    assert parse_sdg_list("١٣, 13") == ([13], ["١٣"])
    with pytest.raises(BnkDataError):
        parse_years_option("٢٠١٩")


def test_bidi_override_in_data_is_a_located_error(tmp_path):
    path = _write(tmp_path, ".yaml", META.replace("title: Test", "title: Test \u202eabc"))
    error = _error(lambda: load_metadata(path, "x"))
    assert error.line == 1 and "U+202E" in error.msg


# -- locations -----------------------------------------------------------------------------------


def test_quoted_newline_does_not_shift_line_numbers(tmp_path):
    text = 'year,region,value\n2019,"Reihe\nmit Umbruch",1\n2020,,x\n'
    error = _error(lambda: load_indicator_csv(_write(tmp_path, ".csv", text)))
    assert (error.line, error.msg) == (4, "„x“ ist keine Zahl (Spalte „value“).")
    data = load_indicator_csv(_write(tmp_path, ".csv", text.replace(",x", ",2")))
    assert data.series[1].lines == (2,) and data.headline.lines == (4,)


def test_unclosed_quote_is_located_where_it_opens(tmp_path):
    error = _error(lambda: load_indicator_csv(_write(tmp_path, ".csv", 'year,value\n2019,1\n2020,"2\n2021,3\n')))
    assert (error.line, error.msg) == (3, 'Ein Anführungszeichen (") wird geöffnet, aber nicht geschlossen.')


# -- data is never code --------------------------------------------------------------------------


def test_table_summary_is_no_format_string(tmp_path):
    from bnk.data.tables import load_table, summary_text

    csv_path = _write(tmp_path, ".csv", "a,b\nja,1\nnein,2\n")
    meta_path = _write(tmp_path, ".yaml", "title: T\ncolumns:\n  a: A\n  b: B\n")
    table = load_table(csv_path, meta_path)
    text = summary_text(table, "{count} von {total} ({percent}) {name} {0.__class__}", "a", "ja")
    assert text == "1 von 2 (50\u00a0%) {name} {0.__class__}"


def test_region_names_with_dollar_and_underscore_do_not_crash_the_chart(tmp_path):
    """Error-free: a region name with ``$`` or a leading ``_`` is drawn (how matplotlib shows it is
    the chart module's part of the issue)."""
    from bnk.charts import render_chart

    spec = {
        "series": [
            {"label": "Kreis $x$", "years": [2019, 2020], "values": ["1", "2"]},
            {"label": "_x NRW $\\frac{", "years": [2019, 2020], "values": ["2", "3"]},
        ],
        "targets": [],
        "unit": "Anzahl $",
        "decimals": 0,
    }
    target = tmp_path / "chart.svg"
    assert render_chart(spec, target)
    assert target.read_text(encoding="utf-8").startswith("<?xml")


# -- meaning -------------------------------------------------------------------------------------


def test_same_indicator_on_two_pages_is_a_warning_and_one_export_record(make_bnk_app):
    app = make_bnk_app("indicators", prepare=append("index.md", "\n```{indicator} emissionen\n```\n"))
    app.build()
    assert bnk_warnings_of(app) == [
        "<srcdir>/index.md:26: WARNING: Indikator „emissionen“ steht mehrfach im Bericht (zuerst in index.md:23); "
        "bitte nur an einer Stelle zeigen und sonst darauf verweisen. [bnk.indicator]"
    ]
    import json

    export = json.loads((app.outdir / "bnk-report.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in export["indicators"]].count("emissionen") == 1


NESTED = "```{bnk-aspect} 1.1\n:sdg: 11, 17\n\n````{bnk-aspect} 1.2\nInnen.\n````\n"

# One change to a test root, and exactly the located warnings it must give (id, root, change, *warnings).
ONE_CHANGE = [
    (
        "aspect-nested-in-an-aspect",
        "basic",
        replace("kapitel/01-strategie.md", "```{bnk-aspect} 1.1\n:sdg: 11, 17\n", NESTED),
        "<srcdir>/kapitel/01-strategie.md:8: WARNING: Aspekt 1.2 steht innerhalb von Aspekt 1.1; Aspekte stehen "
        "nebeneinander, nicht ineinander. [bnk.aspect-misplaced]",
    ),
    (
        "title-for-an-aspect-that-does-not-exist",
        "basic",
        replace("conf.py", '{"10.2": "Klimaschutz in der Kreisverwaltung"}', '{"10.9": "Gibt es nicht"}'),
        "<srcdir>/conf.py:5: WARNING: bnk_aspect_titles nennt Aspekt '10.9', den der Katalog (Testkatalog) nicht "
        "kennt. [bnk.config]",
    ),
    (
        "years-option-naming-a-year-without-data",
        "indicators",
        append("index.md", "\n```{indicator} emissionen\n:years: 2017, 1999\n```\n"),
        "<srcdir>/index.md:26: WARNING: :years: nennt 1999, aber data/emissionen.csv hat dafür keinen Wert "
        "(bis zum Berichtsjahr 2021). [bnk.indicator]",
        # The root shows emissionen already; the second one is also named (see the test above).
        "<srcdir>/index.md:26: WARNING: Indikator „emissionen“ steht mehrfach im Bericht (zuerst in index.md:23); "
        "bitte nur an einer Stelle zeigen und sonst darauf verweisen. [bnk.indicator]",
    ),
    (
        "report-without-kommune-is-a-config-warning-not-a-crash",
        "basic",
        append("conf.py", 'bnk_report = {"title": "Ohne Kommune"}\n'),
        "<srcdir>/conf.py:7: WARNING: bnk_report nennt keine „kommune“ (den Namen der Kommune, z. B. "
        '"kommune": "Stadt Beispiel"); Titel, Tabellen und Export brauchen ihn. [bnk.config]',
    ),
]


@pytest.mark.parametrize(
    ("root", "change", "warnings"), [(c[1], c[2], list(c[3:])) for c in ONE_CHANGE], ids=[c[0] for c in ONE_CHANGE]
)
def test_one_change_gives_its_located_warnings(make_bnk_app, root, change, warnings):
    app = make_bnk_app(root, prepare=change)
    app.build()
    assert bnk_warnings_of(app) == warnings


def test_unknown_comparison_series_is_accepted_and_labelled(tmp_path):
    """Accepted and documented: a comparison series is named by its CSV value and shown under
    that name in table and chart; there is no list of "known" regions to check against."""
    csv_path = _write(tmp_path, ".csv", "year,region,value\n2019,,1\n2020,,2\n2019,Atlantis,5\n2020,Atlantis,6\n")
    meta = load_metadata(_write(tmp_path, ".yaml", META), "x")
    view = build_view(meta, load_indicator_csv(csv_path), kommune="Kreis", report_year=None)
    assert [row.label for row in view.rows] == ["Kreis", "Atlantis"]
    assert view.value(2020, "Atlantis").text == "6"
    assert view.change("Atlantis").display_abs == "+1"


# -- the CLI ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"a": 1}', "es fehlen die Teile „report“, „chapters“, „aspects“, „indicators“, „examples“."),
        ("[1, 2]", "erwartet ein JSON-Objekt, gefunden: list."),
        (
            '{"report": {}, "chapters": [], "aspects": [], "indicators": [1], "examples": []}',
            "etwas anderes als Einträge",
        ),
    ],
    ids=["other-object", "list", "bad-records"],
)
def test_bnk_diff_refuses_json_that_is_no_export(tmp_path, content, message):
    from test_authoring import bnk

    other = _write(tmp_path, ".json", content)
    result = bnk("diff", str(other), str(other))
    assert result.returncode == 2
    assert "ist kein BNK-Export (bnk-report.json)" in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr
