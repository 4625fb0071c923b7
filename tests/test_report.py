"""The real report of this repository (Kreis Heinsberg 2023), built from a copy of its sources."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
import yaml
from bnk.data.catalogue import edition_path, load_catalogue
from conftest import ANSI
from sphinx.testing.util import SphinxTestApp

NBSP = "\u00a0"

REPO = Path(__file__).resolve().parent.parent
SOURCES = ["conf.py", "kriterien", "handlungsfelder", "data", "bilder"]

# The accessible PDF of the real report: the Erklärung zur Barrierefreiheit links it.
ACCESSIBLE_PDF = "nachhaltigkeitsbericht-kreis-heinsberg-2023-barrierefrei.pdf"


def copy_report(target: Path) -> Path:
    """Copy the report's sources (not the build, venv or tests) into ``target``."""
    target.mkdir(parents=True)
    for name in SOURCES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, target / name)
        else:
            shutil.copy2(src, target / name)
    for page in REPO.glob("*.md"):
        if page.name != "README.md":
            shutil.copy2(page, target / page.name)
    return target


def build(srcdir: Path, **kwargs) -> tuple[str, list[str]]:
    status, warning = StringIO(), StringIO()
    app = SphinxTestApp("html", srcdir=srcdir, status=status, warning=warning, **kwargs)
    try:
        app.build()
    finally:
        app.cleanup()
    if app.statuscode:
        status.write("\nSTRICT BUILD FAILED\n")
    warnings = ANSI.sub("", warning.getvalue()).replace(str(srcdir) + "/", "<srcdir>/")
    return ANSI.sub("", status.getvalue()), [w for w in warnings.splitlines() if w.strip()]


@pytest.fixture(scope="module")
def report(heinsberg) -> tuple[Path, str, list[str]]:
    """The strict build of the real report (any warning fails it), shared with the other modules."""
    return heinsberg


def test_report_builds_strict_without_any_warning(report):
    _, status, warnings = report
    assert warnings == []
    assert "build succeeded" in status
    assert "BNK-Vollständigkeit: 71 berichtet, 2 begründet, 0 fehlt; begründet ausgelassen: Handlungsfeld 15" in status


def test_bnk_index_lists_all_chapters_and_aspects_with_status_and_link(report):
    srcdir, _, _ = report
    html = (srcdir / "_build/html/bnk-index.html").read_text(encoding="utf-8")
    catalogue = load_catalogue(str(edition_path("2021")))
    for chapter in catalogue.chapters:
        assert re.search(rf'href="[^"]+#{chapter.anchor}"', html), chapter.label
    for aspect in catalogue.aspects:
        row = re.search(
            # The number labels the row (th scope=row); the other cells name their column.
            rf'<th class="stub" scope="row"><p>{re.escape(aspect.number)}</p></th>\s*'
            rf'<td data-label="Kapitel / Aspekt: "><p>(.*?)</p></td>\s*<td data-label="Status: "><p>(.*?)</p></td>',
            html,
        )
        assert row, aspect.number
        assert f'#{aspect.anchor}"' in row.group(1)
        assert "bnk-status-" in row.group(2)
    assert html.count('class="bnk-status bnk-status-berichtet"') == 71 + 17  # aspects + chapters
    assert "Für dieses Handlungsfeld weist der Bericht keine einzelnen Aspekte aus." in html


def test_aspect_anchor_on_kriterium_01(report):
    srcdir, _, _ = report
    html = (srcdir / "_build/html/kriterien/01-strategie.html").read_text(encoding="utf-8")
    assert '<section class="bnk-aspect" id="aspekt-1-1">' in html
    assert "<h2>Aspekt 1.1: Kommunale Nachhaltigkeitsstrategie" in html


