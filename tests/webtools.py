"""Shared tools of the browser tests: a local server, Debian's Chromium through Playwright,
axe-core and the Nu Html Checker from the npm packages pinned in package.json."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO / "_build" / "screenshots"
HF10 = "handlungsfelder/10-klimaschutz-und-energie.html"
CHROMIUM = os.environ.get("BNK_CHROMIUM") or shutil.which("chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "mobile": {"width": 375, "height": 812}}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NODE_MODULES = REPO / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    sync_playwright = None

NEEDS_CHROMIUM = pytest.mark.skipif(
    CHROMIUM is None or sync_playwright is None,
    reason="Chromium fehlt; installieren mit: sudo apt-get install --no-install-recommends chromium",
)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on a free loopback port; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def pages_of(root: Path) -> list[str]:
    """Every HTML page of a build (theme assets in _static are not pages)."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html") if "_static" not in p.parts)


def ensure_npm_tools() -> None:
    """Install the pinned axe-core and vnu-jar (package-lock.json) with ``npm ci`` when missing.

    Install scripts are not run: vnu-jar's would download a Java runtime; Debian's is used.
    """
    lock = REPO / "package-lock.json"
    stamp = NODE_MODULES / ".package-lock.json"
    # The test processes of make test (pytest-xdist) share node_modules: `npm ci` deletes it first,
    # so one process installs while the others wait, then find it in place.
    SCREENSHOTS.parent.mkdir(exist_ok=True)
    with (SCREENSHOTS.parent / ".npm-tools.lock").open("w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        if AXE_JS.exists() and VNU_JAR.exists() and stamp.exists() and stamp.stat().st_mtime >= lock.stat().st_mtime:
            return
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail(
                "npm fehlt (tools/ensure-deps installiert es); axe-core und vnu-jar lassen sich nicht einrichten"
            )
        subprocess.run(
            [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=REPO,
            check=True,
            stdin=subprocess.DEVNULL,
        )


AXE_RUN = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"


def run_axe(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations of the loaded page."""
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(AXE_RUN, AXE_TAGS)["violations"]


def describe(violations: list[dict], where: str) -> list[str]:
    """One readable line per violating node."""
    return [
        f"{where}: {v['id']} ({v['impact']}) {' '.join(map(str, node['target']))}"
        for v in violations
        for node in v["nodes"]
    ]


@contextlib.contextmanager
def one_tab(browser, viewport: dict, init_script: Path | None = None) -> Iterator:
    """One browser tab at ``viewport`` to visit page after page (``page.goto`` loads each fresh).

    A new browser context per page costs about half a second; over every page of two reports at
    two widths that was minutes of the test run. ``init_script`` runs in every page before its
    own scripts (axe-core: loaded once from disk, not sent again per page).
    """
    context = browser.new_context(viewport=viewport)
    try:
        if init_script is not None:
            context.add_init_script(path=str(init_script))
        yield context.new_page()
    finally:
        context.close()


def axe_site(browser, base: str, pages: list[str], viewport: dict) -> list[str]:
    """Every violation of every page at one viewport, each page loaded fresh at that width."""
    problems: list[str] = []
    with one_tab(browser, viewport, init_script=AXE_JS) as page:
        for name in pages:
            page.goto(base + name, wait_until="load")
            problems += describe(page.evaluate(AXE_RUN, AXE_TAGS)["violations"], f"{name} @{viewport['width']}px")
    return problems


def findings_on_every_page(
    browser, site: tuple[Path, str], viewport: dict, scripts: dict[str, str], settle_ms: int = 0
) -> dict[str, list[str]]:
    """Every page of a served site loaded once at ``viewport``, every script (JavaScript returning
    a list) run on it: per script, one "page @width: item" per finding."""
    root, base = site
    found: dict[str, list[str]] = {key: [] for key in scripts}
    with one_tab(browser, viewport) as page:
        for name in pages_of(root):
            page.goto(base + name, wait_until="load")
            if settle_ms:
                page.wait_for_timeout(settle_ms)
            for key, script in scripts.items():
                found[key] += [f"{name} @{viewport['width']}px: {item}" for item in page.evaluate(script)]
    return found


def vnu_errors(files: list[Path]) -> list[str]:
    """Errors of the Nu Html Checker for the given HTML files (one Java start for all)."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java fehlt (tools/ensure-deps installiert default-jre-headless)")
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{m.get('url', '').rsplit('/', 2)[-1]}:{m.get('lastLine')}: {m['type']}: {m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]
