"""Comply-or-explain: chapters, aspects, Praxisbeispiele and the build-time checks."""

from __future__ import annotations

import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from conftest import ROOTS, bnk_warnings_of, warnings_of
from sphinx.testing.util import SphinxTestApp
from test_bad_input import append, replace


def _html(app_or_outdir, docname: str) -> str:
    outdir = app_or_outdir if isinstance(app_or_outdir, Path) else Path(app_or_outdir.outdir)
    return (outdir / f"{docname}.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def basic(tmp_path_factory) -> Path:
    """The basic root built once, for the tests that only read its HTML: the output folder."""
    srcdir = tmp_path_factory.mktemp("aspects") / "basic"
    shutil.copytree(ROOTS / "test-basic", srcdir)
    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    return Path(app.outdir)


def _text(html: str) -> str:
    html = re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_complete_report_has_no_bnk_warnings(make_bnk_app):
    app = make_bnk_app("basic")
    status = app._status
    app.build()
    assert warnings_of(app) == []
    assert (
        "BNK-Vollständigkeit: 3 berichtet, 1 begründet, 0 fehlt; begründet ausgelassen: Handlungsfeld 15"
        in status.getvalue()
    )


def test_headings_scope_and_anchors_come_from_the_catalogue(basic):
    html = _html(basic, "kapitel/10-klima")
    assert '<section class="bnk-chapter" id="handlungsfeld-10">' in html
    assert "Handlungsfeld 10: Klimaschutz und Energie" in html
    assert '<p class="bnk-scope">Die Kommune berichtet über Klimaschutz.</p>' in html
    assert '<section class="bnk-aspect" id="aspekt-10-1">' in html
    assert "<h2>Aspekt 10.1: Kommunaler Klimaschutz" in html
    # Kommune-specific wording from bnk_aspect_titles replaces the catalogue title.
    assert "<h2>Aspekt 10.2: Klimaschutz in der Kreisverwaltung" in html
    assert "<title>Handlungsfeld 10: Klimaschutz und Energie" in html


def test_praxisbeispiele_are_numbered_per_chapter_and_referenced_by_label(basic):
    html = _html(basic, "kapitel/10-klima")
    assert "Praxisbeispiel 10.1 – Wasserstoff" in html
    assert "Praxisbeispiel 10.2 – Kreisklimakonferenz" in html
    assert 'id="pb-konferenz"' in html
    strategy = _html(basic, "kapitel/01-strategie")
    # The reference shows the number of the target, whatever the text around it says.
    assert re.search(r'href="10-klima.html#pb-konferenz"[^>]*><span>Praxisbeispiel 10.2</span>', strategy)
    assert re.search(r'href="10-klima.html#aspekt-10-1"[^>]*><span>Aspekt 10.1</span>', strategy)
    assert re.search(r'href="01-strategie.html#kriterium-01"[^>]*><span>Kriterium 01</span>', html)


def test_omitted_aspect_and_chapter_show_their_reason(basic):
    strategy = _text(_html(basic, "kapitel/01-strategie"))
    assert (
        "Aspekt 1.2: Zentrale Handlungsfelder Nicht berichtet – Begründung Es gibt noch keine Handlungsfelder."
        in strategy
    )
    housing = _text(_html(basic, "kapitel/15-wohnen"))
    assert (
        "Handlungsfeld 15 wird in diesem Bericht nicht berichtet Dafür sind die kreisangehörigen Kommunen zuständig."
        in housing
    )


def test_bnk_index_lists_every_chapter_and_aspect_with_status_and_link(basic):
    html = _html(basic, "index-bnk")
    text = _text(html)
    assert (
        "3 Aspekte berichtet, 1 mit Begründung nicht berichtet, 0 fehlen; mit Begründung ausgelassen: Handlungsfeld 15."
        in text
    )
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)
    cells = [[_text(c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)] for r in rows[1:]]
    assert html.count('<th class="stub" scope="row">') == len(cells)
    assert cells == [
        ["01", "Kriterium 01: Strategie", "berichtet"],
        ["1.1", "Kommunale Nachhaltigkeitsstrategie", "berichtet"],
        ["1.2", "Zentrale Handlungsfelder", "nicht berichtet, mit Begründung"],
        ["10", "Handlungsfeld 10: Klimaschutz und Energie", "berichtet"],
        ["10.1", "Kommunaler Klimaschutz", "berichtet"],
        ["10.2", "Klimaschutz in der Kreisverwaltung", "berichtet"],
        ["15", "Handlungsfeld 15: Wohnen und nachhaltige Quartiere", "nicht berichtet, mit Begründung"],
        [
            "–",
            "Für dieses Handlungsfeld weist der Bericht keine einzelnen Aspekte aus.",
            "nicht berichtet, mit Begründung",
        ],
    ]
    assert 'href="kapitel/01-strategie.html#aspekt-1-1"' in html
    assert 'href="kapitel/10-klima.html#aspekt-10-2"' in html
    assert 'href="kapitel/15-wohnen.html#handlungsfeld-15"' in html


