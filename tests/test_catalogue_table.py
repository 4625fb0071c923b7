"""A catalogue from the Kommune's table (``bnk katalog import``), ``bnk new --katalog`` and the
comply-or-explain of aspects and Kernindikatoren on a catalogue of another shape than BNK 1.0.

Every catalogue here is fictional ("Testaspekt 12"): the toolkit never ships or guesses BNK 2.0.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from bnk.cli import main
from bnk.data.catalogue import load_catalogue
from bnk.importers import BnkImportError
from bnk.importers.catalogue import import_catalogue
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_report import build

ASPECT_HEADER = ["Gruppe", "Kapitel", "Kapiteltitel", "Leitfrage", "Aspekt", "Aspekttitel"]
CORE_HEADER = ["Kernindikator", "Titel", "Aspekt", "Einheit", "Definition"]
CORE_ASPECTS = ["3", "8", "13", "18", "23", "28"]


def fictional_rows() -> tuple[list[list[str]], list[list[str]]]:
    """Aspects "1"…"30" in 6 chapters of 3 groups; 6 Kernindikatoren, one per chapter."""
    aspects = []
    for number in range(1, 31):
        chapter = (number - 1) // 5 + 1
        group = "ABC"[(chapter - 1) // 2]
        aspects.append(
            [
                f"Testgruppe {group}",
                f"T{chapter}",
                f"Testkapitel {chapter}",
                f"Testleitfrage {chapter}?",
                str(number),
                f"Testaspekt {number}",
            ]
        )
    core = [
        [f"K{i}", f"Testkernindikator {i}", aspect, "%", f"Testdefinition {i}"]
        for i, aspect in enumerate(CORE_ASPECTS, start=1)
    ]
    return aspects, core


def write_xlsx(path: Path, aspects: list[list[object]], core: list[list[object]] | None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Aspekte"
    for row in [ASPECT_HEADER, *aspects]:
        sheet.append(row)
    if core is not None:
        other = book.create_sheet("Kernindikatoren")
        for row in [CORE_HEADER, *core]:
            other.append(row)
    book.save(path)
    return path


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "cp1252") -> Path:
    """As German Excel saves "CSV (Trennzeichen-getrennt)": semicolons, Windows-1252, CRLF."""
    lines = [";".join(header), *(";".join(row) for row in rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def test_import_of_a_fictional_table_gives_exactly_its_catalogue(tmp_path: Path):
    aspects, core = fictional_rows()
    catalogue, text = import_catalogue([write_xlsx(tmp_path / "t.xlsx", aspects, core)], "test-30", "Testkatalog 30")
    assert [g.title for g in catalogue.groups] == ["Testgruppe A", "Testgruppe B", "Testgruppe C"]
    assert [c.heading for c in catalogue.chapters][:2] == ["Kapitel T1: Testkapitel 1", "Kapitel T2: Testkapitel 2"]
    assert [c.question for c in catalogue.chapters][5] == "Testleitfrage 6?"
    assert [a.code for a in catalogue.aspects] == [str(n) for n in range(1, 31)]
    assert (catalogue.core_indicators[0].code, catalogue.core_indicators[0].aspect) == ("K1", "3")
    assert [(c.code, c.aspect, c.unit) for c in catalogue.core_indicators[1:]] == [
        ("K2", "8", "%"),
        ("K3", "13", "%"),
        ("K4", "18", "%"),
        ("K5", "23", "%"),
        ("K6", "28", "%"),
    ]
    # The written TOML reads back as the same catalogue.
    (tmp_path / "test-30.toml").write_text(text, encoding="utf-8")
    again = load_catalogue(str(tmp_path / "test-30.toml"))
    assert [(a.code, a.title, a.chapter) for a in again.aspects] == [
        (a.code, a.title, a.chapter) for a in catalogue.aspects
    ]
    assert again.core_indicators == catalogue.core_indicators
    # German Excel CSV gives the same catalogue.
    _csv_catalogue, csv_text = import_catalogue(
        [
            write_csv(tmp_path / "aspekte.csv", ASPECT_HEADER, aspects),
            write_csv(tmp_path / "kern.csv", CORE_HEADER, core),
        ],
        "test-30",
        "Testkatalog 30",
    )
    assert csv_text.replace("aspekte.csv, kern.csv", "t.xlsx") == text


def test_a_bad_table_gives_every_problem_located_and_writes_nothing(tmp_path: Path):
    aspects, core = fictional_rows()
    aspects[1][5] = ""  # empty title (row 3)
    aspects[3][4] = "1"  # duplicate aspect (row 5)
    aspects[6][4] = "6.1"  # mixed numbering (row 8)
    aspects.insert(10, [""] * 6)  # an empty row between entries is skipped; later rows keep their numbers
    aspects[12][4] = "=A1&B1"  # a formula (row 14)
    aspects[20][1] = "T1"  # aspect 20 in chapter T1 with another title (row 22)
    core[1][2] = "99"  # unknown aspect (row 3)
    core.append(["K1", "Doppelt", "3", "%", ""])  # duplicate Kernindikator (row 8)
    table = write_xlsx(tmp_path / "t.xlsx", aspects, core)
    report = tmp_path / "bericht"
    report.mkdir()
    (report / "conf.py").write_text("", encoding="utf-8")
    assert main(["katalog", "import", str(table), "--ausgabe", "test-30", "--bericht", str(report)]) == 2
    assert not (report / "katalog").exists()
    with pytest.raises(BnkImportError) as info:
        import_catalogue([table], "test-30")
    assert [str(p) for p in info.value.problems] == [
        "Aspekte, Zeile 3, Spalte F (Aspekttitel): „Aspekttitel“ ist leer.",
        "Aspekte, Zeile 5, Spalte E (Aspekt): Aspekt 1 ist doppelt.",
        "Aspekte, Zeile 8, Spalte E (Aspekt): Aspekt 6.1: gemischte Nummerierung; die meisten Aspekte sind als "
        "Zahl (z. B. „12“) nummeriert.",
        "Aspekte, Zeile 14, Spalte E (Aspekt): Die Zelle enthält eine Formel; bitte den Text selbst eintragen.",
        "Aspekte, Zeile 22, Spalte A (Gruppe): Kapitel T1 steht hier in einer anderen Gruppe als in Zeile 2.",
        "Aspekte, Zeile 22, Spalte C (Kapiteltitel): Kapitel T1 hat hier einen anderen Eintrag in „Kapiteltitel“ "
        "als in Zeile 2.",
        "Aspekte, Zeile 22, Spalte D (Leitfrage): Kapitel T1 hat hier einen anderen Eintrag in „Leitfrage“ als in "
        "Zeile 2.",
        "Kernindikatoren, Zeile 3, Spalte C (Aspekt): Kernindikator K2 gehört zu Aspekt '99', den der Katalog "
        "nicht kennt.",
        "Kernindikatoren, Zeile 8, Spalte A (Kernindikator): Kernindikator K1 ist doppelt.",
    ]


def test_missing_columns_an_aspect_in_two_chapters_and_a_huge_sheet(tmp_path: Path):
    aspects, core = fictional_rows()
    two = [row[:] for row in aspects]
    two[6][4] = "2"  # aspect 2 again (instead of 7), in chapter T2
    with pytest.raises(BnkImportError) as info:
        import_catalogue([write_xlsx(tmp_path / "zwei.xlsx", two, core)], "x")
    assert [str(p) for p in info.value.problems] == [
        "Aspekte, Zeile 8, Spalte E (Aspekt): Aspekt 2 steht in zwei Kapiteln (T1 und T2)."
    ]
    header = write_csv(tmp_path / "a.csv", ["Gruppe", "Kapitel", "Aspekt"], [["G", "1", "1"]])
    with pytest.raises(BnkImportError) as info:
        import_catalogue([header], "x")
    assert [str(p) for p in info.value.problems] == [
        "a.csv, Zeile 1: Es fehlen die Spalten „Kapiteltitel“, „Leitfrage“, „Aspekttitel“ (Kopfzeile erwartet: "
        "Gruppe, Kapitel, Kapiteltitel, Leitfrage, Aspekt, Aspekttitel)."
    ]
    # A sheet ten times as long as the limit: read no further than a catalogue can be long, say so
    # first (the reading stops at row 2,001 whatever the length; 100,000 rows only took openpyxl
    # 13 s to write).
    huge = tmp_path / "huge.csv"
    huge.write_text(";".join(ASPECT_HEADER) + "\n" + "G;1;T;F;1;A\n" * 100_000, encoding="utf-8")
    with pytest.raises(BnkImportError) as info:
        import_catalogue([huge], "x")
    assert str(info.value.problems[0]) == "huge.csv: Die Datei hat mehr als 2000 Zeilen; ein Katalog hat etwa hundert."
    sheet = write_xlsx(tmp_path / "huge.xlsx", [["G", "1", "T", "F", str(i), "A"] for i in range(1, 20_001)], None)
    with pytest.raises(BnkImportError) as info:
        import_catalogue([sheet], "x")
    assert str(info.value.problems[0]) == (
        "Aspekte: Das Blatt hat mehr als 2000 Zeilen; ein Katalog hat etwa hundert. Bitte das richtige Blatt verwenden."
    )
    big = tmp_path / "big.csv"
    big.write_text(";".join(ASPECT_HEADER) + "\n" + ("G;1;T;F;1;" + "A" * 1000 + "\n") * 3000, encoding="utf-8")
    with pytest.raises(BnkImportError) as info:
        import_catalogue([big], "x")
    assert [str(p) for p in info.value.problems] == [
        "big.csv: Die Datei ist größer als 2 MB; ein Katalog ist viel kleiner."
    ]


cells = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(["1", "2", "1.1", "A3", "=SUMME(A1)", "", " ", "\x07", "T1", "Testgruppe"]),
    st.integers(-5, 40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)


TABLE_INPUT = (
    st.lists(st.lists(cells, min_size=0, max_size=8), max_size=8),
    st.lists(st.lists(cells, min_size=0, max_size=6), max_size=5),
    st.booleans(),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(*TABLE_INPUT)
def test_importer_gives_located_german_problems_or_exact_data_never_a_traceback(tmp_path_factory, rows, core, header):
    folder = tmp_path_factory.mktemp("fuzz")
    aspects = ([ASPECT_HEADER] if header else []) + rows
    book = openpyxl.Workbook()
    book.active.title = "Aspekte"
    path = folder / "t.xlsx"
    try:
        for row in aspects:
            book.active.append(row)
        other = book.create_sheet("Kernindikatoren")
        for row in [CORE_HEADER, *core]:
            other.append(row)
        book.save(path)
    except Exception:  # openpyxl refuses some cells (e.g. control characters): no workbook to read
        return
    report = folder / "bericht"
    report.mkdir()
    (report / "conf.py").write_text("", encoding="utf-8")
    try:
        catalogue, text = import_catalogue([path], "fuzz")
    except BnkImportError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.message.strip()
            assert problem.where == "" or re.match(
                r"^(Aspekte|Kernindikatoren)(, Zeile \d+(, Spalte [A-Z]+( \(\w+\))?)?)?$", problem.where
            )
        # Even with --force, a refused table changes no file: the earlier catalogue stays byte for byte.
        (report / "katalog").mkdir()
        (report / "katalog/fuzz.toml").write_bytes(b"# bisheriger Katalog\r\n")
        args = ["katalog", "import", str(path), "--ausgabe", "fuzz", "--bericht", str(report), "--force"]
        assert main(args) == 2
        assert sorted(p.name for p in (report / "katalog").iterdir()) == ["fuzz.toml"]
        assert (report / "katalog/fuzz.toml").read_bytes() == b"# bisheriger Katalog\r\n"
        return
    # Exact data: every non-empty row of the sheet is one aspect, with its code and title.
    (folder / "fuzz.toml").write_text(text, encoding="utf-8")
    again = load_catalogue(str(folder / "fuzz.toml"))
    data_rows = [r for r in rows if any(c is not None and str(c).strip() for c in r)]
    assert len(again.aspects) == len(data_rows) == len(catalogue.aspects)


@pytest.mark.fuzz
@settings(
    max_examples=2000,  # the "long" profile of tests/test_fuzz.py
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(*TABLE_INPUT)
def test_fuzz_catalogue_table(tmp_path_factory, rows, core, header):
    """``pytest -m fuzz``: the catalogue table's property test with a large budget."""
    test_importer_gives_located_german_problems_or_exact_data_never_a_traceback.hypothesis.inner_test(
        tmp_path_factory, rows, core, header
    )


