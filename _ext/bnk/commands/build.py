"""``bnk html``, ``bnk pdf`` and ``bnk live``: the make targets as Python commands, so that the
same workflow runs on Windows (``py -m bnk html``) without make. Sphinx runs in-process with its
English progress chatter turned into short German progress lines; the TeX log goes to a file;
the last line names the output."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from bnk.commands import CliError, add_path_argument, say

# Sphinx's own status lines that say nothing to an author (English, developer-speak).
_QUIET = re.compile(
    r"^(Running Sphinx|loading |making output|myst v|building \[|updating environment|looking for now-outdated|"
    r"pickling environment|checking consistency|preparing documents|copying |dumping |generating indices|"
    r"writing additional|done|build succeeded|build finished|The HTML pages|The LaTeX files|highlighting|"
    r"processing |resolving |executing |loading pickled|no targets|0 added|\[|writing output\.\.\. *$|"
    r"reading sources\.\.\. *$|copying assets|Run 'make'|where <target>|\(e\.g\.|Copying |Writing evaluated|\(use |"
    r"Build finished|The text files|The pseudo-XML|The manual pages)"
)
_PROGRESS = {
    "reading sources": "Lese Seiten",
    "writing output": "Schreibe Seiten",
    "copying images": "Kopiere Bilder",
    "processing": "Verarbeite",
}
_CHANGED = re.compile(r"(\d+) added, (\d+) changed")
_CSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")  # colours and line erasing of a terminal
_PROGRESS_LINE = re.compile(r"^(reading sources|writing output|copying images)\.\.\. \[\s*(\d+)%\] ?(.*)$")


class GermanStatus:
    """A status stream for Sphinx: progress as one German line per step, our own notes as they are."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.buffer = ""
        self.tty = out.isatty()
        self.shown: dict[str, int] = {}
        self.to_read = 0

    def write(self, text: str) -> int:
        # Sphinx redraws its progress line with "\r" and terminal codes such as "\x1b[2K" when it
        # believes it writes to a colour terminal (FORCE_COLOR, COLORTERM …): a line ends at either.
        self.buffer += text.replace("\r", "\n")
        while "\n" in self.buffer:
            line, self.buffer = self.buffer.split("\n", 1)
            self._line(_CSI.sub("", line).strip())
        return len(text)

    def _line(self, line: str) -> None:
        counts = _CHANGED.search(line)
        if counts:  # "updating environment: … 23 added, 4 changed": the pages to read
            self.to_read = int(counts[1]) + int(counts[2])
        match = _PROGRESS_LINE.match(line)
        if match:
            what, percent = _PROGRESS[match[1]], int(match[2])
            step = percent // 10
            if self.shown.get(what) == step and percent != 100:
                return
            self.shown[what] = step
            done = f"{percent} %"
            if what == "Lese Seiten" and self.to_read:
                done = f"{round(percent * self.to_read / 100)}/{self.to_read}"
            if self.tty:
                self.out.write(f"\r{what} {done}   " + ("\n" if percent == 100 else ""))
            else:
                self.out.write(f"{what} {done}\n")
            self.out.flush()
            return
        if not line or _QUIET.match(line):
            return
        self.out.write(line + "\n")
        self.out.flush()

    def flush(self) -> None:
        self.out.flush()


def _report(path: str) -> Path:
    root = Path(path).resolve()
    if not (root / "conf.py").is_file():
        raise CliError(f"Kein Bericht in {root}: conf.py fehlt.")
    return root


