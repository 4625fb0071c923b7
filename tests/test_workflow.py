"""The author's workflow through the ``bnk`` command alone (as on Windows, without make): a new
report, an aspect, imported data, HTML, PDF, diff; a new report year in one step; draft mode;
``bnk new`` with hostile names; German command-line texts."""

from __future__ import annotations

import ast
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "import"
TEX_TOOLS = ("latexmk", "xelatex", "pdfinfo")
_no_tex = pytest.mark.skipif(
    any(shutil.which(t) is None for t in TEX_TOOLS), reason="TeX Live/Poppler fehlen (tools/ensure-deps pdf)"
)


def needs_tex(test):
    """Needs TeX Live: in the tex layer, skipped (saying why) where TeX is missing."""
    return pytest.mark.tex(_no_tex(test))


ASPECT = """# {bnk-heading}`01`

````{bnk-aspect} 1.1
:responsible: Stabsstelle Nachhaltigkeit

Die Stadt beschließt ihre Nachhaltigkeitsstrategie im Rat.

```{indicator} breitband
Der Ausbau kommt voran.
```
````
"""


def bnk(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "bnk", *args], cwd=cwd, capture_output=True, text=True, check=False, env=env
    )


def new_report(tmp_path: Path, kommune: str = "Stadt Beispiel", year: int = 2023) -> Path:
    root = tmp_path / "bericht"
    result = bnk("new", str(root), "--kommune", kommune, "--year", str(year))
    assert result.returncode == 0, result.stderr
    return root


