"""The print PDF, built for real with XeLaTeX, and its quality gates."""

from __future__ import annotations

import collections
import csv
import functools
import itertools
import os
import re
import shutil
import statistics
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
import yaml
from bnk.data.catalogue import edition_path, load_catalogue
from bnk.data.numbers import decimals_of, format_number
from bnk.data.tables import load_table
from test_report import REPO, copy_report

TOOLS = ("latexmk", "xelatex", "pdftotext", "pdffonts", "pdftoppm", "pdfinfo")
INSTALL = (
    "sudo apt-get install --no-install-recommends latexmk texlive-xetex texlive-latex-recommended "
    "texlive-latex-extra texlive-fonts-recommended texlive-lang-german fonts-dejavu-core poppler-utils"
)
missing = [tool for tool in TOOLS if shutil.which(tool) is None]
pytestmark = [
    pytest.mark.tex,
    pytest.mark.skipif(
        bool(missing), reason=f"TeX Live/Poppler fehlen ({', '.join(missing)}); installieren mit: {INSTALL}"
    ),
]

NAME = "nachhaltigkeitsbericht-kreis-heinsberg-2023"


# A commit of the report as a Kommune's repository holds it: the PDF's date is the commit's.
COMMIT_ENV = {
    "GIT_AUTHOR_NAME": "Redaktion",
    "GIT_AUTHOR_EMAIL": "redaktion@example.org",
    "GIT_COMMITTER_NAME": "Redaktion",
    "GIT_COMMITTER_EMAIL": "redaktion@example.org",
    "GIT_AUTHOR_DATE": "2024-03-15T09:30:00+00:00",
    "GIT_COMMITTER_DATE": "2024-03-15T09:30:00+00:00",
}


