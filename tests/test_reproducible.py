"""Reproducible builds: two clean builds in different directories give identical bytes."""

from __future__ import annotations

import os
import re
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


@pytest.mark.tex
@pytest.mark.skipif(
    shutil.which("latexmk") is None or shutil.which("xelatex") is None, reason="TeX Live fehlt (siehe make pdf)"
)
def test_make_pdf_is_byte_identical_in_two_clones_of_one_commit(tmp_path):
    """The `make pdf` route without SOURCE_DATE_EPOCH: two checkouts of the same commit in
    different folders give the same bytes; the PDF's date is the commit's."""
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "FORCE_SOURCE_DATE")}
    git_env = env | {
        "GIT_AUTHOR_NAME": "Redaktion",
        "GIT_AUTHOR_EMAIL": "redaktion@example.org",
        "GIT_COMMITTER_NAME": "Redaktion",
        "GIT_COMMITTER_EMAIL": "redaktion@example.org",
        "GIT_AUTHOR_DATE": "2024-03-15T09:30:00+00:00",
        "GIT_COMMITTER_DATE": "2024-03-15T09:30:00+00:00",
    }
    pdfs = []
    for name in ("eins", "zwei-anderer-pfad"):
        src = copy_report(tmp_path / name / "quelle")
        for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "Bericht"]):
            subprocess.run(["git", "-C", str(src), *command], check=True, env=git_env, capture_output=True)
        built = subprocess.run(
            [sys.executable, "-m", "bnk", "pdf", str(src)],
            check=False,
            env=env,
            capture_output=True,
            text=True,
        )
        assert built.returncode == 0, built.stdout + built.stderr
        pdfs.append((src / "_build/latex" / f"{NAME}.pdf").read_bytes())
    assert pdfs[0][:5] == b"%PDF-"
    info = subprocess.run(
        ["pdfinfo", "-isodates", str(src / "_build/latex" / f"{NAME}.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^CreationDate:\s+2024-03-15T09:30:00", info, re.M), info
    assert pdfs[0] == pdfs[1]
