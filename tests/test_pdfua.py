"""The accessible PDF (PDF/UA-1 via WeasyPrint + pikepdf), built for real from the report.

The structure tree is walked with pikepdf; the expected content comes from the HTML file that
was typeset and from the report's export (bnk-report.json) of the same build.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_report import copy_report

pikepdf = pytest.importorskip("pikepdf")

INSTALL = "tools/ensure-deps pdfua (Debian: libpango-1.0-0 libpangoft2-1.0-0 poppler-utils)"
try:
    import weasyprint  # noqa: F401  (needs Pango from Debian)
except OSError as exc:  # pragma: no cover - depends on the machine
    pytest.skip(f"WeasyPrint findet Pango nicht ({exc}); installieren mit: {INSTALL}", allow_module_level=True)
if shutil.which("pdftotext") is None:  # pragma: no cover
    pytest.skip(f"pdftotext fehlt; installieren mit: {INSTALL}", allow_module_level=True)

pytestmark = pytest.mark.langsam  # WeasyPrint sets the whole report (about a minute)

NAME = "nachhaltigkeitsbericht-kreis-heinsberg-2023-barrierefrei.pdf"


class _Html(HTMLParser):
    """Headings, table cells and chart images of the HTML file that WeasyPrint typeset."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[int] = []
        self.cells: list[str] = []
        self.tables = 0
        self.stacked = 0
        self.pagerefs = 0
        self.sections = 0
        self.charts: list[str] = []
        self._cell: list[str] | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "table":
            self.tables += 1
            self.stacked += "bnk-stacked" in (attrs.get("class") or "").split()
        elif tag == "section":
            self.sections += 1
        elif tag in ("td", "th"):
            self._cell, self._depth = [], 0
        elif tag == "a" and "bnk-pageref" in (attrs.get("class") or "").split():
            self.pagerefs += 1
        elif tag == "img" and "bnk-chart-" in attrs.get("src", ""):
            self.charts.append(attrs.get("alt", ""))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _squash(text: str) -> str:
    # Line breaks and spaces differ between HTML and PDF text; the characters must not. Hyphens
    # are left out too: pdftotext joins "Standard-" at a line end with the next line's "oder", and
    # WeasyPrint's hyphenation adds U+2010 ("Nachhaltig‐" / "keit").
    return re.sub(r"[\s\-\u00ad\u2010]+", "", text)


def _in_pages(words: list[str], pages: list[str], start: int = 0) -> bool:
    """Whether ``words`` stand in order in the squashed page texts, from page ``start`` on; a
    table cell may run over a page break (then its rest opens the next page's part)."""
    if not words:
        return True
    for number in range(start, len(pages)):
        # The longest beginning of the words that this page holds ...
        for cut in range(len(words), 0, -1):
            if _squash("".join(words[:cut])) in pages[number]:
                if cut == len(words):
                    return True
                # ... and the rest continues on the next page.
                if _in_pages(words[cut:], pages, number + 1) and number + 1 < len(pages):
                    return True
                break
        if start:
            return False
    return False


@pytest.fixture(scope="module")
def built_dir(tmp_path_factory):
    """The output folder of one build of the accessible PDF, shared by the module's tests."""
    srcdir = copy_report(tmp_path_factory.mktemp("pdfua") / "src")
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "bnk-pdfua", "-W", "--keep-going", "-q", ".", "_build/pdfua"],
        cwd=srcdir,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    seconds = time.monotonic() - start
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    print(f"barrierefreies PDF gebaut in {seconds:.0f} s")
    return srcdir / "_build/pdfua"


@pytest.fixture(scope="module")
def built(built_dir):
    out = built_dir
    html = _Html()
    html.feed((out / "index.html").read_text(encoding="utf-8"))
    export = json.loads((out / "bnk-report.json").read_text(encoding="utf-8"))
    text = subprocess.run(
        ["pdftotext", "-raw", str(out / NAME), "-"], capture_output=True, text=True, check=True
    ).stdout
    pdf = pikepdf.open(out / NAME)
    yield pdf, html, export, text
    pdf.close()


