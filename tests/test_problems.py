"""One route for author-facing problems, and one boundary for the unexpected.

Every problem is recorded with its page in the domain and emitted once per build, cold and on
a no-op rebuild alike; a bug in the extension becomes a located ``bnk.internal`` warning.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import bnk.boundary
import bnk.data.indicator
import pytest
from bnk.boundary import BnkDirective, BnkPostTransform, BnkRole, BnkTransform
from conftest import bnk_warnings_of
from test_bad_input import append, replace

ASPECT_PAGE = "kapitel/01-strategie.md"


def _cold_then_noop(make_bnk_app, root, prepare):
    app = make_bnk_app(root, prepare=prepare, warningiserror=True, keep_going=True)
    app.build()
    cold = bnk_warnings_of(app)
    again = make_bnk_app(root, srcdir=app.srcdir, warningiserror=True, keep_going=True)
    again.build()
    return app, cold, again, bnk_warnings_of(again)


def test_invalid_sdg_warns_again_on_a_noop_rebuild(make_bnk_app):
    _, cold, again, noop = _cold_then_noop(make_bnk_app, "basic", replace(ASPECT_PAGE, ":sdg: 11, 17", ":sdg: 11, 99"))
    expected = f"<srcdir>/{ASPECT_PAGE}:5: WARNING: „99“ ist kein SDG; erlaubt sind die Nummern 1 bis 17. [bnk.sdg]"
    assert cold == [expected]
    assert noop == [expected]
    assert "0 added, 0 changed, 0 removed" in again._status.getvalue()
    assert again.statuscode == 1  # -W still fails


def test_aspect_that_is_no_number_warns_once(make_bnk_app):
    _, cold, _, noop = _cold_then_noop(
        make_bnk_app, "basic", replace(ASPECT_PAGE, "```{bnk-aspect} 1.2\n:omitted:\n", "```{bnk-aspect} abc?\n")
    )
    assert cold == noop
    not_a_number = [w for w in cold if "abc" in w]
    assert not_a_number == [
        f"<srcdir>/{ASPECT_PAGE}:11: WARNING: „abc?“ ist keine Aspektnummer (erwartet z. B. „1.1“). [bnk.aspect-unknown]"
    ]


def test_unresolved_reference_is_reported_on_every_build(make_bnk_app):
    _, cold, _, noop = _cold_then_noop(
        make_bnk_app, "basic", replace(ASPECT_PAGE, "{bnk:example}`pb-konferenz`", "{bnk:example}`pb-fehlt`")
    )
    expected = (
        f"<srcdir>/{ASPECT_PAGE}:8: WARNING: Verweis auf Praxisbeispiel 'pb-fehlt': kein Praxisbeispiel hat "
        "dieses Label. [bnk.ref]"
    )
    assert cold == [expected]
    assert noop == [expected]


def test_one_file_problem_seen_from_two_pages_is_one_warning(make_bnk_app):
    def prepare(src):
        replace("data/emissionen.csv", "2017,1646", "2017,viel")(src)
        append("index.md", "\n```{indicator} emissionen\n```\n")(src)

    _, cold, _, noop = _cold_then_noop(make_bnk_app, "indicators", prepare)
    csv_problems = [w for w in cold if "[bnk.csv]" in w]
    assert csv_problems == [
        "<srcdir>/data/emissionen.csv:3: WARNING: „viel“ ist keine Zahl (Spalte „value“). [bnk.csv]"
    ]
    assert Counter(cold) == Counter(noop)


# -- the boundary --------------------------------------------------------------------------------


def test_every_directive_role_and_transform_is_behind_the_boundary(make_bnk_app):
    app = make_bnk_app("basic")
    from docutils.parsers.rst import directives as rst_directives
    from docutils.parsers.rst import roles as rst_roles

    directive_names = [n for n in rst_directives._directives if n.startswith(("bnk-", "indicator"))]
    assert "indicator" in directive_names and "bnk-aspect" in directive_names
    for name in directive_names:
        cls = rst_directives._directives[name]
        assert issubclass(cls, BnkDirective), name
        assert getattr(cls.run, "__bnk_guarded__", False), name
    heading = rst_roles._roles["bnk-heading"]
    assert isinstance(heading, BnkRole) and getattr(type(heading).run, "__bnk_guarded__", False)
    transforms = [t for t in app.registry.get_transforms() if t.__module__.startswith("bnk.")]
    assert transforms and all(issubclass(t, BnkTransform) for t in transforms)
    post = [t for t in app.registry.get_post_transforms() if t.__module__.startswith("bnk.")]
    assert post and all(issubclass(t, BnkPostTransform) for t in post)


def test_a_bug_in_a_directive_is_a_located_internal_warning(make_bnk_app, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("Testfehler")

    monkeypatch.setattr(bnk.data.indicator, "_build", broken)
    app = make_bnk_app("indicators", warningiserror=True, keep_going=True)
    app.build()  # no traceback out of Sphinx
    internal = [w for w in bnk_warnings_of(app) if w.endswith("[bnk.internal]")]
    # The three indicators with data fail; the one without data (steuern, line 20) does not.
    assert [w.split(" WARNING: ")[0] for w in internal] == [f"<srcdir>/index.md:{n}:" for n in (9, 17, 23)]
    for warning in internal:
        assert "WARNING: Interner Fehler in der Direktive „indicator“: ZeroDivisionError: Testfehler" in warning
        assert "bitte mit dieser Meldung und der betroffenen Datei an das Projekt bnk-bericht melden" in warning
    assert app.statuscode == 1
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "Interner Fehler" in html  # the place shows it too
    assert "Keine Daten – Begründung" in html  # the indicator without data is still rendered


@pytest.mark.parametrize("event_handler", ["process_placeholders", "check_coverage"])
def test_a_bug_in_an_event_handler_is_an_internal_warning(make_bnk_app, monkeypatch, event_handler):
    import bnk.domain
    import bnk.transforms

    def broken(*args, **kwargs):
        raise KeyError("kaputt")

    if event_handler == "process_placeholders":
        monkeypatch.setattr(bnk.transforms, "build_sdg_index", broken)
        where = "<srcdir>/index-sdg.md: WARNING: Interner Fehler in der Ereignisbehandlung „process_placeholders“"
    else:
        monkeypatch.setattr(bnk.domain, "compute_coverage", broken)
        where = "WARNING: Interner Fehler in der Ereignisbehandlung „check_coverage“"
    app = make_bnk_app("basic", warningiserror=True, keep_going=True)
    app.build()
    internal = [w for w in bnk_warnings_of(app) if w.endswith("[bnk.internal]")]
    assert internal[0].startswith(where), internal[0]
    if event_handler == "check_coverage":
        # The BNK index page, the download list (it writes the export early for its size) and the
        # export need the coverage too: each handler reports once.
        handlers = [w.split("„")[1].split("“")[0] for w in internal]
        assert handlers == ["check_coverage", "collect_downloads", "process_placeholders", "write_export"]
    else:
        assert len(internal) == 1, internal
    assert all("KeyError: 'kaputt'" in w for w in internal)
    assert app.statuscode == 1
    assert (app.outdir / "index.html").exists()


# -- bnk check = the build's read phase ----------------------------------------------------------


def test_check_and_build_agree_on_the_real_report_with_the_drift_cases(tmp_path):
    """The cases where the old second parser (scan.py) contradicted the build: an own unit in
    bnk_units, an early report year, ``~~~`` fences and ``---`` option blocks."""
    from bnk.check import read_report
    from test_report import build, copy_report

    srcdir = copy_report(tmp_path / "src")
    conf = srcdir / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace("bnk_report_year = 2023", "bnk_report_year = 2012")
        + '\nbnk_units = ["Fuhren"]\n',
        encoding="utf-8",
    )
    page = srcdir / "handlungsfelder/10-klimaschutz-und-energie.md"
    page.write_text(
        page.read_text(encoding="utf-8")
        + "\n~~~{bnk-example} Tilde-Beispiel\n---\nsdg: 13, 99\n---\nEin Beispiel mit Tilden.\n~~~\n",
        encoding="utf-8",
    )
    _, warnings = build(srcdir)
    from_build = sorted(w.replace("<srcdir>/", "") for w in warnings if "WARNING" in w)
    result = read_report(srcdir)
    assert sorted(result.problems) == from_build
    assert any("„99“ ist kein SDG" in w and "[bnk.sdg]" in w for w in from_build)
    assert any("Keine Daten bis zum Berichtsjahr 2012" in w for w in from_build)
    assert not any("Fuhren" in w for w in from_build)
    # A second check reads nothing again and still reports every problem.
    assert read_report(srcdir).problems == result.problems
    # The check reads with one process per core; a single process finds exactly the same.
    shutil.rmtree(srcdir / "_build" / "bnk-check")
    assert sorted(read_report(srcdir, parallel=1).problems) == from_build


# -- comply-or-explain for a chapter without catalogue aspects (Handlungsfeld 15) -------------


EMPTY_15 = "<srcdir>/kapitel/15-wohnen.md:1: WARNING: Handlungsfeld 15 hat keinen Inhalt: der Katalog nennt hier keine Aspekte, also bitte das Kapitel berichten oder mit „bnk-chapter-omitted“ und einer Begründung auslassen. [bnk.chapter-empty]"


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("# {bnk-heading}`15`\n\n% nur ein Kommentar\n", [EMPTY_15]),
        ("# {bnk-heading}`15`\n\nDer Kreis fördert den sozialen Wohnungsbau.\n", []),
        ("# {bnk-heading}`15`\n\n```{bnk-chapter-omitted}\nNicht zuständig.\n```\n", []),
    ],
    ids=["empty", "reported", "omitted"],
)
def test_chapter_without_catalogue_aspects_must_report_or_explain(make_bnk_app, page, expected):
    _, cold, _, noop = _cold_then_noop(
        make_bnk_app, "basic", lambda src: (src / "kapitel/15-wohnen.md").write_text(page, encoding="utf-8")
    )
    assert cold == expected
    assert noop == expected


def test_fresh_bnk_new_report_fails_strict_build_on_empty_handlungsfeld_15(tmp_path):
    from test_authoring import bnk
    from test_report import build

    target = tmp_path / "neu"
    result = bnk("new", str(target), "--kommune", "Stadt Beispiel")
    assert result.returncode == 0, result.stderr
    page = next((target / "handlungsfelder").glob("15-*.md"))
    status, warnings = build(target, warningiserror=True, keep_going=True)
    assert "STRICT BUILD FAILED" in status
    located = [w for w in warnings if w.endswith("[bnk.chapter-empty]")]
    assert located == [
        f"<srcdir>/handlungsfelder/{page.name}:1: WARNING: Handlungsfeld 15 hat keinen Inhalt: der Katalog "
        "nennt hier keine Aspekte, also bitte das Kapitel berichten oder mit „bnk-chapter-omitted“ und einer "
        "Begründung auslassen. [bnk.chapter-empty]"
    ]


def test_every_event_handler_is_registered_through_the_boundary():
    package = Path(bnk.boundary.__file__).parent
    direct = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        if path.name != "boundary.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "app.connect(" in line
    ]
    assert direct == []
