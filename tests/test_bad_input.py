"""Bad input, end to end: each case gives a located message, no traceback, nothing silently
dropped, and a failing strict build (-W --keep-going)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bnk.check import read_report
from conftest import ANSI, bnk_warnings_of

BILLION_LAUGHS = """title: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]
definition: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
unit: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
source: [*c, *c, *c, *c, *c, *c, *c, *c, *c]
"""


_PROBLEM_START = re.compile(r"^(?:(?P<where>.+?): )?(?P<level>WARNING|ERROR|CRITICAL|SEVERE): ")


def split_warnings(text: str, root: Path) -> list[str]:
    """The warnings a build printed, one entry each (continuation lines joined), paths relative:
    what ``bnk check`` must collect from the log records."""
    problems: list[str] = []
    for line in ANSI.sub("", text).splitlines():
        if _PROBLEM_START.match(line):
            problems.append(line.replace(str(root) + "/", ""))
        elif problems and line.strip():
            problems[-1] += "\n" + line
    return problems


def replace(name: str, old: str, new: str):
    def change(src: Path) -> None:
        path = src / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return change


def write(name: str, content: str | bytes):
    def change(src: Path) -> None:
        path = src / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return change


def append(name: str, text: str):
    def change(src: Path) -> None:
        path = src / name
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return change


def symlink_outside(src: Path) -> None:
    outside = src.parent / f"{src.name}-draussen"
    outside.mkdir()
    (outside / "geheim.yaml").write_text((src / "data/emissionen.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (src / "data/geheim.yaml").symlink_to(outside / "geheim.yaml")
    append("index.md", "\n```{indicator} geheim\n```\n")(src)


def million_rows(src: Path) -> None:
    lines = ["year,region,value"] + [f"{1000 + i % 1000},r{i},1" for i in range(1_000_000)]
    (src / "data/anteil-erneuerbar.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


CSV = "data/anteil-erneuerbar.csv"
CSV2 = "data/emissionen.csv"
META = "data/anteil-erneuerbar.yaml"
META2 = "data/emissionen.yaml"


def row_2017(case: str, row: str, message: str):
    """A case that writes ``row`` in place of the 2017 row of emissionen.csv (line 3)."""
    return (case, "indicators", replace(CSV2, "2017,1646", row), f"{CSV2}:3", "csv", message)


# (id, root, change, expected location "file:line", subtype, message part)
CASES = [
    # --- CSV --------------------------------------------------------------------------------
    ("csv-empty", "indicators", write(CSV, ""), f"{CSV}:1", "csv", "Die CSV-Datei ist leer."),
    ("csv-header-only", "indicators", write(CSV, "year,region,value\n"), f"{CSV}:1", "csv", "nur die Kopfzeile"),
    ("csv-bom", "indicators", write(CSV2, "\ufeffyear,value\n2019,1\n"), f"{CSV2}:1", "csv", "Byte-Order-Mark"),
    ("csv-semicolon", "indicators", write(CSV2, "year;value\n2019;1\n"), f"{CSV2}:1", "csv", "Semikolon"),
    (
        "csv-decimal-comma",
        "indicators",
        replace(CSV, "2020,,25.8", "2020,,25,8"),
        f"{CSV}:7",
        "csv",
        "Dezimalkomma („25,8“)",
    ),
    (
        "csv-decimal-comma-quoted",
        "indicators",
        replace(CSV, "2020,,25.8", '2020,,"25,8"'),
        f"{CSV}:7",
        "csv",
        "Dezimalkomma in „25,8“",
    ),
    row_2017("csv-thousands", '2017,"1.646.000"', "Tausendertrennzeichen"),
    row_2017("csv-non-numeric", "2017,viel", "„viel“ ist keine Zahl"),
    row_2017("csv-nan", "2017,NaN", "„NaN“ ist keine Zahl"),
    row_2017("csv-inf", "2017,inf", "„inf“ ist keine Zahl"),
    row_2017("csv-infinity", "2017,-Infinity", "„-Infinity“ ist keine Zahl"),
    row_2017("csv-gap-empty-value", "2017,", "Leerer Wert"),
    row_2017("csv-duplicate-year", "2015,1646", "Jahr 2015 doppelt"),
    ("csv-unsorted", "indicators", replace(CSV2, "2018,1595", "2016,1595"), f"{CSV2}:4", "csv", "nicht aufsteigend"),
    row_2017("csv-negative-year", "-2017,1646", "„-2017“ ist kein Jahr"),
    row_2017("csv-non-integer-year", "2017.5,1646", "„2017.5“ ist kein Jahr"),
    row_2017("csv-two-digit-year", "17,1646", "„17“ ist kein Jahr"),
    row_2017("csv-huge-number", "2017,99999999999999999", "unplausibel groß"),
    row_2017("csv-exponent", "2017,1e5", "„1e5“ ist keine Zahl"),
    ("csv-million-rows", "indicators", million_rows, f"{CSV}:10002", "csv", "Mehr als 10000 Datenzeilen"),
    (
        "csv-not-utf8",
        "indicators",
        write(CSV2, "year,value\n2019,1\n2020,\xe4\n".encode("latin-1")),
        f"{CSV2}:3",
        "csv",
        "nicht in UTF-8",
    ),
    (
        "csv-missing-value-column",
        "indicators",
        write(CSV2, "year,wert\n2019,1\n"),
        f"{CSV2}:1",
        "csv",
        "Kopfzeile muss mit „year“ beginnen und mit „value“ enden",
    ),
    row_2017("csv-extra-field", "2017,1646,9", "Zeile hat 3 Felder, die Kopfzeile 2."),
    (
        "csv-only-land-rows",
        "indicators",
        write(CSV, "year,region,value\n2019,NRW,20.1\n"),
        f"{CSV}:2",
        "csv",
        "Keine Zeilen für die Kommune",
    ),
    (
        "config-report-year-without-data",
        "indicators",
        replace("conf.py", "bnk_report_year = 2021", "bnk_report_year = 2010"),
        f"{CSV2}:2",
        "csv",
        "Keine Daten bis zum Berichtsjahr 2010 (erster Wert: 2015).",
    ),
    # --- metadata ---------------------------------------------------------------------------
    (
        "meta-missing-title",
        "indicators",
        replace(META2, "title: Treibhausgasemissionen\n", ""),
        f"{META2}:1",
        "meta",
        "Pflichtfeld „title“ fehlt.",
    ),
    (
        "meta-mistyped-direction",
        "indicators",
        replace(META2, "direction: lower", "direction: runter"),
        f"{META2}:6",
        "meta",
        "„direction“ ist 'runter'",
    ),
    (
        "meta-direction-as-list",
        "indicators",
        replace(META2, "direction: lower\n", "direction: [lower]\n"),
        f"{META2}:6",
        "meta",
        "„direction“ ist ['lower']; erlaubt: higher, lower, none.",
    ),
    (
        "meta-mistyped-set",
        "indicators",
        replace(META2, "indicator_set: eigene", "indicator_set: meine"),
        f"{META2}:5",
        "meta",
        "„indicator_set“ ist 'meine'",
    ),
    (
        "meta-unknown-field",
        "indicators",
        append(META2, "titel: Doppelt\n"),
        f"{META2}:10",
        "meta",
        "Unbekanntes Feld „titel“",
    ),
    (
        "meta-sdg-out-of-range",
        "indicators",
        replace(META, "sdgs: [7]", "sdgs: [18]"),
        f"{META}:7",
        "meta",
        "„sdgs“ muss eine Liste von SDG-Nummern 1 bis 17 sein.",
    ),
    (
        "meta-decimals-text",
        "indicators",
        replace(META2, "decimals: 0", "decimals: zwei"),
        f"{META2}:7",
        "meta",
        "„decimals“ muss eine ganze Zahl",
    ),
    (
        "meta-unknown-unit",
        "indicators",
        replace(META2, "unit: Tsd. t CO₂-Äq./a", "unit: Tsd. Tonen"),
        f"{META2}:3",
        "meta",
        "Unbekannte Einheit „Tsd. Tonen“",
    ),
    (
        "meta-malformed-yaml",
        "indicators",
        replace(META2, "source: Testamt\n", "source: [Testamt\n"),
        f"{META2}:5",
        "meta",
        "kein gültiges YAML",
    ),
    ("meta-alias-bomb", "indicators", write(META2, BILLION_LAUGHS), f"{META2}:1", "meta", "Anker und -Aliase"),
    (
        "meta-bad-target",
        "indicators",
        replace(META2, '{direction: lower, text: "sinken"}', "{value: viel, year: 2030}"),
        f"{META2}:8",
        "meta",
        "„value“ muss eine Zahl sein",
    ),
    (
        "meta-target-year-text",
        "indicators",
        replace(META2, '{direction: lower, text: "sinken"}', "{value: 0, year: bald}"),
        f"{META2}:8",
        "meta",
        "„year“ muss ein Jahr sein",
    ),
    (
        "meta-source-url-scheme",
        "indicators",
        append(META2, "source_url: javascript:alert(1)\n"),
        f"{META2}:10",
        "meta",
        "„source_url“ muss mit https://",
    ),
    (
        "meta-target-past",  # a target year before the report year (2021) was accepted silently
        "indicators",
        replace(META, "{value: 40, year: 2030,", "{value: 40, year: 2019,"),
        f"{META}:8",
        "target-past",
        "Ziel 1 in „targets“ von „anteil-erneuerbar“: das Zieljahr 2019 liegt vor dem Berichtsjahr 2021. Bitte das "
        "Zieljahr prüfen oder ein aktuelles Ziel eintragen (ein zu haltendes Ziel: „hold: true“).",
    ),
    (
        "meta-no-data-no-reason",
        "indicators",
        replace("data/steuern.yaml", "no_data_reason: Ein Kreis erhebt keine Steuern.\n", "source: Testamt\n"),
        "data/steuern.yaml:1",
        "indicator",
        "keine Daten",
    ),
    (
        "meta-not-utf8",
        "indicators",
        write(META2, "title: Gr\xfc\xdfe\n".encode("latin-1")),
        f"{META2}:1",
        "meta",
        "nicht in UTF-8",
    ),
    (
        "meta-symlink-outside",
        "indicators",
        symlink_outside,
        "data/geheim.yaml:1",
        "meta",
        "zeigt aus dem Datenverzeichnis hinaus",
    ),
    # --- directives ---------------------------------------------------------------------------
    (
        "directive-unknown-id",
        "indicators",
        append("index.md", "\n```{indicator} gibt-es-nicht\n```\n"),
        "index.md:26",
        "indicator",
        "Unbekannter Indikator „gibt-es-nicht“",
    ),
    (
        "directive-path-in-id",
        "indicators",
        append("index.md", "\n```{indicator} ../emissionen\n```\n"),
        "index.md:26",
        "indicator",
        "keine gültige Indikator-ID",
    ),
    (
        "directive-absolute-path",
        "indicators",
        append("index.md", "\n```{indicator} /etc/passwd\n```\n"),
        "index.md:26",
        "indicator",
        "keine gültige Indikator-ID",
    ),
    (
        # An aspect may stand on any page (a report in its own order): written on a second page
        # it is a duplicate, located where it stands the second time.
        "directive-aspect-on-another-page-twice",
        "basic",
        replace("kapitel/01-strategie.md", "```{bnk-aspect} 1.2", "```{bnk-aspect} 10.2"),
        "kapitel/10-klima.md:9",
        "aspect-duplicate",
        "Aspekt 10.2 ist doppelt vorhanden (zuerst in kapitel/01-strategie.md:11)",
    ),
    (
        "directive-unknown-aspect",
        "basic",
        replace("kapitel/01-strategie.md", "```{bnk-aspect} 1.2", "```{bnk-aspect} 1.7"),
        "kapitel/01-strategie.md:11",
        "aspect-unknown",
        "Unbekannter Aspekt '1.7'",
    ),
    (
        "directive-heading-outside-title",
        "basic",
        append("kapitel/10-klima.md", "\nText {bnk-heading}`01`.\n"),
        "kapitel/10-klima.md:30",
        "chapter-unknown",
        "gehört in die Kapitelüberschrift",
    ),
    (
        # Aspect codes are free ("10.1", "12", "A3"): a code the catalogue lacks is unknown.
        "directive-aspect-code-not-in-the-catalogue",
        "basic",
        replace("kapitel/01-strategie.md", "```{bnk-aspect} 1.2", "```{bnk-aspect} abc"),
        "kapitel/01-strategie.md:11",
        "aspect-unknown",
        "Unbekannter Aspekt 'abc': nicht im BNK-Katalog",
    ),
    (
        "directive-invalid-sdg",
        "basic",
        replace("kapitel/01-strategie.md", ":sdg: 11, 17", ":sdg: 11, 170"),
        "kapitel/01-strategie.md:5",
        "sdg",
        "„170“ ist kein SDG",
    ),
    # --- catalogue and config -----------------------------------------------------------------
    (
        "catalogue-malformed-toml",
        "basic",
        replace("katalog.toml", 'title = "Testkatalog"', "title = Testkatalog"),
        "katalog.toml:4",
        "catalogue",
        "kein gültiges TOML",
    ),
    (
        "catalogue-aspect-in-two-chapters",
        "basic",
        replace("katalog.toml", 'code = "10.1"', 'code = "1.2"'),
        "katalog.toml:43",
        "catalogue",
        "Aspekt 1.2 steht in zwei Kapiteln (01 und 10).",
    ),
    (
        "catalogue-missing-title",
        "basic",
        replace("katalog.toml", 'title = "Kommunale Nachhaltigkeitsstrategie"\n', ""),
        "katalog.toml:28",
        "catalogue",
        "Aspekt 1.1: „title“ fehlt oder ist leer.",
    ),
    (
        "config-unknown-edition",
        "basic",
        append("conf.py", 'bnk_edition = "1999"\n'),
        "conf.py:7",
        "config",
        "Ungültiger Wert für bnk_edition: '1999'",
    ),
    (
        "config-report-year-text",
        "indicators",
        replace("conf.py", "bnk_report_year = 2021", 'bnk_report_year = "zwanzig"'),
        "conf.py:6",
        "config",
        "Ungültiger Wert für bnk_report_year: 'zwanzig'",
    ),
    # --- a foreign-language term without a known language --------------------------------------
    (
        "lang-unknown",
        "basic",
        append("index.md", "\nDer Grundsatz {bnk-lang}`englisch:comply or explain`.\n"),
        "index.md:11",
        "lang",
        "Unbekannte Sprache „englisch“ vor „comply or explain“: erwartet wird ein Sprachkürzel",
    ),
]


def test_at_least_forty_cases():
    assert len(CASES) >= 40


@pytest.mark.parametrize(("case", "root", "change", "where", "subtype", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_input(make_bnk_app, case, root, change, where, subtype, message):
    app = make_bnk_app(root, prepare=change, warningiserror=True, keep_going=True)
    app.build()
    warnings = ANSI.sub("", app.warning.getvalue()).replace(str(app.srcdir) + "/", "")
    status = ANSI.sub("", app._status.getvalue())
    assert "Traceback" not in warnings + status
    located = [
        w for w in warnings.splitlines() if w.startswith(f"{where}: WARNING: ") and w.endswith(f"[bnk.{subtype}]")
    ]
    assert located, warnings
    assert message in located[0], located[0]
    assert app.statuscode == 1  # the strict build fails
    if root == "basic" and subtype == "catalogue":
        # A broken catalogue is reported once, not as a cascade of unknown chapters.
        assert "Unbekanntes Kapitel" not in warnings
    if root == "indicators" and subtype in ("csv", "meta", "indicator"):
        # Nothing disappears silently: the page shows the problem where the indicator stands.
        html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
        assert "Fehler in den Indikatordaten" in html
    # One route: every problem once per build, and the same problems on a no-op rebuild.
    cold = bnk_warnings_of(app)
    assert len(cold) == len(set(cold)), cold
    again = make_bnk_app(root, srcdir=app.srcdir, warningiserror=True, keep_going=True)
    again.build()
    assert "0 added, 0 changed, 0 removed" in again._status.getvalue()
    assert bnk_warnings_of(again) == cold
    assert again.statuscode == 1
    # bnk check is the build's read phase: exactly the problems of the build.
    build_problems = split_warnings(app.warning.getvalue(), Path(app.srcdir))
    again.cleanup()  # the test apps' global docutils state, as in a fresh `bnk check` process
    assert read_report(Path(app.srcdir)).problems == build_problems


def test_missing_directive_argument_and_bad_option_are_located(make_bnk_app):
    app = make_bnk_app(
        "indicators",
        prepare=append("index.md", "\n```{indicator}\n```\n\n```{indicator} emissionen\n:punkte: 3\n```\n"),
        warningiserror=True,
        keep_going=True,
    )
    app.build()
    warnings = ANSI.sub("", app.warning.getvalue()).replace(str(app.srcdir) + "/", "")
    assert re.search(r"^index\.md:26: (ERROR|WARNING): .*1 argument\(s\) required, 0 supplied", warnings, re.M)
    assert re.search(r"^index\.md:30: (ERROR|WARNING): .*Unknown option key: 'punkte'", warnings, re.M)
    assert "Traceback" not in warnings
    assert app.statuscode == 1