def test_sdg_badges_and_sdg_index(basic):
    html = _html(basic, "kapitel/01-strategie")
    assert re.search(
        r'<a class="reference internal" href="../index-sdg.html#sdg-11"><span class="bnk-sdg bnk-sdg-11">'
        r'<span class="bnk-sdg-num">SDG 11</span><span class="bnk-sdg-title"> Nachhaltige Städte und Gemeinden</span></span></a>',
        html,
    )
    index = _text(_html(basic, "index-sdg"))
    assert "SDG 13 Maßnahmen zum Klimaschutz Aspekt 10.1: Kommunaler Klimaschutz" in index
    assert "SDG 7 Bezahlbare und saubere Energie Praxisbeispiel 10.1 – Wasserstoff" in index
    assert "SDG 1 Keine Armut Keine Bezüge in diesem Bericht." in index
    assert 'id="sdg-17"' in _html(basic, "index-sdg")


PROBLEMS = {
    # Aspect 1.2 deleted; 1.1 twice; an unknown aspect; 10.1 on the wrong page; an empty aspect.
    "kapitel/01-strategie.md": """# {bnk-heading}`01`

```{bnk-aspect} 1.1
Inhalt.
```

```{bnk-aspect} 1.1
Noch einmal.
```

```{bnk-aspect} 1.9
Unbekannt.
```

```{bnk-aspect} 10.1
Falsche Seite.
```
""",
    "kapitel/10-klima.md": """# {bnk-heading}`10`

```{bnk-aspect} 10.2
```
""",
    # Chapter omitted without a reason.
    "kapitel/15-wohnen.md": """# {bnk-heading}`15`

```{bnk-chapter-omitted}
```
""",
}


def test_every_check_gives_its_exact_located_warning(make_bnk_app):
    app = make_bnk_app("basic")
    for name, text in PROBLEMS.items():
        (Path(app.srcdir) / name).write_text(text, encoding="utf-8")
    (Path(app.srcdir) / "kapitel/10-klima.md").write_text(
        PROBLEMS["kapitel/10-klima.md"]
        + """
```{bnk-aspect} 10.1
:omitted:
```
""",
        encoding="utf-8",
    )
    app.build()
    assert bnk_warnings_of(app) == [
        "<srcdir>/kapitel/01-strategie.md:1: WARNING: Aspekt 1.2 „Zentrale Handlungsfelder“ fehlt: weder berichtet noch mit Begründung ausgelassen. [bnk.aspect-missing]",
        "<srcdir>/kapitel/01-strategie.md:7: WARNING: Aspekt 1.1 ist doppelt vorhanden (zuerst in kapitel/01-strategie.md:3). [bnk.aspect-duplicate]",
        "<srcdir>/kapitel/01-strategie.md:11: WARNING: Unbekannter Aspekt '1.9': nicht im BNK-Katalog (Testkatalog). [bnk.aspect-unknown]",
        "<srcdir>/kapitel/10-klima.md:3: WARNING: Aspekt 10.2 hat keinen Inhalt. Bitte berichten oder mit :omitted: und einer Begründung als nicht berichtet kennzeichnen. [bnk.aspect-empty]",
        "<srcdir>/kapitel/10-klima.md:6: WARNING: Aspekt 10.1 ist doppelt vorhanden (zuerst in kapitel/01-strategie.md:15). [bnk.aspect-duplicate]",
        "<srcdir>/kapitel/15-wohnen.md:3: WARNING: Handlungsfeld 15 ist als nicht berichtet markiert, aber ohne Begründung. Bitte die Begründung in den Block schreiben. [bnk.reason-missing]",
    ]