def _overrides(values: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep:
            raise CliError(f"-D erwartet NAME=WERT, z. B. -D bnk_report_year=2024 (gefunden: „{value}“).")
        out[name.strip()] = setting
    return out


def run_sphinx(root: Path, builder: str, outdir: Path, args: argparse.Namespace) -> int:
    """Build in-process; returns Sphinx's status code (1 when a strict build saw a warning)."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    overrides = _overrides(args.define)
    if args.draft:
        overrides["bnk_draft"] = True
    status = GermanStatus(sys.stdout)
    if not sys.stderr.isatty():
        from sphinx.util.console import nocolor

        nocolor()  # warnings in a file or a pipe: no colour codes
    with patch_docutils(root), docutils_namespace():
        app = Sphinx(
            str(root),
            str(root),
            str(outdir),
            str(root / "_build" / "doctrees"),
            builder,
            confoverrides=overrides,
            status=status,  # type: ignore[arg-type]
            warning=sys.stderr,
            freshenv=args.fresh,
            warningiserror=args.strict,
            keep_going=True,
            parallel=0,
        )
        app.build()
        return app.statuscode


def _sphinx_stage(args: argparse.Namespace, builder: str, subdir: str) -> tuple[Path, Path] | None:
    """Run ``builder`` on the report into ``_build/<subdir>``: (report folder, output folder), or
    None after telling the author that the strict build failed."""
    root = _report(args.path)
    outdir = root / "_build" / subdir
    if run_sphinx(root, builder, outdir, args):
        say("Der strenge Bau ist gescheitert: jede Warnung oben ist ein Fehler.")
        return None
    return root, outdir


def cmd_html(args: argparse.Namespace) -> int:
    """The web edition; with ``--mit-pdf`` the print PDF and the accessible PDF first, so that
    the site offers both (``bnk.html.downloads`` links only PDFs newer than the sources)."""
    if getattr(args, "with_pdf", False):
        for step in (cmd_pdf, cmd_pdfua):
            if step(args):
                return 1
    built = _sphinx_stage(args, "html", "html")
    if built is None:
        return 1
    say(f"Fertig: {built[1] / 'index.html'}")
    return 0


def cmd_pdf(args: argparse.Namespace) -> int:
    """The print PDF: Sphinx in-process (German progress), then the typesetting of make pdf
    (bnk.latex.pdf: XeLaTeX passes, the TeX log in files, the overflow guard)."""
    built = _sphinx_stage(args, "latex", "latex")
    if built is None:
        return 1
    root, outdir = built
    latexmk = shutil.which("latexmk")
    if latexmk is None:
        raise CliError(
            "latexmk fehlt: für die Druckfassung wird TeX Live gebraucht (Linux: tools/ensure-deps pdf; "
            "Windows: TeX Live von https://tug.org/texlive/ oder MiKTeX installieren)."
        )
    # The same typesetting as make pdf: XeLaTeX passes, log to a file, the overflow guard.
    from bnk.latex.pdf import typeset

    code, pdfs = typeset(root, outdir)
    if code:
        raise CliError(f"Die Druckfassung ist fehlerhaft (siehe Meldungen oben; Protokolle in {outdir}).")
    for pdf in pdfs:
        say(f"Fertig: {pdf}")
    return 0


PDFUA_BUILDER = "bnk-pdfua"


def cmd_pdfua(args: argparse.Namespace) -> int:
    """The accessible (tagged, PDF/UA) PDF: the extension's ``bnk-pdfua`` builder (WeasyPrint)."""
    from sphinx.errors import SphinxError

    try:
        built = _sphinx_stage(args, PDFUA_BUILDER, "pdf-barrierefrei")
    except SphinxError as exc:
        if PDFUA_BUILDER in str(exc):
            raise CliError(
                "Diese Version von bnk-bericht kann noch kein barrierefreies PDF bauen "
                f"(Builder {PDFUA_BUILDER} fehlt)."
            ) from exc
        raise CliError(f"Der Bau ist gescheitert: {exc}") from exc
    except ImportError as exc:
        raise CliError(
            f'Für das barrierefreie PDF fehlt ein Paket ({exc.name}): python -m pip install "bnk-bericht[pdfua]"'
        ) from exc
    if built is None:
        return 1
    for pdf in sorted(built[1].glob("*.pdf")):
        say(f"Fertig: {pdf}")
    return 0


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a server could listen on ``host:port`` now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port(start: int, host: str = "127.0.0.1") -> int | None:
    """The first free port after ``start`` (within 50), for the message when ``start`` is busy."""
    return next((p for p in range(start + 1, start + 51) if port_free(p, host)), None)


def cmd_live(args: argparse.Namespace) -> int:
    root = _report(args.path)
    try:
        import sphinx_autobuild  # noqa: F401
    except ImportError as exc:
        raise CliError(
            'Für die Vorschau fehlt sphinx-autobuild: python -m pip install "bnk-bericht[live]" '
            "(oder make live, das es selbst installiert)."
        ) from exc
    if not port_free(args.port, args.host):
        other = free_port(args.port, args.host)
        hint = f" Frei ist z. B. Port {other}: bnk live --port {other} (oder make live PORT={other})." if other else ""
        raise CliError(f"Port {args.port} ist belegt – läuft schon eine Vorschau?{hint}")
    command = [
        sys.executable, "-m", "sphinx_autobuild", str(root), str(root / "_build" / "html"),
        "--host", args.host, "--port", str(args.port), "--watch", str(root / "data"),
        "--ignore", "*/.venv/*", "--ignore", "*/_build/*", "--ignore", "*/tests/*", "-q",
    ]  # fmt: skip
    say(f"Vorschau unter http://{args.host}:{args.port} – beenden mit Strg+C.")
    # The server and its builds form one process group: stopping this command stops all of them.
    options: dict[str, Any] = {"start_new_session": True}
    if os.name == "nt":  # pragma: no cover - Windows
        options = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}  # type: ignore[attr-defined]
    child = subprocess.Popen(command, cwd=root, **options)
    parent = os.getppid()

    def stop(*_: Any) -> None:
        _terminate(child)
        raise SystemExit(0)

    for name in ("SIGTERM", "SIGINT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)
    try:
        while child.poll() is None:
            # make live killed by its PID: make dies, we are re-parented, and stop the server too.
            if os.name != "nt" and os.getppid() != parent:
                stop()
            time.sleep(0.5)
    finally:
        _terminate(child)
    return child.returncode or 0


def _terminate(child: subprocess.Popen) -> None:
    if child.poll() is not None:
        return
    try:
        if os.name == "nt":  # pragma: no cover - Windows
            child.terminate()
        else:
            os.killpg(child.pid, signal.SIGTERM)
        child.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL) if os.name != "nt" else child.kill()


