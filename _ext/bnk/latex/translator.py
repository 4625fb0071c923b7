"""The LaTeX translator of the report: Sphinx's own, with the few print-only additions.

- an indicator section opens a unit box (closed by the ``\\bnkunitend`` placed after its chart);
- a BNK chapter section announces its opener (kind, number, title) and sets a short running head;
- references marked ``bnk-pageref`` (the index pages) get their page number;
- a chapter title with a word longer than the line is set smaller (``\\bnkchaptersize``);
- in a table cell, "/" is a break point ("Amt/Stabsstelle" may break after the slash; the column
  widths of ``bnk.latex.widths`` count on it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.writers.latex import LaTeXTranslator

from bnk.latex.package import CHAPTER_TITLE_PT, chapter_title_size

if TYPE_CHECKING:
    from docutils.nodes import Element


class BnkLaTeXTranslator(LaTeXTranslator):
    """Sphinx's LaTeX translator plus the report's print layout hooks."""

    def visit_section(self, node: Element) -> None:
        super().visit_section(node)
        if node.get("bnk_unit"):
            self.body.append("\\bnkunitbegin\n")
        opener = node.get("bnk_opener")
        if opener:
            kind, number, title, style, _ = (self.encode(part) for part in opener)
            self.body.append(f"\\bnkopener{{{kind}}}{{{number}}}{{{title}}}{{{style}}}\n")

    def visit_title(self, node: Element) -> None:
        parent = node.parent
        level = self.sectionlevel
        chapter = 0 <= level < len(self.sectionnames) and self.sectionnames[level] == "chapter"
        if isinstance(parent, nodes.section) and chapter:
            size, leading = chapter_title_size(node.astext())
            if size != CHAPTER_TITLE_PT:
                self.body.append(f"\\bnkchaptersize{{{size:g}}}{{{leading:g}}}\n")
        super().visit_title(node)

    def depart_title(self, node: Element) -> None:
        super().depart_title(node)
        parent = node.parent
        if isinstance(parent, nodes.section) and parent.get("bnk_opener"):
            self.body.append(f"\\bnkchaptermark{{{self.encode(parent['bnk_opener'][4])}}}\n")

    def depart_paragraph(self, node: Element) -> None:
        super().depart_paragraph(node)
        # The SDG badges under a heading, and a head line of the SDG index, belong to what
        # follows them: no page break after them (as after a heading; the heading's own break
        # point, before it, takes the heading and its badges along).
        if {"bnk-sdgs", "bnk-sdg-index-head"} & set(node.get("classes", [])):
            self.body.append("\\bnkkeepwithnext\n")

    def depart_row(self, node: Element) -> None:
        super().depart_row(node)
        # A table that breaks across pages leaves at least two body rows on either side: no
        # "1 + 2" split of a three-row table. "\\*" is longtable's row end without a page break.
        table = self.table
        parent = node.parent
        if table is None or not table.is_longtable() or not isinstance(parent, nodes.tbody):
            return
        rows = len(parent.children)
        index = parent.index(node)
        if index < 1 or index >= rows - 2:
            for i in range(len(self.body) - 1, -1, -1):
                if self.body[i] == "\\\\\n":
                    self.body[i] = "\\\\*\n"
                    break

    def visit_Text(self, node: nodes.Text) -> None:  # noqa: N802 - docutils' name
        if self.table is None or "/" not in node.astext():
            super().visit_Text(node)
            return
        # A zero glue after the slash: a break point, and the next word can still hyphenate.
        self.body.append(self.encode(node.astext()).replace("/", "/\\hspace{0pt}"))

    def visit_reference(self, node: Element) -> None:
        super().visit_reference(node)
        if "bnk-pageref" not in node.get("classes", []) or not self.context or self.context[-1] != "}}}":
            return
        uri = node.get("refuri", "")
        if not uri and node.get("refid"):
            uri = "%" + self.curfilestack[-1] + "#" + node["refid"]
        if uri.startswith("#"):
            target = self.curfilestack[-1] + ":" + uri[1:]
        elif uri.startswith("%"):
            target = uri[1:].replace("#", ":") if "#" in uri else uri[1:] + "::doc"
        else:
            return
        self.context[-1] = "}}}" + f" \\bnkpagerefparen{{{self.idescape(target)}}}"
