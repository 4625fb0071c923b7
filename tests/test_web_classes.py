"""Web defects as classes, each checked on every page in Debian's Chromium.

- the previous/next links at the page end are never clipped at 320, 375 and 414 px;
- every focus stop shows an outline in forced colours (Windows high contrast removes box-shadow);
- the big text tables are usable on a phone: row headers, one block per row, caption visible;
- every table has a caption;
- English terms carry ``lang="en"``;
- the search page names its result count in German in a live region, and says "Strg+K";
- nothing unrendered (Jinja) lies in ``_static``.
"""

from __future__ import annotations

import re

import pytest
from test_a11y import tab_through
from webtools import HF10, NEEDS_CHROMIUM, findings_on_every_page, pages_of

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]

PHONES = [320, 375, 414]
CLIPPED_NAV = """() => [...document.querySelectorAll('.prev-next-area a')].flatMap(a => {
    const box = a.getBoundingClientRect();
    const width = document.documentElement.clientWidth;
    const title = a.querySelector('.prev-next-title');
    const out = [];
    if (box.left < -0.5 || box.right > width + 0.5) out.push('außerhalb des Bildschirms');
    if (a.scrollWidth > a.clientWidth + 1) out.push('Link abgeschnitten');
    if (title && title.scrollWidth > title.clientWidth + 1) out.push('Titel abgeschnitten');
    if (title) {
        const t = title.getBoundingClientRect();
        if (t.right > box.right + 0.5 || t.left < box.left - 0.5) out.push('Titel ragt heraus');
    }
    return out.map(o => o + ': ' + (title ? title.textContent.trim() : a.textContent.trim()));
}).concat([...document.querySelectorAll('.bd-footer a')].flatMap(a => {
    // The footer's links (Barrierefreiheit, downloads) stay on the screen too.
    const width = document.documentElement.clientWidth;
    return [...a.getClientRects()].some(r => r.left < -0.5 || r.right > width + 0.5)
        ? ['Fußzeile außerhalb des Bildschirms: ' + a.textContent.trim()] : [];
}))"""


@pytest.fixture(scope="module")
def on_phones(site, browser) -> dict[int, dict[str, list[str]]]:
    """The phone checks of this module, one pass over every page per phone width."""
    return {
        width: findings_on_every_page(
            browser, site, {"width": width, "height": 800}, {"nav": CLIPPED_NAV, "tables": PHONE_TABLES}
        )
        for width in PHONES
    }


@pytest.mark.parametrize("width", PHONES)
def test_previous_and_next_links_are_never_clipped(site, browser, on_phones, width):
    assert on_phones[width]["nav"] == []
    # The check itself sees a clipped link (the theme's own rule: 45 % width, overflow hidden).
    _, base = site
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(base + "kriterien/08-finanzen.html", wait_until="load")
    page.add_style_tag(
        content=".prev-next-area a { max-width: 45% !important; overflow-x: hidden !important; flex: none !important }"
        " .prev-next-area a p.prev-next-title { white-space: nowrap; overflow: hidden; }"
    )
    assert page.evaluate(CLIPPED_NAV) != []
    page.close()