def _elements(where, tag=None):
    """Structure elements of a PDF (or under one element), in document order."""
    from bnk.pdfua import struct_elements

    root = where.Root.StructTreeRoot if isinstance(where, pikepdf.Pdf) else where
    return struct_elements(root, tag)


def test_the_erklaerung_names_no_tool(built):
    from test_accessibility import statement_in_pdf, tool_words

    *_, text = built
    statement = statement_in_pdf(text)
    assert "Diese Erklärung wurde im Jahr 2024 erstellt." in statement
    assert not tool_words(statement)


def test_catalog_language_title_and_pdfua_identification(built):
    pdf, _, export, _ = built
    assert str(pdf.Root.Lang) == "de-DE"
    assert pdf.Root.MarkInfo.Marked is True
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    with pdf.open_metadata() as meta:
        assert meta["pdfuaid:part"] == "1"
        assert meta["dc:title"] == "Nachhaltigkeitsbericht Kreis Heinsberg 2023"
        assert meta["dc:language"] == {"de-DE"}
    assert str(pdf.docinfo.Title) == "Nachhaltigkeitsbericht Kreis Heinsberg 2023"
    assert export["report"]["kommune"] == "Kreis Heinsberg"


def test_every_page_has_struct_parents_and_tab_order(built):
    pdf = built[0]
    assert len(pdf.pages) > 100
    for number, page in enumerate(pdf.pages, start=1):
        assert "/StructParents" in page.obj, f"Seite {number} ohne /StructParents"
        if page.obj.get("/Annots"):
            assert page.obj.Tabs == "/S", f"Seite {number}: Tab-Reihenfolge nicht nach Struktur"


def test_every_chart_is_a_figure_with_its_generated_alt_text(built):
    pdf, html, export, _ = built
    # Every chart image of the typeset HTML (an indicator with data has one, unless its series is
    # too short to draw) is one Figure, in the same order, with the same alt text.
    with_data = [i for i in export["indicators"] if i["shown_years"]]
    assert 40 <= len(html.charts) <= len(with_data)
    figures = _elements(pdf, "/Figure")
    alts = [str(f.get("/Alt", "")) for f in figures]
    assert all(alt.strip() for alt in alts)
    assert alts == html.charts
    assert all(alt.startswith("Diagramm: ") for alt in alts)


def _pages_of(pdf, element) -> set[int]:
    """The pages an element's content lies on (its own /Pg and those of every descendant)."""
    from bnk.pdfua import _kids

    numbers = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
    found, stack = set(), [element]
    while stack:
        current = stack.pop()
        if "/Pg" in current:
            found.add(numbers[current.Pg.objgen])
        stack.extend(kid for kid in _kids(current) if isinstance(kid, pikepdf.Dictionary))
    return found


def _kids_of(element):
    from bnk.pdfua import _kids

    return _kids(element)


def _first_kid(element):
    return next((k for k in _kids_of(element) if "/S" in k), None)


def test_structure_follows_the_document_not_the_pages(built):
    pdf, html, _, _ = built
    root = pdf.Root.StructTreeRoot
    (document,) = _kids_of(root)
    assert document.S == "/Document"
    # Cover, "Inhalt", the report, the imprint – not one /Div per page (WeasyPrint alone: 190),
    # and no wrappers of the page layout (div.body, div.toctree-wrapper) between them.
    assert [str(k.S) for k in _kids_of(document)] == ["/Div", "/Div", "/Sect", "/Sect"]
    report = _kids_of(document)[2]
    assert _first_kid(report).S == "/H1"
    # One Sect per HTML section, each opening with its heading: none is the continuation of a
    # section on a new page, and no chapter holds aspects before its heading.
    sects = _elements(pdf, "/Sect")
    assert len(sects) == html.sections
    firsts = [_first_kid(s) for s in sects]
    assert [f for f in firsts if f is None or not re.fullmatch(r"/H[1-6]", str(f.S))] == []
    # The chapters (H2 in the one-file report, and the imprint) are Sects of their own.
    chapters = [s for s, f in zip(sects, firsts, strict=True) if str(f.S) == "/H2"]
    assert len(chapters) == html.headings.count(2) >= 28
    # Every chapter is a Sect of the report's Sect (the imprint: of the Document).
    assert [c.P.objgen for c in chapters[:-1]] == [report.objgen] * (len(chapters) - 1)
    assert chapters[-1].P.objgen == document.objgen


