"""The Erklärung zur Barrierefreiheit: data layer, rendered page, footer links, located warnings."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from bnk.data import BnkDataError
from bnk.data.accessibility import DEFAULT_METHOD, ENFORCEMENT, METHOD_LIMITS, STATUSES, parse_statement
from bnk.data.report import parse_report
from conftest import bnk_warnings_of
from hypothesis import given
from hypothesis import strategies as st

REPORT_SETTINGS = {
    "kommune": "Kreis Beispiel",
    "published": "2024",
    "contact": {"name": "A. Muster", "unit": "Stabsstelle", "email": "a@example.org", "phone": "0123"},
}
REPORT, _ = parse_report(REPORT_SETTINGS)


def test_statement_from_metadata_with_the_toolkit_facts():
    s = parse_statement(
        {
            "status": "teilweise",
            "reviewed": "2025-03-04",
            "land": "NRW",
            "limitations": [{"what": "Videos ohne Untertitel.", "reason": "Keine Mittel.", "alternative": "Abschrift"}],
        },
        REPORT,
    )
    assert s.status_text == "teilweise vereinbar"
    # dated from the report's year of publication, not from a build or a commit
    assert (s.date.date, s.date.precision, s.date.text) == (dt.date(2024, 1, 1), "year", "im Jahr 2024")
    assert s.reviewed.text == "am 4. März 2025"
    assert s.method == DEFAULT_METHOD
    assert s.law == "BGG NRW und BITV NRW"
    assert s.enforcement.name == ENFORCEMENT["NRW"]["name"]
    assert s.enforcement.url == "https://www.lbbp.nrw.de/ombudsstelle"
    assert s.contact.email == "a@example.org"  # the report's contact by default
    # the report's own limitation first, then the ones every report of this toolkit has
    assert s.limitations[0].what == "Videos ohne Untertitel."
    assert len(s.limitations) == 4
    assert "Screenreader" in s.method_limits


@pytest.mark.parametrize(
    ("report", "text"),
    [
        ({"published": "2024"}, "im Jahr 2024"),
        ({"published": 2024}, "im Jahr 2024"),
        ({"published": "2024", "stand": "2024-11"}, "im November 2024"),
        ({"published": "2024", "stand": "2024-11-30"}, "am 30. November 2024"),
        ({"stand": dt.date(2024, 5, 2)}, "am 2. Mai 2024"),
    ],
)
def test_statement_date_is_the_reports_stand(report, text):
    assert parse_statement({}, parse_report(report)[0]).date.text == text


def test_no_date_without_a_stand():
    assert parse_statement({}, parse_report({"kommune": "Stadt Beispiel"})[0]).date is None


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            {"status": "fast"},
            "bnk_accessibility['status'] muss 'vollständig', 'teilweise', 'nicht' sein, nicht 'fast'.",
        ),
        (
            {"reviewed": "1.12.2026"},
            "bnk_accessibility['reviewed'] muss ein Jahr oder Datum sein (JJJJ, JJJJ-MM oder JJJJ-MM-TT), "
            "nicht '1.12.2026'.",
        ),
        ({"date": "2026-12-01"}, "bnk_accessibility['date'] gibt es nicht mehr: Die Erklärung trägt den Stand"),
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


# Words of the technical documentation that an Erklärung zur Barrierefreiheit must not contain.
TOOL_WORDS = ("axe-core", "chromium", "pikepdf", "weasyprint", "latex", "tex", "nu html", "bei jedem bau")


def tool_words(text: str) -> list[str]:
    """The tool words in ``text`` (case-insensitive; "TeX" as a word, not inside "Text")."""
    lowered = text.lower()
    return [word for word in TOOL_WORDS if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w])", lowered)]


def test_tool_words_are_found():
    assert tool_words("Geprüft mit Axe-Core in Chromium; PDF aus LaTeX (TeX Live), pikepdf, WeasyPrint.") == [
        "axe-core",
        "chromium",
        "pikepdf",
        "weasyprint",
        "latex",
        "tex",
    ]
    assert tool_words("Der Text im Kontext; Nu Html Checker; Bei jedem Bau") == ["nu html", "bei jedem bau"]


def statement_in_pdf(text: str) -> str:
    """The pages of a PDF's text (pdftotext, pages split by form feeds) that hold the Erklärung:
    from its heading to its last part, the Durchsetzungsverfahren."""
    pages = text.split("\f")
    last = max(n for n, page in enumerate(pages) if "Durchsetzungsverfahren" in page)
    first = max(n for n, page in enumerate(pages[: last + 1]) if "Stand der Vereinbarkeit" in page)
    if "Erklärung zur Barrierefreiheit" not in pages[first] and first:
        first -= 1  # the heading and the opening sentence end the page before
    statement = "\n".join(pages[first : last + 1])
    # Join words hyphenated at a line end ("Prüf-\nwerkzeugen"), then the lines.
    return re.sub(r"\s+", " ", re.sub(r"(\w)-\n(\w)", r"\1\2", statement))


def _text_of(html: str) -> str:
    body = html.split('<article class="bd-article"', 1)[-1].split("</article>", 1)[0]
    body = body.split("</h1>", 1)[-1]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body))).replace(" .", ".").strip()


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
            "bnk_report": REPORT_SETTINGS,
            "bnk_accessibility": {"status": "teilweise", "land": "NRW"},
        },
    )
    app.build()
    html = (app.outdir / "barrierefreiheit.html").read_text(encoding="utf-8")
    # The five parts of the EU model statement (BITV 2.0 § 7), in this order.
    headings = re.findall(r"<h2>([^<]+)<a class=\"headerlink\"", html)
    assert headings == [
        "Stand der Vereinbarkeit mit den Anforderungen",
        "Nicht barrierefreie Inhalte",
        "Erstellung dieser Erklärung zur Barrierefreiheit",
        "Feedback und Kontaktangaben",
        "Durchsetzungsverfahren",
    ]
    text = _text_of(html)
    assert text.startswith(
        "Der Kreis Beispiel ist bemüht, diesen Nachhaltigkeitsbericht im Einklang mit BGG NRW und BITV NRW "
        "barrierefrei zugänglich zu machen."
    )
    assert "mit diesen Anforderungen <strong>teilweise vereinbar</strong>" in html
    assert (
        "Diese Erklärung wurde im Jahr 2024 erstellt. Der Bericht "
        "wurde mit automatischen Prüfwerkzeugen und einer Selbstbewertung geprüft."
    ) in text
    assert METHOD_LIMITS in text
    # The print version's alternative is the accessible PDF: named, not linked while not built.
    assert "Barrierefreie Alternative: die barrierefreie PDF-Fassung (Datei projectnamenotset-barrierefrei.pdf)" in html
    assert 'href="https://www.lbbp.nrw.de/ombudsstelle"' in html
    assert 'href="mailto:a%40example.org"' in unescape(html)  # Sphinx obfuscates e-mail addresses
    assert not tool_words(text)
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


def _built_accessible_pdf(srcdir):
    """A (blank) accessible PDF where ``bnk pdf-barrierefrei`` puts it, newer than the sources."""
    import pikepdf

    _add_pages(srcdir)
    target = srcdir / "_build/pdf-barrierefrei/projectnamenotset-barrierefrei.pdf"
    target.parent.mkdir(parents=True)
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(target)


def test_the_accessible_pdf_is_linked_where_the_site_offers_it(make_bnk_app):
    app = make_bnk_app("basic", prepare=_built_accessible_pdf, confoverrides={"bnk_report": REPORT_SETTINGS})
    app.build()
    html = (app.outdir / "barrierefreiheit.html").read_text(encoding="utf-8")
    assert (
        'die barrierefreie PDF-Fassung (Datei <a class="bnk-offered-download reference external" '
        'href="downloads/projectnamenotset-barrierefrei.pdf">projectnamenotset-barrierefrei.pdf</a>)'
    ) in html
    assert (app.outdir / "downloads/projectnamenotset-barrierefrei.pdf").is_file()


def test_the_accessible_pdf_at_its_own_address(make_bnk_app):
    url = "https://www.example.org/bericht-barrierefrei.pdf"
    app = make_bnk_app(
        "basic",
        prepare=_add_pages,
        confoverrides={"bnk_report": REPORT_SETTINGS, "bnk_accessibility": {"pdf_url": url}},
    )
    app.build()
    html = (app.outdir / "barrierefreiheit.html").read_text(encoding="utf-8")
    assert f'(Datei <a class="reference external" href="{url}">projectnamenotset-barrierefrei.pdf</a>)' in html


def test_bad_config_is_a_located_warning(make_bnk_app):
    def prepare(srcdir):
        _add_pages(srcdir)
        with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
            conf.write('bnk_accessibility = {"status": "fast"}\n')

    app = make_bnk_app("basic", prepare=prepare)
    app.build()
    # At conf.py's line, not at the page: a setting is checked on every build, whichever page is read.
    assert bnk_warnings_of(app) == [
        "<srcdir>/conf.py:7: WARNING: bnk_accessibility['status'] muss 'vollständig', 'teilweise', "
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
        assert not tool_words(_text_of(statement))
        # Neither names a feedback contact yet: the statement says so instead of inventing one.
        assert "Die Kontaktadresse für Rückmeldungen ist noch nicht eingetragen." in statement
        start = (root / "_build/html/index.html").read_text(encoding="utf-8")
        assert '<a href="barrierefreiheit.html">Erklärung zur Barrierefreiheit</a>' in start
    easy = (new / "_build/html/leichte-sprache.html").read_text(encoding="utf-8")
    assert "Das ist der Nachhaltigkeits-Bericht von Stadt Beispiel." in easy
    assert 'href="leichte-sprache.html"' in (new / "_build/html/index.html").read_text(encoding="utf-8")
