"""mypy over the data layer (strict) and the extension's core modules, as configured in
pyproject.toml ([tool.mypy])."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _mypy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


def test_mypy_passes_on_the_core_modules():
    result = _mypy()
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_passes_on_the_data_layer():
    result = _mypy("--strict", "_ext/bnk/data")
    assert result.returncode == 0, result.stdout + result.stderr