def test_a_table_over_several_pages_is_one_table(built):
    pdf, html, _, _ = built
    # One Table per HTML table, however many pages it runs over (WeasyPrint alone: one per page).
    tables = _elements(pdf, "/Table")
    assert len(tables) == html.tables
    long_tables = [t for t in tables if len(_pages_of(pdf, t)) >= 2]
    assert len(long_tables) >= 3
    for table in long_tables:
        # Its header row is repeated on every page it runs over, inside the one Table.
        heads = [h for h in _elements(table, "/THead") if _elements(h, "/TH")]
        assert {page for head in heads for page in _pages_of(pdf, head)} == _pages_of(pdf, table)
    # The BNK index runs over several pages: one Table with every one of its 92 body rows.
    index = max(tables, key=lambda t: len(_elements(t, "/TR")))
    assert len(_pages_of(pdf, index)) >= 3
    assert len([r for r in _elements(index, "/TR") if _elements(r, "/TD")]) == 92


def test_tables_have_header_cells(built):
    pdf, _, _, _ = built
    tables = _elements(pdf, "/Table")
    assert [t for t in tables if not _elements(t, "/TR") or not _elements(t, "/TH")] == []
    # The overview's labels are header cells of their rows.
    overview = tables[0]
    assert len(_elements(overview, "/TH")) == len(_elements(overview, "/TR")) == 9


def test_heading_levels_never_skip(built):
    pdf, html, _, _ = built
    levels = [int(str(e.S)[2:]) for e in _elements(pdf) if re.fullmatch(r"/H[1-6]", str(e.S))]
    assert levels[0] == 1
    assert levels.count(1) == 2  # "Inhalt" and the report's title
    skips = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert skips == []
    assert levels == html.headings


def test_structure_has_paragraphs_lists_and_links_with_descriptions(built):
    pdf = built[0]
    assert len(_elements(pdf, "/P")) > 500
    assert _elements(pdf, "/L") and _elements(pdf, "/LI")
    annots = [a for page in pdf.pages for a in page.obj.get("/Annots", []) if a.get("/Subtype") == "/Link"]
    assert len(annots) > 500
    for annot in annots:
        contents = str(annot.get("/Contents", ""))
        assert contents.strip(), annot
        assert "/StructParent" in annot
    # Descriptions are the visible link texts, not WeasyPrint's bare targets.
    described = [str(a.Contents) for a in annots]
    assert "Aspekt 12.1: Nachhaltige Mobilität im Kreis" in described
    targets = {str(a.Dest) for a in annots if "/Dest" in a}
    assert not [d for d in described if d in targets or d.startswith("mailto:")]


def test_text_contains_every_aspect_indicator_and_table_cell(built):
    _, html, export, text = built
    flat = _squash(text)
    missing = [
        f"Aspekt {a['number']}: {a['title']}"
        for a in export["aspects"]
        if _squash(f"Aspekt {a['number']}: {a['title']}") not in flat
    ]
    assert missing == []
    assert [i["title"] for i in export["indicators"] if _squash(i["title"]) not in flat] == []
    cells = [c for c in html.cells if c.strip()]
    assert len(cells) > 1000
    pages = [_squash(page) for page in text.split("\f")]
    assert [c for c in cells if _squash(c) not in flat and not _in_pages(c.split(), pages)] == []


# -- a reading copy: issue 23 --------------------------------------------------------------------


def _page_texts(text: str) -> list[str]:
    return text.split("\f")


