"""The one arithmetic and formatting rule for every number shown (unit and property tests)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from bnk.data.numbers import compute_change, decimals_of, format_number, format_year, is_percent_unit
from hypothesis import given
from hypothesis import strategies as st

NBSP = "\u00a0"
D = Decimal


TINY = "0.000000000000000000000000000001"  # 10^-30: 31 significant places
WIDE = "12345678901234.123456789012345"  # 29 significant digits, under the build's limit of 10^15


@pytest.mark.parametrize(
    ("oldest", "newest", "decimals", "percent", "display_abs", "display_rel"),
    [
        ("311", "355", 0, False, "+44", f"+14,1{NBSP}%"),
        ("2220", "1595", 0, False, "−625", f"−28,2{NBSP}%"),
        ("90.3", "96.4", 1, True, f"+6,1{NBSP}%P", f"+6,8{NBSP}%"),
        ("25.3", "26.2", 1, True, f"+0,9{NBSP}%P", f"+3,6{NBSP}%"),
        ("-45.2", "8.2", 1, False, "+53,4", f"+118,1{NBSP}%"),  # negative oldest: relative to |oldest|
        ("0.0", "0.0", 1, False, "±0,0", "–"),  # oldest 0: relative undefined
        ("0", "12", 0, False, "+12", "–"),
        ("1", "2", 0, False, "+1", f"+100,0{NBSP}%"),
        ("8.4", "6.8", 1, False, "−1,6", f"−19,0{NBSP}%"),
        ("1000000", "2500000", 0, False, "+1.500.000", f"+150,0{NBSP}%"),
        ("0.05", "0.10", 2, False, "+0,05", f"+100,0{NBSP}%"),
        ("3", "3", 0, True, f"±0{NBSP}%P", f"±0,0{NBSP}%"),
        # Decimal edges, exact and never an InvalidOperation from Python's 28-digit context: a tiny
        # oldest value (5 / 10^-30 × 100 − 100) and 29 significant digits (the last one counts).
        (
            TINY,
            "5",
            30,
            False,
            "+4,999999999999999999999999999999",
            f"+499.999.999.999.999.999.999.999.999.999.900,0{NBSP}%",
        ),
        ("-" + TINY, "0", 30, False, "+0,000000000000000000000000000001", f"+100,0{NBSP}%"),
        (WIDE, "12345678901234.123456789012346", 15, False, "+0,000000000000001", f"±0,0{NBSP}%"),
        (WIDE, "-" + TINY, 30, False, "−12.345.678.901.234,123456789012345000000000000001", f"−100,0{NBSP}%"),
        ("99999999999999.999999999999995", "0", 15, False, "−99.999.999.999.999,999999999999995", f"−100,0{NBSP}%"),
    ],
)
def test_change_figures(oldest, newest, decimals, percent, display_abs, display_rel):
    change = compute_change(D(oldest), D(newest), decimals, percent)
    assert change.display_abs == display_abs
    assert change.display_rel == display_rel


def test_rounding_is_half_away_from_zero_on_exact_decimals():
    # 0.125 rounds to 0.13 (half up), -0.125 to -0.13; binary floats would give 0.12.
    assert format_number(D("0.125"), 2) == "0,13"
    assert format_number(D("-0.125"), 2) == "−0,13"
    assert format_number(D("-0.125"), 2, minus="-") == "-0,13"
    assert compute_change(D("100"), D("100.05"), 1, False).display_rel == f"+0,1{NBSP}%"  # 0.05 -> 0,1


def test_29_digit_values_round_half_away_from_zero_exactly():
    assert format_number(D("12345678901234567890123456789"), 0) == "12.345.678.901.234.567.890.123.456.789"
    assert format_number(D("99999999999999.999999999999995"), 14) == "100.000.000.000.000,00000000000000"
    assert format_number(D("-99999999999999.999999999999995"), 14) == "−100.000.000.000.000,00000000000000"
    assert format_number(D(WIDE), 15) == "12.345.678.901.234,123456789012345"


def test_years_never_get_a_thousands_separator():
    assert format_year(2019) == "2019"
    assert format_number(D(2019), 0) == "2.019"  # which is why years have their own formatter


def test_decimals_and_units():
    assert decimals_of("96.40") == 2
    assert decimals_of("2220") == 0
    assert is_percent_unit("%") and not is_percent_unit("Euro je Einwohnerin/Einwohner")


values = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(oldest=values, newest=values, percent=st.booleans())
def test_sign_matches_direction_and_relative_is_consistent(oldest, newest, percent):
    change = compute_change(oldest, newest, 2, percent)
    text = change.display_abs
    if change.absolute_rounded > 0:
        assert text.startswith("+")
    elif change.absolute_rounded < 0:
        assert text.startswith("\u2212")  # the typographic minus sign, never the hyphen
    else:
        assert text.startswith("±")
    assert text.endswith(f"{NBSP}%P") == percent
    if oldest == 0:
        assert change.relative is None and change.display_rel == "–"
    else:
        assert change.relative == (newest - oldest) / abs(oldest) * 100
        assert change.display_rel.endswith(f"{NBSP}%")
        # The relative change has the sign of the absolute change, whatever the sign of oldest.
        if newest != oldest:
            assert (change.relative > 0) == (newest > oldest)


@given(value=st.decimals(min_value=-(10**12), max_value=10**12, places=3, allow_nan=False, allow_infinity=False))
def test_formatted_numbers_parse_back(value):
    text = format_number(value, 3)
    parsed = D(text.replace(".", "").replace(",", ".").replace("\u2212", "-").lstrip("±"))
    assert parsed == value.quantize(D("0.001"))
