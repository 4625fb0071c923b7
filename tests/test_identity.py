"""Each Kommune's look in every output: Kreis Heinsberg and Kreis Düren built in HTML and LaTeX,
each with its own colour in the CSS, the LaTeX style and the chart SVGs, its logo in the site
header and on the cover, and Impressum and Datenschutz linked on every page."""

from __future__ import annotations

import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp
from test_report import REPO

REPORTS = {
    # name: (Kommune, colour from its conf.py)
    "heinsberg": ("Kreis Heinsberg", "#205C84"),
    "dueren": ("Kreis Düren", "#8C2044"),
}
# The Düren example has no indicator data yet (no charts) and names no website;
# tests/test_charts.py draws charts in Düren's colour on a small root instead.
WITH_CHARTS = {"heinsberg"}
WITH_WEBSITE = {"heinsberg"}


def _dueren_sources(target: Path) -> Path:
    shutil.copytree(REPO / "examples/kreis-dueren", target, ignore=shutil.ignore_patterns("_build", ".venv"))
    return target


@pytest.fixture(scope="module", params=sorted(REPORTS))
def built(request, tmp_path_factory) -> tuple[str, Path, Path]:
    if request.param == "heinsberg":
        # The shared build's HTML; LaTeX from its environment (a copy, to leave the shared one alone).
        srcdir = request.getfixturevalue("heinsberg_scratch")()
        html = request.getfixturevalue("heinsberg")[0] / "_build/html"
        app = SphinxTestApp("latex", srcdir=srcdir, status=StringIO(), warning=StringIO())
        try:
            app.build()
        finally:
            app.cleanup()
        return request.param, html, Path(app.outdir)
    srcdir = _dueren_sources(tmp_path_factory.mktemp(request.param) / "src")
    outdirs = []
    for builder in ("html", "latex"):
        app = SphinxTestApp(builder, srcdir=srcdir, status=StringIO(), warning=StringIO())
        try:
            app.build()
        finally:
            app.cleanup()
        outdirs.append(Path(app.outdir))
    return request.param, *outdirs


def test_the_colour_in_css_style_and_charts(built):
    name, html, latex = built
    _, colour = REPORTS[name]
    css = (html / "_static" / "bnk-design.css").read_text(encoding="utf-8")
    assert f"--bnk-primary: {colour};" in css
    assert '<link rel="stylesheet" type="text/css" href="_static/bnk-design.css' in (html / "index.html").read_text(
        encoding="utf-8"
    )
    sty = (latex / "bnkreport.sty").read_text(encoding="utf-8")
    assert rf"\definecolor{{bnkprimary}}{{HTML}}{{{colour[1:]}}}" in sty
    svgs = [p.read_text(encoding="utf-8") for p in (html / "_images").glob("bnk-chart-*.svg")]
    assert bool(svgs) == (name in WITH_CHARTS)
    assert all(f"stroke: {colour.lower()}" in svg for svg in svgs)
    # The other report's colour is nowhere.
    other = next(c for n, (_, c) in REPORTS.items() if n != name)
    assert other not in css and other[1:] not in sty and not any(other.lower() in svg for svg in svgs)


def test_the_logo_in_the_header_and_on_the_cover(built):
    name, html, latex = built
    kommune, _ = REPORTS[name]
    page = (html / "index.html").read_text(encoding="utf-8")
    assert f'<img src="_static/logo.png" class="logo__image" alt="Logo {kommune} – zur Startseite"/>' in page
    assert (html / "_static" / "logo.png").read_bytes() == (
        (REPO if name == "heinsberg" else REPO / "examples/kreis-dueren") / "bilder/logo.png"
    ).read_bytes()
    sty = (latex / "bnkreport.sty").read_text(encoding="utf-8")
    assert r"\includegraphics[height=22mm,keepaspectratio]{logo.png}" in sty
    assert (latex / "logo.png").exists()


def test_impressum_and_datenschutz_on_every_page(built):
    name, html, _ = built
    kommune, _ = REPORTS[name]
    pages = [
        p for p in html.rglob("*.html") if p.name not in ("search.html", "genindex.html") and "_static" not in p.parts
    ]
    assert len(pages) > 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        footer = re.search(r'<footer class="bnk-page-footer"><p>(.*?)</p></footer>', text)
        assert footer, page
        links = re.findall(r'<a href="([^"]*)">([^<]*)</a>', footer.group(1))
        texts = [t for _, t in links]
        for wanted in ("Impressum", "Datenschutz"):
            assert wanted in texts or page.stem == wanted.lower(), (page, texts)
        assert (f"Website: {kommune}" in texts) == (name in WITH_WEBSITE)
    imprint = (html / "impressum.html").read_text(encoding="utf-8")
    assert "Herausgeber" in imprint and kommune in imprint


def test_one_edition_in_the_appendix_of_each_report(built):
    name, _, latex = built
    sty = (latex / "bnkreport.sty").read_text(encoding="utf-8")
    if name == "heinsberg":
        assert "Abweichungen von „Nachhaltigkeitsbericht 2023, Druckfassung“" in sty
        assert "Abweichung von der Ausgabe 2023 – siehe Anhang" in sty
    else:
        # A first report: no reference edition, and the report year is not passed off as one.
        assert "gedruckt" not in sty
        assert r"\newcommand\bnkerratatitle{Abweichungen}" in sty
        assert "Abweichung von einer früheren Ausgabe – siehe Anhang" in sty
