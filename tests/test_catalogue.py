"""The BNK catalogue as data: the shipped 2021 edition and validation of malformed files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bnk.data import BnkDataError
from bnk.data.catalogue import (
    available_editions,
    edition_path,
    load_catalogue,
    normalise_aspect_number,
    parse_chapter_number,
)


def test_edition_2021_has_18_chapters_and_73_known_aspects():
    catalogue = load_catalogue(str(edition_path("2021")))
    assert available_editions() == ["2021"]
    assert [c.number for c in catalogue.chapters] == list(range(1, 19))
    assert [c.label for c in catalogue.chapters[:2]] == ["Kriterium 01", "Kriterium 02"]
    assert catalogue.chapter(18).heading == "Handlungsfeld 18: Globale Verantwortung und Eine Welt"
    assert len(catalogue.aspects) == 73
    assert catalogue.total_aspects_stated == 79
    per_chapter = {c.number: len(c.aspects) for c in catalogue.chapters}
    assert per_chapter == {
        1: 4,
        2: 3,
        3: 4,
        4: 3,
        5: 2,
        6: 4,
        7: 2,
        8: 5,
        9: 3,
        10: 3,
        11: 9,
        12: 3,
        13: 6,
        14: 8,
        15: 0,
        16: 5,
        17: 6,
        18: 3,
    }


def test_field_15_is_modelled_as_unknown_not_invented():
    catalogue = load_catalogue(str(edition_path("2021")))
    field_15 = catalogue.chapter(15)
    assert field_15.aspects == ()
    assert field_15.aspects_known is False
    assert all(c.aspects_known for c in catalogue.chapters if c.number != 15)


def test_generic_wording_and_scope_use_kommune():
    catalogue = load_catalogue(str(edition_path("2021")))
    assert catalogue.aspect("2.1").title == "Besonderheiten der Verwaltung und der Kommune"
    assert catalogue.aspect("2.1").title_derived is True
    assert catalogue.aspect("10.1").title == "Kommunaler Klimaschutz: Leitbilder – Ziele – Konzepte"
    assert catalogue.aspect("1.1").anchor == "aspekt-1-1"
    assert all(c.scope.startswith("Die Kommune") for c in catalogue.chapters)
    assert not any(re.search(r"\bKreis(es)?\b", c.scope) for c in catalogue.chapters)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.1", "1.1"), ("01.1", "1.1"), (" 10.02 ", "10.2"), ("1", None), ("a.b", None), ("1.1.1", None)],
)
def test_normalise_aspect_number(text, expected):
    assert normalise_aspect_number(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("01", 1), ("18", 18), ("7", 7), ("x", None), ("100", None)])
def test_parse_chapter_number(text, expected):
    assert parse_chapter_number(text) == expected


GOOD = """[edition]
id = "x"
title = "X"

[[chapter]]
number = 1
kind = "kriterium"
title = "Strategie"
scope = "Die Kommune …"

[[chapter.aspect]]
number = "1.1"
title = "Strategie"
"""


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("[edition\n", "Katalogdatei ist kein gültiges TOML", 1),
        (GOOD.replace('[edition]\nid = "x"\ntitle = "X"\n', ""), "Katalog: Abschnitt [edition] fehlt.", 1),
        (GOOD.replace('kind = "kriterium"', 'kind = "ziel"'), "Katalog: Kapitel 1 hat die Art 'ziel'", 6),
        (GOOD.replace('number = "1.1"', 'number = "2.1"'), "Katalog: Aspektnummer '2.1' passt nicht zu Kapitel 1", 12),
        (
            GOOD.replace('title = "Strategie"\nscope', 'title = ""\nscope'),
            "Katalog: Kapitel 1 hat kein gültiges Feld „title“",
            6,
        ),
        (GOOD + '\n[[chapter.aspect]]\nnumber = "1.1"\ntitle = "Doppelt"\n', "Katalog: Aspekt 1.1 ist doppelt.", 12),
        (
            GOOD.replace("number = 1\n", "number = 0\n"),
            "Katalog: Kapitelnummer 0 ist keine ganze Zahl von 1 bis 99.",
            6,
        ),
    ],
)
def test_malformed_catalogue_is_located(tmp_path: Path, text, message, line):
    path = tmp_path / "katalog.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BnkDataError) as info:
        load_catalogue(str(path))
    assert info.value.msg.startswith(message)
    assert info.value.path == str(path)
    assert info.value.line == line
