"""The site offers its publications: print PDF, accessible PDF, the data (zip) and the export.

The real report is built with two PDFs lying where ``bnk pdf`` and ``bnk pdf-barrierefrei``
put them (made here with pikepdf, 3 and 5 pages, so that the test needs neither TeX nor
WeasyPrint); every download link of the start page and of the footer is followed in Chromium,
its bytes are checked against the label (format, size in German notation, page count).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from bnk.data.numbers import format_size
from test_report import build, copy_report
from webtools import HF10, NEEDS_CHROMIUM, serve

STEM = "nachhaltigkeitsbericht-kreis-heinsberg-2023"
LABEL_RE = re.compile(r"^\((PDF|ZIP|JSON), ([\d,]+\u00a0(?:MB|kB|Byte))(?:, (\d+) (?:Seiten|CSV-Dateien))?\)$")


def blank_pdf(path: Path, pages: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    pdf.save(path)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The report with both PDFs built after the sources: (srcdir, html root, warnings)."""
    srcdir = copy_report(tmp_path_factory.mktemp("downloads") / "src")
    blank_pdf(srcdir / "_build/latex" / f"{STEM}.pdf", 3)
    blank_pdf(srcdir / "_build/pdf-barrierefrei" / f"{STEM}-barrierefrei.pdf", 5)
    _, warnings = build(srcdir, warningiserror=True, keep_going=True)
    return srcdir, srcdir / "_build/html", warnings


def links_of(page, selector: str) -> list[dict]:
    return page.eval_on_selector_all(
        selector + " li",
        "lis => lis.map(li => ({href: li.querySelector('a').href, title: li.querySelector('a').textContent,"
        " download: li.querySelector('a').hasAttribute('download'),"
        " label: li.querySelector('.bnk-download-label').textContent}))",
    )


def check_link(page, link: dict) -> str:
    """Fetch the file behind a link and compare it with the label; returns the format."""
    response = page.request.get(link["href"])
    assert response.status == 200, link
    body = response.body()
    match = LABEL_RE.match(link["label"])
    assert match, link["label"]
    kind, size, count = match.groups()
    assert size == format_size(len(body)), (link, len(body))
    if kind == "PDF":
        assert body.startswith(b"%PDF-")
        with pikepdf.open(io.BytesIO(body)) as pdf:
            assert int(count) == len(pdf.pages)
    elif kind == "ZIP":
        names = zipfile.ZipFile(io.BytesIO(body)).namelist()
        assert int(count) == sum(n.endswith(".csv") for n in names)
    else:
        assert body.lstrip().startswith(b"{")
    return kind


@pytest.mark.browser
@NEEDS_CHROMIUM
def test_every_download_link_resolves_and_carries_its_label(published, browser):
    _, root, warnings = published
    assert warnings == []
    with serve(root) as base:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        for url, selector in ((base + "index.html", ".bnk-downloads"), (base + HF10, ".bnk-footer-downloads")):
            page.goto(url, wait_until="load")
            links = links_of(page, selector)
            assert [link["title"] for link in links] == [
                "Druckfassung",
                "Barrierefreies PDF",
                "Daten des Berichts",
                "Maschinenlesbarer Bericht",
            ], url
            assert all(link["download"] for link in links)
            assert [check_link(page, link) for link in links] == ["PDF", "PDF", "ZIP", "JSON"]
        page.goto(base + "index.html", wait_until="load")
        labels = [link["label"] for link in links_of(page, ".bnk-downloads")]
        page.close()
    assert labels[0].endswith(", 3 Seiten)") and labels[1].endswith(", 5 Seiten)")
    # Every CSV of the report's data folder is in the zip (the 49 indicators and the tables).
    csvs = sorted(p.relative_to(published[0]).as_posix() for p in (published[0] / "data").rglob("*.csv"))
    names = zipfile.ZipFile(root / "downloads" / f"{STEM}-daten.zip").namelist()
    assert sorted(n for n in names if n.endswith(".csv")) == csvs
    assert (
        labels[2]
        == f"(ZIP, {format_size((root / 'downloads' / f'{STEM}-daten.zip').stat().st_size)}, {len(csvs)} CSV-Dateien)"
    )


def test_a_pdf_older_than_the_sources_is_not_offered(tmp_path):
    srcdir = copy_report(tmp_path / "src")
    blank_pdf(srcdir / "_build/latex" / f"{STEM}.pdf", 2)
    old = srcdir / "_build/latex" / f"{STEM}.pdf"
    os.utime(old, (1_000_000_000, 1_000_000_000))
    status, warnings = build(srcdir)
    assert warnings == []
    html = (srcdir / "_build/html/index.html").read_text(encoding="utf-8")
    assert "Druckfassung" not in html.split('class="bnk-downloads"', 1)[1].split("</div>", 1)[0]
    assert not (srcdir / "_build/html/downloads" / f"{STEM}.pdf").exists()
    assert f"Druckfassung nicht angeboten: {old} ist älter als die Quellen (neu bauen mit bnk pdf)" in status
    assert "Barrierefreies PDF nicht angeboten:" in status
    # The data are always offered.
    assert "Daten des Berichts" in html


def test_the_zip_is_reproducible(tmp_path):
    from bnk.html.downloads import write_zip

    (tmp_path / "data").mkdir()
    (tmp_path / "data/b.csv").write_text("year,value\n2020,1\n", encoding="utf-8")
    (tmp_path / "data/a.csv").write_text("year,value\n2020,2\n", encoding="utf-8")
    files = [tmp_path / "data/b.csv", tmp_path / "data/a.csv"]
    write_zip(files, tmp_path, tmp_path / "one.zip")
    os.utime(tmp_path / "data/a.csv", (2_000_000_000, 2_000_000_000))
    write_zip(list(reversed(files)), tmp_path, tmp_path / "two.zip")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    assert zipfile.ZipFile(tmp_path / "one.zip").namelist() == ["data/a.csv", "data/b.csv"]


@pytest.mark.parametrize(
    ("size", "text"),
    [(4_100_000, "4,1\u00a0MB"), (12_345_678, "12,3\u00a0MB"), (48_213, "48\u00a0kB"), (999, "999\u00a0Byte")],
)
def test_sizes_are_german(size, text):
    assert format_size(size) == text