def test_cover_contents_and_imprint(built):
    _, _, export, text = built
    pages = _page_texts(text)
    report = export["report"]
    cover = " ".join(pages[0].split())
    assert cover.startswith(f"{report['kommune']} Nachhaltigkeitsbericht Kreis Heinsberg 2023 Berichtsjahr 2023")
    assert "Barrierefreie Fassung (PDF/UA)" in cover
    # "Inhalt" with the page of every chapter: each entry's page holds that chapter's heading.
    contents = pages[1]
    assert contents.startswith("Inhalt\n")
    entries = re.findall(r"([^\n]+?) –\s+Seite (\d+)", contents)
    assert len(entries) == 29
    wrong = [(title, page) for title, page in entries if _squash(title) not in _squash(pages[int(page) - 1])]
    assert wrong == []
    # Each entry is one link whose description is the whole entry, also where it wraps.
    described = {str(a.Contents) for a in built[0].pages[1].obj.Annots}
    assert described == {f"{title} – Seite {page}" for title, page in entries}
    # The imprint from the report's settings closes the PDF.
    imprint = " ".join(pages[-2 if not pages[-1].strip() else -1].split())
    assert imprint.startswith("Impressum Herausgeber: Kreis Heinsberg")
    assert "Redaktion und Kontakt:" in imprint
    assert _squash("Erstellt nach dem Berichtsrahmen Nachhaltige Kommune (BNK)") in _squash(imprint)


def _lines(pdf_path):
    """Every text line of the PDF: (page index, x0, x1, text), from pdftotext -bbox-layout."""
    from xml.etree import ElementTree

    xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf_path), "-"], capture_output=True, check=True).stdout
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    found = []
    for number, page in enumerate(ElementTree.fromstring(xhtml).iterfind(".//x:page", ns)):
        for block in page.iterfind(".//x:block", ns):
            lines = list(block.iterfind("x:line", ns))
            # The last line of a block (a paragraph's last line) is as long as the text is.
            for line in lines[:-1]:
                words = [w.text or "" for w in line.iterfind("x:word", ns)]
                found.append((number, float(line.get("xMin")), float(line.get("xMax")), " ".join(words)))
    return found


def test_body_text_is_hyphenated_in_lines_of_65_to_75_characters(built_dir):
    # 11 pt on a 156 mm measure, German hyphenation (hyphens: auto, lang="de"). Before: the web
    # pages' print margins, no hyphenation, lines of 84 characters.
    lines = _lines(built_dir / NAME)
    left = min(x0 for _, x0, _, _ in lines)
    measure = max(x1 for _, _, x1, _ in lines) - left
    # Lines of running text: from the left margin over (nearly) the whole measure; table cells
    # and list items are narrower or indented.
    full = [t for _, x0, x1, t in lines if x0 - left < 1 and x1 - x0 > 0.9 * measure]
    lengths = sorted(len(t) for t in full)
    assert len(lengths) > 1500
    median = statistics.median(lengths)
    within = sum(65 <= n <= 75 for n in lengths) / len(lengths)
    print(f"{len(lengths)} volle Zeilen, Median {median}, {within:.0%} mit 65–75 Zeichen")
    assert 65 <= median <= 75
    assert within >= 0.75
    hyphenated = [t for t in full if t.endswith("\u2010")]
    assert len(hyphenated) >= 200


def _content_on_pages(pdf):
    """Per page, the structure elements of its marked content in the order it is drawn (only
    those in the tree: the page number of the margin is no content)."""
    inside = {e.objgen for e in _elements(pdf)}
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    pages = []
    for page in pdf.pages:
        mapping = parents.get(int(page.obj.StructParents), [])
        items = mapping if isinstance(mapping, pikepdf.Array) else []
        pages.append([e for e in items if isinstance(e, pikepdf.Dictionary) and e.objgen in inside])
    return pages


def _in_heading(element) -> bool:
    while element is not None and "/S" in element:
        if re.fullmatch(r"/H[1-6]", str(element.S)):
            return True
        element = element.get("/P")
    return False


def test_no_page_ends_with_a_heading_or_holds_only_headings(built):
    pdf, *_, text = built
    pages = _content_on_pages(pdf)
    ending = [n for n, content in enumerate(pages, 1) if content and _in_heading(content[-1])]
    only = [n for n, content in enumerate(pages, 1) if content and all(_in_heading(e) for e in content)]
    assert (ending, only) == ([], [])
    # Nor with the SDG badges that follow a heading ("Aspekt 9.3: …" / "SDG 9 Industrie, …" at
    # the foot of a page, its text on the next: 10 pages before).
    lasts = [[line for line in page.splitlines() if line.strip()][-2:] for page in _page_texts(text)]
    badges = [n for n, last in enumerate(lasts, 1) if len(last) == 2 and re.match(r"SDG \d+ ", last[0])]
    assert badges == []


