"""The Erklärung zur Barrierefreiheit: data layer, rendered page, footer links, located warnings."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from bnk.data import BnkDataError
from bnk.data.accessibility import ENFORCEMENT, STATUSES, TOOLKIT_NOT_TESTED, parse_statement
from conftest import bnk_warnings_of
from hypothesis import given
from hypothesis import strategies as st

REPORT = {
    "kommune": "Kreis Beispiel",
    "contact": {"name": "A. Muster", "unit": "Stabsstelle", "email": "a@example.org", "phone": "0123"},
}


def test_statement_from_metadata_with_the_toolkit_facts():
    s = parse_statement(
        {
            "status": "teilweise",
            "date": "2026-12-01",
            "land": "NRW",
            "limitations": [{"what": "Videos ohne Untertitel.", "reason": "Keine Mittel.", "alternative": "Abschrift"}],
        },
        REPORT,
    )
    assert s.status_text == "teilweise vereinbar"
    assert s.date == dt.date(2026, 12, 1)
    assert s.law == "BGG NRW und BITV NRW"
    assert s.enforcement.name == ENFORCEMENT["NRW"]["name"]
    assert s.enforcement.url == "https://www.lbbp.nrw.de/ombudsstelle"
    assert s.contact.email == "a@example.org"  # the report's contact by default
    # the report's own limitation first, then the ones every report of this toolkit has
    assert s.limitations[0].what == "Videos ohne Untertitel."
    assert len(s.limitations) == 4
    assert any("veraPDF" in gap for gap in s.not_tested)
    assert any("Screenreader" in gap for gap in s.not_tested)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            {"status": "fast"},
            "bnk_accessibility['status'] muss 'vollständig', 'teilweise', 'nicht' sein, nicht 'fast'.",
        ),
        (
            {"date": "1.12.2026"},
            "bnk_accessibility['date'] muss ein Datum im Format JJJJ-MM-TT sein, nicht '1.12.2026'.",
        ),
        ({"land": "Bayern"}, "Für das Land 'Bayern' kennt die Erweiterung die Schlichtungsstelle nicht"),
        ({"limitations": [{"what": "PDF"}]}, "bnk_accessibility['limitations'][0] braucht 'reason' (Begründung)."),
        ({"stauts": "teilweise"}, "Unbekannte Angabe in bnk_accessibility: stauts"),
        ({"enforcement": {"name": "Stelle"}}, "bnk_accessibility['enforcement'] braucht 'name' und 'url'."),
    ],
)
def test_bad_values_are_named(config, message):
    with pytest.raises(BnkDataError) as info:
        parse_statement(config, REPORT)
    assert info.value.msg.startswith(message)


@given(st.text(max_size=20).filter(lambda s: s.strip() not in STATUSES))
def test_only_the_three_statuses(status):
    with pytest.raises(BnkDataError):
        parse_statement({"status": status}, REPORT)


def test_other_land_with_its_own_body():
    s = parse_statement(
        {"land": "Bayern", "enforcement": {"name": "Durchsetzungsstelle", "url": "https://example.org/x"}}, REPORT
    )
    assert (s.enforcement.name, s.enforcement.url) == ("Durchsetzungsstelle", "https://example.org/x")
    assert s.law == "BITV 2.0"


def _add_pages(srcdir):
    (srcdir / "barrierefreiheit.md").write_text(
        "# Erklärung zur Barrierefreiheit\n\n```{bnk-accessibility}\n```\n", encoding="utf-8"
    )
    (srcdir / "leichte-sprache.md").write_text("# Leichte Sprache\n\nText.\n", encoding="utf-8")
    index = srcdir / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8") + "\n```{toctree}\n:hidden:\n\nbarrierefreiheit\nleichte-sprache\n```\n",
        encoding="utf-8",
    )


def test_page_and_footer_links_on_every_page(make_bnk_app):
    app = make_bnk_app(
        "basic",
        prepare=_add_pages,
        confoverrides={
            "bnk_report": REPORT,
            "bnk_accessibility": {"status": "teilweise", "date": "2026-12-01", "land": "NRW"},
        },
    )
    app.build()
    html = (app.outdir / "barrierefreiheit.html").read_text(encoding="utf-8")
    for heading in (
        "Stand der Vereinbarkeit mit den Anforderungen",
        "Nicht barrierefreie Inhalte",
        "Erstellung dieser Erklärung",
        "Barrieren melden: Feedback und Kontakt",
        "Schlichtungsverfahren",
    ):
        assert re.search(rf"<h2>{heading}<a class=\"headerlink\"", html), heading
    assert "mit diesen Anforderungen <strong>teilweise vereinbar</strong>" in html
    assert "Diese Erklärung wurde am 1. Dezember 2026 erstellt." in html
    assert 'href="https://www.lbbp.nrw.de/ombudsstelle"' in html
    assert 'href="mailto:a%40example.org"' in unescape(html)  # Sphinx obfuscates e-mail addresses
    assert all(gap.split(" (")[0] in html for gap in TOOLKIT_NOT_TESTED)
    pages = sorted(app.outdir.rglob("*.html"))
    content_pages = [p for p in pages if p.name not in ("search.html", "genindex.html")]
    assert len(content_pages) >= 4
    for page in content_pages:
        text = page.read_text(encoding="utf-8")
        if page.name != "barrierefreiheit.html":
            assert re.search(r'<footer class="bnk-page-footer"><p><a href="[./]*barrierefreiheit.html">', text), page
        if page.name != "leichte-sprache.html":
            assert re.search(r'<a href="[./]*leichte-sprache.html">Leichte Sprache</a>', text), page
    assert bnk_warnings_of(app) == []


def test_bad_config_is_a_located_warning(make_bnk_app):
    app = make_bnk_app("basic", prepare=_add_pages, confoverrides={"bnk_accessibility": {"status": "fast"}})
    app.build()
    assert bnk_warnings_of(app) == [
        "<srcdir>/barrierefreiheit.md:3: WARNING: bnk_accessibility['status'] muss 'vollständig', 'teilweise', "
        "'nicht' sein, nicht 'fast'. [bnk.config]"
    ]


def test_new_report_and_dueren_example_have_the_statement(tmp_path):
    import shutil

    from bnk.scaffold import create_report
    from test_report import REPO, build

    new = tmp_path / "neu"
    create_report(new, "Stadt Beispiel", "2021", 2024, package="bnk-bericht")
    dueren = tmp_path / "kreis-dueren"
    shutil.copytree(REPO / "examples/kreis-dueren", dueren, ignore=shutil.ignore_patterns("_build", ".venv"))
    for root in (new, dueren):
        _, warnings = build(root)
        # Both are reports in progress: open aspects and the empty Handlungsfeld 15 are expected.
        open_items = ("bnk.aspect-missing", "bnk.chapter-empty")
        assert not [w for w in warnings if not any(kind in w for kind in open_items)], root
        statement = (root / "_build/html/barrierefreiheit.html").read_text(encoding="utf-8")
        assert "<strong>teilweise vereinbar</strong>" in statement
        assert 'href="https://www.lbbp.nrw.de/ombudsstelle"' in statement
        assert "veraPDF" in statement
        # Neither names a feedback contact yet: the statement says so instead of inventing one.
        assert "Die Kontaktadresse für Rückmeldungen ist noch nicht eingetragen." in statement
        start = (root / "_build/html/index.html").read_text(encoding="utf-8")
        assert '<a href="barrierefreiheit.html">Erklärung zur Barrierefreiheit</a>' in start
    easy = (new / "_build/html/leichte-sprache.html").read_text(encoding="utf-8")
    assert "Das ist der Nachhaltigkeits-Bericht von Stadt Beispiel." in easy
    assert 'href="leichte-sprache.html"' in (new / "_build/html/index.html").read_text(encoding="utf-8")
