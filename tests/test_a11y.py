"""Accessibility of the web edition (WCAG 2.1 A/AA), in Debian's Chromium through Playwright.

- axe-core (version pinned in package.json/package-lock.json, installed with ``npm ci``) over
  every page of the report and of a ``bnk new`` report, at 1366×900 and 375×812; any violation
  of the tags wcag2a, wcag2aa, wcag21a, wcag21aa fails;
- the Nu Html Checker (npm vnu-jar, Debian's Java) over every page: no error;
- keyboard: the skip link is the first focus, the navigation toggle is a named <button>, focus
  never lands in a hidden element and is always visible, scrollable regions are reachable and named.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from test_report import build
from webtools import (
    HF10,
    NEEDS_CHROMIUM,
    SCREENSHOTS,
    VIEWPORTS,
    axe_site,
    describe,
    ensure_npm_tools,
    findings_on_every_page,
    pages_of,
    run_axe,
    serve,
    vnu_errors,
)

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]


@pytest.fixture(scope="module", autouse=True)
def npm_tools():
    ensure_npm_tools()


@pytest.fixture(scope="module")
def new_report(tmp_path_factory):
    """A report as ``bnk new`` creates it, built and served."""
    target = tmp_path_factory.mktemp("neu") / "beispiel"
    result = subprocess.run(
        [sys.executable, "-m", "bnk.cli", "new", str(target), "--kommune", "Stadt Beispiel"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    build(target)
    root = target / "_build/html"
    with serve(root) as base:
        yield root, base


# -- axe-core ----------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=str)
def test_axe_finds_no_violation_on_any_page_of_the_report(site, browser, viewport):
    root, base = site
    pages = pages_of(root)
    assert len(pages) >= 27  # 18 chapters, frame texts, indexes, search
    assert axe_site(browser, base, pages, VIEWPORTS[viewport]) == []


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=str)
def test_axe_finds_no_violation_on_any_page_of_a_new_report(new_report, browser, viewport):
    root, base = new_report
    pages = pages_of(root)
    assert len(pages) >= 22
    assert axe_site(browser, base, pages, VIEWPORTS[viewport]) == []


def test_axe_reports_a_real_violation(site, browser):
    """The gate can fail: a page with an image without alt text and a low-contrast text."""
    _, base = site
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(base + HF10, wait_until="load")
    page.evaluate(
        """() => {
        const main = document.querySelector('#main-content');
        const img = document.createElement('img'); img.src = '../_static/x.png'; main.prepend(img);
        const p = document.createElement('p'); p.textContent = 'kaum lesbar';
        p.style.color = '#bbbbbb'; p.style.background = '#ffffff'; main.prepend(p);
    }"""
    )
    found = {line.split(": ", 1)[1].split(" ", 1)[0] for line in describe(run_axe(page), "x")}
    page.close()
    assert {"image-alt", "color-contrast"} <= found


# -- Nu Html Checker ---------------------------------------------------------------------------


def test_nu_html_checker_finds_no_error_on_any_page(site, new_report):
    files = [root / name for root, _ in (site, new_report) for name in pages_of(root)]
    assert len(files) >= 49
    assert vnu_errors(files) == []


def test_nu_html_checker_reports_a_heading_role_without_level(site, tmp_path):
    """The checker catches Sphinx's toctree caption case (<p role="heading"> without aria-level)."""
    root, _ = site
    html = (root / "index.html").read_text(encoding="utf-8")
    assert 'role="heading"' in html
    broken = tmp_path / "index.html"
    broken.write_text(html.replace('aria-level="2" ', "").replace(' aria-level="2"', ""), encoding="utf-8")
    errors = vnu_errors([broken])
    assert errors and all("aria-level" in e for e in errors), errors


# -- keyboard and mobile -----------------------------------------------------------------------

FOCUS_STATE = """() => {
    let el = document.activeElement;
    if (!el || el === document.body) return null;
    // sphinx-design tabs are radio buttons drawn by their label: the label shows focus.
    if (el.matches('.sd-tab-set > input') && el.nextElementSibling) el = el.nextElementSibling;
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    let hidden = !el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
    for (let a = el; a; a = a.parentElement) {
        if (a.getAttribute('aria-hidden') === 'true' || a.hasAttribute('inert')) hidden = true;
    }
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow && style.boxShadow !== 'none';
    return {
        tag: el.tagName.toLowerCase(), id: el.id, cls: el.className, text: (el.textContent || '').trim().slice(0, 40),
        href: el.getAttribute('href'), hidden: hidden || rect.width * rect.height === 0,
        indicator: outline || shadow,
    };
}"""


