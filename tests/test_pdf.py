"""The print PDF, built for real with XeLaTeX, and its quality gates."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
import yaml
from bnk.data.catalogue import edition_path, load_catalogue
from test_report import REPO, copy_report

TOOLS = ("latexmk", "xelatex", "pdftotext", "pdffonts", "pdftoppm", "pdfinfo")
INSTALL = (
    "sudo apt-get install --no-install-recommends latexmk texlive-xetex texlive-latex-recommended "
    "texlive-latex-extra texlive-fonts-recommended texlive-lang-german fonts-dejavu-core poppler-utils"
)
missing = [tool for tool in TOOLS if shutil.which(tool) is None]
pytestmark = pytest.mark.skipif(
    bool(missing), reason=f"TeX Live/Poppler fehlen ({', '.join(missing)}); installieren mit: {INSTALL}"
)

NAME = "nachhaltigkeitsbericht-kreis-heinsberg-2023"


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> tuple[Path, str, str]:
    srcdir = copy_report(tmp_path_factory.mktemp("pdf") / "src")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-M", "latexpdf", ".", "_build", "-q"],
        cwd=srcdir,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    latex = srcdir / "_build/latex"
    log = (latex / f"{NAME}.log").read_text(encoding="utf-8", errors="replace")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
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


def test_title_page_chapters_and_metadata(pdf):
    latex, _, text = pdf
    first_page = _flat(text.split("\f")[0])
    assert (
        "Kreis Heinsberg Nachhaltigkeitsbericht Kreis Heinsberg 2023 Berichtszeitraum: 2023 Veröffentlicht: 2024"
        in first_page
    )
    toc = _flat("\f".join(text.split("\f")[1:4]))
    assert "Kriterium 01: Strategie" in toc and "Handlungsfeld 18: Globale Verantwortung und Eine Welt" in toc
    assert "Kapitel 1" not in _flat(text)  # BNK numbers, not LaTeX's chapter numbers
    info = subprocess.run(["pdfinfo", str(latex / f"{NAME}.pdf")], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Title:\s+Nachhaltigkeitsbericht Kreis Heinsberg 2023$", info, re.M)
    assert re.search(r"^Author:\s+Kreis Heinsberg$", info, re.M)
    assert re.search(rb"/Lang\s*\(de-DE\)", _pdf_objects((latex / f"{NAME}.pdf").read_bytes()))


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
    charts = re.findall(r"\\sphinxincludegraphics\[width=\\linewidth\]\{(bnk-chart-[0-9a-f]+\.pdf)\}", tex)
    assert len(charts) == 49
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(latex / f"{NAME}.pdf"), str(tmp_path / "page")],
        check=True,
    )
    png = next(tmp_path.glob("page*.png"))
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 2000