def test_deleting_an_aspect_from_kriterium_01_is_reported(heinsberg_scratch):
    srcdir = heinsberg_scratch()
    page = srcdir / "kriterien/01-strategie.md"
    text = page.read_text(encoding="utf-8")
    # Remove the whole aspect 1.4 block.
    start = text.index("```{bnk-aspect} 1.4")
    end = text.index("```\n", text.index("\n", start) + 1) + 4
    page.write_text(text[:start] + text[end:], encoding="utf-8")
    status, warnings = build(srcdir)
    assert [w for w in warnings if "[bnk." in w] == [
        "<srcdir>/kriterien/01-strategie.md:1: WARNING: Aspekt 1.4 „Bezüge der kommunalen "
        "Nachhaltigkeitsstrategie zu übergeordneten Nachhaltigkeitszielsetzungen (Land, Bund, UN)“ "
        "fehlt: weder berichtet noch mit Begründung ausgelassen. [bnk.aspect-missing]"
    ]
    assert "BNK-Vollständigkeit: 70 berichtet, 2 begründet, 1 fehlt" in status


def _independent_change(csv_path: Path, report_year: int) -> tuple[list[int], list[float], float, float | None]:
    """Recompute by the report's stated method with plain floats and the csv module."""
    with csv_path.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if not any(r.get(k) for k in r if k not in ("year", "value"))]
    points = [(int(r["year"]), float(r["value"])) for r in rows if int(r["year"]) <= report_year][-3:]
    oldest, newest = points[0][1], points[-1][1]
    absolute = newest - oldest
    relative = None if oldest == 0 else absolute / abs(oldest) * 100
    return [p[0] for p in points], [p[1] for p in points], absolute, relative


def _german(value: float, decimals: int, unit: str = "") -> str:
    text = f"{value:+,.{decimals}f}".replace(",", "X").replace(".", ",").replace("X", ".")
    if round(value, decimals) == 0:
        text = "±" + text[1:]
    # Negative figures carry the typographic minus sign U+2212, not the hyphen-minus.
    return text.replace("-", "\u2212") + unit


def test_all_49_indicators_match_an_independent_recomputation(report):
    srcdir, _, _ = report
    export = json.loads((srcdir / "_build/html/bnk-report.json").read_text(encoding="utf-8"))
    with_data = [i for i in export["indicators"] if not i["no_data_reason"]]
    assert len(export["indicators"]) == 57
    assert len(with_data) == 49
    for item in with_data:
        csv_path = srcdir / "data" / f"{item['id']}.csv"
        years, values, absolute, relative = _independent_change(csv_path, 2023)
        decimals = max(
            len(v.split(".")[1]) if "." in v else 0
            for v in csv_path.read_text(encoding="utf-8").split("\n")[1:]
            if v
            for v in [v.split(",")[-1]]
        )
        meta = yaml.safe_load((srcdir / "data" / f"{item['id']}.yaml").read_text(encoding="utf-8"))
        decimals = meta.get("decimals", decimals)
        percent = meta["unit"].strip() == "%"
        assert item["shown_years"] == years, item["id"]
        assert item["shown_values"] == values, item["id"]
        assert item["change_abs"] == pytest.approx(round(absolute, decimals), abs=10 ** -(decimals + 6)), item["id"]
        expected_abs = _german(absolute + (1e-9 if absolute > 0 else -1e-9), decimals, NBSP + "%P" if percent else "")
        assert item["display"]["change_abs"] == expected_abs, item["id"]
        if relative is None:
            assert item["change_rel"] is None and item["display"]["change_rel"] == "–", item["id"]
        else:
            assert item["change_rel"] == pytest.approx(round(relative + (1e-9 if relative > 0 else -1e-9), 1)), item[
                "id"
            ]
            assert item["display"]["change_rel"] == _german(
                relative + (1e-9 if relative > 0 else -1e-9), 1, NBSP + "%"
            ), item["id"]
        # ... and the page shows exactly these strings in the indicator's table.
        page = (srcdir / "_build/html" / f"{item['page']}.html").read_text(encoding="utf-8")
        start = page.index(f'id="{item["anchor"]}"')
        table = page[start : page.index("</table>", start)]
        table = table[table.index("<tbody") :]
        table = table[: table.index("</tr>")]  # the Kommune's row comes first
        cells = [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)
        ]
        assert cells[-2] == item["display"]["change_abs"], item["id"]
        assert cells[-1].rstrip("¹") == item["display"]["change_rel"], item["id"]


