"""The ``bnk:wert`` role: figures in running text computed from the data, never typed by hand."""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from bnk.data import BnkDataError
from bnk.data.csvdata import IndicatorData, Series
from bnk.data.metadata import IndicatorMeta
from bnk.data.numbers import compute_change
from bnk.data.values import indicator_figure, parse_reference
from bnk.review import diff_exports, to_markdown
from conftest import bnk_warnings_of
from hypothesis import given, settings
from hypothesis import strategies as st
from test_report import build

NBSP = "\u00a0"
REPO = Path(__file__).resolve().parent.parent

# -- the role in a small test root ------------------------------------------------------------


@pytest.fixture
def values_app(make_bnk_app):
    app = make_bnk_app("values")
    app.build()
    return app


def test_role_computes_every_kind_of_figure_exactly(values_app):
    export = json.loads((Path(values_app.outdir) / "bnk-report.json").read_text(encoding="utf-8"))
    shown = {v["reference"]: (v["text"], v["number"], v["years"], v["origin"]) for v in export["values"]}
    assert shown == {
        "anteil-erneuerbar:year:2019": ("2019", None, [2019], "data"),
        "anteil-erneuerbar:year": ("2021", None, [2021], "data"),
        "anteil-erneuerbar:value": ("26,2", "26.2", [2021], "data"),
        # 25.3 → 26.2 over the shown years 2019–2021, as in the indicator table
        "anteil-erneuerbar:change_abs": (f"+0,9{NBSP}%P", "0.9", [2019, 2021], "data"),
        "anteil-erneuerbar:change_rel": (f"+3,6{NBSP}%", "3.6", [2019, 2021], "data"),
        # the NRW series of the CSV over the same years: 20.1 → 21.9
        "anteil-erneuerbar:change_abs:NRW": (f"+1,8{NBSP}%P", "1.8", [2019, 2021], "data"),
        "anteil-erneuerbar:value:NRW": ("21,9", "21.9", [2021], "data"),
        # the Bund has no series: the documented comparison metadata
        "anteil-erneuerbar:change_rel:Bund": (f"+5,0{NBSP}%", "5.0", [], "comparison"),
        "anteil-erneuerbar:change_abs:2016-2021": (f"+4,2{NBSP}%P", "4.2", [2016, 2021], "data"),
        "tabellen/umfrage:count:antwort=ja": ("2", "2", [], "table"),
        "tabellen/umfrage:count": ("3", "3", [], "table"),
        "tabellen/umfrage:share:antwort=ja": (f"67{NBSP}%", "66.67", [], "table"),
        "tabellen/umfrage:sum:anzahl:antwort=ja": ("4,5", "4.5", [], "table"),
        "tabellen/umfrage:value:amt=Amt B:anzahl": ("2", "2", [], "table"),
        "ohne-seite:value": ("12,5", "12.5", [2021], "data"),
        # computed over the default three points (2019–2021), hence the warning below …
        "kassenkredite:change_abs": ("+12,5", "12.5", [2019, 2021], "data"),
        # … and with the period of the table named, as the warning asks
        "kassenkredite:change_abs:2020-2021": ("+12,5", "12.5", [2020, 2021], "data"),
    }
    page = (Path(values_app.outdir) / "index.html").read_text(encoding="utf-8")
    # linked to the indicator's anchor, text exactly as in the indicator table
    assert (
        '<a class="reference internal" href="#indikator-anteil-erneuerbar" title="Anteil erneuerbarer Energien">'
        f'<span class="bnk-value">+3,6{NBSP}%</span></a>'
    ) in page
    table = page[page.index('id="indikator-anteil-erneuerbar"') :]
    assert f"+0,9{NBSP}%P" in table
    assert f"+3,6{NBSP}%" in table
    # the comparison metadata stands with the indicator, with its source
    assert (
        f"Vergleich Bundesdurchschnitt: relative Veränderung +5,0{NBSP}% (Zeitraum nicht angegeben; "
        "Quelle: Testbericht 2021, S. 3)."
    ) in html.unescape(page)


