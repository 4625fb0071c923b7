"""The HTML edition: the ``bnk`` theme (pydata-sphinx-theme with German labels and chapter
navigation), sphinx-design for cards, tabs and badges, and the accessibility post-processing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from bnk.boundary import BnkPostTransform, connect
from bnk.html.downloads import setup_downloads
from bnk.html.identity import setup_identity
from bnk.html.translator import setup_translator

if TYPE_CHECKING:
    from sphinx.application import Sphinx

THEME_DIR = Path(__file__).parent / "theme" / "bnk"
TEMPLATES_DIR = Path(__file__).parent / "templates"


def setup_html(app: Sphinx) -> None:
    """Register the theme, sphinx-design and the page-context handler.

    :param app: the Sphinx application
    """
    # sphinx-design's nodes must be known to every builder (LaTeX included), so it is loaded here
    # and not left to each report's conf.py.
    app.setup_extension("sphinx_design")
    app.add_html_theme("bnk", str(THEME_DIR))
    setup_translator(app)
    # Our components must win over pydata-sphinx-theme's, which that theme puts on templates_path
    # (not in its theme directory); a report's own templates_path still comes first.
    paths = app.config.templates_path
    ours = str(TEMPLATES_DIR)
    if ours not in paths:
        pydata = [i for i, p in enumerate(paths) if str(p).endswith("pydata_sphinx_theme/components")]
        paths.insert(pydata[0] if pydata else len(paths), ours)
    app.add_post_transform(TableCaptionTransform)
    setup_downloads(app)
    connect(app, "html-page-context", page_context)
    setup_identity(app)


class TableCaptionTransform(BnkPostTransform):
    """HTML only: a table's ``bnk_caption`` becomes its ``<caption>`` (the print layout of the
    tables is left to the LaTeX side, which has no caption there)."""

    default_priority = 200
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for table in self.document.findall(nodes.table):
            add_caption(table, self.document)


def add_caption(table: nodes.table, document: nodes.document) -> None:
    """A table's ``bnk_caption`` becomes its title (HTML ``<caption>``), once."""
    caption = table.get("bnk_caption")
    if caption and not any(isinstance(c, nodes.title) for c in table.children):
        title = nodes.title(caption, caption, classes=["bnk-table-caption"])
        title["support_smartquotes"] = False
        table.insert(0, title)
        if not table["ids"]:
            # A captioned table is enumerable; Sphinx's writer wants an id for it.
            document.set_id(table)


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Values the theme's templates read: the footer links and the (only tested) light mode."""
    from bnk.config import get_bnk_config

    # Only the light colours are checked for contrast; the theme has no colour-mode switch.
    context["default_mode"] = "light"
    links = []
    for link in get_bnk_config(app.env).footer_links:
        if "doc" in link:
            if link["doc"] not in app.env.all_docs:
                continue
            url = context["pathto"](link["doc"])
        else:
            url = link["url"]
        links.append({"url": url, "text": link["text"]})
    context["bnk_footer_links"] = links