def test_decimal_comma_in_a_real_csv_fails_the_strict_build(heinsberg_scratch):
    srcdir = heinsberg_scratch()
    csv_path = srcdir / "data/breitband-private-haushalte.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace("95.6", "25,7"), encoding="utf-8")
    status, warnings = build(srcdir, warningiserror=True, keep_going=True)
    assert warnings == [
        "<srcdir>/data/breitband-private-haushalte.csv:3: WARNING: Zeile hat 3 Felder, die Kopfzeile 2. "
        "Steht hier ein Dezimalkomma („25,7“)? In der CSV-Datei gilt der Dezimalpunkt, z. B. „25.7“. [bnk.csv]"
    ]
    assert "STRICT BUILD FAILED" in status
    page = (srcdir / "_build/html/kriterien/09-innovation-fuer-nachhaltigkeit.html").read_text(encoding="utf-8")
    start = page.index('id="indikator-breitband-private-haushalte"')
    assert "Fehler in den Indikatordaten" in page[start : start + 3000]


def test_all_25_praxisbeispiele_are_numbered_by_the_directive(report):
    srcdir, _, _ = report
    numbers = []
    for page in sorted((srcdir / "_build/html").glob("*/*.html")):
        numbers += re.findall(
            r'<section class="bnk-example" id="pb-[a-z0-9-]+">\s*<h[23]>Praxisbeispiel (\d+\.\d+) – ',
            page.read_text(encoding="utf-8"),
        )
    numbers.sort(key=lambda n: tuple(int(p) for p in n.split(".")))
    assert len(numbers) == len(set(numbers)) == 25
    assert numbers == [
        "4.1",
        "9.1",
        "9.2",
        "10.1",
        "10.2",
        "10.3",
        "11.1",
        "11.2",
        "11.3",
        "12.1",
        "13.1",
        "13.2",
        "13.3",
        "14.1",
        "14.2",
        "14.3",
        "14.4",
        "16.1",
        "16.2",
        "17.1",
        "17.2",
        "18.1",
        "18.2",
        "18.3",
        "18.4",
    ]


def test_no_dangling_internal_link(report):
    srcdir, _, _ = report
    outdir = srcdir / "_build/html"
    ids: dict[Path, set[str]] = {}
    checked = 0
    for page in sorted(outdir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for raw in re.findall(r'<a [^>]*href="([^"]+)"', text):
            href = html.unescape(raw)
            if re.match(r"^(https?:|mailto:|#$)", href) or href.startswith("_"):
                continue
            target, _, anchor = href.partition("#")
            path = (page.parent / target).resolve() if target else page
            assert path.exists(), f"{page.relative_to(outdir)}: {href}"
            if anchor:
                if path not in ids:
                    ids[path] = set(re.findall(r'id="([^"]+)"', path.read_text(encoding="utf-8")))
                assert anchor in ids[path], f"{page.relative_to(outdir)}: {href}"
            checked += 1
    assert checked > 500


def test_every_aspect_has_real_content(report):
    srcdir, _, _ = report
    export = json.loads((srcdir / "_build/html/bnk-report.json").read_text(encoding="utf-8"))
    for aspect in export["aspects"]:
        if aspect["chapter"] == 15:
            continue
        page = (srcdir / "_build/html" / f"{aspect['page']}.html").read_text(encoding="utf-8")
        start = page.index(f'id="aspekt-{aspect["number"].replace(".", "-")}"')
        end = page.find("<section", start + 1)
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[start:end]))
        body = text.split(aspect["title"], 1)[1]
        assert len(body.strip()) > 150, aspect["number"]


