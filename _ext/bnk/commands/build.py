"""``bnk html``, ``bnk pdf`` and ``bnk live``: the make targets as Python commands, so that the
same workflow runs on Windows (``py -m bnk html``) without make. Sphinx runs in-process with its
English progress chatter turned into short German progress lines; the TeX log goes to a file;
the last line names the output."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from bnk.boundary import PROGRESS_EVENT, connect
from bnk.commands import CliError, add_path_argument, say

ASSEMBLED = {"latex": "die Druckfassung", "bnk-pdfua": "das barrierefreie PDF"}


class Progress:
    """German progress lines for an in-process build, from Sphinx's events.

    Sphinx's own status output (English, developer-speak) is not shown at all: the build gets a
    silent status stream, and nothing of it is parsed. What the author sees comes from events —
    pages read (``env-before-read-docs``, ``source-read``), pages written (``write-started``,
    ``doctree-resolved``), charts drawn (the extension's ``bnk-progress``) — and from the
    extension's own German notes (INFO records of the ``sphinx.bnk`` loggers, e.g. the BNK
    summary). Warnings keep their route to stderr. On a terminal a step redraws one line; in a
    file or pipe it writes a line per tenth.
    """

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.tty = out.isatty()
        self.counts: dict[str, list[int]] = {}  # what -> [done, total, last tenth shown]
        self.read: set[str] = set()
        self.handler = _NotesHandler(out)

    def attach(self, app: Any) -> None:
        connect(app, "env-before-read-docs", self._before_read)
        connect(app, "source-read", self._read_one)
        connect(app, "write-started", self._before_write)
        connect(app, "doctree-resolved", lambda app, doctree, docname: self.step("Schreibe Seiten"))
        connect(app, PROGRESS_EVENT, lambda app, what, done, total: self.show(what, done, total))
        logging.getLogger("sphinx.bnk").addHandler(self.handler)

    def detach(self) -> None:
        logging.getLogger("sphinx.bnk").removeHandler(self.handler)

    def _before_read(self, app: Any, env: Any, docnames: list[str]) -> None:
        self.counts["Lese Seiten"] = [0, len(docnames), -1]

    def _read_one(self, app: Any, docname: str, source: list[str]) -> None:
        self.read.add(docname)
        self.step("Lese Seiten")

    def _before_write(self, app: Any, builder: Any) -> None:
        # An HTML builder writes page by page: its own list of outdated pages plus those just read
        # (pages whose table of contents shows a changed page come on top, so the total may grow).
        # The LaTeX and PDF builders assemble one document from all pages: one line, no count.
        outdated = builder.get_outdated_docs()
        if isinstance(outdated, str):
            self.counts.pop("Schreibe Seiten", None)
            self.out.write(f"Setze {ASSEMBLED.get(builder.name, 'das Dokument')} aus allen Seiten zusammen …\n")
            self.out.flush()
            return
        self.counts["Schreibe Seiten"] = [0, len(set(outdated) | self.read), -1]

    def step(self, what: str) -> None:
        count = self.counts.get(what)
        if count is not None:
            self.show(what, count[0] + 1, max(count[1], count[0] + 1))

    def show(self, what: str, done: int, total: int) -> None:
        count = self.counts.setdefault(what, [0, total, -1])
        count[0], count[1] = done, total
        tenth = done * 10 // max(total, 1)
        if self.tty:
            self.out.write(f"\r{what} {done}/{total}   " + ("\n" if done == total else ""))
        elif tenth != count[2] or done == total:
            count[2] = tenth
            self.out.write(f"{what} {done}/{total}\n")
        else:
            return
        self.out.flush()


class _NotesHandler(logging.Handler):
    """The extension's own INFO notes (German) for the author; Sphinx's chatter stays silent."""

    def __init__(self, out: IO[str]) -> None:
        super().__init__(logging.INFO)
        self.out = out

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno == logging.INFO:
            self.out.write(record.getMessage() + "\n")
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


def run_sphinx(root: Path, builder: str, outdir: Path, args: argparse.Namespace) -> tuple[int, list[str]]:
    """Build in-process: (Sphinx's status code — 1 when a strict build saw a warning —, the file
    names without suffix of the documents this configuration writes, e.g. the PDFs)."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    overrides = _overrides(args.define)
    if args.draft:
        overrides["bnk_draft"] = True
    progress = Progress(sys.stdout)
    if not sys.stderr.isatty():
        from sphinx.util.console import nocolor

        nocolor()  # warnings in a file or a pipe: no colour codes
    with patch_docutils(root), docutils_namespace():
        app = Sphinx(
            str(root),
            str(root),
            str(outdir),
            str(outdir.parent / "doctrees"),
            builder,
            confoverrides=overrides,
            status=None,  # Sphinx's English status lines: not shown (see Progress)
            warning=sys.stderr,
            freshenv=args.fresh,
            warningiserror=args.strict,
            keep_going=True,
            parallel=0,
        )
        progress.attach(app)
        try:
            app.build()
        finally:
            progress.detach()
        documents = [Path(entry[1]).stem for entry in app.config.latex_documents]
        return app.statuscode, documents


