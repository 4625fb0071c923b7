"""The indicator directive on a small test root: tables, charts, status, export, incremental builds."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import bnk_warnings_of, warnings_of

NBSP = "\u00a0"


def _html(app, docname: str = "index") -> str:
    return (Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8")


def _section(html: str, indicator_id: str) -> str:
    start = html.index(f'id="indikator-{indicator_id}"')
    end = html.find('<section class="bnk-indicator"', start + 1)
    return html[start : end if end != -1 else len(html)]


def _cells(section: str) -> list[list[str]]:
    """Cells of the indicator table (the first table; the whole series follows in its tab)."""
    table = re.search(r"<table.*?</table>", section, re.S)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(0) if table else "", re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)] for r in rows
    ]


def _text(html: str) -> str:
    html = re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#8211;", "–")


def test_indicator_table_with_land_series_percentage_points_and_report_year(make_bnk_app):
    app = make_bnk_app("indicators")
    app.build()
    assert warnings_of(app) == []
    section = _section(_html(app), "anteil-erneuerbar")
    assert _cells(section) == [
        ["Reihe", "2019", "2020", "2021", "Veränderung absolut", "relativ"],
        ["Kreis Testheim", "25,3", "25,8", "26,2", f"+0,9{NBSP}%P", f"+3,6{NBSP}%"],
        ["NRW", "20,1", "–", "21,9", f"+1,8{NBSP}%P", f"+9,0{NBSP}%"],
    ]
    text = _text(section)
    assert "Definition: Anteil erneuerbarer Energien am Stromverbrauch (Einheit: %)" in text
    assert "Quelle: Testamt" in text
    assert "Der Anteil steigt." in text
    assert "Verhältnis zum gesetzten Ziel Das Ziel ist in Reichweite." in text
    # 2016–2021: +0,84 per year; 2030 projection 33,76 misses 40 by 45 % of the distance.
    assert "Bewertung: Wolke – Methode: Wettersymbole der Deutschen Nachhaltigkeitsstrategie (Destatis)" in text
    assert "Abweichung von" not in text  # the printed figures agree


def test_oldest_value_zero_gives_undefined_relative_change_with_footnote(make_bnk_app):
    app = make_bnk_app("indicators")
    app.build()
    section = _section(_html(app), "kassenkredite")
    assert _cells(section) == [
        ["2019", "2020", "2021", "Veränderung absolut", "relativ"],
        ["0,0", "0,0", "12,5", "+12,5", "–¹"],
    ]
    text = _text(section)
    assert "¹ Relative Veränderung nicht definiert: der älteste gezeigte Wert ist 0." in text
    # A target, three values starting at 0: no growth rate (Open SDG), so no status and no badge.
    assert "Bewertung" not in text


def test_thousands_separator_years_without_and_data_after_report_year_not_counted(make_bnk_app):
    app = make_bnk_app("indicators")
    app.build()
    section = _section(_html(app), "emissionen")
    assert _cells(section) == [
        ["2017", "2018", "2019", "Veränderung absolut", "relativ"],
        ["1.646", "1.595", "1.700", "+54", f"+3,3{NBSP}%"],
    ]
    # Direction target: the average falls (good), the last change rises (bad).
    assert "Bewertung: Leicht bewölkt" in _text(section)
    assert (
        'alt="Diagramm: Treibhausgasemissionen sank von 2.220 Tsd. t CO₂-Äq./a (2015) auf 1.700 Tsd. t CO₂-Äq./a '
        '(2019); Tiefstwert 1.595 Tsd. t CO₂-Äq./a (2018). Ziel: sinkende Werte."' in section
    )


def test_indicator_without_data_shows_its_reason(make_bnk_app):
    app = make_bnk_app("indicators")
    app.build()
    text = _text(_section(_html(app), "steuern"))
    assert "Keine Daten – Begründung Ein Kreis erhebt keine Steuern." in text
    assert "Bewertung" not in text  # no data: no badge, the reason stands alone


def test_html_uses_svg_charts_with_alt_text(make_bnk_app):
    app = make_bnk_app("indicators")
    app.build()
    html = _html(app)
    images = re.findall(r'<img src="(_images/bnk-chart-[0-9a-f]{16}\.svg)" alt="([^"]+)"', html)
    assert len(images) == 3
    assert "Diagramm: Anteil erneuerbarer Energien stieg von 22,0" in images[0][1]
    for src, _ in images:
        svg = (Path(app.outdir) / src).read_text(encoding="utf-8")
        assert svg.startswith("<?xml") and "<svg" in svg
        assert "<dc:date>" not in svg  # no timestamp: reproducible


def test_latex_uses_pdf_charts(make_bnk_app):
    app = make_bnk_app("indicators", "latex")
    app.build()
    assert warnings_of(app) == []
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    names = re.findall(r"\\bnkfigure\{(bnk-chart-[0-9a-f]{16}\.pdf)\}", tex)
    assert len(names) == 3
    for name in names:
        assert (Path(app.outdir) / name).read_bytes().startswith(b"%PDF")
    assert r"+0,9~\%P" in tex or "+0,9\u00a0\\%P" in tex or r"+0,9\nobreakspace{}\%P" in tex


def test_rebuild_renders_no_chart_and_gives_identical_bytes(make_bnk_app):
    app = make_bnk_app("indicators")
    app.build()
    charts = sorted((Path(app.outdir) / "_images").glob("bnk-chart-*.svg"))
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in charts}
    # Full re-read and re-write (-E): the charts exist and are not drawn again.
    again = make_bnk_app("indicators", srcdir=app.srcdir, freshenv=True)
    again.build()
    after = {
        p.name: (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted((Path(app.outdir) / "_images").glob("bnk-chart-*.svg"))
    }
    assert after == before
    # A clean build elsewhere draws byte-identical charts.
    other = make_bnk_app("indicators")
    assert other.srcdir != app.srcdir
    other.build()
    fresh = {p.name: p.read_bytes() for p in (Path(other.outdir) / "_images").glob("bnk-chart-*.svg")}
    assert fresh == {name: data for name, (_, data) in before.items()}


def test_csv_edit_outdates_exactly_the_dependent_page_and_redraws_only_its_chart(make_bnk_app):
    app = make_bnk_app("indicators")
    other = Path(app.srcdir) / "andere.md"
    other.write_text("# Andere Seite\n\n```{indicator} emissionen\n```\n", encoding="utf-8")
    index = Path(app.srcdir) / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n```{toctree}\nandere\n```\n", encoding="utf-8")
    app.build()
    images = Path(app.outdir) / "_images"
    before = {p.name for p in images.glob("bnk-chart-*.svg")}
    csv = Path(app.srcdir) / "data/kassenkredite.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("12.5", "13.5"), encoding="utf-8")
    second = make_bnk_app("indicators", srcdir=app.srcdir)
    second.builder.read()  # what Sphinx decides to re-read
    assert set(second.builder.env.found_docs) >= {"index", "andere"}
    second = make_bnk_app("indicators", srcdir=app.srcdir)
    second.build()
    status = second._status.getvalue()
    assert "0 added, 1 changed, 0 removed" in status  # index.md only, not andere.md
    after = {p.name for p in images.glob("bnk-chart-*.svg")}
    assert len(after - before) == 1  # exactly one new chart
    assert "+13,5" in _html(second)


def test_export_json(make_bnk_app):
    app = make_bnk_app("indicators")
    app.build()
    text = (Path(app.outdir) / "bnk-report.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["report"] == {"edition": "test", "kommune": "Kreis Testheim", "report_year": 2021, "schema_version": 3}
    indicators = {i["id"]: i for i in data["indicators"]}
    share = indicators["anteil-erneuerbar"]
    assert share["shown_years"] == [2019, 2020, 2021]
    assert share["shown_values"] == [25.3, 25.8, 26.2]
    assert share["change_abs"] == 0.9
    assert share["change_rel"] == 3.6
    assert share["display"] == {"change_abs": f"+0,9{NBSP}%P", "change_rel": f"+3,6{NBSP}%"}
    assert share["status"] == "wolke"
    assert share["series"]["NRW"] == {"years": [2019, 2021], "values": [20.1, 21.9]}
    assert indicators["kassenkredite"]["change_rel"] is None
    assert indicators["kassenkredite"]["display"]["change_rel"] == "–"
    assert indicators["steuern"]["shown_years"] == []
    assert [a["number"] for a in data["aspects"]] == ["10.1"]
    assert data["chapters"][0]["status"] == "berichtet"
    assert text == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _break(app, name: str, old: str, new: str) -> None:
    path = Path(app.srcdir) / "data" / name
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_decimal_comma_gives_located_warning_and_visible_error_box(make_bnk_app):
    app = make_bnk_app("indicators")
    _break(app, "anteil-erneuerbar.csv", "2020,,25.8", "2020,,25,7")
    app.build()
    assert bnk_warnings_of(app) == [
        "<srcdir>/data/anteil-erneuerbar.csv:7: WARNING: Zeile hat 4 Felder, die Kopfzeile 3. Steht hier ein Dezimalkomma („25,7“)? In der CSV-Datei gilt der Dezimalpunkt, z. B. „25.7“. [bnk.csv]"
    ]
    text = _text(_section(_html(app), "anteil-erneuerbar"))
    assert (
        "Fehler in den Indikatordaten Zeile hat 4 Felder, die Kopfzeile 3. Steht hier ein Dezimalkomma („25,7“)?"
        in text
    )
    assert "(data/anteil-erneuerbar.csv:7)" in text
    assert "Der Anteil steigt." in text  # the statement is not lost


def test_unknown_indicator_and_missing_reason(make_bnk_app):
    app = make_bnk_app("indicators")
    index = Path(app.srcdir) / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n```{indicator} gibt-es-nicht\n```\n", encoding="utf-8")
    _break(app, "steuern.yaml", "no_data_reason: Ein Kreis erhebt keine Steuern.\n", "source: Testamt\n")
    app.build()
    assert bnk_warnings_of(app) == [
        "<srcdir>/data/steuern.yaml:1: WARNING: Indikator „steuern“ hat keine Daten (data/steuern.csv fehlt) und keine Begründung (no_data_reason in den Metadaten). [bnk.indicator]",
        "<srcdir>/index.md:26: WARNING: Unbekannter Indikator „gibt-es-nicht“: data/gibt-es-nicht.yaml fehlt. [bnk.indicator]",
    ]


def test_bad_metadata_is_located(make_bnk_app):
    app = make_bnk_app("indicators")
    _break(
        app,
        "emissionen.yaml",
        'targets:\n  - {direction: lower, text: "sinken"}\n',
        "targets:\n  - {value: viel, year: 2030}\n",
    )
    _break(app, "kassenkredite.yaml", "direction: lower\n", "")
    app.build()
    assert bnk_warnings_of(app) == [
        "<srcdir>/data/emissionen.yaml:8: WARNING: Ziel 1 in „targets“: „value“ muss eine Zahl sein. [bnk.meta]",
        "<srcdir>/data/kassenkredite.yaml:1: WARNING: Pflichtfeld „direction“ fehlt. [bnk.meta]",
    ]


def test_strict_build_fails_on_bad_csv(make_bnk_app):
    app = make_bnk_app("indicators", warningiserror=True, keep_going=True)
    _break(app, "kassenkredite.csv", "2020,0.0", "2020,null")
    app.build()
    assert app.statuscode == 1
