"""Indicator status: Destatis weather rules (four values or more), Open SDG progress (two or three)."""

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
    assert assess(YEARS, values, targets, "higher").method == "destatis"
    one = assess(YEARS[:1], values[:1], targets, "higher")
    assert one.status is None and one.label == "keine Bewertung" and one.text == "weniger als 2 Werte"
    none = assess(YEARS, values, (), "higher")
    assert (none.status, none.text, none.method_name) == (None, "kein Ziel gesetzt", "")


# -- Open SDG progress measure (two or three values) ----------------------------------------------


def test_open_sdg_with_a_zero_target_as_heinsberg_co2():
    # CAGR 2015→2018 −10,4 %; required to reach 0.001 (Open SDG's stand-in for 0) by 2035 −51,8 %:
    # ratio 0,20 → begrenzter Fortschritt.
    result = assess([2015, 2017, 2018], _values(2220, 1646, 1595), (Target("value", "", D(0), 2035),), "lower")
    assert (result.status, result.label, result.method) == (
        "begrenzter-fortschritt",
        "begrenzter Fortschritt",
        "open-sdg",
    )
    assert result.method_name == "Fortschrittsmaß von Open SDG"


@pytest.mark.parametrize(
    ("latest", "expected"),
    [
        # target 30 by 2025 from 10 in 2015: required CAGR 11,6 %
        (17, "auf-kurs"),  # 11,2 % → ratio 0,96
        (15, "beschleunigung-noetig"),  # 8,4 % → 0,73
        (11, "begrenzter-fortschritt"),  # 1,9 % → 0,17
        (9, "verschlechterung"),  # negative
        (30, "ziel-erreicht"),
    ],
)
def test_open_sdg_ratio_to_the_required_growth(latest, expected):
    target = (Target("value", "", D(30), 2025),)
    assert assess([2015, 2020], _values(10, latest), target, "higher").status == expected


@pytest.mark.parametrize(
    ("years", "values", "direction", "expected"),
    [
        ([2019, 2020, 2021], (4.3, 3.6, 3.7), "lower", "auf-kurs"),  # −7,2 % a year, the wanted way
        ([2020, 2021], (100, 101), "higher", "beschleunigung-noetig"),  # 1,0 %
        ([2020, 2021], (100, "100.2"), "higher", "begrenzter-fortschritt"),  # 0,2 %
        ([2019, 2020, 2021], ("617.8", "628.7", "634.3"), "lower", "verschlechterung"),  # PKW-Dichte
        # base year 2015 (not 2013): +0,5 % a year 2015→2017 is limited; from 2013 it would fall
        ([2013, 2015, 2017], (20, 10, "10.1"), "higher", "begrenzter-fortschritt"),
    ],
)
def test_open_sdg_growth_in_the_wanted_direction(years, values, direction, expected):
    target = (Target("direction", "", direction=direction),)
    assert assess(years, _values(*values), target, direction).status == expected


def test_open_sdg_hold_target_reached_or_no_growth_rate():
    held = assess([2020, 2021, 2022], _values(0, 0, 0), (Target("hold", "", D(0)),), "lower")
    assert (held.status, held.label) == ("ziel-erreicht", "Ziel erreicht")
    # Not held and starting at 0: no growth rate exists, so no status (and no badge).
    lost = assess([2019, 2020, 2021], _values(0, 0, "12.5"), (Target("hold", "", D(0)),), "lower")
    assert (lost.status, lost.method) == (None, None)
    # A hold target without a year is measured by the growth in the wanted direction.
    rising = assess([2017, 2018, 2019], _values("90.3", "95.6", "96.4"), (Target("hold", "", D(100)),), "higher")
    assert rising.status == "auf-kurs"  # +3,3 % a year


def test_a_target_year_in_the_past_is_named_with_its_line(tmp_path):
    """Before the report year, or – without one – before the last data year; the report year itself
    and later are no past."""
    from bnk.data.csvdata import load_indicator_csv
    from bnk.data.indicator import build_view
    from bnk.data.metadata import load_metadata

    meta_path, csv_path = tmp_path / "x.yaml", tmp_path / "x.csv"
    meta_path.write_text(
        "title: X\ndefinition: X\nunit: Anzahl\nsource: Testamt\nindicator_set: eigene\ndirection: higher\n"
        "targets:\n  - {value: 5, year: 2020}\n  - {value: 6, year: 2022}\n  - {value: 7, hold: true}\n",
        encoding="utf-8",
    )
    csv_path.write_text("year,value\n2019,1\n2021,2\n2022,3\n", encoding="utf-8")
    meta, data = load_metadata(meta_path, "x"), load_indicator_csv(csv_path)
    advice = "Bitte das Zieljahr prüfen oder ein aktuelles Ziel eintragen (ein zu haltendes Ziel: „hold: true“)."
    assert build_view(meta, data, kommune="K", report_year=2021).past_targets == (
        (f"Ziel 1 in „targets“ von „x“: das Zieljahr 2020 liegt vor dem Berichtsjahr 2021. {advice}", 7),
    )
    assert build_view(meta, data, kommune="K", report_year=None).past_targets == (
        (f"Ziel 1 in „targets“ von „x“: das Zieljahr 2020 liegt vor dem letzten Datenjahr 2022. {advice}", 7),
    )
    assert build_view(meta, data, kommune="K", report_year=2020).past_targets == ()
    assert [m for m, _ in build_view(meta, None, kommune="K", report_year=2023).past_targets] == [
        f"Ziel 1 in „targets“ von „x“: das Zieljahr 2020 liegt vor dem Berichtsjahr 2023. {advice}",
        f"Ziel 2 in „targets“ von „x“: das Zieljahr 2022 liegt vor dem Berichtsjahr 2023. {advice}",
    ]