def test_omitted_aspect_without_reason(make_bnk_app):
    app = make_bnk_app("basic", prepare=replace("kapitel/01-strategie.md", "Es gibt noch keine Handlungsfelder.\n", ""))
    app.build()
    assert bnk_warnings_of(app) == [
        "<srcdir>/kapitel/01-strategie.md:11: WARNING: Aspekt 1.2 ist als nicht berichtet markiert (:omitted:), aber ohne Begründung. Bitte die Begründung als Inhalt des Blocks schreiben. [bnk.reason-missing]",
    ]


def test_missing_chapter_page(make_bnk_app):
    app = make_bnk_app("basic")
    status = app._status
    (Path(app.srcdir) / "kapitel/10-klima.md").unlink()
    (Path(app.srcdir) / "kapitel/01-strategie.md").write_text(
        "# {bnk-heading}`01`\n\n```{bnk-aspect} 1.1\nA.\n```\n\n```{bnk-aspect} 1.2\nB.\n```\n", encoding="utf-8"
    )
    app.build()
    assert bnk_warnings_of(app) == [
        "<srcdir>/index.md: WARNING: Kapitelseite fehlt: keine Seite erklärt Handlungsfeld 10: Klimaschutz und Energie (Zeile „# {bnk-heading}`10`“), und keiner seiner Aspekte steht im Bericht. [bnk.chapter-missing]",
    ]
    assert (
        "BNK-Vollständigkeit: 2 berichtet, 0 begründet, 2 fehlt; begründet ausgelassen: Handlungsfeld 15"
        in status.getvalue()
    )


def test_broken_references_are_located(make_bnk_app):
    app = make_bnk_app(
        "basic",
        prepare=replace(
            "kapitel/10-klima.md",
            "Siehe {bnk:chapter}`1`.",
            "Siehe {bnk:example}`pb-gibt-es-nicht` und {bnk:aspect}`1.9`.",
        ),
    )
    app.build()
    assert bnk_warnings_of(app) == [
        "<srcdir>/kapitel/10-klima.md:6: WARNING: Verweis auf Praxisbeispiel 'pb-gibt-es-nicht': kein Praxisbeispiel hat dieses Label. [bnk.ref]",
        "<srcdir>/kapitel/10-klima.md:6: WARNING: Verweis auf Aspekt '1.9': dieser Aspekt steht nirgends im Bericht. [bnk.ref]",
    ]


def test_invalid_sdg_and_config_values(make_bnk_app):
    def prepare(src: Path) -> None:
        append("conf.py", 'bnk_edition = "1999"\n')(src)
        replace("kapitel/10-klima.md", ":sdg: 13", ":sdg: 13, 18")(src)

    app = make_bnk_app("basic", prepare=prepare)
    app.build()
    warnings = bnk_warnings_of(app)
    assert warnings == [
        "<srcdir>/conf.py:7: WARNING: Ungültiger Wert für bnk_edition: '1999' (BNK-Ausgabe, deren Katalog gilt (Datei bnk-<ausgabe>.toml im Paket)). Verfügbare Ausgaben: 2021. Es gilt der Standardwert '2021'. [bnk.config]",
        "<srcdir>/kapitel/10-klima.md:3: WARNING: „18“ ist kein SDG; erlaubt sind die Nummern 1 bis 17. [bnk.sdg]",
    ]


def test_incremental_build_reports_a_removed_aspect_and_keeps_reporting_it(make_bnk_app):
    app = make_bnk_app("basic")
    app.build()
    assert bnk_warnings_of(app) == []
    replace("kapitel/10-klima.md", "```{bnk-aspect} 10.2", "```{note}")(Path(app.srcdir))

    second = make_bnk_app("basic", srcdir=app.srcdir)  # a new run on the same output: an incremental build
    second.build()
    # Only the edited page is re-read; the generated index pages are written again.
    assert "0 added, 1 changed, 0 removed" in second._status.getvalue()
    expected = [
        "<srcdir>/kapitel/10-klima.md:1: WARNING: Aspekt 10.2 „Klimaschutz in der Kreisverwaltung“ fehlt: weder berichtet noch mit Begründung ausgelassen. [bnk.aspect-missing]",
    ]
    assert bnk_warnings_of(second) == expected
    # The index page was rewritten although it did not change.
    assert "Aspekt 10.2" not in _text(_html(second, "index-bnk")) and ">fehlt<" in _html(second, "index-bnk")

    third = make_bnk_app("basic", srcdir=app.srcdir)  # nothing changed: the problem must not disappear
    third.build()
    assert "no targets are out of date" in third._status.getvalue()
    assert bnk_warnings_of(third) == expected