def test_must_show_new_report_on_a_fictional_catalogue(tmp_path: Path, capsys):
    """Import, scaffold, strict build: exactly the 30 aspects and 6 Kernindikatoren are open;
    filling one of each lowers both counts."""
    aspects, core = fictional_rows()
    table = write_xlsx(tmp_path / "Testkatalog.xlsx", aspects, core)
    target = tmp_path / "neu"
    assert main(["new", str(target), "--kommune", "Stadt Test", "--katalog", str(table), "--ausgabe", "test-30"]) == 0
    conf = (target / "conf.py").read_text(encoding="utf-8")
    assert 'bnk_catalogue_file = "katalog/test-30.toml"' in conf
    assert (target / "katalog/bnk-catalogue.schema.json").is_file()
    pages = sorted(p.relative_to(target).as_posix() for p in target.glob("testgruppe-*/*.md"))
    assert pages == [
        "testgruppe-a/t1-testkapitel-1.md",
        "testgruppe-a/t2-testkapitel-2.md",
        "testgruppe-b/t3-testkapitel-3.md",
        "testgruppe-b/t4-testkapitel-4.md",
        "testgruppe-c/t5-testkapitel-5.md",
        "testgruppe-c/t6-testkapitel-6.md",
    ]
    status, warnings = build(target)
    open_aspects = [w for w in warnings if "[bnk.aspect-missing]" in w]
    open_core = [w for w in warnings if "[bnk.core-indicator-missing]" in w]
    assert [re.search(r"Aspekt (\d+) ", w)[1] for w in open_aspects] == [str(n) for n in range(1, 31)]
    assert [re.search(r"Kernindikator (K\d) ", w)[1] for w in open_core] == [f"K{i}" for i in range(1, 7)]
    # Nothing else: every page is in a table of contents, no other problem.
    assert [w for w in warnings if w not in open_aspects + open_core] == []
    index_md = (target / "index.md").read_text(encoding="utf-8")
    assert ":caption: Testgruppe A T1 bis T2\n" in index_md and "testgruppe-c/*" in index_md
    assert open_core[0] == (
        "<srcdir>/testgruppe-a/t1-testkapitel-1.md:20: WARNING: Kernindikator K1 „Testkernindikator 1“ (Aspekt 3) "
        'fehlt: weder mit einem Indikator gezeigt (Metadaten: kernindikator: "K1") noch mit Begründung '
        "ausgelassen. [bnk.core-indicator-missing]"
    )
    assert (
        "BNK-Vollständigkeit: 0 berichtet, 0 begründet, 30 fehlt; Kernindikatoren: 0 gezeigt, 0 begründet, 6 fehlt"
        in status
    )

    # Fill one aspect and explain one Kernindikator: both counts go down by one.
    page = target / "testgruppe-a/t1-testkapitel-1.md"
    text = page.read_text(encoding="utf-8")
    text = text.replace("```{bnk-kernindikator} K1\n```", "```{bnk-kernindikator} K1\nDie Daten fehlen noch.\n```")
    page.write_text(text + "\n```{bnk-aspect} 1\nDie Stadt Test berichtet.\n```\n", encoding="utf-8")
    status, warnings = build(target)
    assert len([w for w in warnings if "[bnk.aspect-missing]" in w]) == 29
    assert len([w for w in warnings if "[bnk.core-indicator-missing]" in w]) == 5
    assert (
        "BNK-Vollständigkeit: 1 berichtet, 0 begründet, 29 fehlt; Kernindikatoren: 0 gezeigt, 1 begründet, 5 fehlt"
        in status
    )
    index = (target / "_build/html/bnk-index.html").read_text(encoding="utf-8")
    assert "Berichtet oder begründet: 1 von 30 Aspekten, 1 von 6 Kernindikatoren." in index
    # Every row has its header cell: a Kernindikator's is its code, never an empty <th>.
    assert re.search(r'<tr class="[^"]*bnk-index-core[^"]*">\s*<th[^>]*>\s*</th>', index) is None
    assert re.search(r'<tr class="[^"]*bnk-index-core[^"]*">\s*<th[^>]*>(<p>)?K1(</p>)?</th>', index), index
    start = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", (target / "_build/html/index.html").read_text(encoding="utf-8"))
    )
    assert "1 von 5 Aspekten berichtet, 4 fehlen; 0 von 1 Kernindikator gezeigt, 1 begründet" in start
    assert "0 von 5 Aspekten berichtet, 5 fehlen; 0 von 1 Kernindikator gezeigt" in start
    export = json.loads((target / "_build/html/bnk-report.json").read_text(encoding="utf-8"))
    assert [(c["code"], c["aspect"], c["status"]) for c in export["core_indicators"]] == [
        ("K1", "3", "begründet"),
        *[(f"K{i}", a, "fehlt") for i, a in zip(range(2, 7), CORE_ASPECTS[1:], strict=True)],
    ]
    assert export["core_indicators"][0]["reason"] == "Die Daten fehlen noch."

    # Show Kernindikator K2 with an indicator whose metadata names it.
    (target / "data/test-quote.csv").write_text("year,value\n2022,1.5\n2023,1.7\n", encoding="utf-8")
    (target / "data/test-quote.yaml").write_text(
        "title: Testquote\ndefinition: Testdefinition\nunit: '%'\nsource: Testamt\nindicator_set: eigene\n"
        'direction: higher\nkernindikator: "K2"\n',
        encoding="utf-8",
    )
    page = target / "testgruppe-a/t2-testkapitel-2.md"
    text = page.read_text(encoding="utf-8").replace(
        "```{bnk-kernindikator} K2\n```\n", "```{indicator} test-quote\n```\n"
    )
    page.write_text(text, encoding="utf-8")
    status, warnings = build(target)
    assert len([w for w in warnings if "[bnk.core-indicator-missing]" in w]) == 4
    assert "Kernindikatoren: 1 gezeigt, 1 begründet, 4 fehlt" in status
    export = json.loads((target / "_build/html/bnk-report.json").read_text(encoding="utf-8"))
    assert export["core_indicators"][1] | {"page": None} == {
        "code": "K2",
        "title": "Testkernindikator 2",
        "aspect": "8",
        "unit": "%",
        "status": "berichtet",
        "reason": None,
        "page": None,
        "indicator": "test-quote",
    }
    assert [i["kernindikator"] for i in export["indicators"]] == ["K2"]
    assert main(["status", str(target)]) == 0
    out = capsys.readouterr().out
    assert "Berichtet oder begründet: 1 von 30 Aspekten, 2 von 6 Kernindikatoren." in out
    assert "Offene Kernindikatoren: K3, K4, K5, K6" in out


