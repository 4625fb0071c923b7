"""Indicator charts with matplotlib: SVG for HTML, PDF for LaTeX, named by a content hash.

matplotlib is imported only when a chart is actually drawn; a chart whose file exists is never
drawn again (the hash covers data, spec and this module's version).

The chart rules (documented in the README, tested in ``tests/test_charts.py``):

- **Value axis**: quantities and counts start at 0 (the axis always includes 0). Only a unit
  without a natural zero (``Index``) gets a zoomed axis, and then the axis carries a break mark
  and the caption and alt text say where it starts.
- **Ticks**: chosen on exact decimals (steps 1, 2, 2,5, 5 × 10ⁿ) with as many decimals as the
  step needs, so two tick labels are never equal; integer steps when the data has no decimals
  (counts); German number format with the true minus sign U+2212.
- **Time axis**: the data years; a target year far beyond the data (more than three years) is set
  after a marked break of the time axis instead of squeezing the data into a corner.
- **Size follows the data**: a short series (up to six years) gets a narrow chart that is not
  scaled down on a phone; longer series get a wider chart and, for the web, an extra narrow
  rendition for small screens, so text stays at least 11 px at 375 px width.
- **Legend below the plot**, the unit above it, constrained layout: nothing covers the data and no
  label is cut off.
- **Colours**: a palette with at least 3:1 contrast to white that stays distinguishable under
  protanopia, deuteranopia and tritanopia (see :mod:`bnk.data.colours`); each series also has
  its own marker and dash pattern. The report's primary colour leads when it passes the checks.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import math
import os
import re
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

# No Sphinx imports here: worker processes import this module and should start fast.
# The spec (axes, sizes, palette, alt text) is computed in the data layer; re-exported here.
from bnk.data.chartspec import (  # noqa: F401 - re-exported
    FAR_TARGET_YEARS,
    FONT_PT,
    HEIGHT_IN,
    MAX_TICKS,
    NARROW_IN,
    PALETTE,
    SHORT_SLOTS,
    TARGET_COLOUR,
    WIDE_MAX_IN,
    ZOOM_UNITS,
    TimeAxis,
    ValueAxis,
    axis_notes,
    chart_height,
    chart_spec,
    chart_width,
    chart_width_for_slots,
    format_tick,
    legend_columns,
    legend_labels,
    needs_narrow,
    nice_ticks,
    palette,
    size_px,
    time_axis,
    unit_lines,
    value_axis,
)
from bnk.data.guards import mpl_text, svg_text
from bnk.data.numbers import format_year

CHART_VERSION = "2"
GRID_COLOUR = "#D9D9D9"
LINESTYLES: tuple[Any, ...] = ("-", (0, (5, 2)), (0, (1.2, 1.6)), (0, (6, 2, 1.2, 2)))
MARKERS = ("o", "s", "^", "D")


# -- files -------------------------------------------------------------------------------------


def chart_hash(spec: dict[str, Any]) -> str:
    """Stable content hash of a chart spec."""
    payload = json.dumps({"v": CHART_VERSION, "spec": spec}, sort_keys=True, ensure_ascii=True)
    return hashlib.sha1(payload.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


def chart_filename(spec: dict[str, Any], ext: str, narrow: bool = False) -> str:
    """``bnk-chart-<hash>.<ext>`` (``bnk-chart-<hash>-schmal.svg`` for the narrow rendition)."""
    return f"bnk-chart-{chart_hash(spec)}{'-schmal' if narrow else ''}.{ext}"


_SVG_OPEN = re.compile(rb"<svg\b[^>]*>")


def _svg_with_title(data: bytes, title: str, desc: str) -> bytes:
    """Add ``<title>``/``<desc>`` (and ``role="img"``) to matplotlib's SVG, for assistive tech."""
    match = _SVG_OPEN.search(data)
    if match is None:  # pragma: no cover - matplotlib always writes an <svg> element
        return data
    tag = match.group(0)[:-1] + b' role="img" aria-labelledby="bnk-title bnk-desc">'
    inner = (
        f'\n <title id="bnk-title">{svg_text(title)}</title>\n <desc id="bnk-desc">{svg_text(desc)}</desc>'
    ).encode()
    return data[: match.start()] + tag + inner + data[match.end() :]


# -- drawing -----------------------------------------------------------------------------------


# Advance widths of DejaVu Sans in em (digits and separators of tick labels; others estimated).
_EM = {**dict.fromkeys("0123456789", 0.636), ".": 0.318, ",": 0.318, " ": 0.318, "\u2212": 0.838, "-": 0.361}


def _text_em(text: str) -> float:
    return sum(_EM.get(c, 0.7) for c in text)


