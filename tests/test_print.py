"""The print layout in the LaTeX source (fast, no TeX run): units, openers, dividers, tables, design."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bnk.data.report import DEFAULT_PRIMARY
from bnk.directives._common import build_table
from bnk.latex import stacked, widths
from bnk.latex.package import TEXTWIDTH_PT
from conftest import bnk_warnings_of
from docutils import nodes
from hypothesis import given, settings
from hypothesis import strategies as st


def _tex(app) -> str:
    return next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")


def test_openers_dividers_and_index_page_references(make_bnk_app):
    app = make_bnk_app("basic", "latex")
    app.build()
    assert bnk_warnings_of(app) == []
    tex = _tex(app)
    assert r"\bnkopener{Kriterium}{01}{Strategie}{primary}" in tex
    assert r"\bnkopener{Handlungsfeld}{10}{Klimaschutz und Energie}{field}" in tex
    assert r"\bnkchaptermark{Kriterium 01 · Strategie}" in tex
    # One divider before the first Kriterium, one before the first Handlungsfeld, in that order.
    dividers = re.findall(r"\\bnkdivider\{([^}]*)\}\{([^}]*)\}", tex)
    assert dividers == [("Steuerung", "(Kriterien 01–01)"), ("Handlungsfelder", "(Handlungsfelder 10–18)")] or [
        d[0] for d in dividers
    ] == ["Steuerung", "Handlungsfelder"]
    assert tex.index(r"\bnkdivider{Steuerung}") < tex.index(r"\bnkopener{Kriterium}{01}")
    assert tex.index(r"\bnkdivider{Handlungsfelder}") < tex.index(r"\bnkopener{Handlungsfeld}{10}")
    # Index pages: a page number after every link; every index table breaks across pages.
    assert r"\bnkpagerefparen{\detokenize{kapitel/10-klima:aspekt-10-1}}" in tex
    assert tex.count(r"\begin{longtable}") >= 1


def test_indicator_units_figures_and_tables(make_bnk_app):
    app = make_bnk_app("indicators", "latex")
    app.build()
    tex = _tex(app)
    begins, ends = tex.count(r"\bnkunitbegin"), tex.count(r"\bnkunitend")
    assert begins == ends == 4  # every indicator, also the one without data
    figures = re.findall(r"\\bnkfigure\{(bnk-chart-[0-9a-f]{16}\.pdf)\}\{([^\n]*)\}", tex)
    assert len(figures) == 3
    assert all(not caption.startswith("Abbildung") for _, caption in figures)  # LaTeX numbers them
    # Each unit closes after its chart, and the indicator table inside stays unbroken (no longtable).
    for unit in re.findall(r"\\bnkunitbegin(.*?)\\bnkunitend", tex, re.S):
        assert r"\begin{longtable}" not in unit
    assert r"\raggedleft\arraybackslash\def\bnkalign{\raggedleft}" in tex  # numbers flush right
    # No negative number in a table with the hyphen (print uses the minus sign U+2212).
    assert not re.findall(r"\n\\sphinxhyphen\{\}\d", tex)


def test_colours_come_from_bnk_report_and_are_checked(make_bnk_app):
    def colour(value):
        def prepare(srcdir: Path) -> None:
            conf = srcdir / "conf.py"
            conf.write_text(
                conf.read_text(encoding="utf-8").replace(
                    'bnk_report = {"kommune": "Kreis Testheim"}',
                    f'bnk_report = {{"kommune": "Kreis Testheim", "colour": {value!r}}}',
                ),
                encoding="utf-8",
            )

        return prepare

    good = make_bnk_app("indicators", "latex", prepare=colour("#8c1d40"))
    good.build()
    sty = (Path(good.outdir) / "bnkreport.sty").read_text(encoding="utf-8")
    assert r"\definecolor{bnkprimary}{HTML}{8C1D40}" in sty
    assert r"\definecolor{bnkcover}{HTML}{8C1D40}" in sty
    bad = make_bnk_app("indicators", "latex", prepare=colour("red}\\input{x}"))
    bad.build()
    sty = (Path(bad.outdir) / "bnkreport.sty").read_text(encoding="utf-8")
    assert rf"\definecolor{{bnkprimary}}{{HTML}}{{{DEFAULT_PRIMARY.lstrip('#')}}}" in sty
    assert r"\input{x}" not in sty
    assert any("Ungültige Farbe in bnk_report['colour']" in w and "[bnk.config]" in w for w in bnk_warnings_of(bad))


def _table(header: list[str], rows: list[list[str]]) -> nodes.table:
    return build_table(header, rows, [10] * len(header), ["bnk-data-table"])


def test_column_widths_follow_the_content():
    table = _table(
        ["Amt", "Kooperiert?", "Wenn ja, welche?"],
        [["Amt für Umwelt und Verbraucherschutz", yes, "Sehr langer Text " * 20] for yes in ("ja", "nein", "ja")],
    )
    columns = widths.columns_of(table)
    contents = widths.content_widths(columns)
    assert contents[1] < contents[0] < contents[2]  # ja/nein narrow, long text wide
    # "Kooperiert?" stays whole, in the header font; "Verbraucherschutz" may hyphenate.
    assert contents[1] >= widths.text_width("Kooperiert?", widths.SANS)
    assert contents[0] >= widths.text_width("Verbrauche-")
    assert sum(contents) + widths.overhead(3) == pytest.approx(TEXTWIDTH_PT)
    short = widths.content_widths(widths.columns_of(_table(["Jahr", "Wert"], [["2019", "1,5"], ["2020", "2,0"]])))
    assert short[0] == pytest.approx(short[1], rel=0.3)  # short tables: in proportion to their texts


def test_numbers_and_unbreakable_words_keep_their_width():
    # Seven columns: a department, five prices – the numbers cannot break –, a long remark.
    header = ["Amt/Stabsstelle", *(f"Tarif {i}" for i in range(1, 6)), "Bemerkung"]
    rows = [["Stabsstelle Klimaschutz", *(f"{40 + i},{i}5" for i in range(5)), "Jobticket " * 30] for _ in range(3)]
    columns = widths.columns_of(_table(header, rows))
    assert [c.numeric for c in columns] == [False, *([True] * 5), False]
    assert widths.fits(columns)
    contents = widths.content_widths(columns)
    for content, column in zip(contents, columns, strict=True):
        assert content >= column.minimum() - 1e-9
    # A number is never broken: its column holds the widest number in the table font (DejaVu Serif).
    assert min(contents[1:6]) >= widths.text_width("44,45")
    # Words up to 14 letters stay whole; "Stabsstelle Klimaschutz" breaks at the space.
    assert columns[0].minimum() == pytest.approx(
        max(widths.text_width("Stabsstelle", widths.SANS), widths.text_width("Klimaschutz"))
    )
    # A longer word may hyphenate: ten letters and the hyphen must fit.
    assert widths.Cell((("Nachhaltigkeitsberichterstattung", widths.SERIF),)).minimum(numeric=False) == (
        pytest.approx(widths.text_width("Nachhaltig-"))
    )
    # "Kreis/Kommune" breaks after the slash: the column needs "Kreis/" or "Kommune" (header: sans).
    column = widths.columns_of(_table(["Kreis/Kommune", "Wert"], [["Umweltamt", "1"]]))[0]
    expected = max(
        widths.text_width("Kreis/", widths.SANS),
        widths.text_width("Kommune", widths.SANS),
        widths.text_width("Umweltamt"),
    )
    assert column.minimum() == pytest.approx(expected)
    assert column.minimum() < widths.text_width("Kreis/Kommune", widths.SANS)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.lists(
            st.text(alphabet="abcdefghijklmnopqrstuvwxyzÄÖÜß0123456789,.-/ ", min_size=0, max_size=60),
            min_size=3,
            max_size=3,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_every_column_gets_its_minimum_when_the_table_fits(rows):
    columns = widths.columns_of(_table(["Erste Spalte", "Zweite", "Dritte Spalte"], rows))
    contents = widths.content_widths(columns)
    assert sum(contents) + widths.overhead(3) == pytest.approx(TEXTWIDTH_PT)
    if widths.fits(columns):
        assert all(w >= c.minimum() - 1e-9 for w, c in zip(contents, columns, strict=True))
    units = widths.spec_units(contents)
    assert all(u > 0 for u in units)


LONG_TEXT = "Zusammenarbeit im Zweckverband " * 40


def _wide_table(css: str) -> nodes.table:
    """Four columns, two of them with a long text: too tall to print side by side."""
    return build_table(
        ["Amt", "ja/nein", "Welche?", "Nachbarkreise"],
        [["Amt A", "ja", LONG_TEXT, "keine"], ["Amt B", "nein", "–", LONG_TEXT]],
        [10, 10, 10, 10],
        [css],
    )


def test_tall_tables_are_stacked_without_losing_a_cell():
    table = _wide_table("bnk-data-table")
    before = table.astext()
    new = stacked(table)
    assert "bnk-stacked" in new["classes"]
    assert int(next(iter(new.findall(nodes.tgroup)))["cols"]) == 2
    rows = list(new.findall(nodes.row))
    assert len(rows) == 1 + 2 * 3  # header + (columns after the first) per original row
    text = new.astext()
    for cell in ("Amt A", "Amt B", "ja/nein: ja", "ja/nein: nein", "Nachbarkreise: keine", LONG_TEXT.strip()):
        assert cell in text
    assert sum(before.count(w) for w in ("Amt A", "Amt B")) == sum(text.count(w) for w in ("Amt A", "Amt B"))


@pytest.mark.parametrize("layout", ["size_tables", "print_layout_tables"])
def test_a_stacked_table_keeps_its_caption_and_anchor(layout):
    """Print (size_tables) and the accessible PDF (print_layout_tables) stack a wide table the
    same way; the stacked table keeps its caption (numbered, in the list of tables) and its id
    (links to it). Before, stacked() dropped both."""
    import bnk.latex

    table = _wide_table("bnk-table")
    table.insert(0, nodes.title("Zusammenarbeit", "Zusammenarbeit"))
    table["ids"] = ["tabelle-zusammenarbeit"]
    table["bnk_caption"] = "Zusammenarbeit"
    section = nodes.section()
    section += table
    getattr(bnk.latex, layout)(section)
    (new,) = section.findall(nodes.table)
    assert "bnk-stacked" in new["classes"]
    assert [c.astext() for c in new.children if isinstance(c, nodes.title)] == ["Zusammenarbeit"]
    assert new["ids"] == ["tabelle-zusammenarbeit"]
    assert new["bnk_caption"] == "Zusammenarbeit"
    colspecs = [c["colwidth"] for c in new.findall(nodes.colspec)]
    assert len(colspecs) == 2 and colspecs[0] < colspecs[1]


MEDIUM_PAGE = """# Hinweise zum Lesen

