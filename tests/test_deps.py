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
    # Only the package that provides the missing file, simulated before it is installed.
    assert calls == [
        "apt-get update -qq",
        "apt-get install -s -y --no-install-recommends texlive-lang-german",
        "apt-get install -y -qq --no-install-recommends texlive-lang-german",
    ]


@pdf_tools
@as_root
def test_non_root_without_sudo_gets_the_install_line(fakebin):
    folder, log = fakebin
    _hide_ngerman(folder)
    result = _run(["pdf"], folder, "nobody")
    assert result.returncode == 1
    assert "  sudo apt-get install --no-install-recommends texlive-lang-german\n" in result.stdout
    optional = _run(["pdf", "--optional"], folder, "nobody")
    assert optional.returncode == 0
    assert "werden bis dahin übersprungen" in optional.stdout
    assert log.read_text(encoding="utf-8") == ""


HIDDEN = {"latexmk", "xelatex", "kpsewhich", "pdftotext", "pdffonts", "pdftoppm", "pdfinfo", "chromium"}


def _bare_machine(folder: Path, apt_script: str) -> Path:
    """A PATH like a new machine of the CI image: the project's programs hidden, apt-get replaced."""
    bare = folder / "bin"
    bare.mkdir()
    for directory in ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"):
        if not Path(directory).is_dir():
            continue
        for program in Path(directory).iterdir():
            target = bare / program.name
            if program.name in HIDDEN | {"apt-get", "apt", "sudo"} or target.exists() or target.is_symlink():
                continue
            target.symlink_to(program)
    apt = bare / "apt-get"
    apt.write_text(apt_script, encoding="utf-8")
    apt.chmod(0o755)
    return bare


def _run_bare(bare: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": str(bare), "HOME": "/tmp", "LANG": "C.UTF-8"}
    return subprocess.run([str(SOURCE), *args], capture_output=True, text=True, env=env, check=False, timeout=300)


apt_lists = pytest.mark.skipif(
    shutil.which("apt-get") is None
    or subprocess.run(["apt-cache", "show", "chromium"], capture_output=True, check=False).returncode != 0,
    reason="apt-get mit Paketlisten fehlt hier",
)


@pytest.mark.langsam  # apt simulates a whole TeX Live and Chromium install
@apt_lists
@as_root
def test_bare_machine_of_the_ci_image_asks_apt_only_for_what_is_missing(fakebin):
    """Node.js and npm come from another vendor on the CI image: apt must never be asked for them."""
    folder, log = fakebin
    real = shutil.which("apt-get")
    script = (
        "#!/bin/sh\n"
        f'echo "apt-get $*" >> {log}\n'
        'for a in "$@"; do [ "$a" = update ] && exit 0; done\n'
        f'exec {real} -s "$@"\n'
    )
    bare = _bare_machine(folder, script)
    result = _run_bare(bare, "all")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Programm latexmk" in result.stdout and "Programm chromium" in result.stdout
    requested = log.read_text(encoding="utf-8").splitlines()[-1].split("--no-install-recommends ")[1].split()
    assert {"latexmk", "texlive-xetex", "poppler-utils", "chromium"} <= set(requested)
    for present in ("nodejs", "npm") if shutil.which("node") and shutil.which("npm") else ():
        assert present not in requested


@as_root
def test_a_set_apt_cannot_resolve_installs_nothing_and_says_why_in_german(fakebin):
    folder, log = fakebin
    script = (
        "#!/bin/sh\n"
        f'echo "apt-get $*" >> {log}\n'
        'for a in "$@"; do [ "$a" = -s ] && { echo "E: Unable to correct problems, you have held broken packages."; exit 100; }; done\n'
        "exit 0\n"
    )
    bare = _bare_machine(folder, script)
    result = _run_bare(bare, "pdf")
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[-2].startswith(
        "apt kann die fehlenden Pakete nicht zusammen installieren, ohne andere zu ändern (E: Unable"
    )
    assert lines[-1].startswith("  apt-get install -s --no-install-recommends latexmk texlive-xetex")
    assert not any(" -qq --no-install" in call for call in log.read_text(encoding="utf-8").splitlines())
    assert "Traceback" not in result.stderr and result.stderr == ""


@as_root
def test_node_without_npm_is_not_mixed_with_debians_npm(fakebin):
    folder, log = fakebin
    bare = _bare_machine(folder, f'#!/bin/sh\necho "apt-get $*" >> {log}\n')
    (bare / "npm").unlink(missing_ok=True)
    (bare / "node").unlink(missing_ok=True)
    (bare / "node").symlink_to("/bin/true")
    result = _run_bare(bare, "browser")
    assert result.returncode == 1
    assert "Node.js ist vorhanden, npm aber nicht" in result.stdout
    assert log.read_text(encoding="utf-8") == ""