def _sphinx_stage(args: argparse.Namespace, builder: str, subdir: str) -> tuple[Path, Path, list[str]] | None:
    """Run ``builder`` on the report into ``_build/<subdir>``: (report folder, output folder, the
    documents of this configuration), or None after telling the author that the strict build failed."""
    root = _report(args.path)
    outdir = (Path(args.output).resolve() if args.output else root / "_build") / subdir
    code, documents = run_sphinx(root, builder, outdir, args)
    if code:
        say("Der strenge Bau ist gescheitert: jede Warnung oben ist ein Fehler.")
        return None
    return root, outdir, documents


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
    (bnk.latex.pdf: XeLaTeX passes, the TeX log in files, the overflow guard). With
    ``--druckerei``: the sheet with 3 mm bleed in ``_build/druckerei``, then the PDF/X-3 file for
    the print shop (bnk.latex.printshop)."""
    shop = getattr(args, "print_shop", False)
    if shop:
        args.define = [*args.define, "bnk_print_shop=1"]
    built = _sphinx_stage(args, "latex", "druckerei" if shop else "latex")
    if built is None:
        return 1
    root, outdir, documents = built
    latexmk = shutil.which("latexmk")
    if latexmk is None:
        raise CliError(
            "latexmk fehlt: für die Druckfassung wird TeX Live gebraucht (Linux: tools/ensure-deps pdf; "
            "Windows: TeX Live von https://tug.org/texlive/ oder MiKTeX installieren; MiKTeX braucht für latexmk "
            "zusätzlich Perl, z. B. Strawberry Perl)."
        )
    # The same typesetting as make pdf: XeLaTeX passes, log to a file, the overflow guard.
    from bnk.latex.pdf import typeset

    # Only this configuration's documents: after `bnk jahr` the old year's .tex stays in the
    # folder, and must neither be typeset again nor reported as finished.
    code, pdfs = typeset(root, outdir, documents)
    if code:
        raise CliError(f"Die Druckfassung ist fehlerhaft (siehe Meldungen oben; Protokolle in {outdir}).")
    if shop:
        pdfs = [_print_shop_file(pdf) for pdf in pdfs]
    for pdf in pdfs:
        say(f"Fertig: {pdf}")
    return 0


def _print_shop_file(pdf: Path) -> Path:
    """The PDF/X-3 file for the print shop from the PDF with bleed; says what it checked."""
    import pikepdf

    from bnk.latex.printshop import PrintShopError, check_print_shop_pdf, make_print_shop_pdf

    with pikepdf.open(pdf) as doc:
        title = str(doc.docinfo.get("/Title", pdf.stem))
    say("Druckerei: PDF/X-3 mit CMYK-Ausgabeprofil schreiben (Ghostscript) …")
    try:
        target = make_print_shop_pdf(pdf, title)
    except PrintShopError as exc:
        raise CliError(str(exc)) from exc
    report = check_print_shop_pdf(target)
    width, height = report.trim_mm
    say(
        f"Druckerei: {report.pages} Seiten, Endformat {width:g} × {height:g} mm, Anschnitt {report.bleed_mm:g} mm, "
        f"Ausgabebedingung {report.output_intent or 'keine'}, Schriften "
        + ("eingebettet" if report.fonts_embedded else "NICHT alle eingebettet")
        + "."
    )
    return target


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
    from bnk.pdfua import PDFUA_SUFFIX

    _, outdir, documents = built
    # As for the print PDF: the file of this configuration, never an older year's beside it.
    say(f"Fertig: {outdir / (documents[0] if documents else 'bericht')}{PDFUA_SUFFIX}")
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
    parser.add_argument(
        "--ausgabe", dest="output", metavar="ORDNER", help="Ordner für die Ergebnisse (Standard: _build im Bericht)"
    )
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


# Switches only one build command has: command -> (flag, attribute, help).
OWN_FLAGS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "html": (
        (
            "--mit-pdf",
            "with_pdf",
            "vorher Druckfassung und barrierefreies PDF bauen; die Website bietet sie zum Herunterladen an",
        ),
    ),
    "pdf": (
        (
            "--druckerei",
            "print_shop",
            "Datei für die Druckerei: 3 mm Anschnitt, PDF/X-3 in CMYK mit Ausgabeprofil (_build/druckerei)",
        ),
    ),
}


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``bnk html``, ``bnk pdf``, ``bnk pdf-barrierefrei`` and ``bnk live``."""
    for name, help_, description, func in BUILD_COMMANDS:
        parser = sub.add_parser(name, help=help_, description=description)
        _build_options(parser)
        for flag, dest, flag_help in OWN_FLAGS.get(name, ()):
            parser.add_argument(flag, dest=dest, action="store_true", help=flag_help)
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