def test_no_landscape_page_wide_tables_are_stacked(built):
    pdf, html, _, text = built
    sizes = {(round(float(p.MediaBox[2])), round(float(p.MediaBox[3]))) for p in pdf.pages}
    assert sizes == {(595, 842)}
    # The cooperation table of Kriterium 06 (five text columns, 16 landscape pages before) is
    # stacked: a two-column Table whose rows name their columns.
    assert html.stacked == 1
    assert "Interkommunale Zusammenarbeit der Kreisverwaltung Heinsberg – Stand etwa 2015" in text
    assert "Amt/Stabsstelle Angaben" in text


def test_no_screen_wording_and_errata_name_their_pages(built):
    from test_pdf import SCREEN_WORDING

    pdf, html, _, text = built
    flat = _squash(text)
    assert [word for word in SCREEN_WORDING if _squash(word) in flat] == []
    # The deviations list names the page of each deviation instead of "zur Stelle": a link
    # "Seite 17" (its number generated by CSS), and page 17 holds the deviation's note.
    from bnk.pdfua import _annotations_under

    pages = _page_texts(text)
    links = [link for link in _elements(pdf, "/Link") if link.P.S != "/Link"]
    annots = [_annotations_under(link)[0] for link in links if _annotations_under(link)]
    described = [str(a.get("/Contents", "")) for a in annots if re.search(r"abweichung-\d+$", str(a.get("/Dest", "")))]
    numbers = [int(m[1]) for d in described if (m := re.fullmatch(r"Seite (\d+)", d))]
    assert len(numbers) == html.pagerefs >= 33
    assert [n for n in numbers if "Abweichung" not in pages[n - 1]] == []
    # Each names its own page: when every page's "abweichung-1" was one id in the one file, the
    # 40 entries named 6 pages (the first note of each number).
    assert len(set(numbers)) >= 30


def test_ids_are_unique_in_the_one_file(built_dir):
    # Ids are unique per web page only ("indikatoren", "abweichung-1" on many pages); the one
    # file of the accessible PDF renames the repeated ones and their links follow.
    ids = re.findall(r'\sid="([^"]+)"', (built_dir / "index.html").read_text(encoding="utf-8"))
    assert len(ids) > 500
    assert [i for i, n in collections.Counter(ids).items() if n > 1] == []


def test_weasyprint_errors_reach_the_author_in_german(tmp_path):
    """A real WeasyPrint run with a link to a missing anchor: the message is German, the anchor
    is inserted as a value (braces stay text); an unknown message keeps its English original
    behind a German frame instead of being dropped."""
    import logging

    from bnk.pdfua import _WeasyPrintLog, german_message
    from weasyprint import HTML

    page = tmp_path / "seite.html"
    page.write_text('<html lang="de"><body><a href="#gibt-es-{nicht}">Link</a></body></html>', encoding="utf-8")
    log = _WeasyPrintLog()
    weasy = logging.getLogger("weasyprint")
    weasy.addHandler(log)
    try:
        HTML(filename=str(page)).write_pdf()
    finally:
        weasy.removeHandler(log)
    assert log.messages == ["Link auf die nicht vorhandene Stelle #gibt-es-{nicht}"]
    unknown = logging.LogRecord("weasyprint", logging.ERROR, "", 0, "Something new: %s", ("x{0}",), None)
    assert german_message(unknown) == "Meldung des Satzprogramms WeasyPrint (englisch): Something new: x{0}"


def _embedded_files(raw: bytes) -> list[str]:
    """Names of every file the PDF carries: document attachments and file annotations."""
    import io

    with pikepdf.open(io.BytesIO(raw)) as pdf:
        names = list(pdf.attachments)
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                if annot.get("/Subtype") == "/FileAttachment" or "/FS" in annot:
                    names.append(str(annot.FS.get("/UF", annot.FS.get("/F", "?"))))
    return names