def import_breitband(root: Path) -> subprocess.CompletedProcess:
    result = bnk(
        "import", "sdg", str(FIXTURES / "sdg-portal-breitband.json"), "--id", "breitband",
        "--titel", "Breitbandversorgung", "--definition", "Anteil der Haushalte mit 50 Mbit/s",
        "--durchschnitt-name", "NRW", "--abgerufen", "2024-05-02", cwd=root,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def html_text(root: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((root / "_build/html").rglob("*.html")))


def test_new_writes_valid_python_and_escaped_markdown_for_any_name(tmp_path):
    name = 'Stadt "Süd\\Nord" <b>fett</b> *x* {bnk:aspect}`1.1` $a_b$'
    root = new_report(tmp_path, name)
    conf = (root / "conf.py").read_text(encoding="utf-8")
    ast.parse(conf)
    namespace: dict = {}
    exec(compile(conf, "conf.py", "exec"), namespace)  # the generated conf.py, as Sphinx runs it
    assert namespace["bnk_report"]["kommune"] == name
    assert namespace["project"] == f"Nachhaltigkeitsbericht {name} 2023"
    heading = (root / "index.md").read_text(encoding="utf-8").splitlines()[0]
    assert heading == (
        r"# Nachhaltigkeitsbericht Stadt \"Süd\\Nord\" \<b\>fett\<\/b\> \*x\* \{bnk\:aspect\}\`1\.1\` \$a\_b\$ "
        "{{berichtsjahr}}"
    )
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert 'description = "Nachhaltigkeitsbericht Stadt \\"Süd\\\\Nord\\" <b>fett</b>' in pyproject
    result = bnk("html", str(root))
    assert result.returncode == 0, result.stderr
    html = html_text(root)
    assert "<b>fett</b>" not in html
    assert "&lt;b&gt;fett&lt;/b&gt;" in (root / "_build/html/index.html").read_text(encoding="utf-8")
    assert re.search(r"<h1>Nachhaltigkeitsbericht Stadt „Süd\\Nord“ &lt;b&gt;fett&lt;/b&gt; \*x\*", html)


def test_new_refuses_existing_files_and_bad_names_in_german(tmp_path):
    target = tmp_path / "datei.md"
    target.write_text("x", encoding="utf-8")
    result = bnk("new", str(target), "--kommune", "Stadt X")
    assert (result.returncode, result.stderr.strip()) == (
        2,
        f"Fehler: {target} ist eine Datei; bitte einen neuen Ordner angeben.",
    )
    result = bnk("new", str(tmp_path / "neu"), "--kommune", "Stadt\nX")
    assert result.returncode == 2
    assert "Fehler: Der Name der Kommune enthält Steuerzeichen" in result.stderr and "Traceback" not in result.stderr


def test_new_report_names_its_tools_source_and_ships_guide_makefile_and_workflow(tmp_path):
    root = new_report(tmp_path)
    from bnk.scaffold import installed_source

    # By default the source of the running bnk-bericht (test_authoring checks it resolves).
    origin = installed_source()
    assert origin is not None  # the tests run on an installation from this checkout
    assert f'dependencies = ["bnk-bericht @ {origin}"]' in (root / "pyproject.toml").read_text(encoding="utf-8")
    git = bnk("new", str(tmp_path / "g"), "--kommune", "X", "--package", "https://example.org/bnk.git@v1")
    assert git.returncode == 0
    assert 'dependencies = ["bnk-bericht @ git+https://example.org/bnk.git@v1"]' in (
        tmp_path / "g/pyproject.toml"
    ).read_text(encoding="utf-8")
    guide = {p.name: p.read_text(encoding="utf-8") for p in (root / "anleitung").glob("*.md")}
    assert {"index.md", "erste-schritte.md", "warnungen.md"} <= set(guide)
    assert [name for name, text in guide.items() if "Heinsberg" in text] == []  # Kommune-neutral
    assert "## Unter Windows (ohne `make`, ohne Administratorrechte)" in guide["erste-schritte.md"]
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    assert "\ndiff: $(STAMP)\n" in makefile and "Einrichtung, etwa eine Minute" in makefile
    workflow = (root / ".github/workflows/pull-request.yml").read_text(encoding="utf-8")
    assert "pull_request:" in workflow and "-D bnk_draft=1" in workflow and "upload-artifact" in workflow
    assert "origin/${{ github.base_ref }}" in workflow


def test_new_takes_a_folder_relative_to_where_it_is_called(tmp_path):
    """As the README shows it: `bnk new ../beispiel` or `bnk new neu` from the current folder."""
    result = bnk("new", "neu", "--kommune", "Stadt Beispiel", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "neu/conf.py").is_file() and (tmp_path / "neu/anleitung/aspekt-schreiben.md").is_file()
    assert not (tmp_path / "neu/neu").exists()


def test_draft_mode_shows_open_aspects_and_the_release_build_stays_strict(tmp_path):
    root = new_report(tmp_path)
    conf = root / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace(
            "bnk_responsible = {}", 'bnk_responsible = {"1": "Stabsstelle Nachhaltigkeit", "1.2": "Amt 61"}'
        ),
        encoding="utf-8",
    )
    draft = bnk("html", str(root), "--streng", "--entwurf")
    assert draft.returncode == 0, draft.stderr
    assert "WARNING" not in draft.stderr
    assert (
        "kriterien/01-strategie.md:1: Entwurf – noch offen: Aspekt 1.1 „Kommunale Nachhaltigkeitsstrategie“ fehlt: "
        "weder berichtet noch mit Begründung ausgelassen." in draft.stdout
    )
    assert "Entwurf: 73 offene Aspekte als Platzhalter gezeigt" in draft.stdout
    page = (root / "_build/html/kriterien/01-strategie.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Aspekt 1.1: Kommunale Nachhaltigkeitsstrategie Noch offen – zuständig: Stabsstelle Nachhaltigkeit" in text
    assert "Aspekt 1.2: Zentrale Handlungsfelder Noch offen – zuständig: Amt 61" in text
    assert page.count('class="bnk-draft attention admonition"') == 4
    latex = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "latex", "-q", "-D", "bnk_draft=1", str(root), str(root / "_build/tex")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert latex.returncode == 0, latex.stderr
    tex = (root / "_build/tex/nachhaltigkeitsbericht-stadt-beispiel-2023.tex").read_text(encoding="utf-8")
    assert tex.count("Noch offen – zuständig:") == 73 and "Noch offen – zuständig: Amt 61" in tex
    release = bnk("html", str(root), "--streng")
    assert release.returncode == 1
    assert release.stderr.count("[bnk.aspect-missing]") == 73
    assert "Der strenge Bau ist gescheitert" in release.stderr
    assert "bnk-draft" not in (root / "_build/html/kriterien/01-strategie.html").read_text(encoding="utf-8")


@needs_tex
def test_main_workflow_through_the_cli_alone(tmp_path):
    root = new_report(tmp_path)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "add", "-A"], cwd=root, check=True)
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "neu"], cwd=root, check=True
    )
    page = next((root / "kriterien").glob("01-*.md"))
    page.write_text(ASPECT, encoding="utf-8")
    imported = import_breitband(root)
    assert "data/breitband.csv: neu, 9 Werte 2017–2021, Reihen: Kommune, NRW." in imported.stdout

    html = bnk("html", str(root))
    assert html.returncode == 0, html.stderr
    assert html.stderr.strip().endswith(f"Fertig: {root / '_build/html/index.html'}")
    # The reading progress ends at N/N, N = every page of the new report (its sources, one each).
    pages = len(
        [p for p in root.rglob("*.md") if p.name != "README.md" and not {"data", "anleitung", "_build"} & set(p.parts)]
    )
    assert f"Lese Seiten {pages}/{pages}" in html.stdout and "Schreibe Seiten" in html.stdout
    assert "reading sources" not in html.stdout and "build succeeded" not in html.stdout
    assert "BNK-Vollständigkeit: 1 berichtet, 0 begründet, 72 fehlt" in html.stdout
    strategy = (root / "_build/html" / page.relative_to(root).with_suffix(".html")).read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", strategy)).replace("&#160;", " ").replace("\u00a0", " ")
    assert "Die Stadt beschließt ihre Nachhaltigkeitsstrategie im Rat." in text
    assert "2018 2020 2021 Veränderung absolut relativ Stadt Beispiel 84,5 93,2 96,4 +11,9 %P +14,1 %" in text
    assert re.search(r'<img src="\.\./_images/bnk-chart-[0-9a-f]{16}\.svg"', strategy)

    pdf = bnk("pdf", str(root))
    assert pdf.returncode == 0, pdf.stderr
    target = root / "_build/latex/nachhaltigkeitsbericht-stadt-beispiel-2023.pdf"
    assert pdf.stderr.strip().endswith(f"Fertig: {target}")  # the path of the PDF is the last line
    assert (root / "_build/latex/nachhaltigkeitsbericht-stadt-beispiel-2023.log").stat().st_size > 1000
    assert "xdvipdfmx" not in pdf.stdout.replace("PDF schreiben (xdvipdfmx)", "")  # the TeX log is in files
    assert (
        "Breitbandversorgung"
        in subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    )

    diff = bnk("diff", "main", "--repo", str(root))
    assert diff.returncode == 0, diff.stderr
    assert re.search(r"1\.1.*(fehlt|missing).*berichtet", diff.stdout), diff.stdout
    assert "breitband" in diff.stdout


