"""``bnk check`` is the build's read phase: Sphinx with a builder that writes nothing.

There is no second parser of pages, data or configuration: the check runs the very directives,
roles, transforms and domain checks of the build, so it reports exactly the problems the build
reports. Only writing is skipped (no pages, no charts, no reference resolution). The doctrees are
kept in ``_build/bnk-check`` so that a second check only re-reads what changed; every problem is
still reported, because problems are recorded with their page in the domain and emitted on
every build.
"""

from __future__ import annotations

import io
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.builders.dummy import DummyBuilder

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx

    from bnk.coverage import Coverage

BUILDER_NAME = "bnk-check"
# "path:line: WARNING: message [type.subtype]" (docutils messages may span several lines)
_PROBLEM_START = re.compile(r"^(?:(?P<where>.+?): )?(?P<level>WARNING|ERROR|CRITICAL|SEVERE): ")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class BnkCheckBuilder(DummyBuilder):
    """Reads every page like the HTML build, then stops: ``write-started`` runs the checks."""

    name = BUILDER_NAME
    format = "bnk-check"  # neither html nor latex: no charts are drawn or scheduled
    epilog = ""
    allow_parallel = True

    def write_documents(self, docnames: Set[str]) -> None:
        """Nothing is written (and no doctree resolved): the problems are known by now."""


@dataclass
class CheckResult:
    """What ``bnk check`` found: the build's own warnings, and the domain for ``bnk status``."""

    root: Path
    problems: list[str]  # one entry per warning, paths relative to the report
    coverage: Coverage | None
    data: dict[str, Any]
    report: dict[str, Any]
    seconds: float
    summary: str = ""
    status: str = field(default="", repr=False)


def split_warnings(text: str, root: Path) -> list[str]:
    """The warnings of a Sphinx run, one entry each, with paths relative to the report."""
    problems: list[str] = []
    for line in _ANSI.sub("", text).splitlines():
        if _PROBLEM_START.match(line):
            problems.append(line.replace(str(root) + "/", ""))
        elif problems and line.strip():
            problems[-1] += "\n" + line  # continuation of a multi-line docutils message
    return problems


def read_report(root: Path, parallel: int | None = None) -> CheckResult:
    """Run the build's read phase on the report in ``root``.

    :param parallel: processes for reading (as ``sphinx-build -j``); by default one per core, at
        most four. The extension is parallel-read safe: problems are recorded in the domain and
        merged, so the result does not depend on this number (tested).
    """
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    start = time.perf_counter()
    if parallel is None:
        parallel = min(os.cpu_count() or 1, 4)
    root = root.resolve()
    outdir = root / "_build" / BUILDER_NAME
    status, warning = io.StringIO(), io.StringIO()
    with patch_docutils(root), docutils_namespace():
        app = Sphinx(
            str(root),
            str(root),
            str(outdir),
            str(outdir / ".doctrees"),
            BUILDER_NAME,
            status=status,
            warning=warning,
            freshenv=False,
            warningiserror=False,
            parallel=parallel,
        )
        app.build()
    return _result(app, root, warning.getvalue(), status.getvalue(), time.perf_counter() - start)


def _result(app: Sphinx, root: Path, warnings: str, status: str, seconds: float) -> CheckResult:
    domain: Any = app.env.get_domain("bnk")
    coverage = domain.coverage(app.env)
    return CheckResult(
        root=root,
        problems=split_warnings(warnings, root),
        coverage=coverage,
        data=domain.data,
        report=dict(app.config.bnk_report or {}),
        seconds=seconds,
        summary=coverage.summary() if coverage is not None else "",
        status=status,
    )


def setup_check(app: Sphinx) -> None:
    """Register the ``bnk-check`` builder (``sphinx-build -b bnk-check`` works too)."""
    app.add_builder(BnkCheckBuilder)


def run_check(root: Path) -> int:
    """``bnk check``: print every problem as ``file:line: message [bnk.subtype]``, then the summary.

    :returns: 1 if there are problems, else 0
    """
    from babel.numbers import format_decimal

    result = read_report(root)
    out = [problem.replace(": WARNING: ", ": ", 1) for problem in result.problems]
    if result.summary:
        out.append(result.summary)
    seconds = format_decimal(round(result.seconds, 2), locale="de_DE")
    if result.problems:
        out.append(f"{len(result.problems)} Problem(e) gefunden (geprüft in {seconds} s).")
    else:
        out.append(f"Keine Probleme gefunden (geprüft in {seconds} s).")
    sys.stdout.write("\n".join(out) + "\n")
    return 1 if result.problems else 0