def _build_options(parser: argparse.ArgumentParser) -> None:
    add_path_argument(parser)
    parser.add_argument(
        "--streng", dest="strict", action="store_true", help="jede Warnung ist ein Fehler (wie im Pull Request)"
    )
    parser.add_argument("--entwurf", dest="draft", action="store_true", help="Entwurf: offene Aspekte als Platzhalter")
    parser.add_argument("--neu", dest="fresh", action="store_true", help="alles neu lesen (statt nur Geändertes)")
    parser.add_argument(
        "-D",
        dest="define",
        action="append",
        default=[],
        metavar="NAME=WERT",
        help="Einstellung überschreiben, z. B. -D bnk_charts=0",
    )


# The build commands: name, short help, description, handler; all take the same options.
BUILD_COMMANDS: tuple[tuple[str, str, str, Callable[[argparse.Namespace], int]], ...] = (
    ("html", "Bericht als Website bauen (_build/html)", "Baut den Bericht als HTML.", cmd_html),
    ("pdf", "Druckfassung bauen (_build/latex/*.pdf)", "Baut die Druckfassung mit XeLaTeX (latexmk).", cmd_pdf),
    (
        "pdf-barrierefrei",
        "barrierefreie Fassung als getaggtes PDF (PDF/UA) bauen",
        "Baut das barrierefreie PDF (PDF/UA-1) nach _build/pdf-barrierefrei.",
        cmd_pdfua,
    ),
)


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``bnk html``, ``bnk pdf``, ``bnk pdf-barrierefrei`` and ``bnk live``."""
    for name, help_, description, func in BUILD_COMMANDS:
        parser = sub.add_parser(name, help=help_, description=description)
        _build_options(parser)
        if name == "html":
            parser.add_argument(
                "--mit-pdf",
                dest="with_pdf",
                action="store_true",
                help="vorher Druckfassung und barrierefreies PDF bauen; die Website bietet sie zum Herunterladen an",
            )
        parser.set_defaults(func=func)
    live = sub.add_parser(
        "live",
        help="Vorschau im Browser, die sich beim Speichern aktualisiert",
        description="Startet eine Vorschau; Strg+C (oder das Beenden des Befehls) stoppt sie mit allen Teilprozessen.",
    )
    add_path_argument(live)
    live.add_argument("--port", type=int, default=8000, help="Port der Vorschau (Standard: 8000)")
    live.add_argument("--host", default="127.0.0.1", help="Adresse (Standard: 127.0.0.1)")
    live.set_defaults(func=cmd_live)