def draw_figure(spec: dict[str, Any], width_in: float | None = None) -> Any:
    """The matplotlib ``Figure`` of a chart (not saved); tests inspect it."""
    from matplotlib.figure import Figure  # no pyplot: no global state, cheaper import
    from matplotlib.lines import Line2D

    width = width_in if width_in is not None else chart_width(spec)
    colours = spec.get("colours") or list(PALETTE)
    height = chart_height(spec, width)
    times = time_axis(spec, width)
    axis = value_axis(spec)
    units = unit_lines(spec["unit"], width)
    legend = legend_labels(spec)
    rows = math.ceil(len(legend) / legend_columns(legend, width)) if legend else 0
    fig = Figure(figsize=(width, height), dpi=100)
    # Margins from the known texts instead of a layout engine (which would double the drawing
    # time); tests/test_charts.py measures every text of real charts against the figure.
    pt = 1 / 72
    em = FONT_PT * pt
    left = max(_text_em(label) for label in axis.labels) * em + 9 * pt
    bottom = 1.25 * em + 9 * pt + (rows * 1.4 * em + 4 * pt if rows else 0)
    top = len(units) * 1.2 * em + 9 * pt
    fig.subplots_adjust(left=left / width, right=1 - 12 * pt / width, bottom=bottom / height, top=1 - top / height)
    ax = fig.add_subplot()
    handles, labels = [], []
    for i, series in enumerate(spec["series"]):
        xs = [times.positions[int(y)] for y in series["years"]]
        ys = [float(Decimal(v)) for v in series["values"]]
        (line,) = ax.plot(
            xs,
            ys,
            color=colours[i % len(colours)],
            linestyle=LINESTYLES[i % len(LINESTYLES)],
            marker=MARKERS[i % len(MARKERS)],
            markersize=5.5,
            linewidth=1.8,
            clip_on=False,
            zorder=3,
        )
        handles.append(line)
        labels.append(mpl_text(series["label"]))  # a "$…$" in a name is no formula
    for goal in spec["targets"]:
        value = float(Decimal(goal["value"]))
        if goal.get("year"):
            ax.plot(
                [times.positions[int(goal["year"])]],
                [value],
                marker="*",
                markersize=11,
                color=TARGET_COLOUR,
                linestyle="none",
                clip_on=False,
                zorder=4,
            )
            handles.append(Line2D([], [], marker="*", markersize=11, color=TARGET_COLOUR, linestyle="none"))
            labels.append(f"Ziel {format_year(int(goal['year']))}")
        else:
            ax.axhline(value, color=TARGET_COLOUR, linestyle=(0, (1, 2)), linewidth=1.4, zorder=2)
            handles.append(Line2D([], [], color=TARGET_COLOUR, linestyle=(0, (1, 2)), linewidth=1.4))
            labels.append("Ziel")
    xs = list(times.positions.values())
    ax.set_xlim(min(xs) - 0.5, max(xs) + 0.5)
    ax.set_xticks([times.positions[y] for y in times.ticks], [format_year(y) for y in times.ticks])
    ax.set_ylim(float(axis.lo), float(axis.hi))
    ax.set_yticks([float(t) for t in axis.ticks], list(axis.labels))
    ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    if axis.lo < 0 < axis.hi:
        ax.axhline(0, color="#595959", linewidth=0.9, zorder=1)
    # The unit stands above the plot, horizontally, wrapped to the chart width.
    ax.set_title("\n".join(mpl_text(u) for u in units), loc="left", fontsize=FONT_PT, pad=6)
    mark = {"color": "#1A1A1A", "linewidth": 1.1, "clip_on": False, "zorder": 5}
    if axis.zoomed:  # break mark on the value axis: the axis does not start at 0
        for dy in (0.0, 0.035):
            ax.plot([-0.025, 0.025], [0.01 + dy, 0.05 + dy], transform=ax.transAxes, **mark)
    if times.break_at is not None:  # break mark on the time axis
        lo, hi = ax.get_xlim()
        x = (times.break_at - lo) / (hi - lo)
        for dx in (-0.012, 0.012):
            ax.plot([x + dx - 0.012, x + dx + 0.012], [-0.035, 0.035], transform=ax.transAxes, **mark)
    if rows:  # below the plot: the legend never covers data
        fig.legend(
            handles,
            labels,
            loc="lower center",
            bbox_to_anchor=(0.5, 2 * pt / height),
            borderaxespad=0,
            ncols=legend_columns(labels, width),
            frameon=False,
            fontsize=FONT_PT,
            handlelength=3.0,
        )
    return fig


RC = {
    "svg.hashsalt": "bnk",  # deterministic SVG ids
    "svg.fonttype": "none",  # text as <text>: smaller, faster to draw than glyph paths
    "pdf.fonttype": 42,  # TrueType, embedded; never Type 3
    "font.family": "DejaVu Sans",
    "font.size": FONT_PT,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.formatter.use_locale": False,
    "axes.unicode_minus": True,
    "xtick.labelsize": FONT_PT,
    "ytick.labelsize": FONT_PT,
}