def test_cooperation_table_is_built_from_the_csv(report):
    srcdir, _, _ = report
    page = (srcdir / "_build/html/handlungsfelder/18-globale-verantwortung-und-eine-welt.html").read_text(
        encoding="utf-8"
    )
    with (srcdir / "data/tabellen/interkommunale-zusammenarbeit.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    yes = sum(1 for r in rows if r["zusammenarbeit_kommunen"] == "ja")
    assert (len(rows), yes) == (15, 10)
    assert f"{yes} von {len(rows)} befragten Ämtern und Stabsstellen (67\u00a0%) arbeiten bereits" in page
    start = page.index('class="bnk-table')
    assert page[start : page.index("</table>", start)].count("<tr") == 16


def test_same_data_builds_for_2023_and_a_later_report_year(tmp_path):
    srcdir = copy_report(tmp_path / "src")
    # A later data point (test data, not part of the report) that only the later report may show.
    csv_path = srcdir / "data/strom-windkraft.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8") + "2024,380\n", encoding="utf-8")
    shown = {}
    for year in (2023, 2025):
        _status, warnings = build(srcdir, confoverrides={"bnk_report_year": year}, freshenv=True)
        assert [w for w in warnings if "[bnk." in w] == []
        export = json.loads((srcdir / "_build/html/bnk-report.json").read_text(encoding="utf-8"))
        assert export["report"]["report_year"] == year
        shown[year] = next(i for i in export["indicators"] if i["id"] == "strom-windkraft")
    assert shown[2023]["shown_years"] == [2015, 2017, 2018]
    assert shown[2023]["display"]["change_abs"] == "+44"
    assert shown[2025]["shown_years"] == [2017, 2018, 2024]
    assert shown[2025]["display"]["change_abs"] == "+57"