Dieser Satz steht in jeder Fassung.

```{bnk-medium} screen
Klicken Sie auf ein Kapitel oder nutzen Sie das Such-Feld.
```

```{bnk-medium} print
Vorne im Bericht steht ein Inhaltsverzeichnis.
```

```{bnk-medium} web
Ein Block mit unbekannter Fassung erscheint überall.
```
"""


def _with_medium_page(srcdir: Path) -> None:
    (srcdir / "lesen.md").write_text(MEDIUM_PAGE, encoding="utf-8")
    index = srcdir / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("kapitel/*\n", "kapitel/*\nlesen\n"), encoding="utf-8")


@pytest.mark.parametrize("builder", ["html", "latex"])
def test_content_per_medium_is_declared_once(make_bnk_app, builder):
    app = make_bnk_app("basic", builder, prepare=_with_medium_page)
    app.build()
    out = (Path(app.outdir) / "lesen.html").read_text(encoding="utf-8") if builder == "html" else _tex(app)
    assert "Dieser Satz steht in jeder Fassung." in out
    assert "Ein Block mit unbekannter Fassung erscheint überall." in out
    screen, printed = "Klicken Sie auf ein Kapitel", "Vorne im Bericht steht ein Inhaltsverzeichnis."
    assert (screen in out, printed in out) == ((True, False) if builder == "html" else (False, True))
    assert "bnk_medium" not in out and "bnk-medium" not in out  # no wrapper reaches the output
    assert bnk_warnings_of(app) == [
        "<srcdir>/lesen.md:13: WARNING: Unbekanntes Medium „web“ in bnk-medium; möglich sind „screen“ "
        "(Bildschirm (Webfassung)), „print“ (Druck (PDF)). Der Inhalt erscheint in allen Fassungen. [bnk.medium]"
    ]


def test_the_accessible_pdf_is_a_print_medium():
    from bnk.directives.medium import medium_of
    from bnk.pdfua import BnkPdfUaBuilder

    class Latex:
        format = "latex"

    class Html:
        format = "html"

    assert medium_of(Latex()) == "print"
    assert medium_of(Html()) == "screen"
    assert BnkPdfUaBuilder.format == "html" and medium_of(BnkPdfUaBuilder) == "print"
