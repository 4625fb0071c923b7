"""The real report of this repository (Kreis Heinsberg 2023), built from a copy of its sources."""

from __future__ import annotations

import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from bnk.data.catalogue import edition_path, load_catalogue
from conftest import ANSI

REPO = Path(__file__).resolve().parent.parent
SOURCES = ["conf.py", "kriterien", "handlungsfelder", "data"]


def copy_report(target: Path) -> Path:
    """Copy the report's sources (not the build, venv or tests) into ``target``."""
    target.mkdir(parents=True)
    for name in SOURCES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, target / name)
        else:
            shutil.copy2(src, target / name)
    for page in REPO.glob("*.md"):
        if page.name != "README.md":
            shutil.copy2(page, target / page.name)
    return target


def build(srcdir: Path) -> tuple[str, list[str]]:
    status, warning = StringIO(), StringIO()
    app = SphinxTestApp("html", srcdir=srcdir, status=status, warning=warning)
    try:
        app.build()
    finally:
        app.cleanup()
    warnings = ANSI.sub("", warning.getvalue()).replace(str(srcdir) + "/", "<srcdir>/")
    return ANSI.sub("", status.getvalue()), [w for w in warnings.splitlines() if "[bnk." in w]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, str, list[str]]:
    srcdir = copy_report(tmp_path_factory.mktemp("report") / "src")
    status, warnings = build(srcdir)
    return srcdir, status, warnings


def test_report_is_complete(report):
    _, status, warnings = report
    assert warnings == []
    assert "BNK-Vollständigkeit: 71 berichtet, 2 begründet, 0 fehlt; begründet ausgelassen: Handlungsfeld 15" in status


def test_bnk_index_lists_all_chapters_and_aspects_with_status_and_link(report):
    srcdir, _, _ = report
    html = (srcdir / "_build/html/bnk-index.html").read_text(encoding="utf-8")
    catalogue = load_catalogue(str(edition_path("2021")))
    for chapter in catalogue.chapters:
        assert re.search(rf'href="[^"]+#{chapter.anchor}"', html), chapter.label
    for aspect in catalogue.aspects:
        row = re.search(rf"<td><p>{re.escape(aspect.number)}</p></td>\s*<td><p>(.*?)</p></td>\s*<td><p>(.*?)</p></td>", html)
        assert row, aspect.number
        assert f'#{aspect.anchor}"' in row.group(1)
        assert "bnk-status-" in row.group(2)
    assert html.count('class="bnk-status bnk-status-berichtet"') == 71 + 17  # aspects + chapters
    assert "Die Aspekte dieses Handlungsfelds sind im Katalog noch nicht erfasst." in html


def test_aspect_anchor_on_kriterium_01(report):
    srcdir, _, _ = report
    html = (srcdir / "_build/html/kriterien/01-strategie.html").read_text(encoding="utf-8")
    assert '<section class="bnk-aspect" id="aspekt-1-1">' in html
    assert "<h2>Aspekt 1.1: Kommunale Nachhaltigkeitsstrategie" in html


def test_deleting_an_aspect_from_kriterium_01_is_reported(report, tmp_path):
    srcdir = copy_report(tmp_path / "src")
    page = srcdir / "kriterien/01-strategie.md"
    text = page.read_text(encoding="utf-8")
    # Remove the whole aspect 1.4 block.
    start = text.index("```{bnk-aspect} 1.4")
    end = text.index("```\n", text.index("\n", start) + 1) + 4
    page.write_text(text[:start] + text[end:], encoding="utf-8")
    status, warnings = build(srcdir)
    assert warnings == [
        "<srcdir>/kriterien/01-strategie.md:1: WARNING: Aspekt 1.4 „Bezüge der kommunalen "
        "Nachhaltigkeitsstrategie zu übergeordneten Nachhaltigkeitszielsetzungen (Land, Bund, UN)“ "
        "fehlt: weder berichtet noch mit Begründung ausgelassen. [bnk.aspect-missing]"
    ]
    assert "BNK-Vollständigkeit: 70 berichtet, 2 begründet, 1 fehlt" in status