ATTACHING_PAGE = (
    '<html lang="de"><head><title>T</title><link rel="attachment" href="/etc/passwd">'
    '<link rel="attachment" href="anlage.csv"></head><body><h1>T</h1>'
    '<p><a rel="attachment" href="file:///etc/hostname">Anhang</a> <img src="file:///etc/passwd" alt="Bild"></p>'
    "</body></html>"
)


def test_a_page_cannot_attach_or_load_local_files(tmp_path):
    """Unguarded, WeasyPrint embeds /etc/passwd and /etc/hostname into the PDF (the page names them)."""
    from bnk.pdfua import typeset

    (tmp_path / "anlage.csv").write_text("year,value\n2020,1\n", encoding="utf-8")
    page = tmp_path / "index.html"
    page.write_text(ATTACHING_PAGE, encoding="utf-8")
    raw, messages = typeset(page)
    assert _embedded_files(raw) == []
    assert messages == [
        "Anhang „/etc/passwd“ nicht eingebettet (nicht freigegeben)",
        "Anhang „anlage.csv“ nicht eingebettet (nicht freigegeben)",
        "Anhang „file:///etc/hostname“ nicht eingebettet (nicht freigegeben)",
        "Bild „file:///etc/passwd“ nicht lesbar: ValueError: nicht aus der Ausgabe des Baus: file:///etc/passwd",
        "„file:///etc/passwd“ nicht geladen: nur Dateien aus der Ausgabe des Baus gelangen ins PDF",
    ]
    # a declared file of the build output is attached
    raw, _ = typeset(page, attachments=(tmp_path / "anlage.csv",))
    assert _embedded_files(raw) == ["anlage.csv"]


def test_declared_attachments_are_embedded_even_if_no_page_names_them(tmp_path):
    """bnk_pdfua_attachments (copied by the builder into _anhaenge/): the PDF carries them."""
    from bnk.pdfua import typeset

    (tmp_path / "_anhaenge").mkdir()
    (tmp_path / "_anhaenge/co2.csv").write_text("year,value\n2020,1\n", encoding="utf-8")
    page = tmp_path / "index.html"
    page.write_text('<html lang="de"><head><title>T</title></head><body><h1>T</h1></body></html>', encoding="utf-8")
    raw, messages = typeset(page, attachments=(tmp_path / "_anhaenge/co2.csv",))
    assert (_embedded_files(raw), messages) == (["co2.csv"], [])
    # outside the build output it is not loaded, even when declared
    (tmp_path.parent / "draussen.csv").write_text("x\n", encoding="utf-8")
    raw, messages = typeset(page, attachments=(tmp_path.parent / "draussen.csv",))
    assert _embedded_files(raw) == []
    assert any("nicht geladen: nur Dateien aus der Ausgabe des Baus" in m for m in messages), messages


def test_unguarded_weasyprint_would_attach_them(tmp_path):
    """The threat the guard answers: WeasyPrint alone embeds what the page names."""
    from weasyprint import HTML

    page = tmp_path / "index.html"
    page.write_text(ATTACHING_PAGE, encoding="utf-8")
    assert sorted(_embedded_files(HTML(filename=str(page)).write_pdf())) == ["hostname", "passwd"]


def _synthetic_pdf(keys: bool):
    """Two sections, a 120-row table and an 80-item list over 8 pages, typeset by WeasyPrint."""
    import io

    from bnk.pdfua_tree import element_keys
    from weasyprint import HTML

    rows = "".join(f"<tr><th scope='row'>Zeile {i}</th><td>Wert {i} mit etwas Text</td></tr>" for i in range(120))
    paras = "".join(f"<p>Absatz {i} " + "Wort " * 60 + "</p>" for i in range(12))
    items = "".join(f"<li>Punkt {i}</li>" for i in range(80))
    html = (
        '<html lang="de"><head><title>T</title></head><body><div class="body">'
        f'<section><span id="kapitel-eins"></span><h1>Kapitel eins</h1>{paras}<table><caption>Lange Tabelle</caption>'
        f"<thead><tr><th>Name</th><th>Wert</th></tr></thead><tbody>{rows}</tbody></table></section>"
        f'<section><span id="kapitel-zwei"></span><h1>Kapitel zwei</h1>{paras}<ul>{items}</ul></section></div></body></html>'
    )
    context = element_keys() if keys else contextlib.nullcontext()
    with context:
        raw = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    return pikepdf.open(io.BytesIO(raw))


