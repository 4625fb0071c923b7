"""The report model (bnk.data.report): one typed place for the Kommune, its year, its editions,
its links and its look, validated once from conf.py with located German messages."""

from __future__ import annotations

import ast
from pathlib import Path

import bnk
import pytest
from bnk.config import key_line, line_in
from bnk.data.colours import contrast
from bnk.data.report import DEFAULT_PRIMARY, MIN_TEXT_CONTRAST, Edition, parse_report, passing_shade
from conftest import bnk_warnings_of

PACKAGE = Path(bnk.__file__).parent


def _messages(raw, **kwargs):
    return [p.message for p in parse_report(raw, **kwargs)[1]]


def test_a_full_report_becomes_typed_fields():
    report, problems = parse_report(
        {
            "kommune": "Stadt Beispiel",
            "kind": "Stadt",
            "ags": "05111000",
            "website": "www.beispiel.de",
            "title": "Nachhaltigkeitsbericht Stadt Beispiel",
            "period": "2021",
            "reference": {"title": "Nachhaltigkeitsbericht, Druckfassung", "year": 2019},
            "contact": {"name": "A. Muster", "email": "a@example.org"},
            "colour": "#0b3c5d",
            "imprint": "impressum",
            "privacy": "https://www.beispiel.de/datenschutz",
        },
        year=2021,
        edition="2021",
    )
    assert problems == ()
    assert report.kommune.website == "https://www.beispiel.de"
    assert report.design.primary == "#0B3C5D"
    assert report.design.cover_colour == "#0B3C5D"
    assert report.reference == Edition("Nachhaltigkeitsbericht, Druckfassung", 2019)
    assert report.errata_heading == "Abweichungen von „Nachhaltigkeitsbericht, Druckfassung 2019“"
    assert report.erratum_title == "Abweichung von der Ausgabe 2019"
    assert report.year_line == "Berichtsjahr 2021"
    assert report.running_head == "Stadt Beispiel 2021"
    assert report.file_stem == "nachhaltigkeitsbericht-stadt-beispiel-2021"
    assert (report.links.imprint, report.links.privacy) == ("impressum", "https://www.beispiel.de/datenschutz")


def test_a_first_report_has_no_reference_edition():
    report, problems = parse_report({"kommune": "Kreis Düren"}, year=2021)
    assert problems == ()
    assert report.reference is None
    assert report.errata_heading == "Abweichungen"
    assert report.design.primary == DEFAULT_PRIMARY


@pytest.mark.parametrize(
    ("raw", "key", "message"),
    [
        (
            {"kommune": "K", "color": "#000000"},
            "color",
            "Unbekannte Angabe in bnk_report: 'color' – sie heißt colour. Bekannt sind: kommune,",
        ),
        ({"kommune": "K", "population": "viele"}, "population", "bnk_report['population'] muss eine ganze Zahl"),
        ({"kommune": "K", "title": ["a"]}, "title", "bnk_report['title'] muss ein Text sein, nicht ['a']."),
        (
            {"kommune": "K", "colour": "blau"},
            "colour",
            "Ungültige Farbe in bnk_report['colour']: 'blau' (erwartet #RRGGBB, z. B. \"#1F5F8B\"). Es gilt #1F5F8B.",
        ),
        (
            {"kommune": "K", "reference": {"title": "Druckfassung"}},
            "reference",
            "bnk_report['reference'] ('Druckfassung') nennt kein Jahr: bitte \"year\": JJJJ (als Zahl) ergänzen",
        ),
        (
            {"kommune": "K", "website": "javascript:alert(1)"},
            "website",
            "bnk_report['website']: die Adresse 'javascript:alert(1)' beginnt mit „javascript:“",
        ),
        ({"title": "Bericht"}, "kommune", "bnk_report nennt keine „kommune“"),
    ],
)
def test_bad_input_is_one_message_for_its_key(raw, key, message):
    [problem] = parse_report(raw)[1]
    assert problem.key == key
    assert problem.message.startswith(message), problem.message