@needs_tex
def test_new_report_year_in_one_step_leaves_no_stale_year(tmp_path):
    root = new_report(tmp_path, year=2023)
    import_breitband(root)
    (root / "data/leer.csv").write_text("year,value\n2022,1\n2024,2\n", encoding="utf-8")
    for builder in ("html", "pdf"):
        assert bnk(builder, str(root)).returncode == 0
    assert "Nachhaltigkeitsbericht Stadt Beispiel 2023" in (root / "_build/html/index.html").read_text(encoding="utf-8")
    old = root / "_build/latex/nachhaltigkeitsbericht-stadt-beispiel-2023.pdf"
    assert old.is_file()
    stamp = old.stat().st_mtime_ns
    before = {p.relative_to(root) for p in (root / "_build").rglob("*")}

    result = bnk("jahr", "2024", str(root))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Berichtsjahr: 2023 → 2024 (conf.py). Titel, Zeitraum und PDF-Dateiname folgen daraus.",
        "1 von 2 Indikatoren ohne Wert für 2024:",
        "  breitband: kein Wert für 2024 (letzter Wert: 2021)",
    ]
    # The next build, as an author runs it (the old year's files stay in _build/latex).
    assert bnk("html", str(root)).returncode == 0
    result = bnk("pdf", str(root))
    assert result.returncode == 0, result.stderr
    # The old year's .tex is never typeset again or reported: one XeLaTeX run, one result.
    new = root / "_build/latex/nachhaltigkeitsbericht-stadt-beispiel-2024.pdf"
    assert [line for line in result.stderr.splitlines() if line.startswith("Fertig:")] == [f"Fertig: {new}"]
    assert old.stat().st_mtime_ns == stamp
    assert result.stdout.count("XeLaTeX-Durchlauf 1 …") == 1
    html = html_text(root)
    assert "Nachhaltigkeitsbericht Stadt Beispiel 2024" in html
    assert "2023" not in html  # title, period, copyright, start page: nothing names the old year
    written = [p for p in (root / "_build").rglob("*") if p.relative_to(root) not in before]
    assert [p.name for p in written if "2023" in p.name] == []
    assert [p.name for p in (root / "_build/html").rglob("*") if "2023" in p.name] == []
    assert new in written
    info = subprocess.run(
        ["pdfinfo", str(root / "_build/latex/nachhaltigkeitsbericht-stadt-beispiel-2024.pdf")],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "Title:           Nachhaltigkeitsbericht Stadt Beispiel 2024" in info
    assert [
        line for line in info.splitlines() if "2023" in line and not line.startswith(("CreationDate", "ModDate"))
    ] == []
    text = subprocess.run(
        ["pdftotext", str(root / "_build/latex/nachhaltigkeitsbericht-stadt-beispiel-2024.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "2023" not in text

    # The build can show the missing value as a warning (opt-in).
    page = next((root / "kriterien").glob("01-*.md"))
    page.write_text(ASPECT, encoding="utf-8")
    warned = bnk("html", str(root), "-D", "bnk_warn_missing_year=1")
    assert re.search(
        r"kriterien/01-strategie\.md:\d+: WARNING: Indikator „breitband“ hat keinen Wert für das Berichtsjahr 2024 "
        r"\(letzter Wert: 2021\)\. \[bnk\.year-missing\]",
        warned.stderr,
    ), warned.stderr


def test_argparse_and_errors_speak_german(tmp_path):
    result = bnk("--help")
    assert result.stdout.startswith("Aufruf: bnk ")
    assert "diese Hilfe zeigen und beenden" in result.stdout and "show this help" not in result.stdout
    result = bnk("jahr")
    assert result.returncode == 2
    assert "bnk jahr: Fehler: diese Angaben fehlen: JAHR" in result.stderr
    assert "usage:" not in result.stderr and "error:" not in result.stderr


def test_live_names_a_free_port_when_the_port_is_busy(tmp_path):
    pytest.importorskip("sphinx_autobuild")
    root = new_report(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = bnk("live", str(root), "--port", str(port))
    assert result.returncode == 2
    assert re.fullmatch(
        rf"Fehler: Port {port} ist belegt – läuft schon eine Vorschau\? Frei ist z\. B\. Port (\d+): "
        rf"bnk live --port \1 \(oder make live PORT=\1\)\.",
        result.stderr.strip(),
    ), result.stderr


def _wait_for(predicate, seconds: float) -> bool:
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.skipif(os.name == "nt", reason="POSIX process groups")
def test_live_stops_with_its_server_when_its_parent_is_killed(tmp_path):
    """``make live`` killed by its PID: the server and its builds must not keep running."""
    pytest.importorskip("sphinx_autobuild")
    import signal

    root = new_report(tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # A shell stands in for make: it waits for bnk live, and we kill the shell, not bnk.
    parent = subprocess.Popen(
        ["sh", "-c", f'"{sys.executable}" -m bnk live "{root}" --port {port}; echo ende'],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert _wait_for(lambda: _listening(port), 120), "die Vorschau startet nicht"
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        assert _wait_for(lambda: not _listening(port), 30), "der Server läuft nach dem Ende weiter"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(parent.pid, signal.SIGKILL)


def test_build_output_is_german_progress_notes_and_the_result(tmp_path):
    """No line of Sphinx's English chatter, also when it believes it draws for a colour terminal
    (FORCE_COLOR, as on some CI runners): progress from events, the extension's notes, the path."""
    root = new_report(tmp_path)
    import_breitband(root)
    page = next((root / "kriterien").glob("01-*.md"))
    page.write_text(ASPECT, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bnk", "html", str(root)],
        capture_output=True, text=True, env={**os.environ, "FORCE_COLOR": "1"}, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    pages = len(
        [p for p in root.rglob("*.md") if p.name != "README.md" and not {"data", "anleitung", "_build"} & set(p.parts)]
    )
    lines = result.stdout.splitlines()
    reading = [line for line in lines if line.startswith("Lese Seiten ")]
    assert reading[-1] == f"Lese Seiten {pages}/{pages}" and 2 <= len(reading) <= 11
    assert re.fullmatch(r"Schreibe Seiten (\d+)/\1", [x for x in lines if x.startswith("Schreibe")][-1])
    assert "Zeichne Diagramme 1/1" in lines
    assert lines[-1].startswith("BNK-Vollständigkeit: 1 berichtet, 0 begründet, 72 fehlt")
    english = re.compile(r"reading sources|writing output|build succeeded|loading|pickling|done|copying|Running Sphinx")
    assert [line for line in lines if english.search(line)] == []
    assert "\x1b[" not in result.stdout
    assert result.stderr.strip().splitlines()[-1] == f"Fertig: {root / '_build/html/index.html'}"

    # An unchanged rebuild reads and writes nothing, and says so by its silence, not in English.
    again = bnk("html", str(root))
    assert [line for line in again.stdout.splitlines() if english.search(line)] == []
    assert not any(line.startswith("Lese Seiten") for line in again.stdout.splitlines())
