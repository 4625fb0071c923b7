"""HTML translator additions for accessible tables.

Only these things are added to Sphinx's HTML5 translator (pydata-sphinx-theme mixes its own
Bootstrap changes on top of whatever translator is registered):

- header cells get ``scope="col"`` (in ``<thead>``) or ``scope="row"`` (stub columns), so that a
  screen reader announces the year and the series of every number;
- German titles of the permalinks;
- the theme's horizontal scroll container around a table becomes a named region
  (``role="region"`` + ``aria-label`` from the table's caption), so keyboard users can reach it
  (the theme sets ``tabindex="0"`` when the table overflows) and screen readers can name it;
- the big text tables (data tables ``bnk-table``, the generated indexes ``bnk-index-table``) are
  readable on a phone: their first column labels the row (``<th scope="row">``), every other
  cell carries its column header (``data-label``), the class ``bnk-stack`` lets the stylesheet
  show one block per row below 576 px, and a table built after the post-transforms (the
  indexes, at ``doctree-resolved``) gets its ``<caption>`` here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.writers.html5 import HTML5Translator

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SCROLL_DIV = '<div class="pst-scrollable-table-container">'
# Tables of text whose rows are read one by one: stacked on a phone.
STACKED = ("bnk-table", "bnk-index-table")
# Sphinx's German catalogue lacks these (its strings changed in Sphinx 7); the page is German.
PERMALINK_TITLES = {
    "Link to this heading": "Link zu dieser Überschrift",
    "Link to this table": "Link zu dieser Tabelle",
    "Link to this image": "Link zu diesem Bild",
    "Link to this code": "Link zu diesem Code",
    "Link to this definition": "Link zu dieser Definition",
    "Link to this equation": "Link zu dieser Formel",
}


def table_label(node: nodes.table) -> str:
    """The accessible name of a table: its caption, else a generic German label."""
    for child in node.children:
        if isinstance(child, nodes.title):
            return "Tabelle: " + child.astext()
    return "Tabelle"


def prepare_stacked(table: nodes.table, document: nodes.document) -> None:
    """A big text table: its caption, the class ``bnk-stack``, the first column as row headers."""
    if not any(c in table["classes"] for c in STACKED) or "bnk-stack" in table["classes"]:
        return
    from bnk.html import add_caption

    add_caption(table, document)
    table["classes"].append("bnk-stack")
    colspecs = [c for group in table.findall(nodes.tgroup) for c in group.children if isinstance(c, nodes.colspec)]
    if colspecs:
        colspecs[0]["stub"] = 1


def column_label(entry: nodes.entry) -> str:
    """The header text of a body cell's column in a stacked table ("" elsewhere)."""
    tgroup = entry.parent.parent.parent
    table = tgroup.parent
    if not isinstance(table, nodes.table) or "bnk-stack" not in table["classes"]:
        return ""
    thead = next((c for c in tgroup.children if isinstance(c, nodes.thead)), None)
    if thead is None or not thead.children:
        return ""
    header = thead.children[0]
    column = entry.parent.index(entry)
    return header.children[column].astext().strip() if column < len(header.children) else ""


class BnkHTML5Translator(HTML5Translator):
    """Sphinx's HTML5 translator with header scopes and named table scroll regions."""

    def add_permalink_ref(self, node: nodes.Element, title: str) -> None:
        super().add_permalink_ref(node, PERMALINK_TITLES.get(title, title))

    def starttag(self, node: nodes.Element, tagname: str, suffix: str = "\n", empty: bool = False, **attributes):  # type: ignore[override]
        if tagname == "table" and isinstance(node, nodes.table):
            # Here, not in visit_table: pydata-sphinx-theme's visit_table does not call super().
            prepare_stacked(node, self.document)
        if tagname == "table" and isinstance(node, nodes.table) and self.body and self.body[-1] == SCROLL_DIV:
            # pydata-sphinx-theme has just opened its scroll container: name it after the table.
            label = self.attval(table_label(node))
            self.body[-1] = (
                f'<div class="pst-scrollable-table-container" role="region" aria-label="{label}" tabindex="0">'
            )
        if tagname == "th" and isinstance(node, nodes.entry):
            attributes.setdefault("scope", "col" if isinstance(node.parent.parent, nodes.thead) else "row")
        if tagname == "td" and isinstance(node, nodes.entry):
            label = column_label(node)
            if label:
                # The stylesheet shows it before the cell ("Status: berichtet", "Welche? …").
                attributes["data-label"] = label + (" " if label[-1] in "?:" else ": ")
        return super().starttag(node, tagname, suffix, empty, **attributes)


def setup_translator(app: Sphinx) -> None:
    """Register the translator for the HTML builders (the theme wraps it with its mixin)."""
    # bnk-pdfua: the accessible PDF gets the same row headers and captions.
    for builder in ("html", "dirhtml", "singlehtml", "bnk-pdfua"):
        app.set_translator(builder, BnkHTML5Translator, override=True)


__all__ = ["BnkHTML5Translator", "setup_translator", "table_label"]
