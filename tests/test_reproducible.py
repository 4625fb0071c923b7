"""Reproducible builds: two clean builds in different directories give identical bytes (the PDF:
test_pdf.py, next to the PDF it builds once)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from test_report import copy_report


def _files(root: Path) -> dict[str, bytes]:
    """Every published file (the .doctrees cache holds absolute source paths and is not output)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".doctrees" not in p.relative_to(root).parts
    }


def test_html_svg_and_json_are_byte_identical(heinsberg, tmp_path):
    """The shared strict build and a `sphinx-build` in another folder give the same bytes."""
    src = copy_report(tmp_path / "zwei-anderer-pfad" / "quelle")
    subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src), str(src / "_build/html")], check=True)
    first, second = _files(heinsberg[0] / "_build/html"), _files(src / "_build/html")
    assert sorted(first) == sorted(second)
    assert any(name.endswith(".svg") for name in first)
    assert "bnk-report.json" in first
    different = [name for name in first if first[name] != second[name]]
    assert different == []
