"""The HTML report in a real headless Chromium (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from webtools import HF10, NEEDS_CHROMIUM, SCREENSHOTS, one_tab, pages_of

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]


VIEWPORT = {"width": 1280, "height": 900}


def watch(page) -> list[str]:
    """The page's console errors and script errors, collected as they happen."""
    problems: list[str] = []

    def on_console(msg) -> None:
        # The browser itself asks for /favicon.ico; the page does not reference it.
        if msg.type == "error" and not msg.location.get("url", "").endswith("/favicon.ico"):
            problems.append(f"console: {msg.text} ({msg.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    return problems


def load_and_check(page, problems: list[str], url: str, screenshot: Path | None = None) -> tuple[list[str], list[dict]]:
    """Load ``url`` in a watched tab; return its problems (console errors, broken charts, charts
    without alt) and its charts."""
    problems.clear()
    page.goto(url, wait_until="load")
    charts = page.eval_on_selector_all(
        "figure.bnk-chart img",
        "els => els.map(e => ({src: e.getAttribute('src'), alt: e.alt, ok: e.complete && e.naturalWidth > 0}))",
    )
    found = list(problems)
    for chart in charts:
        if not chart["ok"]:
            found.append(f"Diagramm nicht dargestellt: {chart['src']}")
        if not chart["alt"].strip():
            found.append(f"Diagramm ohne Alternativtext: {chart['src']}")
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot), full_page=False)
    return found, charts


def check_page(browser, url: str, screenshot: Path | None = None) -> tuple[list[str], list[dict]]:
    """:func:`load_and_check` in a tab of its own."""
    with one_tab(browser, VIEWPORT) as page:
        return load_and_check(page, watch(page), url, screenshot)


def test_index_and_handlungsfeld_load_without_errors_with_rendered_charts(site, browser):
    _, base = site
    problems, charts = check_page(browser, base + "index.html", SCREENSHOTS / "index.png")
    assert problems == []
    problems, charts = check_page(browser, base + HF10, SCREENSHOTS / "handlungsfeld-10.png")
    assert problems == []
    assert len(charts) == 3
    assert all(c["alt"].startswith("Diagramm: ") for c in charts)
    assert (SCREENSHOTS / "index.png").stat().st_size > 10_000
    assert (SCREENSHOTS / "handlungsfeld-10.png").stat().st_size > 10_000


def test_every_chart_of_the_report_renders(site, browser):
    root, base = site
    total = 0
    with one_tab(browser, VIEWPORT) as page:
        watched = watch(page)
        for name in pages_of(root):
            problems, charts = load_and_check(page, watched, base + name)
            assert problems == [], name
            total += len(charts)
    assert total == 47  # two of the 49 indicators with data are all zero: a sentence, no chart


def test_anchor_scrolls_to_aspect_heading_and_basics_of_accessibility(site, browser):
    _, base = site
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(base + HF10 + "#aspekt-10-1", wait_until="load")
    top = page.evaluate("document.getElementById('aspekt-10-1').getBoundingClientRect().top")
    assert page.evaluate("window.scrollY") > 0
    # The heading stands right below the sticky page header, not hidden under it.
    header = page.evaluate("document.querySelector('header.bd-header').getBoundingClientRect().bottom")
    assert header - 5 <= top <= header + 60
    assert page.evaluate("document.documentElement.lang") == "de"
    heading = page.evaluate("document.querySelector('#aspekt-10-1 h2').textContent")
    assert heading.startswith("Aspekt 10.1: Kommunaler Klimaschutz")
    header_cells = page.evaluate("document.querySelectorAll('.bnk-indicator-table thead th').length")
    assert header_cells == 3 * 5  # three indicator tables, 3 years + 2 change columns
    page.close()


def test_a_broken_chart_is_detected(site, browser, tmp_path):
    root, base = site
    html = (root / HF10).read_text(encoding="utf-8")
    victim = html.split('<figure class="bnk-chart"><img src="', 1)[1].split('"', 1)[0]
    target = (root / "handlungsfelder" / victim).resolve()
    backup = tmp_path / "chart.svg"
    shutil.move(target, backup)
    try:
        problems, _ = check_page(browser, base + HF10)
    finally:
        shutil.move(backup, target)
    assert f"Diagramm nicht dargestellt: {victim}" in problems
