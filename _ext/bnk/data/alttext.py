"""What a chart says in words: its text alternative, and the sentence that stands for no chart.

Pure functions of the data (no Sphinx, no matplotlib). The HTML ``alt``, the SVG ``<desc>``, the
text builders and the accessible PDF all use the same sentence, computed here once.

The alt text names the development of the Kommune's series (first and last value, the highest or
lowest value in between when the series turns), every comparison series (e.g. „NRW“) and every
target („Ziel 2035: 0 …“). The verb agrees with the title: a plural title (``plural: true`` in
the metadata, e.g. „Straftaten“) gets „sanken“, a singular one „sank“.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bnk.data.numbers import decimals_of, format_number, format_year

if TYPE_CHECKING:
    from collections.abc import Sequence
    from decimal import Decimal

    from bnk.data.csvdata import IndicatorData
    from bnk.data.metadata import Target

VERBS = {
    # (singular, plural)
    "up": ("stieg", "stiegen"),
    "down": ("sank", "sanken"),
    "same": ("blieb", "blieben"),
}
# Units that are no unit of measurement after a number („2 Anzahl“, „4,87 Index“ are not German).
BARE_UNITS = frozenset({"Anzahl", "Index"})


@dataclass(frozen=True)
class Points:
    """One series as the chart shows it: its label and its (year, value) points."""

    label: str
    years: tuple[int, ...]
    values: tuple[Decimal, ...]


def series_points(data: IndicatorData, kommune: str, report_year: int | None) -> tuple[Points, list[Points]]:
    """The Kommune's series and the comparison series up to the report year (empty ones left out).

    :returns: ``(own, comparisons)``
    """

    def points(label: str, years: tuple[int, ...], values: tuple[Decimal, ...]) -> Points:
        pairs = [(y, v) for y, v in zip(years, values, strict=True) if report_year is None or y <= report_year]
        return Points(label, tuple(p[0] for p in pairs), tuple(p[1] for p in pairs))

    headline = data.headline
    own = points(kommune, headline.years, headline.values)
    comparisons = [points(s.name, s.years, s.values) for s in data.others]
    return own, [c for c in comparisons if c.values]


def with_unit(value: Decimal, decimals: int, unit: str) -> str:
    """``54,64 Straftaten je 1.000 Einwohnende``, ``96,4 %`` (no-break space before %)."""
    number = format_number(value, decimals)
    if not unit or unit.strip() in BARE_UNITS:
        return number
    return f"{number}\u00a0%" if unit == "%" else f"{number} {unit}"


def _at(value: Decimal, year: int, decimals: int, unit: str) -> str:
    return f"{with_unit(value, decimals, unit)} ({format_year(year)})"


def _development(points: Points, decimals: int, unit: str, plural: bool) -> str:
    """``sank von A (2019) auf B (2021)``; ``blieb von 2019 bis 2021 unverändert bei A``."""
    years, values = points.years, points.values
    number = 1 if plural else 0
    first, last = values[0], values[-1]
    if len(values) == 1:
        return f"{with_unit(first, decimals, unit)} ({format_year(years[0])})"
    if first == last and all(v == first for v in values):
        return (
            f"{VERBS['same'][number]} von {format_year(years[0])} bis {format_year(years[-1])} "
            f"unverändert bei {with_unit(first, decimals, unit)}"
        )
    if last != first:
        verb = VERBS["up" if last > first else "down"][number]
        text = f"{verb} von {_at(first, years[0], decimals, unit)} auf {_at(last, years[-1], decimals, unit)}"
    else:
        verb = "lagen" if plural else "lag"
        text = f"{verb} {format_year(years[0])} und {format_year(years[-1])} bei {with_unit(first, decimals, unit)}"
    # A series that turns: name the extreme in between, which first and last value hide.
    inner = list(zip(years[1:-1], values[1:-1], strict=True))
    high = max(inner, key=lambda p: p[1], default=None)
    low = min(inner, key=lambda p: p[1], default=None)
    extremes = []
    if high is not None and high[1] > max(first, last):
        extremes.append(f"Höchstwert {_at(high[1], high[0], decimals, unit)}")
    if low is not None and low[1] < min(first, last):
        extremes.append(f"Tiefstwert {_at(low[1], low[0], decimals, unit)}")
    if extremes:
        text += "; " + ", ".join(extremes)
    return text


def _comparison(points: Points, decimals: int, unit: str) -> str:
    """``Vergleich NRW: 67,03 … (2021)`` or ``Vergleich NRW: von A (2019) auf B (2021)``."""
    if len(points.values) == 1:
        return f"Vergleich {points.label}: {_at(points.values[0], points.years[0], decimals, unit)}."
    return (
        f"Vergleich {points.label}: von {_at(points.values[0], points.years[0], decimals, unit)} "
        f"auf {_at(points.values[-1], points.years[-1], decimals, unit)}."
    )


def _target(target: Target, unit: str) -> str | None:
    # A target is written with its own precision („100 %“, not „100,0 %“).
    decimals = 0 if target.value is None else decimals_of(str(target.value))
    if target.kind == "value" and target.value is not None and target.year is not None:
        return f"Ziel {format_year(target.year)}: {with_unit(target.value, decimals, unit)}."
    if target.kind == "hold" and target.value is not None:
        return f"Ziel: dauerhaft {with_unit(target.value, decimals, unit)}."
    if target.kind == "direction" and target.direction in ("higher", "lower"):
        return "Ziel: steigende Werte." if target.direction == "higher" else "Ziel: sinkende Werte."
    return None


def alt_text(
    title: str,
    unit: str,
    decimals: int,
    own: Points,
    *,
    comparisons: Sequence[Points] = (),
    targets: Sequence[Target] = (),
    plural: bool = False,
    notes: Sequence[str] = (),
) -> str:
    """The chart's text alternative.

    :param own: the Kommune's series up to the report year (at least one point)
    :param comparisons: comparison series (e.g. the Land), each with at least one point
    :param plural: whether the title is a plural (the verb agrees)
    :param notes: sentences about the axes, e.g. that the value axis does not start at 0

    >>> from decimal import Decimal as D
    >>> alt_text("CO₂-Bilanz", "t", 0, Points("", (2015, 2018), (D(2220), D(1595))))
    'Diagramm: CO₂-Bilanz sank von 2.220 t (2015) auf 1.595 t (2018).'
    """
    if len(own.values) == 1:
        parts = [f"Diagramm: {title} – {_development(own, decimals, unit, plural)}."]
    else:
        parts = [f"Diagramm: {title} {_development(own, decimals, unit, plural)}."]
    parts += [_comparison(c, decimals, unit) for c in comparisons if c.values]
    parts += [t for t in (_target(t, unit) for t in targets) if t]
    parts += [n for n in notes if n]
    # Identical sentences (e.g. two direction targets) are said once.
    return " ".join(dict.fromkeys(parts))


def no_chart_sentence(own: Points, comparisons: Sequence[Points] = ()) -> str | None:
    """The sentence that replaces a chart that would show nothing, or None if a chart is drawn.

    No chart for a single point (nothing to compare) or when every value is 0 (a flat line on
    the axis); the table shows the values.
    """
    if len(own.values) < 2:
        if not own.values:
            return "Kein Diagramm: Es gibt keine Werte."
        return f"Kein Diagramm: Es gibt nur einen Wert ({format_year(own.years[0])})."
    if all(v == 0 for p in (own, *comparisons) for v in p.values):
        return f"Kein Diagramm: Von {format_year(own.years[0])} bis {format_year(own.years[-1])} sind alle Werte 0."
    return None
