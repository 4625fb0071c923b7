"""Indicator status, computed from the data against the indicator's targets.

Two documented methods, chosen by the data: with at least four values the Destatis weather
symbols of the Deutsche Nachhaltigkeitsstrategie, with two or three values the progress measure
of Open SDG (Statistics Canada, Eurostat-inspired). Without a target there is no status: the
report's qualitative statement stands alone. Every status names its method.

Destatis: "average annual change" is read as the linear (absolute) change per year over the last
five years (last six data points, at least four), the plain reading of the method; it is carried
forward linearly to the target year.

Open SDG: compound annual growth rate (CAGR) from the base year (the first year from 2015 on, as
Open SDG's default) to the latest year. With a target value and year: the ratio of the observed
to the required CAGR (≥ 95 % auf Kurs, ≥ 60 % Beschleunigung nötig, ≥ 0 begrenzter Fortschritt,
else Verschlechterung); a target of 0 is computed as 0.001, as Open SDG does. A target already
met is "Ziel erreicht". A target without a year (to be held) or a direction only: the CAGR in the
desired direction (≥ 1.5 %, ≥ 0.5 %, ≥ 0). Open SDG's scaling near natural limits is not applied.
A series with a value ≤ 0 at its ends has no growth rate: no status.
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

# Open SDG progress categories, best to worst, with the German labels of this report.
PROGRESS = {
    "ziel-erreicht": "Ziel erreicht",
    "auf-kurs": "auf Kurs",
    "beschleunigung-noetig": "Fortschritt, Beschleunigung nötig",
    "begrenzter-fortschritt": "begrenzter Fortschritt",
    "verschlechterung": "Verschlechterung",
}
PROGRESS_ORDER = list(PROGRESS)
OPEN_SDG_MIN_VALUES = 2
OPEN_SDG_BASE_YEAR = 2015
RATIO_THRESHOLDS = (Decimal("0.95"), Decimal("0.6"), Decimal(0))
GROWTH_THRESHOLDS = (Decimal("0.015"), Decimal("0.005"), Decimal(0))
ZERO_TARGET = Decimal("0.001")

# The methods, as the status line names them.
METHODS = {
    "destatis": "Wettersymbole der Deutschen Nachhaltigkeitsstrategie (Destatis)",
    "open-sdg": "Fortschrittsmaß von Open SDG",
}
# The legend beside the list of indicators: which indicators have a status and how it is computed.
LEGEND_TITLE = "Bewertung der Indikatoren"
LEGEND_INTRO = (
    "Eine Bewertung steht nur bei Indikatoren mit einem Ziel der Kommune. Sie wird aus den Daten "
    "berechnet und ist keine politische Einschätzung. Bei Indikatoren ohne Ziel steht allein die "
    "Einordnung im Text. Die Bewertung nennt ihre Methode:"
)
LEGEND = {
    "destatis": (
        "bei mindestens vier Werten. Die durchschnittliche jährliche Veränderung der letzten fünf "
        "Jahre wird bis zum Zieljahr fortgeschrieben. Sonne: Ziel erreicht oder um weniger als 5 % "
        "des Abstands verfehlt; Leicht bewölkt: 5 bis 20 %; Wolke: richtige Richtung, aber mehr als "
        "20 %; Gewitter: keine Bewegung oder falsche Richtung."
    ),
    "open-sdg": (
        "bei zwei oder drei Werten. Berechnet wird die durchschnittliche jährliche Wachstumsrate "
        "vom ersten Wert ab 2015 bis zum neuesten. Mit Zielwert und Zieljahr wird sie mit der Rate "
        "verglichen, die zum Ziel nötig wäre: auf Kurs ab 95 %, Fortschritt, Beschleunigung nötig "
        "ab 60 %, begrenzter Fortschritt ab 0 %, sonst Verschlechterung. Ohne Zieljahr zählt die "
        "Rate in der gewünschten Richtung (ab 1,5 %, ab 0,5 %, ab 0 %). Ist das Ziel schon "
        "erreicht: Ziel erreicht."
    ),
}


@dataclass(frozen=True)
class Assessment:
    """The status (None: no assessment), a German explanation and the method that gave it."""

    status: str | None
    text: str
    method: str | None = None  # a key of METHODS

    @property
    def label(self) -> str:
        """E.g. ``Sonne``, ``auf Kurs`` or ``keine Bewertung``."""
        if self.status is None:
            return "keine Bewertung"
        return WEATHER.get(self.status) or PROGRESS[self.status]

    @property
    def method_name(self) -> str:
        """E.g. ``Fortschrittsmaß von Open SDG``; empty without a status."""
        return METHODS[self.method] if self.method else ""


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


def _cagr(first: Decimal, last: Decimal, years: int) -> Decimal | None:
    """Compound annual growth rate; None where it does not exist (a value ≤ 0, no time)."""
    if first <= 0 or last <= 0 or years <= 0:
        return None
    return Decimal(str((float(last) / float(first)) ** (1 / years) - 1))


def _category(value: Decimal, thresholds: tuple[Decimal, Decimal, Decimal]) -> str:
    high, medium, low = thresholds
    if value >= high:
        return "auf-kurs"
    if value >= medium:
        return "beschleunigung-noetig"
    if value >= low:
        return "begrenzter-fortschritt"
    return "verschlechterung"


def _progress(target: Target, years: list[int], values: list[Decimal], direction: str) -> str | None:
    """One target after Open SDG (``measure_indicator_progress`` in sdg-build)."""
    wanted = target.direction if target.kind == "direction" else direction
    sign = -1 if wanted == "lower" else 1
    base = next((n for n, year in enumerate(years) if year >= OPEN_SDG_BASE_YEAR), 0)
    first, last, span = values[base], values[-1], years[-1] - years[base]
    if target.kind in ("value", "hold") and target.value is not None:
        if wanted in ("higher", "lower") and (last - target.value) * sign >= 0:
            return "ziel-erreicht"
        if wanted not in ("higher", "lower") and last == target.value:
            return "ziel-erreicht"
    observed = _cagr(first, last, span)
    if observed is None:
        return None
    if target.kind == "value" and target.value is not None and target.year is not None:
        goal = target.value if target.value != 0 else ZERO_TARGET
        required = _cagr(first, goal, target.year - years[base])
        if required is None or required == 0:
            return None
        return _category(observed / required, RATIO_THRESHOLDS)
    return _category(observed * sign, GROWTH_THRESHOLDS)


def _assess_open_sdg(
    years: list[int], values: list[Decimal], targets: tuple[Target, ...], direction: str
) -> Assessment:
    ratings = [_progress(target, years, values, direction) for target in targets]
    known = [rating for rating in ratings if rating is not None]
    if len(known) < len(ratings):
        return Assessment(None, "keine Wachstumsrate berechenbar (Wert 0 oder negativ)")
    worst = max(known, key=PROGRESS_ORDER.index)
    return Assessment(worst, f"{len(targets)} Ziel(e) bewertet, {len(values)} Werte", "open-sdg")


def assess(years: list[int], values: list[Decimal], targets: tuple[Target, ...], direction: str) -> Assessment:
    """Assess the series (already limited to the report year) against all its targets.

    Several targets: each is assessed, the worst rating wins. Four values or more: Destatis;
    two or three: Open SDG; fewer, or no target: no assessment.
    """
    if not targets:
        return Assessment(None, "kein Ziel gesetzt")
    if len(values) < OPEN_SDG_MIN_VALUES:
        return Assessment(None, f"weniger als {OPEN_SDG_MIN_VALUES} Werte")
    if len(values) < MIN_VALUES:
        return _assess_open_sdg(years, values, targets, direction)
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
    return Assessment(worst, f"{len(targets)} Ziel(e) bewertet, {len(values)} Werte", "destatis")
