"""The Kommune's identity on the web: colours as CSS variables, the logo in the header, and the
footer of every page (Impressum, Datenschutz, Barrierefreiheit, Leichte Sprache, website).

Everything comes from the report model (:func:`bnk.config.get_report`); nothing is typed here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bnk.config import get_report, key_line, line_in, report_for
from bnk.data.guards import html_text
from bnk.warnings_ import BnkWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from bnk.data.report import Report

DESIGN_CSS = "bnk-design.css"
TEMPLATES = Path(__file__).parent / "templates"
# The pages every report has (bnk new creates them) and the footer's default link targets.
IMPRINT_PAGE = "impressum"
PRIVACY_PAGE = "datenschutz"
STATEMENT_PAGE = "barrierefreiheit"
EASY_LANGUAGE_PAGE = "leichte-sprache"


def design_css(report: Report) -> str:
    """``bnk-design.css``: the model's colours as CSS variables, also for the theme's own."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined, autoescape=False)
    design = report.design
    # The model checked every colour (#RRGGBB, WCAG AA on white): safe to write into CSS.
    return env.get_template(f"{DESIGN_CSS}.jinja").render(
        primary=design.primary, secondary=design.secondary or design.primary, cover=design.cover_colour
    )


def apply_identity(app: Sphinx, config: Config) -> None:
    """``config-inited``: the logo in the site header, with alt text from the Kommune's name.

    What conf.py sets itself (``html_logo``, ``html_theme_options["logo"]``) wins.
    """
    report = report_for(app)
    if report.design.logo and not config.html_logo:
        config.html_logo = report.design.logo
    if report.design.logo and report.kommune.name and config.html_theme == "bnk":
        options = dict(config.html_theme_options or {})
        logo = dict(options.get("logo") or {})
        logo.setdefault("alt_text", f"Logo {report.kommune.name} – zur Startseite")
        options["logo"] = logo
        config.html_theme_options = options


def check_pages(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs`` (every build): an Impressum or Datenschutz link to a page of the
    report that does not exist is a ``bnk.config`` warning."""
    report = get_report(env)
    conf_py = Path(app.confdir) / "conf.py"
    for key, target in (("imprint", report.links.imprint), ("privacy", report.links.privacy)):
        if target and "://" not in target and target not in env.found_docs:
            line = key_line(conf_py, "bnk_report", key) or line_in(conf_py, "bnk_report")
            warn(
                f"bnk_report[{key!r}] nennt die Seite {target!r}, die es im Bericht nicht gibt "
                f"(erwartet z. B. {target}.md neben conf.py, oder eine Adresse mit https://).",
                BnkWarning.CONFIG,
                f"{conf_py}:{line}" if line else None,
            )


def footer_links(report: Report, found: set[str] | Any, pathto: Any, pagename: str) -> list[tuple[str, str]]:
    """The footer's links (text, href) for one page: each that exists, never to the page itself."""
    links: list[tuple[str, str]] = []
    for text, target, default in (
        ("Impressum", report.links.imprint, IMPRINT_PAGE),
        ("Datenschutz", report.links.privacy, PRIVACY_PAGE),
        ("Erklärung zur Barrierefreiheit", "", STATEMENT_PAGE),
        ("Leichte Sprache", "", EASY_LANGUAGE_PAGE),
    ):
        if "://" in target:
            links.append((text, target))
        elif (target or default) in found and (target or default) != pagename:
            links.append((text, pathto(target or default)))
    if report.kommune.website:
        name = report.kommune.name or "Kommune"
        links.append((f"Website: {name}", report.kommune.website))
    return links


def add_page_footer(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``: the footer links at the end of every page's body.

    Appended to the body, so the links are on every page whatever the report's theme.
    """
    if app.builder.format != "html" or app.builder.name == "bnk-pdfua" or "body" not in context:
        return
    links = footer_links(get_report(app.env), app.env.found_docs, context["pathto"], pagename)
    if links:
        items = " · ".join(f'<a href="{html_text(href)}">{html_text(text)}</a>' for text, href in links)
        context["body"] += f'<footer class="bnk-page-footer"><p>{items}</p></footer>'


def write_design_css(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write ``_static/bnk-design.css`` for HTML builds (only if changed)."""
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.outdir) / "_static" / DESIGN_CSS
    content = design_css(get_report(app.env))
    if not path.exists() or path.read_text(encoding="utf-8") != content:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def setup_identity(app: Sphinx) -> None:
    """Register the colours, the logo and the footer."""
    from bnk.boundary import connect

    connect(app, "config-inited", apply_identity, priority=800)
    connect(app, "env-before-read-docs", check_pages)
    connect(app, "html-page-context", add_page_footer)
    connect(app, "build-finished", write_design_css)
    app.add_css_file(DESIGN_CSS)