def test_unresolved_references_are_located_warnings_and_stay_visible(values_app):
    assert bnk_warnings_of(values_app) == [
        "<srcdir>/index.md:14: WARNING: Wert „unbekannt:value“: Unbekannter Indikator „unbekannt“: "
        "data/unbekannt.yaml fehlt. [bnk.value]",
        "<srcdir>/index.md:16: WARNING: Wert „anteil-erneuerbar:change_rel:Bayern“: Indikator "
        "„anteil-erneuerbar“ hat keine Reihe und keinen Vergleich „Bayern“ (vorhanden: Bund, NRW). [bnk.value]",
        "<srcdir>/index.md:18: WARNING: Wert „anteil-erneuerbar:mittel“: Unbekannte Größe „mittel“; erlaubt: "
        "value, year, change_abs, change_rel, difference. [bnk.value]",
        "<srcdir>/index.md:20: WARNING: Wert „anteil-erneuerbar:value:2022“: Indikator „anteil-erneuerbar“: "
        "kein Wert für 2022 (Kreis Testheim; vorhanden: 2016, 2017, 2018, 2019, 2020, 2021). [bnk.value]",
        "<srcdir>/index.md:22: WARNING: Wert „kassenkredite:change_rel“: Die relative Veränderung von "
        "„kassenkredite“ ist nicht definiert: der älteste Wert ist 0. [bnk.value]",
        "<srcdir>/index.md:24: WARNING: Wert „tabellen/umfrage:value:antwort=ja:anzahl“: "
        "„tabellen/umfrage:value:antwort=ja:anzahl“ trifft 2 Zeilen mit einem Wert; für „value“ muss es "
        "genau eine sein. [bnk.value]",
        "<srcdir>/index.md:26: WARNING: Der Wert aus Indikator „ohne-seite“ kann nicht verlinkt werden: der "
        "Indikator steht auf keiner Seite des Berichts. [bnk.value]",
        # the page shows kassenkredite with :points: 2 – the text must name the period
        "<srcdir>/index.md:28: WARNING: Die Veränderung von „kassenkredite“ im Text gilt für 2019–2021, die "
        "Tabelle des Indikators zeigt 2020–2021; bitte den Zeitraum im Verweis nennen. [bnk.value]",
    ]
    page = (Path(values_app.outdir) / "index.html").read_text(encoding="utf-8")
    assert '<span class="bnk-value bnk-value-error">[Wert fehlt: unbekannt:value]</span>' in page


def test_a_changed_csv_rebuilds_the_page_and_bnk_diff_reports_the_figure(make_bnk_app):
    app = make_bnk_app("values")
    app.build()
    old = json.loads((Path(app.outdir) / "bnk-report.json").read_text(encoding="utf-8"))
    csv_path = Path(app.srcdir) / "data/anteil-erneuerbar.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace("2021,,26.2", "2021,,27.2"), encoding="utf-8")
    again = make_bnk_app("values", srcdir=Path(app.srcdir))
    again.build()
    new = json.loads((Path(again.outdir) / "bnk-report.json").read_text(encoding="utf-8"))
    texts = {v["reference"]: v["text"] for v in new["values"]}
    assert texts["anteil-erneuerbar:change_abs"] == f"+1,9{NBSP}%P"
    assert texts["anteil-erneuerbar:value"] == "27,2"
    review = to_markdown(diff_exports(old, new, "alt", "neu"))
    assert f"`anteil-erneuerbar:change_abs` (index): +0,9{NBSP}%P → +1,9{NBSP}%P" in review
    assert "`anteil-erneuerbar:value` (index): 26,2 → 27,2" in review
    assert "## Werte im Text" in review


# -- the data layer --------------------------------------------------------------------------


def test_reference_syntax():
    ref = parse_reference("strom-windkraft:change_rel:NRW:2015-2018")
    assert (ref.source, ref.op, ref.series, ref.years) == ("strom-windkraft", "change_rel", "NRW", (2015, 2018))
    ref = parse_reference("tabellen/jobticket:value:posten=Zuschuss des Kreises:betrag")
    assert (ref.is_table, ref.filters, ref.column) == (True, (("posten", "Zuschuss des Kreises"),), "betrag")
    for bad, message in [
        ("windkraft", "ist kein gültiger Wertverweis"),
        ("Windkraft:value", "keine gültige Indikator-ID"),
        ("a:value:2015:NRW:Bund", "weder ein Jahr noch ein Zeitraum noch eine Reihe"),
        ("a:difference", "braucht eine Vergleichsreihe"),
        ("tabellen/x:share", "braucht eine Bedingung"),
        ("tabellen/x:sum", "braucht eine Zahlenspalte"),
        ("tabellen/x:value:", "braucht eine Zahlenspalte"),  # an empty part is no column (was ValueError)
    ]:
        with pytest.raises(BnkDataError, match=message):
            parse_reference(bad)


