"""Installing the toolkit outside this repository: the built wheel in a new venv (new report,
strict HTML, PDF). The README's no-make commands: tests/test_install_readme.py (a module of its
own, so that make test runs both installations at once).

Slow (each installs the toolkit with its dependencies into a new venv): the ``langsam`` layer.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_report import REPO, copy_report

pytestmark = pytest.mark.langsam

TEX = all(shutil.which(tool) for tool in ("latexmk", "xelatex", "pdftotext"))


def _run(command: list[str], cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    # An author's environment: no venv of the tests, no test-only switches (BNK_VALIDATE_EXPORT
    # needs jsonschema, a test tool the lean install rightly lacks).
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH", "BNK_"))}
    env["PYTHONUTF8"] = "1"
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env, check=False)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def _tracked_copy(target: Path) -> Path:
    """The repository as a fresh clone has it (tracked files only, no .venv, no _build)."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in filter(None, files.decode("utf-8").split("\0")):
        source = REPO / name
        if source.is_file() or source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name, follow_symlinks=False)
    return target


@pytest.mark.tex
@pytest.mark.skipif(not TEX, reason="TeX Live/Poppler fehlen (tools/ensure-deps pdf)")
def test_the_wheel_installs_into_a_new_venv_and_builds_a_report(tmp_path):
    source = _tracked_copy(tmp_path / "quelle")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(source)], tmp_path)
    (wheel,) = (tmp_path / "dist").glob("bnk_bericht-*-py3-none-any.whl")

    outside = tmp_path / "anderswo"
    outside.mkdir()
    _run([sys.executable, "-m", "venv", "venv"], outside)
    python = str(outside / "venv/bin/python")
    _run(
        [python, "-m", "pip", "install", "-q", "--no-compile", "-c", str(REPO / "constraints.txt"), str(wheel)], outside
    )
    # The package comes from the wheel, not from this checkout.
    where = _run([python, "-c", "import bnk; print(bnk.__file__)"], outside).stdout.strip()
    assert where.startswith(str(outside / "venv")), where
    installed = _run([python, "-m", "pip", "list", "--format=freeze"], outside).stdout
    assert not re.search(r"^(pytest|playwright|weasyprint|mypy|ruff|hypothesis)==", installed, re.M | re.I)

    new = _run([python, "-m", "bnk", "new", "neu", "--kommune", "Stadt Beispiel", "--year", "2024"], outside)
    assert "Neuer Bericht für Stadt Beispiel" in new.stderr
    built = _run([python, "-m", "bnk", "html", "neu", "--entwurf"], outside)
    assert built.stderr.strip().splitlines()[-1] == f"Fertig: {outside / 'neu/_build/html/index.html'}"

    # A filled report (the Heinsberg report's sources, copied out of the repository, without _ext)
    # builds strictly and as PDF with the tools from the wheel.
    report = copy_report(outside / "heinsberg")
    assert not (report / "_ext").exists()
    strict = _run([python, "-m", "bnk", "html", str(report), "--streng"], outside)
    assert "WARNING" not in strict.stderr
    pdf = _run([python, "-m", "bnk", "pdf", str(report)], outside)
    (made,) = (report / "_build/latex").glob("nachhaltigkeitsbericht-*.pdf")
    assert pdf.stderr.strip().splitlines()[-1] == f"Fertig: {made}"