TAGS = ("/Div", "/Sect", "/Table", "/THead", "/TBody", "/TR", "/L", "/LI", "/H1")


def test_parts_split_at_page_breaks_are_joined_into_one_element():
    from bnk.pdfua_tree import merge_continued

    pdf = _synthetic_pdf(keys=True)
    assert len(pdf.pages) == 8
    before = {t: len(_elements(pdf, t)) for t in TAGS}
    # WeasyPrint alone: one Div per page, the table in four parts, the sections and list cut.
    assert before == {
        "/Div": 8,
        "/Sect": 9,
        "/Table": 4,
        "/THead": 4,
        "/TBody": 4,
        "/TR": 124,
        "/L": 3,
        "/LI": 80,
        "/H1": 2,
    }
    assert merge_continued(pdf) == 23
    after = {t: len(_elements(pdf, t)) for t in TAGS}
    # One of each; the header row repeated on every page stays (4 THead, 120 + 4 rows); the
    # layout's div.body is gone, its sections in its place.
    assert after == {
        "/Div": 0,
        "/Sect": 2,
        "/Table": 1,
        "/THead": 4,
        "/TBody": 1,
        "/TR": 124,
        "/L": 1,
        "/LI": 80,
        "/H1": 2,
    }
    table = _elements(pdf, "/Table")[0]
    assert len(_pages_of(pdf, table)) == 4
    # Each section opens with its heading: the anchor <span id> before it (an anonymous block
    # box, once a second Sect that took the next page's part before the heading) is gone.
    firsts = [[str(k.S) for k in _kids_of(s) if "/S" in k][:2] for s in _elements(pdf, "/Sect")]
    assert firsts == [["/H1", "/P"], ["/H1", "/P"]]
    assert _elements(pdf, "/NonStruct") == []
    names = [e for e in _elements(pdf) if "/BnkKey" in e]
    assert names == []
    # Marked content and annotations point only to elements that are in the tree.
    inside = {e.objgen for e in _elements(pdf)}
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    values = [v for i in range(1, len(nums), 2) for v in (nums[i] if isinstance(nums[i], pikepdf.Array) else [nums[i]])]
    assert values and all(v.objgen in inside for v in values)


def test_without_element_keys_nothing_is_joined():
    from bnk.pdfua_tree import merge_continued

    pdf = _synthetic_pdf(keys=False)
    assert merge_continued(pdf) == 0
    assert len(_elements(pdf, "/Table")) == 4


def test_charts_are_on_disk_before_weasyprint_loads_them(make_bnk_app, monkeypatch):
    """The charts are drawn in the background; the accessible PDF is typeset before the build's
    end. With a pool that draws nothing until it is joined, every chart must still reach the
    PDF: the builder waits for them (before: a slow machine could typeset missing images)."""
    from bnk.charts import ChartPool
    from conftest import bnk_warnings_of

    deferred: list = []

    def start(self, jobs):
        deferred.extend(jobs)
        self.scheduled.update(str(path) for _, path, _ in jobs)
        return len(jobs)

    def join(self, progress=None):
        from bnk.charts import render_chart

        drawn = sum(render_chart(spec, path, width) for spec, path, width in deferred)
        deferred.clear()
        return drawn

    monkeypatch.setattr(ChartPool, "start", start)
    monkeypatch.setattr(ChartPool, "join", join)
    app = make_bnk_app("indicators", buildername="bnk-pdfua")
    app.build()
    assert bnk_warnings_of(app) == []
    (target,) = Path(app.outdir).glob("*.pdf")
    with pikepdf.open(target) as pdf:
        figures = list(_elements(pdf.Root.StructTreeRoot, "/Figure"))
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert html.count('<figure class="bnk-chart">') == len(figures) == 3  # the fourth has no data to draw
