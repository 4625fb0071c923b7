"""mypy over the extension's core modules and, with the checks of --strict, the data layer – one
run, as configured in pyproject.toml ([tool.mypy] and its override for bnk.data)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _mypy(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--config-file", str(REPO / "pyproject.toml"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_mypy_passes_on_the_core_modules_and_strictly_on_the_data_layer():
    result = _mypy()
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_data_layer_gets_the_strict_checks_and_the_rest_does_not(tmp_path):
    """The same untyped code fails in a module of bnk.data and passes elsewhere."""
    probe = "def double(values: list, x):\n    return x\n"
    for package in ("bnk", "bnk/data"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "bnk/data/probe.py").write_text(probe, encoding="utf-8")
    (tmp_path / "bnk/probe.py").write_text(probe, encoding="utf-8")
    result = _mypy("--cache-dir", str(tmp_path / ".cache"), "bnk/data/probe.py", "bnk/probe.py", cwd=tmp_path)
    errors = [line.split(" error: ")[1] for line in result.stdout.splitlines() if " error: " in line]
    assert sorted(errors) == [
        "Function is missing a return type annotation  [no-untyped-def]",
        "Function is missing a type annotation for one or more parameters  [no-untyped-def]",
        'Missing type arguments for generic type "list"  [type-arg]',
    ], result.stdout
    assert all(line.startswith("bnk/data/probe.py:") for line in result.stdout.splitlines() if " error: " in line)