def test_diff_counts_aspects_and_kernindikatoren_apart():
    from bnk.review import diff_exports, to_markdown

    def export(statuses: list[str], core: list[str]) -> dict:
        return {
            "report": {},
            "chapters": [],
            "aspects": [{"number": str(i), "title": f"Testaspekt {i}", "status": s} for i, s in enumerate(statuses, 1)],
            "core_indicators": [
                {"code": f"K{i}", "title": f"Testkernindikator {i}", "status": s, "indicator": None}
                for i, s in enumerate(core, 1)
            ],
        }

    old = export(["fehlt", "fehlt", "berichtet"], ["fehlt", "fehlt"])
    new = export(["berichtet", "fehlt", "berichtet"], ["begründet", "fehlt"])
    text = to_markdown(diff_exports(old, new, "alt", "neu"))
    assert text.splitlines()[2] == (
        "2 Änderungen (Aspekte: 1, Kernindikatoren: 1). Berichtet oder begründet: 2 von 3 Aspekten, "
        "1 von 2 Kernindikatoren (vorher 1 von 3 Aspekten, 0 von 2 Kernindikatoren)."
    )
    assert "- **Kernindikator K1** (Testkernindikator 1): Status fehlt → begründet" in text


SMALL_EDITION = """[edition]
id = "test-klein"
title = "Testkatalog klein"

[[group]]
id = "testgruppe"
title = "Testgruppe"

[[chapter]]
code = "T1"
group = "testgruppe"
title = "Testkapitel 1"

[[chapter.aspect]]
code = "1"
title = "Testaspekt 1"

[[chapter.aspect]]
code = "2"
title = "Testaspekt 2"

[[chapter]]
code = "T2"
group = "testgruppe"
title = "Testkapitel 2"

[[chapter.aspect]]
code = "3"
title = "Testaspekt 3"

[[chapter.aspect]]
code = "4"
title = "Testaspekt 4"

[[chapter.aspect]]
code = "5"
title = "Testaspekt 5"
"""


