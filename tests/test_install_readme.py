"""The README's install without make, run line by line in a shell outside this repository.

Slow (it installs the toolkit with its dependencies into a new venv): the ``langsam`` layer.
"""

from __future__ import annotations

import os
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
    # The lines run as written, in an author's environment (no venv of the tests, no test-only
    # switch such as BNK_VALIDATE_EXPORT, which needs a test tool). Only pip's bytecode
    # precompilation is off (PIP_COMPILE=0): it was a third of the install's time, and whether the
    # commands work does not depend on it.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH", "BNK_"))}
    env["PIP_COMPILE"] = "0"
    for line in linux:
        shell = line.replace("python3 -m venv", f"{sys.executable} -m venv", 1)
        result = subprocess.run(
            ["bash", "-c", shell], cwd=report, capture_output=True, text=True, timeout=900, check=False, env=env
        )
        assert result.returncode == 0, f"{line}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        if " -m bnk " in line:  # the report builds and checks without a single warning
            assert "WARNING" not in result.stdout + result.stderr, f"{line}\n{result.stderr[-2000:]}"
    assert (report / "_build/html/index.html").is_file()
