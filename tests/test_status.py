"""Destatis weather rules for the indicator status."""

from __future__ import annotations

from decimal import Decimal

import pytest
from bnk.data.metadata import Target
from bnk.data.status import assess

D = Decimal
YEARS = [2016, 2017, 2018, 2019, 2020, 2021]


def _values(*numbers):
    return [D(str(n)) for n in numbers]


@pytest.mark.parametrize(
    ("values", "target", "expected"),
    [
        # 10 -> 20 in 5 years: +2/yr; target 30 by 2026 reached exactly -> Sonne
        (_values(10, 12, 14, 16, 18, 20), Target("value", "", D(30), 2026), "sonne"),
        # target 31 by 2026: projection 30 misses by 1 of 11 (9 %) -> Leicht bewölkt
        (_values(10, 12, 14, 16, 18, 20), Target("value", "", D(31), 2026), "leicht-bewoelkt"),
        # target 40 by 2026: misses by 10 of 20 (50 %) -> Wolke
        (_values(10, 12, 14, 16, 18, 20), Target("value", "", D(40), 2026), "wolke"),
        # wrong direction -> Gewitter
        (_values(20, 18, 16, 14, 12, 10), Target("value", "", D(30), 2026), "gewitter"),
        # no movement -> Gewitter
        (_values(10, 10, 10, 10, 10, 10), Target("value", "", D(30), 2026), "gewitter"),
        # within 5 %: target 30.4 -> miss 0.4 of 10.4 (3.8 %) -> Sonne
        (_values(10, 12, 14, 16, 18, 20), Target("value", "", D("30.4"), 2026), "sonne"),
    ],
)
def test_value_targets(values, target, expected):
    assert assess(YEARS, values, (target,), "higher").status == expected


@pytest.mark.parametrize(
    ("values", "direction", "expected"),
    [
        (_values(5, 4, 3, 2, 1, 0), "lower", "sonne"),  # held (0) and not worsening
        (_values(0, 0, 0, 0, 0, 0), "lower", "sonne"),
        (_values(-5, -4, -3, -2, -1, 0), "lower", "leicht-bewoelkt"),  # held but worsening
        (_values(9, 8, 7, 6, 5, 4), "lower", "wolke"),  # not held, moving towards
        (_values(1, 2, 3, 4, 5, 6), "lower", "gewitter"),
    ],
)
def test_hold_targets(values, direction, expected):
    assert assess(YEARS, values, (Target("hold", "", D(0)),), direction).status == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (_values(1, 2, 3, 4, 5, 6), "sonne"),
        (_values(1, 2, 3, 4, 7, 6), "leicht-bewoelkt"),  # average up, last change down
        (_values(6, 5, 4, 3, 2, 3), "wolke"),  # average down, last change up
        (_values(6, 5, 4, 3, 2, 1), "gewitter"),
    ],
)
def test_direction_targets(values, expected):
    assert assess(YEARS, values, (Target("direction", "", direction="higher"),), "higher").status == expected


def test_worst_rating_wins_and_minimum_values():
    values = _values(1, 2, 3, 4, 5, 6)
    targets = (Target("direction", "", direction="higher"), Target("value", "", D(100), 2026))
    assert assess(YEARS, values, targets, "higher").status == "wolke"  # 6 + 5 = 11 of 100
    few = assess(YEARS[:3], values[:3], targets, "higher")
    assert few.status is None and few.label == "keine Bewertung" and few.text == "weniger als 4 Werte"
    assert assess(YEARS, values, (), "higher").text == "kein Ziel gesetzt"
