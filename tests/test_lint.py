"""The code follows the house style (ruff rules in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("ruff") is None and not (REPO / ".venv/bin/ruff").exists(), reason="ruff fehlt")
def test_ruff_check_and_format():
    ruff = shutil.which("ruff") or str(REPO / ".venv/bin/ruff")
    check = subprocess.run(
        [ruff, "check", "_ext", "tests", "bench"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout
    fmt = subprocess.run(
        [ruff, "format", "--check", "_ext", "tests", "bench"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert fmt.returncode == 0, fmt.stdout
