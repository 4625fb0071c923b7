"""The print stylesheet of the web pages, printed for real by Chromium (``--print-to-pdf``)."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape

import pytest
from webtools import CHROMIUM, FLAGS  # one list of the required Chromium flags

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None or shutil.which("pdftotext") is None,
        reason="Chromium/Poppler fehlen; installieren mit: tools/ensure-deps all",
    ),
]
PAGE = "handlungsfelder/10-klimaschutz-und-energie"


@pytest.fixture(scope="module")
def printed(heinsberg, tmp_path_factory):
    """The Handlungsfeld 10 page and the overview as Chromium prints them, page by page."""
    srcdir = heinsberg[0]
    printouts = tmp_path_factory.mktemp("print")  # not into the shared site
    result = {}
    for name in (PAGE, "ueberblick"):
        html = srcdir / "_build/html" / f"{name}.html"
        pdf = printouts / f"{name.replace('/', '-')}.print.pdf"
        subprocess.run(
            [CHROMIUM, *FLAGS, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri()],
            capture_output=True,
            timeout=180,
            check=True,
        )
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        result[name] = (info, text.split("\f"), html.read_text(encoding="utf-8"))
    return result


def test_a4_pages(printed):
    for info, _, _ in printed.values():
        assert re.search(r"Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)", info), info


def test_navigation_hidden_content_kept(printed):
    _, pages, html = printed[PAGE]
    text = "".join(pages)
    # The sidebar lists every chapter; printed, only this chapter's content remains.
    assert "Kriterien 01 bis 09" in html
    assert "Kriterien 01 bis 09" not in text
    assert "Handlungsfeld 18: Globale Verantwortung" not in text
    assert "Aspekt 10.1: Kommunaler Klimaschutz" in re.sub(r"\s+", " ", text)


def test_external_links_print_their_address(printed):
    _, pages, _ = printed["ueberblick"]
    assert "www.kreis-heinsberg.de (https://www.kreis-heinsberg.de)" in re.sub(r"\s+", " ", "".join(pages))


def test_indicator_blocks_are_not_split(printed):
    _, pages, html = printed[PAGE]
    blocks = re.findall(r'<section class="bnk-indicator[^"]*"[^>]*>\s*<h\d>([^<]+)<(.*?)</section>', html, re.S)
    assert len(blocks) >= 3
    for title, body in blocks:
        # An indicator block runs from its heading to its last words: both on one page.
        last = "".join(unescape(re.sub(r"<[^>]+>", " ", body)).split()[-3:])
        heading = re.compile(re.escape(title) + r"\s+Definition:")
        found = [n for n, page in enumerate(pages) if heading.search(page)]
        assert found, title
        page = pages[found[0]]
        rest = page[heading.search(page).end() :]
        if last in "".join(rest.split()):
            continue
        # Longer than a page: then the block must at least start on a fresh page (after at most
        # the section heading "Indikatoren" that is kept with it), not in the middle of one.
        before = [line for line in page[: heading.search(page).start()].splitlines() if line.strip()]
        assert before in ([], ["Indikatoren"]), f"{title}: Block mitten auf der Seite geteilt: {before[-3:]}"