def test_a_csv_edit_rewrites_only_the_pages_that_show_it(heinsberg_scratch):
    """Changing one value re-reads its page and writes that page, its toctree parent (Sphinx) and
    the list of deviations (a computed deviation note there quotes the value) — not the BNK
    index, the SDG index or the list of indicators, which show nothing of it."""
    srcdir = heinsberg_scratch()  # built: the same folders as a test application's build
    build_dir = srcdir / "_build"
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-d", str(build_dir / "doctrees"), str(srcdir)]
    command.append(str(build_dir / "html"))
    unchanged = ANSI.sub("", subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    assert "0 added, 0 changed, 0 removed" in unchanged
    csv = srcdir / "data/strom-windkraft.csv"
    csv.write_text(re.sub(r"^2018,\d+", "2018,360", csv.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    status = ANSI.sub("", subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    written = re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", status)
    assert sorted(written) == ["abweichungen", "handlungsfelder/10-klimaschutz-und-energie", "index"]
    assert "ergibt sich +49." in (srcdir / "_build/html/abweichungen.html").read_text(encoding="utf-8")


def test_the_erklaerung_is_dated_from_the_report_and_names_no_tool(report):
    from test_accessibility import _text_of, tool_words

    srcdir, _, _ = report
    html = (srcdir / "_build/html/barrierefreiheit.html").read_text(encoding="utf-8")
    text = _text_of(html)
    assert not tool_words(text)
    # The imprint's Stand (2024), not the day of a build or commit.
    assert "Diese Erklärung wurde im Jahr 2024 erstellt." in text
    assert "Der Kreis Heinsberg ist bemüht" in text
    # The accessible PDF is named; linked only when the site offers it (not built here).
    assert f"die barrierefreie PDF-Fassung (Datei {ACCESSIBLE_PDF})" in text
    assert f'href="downloads/{ACCESSIBLE_PDF}"' not in html


def test_every_status_is_computed_against_a_target_and_names_its_method(report):
    srcdir, _, _ = report
    outdir = srcdir / "_build/html"
    shown = []
    for page in sorted(outdir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert "keine Bewertung" not in text, page.relative_to(outdir)  # no badge that says nothing
        for block in text.split('<section class="bnk-indicator')[1:]:
            ident = re.match(r'[^>]*id="indikator-([^"]+)"', block).group(1)
            status = re.search(
                r'Bewertung:</strong> <span class="sd-badge [^"]*">([^<]+)</span> – Methode: ([^<]+)</p>', block
            )
            if status:
                shown.append((ident, *status.groups()))
    # Only the seven indicators with a target; each has two or three values: Open SDG.
    assert sorted(shown) == [
        ("breitband-private-haushalte", "auf Kurs", "Fortschrittsmaß von Open SDG"),
        ("co2-bilanz", "begrenzter Fortschritt", "Fortschrittsmaß von Open SDG"),
        ("fairtrade-town", "auf Kurs", "Fortschrittsmaß von Open SDG"),
        ("liquiditaetskredite", "Ziel erreicht", "Fortschrittsmaß von Open SDG"),
        ("pkw-dichte", "Verschlechterung", "Fortschrittsmaß von Open SDG"),
        ("verunglueckte-verkehr", "auf Kurs", "Fortschrittsmaß von Open SDG"),
        ("zinslastquote", "Ziel erreicht", "Fortschrittsmaß von Open SDG"),
    ]
    # The legend beside the list of indicators explains both methods.
    legend = (outdir / "indikatoren.html").read_text(encoding="utf-8")
    assert 'id="bewertung-der-indikatoren"' in legend
    assert "Wettersymbole der Deutschen Nachhaltigkeitsstrategie (Destatis)" in legend
    assert "Fortschrittsmaß von Open SDG" in legend


# Session, cookie-consent and tracking parameters: a link must lead to the page itself.
TRACKING = re.compile(r"p_auth=|consent|[?&;]utm_|jsessionid|phpsessid|[?&;](?:sid|sessionid|session_id)=", re.I)


def test_tracking_pattern_finds_session_consent_and_tracking_links():
    bad = [
        "https://service.kreis-heinsberg.de/home?p_p_id=CookiePortlet&p_auth=i7P9js48",
        "https://www.aachener-zeitung.de/consent/?ref=https:%2F%2Fwww.aachener-zeitung.de%2Flokales",
        "https://example.org/a?utm_source=newsletter",
        "https://example.org/a;jsessionid=0A1B2C",
        "https://example.org/a?PHPSESSID=abc",
        "https://example.org/a?sid=abc",
    ]
    assert [url for url in bad if not TRACKING.search(url)] == []
    assert not TRACKING.search("https://sitzungsdienst.kreis-heinsberg.de/bi/to0050.asp?__ktonr=11694")


def test_no_link_carries_a_session_consent_or_tracking_parameter(report):
    srcdir, _, _ = report
    outdir = srcdir / "_build/html"
    found = [
        f"{page.relative_to(outdir)}: {href}"
        for page in sorted(outdir.rglob("*.html"))
        for href in map(html.unescape, re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8")))
        if TRACKING.search(href)
    ]
    # The Düren example's pages too (their Markdown links).
    for page in sorted((REPO / "examples/kreis-dueren").rglob("*.md")):
        found += [
            f"{page.name}: {url}"
            for url in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8"))
            if TRACKING.search(url)
        ]
    assert found == []


def test_every_source_names_the_body():
    """A source "Heinsberg" could be the Kreis or the Stadt: the report names the body."""
    import yaml

    vague = [
        meta.name
        for meta in sorted((REPO / "data").rglob("*.yaml"))
        if str((yaml.safe_load(meta.read_text(encoding="utf-8")) or {}).get("source", "")).startswith("Heinsberg")
    ]
    assert vague == []


def test_search_hits_name_their_type_in_german(report):
    """The search page prints a hit's type after its title ("Aspekt 1.1 … (Aspekt, in …)")."""
    srcdir, _, _ = report
    index = (srcdir / "_build/html/searchindex.js").read_text(encoding="utf-8")
    objnames = json.loads(re.search(r'"objnames":(\{.*?\}),"objtypes"', index).group(1))
    assert sorted(tuple(name) for name in objnames.values()) == [
        ("bnk", "aspect", "Aspekt"),
        ("bnk", "example", "Praxisbeispiel"),
    ]