def _meta(unit: str) -> IndicatorMeta:
    return IndicatorMeta("x", "x.yaml", "X", "X", unit, "Test", "eigene", "higher")


@settings(deadline=None, max_examples=80)
@given(
    values=st.lists(
        st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False, allow_infinity=False),
        min_size=2,
        max_size=8,
    ),
    percent=st.booleans(),
)
def test_role_change_is_the_table_change(values, percent):
    """Whatever the series, the role shows exactly what the indicator table shows."""
    years = tuple(range(2010, 2010 + len(values)))
    data = IndicatorData("x.csv", (Series("", years, tuple(values), tuple(str(v) for v in values), years),))
    meta = _meta("%" if percent else "Anzahl")
    shown = values[-3:]
    decimals = max(len(str(v).split(".")[1]) if "." in str(v) else 0 for v in values)
    change = compute_change(shown[0], shown[-1], decimals, percent)
    figure = indicator_figure(parse_reference("x:change_abs"), meta, data, None)
    assert figure.text == change.display_abs
    assert figure.years == (years[-3] if len(years) >= 3 else years[0], years[-1])
    if change.relative is None:
        with pytest.raises(BnkDataError, match="nicht definiert"):
            indicator_figure(parse_reference("x:change_rel"), meta, data, None)
    else:
        assert indicator_figure(parse_reference("x:change_rel"), meta, data, None).text == change.display_rel


def test_report_year_limits_the_figures():
    years = (2020, 2021, 2022, 2023, 2024)
    values = tuple(Decimal(v) for v in ("1", "2", "3", "4", "9"))
    data = IndicatorData("x.csv", (Series("", years, values, tuple(map(str, values)), years),))
    figure = indicator_figure(parse_reference("x:value"), _meta("Anzahl"), data, 2023)
    assert (figure.text, figure.years) == ("4", (2023,))
    assert indicator_figure(parse_reference("x:change_abs"), _meta("Anzahl"), data, 2023).text == "+2"
    with pytest.raises(BnkDataError, match="kein Wert für 2024"):
        indicator_figure(parse_reference("x:value:2024"), _meta("Anzahl"), data, 2023)


# -- the real report: no computed figure typed into prose -----------------------------------

ROLE = re.compile(r"\{bnk:wert\}`[^`]*`")
LINK = re.compile(r"\]\([^)]*\)|https?://\S+")
# A percent figure ("14,4 %", "+0,9 %P") or a signed number ("+44", "−8,1", "-625").
FIGURE = re.compile(r"(?<![\w.,/–-])[+±−-]\s?\d+(?:[.,]\d+)*(?:\s?%P?)?|\d+(?:[.,]\d+)?\s?%P?")
# Quoted figures that are not computed from data: legal rates, targets, contract terms, survey
# results of a source. Each is (page, exact phrase); a new one needs a reason here.
ALLOWED = {
    ("kriterien/06-nachhaltige-verwaltung.md", "Mobil-Office-Quote von 30 %"),  # target of the Kreis
    ("kriterien/06-nachhaltige-verwaltung.md", "30 % bis zum Jahr 2026"),  # the same target, quoted
    ("kriterien/06-nachhaltige-verwaltung.md", "bei über 20 %"),  # stated share, no data series
    ("kriterien/06-nachhaltige-verwaltung.md", "Ziel von 30 %"),  # the target again
    ("kriterien/06-nachhaltige-verwaltung.md", "25 % des Grundpreises"),  # contract term of the Jobticket
    ("kriterien/06-nachhaltige-verwaltung.md", "um 5 %"),  # contract term of the Jobticket
    ("kriterien/07-vergabe-und-beschaffung.md", "Preis (60 %), Stromverbrauch (30 %) und Geräuschemission (10 %)"),
    ("kriterien/08-finanzen.md", "Zinslastquote von bis zu 5 %"),  # threshold of the municipal finance rules
    ("handlungsfelder/11-ressourcenschutz-und-klimafolgenanpassung.md", "fast 60 % auf LED"),  # stated
    ("handlungsfelder/11-ressourcenschutz-und-klimafolgenanpassung.md", "rund 75 %"),  # stated estimate
    ("handlungsfelder/13-lebenslanges-lernen.md", "auf bis zu 14 %"),  # result of the swimming project
}


