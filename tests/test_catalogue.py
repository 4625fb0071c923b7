"""The BNK catalogue as data: the shipped 2021 edition and validation of malformed files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bnk.data import BnkDataError
from bnk.data.catalogue import (
    SCHEMA_PATH,
    available_editions,
    check_catalogue_file,
    code_key,
    edition_path,
    load_catalogue,
)


def test_edition_2021_has_18_chapters_and_73_known_aspects():
    catalogue = load_catalogue(str(edition_path("2021")))
    assert available_editions() == ["2021"]
    assert [c.code for c in catalogue.chapters] == [f"{n:02d}" for n in range(1, 19)]
    assert [g.title for g in catalogue.groups] == ["Steuerung", "Handlungsfelder"]
    assert [c.group.id for c in catalogue.chapters] == ["steuerung"] * 9 + ["handlungsfelder"] * 9
    assert catalogue.core_indicators == ()  # BNK 1.0 has no Kernindikatoren
    assert [c.label for c in catalogue.chapters[:2]] == ["Kriterium 01", "Kriterium 02"]
    assert catalogue.chapter(18).heading == "Handlungsfeld 18: Globale Verantwortung und Eine Welt"
    assert len(catalogue.aspects) == 73
    assert catalogue.total_aspects_stated == 79
    per_chapter = {int(c.code): len(c.aspects) for c in catalogue.chapters}
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
    assert all(c.aspects_known for c in catalogue.chapters if c.code != "15")


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
    [
        ("1.1", "1.1"),
        ("01.1", "1.1"),
        (" 10.02 ", "10.2"),
        ("1", "1"),
        ("12", "12"),
        ("A3", "a3"),
        ("a03", "a3"),
        (7, "7"),
        ("a.b", "a.b"),
        ("", None),
        ("1 2", None),
        ("١٢", None),  # Arabic-Indic digits: not ASCII
        ("x" * 13, None),
        (None, None),
        (True, None),
    ],
)
def test_code_key(text, expected):
    assert code_key(text) == expected


def test_the_shipped_catalogue_follows_its_json_schema():
    import json
    import tomllib

    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validate(tomllib.loads(edition_path("2021").read_text(encoding="utf-8")), schema)
    assert (
        edition_path("2021").read_text(encoding="utf-8").startswith("#:schema ../../schema/bnk-catalogue.schema.json")
    )


GOOD = """[edition]
id = "x"
title = "X"

[[group]]
id = "s"
title = "Steuerung"

[[chapter]]
code = "1"
group = "s"
title = "Strategie"
question = "Die Kommune …"

[[chapter.aspect]]
code = "1.1"
title = "Strategie"
"""

# Two shapes unlike BNK 1.0, clearly fictional: aspects numbered 1…n across chapters with
# letters, and letter-number codes in one group without guiding questions.
NUMBERED = """[edition]
id = "test-a"
title = "Testkatalog A"

[[group]]
id = "felder"
title = "Testfelder"

[[group]]
id = "steuerung"
title = "Teststeuerung"
chapter_label = "Testkriterium"

[[chapter]]
code = "B"
group = "felder"
title = "Testkapitel B"

[[chapter.aspect]]
code = "12"
title = "Testaspekt 12"

[[chapter]]
code = "A"
group = "steuerung"
title = "Testkapitel A"
question = "Testleitfrage A?"

[[chapter.aspect]]
code = "3"
title = "Testaspekt 3"

[[core_indicator]]
code = "K1"
title = "Testkernindikator K1"
aspect = "12"
unit = "%"
definition = "Testdefinition"
sdg = "1.3"
"""


def test_catalogues_of_other_shapes(tmp_path: Path):
    path = tmp_path / "a.toml"
    path.write_text(NUMBERED, encoding="utf-8")
    catalogue = load_catalogue(str(path))
    # Catalogue order is the file's order, not a numeric one.
    assert [c.heading for c in catalogue.chapters] == ["Kapitel B: Testkapitel B", "Testkriterium A: Testkapitel A"]
    assert [c.anchor for c in catalogue.chapters] == ["kapitel-b", "testkriterium-a"]
    assert [a.code for a in catalogue.aspects] == ["12", "3"]
    assert catalogue.aspect("012").title == "Testaspekt 12"
    assert catalogue.aspect("12").anchor == "aspekt-12"
    assert catalogue.chapter("a").question == "Testleitfrage A?"
    core = catalogue.core_indicator("k1")
    assert (core.label, core.aspect, core.unit, core.sdg, core.anchor) == (
        "Kernindikator K1",
        "12",
        "%",
        "1.3",
        "kernindikator-k1",
    )
    letters = tmp_path / "b.toml"
    letters.write_text(
        GOOD.replace('code = "1.1"', 'code = "A3"').replace('code = "1"\n', 'code = "Z"\n'), encoding="utf-8"
    )
    assert [a.code for a in load_catalogue(str(letters)).aspects] == ["A3"]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("[edition\n", "Katalogdatei ist kein gültiges TOML", 1),
        (GOOD.replace('[edition]\nid = "x"\ntitle = "X"\n', ""), "Katalog: [edition] braucht „id“ (Text).", 1),
        (GOOD.replace('group = "s"', 'group = "z"'), "Kapitel 1: unbekannte Gruppe 'z' (bekannt: s).", 11),
        (
            GOOD.replace('title = "Strategie"\nquestion', 'title = ""\nquestion'),
            "Kapitel 1: „title“ fehlt oder ist leer.",
            12,
        ),
        (GOOD + '\n[[chapter.aspect]]\ncode = "01.1"\ntitle = "Doppelt"\n', "Aspekt 01.1 ist doppelt.", 20),
        (GOOD.replace('code = "1"\n', 'code = "1 2"\n'), "Kapitel: '1 2' ist kein Kapitelcode", 10),
        (
            GOOD + '\n[[core_indicator]]\ncode = "7"\ntitle = "T"\naspect = "9"\n',
            "Kernindikator 7 gehört zu Aspekt '9', den der Katalog nicht kennt.",
            22,
        ),
        (
            GOOD + '\n[[chapter.aspect]]\ncode = "2"\ntitle = "Gemischt"\n',
            "Aspekt 2: gemischte Nummerierung; die meisten Aspekte sind als",
            20,
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


def test_every_problem_of_a_catalogue_file_at_once(tmp_path: Path):
    path = tmp_path / "katalog.toml"
    path.write_text(
        GOOD.replace('title = "Strategie"\nquestion', 'title = ""\nquestion')
        + '\n[[chapter.aspect]]\ncode = "1.1"\ntitle = "Doppelt"\n'
        + '\n[[core_indicator]]\ncode = "7"\ntitle = ""\naspect = "9"\n',
        encoding="utf-8",
    )
    catalogue, errors = check_catalogue_file(str(path))
    assert catalogue is None
    assert [(e.line, e.msg) for e in errors] == [
        (12, "Kapitel 1: „title“ fehlt oder ist leer."),
        (20, "Aspekt 1.1 ist doppelt."),
        (25, "Kernindikator 7: „title“ fehlt oder ist leer."),
        (26, "Kernindikator 7 gehört zu Aspekt '9', den der Katalog nicht kennt."),
    ]
    with pytest.raises(BnkDataError) as info:
        load_catalogue(str(path))
    assert info.value.msg == (
        f"Kapitel 1: „title“ fehlt oder ist leer. (und 3 weitere Probleme; alle zeigt „bnk katalog prüfen {path}“)"
    )