def test_a_light_colour_warns_with_the_nearest_passing_shade():
    report, [problem] = parse_report({"kommune": "K", "colour": "#7FB3D5"})
    assert problem.message == (
        "Die Farbe bnk_report['colour'] = #7FB3D5 ist zu hell: Schrift in dieser Farbe auf Weiß hat einen "
        "Kontrast von 2,26:1, WCAG 2.1 AA verlangt 4,50:1. Die nächste dunklere Farbe, die genügt: #567A91 "
        "(diese wird verwendet)."
    )
    assert report.design.primary == "#567A91"
    assert contrast("#567A91") >= MIN_TEXT_CONTRAST
    # One step (1 %) lighter fails: it is the nearest passing shade of that hue.
    assert contrast("#587C93") < MIN_TEXT_CONTRAST
    assert passing_shade("#205C84") == "#205C84"


def test_logo_outside_the_report_or_too_large(tmp_path):
    big = tmp_path / "gross.png"
    big.write_bytes(b"\x89PNG" + b"0" * (6 * 1024 * 1024))
    (tmp_path / "logo.gif").write_bytes(b"GIF89a")
    outside = _messages({"kommune": "K", "logo": "../x.png"}, root=tmp_path)
    assert outside[0].startswith("bnk_report['logo']: '../x.png' liegt außerhalb des Berichtsordners")
    assert outside[0].endswith("Es wird keine Datei verwendet.")
    assert _messages({"kommune": "K", "logo": "gross.png"}, root=tmp_path) == [
        "bnk_report['logo']: 'gross.png' ist 6.0 MB groß; erlaubt sind höchstens 5 MB. Es wird keine Datei verwendet."
    ]
    assert "Dateityp" in _messages({"kommune": "K", "logo": "logo.gif"}, root=tmp_path)[0]


CONF = """\
bnk_report_year = 2023
bnk_report = {
    "kommune": "Kreis Testheim",
    "colour": "#FFFF00",
}
bnk_responsible = {"01": "Amt 1"}
"""


def test_the_line_finder_matches_the_whole_name(tmp_path):
    conf = tmp_path / "conf.py"
    conf.write_text(CONF, encoding="utf-8")
    # bnk_report_year starts with bnk_report; the problem still belongs to bnk_report's line.
    assert line_in(conf, "bnk_report") == 2
    assert line_in(conf, "bnk_report_year") == 1
    assert key_line(conf, "bnk_report", "colour") == 4
    assert key_line(conf, "bnk_report", "logo") is None
    assert key_line(conf, "bnk_responsible", "01") == 6


def _conf(text: str):
    def prepare(srcdir: Path) -> None:
        with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
            conf.write(text)

    return prepare


def test_report_problems_are_located_at_their_key_in_conf_py(make_bnk_app):
    app = make_bnk_app("basic", prepare=_conf(CONF))
    app.build()
    assert bnk_warnings_of(app) == [
        "<srcdir>/conf.py:10: WARNING: Die Farbe bnk_report['colour'] = #FFFF00 ist zu hell: Schrift in dieser "
        "Farbe auf Weiß hat einen Kontrast von 1,07:1, WCAG 2.1 AA verlangt 4,50:1. Die nächste dunklere Farbe, "
        "die genügt: #7A7A00 (diese wird verwendet). [bnk.config]"
    ]
    css = (app.outdir / "_static" / "bnk-design.css").read_text(encoding="utf-8")
    assert "--bnk-primary: #7A7A00;" in css


def test_responsible_accepts_01_and_1_and_warns_for_unknown_keys(make_bnk_app):
    app = make_bnk_app(
        "basic",
        prepare=_conf('bnk_responsible = {"01": "Amt 1", "10.01": "Amt 10", "99": "Niemand"}\nbnk_draft = True\n'),
    )
    app.build()
    # "01" and "10.01" name chapter 1 and aspect 10.1 (authoring.check_responsible); "99" nothing.
    assert [w for w in bnk_warnings_of(app) if "bnk_responsible" in w] == [
        "<srcdir>/conf.py:7: WARNING: bnk_responsible nennt „99“, das der Katalog weder als Kapitel noch als "
        "Aspekt kennt; diese Zuständigkeit gilt für nichts. [bnk.config]"
    ]