def typed_figures(page: str, text: str) -> list[str]:
    """Percent figures and signed changes in a page's Markdown outside ``bnk:wert`` and the allow-list."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        plain = LINK.sub("", ROLE.sub("", line))
        for phrase in (p for name, p in ALLOWED if name == page):
            plain = plain.replace(phrase, "")
        found += [f"{page}:{number}: {m.group()}" for m in FIGURE.finditer(plain)]
    return found


def report_pages() -> list[Path]:
    pages = [p for p in REPO.glob("*.md") if p.name not in ("README.md", "BENCHMARKS.md")]
    return sorted(pages) + sorted((REPO / "kriterien").glob("*.md")) + sorted((REPO / "handlungsfelder").glob("*.md"))


def test_no_computed_figure_is_typed_into_the_report():
    found = []
    for page in report_pages():
        found += typed_figures(page.relative_to(REPO).as_posix(), page.read_text(encoding="utf-8"))
    assert found == []


def test_a_typed_land_average_is_caught():
    page = "handlungsfelder/10-klimaschutz-und-energie.md"
    text = (REPO / page).read_text(encoding="utf-8")
    typed = text.replace("{bnk:wert}`strom-photovoltaik:change_rel:NRW`", "+14,4 %")
    assert typed != text
    line = typed[: typed.index("+14,4 %")].count("\n") + 1
    assert typed_figures(page, typed) == [f"{page}:{line}: +14,4 %"]
    assert typed_figures(page, "im Landesdurchschnitt (−8,1 %) und +44 GWh") == [
        f"{page}:1: −8,1 %",
        f"{page}:1: +44",
    ]


def test_jobticket_table_is_consistent():
    """The Jobticket amounts of Kriterium 06 follow from the Grundpreis and the contract terms."""
    rows = dict(
        line.split(",")[:2]
        for line in (REPO / "data/tabellen/jobticket.csv").read_text(encoding="utf-8").splitlines()[1:]
    )
    base = Decimal(rows["Deutschlandticket"])
    assert Decimal(rows["Deutschland-Jobticket"]) == base * Decimal("0.95")
    assert Decimal(rows["Zuschuss des Kreises"]) == base * Decimal("0.25")
    assert Decimal(rows["Eigenanteil der Bediensteten"]) == Decimal(rows["Deutschland-Jobticket"]) - Decimal(
        rows["Zuschuss des Kreises"]
    )


def _text_of(page: Path) -> str:
    body = page.read_text(encoding="utf-8")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", body)).split())


def _assert_fairtrade_sentences(srcdir: Path, towns: int) -> None:
    """Build the report; the sentences of 17 and 18 say that ``towns`` of the 10 Kommunen are
    Fairtrade-Towns (and the other ``10 - towns`` are not yet)."""
    out = srcdir / "_build/html/handlungsfelder"
    _status, warnings = build(srcdir)
    assert [w for w in warnings if "[bnk." in w] == []
    hf17 = _text_of(out / "17-nachhaltiger-konsum-und-gesundes-leben.html")
    hf18 = _text_of(out / "18-globale-verantwortung-und-eine-welt.html")
    assert f"tragen {towns} der 10 kreisangehörigen Kommunen die Auszeichnung als Fairtrade-Town (Stand 2023)" in hf17
    assert f"Bereits {towns} kreisangehörige Kommunen" in hf18
    assert f"dass auch die übrigen {10 - towns} kreisangehörigen Kommunen diese Auszeichnung erlangen" in hf18


def test_one_changed_value_in_fairtrade_town_changes_the_sentences_in_17_and_18(heinsberg_scratch):
    srcdir = heinsberg_scratch()
    _assert_fairtrade_sentences(srcdir, 2)
    assert "Bereits 2 kreisangehörige Kommunen, Geilenkirchen und Hückelhoven" in _text_of(
        srcdir / "_build/html/handlungsfelder/18-globale-verantwortung-und-eine-welt.html"
    )

    csv_path = srcdir / "data/fairtrade-town.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace("2023,2", "2023,3"), encoding="utf-8")
    _assert_fairtrade_sentences(srcdir, 3)
