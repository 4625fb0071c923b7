"""Charts in a real Chromium: text at least 11 px on a phone (375 px) and on the desktop.

The real report (narrow charts: three years each) and the ``charts`` test root (a 16-year series
with a narrow rendition for small screens) are served on loopback and measured: the rendered size
of an SVG text is its ``font-size`` × the displayed width / the SVG's ``viewBox`` width.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from test_report import build
from webtools import NEEDS_CHROMIUM, SCREENSHOTS, serve

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]
ROOTS = Path(__file__).parent / "roots"
MIN_PX = 11
VIEWPORTS = {"mobil": (375, 812), "desktop": (1366, 900)}
PAGES = [
    "handlungsfelder/10-klimaschutz-und-energie.html",
    "handlungsfelder/14-soziale-gerechtigkeit-und-zukunftsfaehige-gesellschaft.html",
    "kriterien/08-finanzen.html",
]


@pytest.fixture(scope="module")
def charts_root(tmp_path_factory):
    """The ``charts`` test root (a 16-year series with a narrow rendition), built and served."""
    root = tmp_path_factory.mktemp("charts-root") / "src"
    shutil.copytree(ROOTS / "test-charts", root)
    build(root)
    with serve(root / "_build/html") as base:
        yield root / "_build/html", base


def _svg_metrics(path: Path) -> tuple[float, float]:
    """(viewBox width, smallest font-size) of a chart SVG."""
    text = path.read_text(encoding="utf-8")
    view_width = float(re.search(r'viewBox="0 0 ([0-9.]+) ', text).group(1))
    sizes = [float(s) for s in re.findall(r"font-size: ([0-9.]+)px", text)]
    assert sizes, path.name
    return view_width, min(sizes)


def measure(browser, directory: Path, url: str, viewport: tuple[int, int], shot: Path | None = None) -> list[dict]:
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    try:
        page.goto(url, wait_until="load")
        charts = page.eval_on_selector_all(
            "figure.bnk-chart img",
            """els => els.map(e => ({src: e.currentSrc, shown: e.getBoundingClientRect().width,
                 box: e.closest('figure').parentElement.getBoundingClientRect().width,
                 ok: e.complete && e.naturalWidth > 0}))""",
        )
        if shot is not None and charts:
            page.locator("figure.bnk-chart").first.scroll_into_view_if_needed()
            page.locator("figure.bnk-chart").first.screenshot(path=str(shot))
    finally:
        page.close()
    for chart in charts:
        name = chart["src"].rsplit("/", 1)[1]
        view_width, font = _svg_metrics(directory / "_images" / name)
        chart["name"] = name
        chart["px"] = font * chart["shown"] / view_width
    return charts


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_chart_text_is_at_least_11_px_on_the_report_pages(site, browser, viewport):
    directory, base = site
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    seen = 0
    for i, page in enumerate(PAGES):
        shot = SCREENSHOTS / f"diagramm-{viewport}-{i}.png"
        for chart in measure(browser, directory, base + page, VIEWPORTS[viewport], shot):
            assert chart["ok"], chart
            assert chart["px"] >= MIN_PX, chart
            assert chart["shown"] <= chart["box"] + 0.5, chart  # never wider than its column
            seen += 1
    assert seen >= 10


def test_a_long_series_gets_its_narrow_rendition_on_a_phone_and_stays_readable(charts_root, browser):
    directory, base = charts_root
    phone = measure(
        browser, directory, base + "index.html", VIEWPORTS["mobil"], SCREENSHOTS / "diagramm-lang-mobil.png"
    )
    desktop = measure(browser, directory, base + "index.html", VIEWPORTS["desktop"], None)
    assert [c["name"].endswith("-schmal.svg") for c in phone] == [False, True]
    assert [c["name"].endswith("-schmal.svg") for c in desktop] == [False, False]
    for chart in phone + desktop:
        assert chart["ok"] and chart["px"] >= MIN_PX, chart
    # Without the narrow rendition the wide chart would shrink its text below 11 px on a phone.
    wide = desktop[1]
    view_width, font = _svg_metrics(directory / "_images" / wide["name"])
    assert font * phone[1]["shown"] / view_width < MIN_PX
