"""The ``bnk`` command: ``bnk diff`` (review two states of a report), ``bnk new``, ``bnk check``,
``bnk status``. Messages are German (authors read them); problems end with exit code 2 and a
clear message, never a traceback."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from bnk import __version__

EXPORT = "bnk-report.json"


class CliError(Exception):
    """A problem to report to the user (exit code 2)."""


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)  # noqa: T201 - progress for the user


def _git(repo: Path, *args: str, binary: bool = False) -> Any:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    if result.returncode != 0:
        raise CliError(result.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} schlug fehl")
    return result.stdout if binary else result.stdout.decode("utf-8").strip()


def build_export(source: Path, workdir: Path, label: str) -> dict[str, Any]:
    """Build the HTML of ``source`` into ``workdir`` and return its ``bnk-report.json``."""
    out = workdir / "html"
    _say(f"Baue {label} …")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-d", str(workdir / "doctrees"), str(source), str(out)],
        capture_output=True,
        text=True,
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
        try:
            return json.loads(path.read_text(encoding="utf-8")), path.name
        except (OSError, json.JSONDecodeError) as exc:
            raise CliError(f"{spec} ist kein gültiger BNK-Export: {exc}") from exc
    try:
        commit = _git(repo, "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}")
    except CliError as exc:
        raise CliError(f"„{spec}“ ist weder eine JSON-Datei noch eine Git-Revision in {repo}.") from exc
    # A temporary export of the revision: the user's working tree is never touched.
    archive = _git(repo, "archive", "--format=tar", commit, binary=True)
    tree = workdir / "src"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(tree, filter="data")
    label = f"Stand {spec} ({commit[:8]})"
    return build_export(tree / source, workdir, label), spec


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
    if args.markdown:
        Path(args.markdown).parent.mkdir(parents=True, exist_ok=True)
        Path(args.markdown).write_text(markdown, encoding="utf-8")
        _say(f"Markdown: {args.markdown}")
    if args.html:
        Path(args.html).parent.mkdir(parents=True, exist_ok=True)
        Path(args.html).write_text(to_html(review), encoding="utf-8")
        _say(f"HTML: {args.html}")
    if not args.markdown:
        sys.stdout.write(markdown)
    hit = review.triggered(args.fail_on)
    if hit:
        for policy in hit:
            _say(f"Regel verletzt (--fail-on {policy}): {POLICIES[policy]}.")
        return 1
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bnk", description="Werkzeuge für BNK-Berichte als Code.")
    parser.add_argument("--version", action="version", version=f"bnk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

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
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``bnk`` console script."""
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


if __name__ == "__main__":
    sys.exit(main())
