"""The ``bnk`` command: ``bnk diff`` (review two states of a report), ``bnk new``, ``bnk check``,
``bnk status``. Messages are German (authors read them); problems end with exit code 2 and a
clear message, never a traceback."""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any, NoReturn

from bnk import __version__
from bnk.commands import CliError, germanize_argparse, say

EXPORT = "bnk-report.json"


_say = say


def _git(repo: Path, *args: str, binary: bool = False) -> Any:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    if result.returncode != 0:
        raise CliError(result.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} schlug fehl")
    return result.stdout if binary else result.stdout.decode("utf-8").strip()


def build_export(source: Path, workdir: Path, label: str) -> dict[str, Any]:
    """Build the HTML of ``source`` into ``workdir`` and return its ``bnk-report.json``.

    Without charts: the export never holds them, and drawing them was about 40 % of each side's
    build (tests/test_diff.py: exports built with charts give the same review).
    """
    out = workdir / "html"
    _say(f"Baue {label} …")
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-D", "bnk_charts=0"]
    result = subprocess.run(
        [*command, "-d", str(workdir / "doctrees"), str(source), str(out)],
        capture_output=True,
        encoding="utf-8",  # not the Windows code page: Sphinx's messages are UTF-8
        errors="replace",
        env={**os.environ, "PYTHONUTF8": "1"},
        check=False,
    )
    export = out / EXPORT
    if result.returncode != 0 or not export.exists():
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-12:])
        raise CliError(f"{label} lässt sich nicht bauen (Sphinx-Exitcode {result.returncode}):\n{tail}")
    return json.loads(export.read_text(encoding="utf-8"))


def load_side(spec: str | None, repo: Path, source: str, workdir: Path) -> tuple[dict[str, Any], str]:
    """An export for a JSON file, a git revision, or (``None``) the working tree."""
    if spec is None:
        return build_export(repo / source, workdir, "Arbeitsverzeichnis"), "Arbeitsverzeichnis"
    path = Path(spec)
    if path.suffix == ".json" and path.is_file():
        from bnk.export import export_problem

        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CliError(f"{spec} ist kein gültiger BNK-Export: {exc}") from exc
        problem = export_problem(data)
        if problem:
            raise CliError(f"{spec} ist kein BNK-Export (bnk-report.json): {problem}.")
        return data, path.name
    try:
        commit = _git(repo, "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}")
    except CliError as exc:
        raise CliError(f"„{spec}“ ist weder eine JSON-Datei noch eine Git-Revision in {repo}.") from exc
    # A temporary export of the revision: the user's working tree is never touched.
    archive = _git(repo, "archive", "--format=tar", commit, binary=True)
    tree = workdir / "src"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        extract_safely(tar, tree)
    label = f"Stand {spec} ({commit[:8]})"
    return build_export(tree / source, workdir, label), spec


_FILTER_REASONS = (
    {
        tarfile.AbsoluteLinkError: "symbolischer Link auf einen absoluten Pfad",
        tarfile.AbsolutePathError: "absoluter Pfad",
        tarfile.OutsideDestinationError: "führt aus dem Ordner heraus",
        tarfile.LinkOutsideDestinationError: "Link führt aus dem Ordner heraus",
        tarfile.SpecialFileError: "Gerätedatei oder Pipe",
    }
    if hasattr(tarfile, "data_filter")
    else {}
)


def extract_safely(tar: tarfile.TarFile, tree: Path) -> None:
    """Unpack a ``git archive``: nothing outside ``tree``, no device files.

    Python 3.11.4+ has the "data" extraction filter for this; on earlier 3.11 releases (Debian
    bookworm ships 3.11.2, as on many runners) the same rule is checked here before extracting.
    """
    if hasattr(tarfile, "data_filter"):
        try:
            tar.extractall(tree, filter="data")
        except tarfile.FilterError as exc:  # e.g. a committed symbolic link to an absolute path
            name = exc.tarinfo.name if exc.tarinfo is not None else "?"
            raise CliError(
                f"Das Git-Archiv enthält einen unzulässigen Eintrag: {name} ({_FILTER_REASONS.get(type(exc), exc)})"
            ) from None
        return
    root = tree.resolve()
    for member in tar.getmembers():
        target = (root / member.name).resolve()
        link_ok = True
        if member.issym():
            link_ok = (target.parent / member.linkname).resolve().is_relative_to(root)
        elif member.islnk():
            link_ok = (root / member.linkname).resolve().is_relative_to(root)
        if not target.is_relative_to(root) or not link_ok or member.isdev():
            raise CliError(f"Das Git-Archiv enthält einen unzulässigen Eintrag: {member.name}")
    tar.extractall(tree)  # every member checked above


