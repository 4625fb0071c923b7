"""``tools/ensure-deps``: one source, checks real files, never apt-get when all is there, non-root."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from test_report import REPO

SOURCE = REPO / "_ext/bnk/templates/tools/ensure-deps"
COPIES = [REPO / "tools/ensure-deps", REPO / "examples/kreis-dueren/tools/ensure-deps"]
RUNUSER = shutil.which("runuser")
as_root = pytest.mark.skipif(os.geteuid() != 0 or RUNUSER is None, reason="braucht root und runuser")
pdf_tools = pytest.mark.skipif(
    subprocess.run([str(SOURCE), "pdf", "--check"], capture_output=True, check=False).returncode != 0,
    reason="TeX Live/Poppler/DejaVu fehlen hier",
)


@pytest.mark.parametrize("copy", COPIES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_copy_is_the_template(copy):
    assert copy.read_bytes() == SOURCE.read_bytes(), f"cp {SOURCE.relative_to(REPO)} {copy.relative_to(REPO)}"
    assert os.access(copy, os.X_OK)


@pytest.fixture
def fakebin():
    """A world-readable folder with a fake ``apt-get`` that records its calls (usable by nobody)."""
    folder = Path(tempfile.mkdtemp(prefix="bnk-fakebin-"))
    folder.chmod(0o755)
    log = folder / "calls.log"
    log.write_text("", encoding="utf-8")
    log.chmod(0o666)
    apt = folder / "apt-get"
    apt.write_text(f'#!/bin/sh\necho "apt-get $*" >> {log}\n', encoding="utf-8")
    apt.chmod(0o755)
    yield folder, log
    shutil.rmtree(folder)


def _run(args: list[str], path_prefix: Path, user: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": f"{path_prefix}:{os.environ['PATH']}", "HOME": "/tmp", "LANG": "C.UTF-8"}
    cmd = [str(SOURCE), *args]
    if user:
        cmd = [RUNUSER, "-u", user, "--", "env", *(f"{k}={v}" for k, v in env.items()), *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, check=False, timeout=120)


@pdf_tools
@as_root
@pytest.mark.parametrize("user", [None, "nobody"])
def test_nothing_to_do_when_installed_as_root_and_as_non_root(fakebin, user):
    folder, log = fakebin
    for what in ("pdf", "all"):
        result = _run([what], folder, user)
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout == ""
    assert log.read_text(encoding="utf-8") == ""  # apt-get never ran


def _hide_ngerman(folder: Path) -> None:
    real = shutil.which("kpsewhich")
    fake = folder / "kpsewhich"
    fake.write_text(f'#!/bin/sh\n[ "$1" = ngerman.ldf ] && exit 1\nexec {real} "$@"\n', encoding="utf-8")
    fake.chmod(0o755)


@pdf_tools
@as_root
def test_a_missing_tex_file_is_named_and_installed_as_root(fakebin):
    folder, log = fakebin
    _hide_ngerman(folder)
    result = _run(["pdf"], folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Es fehlt: TeX-Datei ngerman.ldf." in result.stdout
    calls = log.read_text(encoding="utf-8").splitlines()
    assert calls[0] == "apt-get update -qq"
    assert calls[1].startswith("apt-get install -y -qq --no-install-recommends latexmk texlive-xetex")
    assert "texlive-lang-german" in calls[1]


@pdf_tools
@as_root
def test_non_root_without_sudo_gets_the_install_line(fakebin):
    folder, log = fakebin
    _hide_ngerman(folder)
    result = _run(["pdf"], folder, "nobody")
    assert result.returncode == 1
    assert "sudo apt-get install --no-install-recommends latexmk texlive-xetex" in result.stdout
    optional = _run(["pdf", "--optional"], folder, "nobody")
    assert optional.returncode == 0
    assert "werden bis dahin übersprungen" in optional.stdout
    assert log.read_text(encoding="utf-8") == ""
