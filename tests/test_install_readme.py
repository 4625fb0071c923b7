"""The README's install without make, run line by line in a shell outside this repository.

Slow (it installs the toolkit with its dependencies into a new venv): the ``langsam`` layer.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from test_install import _tracked_copy
from test_report import REPO

pytestmark = pytest.mark.langsam


def _readme_block(marker: str) -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- ohne-make:{marker} -->\n```\w+\n(.*?)```", text, re.S)
    assert match, f"README: kein Block <!-- ohne-make:{marker} -->"
    return [line for line in match.group(1).splitlines() if line.strip()]


def test_the_readme_install_without_make_works_line_by_line(tmp_path):
    """The Linux block, each line run as typed in a shell (``python3`` is this Python); the Windows
    block must be the same steps with only ``py`` and ``.venv\\Scripts\\python`` differing."""
    linux, windows = _readme_block("linux"), _readme_block("windows")
    assert [line.replace(".venv/bin/python", "P").replace("python3", "py") for line in linux] == [
        line.replace(".venv\\Scripts\\python", "P") for line in windows
    ], "Die Windows- und die Linux-Anleitung im README sollen dieselben Schritte zeigen."
    report = _tracked_copy(tmp_path / "bericht")
    for line in linux:
        shell = line.replace("python3 -m venv", f"{sys.executable} -m venv", 1)
        result = subprocess.run(
            ["bash", "-c", shell], cwd=report, capture_output=True, text=True, timeout=900, check=False
        )
        assert result.returncode == 0, f"{line}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    assert (report / "_build/html/index.html").is_file()
