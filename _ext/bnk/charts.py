"""Indicator charts with matplotlib: SVG for HTML, PDF for LaTeX, named by a content hash.

matplotlib is imported only when a chart is actually drawn; a chart whose file exists is never
drawn again (the hash covers data, spec and this module's version).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

# No Sphinx imports here: worker processes import this module and should start fast.
from bnk.data.numbers import LOCALE, format_year

CHART_VERSION = "1"
COLOURS = ["#19486A", "#C5192D", "#4C9F38", "#FD6925"]


def format_tick(value: float) -> str:
    """German axis label with up to two decimals (``1.500``, ``2,5``)."""
    from babel.numbers import format_decimal

    return format_decimal(round(value, 2) + 0.0, format="#,##0.##", locale=LOCALE)


def chart_hash(spec: dict[str, Any]) -> str:
    """Stable content hash of a chart spec."""
    payload = json.dumps({"v": CHART_VERSION, "spec": spec}, sort_keys=True, ensure_ascii=True)
    return hashlib.sha1(payload.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


def chart_filename(spec: dict[str, Any], ext: str) -> str:
    """``bnk-chart-<hash>.<ext>``."""
    return f"bnk-chart-{chart_hash(spec)}.{ext}"


def render_chart(spec: dict[str, Any], target: Path) -> bool:
    """Draw the chart into ``target`` (format from its suffix) unless it exists.

    :returns: whether the chart was drawn
    """
    if target.exists():
        return False
    from decimal import Decimal

    import matplotlib
    from matplotlib.figure import Figure  # no pyplot: no global state, cheaper import
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    rc = {
        "svg.hashsalt": "bnk",  # deterministic SVG ids
        "svg.fonttype": "none",  # text as <text>: smaller, faster to draw than glyph paths
        "pdf.fonttype": 42,  # TrueType, embedded; never Type 3
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.formatter.use_locale": False,
    }
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=(6.4, 2.8), dpi=100)
        ax = fig.add_subplot()
        try:
            # Fixed margins instead of tight_layout: it costs half the chart time.
            fig.subplots_adjust(left=0.12, right=0.98, top=0.92, bottom=0.2)
            for i, series in enumerate(spec["series"]):
                xs = series["years"]
                ys = [float(Decimal(v)) for v in series["values"]]
                ax.plot(
                    xs,
                    ys,
                    marker="o",
                    color=COLOURS[i % len(COLOURS)],
                    linestyle="-" if i == 0 else "--",
                    label=series["label"],
                )
            for goal in spec["targets"]:
                value = float(Decimal(goal["value"]))
                if goal.get("year"):
                    ax.plot(
                        [goal["year"]],
                        [value],
                        marker="*",
                        markersize=11,
                        color="#3F7E44",
                        linestyle="none",
                        label=f"Ziel {goal['year']}",
                    )
                else:
                    ax.axhline(value, color="#3F7E44", linestyle=":", linewidth=1.2, label="Ziel")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=8))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: format_year(round(x))))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: format_tick(float(y))))
            ax.set_ylabel(spec["unit"])
            ax.grid(axis="y", color="#dddddd", linewidth=0.6)
            if len(spec["series"]) > 1 or spec["targets"]:
                ax.legend(frameon=False, fontsize=8, loc="best")
            target.parent.mkdir(parents=True, exist_ok=True)
            # Write to a temporary file and rename: parallel writers never see half a file.
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=target.suffix)
            os.close(fd)
            Path(tmp).chmod(0o644)  # mkstemp creates 0600; web servers must read the chart
            metadata = {"Date": None} if target.suffix == ".svg" else {"CreationDate": None, "ModDate": None}
            try:
                fig.savefig(tmp, format=target.suffix[1:], metadata=metadata)
                Path(tmp).replace(target)
            finally:
                Path(tmp).unlink(missing_ok=True)
        finally:
            fig.clear()
    return True


def _warm_up() -> int:
    import matplotlib.figure  # noqa: F401 - the import is the point

    return 0


def render_many(jobs: list[tuple[dict[str, Any], str]]) -> int:
    """Render a batch of charts (in a worker process); returns how many were drawn."""
    return sum(render_chart(spec, Path(target)) for spec, target in jobs)


class ChartPool:
    """Draws the charts of a build in the background, on all cores, while Sphinx writes pages.

    Started at ``write-started`` with every chart the build needs; joined at ``build-finished``.
    Charts whose file exists are not drawn again (the name is a content hash).
    """

    def __init__(self) -> None:
        self.futures: list[Any] = []
        self.executor: Any = None
        self.workers = 0
        self.scheduled: set[str] = set()

    def _executor(self, workers: int) -> Any:
        if self.executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # fork where available: the worker starts at once with the modules already imported
            # (Sphinx's main process is single-threaded); spawn elsewhere.
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            self.workers = workers
            self.executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method))
        return self.executor

    def warm_up(self, workers: int) -> None:
        """Start the workers and import matplotlib there while Sphinx is still reading pages."""
        executor = self._executor(max(1, min(workers, os.cpu_count() or 1)))
        for _ in range(self.workers):
            self.futures.append(executor.submit(_warm_up))

    def start(self, jobs: list[tuple[dict[str, Any], Path]]) -> int:
        """Schedule the missing charts; returns how many."""
        missing = [(spec, str(path)) for spec, path in jobs if not path.exists() and str(path) not in self.scheduled]
        if not missing:
            return 0
        workers = self.workers or max(1, min(os.cpu_count() or 1, -(-len(missing) // 4)))
        self._executor(workers)
        for i in range(workers):
            self.futures.append(self.executor.submit(render_many, missing[i::workers]))
        self.scheduled.update(path for _, path in missing)
        return len(missing)

    def join(self) -> int:
        """Wait for all scheduled charts; returns how many were drawn."""
        drawn = 0
        try:
            for future in self.futures:
                drawn += future.result()
        finally:
            if self.executor is not None:
                self.executor.shutdown()
            self.futures, self.executor = [], None
        return drawn