def _write_output(path: Path, text: str, repo: Path) -> None:
    """A diff output through the safe writer: inside the repository, atomic, never through a
    symbolic link elsewhere – a committed ``_build`` or ``_build/diff`` pointing out of the
    checkout of a pull request included. A path outside the repository is refused."""
    from bnk.data import BnkDataError
    from bnk.data.writer import write_author_text

    try:
        write_author_text(repo, path.absolute(), text)
    except BnkDataError as exc:
        raise CliError(exc.msg) from None


def cmd_diff(args: argparse.Namespace) -> int:
    from bnk.review import POLICIES, diff_exports, to_html, to_markdown

    unknown = [p for p in args.fail_on if p not in POLICIES]
    if unknown:
        raise CliError(f"Unbekannte Regel für --fail-on: {', '.join(unknown)} (möglich: {', '.join(POLICIES)}).")
    repo = Path(args.repo).resolve()
    with tempfile.TemporaryDirectory(prefix="bnk-diff-") as tmp:
        old, old_label = load_side(args.old, repo, args.source, Path(tmp) / "old")
        new, new_label = load_side(args.new, repo, args.source, Path(tmp) / "new")
    review = diff_exports(old, new, old_label, new_label)
    markdown = to_markdown(review)
    for option, text, kind in ((args.markdown, markdown, "Markdown"), (args.html, to_html(review), "HTML")):
        if option:
            _write_output(Path(option), text, repo)
            _say(f"{kind}: {option}")
    if not args.markdown:
        sys.stdout.write(markdown)
    hit = review.triggered(args.fail_on)
    if hit:
        for policy in hit:
            _say(f"Regel verletzt (--fail-on {policy}): {POLICIES[policy]}.")
        return 1
    return 0


def _report_root(path: str) -> Path:
    root = Path(path).resolve()
    if not (root / "conf.py").is_file():
        raise CliError(f"Kein Bericht in {root}: conf.py fehlt.")
    return root


def cmd_check(args: argparse.Namespace) -> int:
    from bnk.check import run_check  # the build's read phase, not a second parser

    return run_check(_report_root(args.path))


