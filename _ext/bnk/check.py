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
import logging
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.builders.dummy import DummyBuilder
from sphinx.util.logging import SafeEncodingWriter, WarningStreamHandler

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx

    from bnk.coverage import Coverage
    from bnk.data.report import Report

BUILDER_NAME = "bnk-check"


class ProblemCollector(WarningStreamHandler):
    """A warning handler on Sphinx's logger: every warning of the run as one entry, taken from the
    log record itself, not from the text Sphinx prints.

    It is a ``WarningStreamHandler``, so Sphinx treats it like its own warning handler: it holds
    it back while warnings are postponed (reading, parallel workers) and hands it each warning
    once, after its own handler has put the location ("path:line") and "[type.subtype]" on the
    record. Attached by :func:`setup_check` while :func:`read_report` creates the application, so
    that the configuration's warnings (``config-inited``, inside ``Sphinx()``) are collected too.
    """

    def __init__(self, root: Path) -> None:
        super().__init__(SafeEncodingWriter(io.StringIO()))  # nothing is written to it
        self.setLevel(logging.WARNING)
        self.root = root
        self.problems: list[str] = []

    def attach(self, app: Sphinx) -> None:
        """Listen on Sphinx's logger; ``suppress_warnings`` applies as in the build."""
        from sphinx.util.logging import NAMESPACE, WarningSuppressor

        self.addFilter(WarningSuppressor(app))
        logging.getLogger(NAMESPACE).addHandler(self)

    def detach(self) -> None:
        from sphinx.util.logging import NAMESPACE

        logging.getLogger(NAMESPACE).removeHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        self.problems.append(record.getMessage().replace(str(self.root) + "/", ""))


# The collector of the read_report() call in progress (one at a time, like a Sphinx application).
_collector: ProblemCollector | None = None


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
    report: Report
    seconds: float
    summary: str = ""
    status: str = field(default="", repr=False)


def read_report(root: Path, parallel: int | None = None) -> CheckResult:
    """Run the build's read phase on the report in ``root``.

    :param parallel: processes for reading (as ``sphinx-build -j``); by default one per core, at
        most four. The extension is parallel-read safe: problems are recorded in the domain and
        merged, so the result does not depend on this number (tested).
    """
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    global _collector  # noqa: PLW0603 (handed to setup_check inside Sphinx())

    start = time.perf_counter()
    if parallel is None:
        parallel = min(os.cpu_count() or 1, 4)
    root = root.resolve()
    outdir = root / "_build" / BUILDER_NAME
    status, warning = io.StringIO(), io.StringIO()
    collector = _collector = ProblemCollector(root)
    try:
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
    finally:
        _collector = None
        collector.detach()
    return _result(app, root, collector.problems, status.getvalue(), time.perf_counter() - start)


def _result(app: Sphinx, root: Path, problems: list[str], status: str, seconds: float) -> CheckResult:
    from bnk.config import get_report
    from bnk.domain import get_bnk_domain

    domain = get_bnk_domain(app.env)
    coverage = domain.coverage(app.env)
    return CheckResult(
        root=root,
        problems=problems,
        coverage=coverage,
        data=domain.data,
        report=get_report(app.env),
        seconds=seconds,
        summary=coverage.summary() if coverage is not None else "",
        status=status,
    )


def setup_check(app: Sphinx) -> None:
    """Register the ``bnk-check`` builder (``sphinx-build -b bnk-check`` works too), and let the
    collector of a running :func:`read_report` listen to this application's warnings."""
    app.add_builder(BnkCheckBuilder)
    if _collector is not None:
        _collector.attach(app)


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