def build_committed_pdf(srcdir: Path) -> subprocess.CompletedProcess:
    """Copy the report to ``srcdir``, commit it and run the one build path of `make pdf` there
    (bnk pdf: Sphinx's LaTeX, latexmk/XeLaTeX, the overflow guard), without SOURCE_DATE_EPOCH."""
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "FORCE_SOURCE_DATE")}
    copy_report(srcdir)
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "Bericht"]):
        subprocess.run(["git", "-C", str(srcdir), *command], check=True, env=env | COMMIT_ENV, capture_output=True)
    return subprocess.run(
        [sys.executable, "-m", "bnk", "pdf", "."],
        cwd=srcdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> tuple[Path, str, str]:
    srcdir = tmp_path_factory.mktemp("pdf") / "src"
    result = build_committed_pdf(srcdir)
    latex = srcdir / "_build/latex"
    log = (latex / f"{NAME}.log").read_text(encoding="utf-8", errors="replace")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stderr.strip().splitlines()[-1] == f"Fertig: {latex.resolve()}/{NAME}.pdf"
    text = subprocess.run(
        ["pdftotext", str(latex / f"{NAME}.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    return latex, log, text


def _flat(text: str) -> str:
    # Join lines (and words hyphenated at a line end) so that headings that wrap are found.
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    return re.sub(r"\s+", " ", text)


def test_no_latex_errors_and_no_undefined_references(pdf):
    _, log, _ = pdf
    assert not re.findall(r"^! .*", log, re.M)
    assert "There were undefined references" not in log
    assert not re.findall(r"Reference `[^']+' on page \d+ undefined", log)
    assert not re.findall(r"Hyper reference `[^']+' on page \d+ undefined", log)


def test_no_overfull_box_wider_than_10pt(pdf):
    _, log, _ = pdf
    widths = [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]
    assert [w for w in widths if w > 10] == []


def test_every_aspect_heading_and_indicator_title_is_in_the_pdf(pdf):
    _, _, text = pdf
    flat = _flat(text)
    conf: dict = {}
    exec((REPO / "conf.py").read_text(encoding="utf-8"), conf)
    titles = conf["bnk_aspect_titles"]
    for aspect in load_catalogue(str(edition_path("2021"))).aspects:
        heading = f"Aspekt {aspect.number}: {titles.get(aspect.number, aspect.title)}"
        assert heading in flat, heading
    for meta in sorted((REPO / "data").glob("*.yaml")):
        title = yaml.safe_load(meta.read_text(encoding="utf-8"))["title"]
        assert title in flat, title


def test_cover_imprint_contents_then_the_report(pdf):
    latex, _, text = pdf
    pages = [_flat(p) for p in text.split("\f")]
    assert pages[0].startswith("Kreis Heinsberg Nachhaltigkeitsbericht Kreis Heinsberg 2023 Berichtsjahr 2023")
    assert "Berichtszeitraum: 2023; Veröffentlicht: 2024" in pages[0]
    assert pages[1].startswith("Impressum Herausgeber Kreis Heinsberg")
    assert "Redaktion und Kontakt Beyda Üner, Nachhaltigkeitsmanagerin" in pages[1]
    assert "Stand 2024" in pages[1]
    assert pages[2].startswith("Inhalt ")
    toc = " ".join(pages[2:8])
    assert "Steuerung (Kriterien 01–09)" in toc and "Handlungsfelder (Handlungsfelder 10–18)" in toc
    assert "Kriterium 01: Strategie" in toc and "Handlungsfeld 18: Globale Verantwortung und Eine Welt" in toc
    assert "Aspekt 10.1: Kommunaler Klimaschutz" in toc  # chapters and aspects
    assert "Abbildungsverzeichnis" in " ".join(pages[3:10])
    # BNK numbers, not LaTeX's chapter numbers: no chapter page opens with a label "Kapitel N"
    # (the report's own text may speak of "Kapitel 10 bis 18", e.g. on the Leichte-Sprache page).
    assert not [n for n, page in enumerate(pages, 1) if re.match(r"Kapitel \d", page)]
    info = subprocess.run(["pdfinfo", str(latex / f"{NAME}.pdf")], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Title:\s+Nachhaltigkeitsbericht Kreis Heinsberg 2023$", info, re.M)
    assert re.search(r"^Author:\s+Kreis Heinsberg$", info, re.M)
    assert re.search(rb"/Lang\s*\(de-DE\)", _pdf_objects((latex / f"{NAME}.pdf").read_bytes()))


def test_no_tool_wording_on_any_page(pdf):
    _, _, text = pdf
    for number, page in enumerate(text.split("\f"), 1):
        for word in ("conf.py", "bnk_report", "Sphinx", "bei jedem Bau"):
            assert word not in _flat(page), (number, word)


def test_the_erklaerung_names_no_tool(pdf):
    from test_accessibility import statement_in_pdf, tool_words

    _, _, text = pdf
    statement = statement_in_pdf(text)
    assert "Diese Erklärung wurde im Jahr 2024 erstellt." in statement
    assert not tool_words(statement)


def test_negative_numbers_in_tables_with_the_minus_sign(pdf):
    _, _, text = pdf
    flat = _flat(text)
    assert "−625" in flat and "−28,2 %" in flat  # CO₂-Bilanz: change 2015 → 2018
    assert "-625" not in flat


def test_no_content_pushed_off_the_page(pdf):
    _, log, _ = pdf
    assert "Overfull \\vbox" not in log
    assert "BNK unit too tall" not in log
    assert "Float too large" not in log


def _csv_tables() -> list[Path]:
    names = []
    for page in sorted([*REPO.glob("*.md"), *REPO.glob("kriterien/*.md"), *REPO.glob("handlungsfelder/*.md")]):
        names += re.findall(r"^```\{bnk-(?:table|measures)\} (\S+)", page.read_text(encoding="utf-8"), re.M)
    return [REPO / "data" / f"{name}.csv" for name in names]


def _squeezed(text: str) -> str:
    # Without whitespace and hyphens: line breaks and hyphenation of the PDF do not matter.
    return re.sub(r"[\s\-\u00ad\u2212]+", "", text)


def test_every_cell_of_every_data_table_is_in_the_pdf(pdf):
    latex, _, _ = pdf
    # -raw: the text in the order it was set, cell by cell (columns are not interleaved).
    raw = subprocess.run(
        ["pdftotext", "-raw", str(latex / f"{NAME}.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    squeezed = _squeezed(raw)
    tables = _csv_tables()
    assert tables, "keine Datentabellen gefunden"
    cells = 0
    for path in tables:
        # The cells as the report shows them: read and formatted by the data layer.
        table = load_table(path, path.with_suffix(".yaml"))
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row):
                shown = format_number(table.numbers[(r, c)], decimals_of(cell)) if (r, c) in table.numbers else cell
                if shown.strip():
                    cells += 1
                    assert _squeezed(shown) in squeezed, (path.name, shown)
    with (REPO / "data/tabellen/interkommunale-zusammenarbeit.csv").open(encoding="utf-8") as handle:
        departments = [r[0] for r in csv.reader(handle)][1:]
    assert len(departments) == 15
    assert all(_squeezed(d) in squeezed for d in departments)
    assert cells > 60


def _pages(text: str) -> list[str]:
    return [_flat(p) for p in text.split("\f")]


def test_every_indicator_is_one_unit_on_its_page(pdf):
    _, _, text = pdf
    pages = _pages(text)
    checked = without_data = 0
    metas = sorted((REPO / "data").glob("*.yaml"))
    titles = [yaml.safe_load(m.read_text(encoding="utf-8"))["title"] for m in metas]
    for meta in metas:
        info = yaml.safe_load(meta.read_text(encoding="utf-8"))
        title = info["title"]
        # "Personal zur Betreuung von Kindern …" must not count as "Betreuung von Kindern …".
        longer = [t for t in titles if t != title and t.endswith(title)]
        heading = [
            i
            for i, p in enumerate(pages)
            if f"{title} Definition:" in functools.reduce(lambda s, t: s.replace(f"{t} Definition:", ""), longer, p)
        ]
        assert len(heading) == 1, (title, heading)
        page = pages[heading[0]]
        if info.get("no_data_reason"):
            # Without data the unit is heading to the reason: it stands on the same page.
            after = page.split(f"{title} Definition:", 1)[1]
            assert "Keine Daten – Begründung" in after, title
            without_data += 1
            continue
        assert "Veränderung absolut" in page.split(f"{title} Definition:", 1)[1], title
        # Compared without spaces and hyphens: in the chart's narrow column a caption may break
        # after a hyphen ("3-" "Jährige"), which _flat takes for a hyphenated word.
        caption = re.search(rf"Abbildung\d+:{re.escape(_squeezed(title))}\(", _squeezed(page))
        drawn = re.search(rf"Abbildung \d+: {re.escape(title)} \(", _flat(text))  # list of figures
        if drawn:  # a chart is drawn: its numbered caption stands on the heading's page
            assert caption, title
            checked += 1
    assert checked >= 40
    assert without_data == sum(1 for m in metas if yaml.safe_load(m.read_text(encoding="utf-8")).get("no_data_reason"))
    assert without_data >= 1


@functools.cache
def bbox_layout(pdf_path: Path) -> str:
    """``pdftotext -bbox-layout`` of a PDF (pages, blocks, lines, words with their boxes), read
    once per PDF for all the layout tests."""
    return subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout


def type_area_lines(pdf_path: Path) -> tuple[list[list[tuple[float, float, float, str]]], float]:
    """Per page the lines of the type area as (top, bottom, height, text), and the body text height.

    Lines between 80 pt and 760 pt from the top are the type area (the running head and the page
    number lie outside); the body height is the most common line height.
    """
    xml = bbox_layout(pdf_path)
    pages = [
        [
            line
            for line in sorted(
                (float(y0), float(y1), round(float(y1) - float(y0), 1), " ".join(WORD_TEXT_RE.findall(words)))
                for _, y0, _, y1, words in LINE_RE.findall(page)
            )
            if 80 <= line[0] <= 760
        ]
        for page in PAGE_RE.findall(xml)
    ]
    return pages, _mode(line[2] for lines in pages for line in lines)


def headings_alone_at_the_foot(pdf_path: Path) -> list[tuple[int, str]]:
    """Pages whose last line is set larger than the body text: a heading that its text does not
    follow on the same page. Pages with fewer than ten lines (cover, dividers, openers) are laid
    out on purpose."""
    pages, body = type_area_lines(pdf_path)
    return [
        (number, lines[-1][3])
        for number, lines in enumerate(pages, 1)
        if len(lines) >= 10 and lines[-1][2] > body + 1.5
    ]


def pages_ended_early_before_a_heading(pdf_path: Path) -> list[tuple[int, int, str]]:
    """Pages that end with more than 200 pt free although the next page starts with a section
    heading (set larger than the body, smaller than a chapter opener) whose first lines would have
    fit: the room a heading reserves is at most 8 lines. A heading that opens the indicators, or
    an indicator (its unit moves whole), may leave more."""
    pages, body = type_area_lines(pdf_path)
    found = []
    for number, (page, following) in enumerate(itertools.pairwise(pages), 1):
        if len(page) < 10 or not following:
            continue
        top, *_ = following
        is_heading = body + 1.5 < top[2] <= 20
        opens_unit = top[3] == "Indikatoren" or any("Definition:" in line[3] for line in following[:4])
        free = 760 - page[-1][1]
        if is_heading and not opens_unit and free > 200:
            found.append((number, round(free), top[3]))
    return found


def test_no_heading_alone_at_the_foot_of_a_page(pdf):
    # Before the fix: "Praxisbeispiele" alone at the foot of three pages (a \needspace right
    # after a heading was a legal page break).
    latex, _, _ = pdf
    assert headings_alone_at_the_foot(latex / f"{NAME}.pdf") == []


def test_no_page_ends_early_before_a_heading(pdf):
    # Before the fix: page 104 ended 269 pt early before "Aspekt 14.4" (\needspace's own break
    # was the only one TeX did not count as deplorable on a \raggedbottom page).
    latex, _, _ = pdf
    assert pages_ended_early_before_a_heading(latex / f"{NAME}.pdf") == []


def test_running_heads_never_overlap_or_wrap(pdf, tmp_path):
    latex, _, _ = pdf
    html = subprocess.run(
        ["pdftotext", "-bbox", str(latex / f"{NAME}.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S)
    assert len(pages) > 100
    words_re = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
    with_heads = 0
    for number, (_, height, body) in enumerate(pages, 1):
        words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in words_re.findall(body)]
        head = [w for w in words if w[3] < 80]  # above the text area (top margin 30 mm = 85 pt)
        foot = [w for w in words if w[1] > float(height) - 62]  # the line of the page number
        if number > 2 and head:
            with_heads += 1
            assert len({round(w[1]) for w in head}) == 1, (number, head)  # one line: no wrap
        for box in (head, foot):
            ordered = sorted(box)
            for left, right in itertools.pairwise(ordered):
                if abs(left[1] - right[1]) < 2:
                    assert left[2] <= right[0] + 0.5, (number, left, right)  # no overprint
        if number > 2 and foot:
            assert len(foot) == 1 and re.fullmatch(r"\d+|[ivxl]+", foot[0][4]), (number, foot)
    assert with_heads > 100


def test_index_pages_show_page_numbers(pdf):
    _, _, text = pdf
    pages = _pages(text)
    printed = {}
    for i in range(len(pages)):
        last = text.split("\f")[i].strip().splitlines()[-1:] or [""]
        printed[i] = last[0].strip()
    heading = "Aspekt 10.1: Kommunaler Klimaschutz"
    where = next(i for i, p in enumerate(pages) if heading in p and printed[i].isdigit() and "BNK-Index" not in p[:80])
    index_page = " ".join(p for p in pages if p.startswith("BNK-Index"))
    assert re.search(r"Kommunaler Klimaschutz[^()]*\(Seite " + printed[where] + r"\)", index_page)
    sdg = " ".join(p for p in pages if "SDG-Index" in p[:200])
    assert len(re.findall(r"\(Seite \d+\)", sdg)) > 20
    indicators = " ".join(p for p in pages if "Verzeichnis der Indikatoren" in p[:200])
    assert len(re.findall(r"\(Seite \d+\)", indicators)) >= 49


def test_errata_in_an_appendix_with_page_references(pdf):
    _, _, text = pdf
    pages = _pages(text)
    appendix = [p for p in pages if p.startswith("Abweichungen vom gedruckten Bericht")]
    assert appendix
    joined = " ".join(appendix)
    assert len(re.findall(r"\(Seite \d+\)", joined)) >= 5
    body = " ".join(p for p in pages if p not in appendix)
    assert "Abweichung von der Ausgabe 2023 – siehe Anhang" in body


def _pdf_objects(data: bytes) -> bytes:
    """The PDF with its compressed (object) streams inflated, to look for catalog entries."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_fonts_embedded_no_type3(pdf):
    latex, _, _ = pdf
    fonts = subprocess.run(["pdffonts", str(latex / f"{NAME}.pdf")], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows
    assert not [r for r in rows if "Type 3" in r]
    # Columns: name type encoding emb sub uni object ID
    assert all(r.split()[-5] == "yes" for r in rows), fonts


def test_charts_are_vector_pdfs_and_a_page_renders(pdf, tmp_path):
    latex, _, _ = pdf
    tex = (latex / f"{NAME}.tex").read_text(encoding="utf-8")
    charts = re.findall(r"\\bnkfigure\{(bnk-chart-[0-9a-f]+\.pdf)\}", tex)
    assert len(charts) == 47  # 49 indicators with data; two are all zero and get a sentence instead
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(latex / f"{NAME}.pdf"), str(tmp_path / "page")],
        check=True,
    )
    png = next(tmp_path.glob("page*.png"))
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 2000


def test_two_latex_passes_and_page_labels_from_the_same_pass(pdf):
    latex, _, text = pdf
    runs = (latex / "latexmk.log").read_text(encoding="utf-8").count("Running 'xelatex")
    assert runs == 2
    labels = re.search(
        rb"/PageLabels\s*<<\s*/Nums\s*\[\s*0\s*<<\s*/S\s*/r\s*>>\s*(\d+)\s*<<\s*/S\s*/D\s*>>",
        _pdf_objects((latex / f"{NAME}.pdf").read_bytes()),
    )
    assert labels
    first_arabic = int(labels.group(1))
    pages = text.split("\f")
    assert pages[first_arabic].strip().splitlines()[-1].strip() == "1"
    # Cover, imprint, contents, lists of figures and tables: roman folios.
    assert re.fullmatch(r"v|v?i{1,3}|i[vx]|xi{0,3}", pages[first_arabic - 1].strip().splitlines()[-1].strip())


# -- line length --------------------------------------------------------------------------------

PAGE_RE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)
BLOCK_RE = re.compile(r'<block xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</block>', re.S)
LINE_RE = re.compile(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', re.S)
WORD_TEXT_RE = re.compile(r"<word [^>]*>([^<]*)</word>")


def _mode(values):
    return collections.Counter(values).most_common(1)[0][0]


def full_body_lines(pdf_path: Path) -> tuple[list[int], float, float]:
    """Characters of every full body line of the PDF, and the left and right edge of the body text.

    ``pdftotext -bbox-layout`` groups the words into lines and the lines into blocks (paragraphs).
    The edges of the body text are the most common left and right ends of all lines (justified
    body lines all end exactly at the right edge; table cells and headings are ragged). A *full*
    line starts at the left edge and ends at the right edge and is not the last line of its block:
    in justified text every line of a paragraph but its last; never a list item (indented), a
    table cell or a short line. Of these, *body* lines have the most common height (a rare full
    heading line is larger). A line's characters are those of its words and the spaces between.
    """
    xml = bbox_layout(pdf_path)
    blocks = [
        [
            (float(x0), float(x1), round(float(y1) - float(y0), 1), " ".join(WORD_TEXT_RE.findall(words)))
            for x0, y0, x1, y1, words in LINE_RE.findall(body)
        ]
        for _, _, body in BLOCK_RE.findall(xml)
    ]
    every = [line for lines in blocks for line in lines]
    left = _mode(round(x0) for x0, *_ in every)
    right = _mode(round(x1) for _, x1, *_ in every)
    full = [
        (height, text)
        for lines in blocks
        for x0, x1, height, text in lines[:-1]
        if abs(x0 - left) <= 1 and abs(x1 - right) <= 1
    ]
    body = _mode(height for height, _ in full)
    return [len(text) for height, text in full if height == body], left, right


def _check_line_length(pdf_path: Path, at_least: int) -> None:
    counts, left, right = full_body_lines(pdf_path)
    assert len(counts) >= at_least
    # The type area of bnk.latex.package (136 mm), not the one Sphinx passes (1 inch margins).
    assert (right - left) * 25.4 / 72 == pytest.approx(136, abs=1.5)
    assert 65 <= statistics.median(counts) <= 75, statistics.median(counts)
    deciles = statistics.quantiles(counts, n=10)
    assert deciles[0] >= 60 and deciles[-1] <= 80, deciles  # 80 % of the full lines within 60–80


def test_body_lines_have_65_to_75_characters(pdf):
    latex, _, _ = pdf
    _check_line_length(latex / f"{NAME}.pdf", at_least=1500)


def test_dueren_pdf_line_length_and_no_overfull_box(tmp_path):
    # The second Kommune gets the same type area from the extension, without copying anything.
    out = tmp_path / "_build"
    result = subprocess.run(
        [sys.executable, "-m", "bnk", "pdf", str(REPO / "examples/kreis-dueren"), "--ausgabe", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (pdf_path,) = (out / "latex").glob("nachhaltigkeitsbericht-*.pdf")
    log = pdf_path.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    assert "Overfull \\vbox" not in log
    assert [w for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log) if float(w) > 10] == []
    _check_line_length(pdf_path, at_least=100)
    # The cover title breaks between words, never inside one ("Beispiel-" "bericht" before).
    cover = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Kreis Düren –\nBeispielbericht\n" in cover, cover


# -- one edition per medium: issue 23 ----------------------------------------------------------

SCREEN_WORDING = ("Klicken", "Such-Feld", "Strg", "zur Stelle")


def _outline(pdf_path: Path) -> list[tuple[int, str]]:
    """The PDF outline (bookmarks) as (level, title), in order."""
    import pikepdf

    found: list[tuple[int, str]] = []

    def walk(items, level: int) -> None:
        for item in items:
            found.append((level, str(item.title)))
            walk(item.children, level + 1)

    with pikepdf.open(pdf_path) as doc, doc.open_outline() as outline:
        walk(outline.root, 0)
    return found


def test_no_screen_wording_in_the_print_pdf(pdf):
    # Before: "Klicken Sie auf ein Kapitel … Such-Feld" (Leichte Sprache) and 35 "zur Stelle" links
    # of the errata list were printed; bnk-medium blocks now say which text is for the screen.
    _, _, text = pdf
    flat = _flat(text)
    assert [word for word in SCREEN_WORDING if word in flat] == []
    assert "Bei jedem Bau des Berichts" not in flat  # the Erklärung's note on the build's tests
    # The print wording is there instead.
    assert "Vorne im Bericht gibt es ein Inhalts-Verzeichnis." in flat
    assert "mit einem Hinweis auf diesen Anhang" in flat


def test_one_errata_appendix(pdf):
    # Before: the appendix was printed twice (its own section, then the page with the list).
    latex, _, text = pdf
    outline = [title for _, title in _outline(latex / f"{NAME}.pdf")]
    assert [t for t in outline if t.startswith("Abweichungen vom gedruckten Bericht")] == [
        "Abweichungen vom gedruckten Bericht"
    ]
    tex = (latex / f"{NAME}.tex").read_text(encoding="utf-8")
    items = re.findall(r"\\bnkerratumitem\{(\d+)\}", tex)
    notes = re.findall(r"\\bnkerratumnote\{(\d+)\}", tex)
    assert items == notes == [str(n) for n in range(1, len(items) + 1)]
    assert len(items) >= 30
    flat = _flat(text)
    # Every note points to the appendix by its heading in this report.
    assert flat.count("siehe Anhang „Abweichungen vom gedruckten Bericht“") == len(items)
    assert "Abweichungen vom gedruckten Bericht 2023, nach Seiten geordnet" not in flat


def test_outline_closes_with_its_own_part(pdf):
    # Before: Ausblick and every appendix were nested under "Handlungsfelder".
    latex, _, _ = pdf
    outline = _outline(latex / f"{NAME}.pdf")
    top = [title for level, title in outline if level == 0]
    assert [t.split(" (")[0] for t in top[-3:]] == ["Steuerung", "Handlungsfelder", "Abschluss und Anhang"]
    parts = {title: i for i, (level, title) in enumerate(outline) if level == 0}
    fields = outline[parts[top[-2]] + 1 : parts["Abschluss und Anhang"]]
    chapters = [title for level, title in fields if level == 1]
    assert len(chapters) == 9 and all(t.startswith("Handlungsfeld 1") for t in chapters), chapters
    closing = [title for level, title in outline[parts["Abschluss und Anhang"] + 1 :] if level == 1]
    assert closing[0] == "Ausblick" and "Abweichungen vom gedruckten Bericht" in closing, closing


def test_page_references_never_break(pdf):
    # Before: "(Sei- te 16)" 23 times in the index pages.
    latex, _, _ = pdf
    raw = subprocess.run(
        ["pdftotext", "-raw", str(latex / f"{NAME}.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    starts = re.findall(r"\(Sei[^\n]*", raw)
    assert len(starts) > 100
    assert [s for s in starts if not re.match(r"\(Seite \d+\)", s)] == []


def pages_ending_with_a_lead(pdf_path: Path) -> list[tuple[int, str]]:
    """Pages whose last lines are a heading with only its SDG badges, or a table title: what
    introduces content stands alone at the foot of the page (fewer than ten lines: laid out on
    purpose, e.g. a chapter opener)."""
    pages, body = type_area_lines(pdf_path)
    found = []
    for number, lines in enumerate(pages, 1):
        if len(lines) < 10:
            continue
        last = lines[-1][3]
        tail = lines[-3:]
        heading_then_badges = any(line[2] > body + 1.5 for line in tail[:-1]) and re.match(r"SDG \d+\b", last)
        if heading_then_badges or re.match(r"(Tabelle \d+: |Zeitreihe: |SDG \d+ )", last):
            found.append((number, last))
    return found


def test_no_heading_with_badges_or_table_title_ends_a_page(pdf):
    # Before: an aspect or Praxisbeispiel heading with only its badge at the foot (pp. 34, 51, 109,
    # 110, 124 of the 204-page PDF) and a "Zeitreihe" title with its table on the next page.
    latex, _, _ = pdf
    assert pages_ending_with_a_lead(latex / f"{NAME}.pdf") == []


def test_a_table_never_leaves_one_row_alone(pdf):
    # Before: a three-row table split 1 + 2. A long table keeps its first two and last two rows
    # together; tables inside an indicator block do not break at all.
    latex, _, _ = pdf
    tex = (latex / f"{NAME}.tex").read_text(encoding="utf-8")
    tables = re.findall(r"\\endlastfoot(.*?)\\end\{longtable\}", tex, re.S)
    assert tables
    for body in tables:
        ends = re.findall(r"\\\\(\*?)\n", body)
        breakable = [i for i, star in enumerate(ends) if not star]
        assert all(1 <= i <= len(ends) - 3 for i in breakable), (ends, body[:200])


TYPE_AREA_TOP = 30 * 72 / 25.4  # pt, as in bnkreport.sty (top=30mm, bottom=32mm, A4)
TYPE_AREA_BOTTOM = (297 - 32) * 72 / 25.4


def half_empty_pages(pdf_path: Path, text: str) -> list[tuple[int, int]]:
    """(folio, percent filled) of the pages less than half full that do not end a chapter: the
    page economy of the print edition. A chapter (one page of the report) ends on the page before
    the next one starts (the ``::doc`` labels of the aux file); the front matter (roman folios)
    and the last page are left out."""
    from bnk.latex.pdf import _doc_pages

    starts = {page for page, _ in _doc_pages(pdf_path.with_suffix(".aux"))}
    pages, _ = type_area_lines(pdf_path)
    folios = [(page.strip().splitlines() or [""])[-1].strip() for page in text.split("\f")]
    arabic = [int(f) for f in folios if f.isdigit()]
    found = []
    for i, (lines, folio) in enumerate(zip(pages, folios, strict=False)):
        # A divider page (a few lines, laid out on purpose) also ends what stands before it.
        divider_next = i + 1 < len(pages) and len(pages[i + 1]) < 4
        if not folio.isdigit() or int(folio) + 1 in starts or divider_next or int(folio) == max(arabic) or not lines:
            continue
        filled = (max(line[1] for line in lines) - TYPE_AREA_TOP) / (TYPE_AREA_BOTTOM - TYPE_AREA_TOP)
        if filled < 0.5:
            found.append((int(folio), round(100 * filled)))
    return found


def test_page_economy_of_the_print_edition(pdf):
    # Before: 204 pages, one indicator per page, 11 pages less than a third full and 12 more less
    # than half. Now an indicator is one compact block (table beside chart) and two share a page.
    latex, _, text = pdf
    pdf_path = latex / f"{NAME}.pdf"
    pages = len(text.split("\f")) - 1  # pdftotext ends every page with a form feed
    assert pages < 204, pages
    assert len(half_empty_pages(pdf_path, text)) <= 3, half_empty_pages(pdf_path, text)


# -- the print-shop file: bnk pdf --druckerei -----------------------------------------------------


@pytest.mark.skipif(
    shutil.which("gs") is None, reason="Ghostscript fehlt; installieren mit: tools/ensure-deps druckerei"
)
def test_print_shop_file_has_bleed_boxes_output_intent_and_embedded_fonts(tmp_path):
    import pikepdf
    from bnk.latex.printshop import check_print_shop_pdf

    srcdir = tmp_path / "src"
    shutil.copytree(Path(__file__).parent / "roots/test-indicators", srcdir)
    result = subprocess.run(
        [sys.executable, "-m", "bnk", "pdf", "--druckerei", "."],
        cwd=srcdir,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (pdf_path,) = (srcdir / "_build/druckerei").glob("*-druckerei.pdf")
    assert "Anschnitt 3 mm, Ausgabebedingung CGATS TR 001, Schriften eingebettet." in result.stderr + result.stdout
    mm = 72 / 25.4
    with pikepdf.open(pdf_path) as doc:
        assert len(doc.pages) > 3
        for page in doc.pages:
            media = [float(v) for v in page.mediabox]
            bleed = [float(v) for v in page.obj.BleedBox]
            trim = [float(v) for v in page.obj.TrimBox]
            # The sheet: A4 plus 3 mm on every side; the BleedBox is the sheet, the TrimBox the A4 page.
            assert (media[2] - media[0]) / mm == pytest.approx(216, abs=0.1)
            assert (media[3] - media[1]) / mm == pytest.approx(303, abs=0.1)
            assert bleed == pytest.approx(media)
            assert [(t - b) / mm for t, b in zip(trim[:2], bleed[:2], strict=True)] == pytest.approx([3, 3], abs=0.01)
            assert (trim[2] - trim[0]) / mm == pytest.approx(210, abs=0.1)
            assert (trim[3] - trim[1]) / mm == pytest.approx(297, abs=0.1)
        (intent,) = list(doc.Root.OutputIntents)
        assert intent.S == "/GTS_PDFX"
        assert str(intent.OutputConditionIdentifier) == "CGATS TR 001"
        profile = intent.DestOutputProfile
        assert int(profile.N) == 4 and len(profile.read_bytes()) > 100_000  # a CMYK ICC profile
        assert str(doc.trailer.Info.GTS_PDFXVersion) == "PDF/X-3:2002"
    report = check_print_shop_pdf(pdf_path)
    assert (report.trim_mm, report.bleed_mm, report.fonts_embedded) == ((210.0, 297.0), 3.0, True)
    fonts = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    assert all(row.split()[-5] == "yes" for row in fonts.splitlines()[2:]), fonts
    # The cover's colour block runs into the bleed: the sheet's corner is coloured, not white.
    png = tmp_path / "cover"
    subprocess.run(["pdftoppm", "-r", "20", "-png", "-f", "1", "-l", "1", str(pdf_path), str(png)], check=True)
    from PIL import Image

    with Image.open(next(tmp_path.glob("cover*.png"))) as image:
        red, green, blue = image.convert("RGB").getpixel((0, 0))
    assert red + green + blue < 3 * 160, (red, green, blue)


def test_make_pdf_is_byte_identical_in_two_clones_of_one_commit(pdf, tmp_path):
    """Reproducible: the same commit built in another folder gives the same bytes, and the PDF's
    date is the commit's (not the day of the build)."""
    latex, _, _ = pdf
    again = build_committed_pdf(tmp_path / "zwei-anderer-pfad" / "quelle")
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    first = (latex / f"{NAME}.pdf").read_bytes()
    assert first[:5] == b"%PDF-"
    info = subprocess.run(
        ["pdfinfo", "-isodates", str(latex / f"{NAME}.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^CreationDate:\s+2024-03-15T09:30:00", info, re.M), info
    assert (tmp_path / "zwei-anderer-pfad/quelle/_build/latex" / f"{NAME}.pdf").read_bytes() == first
