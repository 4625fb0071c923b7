"""Chart specs: everything a chart shows, computed without matplotlib (the rules of ``bnk.charts``).

Pure functions of the data: the palette (with the report's design colour if it passes the colour
checks), the value axis (from 0, or zoomed and marked for units without a natural zero), the time
axis (far target years after a marked break), the chart's size and the alt text. The indicator
view builds the spec here; ``bnk.charts`` only draws it.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING, Any

from bnk.data.alttext import alt_text, series_points
from bnk.data.colours import accessible
from bnk.data.numbers import format_number, format_year

if TYPE_CHECKING:
    from bnk.data.csvdata import IndicatorData
    from bnk.data.metadata import IndicatorMeta

PALETTE = ("#19486A", "#B85000", "#00897B", "#9B4DCA")  # dark blue, dark orange, teal, violet
TARGET_COLOUR = "#1A1A1A"
FONT_PT = 10
NARROW_IN = 3.4  # 326 px: fits a phone's 375 px viewport without being scaled down much
WIDE_MAX_IN = 6.4
HEIGHT_IN = 2.7
SHORT_SLOTS = 6  # series spanning at most this many years get the narrow chart
FAR_TARGET_YEARS = 3  # a target more years after the data than this is set after a time-axis break
ZOOM_UNITS = frozenset({"Index"})  # units without a natural zero
MAX_TICKS = 6


def format_tick(value: Decimal | float, decimals: int = 2) -> str:
    """German axis label with the true minus sign (``1.500``, ``2,5``, ``−0,5``)."""
    return format_number(Decimal(str(value)), decimals)


# -- colours -----------------------------------------------------------------------------------


def palette(primary: str | None = None) -> list[str]:
    """The series colours; ``primary`` (the report's design colour) leads if it passes the checks.

    A colour that fails (contrast below 3:1, or too close to another series colour or the target
    colour under colour-vision deficiency) is not used; the accessible palette stands.
    """
    colours = list(PALETTE)
    if primary and primary.strip().upper() not in colours:
        candidate = [primary.strip().upper(), *colours[1:]]
        try:
            if accessible([*candidate, TARGET_COLOUR]):
                colours = candidate
        except ValueError:  # not a #RRGGBB colour
            pass
    return colours


# -- axes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValueAxis:
    """The value axis: limits, ticks and their labels, and whether it is zoomed (not from 0)."""

    ticks: tuple[Decimal, ...]
    labels: tuple[str, ...]
    zoomed: bool

    @property
    def lo(self) -> Decimal:
        return self.ticks[0]

    @property
    def hi(self) -> Decimal:
        return self.ticks[-1]


def _decimals(step: Decimal) -> int:
    exponent = step.normalize().as_tuple().exponent
    return max(0, -int(exponent))


def nice_ticks(lo: Decimal, hi: Decimal, integer: bool = False, max_ticks: int = MAX_TICKS) -> list[Decimal]:
    """Evenly spaced ticks covering ``lo … hi`` with a step of 1, 2, 2,5 or 5 × 10ⁿ.

    :param integer: only whole-number steps (for counts)
    """
    if hi < lo:
        lo, hi = hi, lo
    span = hi - lo
    if span == 0:
        span = abs(hi) or Decimal(1)
        lo, hi = lo - span / 2, hi + span / 2
    raw = span / (max_ticks - 1)
    exponent = math.floor(math.log10(float(raw)))
    if integer:  # counts: whole-number steps only
        exponent = max(exponent, 0)
    for k in range(exponent - 1, exponent + 3):
        for mantissa in ("1", "2", "2.5", "5"):
            step = Decimal(mantissa).scaleb(k)
            if integer and (step < 1 or step != step.to_integral_value()):
                continue
            first = (lo / step).to_integral_value(ROUND_FLOOR) * step
            last = (hi / step).to_integral_value(ROUND_CEILING) * step
            count = int((last - first) / step) + 1
            if count <= max_ticks:
                return [first + i * step for i in range(count)]
    raise AssertionError("unreachable: a step of 10^(n+2) always fits")  # pragma: no cover


def _decimal_values(spec: dict[str, Any]) -> list[Decimal]:
    values = [Decimal(v) for s in spec["series"] for v in s["values"]]
    values += [Decimal(t["value"]) for t in spec["targets"]]
    return values


def value_axis(spec: dict[str, Any]) -> ValueAxis:
    """The value axis of a chart: from 0 (quantities, counts) or zoomed (units without a zero)."""
    values = _decimal_values(spec)
    lo, hi = min(values), max(values)
    zoomed = spec["unit"].strip() in ZOOM_UNITS and not lo <= 0 <= hi
    if zoomed:
        # Room around the data, so that no point sits on the break mark.
        pad = (hi - lo) / 5 if hi > lo else abs(hi) / 20
        lo, hi = lo - pad, hi + pad
        zoomed = not lo <= 0 <= hi
    if not zoomed:
        lo, hi = min(lo, Decimal(0)), max(hi, Decimal(0))
    integer = int(spec.get("decimals", 0)) == 0
    ticks = nice_ticks(lo, hi, integer)
    if zoomed and ticks[0] <= 0 <= ticks[-1]:
        zoomed = False  # the nice range reaches 0 anyway
    step = ticks[1] - ticks[0]
    decimals = _decimals(step)
    return ValueAxis(tuple(ticks), tuple(format_tick(t, decimals) for t in ticks), zoomed)


@dataclass(frozen=True)
class TimeAxis:
    """The time axis: where each year is drawn, which years are labelled, and a break if any."""

    positions: dict[int, float]
    ticks: tuple[int, ...]
    break_after: int | None  # the last data year before a break of the time axis
    break_at: float | None = None  # where the break mark is drawn

    @property
    def slots(self) -> int:
        xs = self.positions.values()
        return round(max(xs) - min(xs)) + 1


def _positions(spec: dict[str, Any], spacing: int) -> tuple[dict[int, float], list[int], int]:
    """Year → x position; far target years follow the last data year ``spacing`` apart."""
    data_years = sorted({int(y) for s in spec["series"] for y in s["years"]})
    last = data_years[-1]
    positions: dict[int, float] = {y: float(y) for y in data_years}
    far = sorted(
        {int(t["year"]) for t in spec["targets"] if t.get("year") and int(t["year"]) > last + FAR_TARGET_YEARS}
    )
    for i, year in enumerate(far, start=1):
        positions[year] = float(last + i * spacing)
    for t in spec["targets"]:
        if t.get("year") and int(t["year"]) not in positions:
            positions[int(t["year"])] = float(t["year"])
    return positions, far, data_years[0]


def _slots(positions: dict[int, float]) -> int:
    return round(max(positions.values()) - min(positions.values())) + 1


def time_axis(spec: dict[str, Any], width_in: float | None = None) -> TimeAxis:
    """Positions of the years (data years as they are; far target years after a break)."""
    base, far, first = _positions(spec, 2)
    width = width_in if width_in is not None else chart_width_for_slots(_slots(base))
    # A year label needs about 0.4 in: labels at least ``gap`` years apart; a far target stands
    # that far after the last data year, so its label always fits.
    per_year = (width - 0.75) / _slots(base)
    gap = max(1, math.ceil(0.4 / per_year))
    positions, far, first = _positions(spec, max(2, gap))
    last = max(int(y) for s in spec["series"] for y in s["years"])
    # Keep the last data year, far targets and the first year first, then fill in from the end.
    order = [last, *far, first, *sorted(positions, reverse=True)]
    chosen: list[int] = []
    for year in dict.fromkeys(order):
        if all(abs(positions[year] - positions[c]) >= gap for c in chosen):
            chosen.append(year)
    break_at = (positions[last] + positions[far[0]]) / 2 if far else None
    return TimeAxis(positions, tuple(sorted(chosen, key=lambda y: positions[y])), last if far else None, break_at)


def chart_width_for_slots(slots: int) -> float:
    """Inches: narrow for a short series, growing with the number of years, at most full width."""
    if slots <= SHORT_SLOTS:
        return NARROW_IN
    return min(WIDE_MAX_IN, NARROW_IN + 0.3 * (slots - SHORT_SLOTS))


def chart_width(spec: dict[str, Any]) -> float:
    """The chart's natural width in inches (the HTML and LaTeX sizes follow it)."""
    return chart_width_for_slots(_slots(_positions(spec, 2)[0]))


def needs_narrow(spec: dict[str, Any]) -> bool:
    """Whether the web gets an extra narrow rendition for small screens."""
    return chart_width(spec) > NARROW_IN


def axis_notes(spec: dict[str, Any]) -> list[str]:
    """German sentences about marked axes, for the caption and the alt text."""
    notes = []
    axis = value_axis(spec)
    if axis.zoomed:
        notes.append(f"Die Werteachse beginnt bei {axis.labels[0]}, nicht bei 0.")
    times = time_axis(spec, NARROW_IN)
    if times.break_after is not None:
        later = sorted(y for y in times.positions if y > times.break_after)
        notes.append(
            f"Die Zeitachse ist zwischen {format_year(times.break_after)} und {format_year(later[0])} unterbrochen."
        )
    return notes


def chart_spec(
    meta: IndicatorMeta,
    data: IndicatorData,
    *,
    kommune: str,
    report_year: int | None,
    decimals: int,
    primary: str | None = None,
) -> dict[str, Any]:
    """Everything a chart is drawn from (its hash names the file), alt text included.

    The chart shows every series up to the report year, with comparison series and targets.
    Call :func:`bnk.data.alttext.no_chart_sentence` first: a series that shows nothing gets no
    chart.

    :param primary: the report's design colour (leads the palette if it passes the checks)
    """
    series = []
    for s in data.series:
        pairs = [(y, t) for y, t in zip(s.years, s.texts, strict=True) if report_year is None or y <= report_year]
        if pairs:
            series.append({"label": s.name or kommune, "years": [p[0] for p in pairs], "values": [p[1] for p in pairs]})
    spec: dict[str, Any] = {
        "series": series,
        "targets": [
            {"value": str(t.value), "year": t.year}
            for t in meta.targets
            if t.kind in ("value", "hold") and t.value is not None
        ],
        "unit": meta.unit,
        "decimals": decimals,
        "title": meta.title,
        "colours": palette(primary),
    }
    own, comparisons = series_points(data, kommune, report_year)
    spec["notes"] = axis_notes(spec)
    spec["alt"] = alt_text(
        meta.title,
        meta.unit,
        decimals,
        own,
        comparisons=comparisons,
        targets=meta.targets,
        plural=meta.plural,
        notes=spec["notes"],
    )
    return spec


def legend_labels(spec: dict[str, Any]) -> list[str]:
    """The legend entries: every series, then every target (none for a lone series)."""
    labels = [series["label"] for series in spec["series"]]
    labels += [f"Ziel {format_year(int(t['year']))}" if t.get("year") else "Ziel" for t in spec["targets"]]
    return labels if len(labels) > 1 else []


def legend_columns(labels: list[str], width_in: float) -> int:
    """As many legend columns as fit the chart width (a line sample is about 3 em)."""
    em = FONT_PT / 72
    widths = [(3.2 + 0.62 * len(label)) * em for label in labels]
    for columns in range(len(labels), 0, -1):
        rows = [widths[i : i + columns] for i in range(0, len(widths), columns)]
        if all(sum(r) <= width_in - 0.2 for r in rows):
            return columns
    return 1


def unit_lines(unit: str, width_in: float) -> list[str]:
    """The unit above the plot, wrapped to the chart width."""
    return textwrap.wrap(unit, max(12, int(width_in * 72 / (FONT_PT * 0.6)))) or [""]


def chart_height(spec: dict[str, Any], width_in: float) -> float:
    """Inches: the plot keeps its height however many legend rows and unit lines there are."""
    labels = legend_labels(spec)
    rows = math.ceil(len(labels) / legend_columns(labels, width_in)) if labels else 1
    return HEIGHT_IN + 0.19 * max(0, rows - 1) + 0.17 * (len(unit_lines(spec["unit"], width_in)) - 1)


def size_px(spec: dict[str, Any], width_in: float | None = None) -> tuple[int, int]:
    """CSS pixels (96 per inch) of a chart at ``width_in`` (default: its natural width)."""
    width = chart_width(spec) if width_in is None else width_in
    return round(width * 96), round(chart_height(spec, width) * 96)