def test_the_old_printed_field_says_how_to_rename(make_bnk_app):
    def prepare(srcdir: Path) -> None:
        meta = srcdir / "data" / "anteil-erneuerbar.yaml"
        meta.write_text(meta.read_text(encoding="utf-8").replace("reference:", "printed_2023:"), encoding="utf-8")

    app = make_bnk_app("indicators", prepare=prepare)
    app.build()
    [warning] = [w for w in bnk_warnings_of(app) if "printed_" in w]
    assert warning.startswith("<srcdir>/data/anteil-erneuerbar.yaml:")
    assert "Das Feld „printed_2023“ heißt jetzt „reference“: bitte umbenennen" in warning


# -- nothing of one report in the toolkit, no warn() at read time --------------------------------


def test_the_toolkit_names_no_report():
    found = []
    for path in PACKAGE.rglob("*"):
        if not path.is_file() or path.suffix in {".pyc", ".png"} or "catalogues" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            if any(word in line for word in ("2023", "Heinsberg", "printed_2023")):
                found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert found == []


def _calls_of(path: Path, name: str) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name
    ]


def test_directives_and_roles_never_warn_directly():
    # A warning at read time is lost on an unchanged rebuild: directives and roles record problems
    # in the domain (note()), which emits them on every build.
    modules = sorted((PACKAGE / "directives").glob("*.py"))  # every directive and role lives here
    offenders = {p.name: _calls_of(p, "warn") for p in modules if _calls_of(p, "warn")}
    assert offenders == {}


# -- one route: a bad setting fails every build -------------------------------------------------

BAD_SETTINGS = """\
bnk_report = {"kommune": "Kreis Testheim", "colour": "#FFFF00"}
bnk_accessibility = {"status": "fast"}
"""
BAD_SETTINGS_WARNINGS = [
    "conf.py:7: WARNING: Die Farbe bnk_report['colour'] = #FFFF00 ist zu hell: Schrift in dieser Farbe auf Weiß "
    "hat einen Kontrast von 1,07:1, WCAG 2.1 AA verlangt 4,50:1. Die nächste dunklere Farbe, die genügt: #7A7A00 "
    "(diese wird verwendet). [bnk.config]",
    "conf.py:8: WARNING: bnk_accessibility['status'] muss 'vollständig', 'teilweise', 'nicht' sein, nicht 'fast'. "
    "[bnk.config]",
]


def test_a_bad_setting_fails_the_cold_build_the_rebuilds_and_the_check(make_bnk_app, capsys):
    from bnk.check import run_check

    expected = [f"<srcdir>/{w}" for w in BAD_SETTINGS_WARNINGS]
    cold = make_bnk_app("basic", prepare=_conf(BAD_SETTINGS))
    cold.build()
    assert bnk_warnings_of(cold) == expected
    unchanged = make_bnk_app("basic", srcdir=cold.srcdir)
    unchanged.build()
    assert "0 added, 0 changed, 0 removed" in unchanged._status.getvalue()
    assert bnk_warnings_of(unchanged) == expected
    strict = make_bnk_app("basic", srcdir=cold.srcdir, warningiserror=True, keep_going=True)
    strict.build()
    assert bnk_warnings_of(strict) == expected
    assert strict.statuscode == 1
    strict.cleanup()  # the test apps' global docutils state, as in a fresh `bnk check` process
    assert run_check(Path(cold.srcdir)) == 1
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if "[bnk.config]" in line] == [
        w.replace(": WARNING: ", ": ", 1) for w in BAD_SETTINGS_WARNINGS
    ]
