"""Per-builder visitors: the chart node becomes an SVG ``<img>`` in HTML, a PDF in LaTeX."""

from __future__ import annotations

import posixpath
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.texescape import escape as tex_escape

from bnk.charts import chart_filename, render_chart

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator

    from bnk.nodes import bnk_chart


def html_visit_bnk_chart(self: HTML5Translator, node: bnk_chart) -> None:
    """Render the SVG (once) into ``_images`` and reference it with its alt text."""
    name = chart_filename(node["spec"], "svg")
    render_chart(node["spec"], Path(self.builder.outdir) / self.builder.imagedir / name)
    src = posixpath.join(self.builder.imgpath, name)
    self.body.append(
        f'<figure class="bnk-chart"><img src="{escape(src)}" alt="{escape(node["alt"])}" '
        f'width="640" height="280" />'
        f'<figcaption class="bnk-chart-caption">{escape(node["caption"])}</figcaption></figure>\n'
    )
    raise nodes.SkipNode


def latex_visit_bnk_chart(self: LaTeXTranslator, node: bnk_chart) -> None:
    """Render the PDF (once) into the LaTeX output directory and include it at text width."""
    name = chart_filename(node["spec"], "pdf")
    render_chart(node["spec"], Path(self.builder.outdir) / name)
    caption = tex_escape(node["caption"], self.config.latex_engine)
    self.body.append(
        "\n\\begin{center}\n"
        f"\\sphinxincludegraphics[width=\\linewidth]{{{name}}}\\\\\n"
        f"{{\\small {caption}}}\n"
        "\\end{center}\n"
    )
    raise nodes.SkipNode


def text_visit_bnk_chart(self: nodes.NodeVisitor, node: bnk_chart) -> None:
    """Text-like builders get the alt text instead of the chart."""
    self.add_text(f"[Diagramm: {node['alt']}]")  # type: ignore[attr-defined]
    raise nodes.SkipNode


def skip_bnk_chart(self: nodes.NodeVisitor, node: bnk_chart) -> None:
    """Builders without images skip the chart."""
    raise nodes.SkipNode