def _paragraphs(text: str) -> list[str]:
    """Paragraphs of running text (no directive fences, options, headings or comments); a reference
    to an aspect (renumbered, or plain text when the aspect has no counterpart) counts as one word."""
    text = re.sub(r"\{bnk:aspect\}`[^`]+`|Aspekt \d+(?:\.\d+)*", "ASPEKT", text)
    out = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if not re.match(r"^\s*(`{3,}|:{3,}|:\w+:|#|%)", line)]
        if " ".join(lines).strip():
            out.append(" ".join(" ".join(lines).split()))
    return out


def test_moving_the_heinsberg_report_to_a_small_test_edition_loses_nothing(tmp_path: Path, capsys):
    from test_report import copy_report

    report = copy_report(tmp_path / "bericht")
    (report / "katalog").mkdir()
    (report / "katalog/test-klein.toml").write_text(SMALL_EDITION, encoding="utf-8")
    write_csv(
        tmp_path / "zuordnung.csv",
        ["alt", "neu"],
        [["1.1", "1"], ["1.2", "2"], ["10.1", "3"], ["10.2", "4"], ["6.4", ""]],
    )
    pages = sorted(p for p in report.rglob("*.md") if "data" not in p.relative_to(report).parts)
    before = {p: p.read_text(encoding="utf-8") for p in pages}
    assert (
        main(
            [
                "katalog",
                "umstellen",
                "--nach",
                "test-klein",
                "--zuordnung",
                str(tmp_path / "zuordnung.csv"),
                "--bericht",
                str(report),
            ]
        )
        == 0
    )
    err = capsys.readouterr().err
    assert "4 Aspekte umnummeriert" in err
    assert "Neu im Katalog, noch offen: 5" in err
    after_text = "\n".join(p.read_text(encoding="utf-8") for p in pages)
    after_paragraphs = set(_paragraphs(after_text))
    # Every paragraph of the old pages is still in the new pages.
    lost = [para for text in before.values() for para in _paragraphs(text) if para not in after_paragraphs]
    assert lost == []
    # The new codes stand where the old ones stood; every other aspect is a section of its own.
    strategy = (report / "kriterien/01-strategie.md").read_text(encoding="utf-8")
    assert "```{bnk-aspect} 1\n" in strategy and "```{bnk-aspect} 2\n" in strategy
    assert "## Nicht mehr im Katalog: Aspekt 1.3 – Nachhaltigkeit in Eigen- und Beteiligungsunternehmen" in strategy
    assert "{bnk-heading}" not in after_text
    assert sorted(re.findall(r"\{bnk-aspect\} (\S+)", after_text)) == ["1", "2", "3", "4"]
    assert "{bnk:aspect}`2`" in (report / "kriterien/02-schwerpunkte.md").read_text(encoding="utf-8")
    assert "Aspekt 6.4" in (report / "kriterien/09-innovation-fuer-nachhaltigkeit.md").read_text(encoding="utf-8")
    assert 'bnk_catalogue_file = "katalog/test-klein.toml"' in (report / "conf.py").read_text(encoding="utf-8")


def test_a_bad_mapping_changes_nothing(tmp_path: Path):
    from test_report import copy_report

    report = copy_report(tmp_path / "bericht")
    (report / "katalog").mkdir()
    (report / "katalog/test-klein.toml").write_text(SMALL_EDITION, encoding="utf-8")
    write_csv(tmp_path / "z.csv", ["alt", "neu"], [["1.1", "1"], ["1.9", "2"], ["1.2", "9"], ["1.1", "3"]])
    before = (report / "kriterien/01-strategie.md").read_text(encoding="utf-8")
    assert (
        main(
            [
                "katalog",
                "umstellen",
                "--nach",
                "test-klein",
                "--zuordnung",
                str(tmp_path / "z.csv"),
                "--bericht",
                str(report),
            ]
        )
        == 2
    )
    assert (report / "kriterien/01-strategie.md").read_text(encoding="utf-8") == before
