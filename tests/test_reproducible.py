"""Reproducible builds: two clean builds in different directories give identical bytes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_report import copy_report

NAME = "nachhaltigkeitsbericht-kreis-heinsberg-2023"


def _files(root: Path) -> dict[str, bytes]:
    """Every published file (the .doctrees cache holds absolute source paths and is not output)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".doctrees" not in p.relative_to(root).parts
    }


def test_html_svg_and_json_are_byte_identical(tmp_path):
    outputs = []
    for name in ("eins", "zwei-anderer-pfad"):
        src = copy_report(tmp_path / name / "quelle")
        subprocess.run(
            [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src), str(src / "_build/html")], check=True
        )
        outputs.append(_files(src / "_build/html"))
    first, second = outputs
    assert sorted(first) == sorted(second)
    assert any(name.endswith(".svg") for name in first)
    assert "bnk-report.json" in first
    different = [name for name in first if first[name] != second[name]]
    assert different == []


@pytest.mark.skipif(
    shutil.which("latexmk") is None or shutil.which("xelatex") is None, reason="TeX Live fehlt (siehe make pdf)"
)
def test_pdf_is_byte_identical_with_source_date_epoch(tmp_path):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1704067200", FORCE_SOURCE_DATE="1")
    pdfs = []
    for name in ("eins", "zwei-anderer-pfad"):
        src = copy_report(tmp_path / name / "quelle")
        subprocess.run(
            [sys.executable, "-m", "sphinx", "-M", "latexpdf", str(src), str(src / "_build"), "-q"],
            check=True,
            env=env,
            capture_output=True,
        )
        pdfs.append((src / "_build/latex" / f"{NAME}.pdf").read_bytes())
    assert pdfs[0][:5] == b"%PDF-"
    assert pdfs[0] == pdfs[1]