def _table(rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join("---" for _ in rows[0]) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def cmd_status(args: argparse.Namespace) -> int:
    from bnk.check import read_report
    from bnk.coverage import STATUS_EXPLAINED, STATUS_MISSING, STATUS_REPORTED

    root = _report_root(args.path)
    report = read_report(root)
    coverage = report.coverage
    if coverage is None:
        raise CliError("Der BNK-Katalog ist fehlerhaft; bitte zuerst „bnk check“ ausführen.")
    responsible = {
        r["number"]: r["responsible"] for records in report.data["aspects"].values() for r in records if r["number"]
    }
    out: list[str] = []
    title = report.report.title or root.name
    out.append(f"# Stand: {title}" if args.markdown else f"Stand: {title}")
    out.append("")
    out.append(coverage.summary())
    if coverage.core:
        # Aspects and Kernindikatoren are counted apart (comply-or-explain holds for both).
        out.append(f"Berichtet oder begründet: {coverage.totals()}.")
        open_core = [c.code for c in coverage.core if c.status == STATUS_MISSING]
        out.append(f"Offene Kernindikatoren: {', '.join(open_core) or '–'}")
    out.append("")
    if args.by == "responsible":
        groups: dict[str, list] = {}
        for chapter in coverage.chapters:
            for aspect in chapter.aspects:
                groups.setdefault(responsible.get(aspect.number) or "ohne Zuständigkeit", []).append(aspect)
        rows = [["Zuständig", "berichtet", "begründet", "offen", "offene Aspekte"]]
        for unit in sorted(groups, key=lambda u: (u == "ohne Zuständigkeit", u)):
            aspects = groups[unit]
            open_items = [a.number for a in aspects if a.status == STATUS_MISSING]
            rows.append(
                [
                    unit,
                    str(sum(a.status == STATUS_REPORTED for a in aspects)),
                    str(sum(a.status == STATUS_EXPLAINED for a in aspects)),
                    str(len(open_items)),
                    ", ".join(open_items) or "–",
                ]
            )
    else:
        rows = [["Kapitel", "berichtet", "begründet", "offen", "offene Aspekte"]]
        for chapter in coverage.chapters:
            open_items = [a.number for a in chapter.aspects if a.status == STATUS_MISSING]
            label = chapter.heading if args.markdown else chapter.label
            if not chapter.aspects_known:
                rows.append(
                    [
                        label,
                        "–",
                        "–" if chapter.status != STATUS_EXPLAINED else "Kapitel",
                        "–",
                        "Aspekte nicht im Katalog",
                    ]
                )
                continue
            rows.append(
                [
                    label,
                    str(sum(a.status == STATUS_REPORTED for a in chapter.aspects)),
                    str(sum(a.status == STATUS_EXPLAINED for a in chapter.aspects)),
                    str(len(open_items)),
                    ", ".join(open_items) or "–",
                ]
            )
    out.append(_table(rows, args.markdown))
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def scaffold_id(stem: str) -> str:
    """A catalogue id from a table's file name ("BNK 2.0 Tabelle" → "bnk-2-0-tabelle")."""
    from bnk.scaffold import slugify

    return slugify(stem)[:40] or "katalog"


def cmd_new(args: argparse.Namespace) -> int:
    from bnk.scaffold import create_report

    target = Path(args.directory)
    own = None
    if args.katalog:
        from bnk.commands.catalogue import read_catalogue_source

        # A table is imported, a catalogue file checked: every problem before anything is written.
        paths = [Path(p) for p in args.katalog]
        default_id = scaffold_id(paths[0].stem)
        _catalogue, name, text = read_catalogue_source(paths, args.ausgabe or default_id)
        own = (name, text)
    try:
        written = create_report(target, args.kommune, args.edition, args.year, args.package, own)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:  # e.g. no write permission: a German line, not a traceback
        raise CliError(f"{target} lässt sich nicht anlegen: {exc.strerror or exc}.") from exc
    _say(f"Neuer Bericht für {args.kommune} in {target} ({len(written)} Dateien).")
    if not args.package:
        from urllib.parse import unquote, urlparse

        from bnk.scaffold import installed_source

        origin = installed_source()
        if origin and origin.startswith("file://"):
            _say(
                f"Die Werkzeuge (bnk-bericht) bezieht der neue Bericht aus {unquote(urlparse(origin).path)} "
                "auf diesem Rechner. Für andere Rechner und die Veröffentlichung: bnk new … --package "
                "git+https://…/bnk-bericht@<Version> oder die Zeile in pyproject.toml anpassen."
            )
    if os.name == "nt":  # pragma: no cover - Windows
        python, create = r".venv\Scripts\python", "py -m venv .venv"
    else:
        python, create = ".venv/bin/python", "python3 -m venv .venv"
    _say(f"Weiter: cd {target}")
    _say(f"  einmalig einrichten: {create}  und  {python} -m pip install .")
    _say(f"  dann bauen:          {python} -m bnk html  (mit make: make html, das auch einrichtet)")
    _say("Die Warnungen sind die Checkliste der offenen Aspekte; das Handbuch liegt in anleitung/.")
    return 0


def make_parser() -> argparse.ArgumentParser:
    from bnk.commands import build, catalogue, importing, year

    germanize_argparse()
    parser = argparse.ArgumentParser(prog="bnk", description="Werkzeuge für BNK-Berichte als Code.")
    parser.add_argument("--version", action="version", version=f"bnk {__version__}", help="Version zeigen")
    sub = parser.add_subparsers(dest="command", required=True, metavar="BEFEHL", title="Befehle")
    build.register(sub)
    importing.register(sub)
    year.register(sub)
    catalogue.register(sub)

    diff = sub.add_parser(
        "diff",
        help="zwei Stände eines Berichts vergleichen (Git-Revisionen oder bnk-report.json)",
        description=(
            "Vergleicht zwei Stände eines Berichts: Status und Text der Aspekte, Daten der "
            "Indikatoren (auch revidierte historische Werte), Kapitel und Praxisbeispiele. "
            "ALT und NEU sind Git-Revisionen (Tag, Branch, Commit) oder bnk-report.json-Dateien; "
            "ohne NEU gilt das Arbeitsverzeichnis."
        ),
    )
    diff.add_argument("old", metavar="ALT")
    diff.add_argument("new", metavar="NEU", nargs="?")
    diff.add_argument("--repo", default=".", help="Git-Repository des Berichts (Standard: .)")
    diff.add_argument("--source", default=".", help="Ordner mit conf.py im Repository (Standard: .)")
    diff.add_argument("--markdown", metavar="DATEI", help="Markdown in DATEI schreiben statt auf die Ausgabe")
    diff.add_argument("--html", metavar="DATEI", help="eigenständige HTML-Seite in DATEI schreiben")
    diff.add_argument(
        "--fail-on",
        metavar="REGEL",
        action="append",
        default=[],
        help="Exitcode 1, wenn die Regel greift: aspect-missing, status-change, revised-data, removed, any",
    )
    diff.set_defaults(func=cmd_diff)

    check = sub.add_parser(
        "check",
        help="Katalogabdeckung, Seiten und Daten prüfen – ohne Sphinx-Bau, in Sekunden",
        description=(
            "Prüft Kapitel und Aspekte gegen den BNK-Katalog sowie alle Indikator-, Tabellen- und Maßnahmendaten."
        ),
    )
    check.add_argument("path", nargs="?", default=".", help="Ordner des Berichts (mit conf.py)")
    check.set_defaults(func=cmd_check)

    status = sub.add_parser("status", help="Stand je Kapitel und offene Aspekte")
    status.add_argument("path", nargs="?", default=".", help="Ordner des Berichts (mit conf.py)")
    status.add_argument(
        "--by", choices=["chapter", "responsible"], default="chapter", help="gruppieren nach Kapitel oder Zuständigkeit"
    )
    status.add_argument("--markdown", action="store_true", help="als Markdown ausgeben")
    status.set_defaults(func=cmd_status)

    new = sub.add_parser("new", help="einen neuen Bericht für eine Kommune anlegen")
    new.add_argument("directory", metavar="ORDNER")
    new.add_argument("--kommune", required=True, help='Name der Kommune, z. B. "Stadt Beispiel"')
    new.add_argument("--edition", default="2021", help="BNK-Ausgabe (Standard: 2021)")
    new.add_argument("--year", type=int, default=2024, help="Berichtsjahr (Standard: 2024)")
    new.add_argument(
        "--package",
        metavar="QUELLE",
        help="Bezugsquelle von bnk-bericht: Standard ist der Paketindex (PyPI); eine Git-Adresse "
        "(git+https://…), ein Ordner oder eine Anforderung wie bnk-bericht==0.3",
    )
    new.add_argument(
        "--katalog",
        metavar="TABELLE",
        nargs="+",
        help="eigener Katalog statt --edition: eine Tabelle (xlsx oder CSV, siehe bnk katalog import) oder eine "
        "Katalogdatei (TOML); eine Seite je Kapitel in seiner Reihenfolge",
    )
    new.add_argument("--ausgabe", metavar="ID", help="Kennung des Katalogs aus der Tabelle (Standard: Dateiname)")
    new.set_defaults(func=cmd_new)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``bnk`` console script."""
    for stream in (sys.stdout, sys.stderr):
        # Redirected to a file or pipe on Windows, Python would write the ANSI code page: always UTF-8.
        if not stream.isatty() and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except CliError as exc:
        _say(f"Fehler: {exc}")
        return 2
    except KeyboardInterrupt:
        _say("Abgebrochen.")
        return 130
    except BrokenPipeError:
        # The reader stopped early (e.g. `bnk check | head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def console() -> NoReturn:
    """The ``bnk`` console script and ``python -m bnk``: :func:`main`, then a quick exit.

    At exit CPython runs a last garbage collection over every object still alive; after a check
    or a build that is the whole Sphinx environment, about half a second of pure teardown on the
    sample report. Freezing the heap first skips that pass (the operating system frees the
    memory anyway); standard streams are still flushed. Only for the process entry point: tests
    call :func:`main` in-process, where a frozen heap would never be collected.
    """
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    console()
