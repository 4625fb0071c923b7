"""sphinx-design in the report: indicator cards with "Diagramm | Tabelle" tabs, Praxisbeispiele as
cards, the start page's grid of chapters, badges – and their plain form in print (LaTeX)."""

from __future__ import annotations

import json
import re

from conftest import warnings_of

NBSP = "\u00a0"


def _section(html: str, indicator: str) -> str:
    start = html.index(f'id="indikator-{indicator}"')
    end = html.find("<section", start + 1)
    return html[start : end if end > 0 else len(html)]


def _cells(table: str) -> list[list[str]]:
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)] for r in rows
    ]


def test_indicator_is_a_card_with_chart_and_whole_series_tabs(make_bnk_app):
    app = make_bnk_app("indicators")
    app.build()
    assert warnings_of(app) == []
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    section = _section(html, "anteil-erneuerbar")
    assert 'class="sd-card sd-sphinx-override sd-mb-3 sd-shadow-sm bnk-design bnk-indicator-card' in section
    labels = re.findall(r'<label [^>]*class="sd-tab-label"[^>]*>\s*(.*?)\s*</label>', section, re.S)
    assert labels == ["Diagramm", "Tabelle"]
    panels = re.split(r'<div class="sd-tab-content[^"]*"[^>]*>', section)[1:]
    assert 'class="bnk-chart"' in panels[0]
    series = panels[1]
    assert "<caption" in series and "Zeitreihe: Anteil erneuerbarer Energien (%)" in series
    # Every year up to the report year 2021 (2022 is later), the Land series, the target.
    assert _cells(series) == [
        ["Jahr", "Kreis Testheim", "NRW"],
        ["2016", "22,0", "–"],
        ["2017", "23,5", "–"],
        ["2018", "24,1", "–"],
        ["2019", "25,3", "20,1"],
        ["2020", "25,8", "–"],
        ["2021", "26,2", "21,9"],
        ["Ziel 2030", "40,0", "–"],
    ]
    assert series.count('<th class="stub" scope="row">') == 7
    assert series.count('scope="col"') == 3
    assert "Ziele:</strong> 40 % bis 2030" in series
    assert re.search(r'Bewertung:</strong> <span class="sd-badge bnk-badge bnk-badge-assessment">[^<]+</span>', section)


def _unit(tex: str, title: str) -> str:
    start = tex.index(f"\\section{{{title}}}")
    following = tex.find("\\section{", start + 1)
    return tex[start : following if following > 0 else len(tex)]


def test_print_shows_one_table_beside_the_chart_and_no_tab_label(make_bnk_app):
    app = make_bnk_app("indicators", "latex")
    app.build()
    tex = next(p for p in app.outdir.glob("*.tex") if "chart" not in p.name).read_text(encoding="utf-8")
    assert "sd-tab" not in tex
    assert "sd-card" not in tex
    assert "{Diagramm}" not in tex and "{Tabelle}" not in tex
    unit = _unit(tex, "Anteil erneuerbarer Energien")
    # One table, not the values twice: the whole series with the targets and the change below it,
    # with a caption that LaTeX numbers ("Tabelle 1: …").
    assert unit.count("\\begin{tabular}") == 1 and "Zeitreihe" not in unit and "Werte und Ver" not in unit
    caption = unit.index("\\sphinxcaption{Anteil erneuerbarer Energien (\\%)}")
    for cell in (
        "22,0",
        "23,5",
        "24,1",
        "20,1",
        "21,9",
        "Ziel 2030",
        "40,0",
        "Veränderung absolut",
        "Veränderung relativ",
    ):
        assert cell in unit[caption:], cell
    # The change as the key figure, above the table; this chart is wide: below the table.
    assert unit.index("bnk-keyfigure") < caption < unit.index("bnk-chart-")
    assert "bnkblock" not in unit
    # A narrow chart stands beside its table: the table left, the chart right.
    unit = _unit(tex, "Liquiditätskredite")
    marks = ("bnk-keyfigure", "\\bnkblockbegin", "\\sphinxcaption", "\\bnkblocknext", "bnk-chart-", "\\bnkblockend")
    order = [unit.index(mark) for mark in marks]
    assert order == sorted(order)


def test_start_page_grid_shows_each_chapter_with_its_status_from_the_coverage(site):
    root, _ = site
    html = (root / "index.html").read_text(encoding="utf-8")
    export = json.loads((root / "bnk-report.json").read_text(encoding="utf-8"))
    cards = re.findall(r"bnk-chapter-card bnk-chapter-(\S+) sd-w-100", html)
    assert len(cards) == 18
    statuses = [c["status"] for c in sorted(export["chapters"], key=lambda c: c["number"])]
    assert cards == statuses
    badges = re.findall(r'<span class="sd-badge bnk-badge bnk-badge-(\S+?)">(.*?)</span>', html)
    assert len(badges) == 18 and {b[0] for b in badges} <= {"berichtet", "begründet", "fehlt"}
    assert "3 von 4 Aspekten berichtet, 1 begründet ausgelassen" in html  # Kriterium 01


def test_praxisbeispiele_are_cards(site):
    root, _ = site
    html = (root / "handlungsfelder/10-klimaschutz-und-energie.html").read_text(encoding="utf-8")
    assert html.count("bnk-example-card") == 3
    assert html.count("bnk-indicator-card") == 3
