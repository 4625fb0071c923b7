"""Per-builder visitors: the chart node becomes an SVG ``<img>`` in HTML, a PDF in LaTeX.

A wide chart (long series) also gets a narrow SVG for small screens (``<picture>``), so that its
text is never scaled below 11 px on a phone.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from bnk.charts import NARROW_IN, chart_filename, needs_narrow, render_chart, size_px
from bnk.data.guards import html_text, latex_text
from bnk.domain import get_bnk_domain

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator

    from bnk.nodes import bnk_chart


def chart_target(builder: Any, spec: dict[str, Any], narrow: bool = False) -> Path | None:
    """Where this builder keeps a chart (SVG in the HTML images folder, PDF beside the .tex)."""
    if builder.format == "html":
        return Path(builder.outdir) / builder.imagedir / chart_filename(spec, "svg", narrow)
    if builder.format == "latex":
        return Path(builder.outdir) / chart_filename(spec, "pdf")
    return None


def chart_jobs(builder: Any, spec: dict[str, Any]) -> list[tuple[dict[str, Any], Path, float | None]]:
    """Every file this builder needs for a chart: ``(spec, path, width in inches or None)``."""
    target = chart_target(builder, spec)
    if target is None:
        return []
    jobs: list[tuple[dict[str, Any], Path, float | None]] = [(spec, target, None)]
    if builder.format == "html" and needs_narrow(spec):
        jobs.append((spec, chart_target(builder, spec, narrow=True), NARROW_IN))  # type: ignore[arg-type]
    return jobs


def ensure_chart(builder: Any, spec: dict[str, Any], target: Path, width: float | None = None) -> None:
    """Draw now unless the background pool already has the chart scheduled (or it exists)."""
    pool = getattr(builder, "_bnk_chart_pool", None)
    if pool is not None and str(target) in pool.scheduled:
        return
    render_chart(spec, target, width)


def start_chart_pool(app: Any, builder: Any = None) -> None:
    """``write-started``: draw every chart of the build in the background, on all cores."""
    from bnk.charts import ChartPool

    domain = get_bnk_domain(app.env)
    jobs = []
    for records in domain.data["indicators"].values():
        for record in records:
            spec = record.get("chart_spec")
            if spec:
                jobs += chart_jobs(app.builder, spec)
    pool = getattr(app.builder, "_bnk_chart_pool", None) or ChartPool()
    app.builder._bnk_chart_pool = pool
    if jobs:
        target_dir = jobs[0][1].parent
        target_dir.mkdir(parents=True, exist_ok=True)
        pool.start(jobs)


def warm_chart_pool(app: Any, env: Any, docnames: list[str]) -> None:
    """``env-before-read-docs``: pages will be read, so charts are likely; start the workers now.

    A build that reads nothing (a no-op rebuild) starts no worker and pays nothing.
    """
    from bnk.charts import ChartPool
    from bnk.config import get_bnk_config

    if not docnames or not get_bnk_config(env).charts or app.builder.format not in ("html", "latex"):
        return
    pool = ChartPool()
    # A few changed pages need few charts: one worker; a full build uses every core.
    pool.warm_up(1 if len(docnames) <= 3 else os.cpu_count() or 1)
    app.builder._bnk_chart_pool = pool


def join_chart_pool(app: Any, exception: Exception | None) -> None:
    """``build-finished``: wait until every chart is on disk."""
    from bnk.boundary import PROGRESS_EVENT

    pool = getattr(app.builder, "_bnk_chart_pool", None)
    if pool is not None:
        pool.join(lambda done, total: app.events.emit(PROGRESS_EVENT, "Zeichne Diagramme", done, total))


def html_visit_bnk_chart(self: HTML5Translator, node: bnk_chart) -> None:
    """Render the SVG (once) into ``_images`` and reference it with its alt text and size."""
    spec = node["spec"]
    sources = []
    for job_spec, target, width in chart_jobs(self.builder, spec):
        ensure_chart(self.builder, job_spec, target, width)
        sources.append((posixpath.join(self.builder.imgpath, target.name), width))
    (src, _), narrow = sources[0], sources[1:]
    img = (
        f'<img src="{html_text(src)}" alt="{html_text(node["alt"])}" '
        f'width="{int(node.get("width", 326))}" height="{int(node.get("height", 259))}" />'
    )
    if narrow:
        # Small screens get the narrow rendition: its text is not scaled below 11 px.
        width, height = size_px(spec, NARROW_IN)
        img = (
            f'<picture><source media="(max-width: 40em)" srcset="{html_text(narrow[0][0])}" '
            f'width="{width}" height="{height}" />{img}</picture>'
        )
    self.body.append(
        f'<figure class="bnk-chart">{img}'
        f'<figcaption class="bnk-chart-caption">{html_text(" ".join([node["caption"], *node.get("notes", [])]))}'
        "</figcaption></figure>\n"
    )
    raise nodes.SkipNode


def latex_visit_bnk_chart(self: LaTeXTranslator, node: bnk_chart) -> None:
    """Render the PDF (once) into the LaTeX output directory; placed and captioned by ``bnk.latex``."""
    name = chart_filename(node["spec"], "pdf")
    ensure_chart(self.builder, node["spec"], Path(self.builder.outdir) / name)
    from bnk.latex import figure_latex

    self.body.append(figure_latex(name, node["caption"], self.config.latex_engine))
    if node.get("notes"):  # a marked (broken or zoomed) axis is said under the chart
        notes = latex_text(" ".join(node["notes"]), self.config.latex_engine)
        self.body.append(f"{{\\small\\sffamily {notes}\\par}}\n")
    raise nodes.SkipNode


def text_visit_bnk_chart(self: nodes.NodeVisitor, node: bnk_chart) -> None:
    """Text-like builders get the alt text instead of the chart."""
    self.add_text(f"[{node['alt']}]")  # type: ignore[attr-defined]
    raise nodes.SkipNode