def render_chart(spec: dict[str, Any], target: Path, width_in: float | None = None) -> bool:
    """Draw the chart into ``target`` (format from its suffix) unless it exists.

    :param width_in: the width in inches (default: the chart's natural width)
    :returns: whether the chart was drawn
    """
    if target.exists():
        return False
    import matplotlib

    with matplotlib.rc_context(RC):
        fig = draw_figure(spec, width_in)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Write to a temporary file and rename: parallel writers never see half a file.
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=target.suffix)
            os.close(fd)
            Path(tmp).chmod(0o644)  # mkstemp creates 0600; web servers must read the chart
            title = f"Diagramm: {spec.get('title', '')} ({spec['unit']})"
            if target.suffix == ".svg":
                metadata: dict[str, Any] = {"Date": None}
            else:
                metadata = {"CreationDate": None, "ModDate": None, "Title": title}
            try:
                fig.savefig(tmp, format=target.suffix[1:], metadata=metadata)
                if target.suffix == ".svg":
                    path = Path(tmp)
                    path.write_bytes(_svg_with_title(path.read_bytes(), title, spec.get("alt", "")))
                Path(tmp).replace(target)
            finally:
                Path(tmp).unlink(missing_ok=True)
        finally:
            fig.clear()
    return True


def _warm_up() -> int:
    import matplotlib.figure  # noqa: F401 - the import is the point

    return 0


Job = tuple[dict[str, Any], str, float | None]


def render_many(jobs: list[Job]) -> int:
    """Render a batch of charts (in a worker process); returns how many were drawn."""
    return sum(render_chart(spec, Path(target), width) for spec, target, width in jobs)


# The worker processes of this Python process, kept between builds: a process that builds more
# than once (the test suite, a script) draws with workers that have matplotlib imported already
# instead of starting and warming new ones for every build. Keys: "executor", "workers".
_WORKERS: dict[str, Any] = {}


def _shared_executor(workers: int) -> tuple[Any, bool]:
    """Workers for charts, at least ``workers`` of them; True when they were just started."""
    current = _WORKERS.get("executor")
    if current is not None and _WORKERS["workers"] >= workers and not getattr(current, "_broken", False):
        return current, False
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if current is not None:
        current.shutdown(wait=False, cancel_futures=True)
    else:
        atexit.register(_end_workers)
    # fork where available: the worker starts at once with the modules already imported
    # (Sphinx's main process is single-threaded); spawn elsewhere.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method))
    _WORKERS.update(executor=executor, workers=workers)
    return executor, True


def _end_workers() -> None:
    """At exit, while the interpreter's modules are still there: end the workers and let go of
    the executor (collected later, its clean-up would find multiprocessing half torn down)."""
    executor = _WORKERS.pop("executor", None)
    if executor is not None:
        executor.shutdown(wait=True, cancel_futures=True)


class ChartPool:
    """Draws the charts of a build in the background, on all cores, while Sphinx writes pages.

    Started at ``write-started`` with every chart the build needs; joined at ``build-finished``.
    Charts whose file exists are not drawn again (the name is a content hash). The worker
    processes outlive the build (see ``_WORKERS``); a build waits only for its own charts.
    """

    def __init__(self) -> None:
        self.futures: list[Any] = []  # warming up new workers
        self.charts: list[Any] = []  # one per chart to draw
        self.executor: Any = None
        self.workers = 0
        self.scheduled: set[str] = set()

    def _executor(self, workers: int) -> Any:
        if self.executor is None:
            self.executor, started = _shared_executor(workers)
            self.workers = workers
            if started:
                self.futures = [self.executor.submit(_warm_up) for _ in range(workers)]
        return self.executor

    def warm_up(self, workers: int) -> None:
        """Start the workers and import matplotlib there while Sphinx is still reading pages."""
        self._executor(max(1, min(workers, os.cpu_count() or 1)))

    def start(self, jobs: list[tuple[dict[str, Any], Path, float | None]]) -> int:
        """Schedule the missing charts; returns how many."""
        missing: list[Job] = [
            (spec, str(path), width)
            for spec, path, width in jobs
            if not path.exists() and str(path) not in self.scheduled
        ]
        if not missing:
            return 0
        workers = self.workers or max(1, min(os.cpu_count() or 1, -(-len(missing) // 4)))
        self._executor(workers)
        # One task per chart, so that join() can count them as they are finished.
        for job in missing:
            self.charts.append(self.executor.submit(render_many, [job]))
        self.scheduled.update(path for _, path, _ in missing)
        return len(missing)

    def join(self, progress: Callable[[int, int], Any] | None = None) -> int:
        """Wait for all scheduled charts, telling ``progress(done, total)`` as each is on disk;
        returns how many were drawn. Nothing to draw: nothing is waited for (workers still
        importing matplotlib go on in the background)."""
        from concurrent.futures import as_completed

        drawn = 0
        try:
            if self.charts:
                for future in self.futures:
                    future.result()
            for done, future in enumerate(as_completed(self.charts), 1):
                drawn += future.result()
                if progress is not None:
                    progress(done, len(self.charts))
        finally:
            self.futures, self.charts, self.executor = [], [], None
        return drawn
