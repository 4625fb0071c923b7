"""Node classes of the ``bnk`` extension."""

from __future__ import annotations

from docutils import nodes


class bnk_index(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """Placeholder for the BNK index; replaced once all documents are read."""


class bnk_sdg_index(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for the SDG index; replaced once all documents are read."""


class bnk_indicator_list(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for the list of indicators; replaced once all documents are read."""


class bnk_chapter_grid(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for the start page's grid of chapters; replaced once all documents are read."""


class bnk_chart(nodes.General, nodes.Element):  # noqa: N801
    """A chart of an indicator; its ``spec`` is rendered per builder (SVG for HTML, PDF for LaTeX)."""


class bnk_wordbreak(nodes.Inline, nodes.Element):  # noqa: N801
    """A permitted line break without a hyphen (after "/" in long table cells)."""


def html_visit_wordbreak(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    """HTML: ``<wbr>``."""
    self.body.append("<wbr>")  # type: ignore[attr-defined]
    raise nodes.SkipNode


def latex_visit_wordbreak(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    """LaTeX: zero glue, so that TeX may break here and hyphenate the next word."""
    self.body.append(r"\hspace{0pt}")  # type: ignore[attr-defined]
    raise nodes.SkipNode


class bnk_downloads(nodes.General, nodes.Element):  # noqa: N801
    """The report's publications (PDFs, data) as download links; rendered by the HTML writer only."""