def test_parallel_build_gives_the_same_result(make_bnk_app):
    app = make_bnk_app("basic", parallel=2)
    status = app._status
    app.build()
    assert warnings_of(app) == []
    assert "BNK-Vollständigkeit: 3 berichtet, 1 begründet, 0 fehlt" in status.getvalue()
    html = _html(app, "index-bnk")
    assert html.count("bnk-status-berichtet") == 5  # chapters 01, 10 and aspects 1.1, 10.1, 10.2


def test_latex_builder(make_bnk_app):
    app = make_bnk_app("basic", "latex")
    app.build()
    assert warnings_of(app) == []
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    assert r"\chapter{Kriterium 01: Strategie}" in tex or r"\section{Kriterium 01: Strategie}" in tex
    assert "Aspekt 10.1: Kommunaler Klimaschutz" in tex
    # XeLaTeX (the extension's engine) takes the en dash as it is.
    assert "Praxisbeispiel 10.2 – Kreisklimakonferenz" in tex
    assert r"\label{\detokenize{kapitel/10-klima:aspekt-10-1}}" in tex


# Flexible order (BNK 2.0): the report's own structure, aspects on any page in any order.
OWN_ORDER = {
    "kapitel/01-strategie.md": """# {bnk-heading}`01`

```{bnk-aspect} 10.2
Photovoltaik auf Dächern.
```

```{bnk-aspect} 1.2
:omitted:

Es gibt noch keine Handlungsfelder.
```
""",
    # A page of the Kommune's own strategy field, without a catalogue chapter.
    "kapitel/10-klima.md": """# Unser Handlungsfeld Klima und Strategie

```{bnk-aspect} 10.1
Klimaschutz seit 2018.
```

```{bnk-aspect} 1.1
Die Strategie wurde 2023 beschlossen. Siehe {bnk:aspect}`10.2`.
```
""",
}


def test_aspects_in_the_reports_own_order_are_counted_once_where_they_stand(make_bnk_app):
    app = make_bnk_app("basic")
    status = app._status
    for name, text in OWN_ORDER.items():
        (Path(app.srcdir) / name).write_text(text, encoding="utf-8")
    app.build()
    assert bnk_warnings_of(app) == []
    assert (
        "BNK-Vollständigkeit: 3 berichtet, 1 begründet, 0 fehlt; begründet ausgelassen: Handlungsfeld 15"
        in status.getvalue()
    )
    html = _html(app, "index-bnk")
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)
    cells = [[_text(c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)] for r in rows[1:]]
    # Catalogue order, each aspect once, linked to where it stands.
    assert [row[0] for row in cells] == ["01", "1.1", "1.2", "10", "10.1", "10.2", "15", "–"]
    assert [row[2] for row in cells[:6]] == ["berichtet", "berichtet", "nicht berichtet, mit Begründung"] + [
        "berichtet"
    ] * 3
    links = re.findall(r'href="(kapitel/[^"]+)"', "".join(rows))
    assert links == [
        "kapitel/01-strategie.html#kriterium-01",
        "kapitel/10-klima.html#aspekt-1-1",
        "kapitel/01-strategie.html#aspekt-1-2",
        # Chapter 10 has no page of its own: it links to where its first aspect stands.
        "kapitel/10-klima.html#aspekt-10-1",
        "kapitel/10-klima.html#aspekt-10-1",
        "kapitel/01-strategie.html#aspekt-10-2",
        "kapitel/15-wohnen.html#handlungsfeld-15",
    ]

    # The same aspect in a second place: one duplicate warning (the first place is the first page
    # in file order), the counts do not change.
    again = make_bnk_app("basic")
    for name, text in OWN_ORDER.items():
        (Path(again.srcdir) / name).write_text(text, encoding="utf-8")
    append("kapitel/01-strategie.md", "\n```{bnk-aspect} 10.1\nNoch einmal.\n```\n")(Path(again.srcdir))
    again.build()
    assert bnk_warnings_of(again) == [
        "<srcdir>/kapitel/10-klima.md:3: WARNING: Aspekt 10.1 ist doppelt vorhanden (zuerst in kapitel/01-strategie.md:13). [bnk.aspect-duplicate]",
    ]
    assert "BNK-Vollständigkeit: 3 berichtet, 1 begründet, 0 fehlt" in again._status.getvalue()