def tab_through(page, limit: int = 600) -> list[dict]:
    """Press Tab until focus comes round again; the state of each focused element."""
    states: list[dict] = []
    seen = set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None:
            break
        key = page.evaluate(
            "() => { const e = document.activeElement; return e.outerHTML.slice(0, 200) + '|' + e.getBoundingClientRect().top; }"
        )
        if key in seen:
            break
        seen.add(key)
        states.append(state)
    return states


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=str)
def test_skip_link_is_the_first_focus_and_leads_to_the_content(site, browser, viewport):
    _, base = site
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    page.goto(base + HF10, wait_until="load")
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS_STATE)
    assert first["tag"] == "a"
    assert first["text"] == "Zum Hauptinhalt springen"
    assert first["href"] == "#main-content"
    assert not first["hidden"]  # shown while focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main-content"
    page.close()


def test_navigation_toggle_on_a_phone_is_a_named_button_that_opens_the_chapters(site, browser):
    _, base = site
    page = browser.new_page(viewport=VIEWPORTS["mobile"])
    page.goto(base + HF10, wait_until="load")
    toggle = page.locator("button.primary-toggle")
    assert toggle.count() == 1
    assert toggle.is_visible()
    assert toggle.evaluate("e => e.tagName") == "BUTTON"
    assert toggle.get_attribute("aria-label") == "Website-Navigation"
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#pst-primary-sidebar-modal').open")
    chapters = page.locator("#pst-primary-sidebar-modal nav[aria-label='Kapitel des Berichts'] a")
    assert chapters.count() >= 23
    assert page.locator("#pst-primary-sidebar-modal a", has_text="Handlungsfeld 18: Globale").is_visible()
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('#pst-primary-sidebar-modal').open")
    page.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=str)
@pytest.mark.parametrize("name", ["index.html", HF10])
def test_focus_never_lands_in_hidden_elements_and_is_always_visible(site, browser, viewport, name):
    _, base = site
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    page.goto(base + name, wait_until="load")
    states = tab_through(page)
    page.close()
    assert len(states) >= 20, states
    assert [s for s in states if s["hidden"]] == []
    assert [s for s in states if not s["indicator"]] == []


# What the phone checks look for, each a JavaScript function returning a list of findings.
PHONE_CHECKS = {
    # A region that scrolls sideways must be reachable by keyboard and named.
    "scrollable": """() => [...document.querySelectorAll('#main-content *')].filter(e => {
            const s = getComputedStyle(e);
            return ['auto', 'scroll'].includes(s.overflowX) && e.scrollWidth > e.clientWidth + 1
                && e.checkVisibility({checkVisibilityCSS: true}) && e.clientWidth > 0;
        }).filter(e => e.tabIndex < 0 || !(e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')))
          .map(e => e.outerHTML.slice(0, 120))""",
    # Too wide: beyond the screen, or beyond the box that holds it (a scroll container or the
    # card would clip it - "relativ" cut off at 375 px).
    "too_wide": """() => [...document.querySelectorAll('table.bnk-indicator-table')]
            .filter(t => {
                const box = t.parentElement.getBoundingClientRect();
                const right = t.getBoundingClientRect().right;
                return right > document.documentElement.clientWidth + 0.5 || right > box.right + 0.5
                    || t.parentElement.scrollWidth > t.parentElement.clientWidth + 1;
            })
            .map(t => t.querySelector('caption')?.textContent)""",
}


@pytest.fixture(scope="module")
def on_a_phone(site, browser) -> dict[str, list[str]]:
    """Every page loaded once at phone width (the theme's scripts given 50 ms to settle the
    layout), every check of PHONE_CHECKS run on it."""
    return findings_on_every_page(browser, site, VIEWPORTS["mobile"], PHONE_CHECKS, settle_ms=50)


def test_scrollable_regions_are_reachable_and_named_on_a_phone(on_a_phone):
    assert on_a_phone["scrollable"] == []


def test_indicator_tables_fit_a_phone(on_a_phone):
    assert on_a_phone["too_wide"] == []


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=str)
def test_screenshots_of_start_page_handlungsfeld_and_indicator(site, browser, viewport):
    """Pictures to look at (in _build/screenshots); each must show a rendered page."""
    _, base = site
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = VIEWPORTS[viewport]
    for label, url in (
        ("startseite", "index.html"),
        ("handlungsfeld-14", "handlungsfelder/14-soziale-gerechtigkeit-und-zukunftsfaehige-gesellschaft.html"),
        (
            "indikator-straftaten",
            "handlungsfelder/14-soziale-gerechtigkeit-und-zukunftsfaehige-gesellschaft.html#indikator-straftaten",
        ),
    ):
        page = browser.new_page(viewport=size)
        page.goto(base + url, wait_until="load")
        path = SCREENSHOTS / f"{label}-{size['width']}.png"
        page.screenshot(path=str(path))
        page.close()
        assert path.stat().st_size > 10_000
