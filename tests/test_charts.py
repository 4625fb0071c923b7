"""Charts that tell the truth and that everyone can read: ticks, axes, layout, colours, alt texts."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from bnk.charts import (
    LINESTYLES,
    MARKERS,
    NARROW_IN,
    PALETTE,
    RC,
    TARGET_COLOUR,
    axis_notes,
    chart_spec,
    chart_width,
    draw_figure,
    format_tick,
    needs_narrow,
    nice_ticks,
    palette,
    render_chart,
    time_axis,
    value_axis,
)
from bnk.data.alttext import Points, alt_text, no_chart_sentence, series_points
from bnk.data.colours import MIN_CONTRAST, MIN_DISTANCE, VISIONS, accessible, contrast, delta_e2000, min_distance
from bnk.data.csvdata import load_indicator_csv
from bnk.data.metadata import load_metadata
from conftest import warnings_of
from hypothesis import given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parent.parent
D = Decimal
MINUS = "\u2212"
NBSP = "\u00a0"


def spec_of(*series: tuple[str, list[int], list[str]], unit: str = "t", decimals: int = 1, targets=()) -> dict:
    return {
        "series": [{"label": label, "years": years, "values": values} for label, years, values in series],
        "targets": list(targets),
        "unit": unit,
        "decimals": decimals,
        "title": "Test",
        "colours": list(PALETTE),
        "alt": "Diagramm: Test.",
    }


def real_spec(indicator: str, report_year: int = 2023) -> dict:
    meta = load_metadata(REPO / "data" / f"{indicator}.yaml", indicator)
    data = load_indicator_csv(REPO / "data" / f"{indicator}.csv")
    decimals = meta.decimals if meta.decimals is not None else 0
    return chart_spec(meta, data, kommune="Kreis Heinsberg", report_year=report_year, decimals=decimals)


# -- tick labels -------------------------------------------------------------------------------


def test_tick_labels_use_the_true_minus_sign_and_german_decimals():
    assert format_tick(D("-0.5"), 1) == f"{MINUS}0,5"
    assert format_tick(D("1500"), 0) == "1.500"
    assert format_tick(D("0"), 1) == "0,0"
    axis = value_axis(spec_of(("", [2019, 2020], ["-0.5", "1.0"])))
    assert axis.labels == (f"{MINUS}0,5", "0,0", "0,5", "1,0")
    assert not axis.zoomed


def test_the_repeated_ticks_of_the_printed_report_are_gone():
    # Abfallmenge 0,50 / 0,52 / 0,51 t: the old axis printed "0,52 / 0,52 / 0,51".
    axis = value_axis(real_spec("abfallmenge"))
    assert axis.labels == ("0,0", "0,2", "0,4", "0,6")


def test_negative_values_get_minus_signs_and_a_zero_line():
    axis = value_axis(real_spec("finanzmittelsaldo"))
    assert axis.labels == (f"{MINUS}60", f"{MINUS}40", f"{MINUS}20", "0", "20")


def test_counts_get_integer_ticks():
    # Fairtrade-Town: 1 and 2 (Anzahl, no decimals) -> 0, 1, 2; never 0,5 or 1,5.
    assert value_axis(real_spec("fairtrade-town")).labels == ("0", "1", "2")


series_values = st.lists(
    st.decimals(min_value=-(10**7), max_value=10**7, places=3, allow_nan=False, allow_infinity=False),
    min_size=2,
    max_size=15,
)


def _parse_german(label: str) -> Decimal:
    return Decimal(label.replace(".", "").replace(",", ".").replace(MINUS, "-"))


@given(values=series_values, decimals=st.integers(0, 3), index=st.booleans())
@settings(max_examples=300, deadline=None)
def test_tick_labels_are_distinct_exact_and_cover_the_data(values, decimals, index):
    values = [round(v, decimals) for v in values]
    spec = spec_of(("", list(range(2000, 2000 + len(values))), [str(v) for v in values]), decimals=decimals)
    spec["unit"] = "Index" if index else "t"
    axis = value_axis(spec)
    assert len(set(axis.labels)) == len(axis.labels)  # never "0,52 / 0,52"
    assert 2 <= len(axis.labels) <= 6
    assert [_parse_german(label) for label in axis.labels] == list(axis.ticks)  # a label is its tick
    assert all(label.lstrip(MINUS)[0].isdigit() for label in axis.labels) and "-" not in "".join(axis.labels)
    assert axis.lo <= min(values) and axis.hi >= max(values)
    if not axis.zoomed:  # quantities and counts start at 0
        assert axis.lo <= 0 <= axis.hi
    else:
        assert index and axis_notes(spec) == [f"Die Werteachse beginnt bei {axis.labels[0]}, nicht bei 0."]
    if decimals == 0:  # counts: integer ticks
        assert all(t == t.to_integral_value() for t in axis.ticks)


@given(lo=st.decimals(-1000, 1000, places=2), span=st.decimals(0, 1000, places=2), integer=st.booleans())
def test_nice_ticks_are_evenly_spaced(lo, span, integer):
    ticks = nice_ticks(lo, lo + span, integer)
    steps = {b - a for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1 and ticks[0] <= lo and ticks[-1] >= lo + span
    assert steps.pop().normalize().as_tuple().digits in ((1,), (2,), (2, 5), (5,))


def test_only_a_unit_without_zero_is_zoomed_and_then_marked():
    index = real_spec("landschaftsqualitaet")
    assert value_axis(index).zoomed
    assert index["notes"] == ["Die Werteachse beginnt bei 4,82, nicht bei 0."]
    assert index["alt"].endswith("Die Werteachse beginnt bei 4,82, nicht bei 0.")
    # Pflegeheimplätze 56,9 … 57,2 would look dramatic when zoomed; as a quantity it starts at 0.
    assert value_axis(real_spec("pflegeheimplaetze")).labels[0] == "0"


def test_a_far_target_year_is_set_after_a_marked_break_of_the_time_axis():
    spec = real_spec("co2-bilanz")
    times = time_axis(spec)
    assert times.ticks == (2015, 2017, 2018, 2035)
    assert times.break_after == 2018 and times.positions[2035] == 2020
    assert spec["notes"] == ["Die Zeitachse ist zwischen 2018 und 2035 unterbrochen."]


# -- no chart for nothing to show ---------------------------------------------------------------


def test_all_zero_and_single_point_series_get_a_sentence_instead_of_a_chart():
    zeros = Points("Kreis", (2020, 2021, 2022), (D("0.0"), D("0"), D("0.00")))
    assert no_chart_sentence(zeros) == "Kein Diagramm: Von 2020 bis 2022 sind alle Werte 0."
    assert no_chart_sentence(Points("Kreis", (2023,), (D(17),))) == "Kein Diagramm: Es gibt nur einen Wert (2023)."
    assert no_chart_sentence(zeros, [Points("NRW", (2021,), (D(3),))]) is None  # the comparison shows something
    assert no_chart_sentence(Points("Kreis", (2020, 2021), (D(0), D(1)))) is None


@pytest.mark.langsam  # builds a report with Sphinx
@pytest.mark.parametrize("builder", ["html", "latex"])
def test_the_sentence_stands_in_html_and_latex_and_no_chart_is_drawn(make_bnk_app, builder):
    app = make_bnk_app("charts", builder)
    app.build()
    assert warnings_of(app) == []
    out = Path(app.outdir)
    text = (out / "index.html").read_text("utf-8") if builder == "html" else next(out.glob("*.tex")).read_text("utf-8")
    assert "Kein Diagramm: Von 2020 bis 2022 sind alle Werte 0." in text
    assert "Kein Diagramm: Es gibt nur einen Wert (2023)." in text
    note = "Die Zeitachse ist zwischen 2023 und 2030 unterbrochen."
    if builder == "html":
        assert "Abbildung: Straftaten (Straftaten je 10.000 Einwohnende) " + note + "</figcaption>" in text
        assert len(re.findall(r'<figure class="bnk-chart">', text)) == 2
        assert len(list((out / "_images").glob("bnk-chart-*.svg"))) == 3  # two charts, one narrow rendition
    else:
        # The note stands under the chart; the caption (and the list of figures) stays the title.
        assert re.search(
            r"\\bnkfigure\{bnk-chart-[0-9a-f]{16}\.pdf\}\{Straftaten \(Straftaten je 10\.000 Einwohnende\)\}\n"
            r"\{\\small\\sffamily " + re.escape(note) + r"\\par\}",
            text,
        )
        assert len(re.findall(r"\\bnkfigure\{bnk-chart-", text)) == 2
        assert len(list(out.glob("bnk-chart-*.pdf"))) == 2


# -- size follows the data ---------------------------------------------------------------------


def test_chart_width_follows_the_data_and_the_web_gets_a_narrow_rendition_for_long_series():
    short = real_spec("straftaten")
    assert chart_width(short) == NARROW_IN and not needs_narrow(short)
    long = spec_of(("", list(range(2008, 2024)), [str(i) for i in range(16)]))
    assert chart_width(long) == 6.4 and needs_narrow(long)


@pytest.mark.langsam  # builds a report with Sphinx
def test_html_and_latex_use_the_width_hint(make_bnk_app):
    app = make_bnk_app("charts")
    app.build()
    html = (Path(app.outdir) / "index.html").read_text("utf-8")
    assert re.search(
        r'<img src="_images/bnk-chart-[0-9a-f]{16}\.svg" alt="Diagramm: Finanzmittelsaldo [^"]*" '
        r'width="326" height="259" />',
        html,
    )
    picture = re.search(
        r'<picture><source media="\(max-width: 40em\)" srcset="(_images/bnk-chart-[0-9a-f]{16}-schmal\.svg)" '
        r'width="326" height="([0-9]+)" /><img src="(_images/bnk-chart-[0-9a-f]{16}\.svg)" [^>]*'
        r'width="614" height="([0-9]+)" /></picture>',
        html,
    )
    assert picture, html
    narrow = (Path(app.outdir) / picture.group(1)).read_text("utf-8")
    assert 'width="244.8pt"' in narrow
    # The narrow rendition's legend takes more rows: it is taller, and its size says so.
    assert int(picture.group(2)) > int(picture.group(4)) >= 259
    height_pt = float(re.search(r'<svg [^>]*height="([0-9.]+)pt"', narrow).group(1))
    assert abs(height_pt * 4 / 3 - int(picture.group(2))) < 1
    latex = make_bnk_app("charts", "latex")
    latex.build()
    tex = next(Path(latex.outdir).glob("*.tex")).read_text("utf-8")
    names = re.findall(r"\\bnkfigure\{(bnk-chart-[0-9a-f]{16}\.pdf)\}", tex)
    # Print sets a chart at its drawn size (at most the text width): the PDF's page is the width hint.
    widths = [
        float(re.search(rb"/MediaBox \[ *0 0 ([0-9.]+) ", (Path(latex.outdir) / n).read_bytes()).group(1)) / 72
        for n in names
    ]
    assert widths == pytest.approx([NARROW_IN, 6.4])


# -- layout ------------------------------------------------------------------------------------


LAYOUT_CASES = [
    "straftaten",
    "co2-bilanz",
    "breitband-private-haushalte",
    "finanzmittelsaldo",
    "personal-pflegeheime",
    "landschaftsqualitaet",
    "bruttoinlandsprodukt",
    "fairtrade-town",
]


def _long_spec() -> dict:
    return spec_of(
        ("Kreis Heinsberg-Nord", list(range(2008, 2024)), [str(100 + i * 3.7) for i in range(16)]),
        ("Land Nordrhein-Westfalen", list(range(2008, 2024)), [str(120 - i * 1.3) for i in range(16)]),
        ("Bund", list(range(2010, 2024)), [str(90 + i) for i in range(14)]),
        ("Regierungsbezirk Köln", list(range(2012, 2024)), [str(95 + i) for i in range(12)]),
        unit="Beschäftigte je 10.000 stationär Pflegebedürftige",
        targets=[{"value": "200", "year": 2030}, {"value": "150", "year": None}],
    )


@pytest.mark.parametrize("case", [*LAYOUT_CASES, "long", "long-narrow"])
def test_no_label_is_cut_off_and_the_legend_covers_no_data(case):
    import matplotlib

    spec = _long_spec() if case.startswith("long") else real_spec(case)
    with matplotlib.rc_context(RC):
        fig = draw_figure(spec, NARROW_IN if case == "long-narrow" else None)
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        canvas = FigureCanvasAgg(fig)
        canvas.draw()  # lays out and measures every text
        renderer = canvas.get_renderer()
        page = fig.bbox
        texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()]
        assert texts
        for text in texts:
            box = text.get_window_extent(renderer)
            assert box.x0 >= page.x0 - 0.5 and box.x1 <= page.x1 + 0.5, text.get_text()
            assert box.y0 >= page.y0 - 0.5 and box.y1 <= page.y1 + 0.5, text.get_text()
        ax = fig.axes[0]
        area = ax.get_window_extent(renderer)
        for legend in fig.legends:
            assert not legend.get_window_extent(renderer).overlaps(area)  # legend outside the plot
        labels = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
        for a, b in itertools.pairwise(labels):
            assert a.x1 < b.x0, "x tick labels overlap"
        fig.clear()


def test_every_series_has_its_own_colour_marker_and_dash():
    import matplotlib

    spec = _long_spec()
    with matplotlib.rc_context(RC):
        fig = draw_figure(spec)
        lines = fig.axes[0].get_lines()[:4]
        assert len({line.get_color() for line in lines}) == 4
        assert len({line.get_marker() for line in lines}) == 4
        dashes = {(line._unscaled_dash_pattern[0], tuple(line._unscaled_dash_pattern[1] or ())) for line in lines}
        assert len(dashes) == 4
        fig.clear()
    assert len(set(MARKERS)) == len(MARKERS) == len(LINESTYLES) == len(set(map(str, LINESTYLES)))


# -- colours -----------------------------------------------------------------------------------


def test_palette_contrast_is_at_least_3_to_1_against_white():
    for colour in (*PALETTE, TARGET_COLOUR):
        assert contrast(colour) >= MIN_CONTRAST, colour


def test_palette_stays_distinguishable_under_protanopia_deuteranopia_and_tritanopia():
    distance, a, b, vision = min_distance([*PALETTE, TARGET_COLOUR])
    assert distance >= MIN_DISTANCE, (a, b, vision)
    assert set(VISIONS) == {"normal", "protanopia", "deuteranopia", "tritanopia"}


def test_the_old_palette_fails_the_same_checks():
    # The palette before issue 12: green and orange merge for protanopes, orange is 2.9:1.
    old = ["#19486A", "#C5192D", "#4C9F38", "#FD6925", "#3F7E44"]
    distance, a, b, vision = min_distance(old)
    assert (a, b, vision) == ("#4C9F38", "#FD6925", "protanopia") and distance < 6
    assert round(contrast("#FD6925"), 2) == 2.91
    assert not accessible(old)


def test_colour_science_matches_published_values():
    # CIEDE2000 test pairs of Sharma, Wu and Dalal (2005).
    assert round(delta_e2000((50, 2.6772, -79.7751), (50, 0, -82.7485)), 4) == 2.0425
    assert round(delta_e2000((50, 2.5, 0), (73, 25, -18)), 4) == 27.1492
    assert round(contrast("#000000"), 1) == 21.0 and round(contrast("#767676"), 2) == 4.54


def test_the_report_primary_colour_leads_only_if_it_passes():
    assert palette("#0B3C5D")[0] == "#0B3C5D"  # a dark blue passes
    assert palette("#0b3c5d")[1:] == list(PALETTE[1:])
    assert palette("#F6C700") == list(PALETTE)  # yellow: 1.6:1 against white
    assert palette("#00897C") == list(PALETTE)  # too close to the teal series
    assert palette("blau") == list(PALETTE)  # not a colour: the accessible palette stands
    assert palette(None) == list(PALETTE)


# -- SVG and PDF files -------------------------------------------------------------------------


def test_svg_has_title_and_desc_from_the_alt_text_and_is_reproducible(tmp_path):
    spec = real_spec("straftaten")
    spec["alt"] += " <script>alert(1)</script> & „mehr“"
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    assert render_chart(spec, first) and render_chart(spec, second)
    assert first.read_bytes() == second.read_bytes()
    assert b"<dc:date>" not in first.read_bytes()
    root = ET.fromstring(first.read_bytes())
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img" and root.get("aria-labelledby") == "bnk-title bnk-desc"
    assert root.find(f"{ns}title").text == "Diagramm: Straftaten (Straftaten je 1.000 Einwohnende)"
    assert root.find(f"{ns}desc").text == spec["alt"]
    assert "<script>" not in first.read_text("utf-8")
    # Every text at least 10 user units (13,3 px at the natural size, ≥ 11 px down to 83 %).
    sizes = {float(s) for s in re.findall(r"font-size: ([0-9.]+)px", first.read_text("utf-8"))}
    assert sizes == {10.0}
    labels = "".join(t.text or "" for t in root.iter(f"{ns}text"))
    assert "Kreis Heinsberg" in labels and "NRW" in labels


def test_pdf_chart_is_reproducible(tmp_path):
    spec = real_spec("finanzmittelsaldo")
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    render_chart(spec, first)
    render_chart(spec, second)
    assert first.read_bytes() == second.read_bytes() and b"CreationDate" not in first.read_bytes()


# -- alt texts of real indicators ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "alt"),
    [
        (
            "straftaten",
            "Diagramm: Straftaten sanken von 54,64 Straftaten je 1.000 Einwohnende (2019) auf 50,75 Straftaten "
            "je 1.000 Einwohnende (2021); Höchstwert 55,64 Straftaten je 1.000 Einwohnende (2020). "
            "Vergleich NRW: 67,03 Straftaten je 1.000 Einwohnende (2021).",
        ),
        (
            "co2-bilanz",
            "Diagramm: CO₂-Bilanz sank von 2.220 Tsd. t CO₂-Äq./a (2015) auf 1.595 Tsd. t CO₂-Äq./a (2018). "
            "Ziel 2035: 0 Tsd. t CO₂-Äq./a. Die Zeitachse ist zwischen 2018 und 2035 unterbrochen.",
        ),
        (
            "breitband-private-haushalte",
            f"Diagramm: Breitbandversorgung – Private Haushalte stieg von 90,3{NBSP}% (2017) auf 96,4{NBSP}% "
            f"(2019). Ziel: dauerhaft 100{NBSP}%.",
        ),
        (
            "finanzmittelsaldo",
            f"Diagramm: Finanzmittelsaldo stieg von {MINUS}45,2 Euro je Einwohnerin/Einwohner (2019) auf 8,2 Euro "
            "je Einwohnerin/Einwohner (2021).",
        ),
        ("fairtrade-town", "Diagramm: Fairtrade-Town stieg von 1 (2021) auf 2 (2023). Ziel: steigende Werte."),
        (
            "pflegeheimplaetze",
            "Diagramm: Pflegeheimplätze sanken von 57,2 Plätze je 1.000 Einwohnende ab 65 Jahren (2018) auf 56,9 "
            "Plätze je 1.000 Einwohnende ab 65 Jahren (2020).",
        ),
        (
            "abwasserbehandlung",
            f"Diagramm: Abwasserbehandlung blieb von 2019 bis 2021 unverändert bei 100{NBSP}%.",
        ),
    ],
)
def test_alt_texts_of_real_indicators(indicator, alt):
    assert real_spec(indicator)["alt"] == alt


def test_plural_titles_get_plural_verbs():
    own = Points("", (2019, 2021), (D(5), D(3)))
    assert alt_text("Straftaten", "", 0, own, plural=True) == "Diagramm: Straftaten sanken von 5 (2019) auf 3 (2021)."
    assert (
        alt_text("Die Zahl der Straftaten", "", 0, own)
        == "Diagramm: Die Zahl der Straftaten sank von 5 (2019) auf 3 (2021)."
    )
    same = Points("", (2019, 2021), (D(5), D(5)))
    assert "blieben von 2019 bis 2021 unverändert bei 5" in alt_text("Plätze", "", 0, same, plural=True)
    turned = Points("", (2019, 2020, 2021), (D(5), D(9), D(5)))
    assert alt_text("Plätze", "", 0, turned, plural=True) == (
        "Diagramm: Plätze lagen 2019 und 2021 bei 5; Höchstwert 9 (2020)."
    )


def test_series_points_stop_at_the_report_year():
    data = load_indicator_csv(REPO / "data" / "straftaten.csv")
    own, comparisons = series_points(data, "Kreis Heinsberg", 2020)
    assert own == Points("Kreis Heinsberg", (2019, 2020), (D("54.64"), D("55.64")))
    assert comparisons == []  # NRW has only 2021


@pytest.mark.parametrize(
    ("colour", "used"),
    # Heinsberg's and Düren's colours (conf.py) lead their charts; #1F5F8B is too close to the
    # violet series for protanopes, so the palette stands.
    [("#0B3C5D", "#0b3c5d"), ("#205C84", "#205c84"), ("#8C2044", "#8c2044"), ("#1F5F8B", "#19486a")],
)
def test_the_report_colour_reaches_the_chart_only_if_it_passes(make_bnk_app, colour, used):
    app = make_bnk_app("charts", confoverrides={"bnk_report": {"kommune": "Kreis Testheim", "colour": colour}})
    app.build()
    assert warnings_of(app) == []
    svgs = [p.read_text("utf-8") for p in (Path(app.outdir) / "_images").glob("bnk-chart-*.svg")]
    assert svgs and all(f"stroke: {used}" in svg for svg in svgs)
    assert not any(f"stroke: {colour.lower()}" in svg for svg in svgs if colour.lower() != used)


# -- the background pool ------------------------------------------------------------------------


def test_the_workers_serve_the_next_build_and_a_build_without_charts_waits_for_nothing(tmp_path):
    """Two builds of one process draw with the same worker processes (no new start, no second
    matplotlib import); a build with nothing to draw returns at once, even while a worker is
    still busy warming up."""
    import concurrent.futures
    import threading

    from bnk import charts
    from bnk.charts import ChartPool

    spec = real_spec("straftaten")
    first = ChartPool()
    first.warm_up(1)
    workers = first.executor
    assert first.start([(spec, tmp_path / "a.svg", None)]) == 1
    assert first.join() == 1 and (tmp_path / "a.svg").is_file()
    second = ChartPool()
    second.warm_up(1)
    assert second.executor is workers and second.futures == []  # no new workers, no second warm-up
    assert charts._WORKERS["executor"] is workers
    assert second.start([(spec, tmp_path / "a.svg", None)]) == 0  # exists: not drawn again

    # A warm-up that never ends: joining a build without charts must not wait for it.
    second.futures = [concurrent.futures.Future()]
    done = threading.Event()
    threading.Thread(target=lambda: (second.join(), done.set()), daemon=True).start()
    assert done.wait(5), "join() wartet auf das Aufwärmen, obwohl nichts zu zeichnen ist"
