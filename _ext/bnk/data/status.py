"""Indicator status after the Destatis weather rules of the Deutsche Nachhaltigkeitsstrategie.

"Average annual change" is read as the linear (absolute) change per year over the last five
years (last six data points, at least four), the plain reading of the method; it is carried
forward linearly to the target year.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bnk.data.metadata import Target

WEATHER = {
    "sonne": "Sonne",
    "leicht-bewoelkt": "Leicht bewölkt",
    "wolke": "Wolke",
    "gewitter": "Gewitter",
}
ORDER = list(WEATHER)  # best to worst
MIN_VALUES = 4
WINDOW = 6


@dataclass(frozen=True)
class Assessment:
    """The weather symbol (None: no assessment) and a German explanation."""

    status: str | None
    text: str

    @property
    def label(self) -> str:
        """E.g. ``Sonne`` or ``keine Bewertung``."""
        return WEATHER[self.status] if self.status else "keine Bewertung"


def _sign(value: Decimal) -> int:
    return (value > 0) - (value < 0)


def _assess_value(target: Target, years: list[int], values: list[Decimal], avg: Decimal) -> str:
    current = values[-1]
    gap = target.value - current  # type: ignore[operator]
    if gap == 0:
        return "sonne"
    projected = current + avg * (target.year - years[-1])  # type: ignore[operator]
    remaining = target.value - projected
    if _sign(remaining) != _sign(gap):
        return "sonne"  # the trend reaches the target by the target year
    if _sign(avg) != _sign(gap):
        return "gewitter"  # no movement or the wrong direction
    miss = abs(remaining) / abs(gap)
    if miss < Decimal("0.05"):
        return "sonne"
    if miss <= Decimal("0.20"):
        return "leicht-bewoelkt"
    return "wolke"


def _assess_hold(target: Target, values: list[Decimal], avg: Decimal, direction: str) -> str:
    current = values[-1]
    wanted = 1 if direction == "higher" else -1 if direction == "lower" else 0
    if wanted:
        reached = _sign(current - target.value) * wanted >= 0  # type: ignore[operator]
        worsening = _sign(avg) * wanted < 0
        towards = _sign(avg) * wanted > 0
    else:
        reached = current == target.value
        worsening = False
        towards = _sign(avg) == _sign(target.value - current)  # type: ignore[operator]
    if reached:
        return "leicht-bewoelkt" if worsening else "sonne"
    return "wolke" if towards else "gewitter"


def _assess_direction(target: Target, values: list[Decimal], avg: Decimal) -> str:
    wanted = 1 if target.direction == "higher" else -1
    last = values[-1] - values[-2]
    avg_ok = _sign(avg) * wanted > 0
    last_ok = _sign(last) * wanted > 0
    if avg_ok and last_ok:
        return "sonne"
    if avg_ok:
        return "leicht-bewoelkt"
    if last_ok:
        return "wolke"
    return "gewitter"


def assess(years: list[int], values: list[Decimal], targets: tuple[Target, ...], direction: str) -> Assessment:
    """Assess the series (already limited to the report year) against all its targets.

    Several targets: each is assessed, the worst rating wins.
    """
    if not targets:
        return Assessment(None, "kein Ziel gesetzt")
    if len(values) < MIN_VALUES:
        return Assessment(None, f"weniger als {MIN_VALUES} Werte")
    years, values = years[-WINDOW:], values[-WINDOW:]
    span = years[-1] - years[0]
    avg = (values[-1] - values[0]) / span if span else Decimal(0)
    ratings = []
    for target in targets:
        if target.kind == "value":
            ratings.append(_assess_value(target, years, values, avg))
        elif target.kind == "hold":
            ratings.append(_assess_hold(target, values, avg, direction))
        else:
            ratings.append(_assess_direction(target, values, avg))
    worst = max(ratings, key=ORDER.index)
    return Assessment(worst, f"{len(targets)} Ziel(e) bewertet, {len(values)} Werte")
