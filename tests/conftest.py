"""Shared fixtures: Sphinx test applications built from small roots in tests/roots."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

pytest_plugins = "sphinx.testing.fixtures"
collect_ignore = ["roots"]

ANSI = re.compile(r"\x1b\[[0-9;]*m")


ROOTS = Path(__file__).parent / "roots"

# The fast layer (make test-schnell: -m "not tex and not browser and not langsam") is these
# modules: the data layer, the importers, the parsers' property tests, small test roots and the
# installer checks — no TeX, no browser, no whole report built by Sphinx. Every other module
# builds a whole report (Heinsberg, Düren or a new one) and is the slow layer as a whole; a slow
# test inside a fast module carries its own mark. A new module is slow until it is listed here,
# so the fast layer keeps its minute.
FAST_MODULES = {
    "test_catalogue",
    "test_charts",
    "test_csvdata",
    "test_deps",
    "test_dueren_text",
    "test_families",
    "test_fuzz",
    "test_import",
    "test_lint",
    "test_numbers",
    "test_sdgs",
    "test_status",
    "test_tables",
}


# make test runs the modules on every core (pytest-xdist, --dist loadfile --no-loadscope-reorder):
# the longest modules start first, so no core is left with a long one at the end. Ranked by what
# they took in make test (measured with --durations=0, see BENCHMARKS.md); the rest keep their order.
LONGEST_FIRST = (
    "test_a11y",
    "test_workflow",
    "test_install",
    "test_pdf",
    "test_install_readme",
    "test_pdfua",
    "test_web_classes",
    "test_bad_input",
    "test_diff",
    "test_report",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.module.__name__ if item.module else "", len(rank)))
    # Large-budget property runs take minutes: only when asked for (pytest -m fuzz).
    fuzz_asked = "fuzz" in (config.option.markexpr or "")
    for item in items:
        if item.module is not None and item.module.__name__ not in FAST_MODULES:
            item.add_marker(pytest.mark.langsam)
        if "fuzz" in item.keywords and not fuzz_asked:
            item.add_marker(pytest.mark.skip(reason="großes Fuzz-Budget: pytest -m fuzz"))


# Every bnk-report.json written by any test (also in subprocesses) is validated against the
# shipped JSON Schema; a violation makes the build report bnk.internal and the test fail.
os.environ["BNK_VALIDATE_EXPORT"] = "1"


@pytest.fixture(scope="session")
def heinsberg(tmp_path_factory):
    """The real report, copied and built strictly once per test process: (srcdir, status, warnings).

    A whole-report build is the most expensive step of the suite: every module that only reads
    the built site shares this one (never write into it). It is built in the scratch folder of
    :func:`heinsberg_scratch` and copied from there, so its doctrees fit that folder.
    """
    from test_report import build, copy_report

    scratch = _scratch_path(tmp_path_factory)
    copy_report(scratch)
    status, warnings = build(scratch, warningiserror=True, keep_going=True)
    shared = tmp_path_factory.mktemp("heinsberg") / "src"
    shutil.copytree(scratch, shared, symlinks=True)
    return shared, status, warnings


def _scratch_path(tmp_path_factory) -> Path:
    return tmp_path_factory.getbasetemp() / "heinsberg-scratch" / "src"


@pytest.fixture(scope="session")
def heinsberg_scratch(heinsberg, tmp_path_factory):
    """A fresh copy of the built report to change and rebuild *incrementally*: call it for the
    source folder. Sphinx keeps a built environment only in the folder it was built in, so every
    copy lands in the same folder of this test process (one test uses it at a time); file times
    are kept, so the next build reads only the pages a change touches – as an author's does."""

    def make() -> Path:
        scratch = _scratch_path(tmp_path_factory)
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.copytree(heinsberg[0], scratch, symlinks=True)
        return scratch

    return make


@pytest.fixture(scope="session")
def site(heinsberg):
    """The real report's HTML served on loopback: (html root, base URL)."""
    from webtools import serve

    root = heinsberg[0] / "_build/html"
    with serve(root) as base:
        yield root, base


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    from webtools import CHROMIUM, FLAGS, sync_playwright

    if CHROMIUM is None or sync_playwright is None:
        pytest.skip("Chromium fehlt; installieren mit: sudo apt-get install --no-install-recommends chromium")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def make_bnk_app(make_app, tmp_path):
    """Build a test root in its own copy, so tests may edit its files freely.

    Call ``make_bnk_app("basic")`` for a fresh copy; call it again with ``srcdir=`` of an earlier
    app to build the same tree incrementally.
    """

    copies = iter(range(1, 1000))

    def make(testroot: str, buildername: str = "html", srcdir: Path | None = None, prepare=None, **kwargs):
        if srcdir is None:
            srcdir = tmp_path / f"{testroot}-{next(copies)}"
            shutil.copytree(ROOTS / f"test-{testroot}", srcdir)
        if prepare is not None:
            prepare(srcdir)  # e.g. edit conf.py, which the application reads when it starts
        return make_app(buildername, srcdir=srcdir, **kwargs)

    return make


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where the Sphinx test roots live (``test-<name>`` folders)."""
    return Path(__file__).parent / "roots"


def warnings_of(app) -> list[str]:
    """The build's warnings, colour-free, with the source dir replaced by ``<srcdir>``."""
    text = ANSI.sub("", app.warning.getvalue())
    text = text.replace(str(app.srcdir) + "/", "<srcdir>/")
    return [line for line in text.splitlines() if line.strip()]


def bnk_warnings_of(app) -> list[str]:
    """Only the ``bnk`` warnings of a build."""
    return [w for w in warnings_of(app) if "[bnk." in w]