def forced_colours(page) -> None:
    """Emulate Windows high contrast (forced colours) through the DevTools protocol."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setEmulatedMedia", {"features": [{"name": "forced-colors", "value": "active"}]})
    assert page.evaluate("matchMedia('(forced-colors: active)').matches")


OUTLINE = """() => {
    let el = document.activeElement;
    if (el.matches('.sd-tab-set > input') && el.nextElementSibling) el = el.nextElementSibling;
    const s = getComputedStyle(el);
    return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
}"""


@pytest.mark.parametrize("width", [1366, 375])
@pytest.mark.parametrize("name", ["index.html", HF10, "search.html"])
def test_every_focus_stop_has_an_outline_in_forced_colours(site, browser, name, width):
    _, base = site
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(base + name, wait_until="load")
    forced_colours(page)
    missing, total, seen = [], 0, set()
    for _ in range(400):
        page.keyboard.press("Tab")
        key = page.evaluate(
            "() => { const e = document.activeElement; return e === document.body ? null"
            " : e.outerHTML.slice(0, 200) + '|' + e.getBoundingClientRect().top; }"
        )
        if key is None or key in seen:
            break
        seen.add(key)
        total += 1
        if not page.evaluate(OUTLINE):
            missing.append(key.split("|")[0][:120])
    page.close()
    assert total >= (5 if name == "search.html" else 20)
    assert missing == []


def test_the_outline_check_sees_a_box_shadow_only_focus(site, browser):
    _, base = site
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(base + HF10, wait_until="load")
    forced_colours(page)
    page.add_style_tag(content=":focus-visible { outline: none !important; box-shadow: 0 0 0 3px blue; }")
    states = tab_through(page, limit=5)
    assert states and not page.evaluate(OUTLINE)
    page.close()


PHONE_TABLES = """() => [...document.querySelectorAll('#main-content table.bnk-stack')].flatMap(t => {
    const out = [];
    const width = document.documentElement.clientWidth;
    const name = t.caption ? t.caption.textContent.trim().slice(0, 40) : '(ohne Titel)';
    const box = t.parentElement;
    if (box.scrollWidth > box.clientWidth + 1) out.push('breiter als der Bildschirm');
    if (!t.caption) out.push('ohne caption');
    else {
        const c = t.caption.getBoundingClientRect();
        if (c.width === 0 || c.left < -0.5 || c.right > width + 0.5) out.push('caption nicht sichtbar');
    }
    for (const row of t.tBodies[0].rows) {
        const first = row.cells[0];
        if (first.tagName !== 'TH' || first.getAttribute('scope') !== 'row') { out.push('Zeile ohne th scope=row'); break; }
        const r = row.getBoundingClientRect();
        if (r.right > width + 0.5) { out.push('Zeile ragt aus dem Bildschirm'); break; }
        const tw = t.getBoundingClientRect().width;
        if ([...row.cells].some(c => c.getBoundingClientRect().width > 0 && c.getBoundingClientRect().width < 0.8 * tw)) {
            out.push('Zeile in schmalen Spalten statt untereinander'); break;
        }
        for (const cell of [...row.cells].slice(1)) {
            if (!cell.dataset.label) { out.push('Zelle ohne Spaltenname'); break; }
            const cr = cell.getBoundingClientRect();
            if (cr.width > 0 && (cr.right > width + 0.5 || cr.left < -0.5)) { out.push('Zelle außerhalb: ' + cell.dataset.label); break; }
        }
    }
    return [...out.map(o => name + ': ' + o), 'geprüft: ' + name];
})"""


@pytest.mark.parametrize("width", PHONES)
def test_big_tables_are_usable_on_a_phone(on_phones, width):
    found = on_phones[width]["tables"]
    checked = [f for f in found if ": geprüft: " in f]
    # BNK index, list of indicators, the data tables of 06 and 18 and the measures tables
    assert len(checked) >= 4, found
    assert [f for f in found if f not in checked] == []


def test_the_cooperation_table_and_the_bnk_index_are_stacked_at_375(site, browser):
    _, base = site
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.goto(base + "handlungsfelder/18-globale-verantwortung-und-eine-welt.html", wait_until="load")
    table = page.evaluate(
        """() => { const t = document.querySelector('table.bnk-stack');
        return {display: getComputedStyle(t.rows[1]).display, width: t.getBoundingClientRect().width,
                rows: t.tBodies[0].rows.length, first: t.tBodies[0].rows[0].cells[0].textContent.trim(),
                label: getComputedStyle(t.tBodies[0].rows[0].cells[1], '::before').content}; }"""
    )
    assert table["display"] == "block"
    assert table["width"] <= 375
    assert table["rows"] == 15
    assert table["first"] == "Stabsstelle Recht und Kommunalaufsicht"
    assert table["label"] == '"Zusammenarbeit mit den Kommunen? "'
    page.goto(base + "bnk-index.html", wait_until="load")
    status = page.evaluate(
        """() => [...document.querySelectorAll('table.bnk-stack tbody tr')].map(r => {
            const c = r.cells[2].getBoundingClientRect(); return c.right <= innerWidth && c.width > 0; })"""
    )
    assert len(status) == 92 and all(status)
    page.close()


def test_every_table_has_a_caption(site):
    root, _ = site
    missing = []
    for name in pages_of(root):
        html = (root / name).read_text(encoding="utf-8")
        for table in re.findall(r"<table\b.*?</table>", html, re.S):
            if "<caption" not in table:
                missing.append(f"{name}: {re.sub(r'<[^>]+>', ' ', table)[:80]}")
    assert missing == []


ENGLISH = """() => {
    const found = [];
    const walker = document.createTreeWalker(document.querySelector('#main-content') || document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        for (const term of ['Sustainable Development Goals', 'comply or explain']) {
            if (n.textContent.includes(term)) found.push([term, n.parentElement.closest('[lang]').getAttribute('lang')]);
        }
    }
    return found;
}"""


def test_english_terms_carry_lang_en(site, browser):
    root, base = site
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    found = []
    for name in pages_of(root):
        page.goto(base + name, wait_until="load")
        found += [(name, term, lang) for term, lang in page.evaluate(ENGLISH)]
    page.close()
    assert len(found) >= 5
    assert [f for f in found if f[2] != "en"] == []


def test_search_names_the_result_count_in_german_in_a_live_region(site, browser):
    _, base = site
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(base + "search.html?q=Klimaschutz", wait_until="load")
    page.wait_for_function("document.querySelector('.search-summary')?.textContent.trim().length > 0", timeout=20_000)
    page.wait_for_timeout(300)
    summary = page.text_content(".search-summary")
    count = page.evaluate("document.querySelectorAll('ul.search > li').length")
    live = page.evaluate("[...document.querySelectorAll('[role=status]')].map(e => e.textContent.trim())")
    text = page.evaluate("document.body.innerText + document.documentElement.outerHTML")
    page.close()
    assert count >= 5
    assert summary == f"Suche beendet: {count} Seiten gefunden."
    assert summary in live
    assert "Ctrl" not in text
    assert "Strg" in text


def test_nothing_unrendered_lies_in_static(site):
    root, _ = site
    leftovers = [
        p.relative_to(root).as_posix()
        for p in (root / "_static").rglob("*")
        if p.suffix in (".html", ".jinja", ".j2") or (p.suffix == ".html" and "{%" in p.read_text(errors="replace"))
    ]
    assert leftovers == []
