"""Registration hub: every feature module registers its own nodes, directives and events here."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util.fileutil import copy_asset_file

from bnk.authoring import setup_authoring
from bnk.boundary import PROGRESS_EVENT, add_node, connect
from bnk.check import setup_check
from bnk.config import setup_config
from bnk.directives.accessibility import setup_accessibility
from bnk.directives.aspect import setup_aspects
from bnk.directives.chapter import setup_chapters
from bnk.directives.chapter_grid import setup_chapter_grid
from bnk.directives.core import setup_core_indicators
from bnk.directives.design import setup_design
from bnk.directives.errata import setup_errata
from bnk.directives.example import setup_examples
from bnk.directives.imprint import setup_imprint
from bnk.directives.index_ import setup_indexes
from bnk.directives.indicator import setup_indicators
from bnk.directives.lang import setup_lang
from bnk.directives.measures import setup_measures
from bnk.directives.medium import setup_media
from bnk.directives.overview import setup_overview
from bnk.directives.table import setup_tables
from bnk.directives.value import setup_values
from bnk.domain import BnkDomain, check_coverage, collect_refs, log_summary
from bnk.encoding import setup_encoding
from bnk.export import write_export
from bnk.html import setup_html
from bnk.latex import setup_latex
from bnk.nodes import (
    bnk_chapter_grid,
    bnk_chart,
    bnk_index,
    bnk_indicator_list,
    bnk_sdg_index,
    bnk_wordbreak,
    html_visit_wordbreak,
    latex_visit_wordbreak,
)
from bnk.pdfua import setup_pdfua
from bnk.transforms import note_changed_pages, process_placeholders, updated_index_pages
from bnk.writers import (
    html_visit_bnk_chart,
    join_chart_pool,
    latex_visit_bnk_chart,
    start_chart_pool,
    text_visit_bnk_chart,
    warm_chart_pool,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx

STATIC_DIR = Path(__file__).parent / "static"
# Jinja markup left in a file means it was copied, not rendered.
UNRENDERED_RE = re.compile(r"\{%-?\s|\{\{-?\s")


def setup_extension(app: Sphinx) -> None:
    """Register everything of the extension.

    :param app: the Sphinx application
    """
    app.setup_extension("myst_parser")
    setup_config(app)
    setup_encoding(app)
    setup_html(app)
    app.add_domain(BnkDomain)
    for node in (bnk_index, bnk_sdg_index, bnk_indicator_list, bnk_chapter_grid):
        add_node(app, node)  # placeholders: replaced at doctree-resolved
    setup_chapters(app)
    setup_aspects(app)
    setup_core_indicators(app)
    setup_examples(app)
    setup_errata(app)
    setup_indexes(app)
    setup_chapter_grid(app)
    setup_design(app)
    setup_media(app)
    add_node(app, bnk_chart, html_visit_bnk_chart, latex_visit_bnk_chart, text_visit_bnk_chart)
    add_node(app, bnk_wordbreak, html_visit_wordbreak, latex_visit_wordbreak)
    setup_indicators(app)
    setup_tables(app)
    setup_values(app)
    setup_lang(app)
    setup_measures(app)
    setup_overview(app)
    setup_imprint(app)
    setup_accessibility(app)
    setup_latex(app)
    setup_check(app)
    setup_pdfua(app)
    connect(app, "build-finished", write_export)
    app.add_css_file("bnk.css")
    app.add_css_file("bnk-print.css", media="print")
    app.add_js_file("bnk-search.js")
    connect(app, "build-finished", copy_static_files)
    connect(app, "env-get-outdated", note_changed_pages, fallback=[])
    connect(app, "env-get-updated", updated_index_pages, fallback=[])
    connect(app, "doctree-resolved", process_placeholders)
    connect(app, "doctree-read", collect_refs)
    # write-started runs on every build, also when no page was re-read: an unchanged page must
    # not hide a missing aspect.
    # Every handler goes through the boundary: a bug becomes a bnk.internal warning.
    connect(app, "write-started", check_coverage)
    # Charts are drawn in the background while Sphinx writes the pages.
    app.add_event(PROGRESS_EVENT)
    connect(app, "env-before-read-docs", warm_chart_pool)
    connect(app, "write-started", start_chart_pool)
    connect(app, "build-finished", join_chart_pool, priority=100)
    connect(app, "build-finished", log_summary, priority=900)
    setup_authoring(app)


def copy_static_files(app: Sphinx, exception: Exception | None) -> None:
    """Ship the extension's CSS and script with HTML builds (without touching ``html_static_path``,
    which would count as a configuration change and rewrite every page on the next build), and
    take out of ``_static`` what a theme ships unrendered (pydata-sphinx-theme's Jinja macros
    ``webpack-macros.html``): nothing in the site is a template."""
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    for name in ("bnk.css", "bnk-print.css", "bnk-search.js"):
        copy_asset_file(STATIC_DIR / name, static, force=True)
    for page in static.rglob("*.html"):
        if UNRENDERED_RE.search(page.read_text(encoding="utf-8", errors="replace")):
            page.unlink()
