"""Authoring tools: bnk new, bnk check, bnk status, measures tables, and the Kreis Düren example."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bnk.data.catalogue import edition_path, load_catalogue
from bnk.data.measures import Measure, assess, timeframe_end
from conftest import bnk_warnings_of
from test_aspects import PROBLEMS
from test_report import REPO, build, copy_report

ROOTS = Path(__file__).parent / "roots"
CATALOGUE = load_catalogue(str(edition_path("2021")))


def bnk(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bnk.cli", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def _page_of(chapter_number: int, root: Path) -> str:
    chapter = CATALOGUE.chapter(chapter_number)
    return next(p for p in (root / chapter.group.folder).glob(f"{chapter.code}-*.md")).relative_to(root).as_posix()


def _missing(root: Path, reported: set[str]) -> list[str]:
    """The warnings of a scaffolded report: every open aspect, and the empty Handlungsfeld 15
    (whose aspects the catalogue does not list), in page order."""
    empty_15 = (
        f"<srcdir>/{_page_of(15, root)}:1: WARNING: Handlungsfeld 15 hat keinen Inhalt: der Katalog nennt hier "
        "keine Aspekte, also bitte das Kapitel berichten oder mit „bnk-chapter-omitted“ und einer Begründung "
        "auslassen. [bnk.chapter-empty]"
    )
    missing = [
        f"<srcdir>/{_page_of(a.chapter, root)}:1: WARNING: Aspekt {a.number} „{a.title}“ fehlt: weder berichtet "
        "noch mit Begründung ausgelassen. [bnk.aspect-missing]"
        for a in sorted(CATALOGUE.aspects, key=lambda a: (_page_of(a.chapter, root), CATALOGUE.aspects.index(a)))
        if a.number not in reported
    ]
    return sorted([*missing, empty_15], key=lambda w: w.split(":", 1)[0])


def test_new_report_builds_and_lists_every_aspect_as_missing(tmp_path):
    target = tmp_path / "beispiel"
    result = bnk("new", str(target), "--kommune", "Stadt Beispiel", "--package", "bnk-bericht")
    assert result.returncode == 0, result.stderr
    assert "Neuer Bericht für Stadt Beispiel" in result.stderr
    for name in (
        "conf.py",
        "index.md",
        "Makefile",
        "pyproject.toml",
        "README.md",
        "data/README.md",
        ".readthedocs.yaml",
        ".github/workflows/pull-request.yml",
        ".gitignore",
        "tools/ensure-deps",
    ):
        assert (target / name).is_file(), name
    assert os.access(target / "tools/ensure-deps", os.X_OK)
    assert 'dependencies = ["bnk-bericht"]' in (target / "pyproject.toml").read_text(encoding="utf-8")
    conf = (target / "conf.py").read_text(encoding="utf-8")
    assert 'KOMMUNE = "Stadt Beispiel"' in conf and 'bnk_report = {\n    "kommune": KOMMUNE,' in conf
    assert "origin/${{ github.base_ref }}" in (target / ".github/workflows/pull-request.yml").read_text(
        encoding="utf-8"
    )
    assert len(list((target / "kriterien").glob("*.md"))) == 9
    assert len(list((target / "handlungsfelder").glob("*.md"))) == 9
    status, warnings = build(target)
    assert warnings == _missing(target, set())
    assert "BNK-Vollständigkeit: 0 berichtet, 0 begründet, 73 fehlt" in status
    result = bnk("status", str(target))
    assert result.returncode == 0
    assert "BNK-Vollständigkeit: 0 berichtet, 0 begründet, 73 fehlt" in result.stdout
    assert re.search(r"^Kriterium 01\s+0\s+0\s+4\s+1\.1, 1\.2, 1\.3, 1\.4$", result.stdout, re.M)


def test_new_refuses_a_non_empty_folder_and_unknown_edition(tmp_path):
    (tmp_path / "voll").mkdir()
    (tmp_path / "voll" / "datei.txt").write_text("x", encoding="utf-8")
    result = bnk("new", str(tmp_path / "voll"), "--kommune", "Stadt X")
    assert result.returncode == 2 and "ist nicht leer" in result.stderr and "Traceback" not in result.stderr
    result = bnk("new", str(tmp_path / "neu"), "--kommune", "Stadt X", "--edition", "1999")
    assert result.returncode == 2 and "Unbekannte BNK-Ausgabe '1999'; verfügbar: 2021." in result.stderr


def test_check_passes_on_the_report_and_catches_a_broken_csv(tmp_path):
    result = bnk("check", str(REPO))
    assert result.returncode == 0, result.stdout
    assert (
        "BNK-Vollständigkeit: 71 berichtet, 2 begründet, 0 fehlt; begründet ausgelassen: Handlungsfeld 15"
        in result.stdout
    )
    assert "Keine Probleme gefunden" in result.stdout
    srcdir = copy_report(tmp_path / "src")
    csv_path = srcdir / "data/co2-bilanz.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace("2017,1646", "2017,1.646,0"), encoding="utf-8")
    result = bnk("check", str(srcdir))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "data/co2-bilanz.csv:3: Zeile hat 3 Felder, die Kopfzeile 2. [bnk.csv]"
    # Exactly the build's problems: also every figure in the text that reads this CSV (bnk:wert).
    problems = [line for line in lines if "[bnk." in line]
    assert all("co2-bilanz" in line for line in problems)
    assert f"{len(problems)} Problem(e) gefunden" in result.stdout


def test_check_reports_the_same_problems_as_the_build(make_bnk_app):
    app = make_bnk_app("basic")
    for name, text in PROBLEMS.items():
        (Path(app.srcdir) / name).write_text(text, encoding="utf-8")
    app.build()
    from_build = [w.replace("<srcdir>/", "").replace(": WARNING: ", ": ") for w in bnk_warnings_of(app)]
    result = bnk("check", str(app.srcdir))
    assert result.returncode == 1
    from_check = [line for line in result.stdout.splitlines() if "[bnk." in line]
    assert from_check == from_build


def test_status_by_responsible_and_markdown(tmp_path):
    result = bnk("status", str(REPO / "examples/kreis-dueren"), "--by", "responsible", "--markdown")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "# Stand: Kreis Düren – Beispielbericht"
    assert "| Zuständig | berichtet | begründet | offen | offene Aspekte |" in lines
    assert "| Amt 40/2 | 2 | 0 | 0 | – |" in lines
    assert "| Amt 40 | 1 | 0 | 0 | – |" in lines
    # 3.3 and 3.4 (the evaluation plan) name no responsible unit: the plan has not named one yet
    assert any(line.startswith("| ohne Zuständigkeit | 2 | 0 | 68 | 1.1, 1.2,") for line in lines)


def test_kreis_dueren_example_builds_with_exactly_the_expected_missing_aspects(tmp_path):
    srcdir = tmp_path / "kreis-dueren"
    shutil.copytree(REPO / "examples/kreis-dueren", srcdir, ignore=shutil.ignore_patterns("_build", ".venv"))
    status, warnings = build(srcdir)
    assert warnings == _missing(srcdir, {"3.3", "3.4", "6.1", "18.2", "18.3"})
    assert "BNK-Vollständigkeit: 5 berichtet, 0 begründet, 68 fehlt" in status
    html = "".join(p.read_text(encoding="utf-8") for p in (srcdir / "_build/html").rglob("*.html"))
    rows = re.findall(r"<tr[^>]*>\s*<t[dh][^>]*><p>(4\.\d\.\d+)</p></t[dh]>", html)
    assert len(rows) == len(set(rows)) == 25
    assert "3 Maßnahmen. Status: 3 unbekannt. Bezogen auf das Berichtsjahr 2021: 3 ohne Statusangabe." in html


MEASURES = """nr,handlungsziel,empfehlung,zustaendigkeit,zeitrahmen,status
1.1,Ziel A,Empfehlung A,Amt 1,2019–2020,umgesetzt
1.2,Ziel B,Empfehlung B,Amt 2,2019/2020,in Umsetzung
1.3,Ziel C,Empfehlung C,Amt 2,2023,geplant
1.4,Ziel D,Empfehlung D,,fortlaufend,offen
1.5,Ziel E,Empfehlung E,Amt 3,bei Bedarf,offen
1.6,Ziel F,Empfehlung F,Amt 3,2020,unbekannt
"""


def _measures_app(make_bnk_app, csv: str):
    app = make_bnk_app("indicators")
    folder = Path(app.srcdir) / "data/massnahmen"
    folder.mkdir(parents=True)
    (folder / "hf1.csv").write_text(csv, encoding="utf-8")
    (folder / "hf1.yaml").write_text('title: "1 Partnerschaften"\nsource: "Handlungskonzept"\n', encoding="utf-8")
    index = Path(app.srcdir) / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n```{bnk-measures} massnahmen/hf1\n```\n", encoding="utf-8")
    return app


def test_measures_table_and_summary_relative_to_the_report_year(make_bnk_app):
    app = _measures_app(make_bnk_app, MEASURES)
    app.build()
    assert bnk_warnings_of(app) == []
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert (
        "6 Maßnahmen. Status: 1 umgesetzt, 1 in Umsetzung, 1 geplant, 2 offen, 1 unbekannt. "
        "Bezogen auf das Berichtsjahr 2021: 1 umgesetzt, 1 ohne Statusangabe, 1 im Zeitplan, 1 überfällig, "
        "1 laufend, 1 ohne bestimmbaren Zeitrahmen. Zeitrahmen vor 2021 abgelaufen: 3."
    ) in text
    assert "Nr. Handlungsziel Handlungsempfehlung Zuständigkeit Zeitrahmen Status Stand 2021" in text
    assert "1.2 Ziel B Empfehlung B Amt 2 2019/ 2020 in Umsetzung überfällig" in text


@pytest.mark.parametrize(
    ("old", "new", "warning"),
    [
        (
            "1.3,Ziel C,Empfehlung C,Amt 2,2023,geplant",
            "1.3,Ziel C,Empfehlung C,Amt 2,2023,fertig",
            "<srcdir>/data/massnahmen/hf1.csv:4: WARNING: „fertig“ ist in Spalte „status“ nicht erlaubt; erlaubt: umgesetzt, in Umsetzung, geplant, offen, unbekannt. [bnk.table]",
        ),
        (
            "1.4,Ziel D",
            "1.1,Ziel D",
            "<srcdir>/data/massnahmen/hf1.csv:5: WARNING: Maßnahme 1.1 doppelt (zuerst in Zeile 2). [bnk.table]",
        ),
        (
            "1.5,Ziel E,Empfehlung E,Amt 3,bei Bedarf,offen",
            "1.5,Ziel E,,Amt 3,bei Bedarf,offen",
            "<srcdir>/data/massnahmen/hf1.csv:6: WARNING: Leerer Wert in Spalte „empfehlung“ (Pflichtspalte). [bnk.table]",
        ),
        (
            "nr,handlungsziel,empfehlung,zustaendigkeit,zeitrahmen,status",
            "nr,ziel,empfehlung,zustaendigkeit,zeitrahmen,status",
            "<srcdir>/data/massnahmen/hf1.csv:1: WARNING: Kopfzeile passt nicht zur Beschreibung: erwartet nr, handlungsziel, empfehlung, zustaendigkeit, zeitrahmen, status; gefunden nr, ziel, empfehlung, zustaendigkeit, zeitrahmen, status. [bnk.table]",
        ),
    ],
)
def test_bad_measures_rows_are_located(make_bnk_app, old, new, warning):
    app = _measures_app(make_bnk_app, MEASURES.replace(old, new))
    app.build()
    assert bnk_warnings_of(app) == [warning]
    assert "Fehler in den Daten" in (Path(app.outdir) / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("timeframe", "end"),
    [("2021–2022", 2022), ("2021/2022", 2022), ("ab 2023", 2023), ("fortlaufend", None), ("Q3 20234", None)],
)
def test_timeframe_end(timeframe, end):
    assert timeframe_end(timeframe) == end


def test_assessment_of_one_measure():
    measure = Measure("1", "Ziel", "Empfehlung", "Amt", "2020", "offen", 2)
    assert assess(measure, 2021) == "ueberfaellig"
    assert assess(measure, 2020) == "im-zeitplan"
    assert assess(Measure("1", "Z", "E", "A", "2020", "unbekannt", 2), 2021) == "ohne-status"


def test_cli_output_into_a_closed_pipe_is_no_traceback():
    result = subprocess.run(
        f"{sys.executable} -m bnk.cli status {REPO} | head -1", shell=True, capture_output=True, text=True, check=False
    )
    assert result.stdout.startswith("Stand: Nachhaltigkeitsbericht Kreis Heinsberg 2023")
    assert "Traceback" not in result.stderr


def test_measure_status_is_case_insensitive_and_a_typo_gets_the_closest_value(tmp_path):
    from bnk.data import BnkDataError
    from bnk.data.measures import load_measures

    path = tmp_path / "m.csv"
    path.write_text(MEASURES.replace(",umgesetzt\n", ",Umgesetzt\n").replace(",geplant\n", ",GEPLANT\n"), "utf-8")
    table = load_measures(path)
    assert [m.status for m in table.measures] == ["umgesetzt", "in Umsetzung", "geplant", "offen", "offen", "unbekannt"]
    path.write_text(MEASURES.replace(",in Umsetzung\n", ",in Umsetzng\n"), "utf-8")
    with pytest.raises(BnkDataError) as info:
        load_measures(path)
    assert (info.value.msg, info.value.line) == (
        "„in Umsetzng“ ist in Spalte „status“ nicht erlaubt; erlaubt: umgesetzt, in Umsetzung, geplant, offen, "
        "unbekannt. Gemeint ist wohl „in Umsetzung“?",
        3,
    )


def test_new_report_gets_its_tools_from_where_this_bnk_came_from(tmp_path):
    """Without --package the new report's pyproject.toml names the source of the running
    bnk-bericht (here: this checkout, installed editable), not a package index that does not
    have it: a new author's `make html` in the new folder can install it."""
    import tomllib
    from urllib.parse import unquote, urlparse

    from bnk.scaffold import installed_source

    result = bnk("new", str(tmp_path / "neu"), "--kommune", "Stadt X")
    assert result.returncode == 0, result.stderr
    (dependency,) = tomllib.loads((tmp_path / "neu/pyproject.toml").read_text(encoding="utf-8"))["project"][
        "dependencies"
    ]
    origin = installed_source()
    if origin is None:  # installed from an index: the index must have it
        from bnk import __version__

        assert dependency == f"bnk-bericht=={__version__}"  # pinned: the version it was made with
        return
    assert dependency == f"bnk-bericht @ {origin}"
    if origin.startswith("file://"):
        folder = Path(unquote(urlparse(origin).path))
        assert folder.resolve() == REPO.resolve()  # the tests run on an editable install of this repo
        assert (
            tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"] == "bnk-bericht"
        )
        assert f"bezieht der neue Bericht aus {folder}" in result.stderr


@pytest.mark.parametrize(
    ("origin", "expected"),
    [
        ({"url": "file:///home/a/bnk", "dir_info": {"editable": True}}, "file:///home/a/bnk"),
        (
            {"url": "https://github.com/o/bnk-bericht", "vcs_info": {"vcs": "git", "commit_id": "abc123"}},
            "git+https://github.com/o/bnk-bericht@abc123",
        ),
        (
            {"url": "https://example.org/bnk_bericht-0.2-py3-none-any.whl", "archive_info": {}},
            "https://example.org/bnk_bericht-0.2-py3-none-any.whl",
        ),
        ({"dir_info": {}}, None),
        ([], None),
    ],
)
def test_source_from_direct_url(origin, expected):
    from bnk.scaffold import source_from_direct_url

    assert source_from_direct_url(origin) == expected
