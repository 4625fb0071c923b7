"""SDG data: titles, official colours, badge text contrast, and the CSS generated from it."""

from __future__ import annotations

from pathlib import Path

import bnk
import pytest
from bnk.data.sdgs import SDGS, contrast_ratio, parse_sdg_list


def test_seventeen_sdgs_with_german_titles():
    assert sorted(SDGS) == list(range(1, 18))
    assert SDGS[13].title == "Maßnahmen zum Klimaschutz"
    assert SDGS[7].colour == "#FCC30B"


@pytest.mark.parametrize("number", range(1, 18))
def test_badge_text_has_sufficient_contrast(number):
    sdg = SDGS[number]
    # WCAG 2 AA for normal text.
    assert contrast_ratio(sdg.colour, sdg.text_colour) >= 4.5


def test_dark_text_on_light_badges():
    assert SDGS[7].text_colour == "#1A1A1A"  # yellow
    assert SDGS[13].text_colour == "#FFFFFF"  # dark green


def test_contrast_ratio_extremes():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)


def test_css_matches_the_data():
    css = (Path(bnk.__file__).parent / "static" / "bnk.css").read_text(encoding="utf-8")
    for sdg in SDGS.values():
        assert f".bnk-sdg-{sdg.number} {{ background: {sdg.colour}; color: {sdg.text_colour}; }}" in css


@pytest.mark.parametrize(
    ("text", "numbers", "invalid"),
    [("7, 13", [7, 13], []), ("SDG 13; 7", [7, 13], []), ("13, 13", [13], []), ("0, 18, x", [], ["0", "18", "x"])],
)
def test_parse_sdg_list(text, numbers, invalid):
    assert parse_sdg_list(text) == (numbers, invalid)
