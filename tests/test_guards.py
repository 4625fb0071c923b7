"""Guards for what leaves the report (``bnk.data.guards``): URLs, paths, text per target; and
their users (footer links, the Erklärung's enforcement body, the logo in HTML and LaTeX)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bnk.data import BnkDataError
from bnk.data.accessibility import parse_statement
from bnk.data.guards import check_path, check_url, html_text, latex_text, mpl_text
from bnk.data.report import parse_report
from conftest import bnk_warnings_of
from test_accessibility import REPORT, REPORT_SETTINGS, _add_pages
from test_bad_input import append

# -- URL guard -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.de/a?b=1#c",
        "http://example.org",
        "mailto:a@example.org",
        "seite.html",
        "../x/y.pdf",
        "#top",
    ],
)
def test_allowed_urls_pass_unchanged(url):
    assert check_url(url, "x") == url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "x: die Adresse 'javascript:alert(1)' beginnt mit „javascript:“; erlaubt sind nur"),
        ("JaVaScRiPt:alert(1)", "x: die Adresse 'JaVaScRiPt:alert(1)' beginnt mit „javascript:“"),
        ("java\tscript:alert(1)", "x: die Adresse 'java\\tscript:alert(1)' enthält Leer-, Steuerzeichen"),
        ("data:text/html,<script>", "x: die Adresse 'data:text/html,<script>' beginnt mit „data:“"),
        ("file:///etc/passwd", "x: die Adresse 'file:///etc/passwd' beginnt mit „file:“"),
        ('https://example.org/" onmouseover="alert(1)', "x: die Adresse 'https://example.org/\" onmouseover"),
        ("//evil.example", "x: die Adresse '//evil.example' nennt einen Server ohne https:"),
        ("/\\evil.example", "x: die Adresse '/\\\\evil.example' enthält Leer-, Steuerzeichen oder einen Rück"),
        ("https:///pfad", "x: der Adresse 'https:///pfad' fehlt der Server"),
        ("mailto:", "x: 'mailto:' nennt keine E-Mail-Adresse (mailto:name@example.de)."),
        (42, "x: eine Adresse (URL) als Text wird erwartet, nicht 42."),
    ],
)
def test_other_urls_are_refused_in_german(url, message):
    with pytest.raises(BnkDataError) as info:
        check_url(url, "x")
    assert info.value.msg.startswith(message), info.value.msg


# -- path guard ------------------------------------------------------------------------------------


@pytest.fixture
def report(tmp_path):
    root = tmp_path / "bericht"
    (root / "bilder").mkdir(parents=True)
    (root / "bilder/logo.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "draussen.png").write_bytes(b"\x89PNG\r\n")
    return root


def test_a_file_inside_the_report_passes(report):
    assert check_path("bilder/logo.png", report, "logo") == (report / "bilder/logo.png").resolve()
    assert check_path(str(report / "bilder/logo.png"), report, "logo") == (report / "bilder/logo.png").resolve()


def _refusal(value, root, **kwargs) -> str:
    with pytest.raises(BnkDataError) as info:
        check_path(value, root, "bnk_report['logo']", **kwargs)
    return info.value.msg


def test_etc_passwd_and_dotdot_are_outside(report):
    assert _refusal("/etc/passwd", report) == (
        "bnk_report['logo']: '/etc/passwd' liegt außerhalb des Berichtsordners; nur Dateien im "
        "Berichtsordner werden veröffentlicht."
    )
    assert _refusal("../draussen.png", report).endswith("Bitte ohne „..“ angeben.")


def test_a_symlink_out_of_the_report_is_refused(report):
    (report / "bilder/link.png").symlink_to(report.parent / "draussen.png")
    assert _refusal("bilder/link.png", report).endswith("(Er ist ein symbolischer Link dorthin.)")
    (report / "bilder/innen.png").symlink_to(report / "bilder/logo.png")  # a link inside is fine
    assert check_path("bilder/innen.png", report, "logo") == (report / "bilder/logo.png").resolve()


def test_type_size_and_unsafe_names_are_refused(report):
    (report / "text.txt").write_text("x")
    assert "hat nicht den erlaubten Dateityp (.jpeg, .jpg, .pdf, .png, .svg)" in _refusal("text.txt", report)
    big = report / "gross.png"
    with big.open("wb") as f:
        f.truncate(6 * 1024 * 1024)  # sparse: no 6 MB written
    assert _refusal("gross.png", report).endswith("ist 6.0 MB groß; erlaubt sind höchstens 5 MB.")
    for name in ('lo"go.png', "logo}\\bnkpwned{x.png", "a<b>.png"):
        (report / name).write_bytes(b"x")
        assert "enthält Zeichen, die in HTML oder LaTeX nicht sicher sind" in _refusal(name, report), name
    assert _refusal("fehlt.png", report) == "bnk_report['logo']: die Datei 'fehlt.png' gibt es nicht."


# -- escaping per target -----------------------------------------------------------------------------


def test_escaping_per_target():
    assert html_text('"><img src=x onerror=alert(1)>') == "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
    assert latex_text(r"logo}\bnkpwned{x & 5 % $") == r"logo\}\textbackslash{}bnkpwned\{x \& 5 \% \$"
    assert mpl_text("CO$_2$ in $") == r"CO\$_2\$ in \$"


def test_a_dollar_series_name_and_unit_are_drawn_as_written(tmp_path):
    """Without mpl_text, ``$\\frac{a}{$`` reaches mathtext, which raises on it."""
    from bnk.charts import render_chart
    from test_charts import spec_of

    name = r"Anteil $\frac{a}{$ NRW"
    spec = spec_of(("", [2020, 2021], ["1", "2"]), (name, [2020, 2021], ["3", "4"]), unit="$x$ je Einw.")
    assert render_chart(spec, tmp_path / "c.svg")
    svg = (tmp_path / "c.svg").read_text(encoding="utf-8")
    assert r"Anteil $\frac{a}{$ NRW" in svg
    assert "$x$ je Einw." in svg


# -- users: the Erklärung zur Barrierefreiheit --------------------------------------------------------


def test_enforcement_url_and_contact_pass_the_guard():
    with pytest.raises(BnkDataError) as info:
        parse_statement({"land": "Bayern", "enforcement": {"name": "Stelle", "url": "javascript:alert(1)"}}, REPORT)
    assert info.value.msg.startswith(
        "bnk_accessibility['enforcement']['url']: die Adresse 'javascript:alert(1)' beginnt mit „javascript:“"
    )
    with pytest.raises(BnkDataError) as info:
        parse_statement({"contact": {"email": 'a@example.org?subject="x'}}, REPORT)
    assert info.value.msg == (
        "bnk_accessibility['contact']['email']: 'a@example.org?subject=\"x' ist keine E-Mail-Adresse."
    )
    # The report's own contact passes the same guard in the report model.
    _, problems = parse_report({**REPORT_SETTINGS, "contact": {"email": 'a@example.org?subject="x'}})
    assert [p.message for p in problems] == [
        "bnk_report['contact']['email']: 'a@example.org?subject=\"x' ist keine E-Mail-Adresse."
    ]


def test_enforcement_javascript_is_a_located_warning_and_no_link(make_bnk_app):
    def prepare(src: Path) -> None:
        _add_pages(src)
        with (src / "conf.py").open("a", encoding="utf-8") as f:
            f.write(
                f"bnk_report = {REPORT_SETTINGS!r}\n"
                'bnk_accessibility = {"land": "Bayern", "enforcement": {"name": "Stelle", "url": "javascript:alert(1)"}}\n'
            )

    app = make_bnk_app("basic", prepare=prepare)
    app.build()
    # Located at the setting in conf.py (checked on every build), not at the page that shows it.
    assert bnk_warnings_of(app) == [
        "<srcdir>/conf.py:8: WARNING: bnk_accessibility['enforcement']['url']: die Adresse "
        "'javascript:alert(1)' beginnt mit „javascript:“; erlaubt sind nur https:, http:, mailto: und "
        "Verweise innerhalb des Berichts. [bnk.config]"
    ]
    assert "javascript:" not in (app.outdir / "barrierefreiheit.html").read_text(encoding="utf-8")


# -- users: footer links ----------------------------------------------------------------------------

FOOTER = [
    {"url": "javascript:alert(1)", "text": "Böse"},
    {"url": 'https://example.org/"onmouseover="alert(2)', "text": "Zitat"},
    {"url": "https://example.org/ok", "text": "Gut"},
]


def test_footer_links_javascript_refused_and_quotes_escaped(make_bnk_app):
    def conf(src: Path) -> None:
        with (src / "conf.py").open("a", encoding="utf-8") as f:
            f.write(f'html_theme = "bnk"\nbnk_footer_links = {FOOTER!r}\n')

    app = make_bnk_app("basic", prepare=conf)
    app.build()
    assert bnk_warnings_of(app) == [
        "<srcdir>/conf.py:8: WARNING: bnk_footer_links[0]['url']: die Adresse 'javascript:alert(1)' beginnt "
        "mit „javascript:“; erlaubt sind nur https:, http:, mailto: und Verweise innerhalb des Berichts. "
        "Der Link fehlt in der Fußzeile. [bnk.config]"
    ]
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "javascript:" not in html
    assert 'onmouseover="' not in html
    assert '<a href="https://example.org/&#34;onmouseover=&#34;alert(2)">Zitat</a>' in html
    assert '<a href="https://example.org/ok">Gut</a>' in html


# -- the accessible PDF's attachments: only the declared list -----------------------------------


def test_pdf_attachments_are_declared_and_pass_the_path_guard(make_bnk_app, tmp_path):
    """bnk_pdfua_attachments: each file inside the report, no symlink out, of a data or document
    type – the rest is a located warning and never reaches the PDF (typeset gets only the kept ones)."""
    (tmp_path / "draussen.csv").write_text("geheim\n", encoding="utf-8")

    def prepare(src: Path) -> None:
        (src / "data").mkdir(exist_ok=True)
        (src / "data/co2.csv").write_text("year,value\n2020,1\n", encoding="utf-8")
        (src / "data/link.csv").symlink_to(tmp_path / "draussen.csv")
        (src / "data/programm.sh").write_text("echo\n", encoding="utf-8")
        with (src / "conf.py").open("a", encoding="utf-8") as f:
            f.write(
                'bnk_pdfua_attachments = ["data/co2.csv", "/etc/passwd", "../draussen.csv", "data/link.csv",\n'
                '                         "data/programm.sh", "data/co2.csv"]\n'
            )

    app = make_bnk_app("basic", prepare=prepare)
    where, tail = "<srcdir>/conf.py:7: WARNING: bnk_pdfua_attachments", "Die Datei wird nicht angehängt. [bnk.config]"
    outside = "liegt außerhalb des Berichtsordners; nur Dateien im Berichtsordner werden veröffentlicht."
    assert bnk_warnings_of(app) == [
        f"{where}[1]: '/etc/passwd' {outside} {tail}",
        f"{where}[2]: '../draussen.csv' {outside} Bitte ohne „..“ angeben. {tail}",
        f"{where}[3]: 'data/link.csv' {outside} (Er ist ein symbolischer Link dorthin.) {tail}",
        f"{where}[4]: 'data/programm.sh' hat nicht den erlaubten Dateityp (.csv, .json, .pdf, .txt, .xlsx, .yaml). "
        + tail,
    ]
    assert app.config.bnk_pdfua_attachments == [str((Path(app.srcdir) / "data/co2.csv").resolve())]


# -- users: the logo --------------------------------------------------------------------------------


def _logo(value: str, extra: str = ""):
    def prepare(src: Path) -> None:
        extra and (src / extra).write_bytes(b"\x89PNG\r\n\x1a\n")
        with (src / "conf.py").open("a", encoding="utf-8") as f:
            f.write(
                f'bnk_report = {{"kommune": "Kreis Testheim", "logo": {value!r}}}\nhtml_logo = bnk_report["logo"]\n'
            )

    return prepare


def test_logo_etc_passwd_is_refused_and_not_published(make_bnk_app):
    app = make_bnk_app("basic", prepare=_logo("/etc/passwd"))
    app.build()
    assert bnk_warnings_of(app) == [
        "<srcdir>/conf.py:7: WARNING: bnk_report['logo']: '/etc/passwd' liegt außerhalb des Berichtsordners; "
        "nur Dateien im Berichtsordner werden veröffentlicht. Es wird keine Datei verwendet. [bnk.config]"
    ]
    assert not (app.outdir / "_static/passwd").exists()
    assert "passwd" not in (app.outdir / "index.html").read_text(encoding="utf-8")


def test_logo_symlink_out_is_refused(make_bnk_app, tmp_path):
    secret = tmp_path / "geheim.png"
    secret.write_bytes(b"\x89PNG geheim")

    def prepare(src: Path) -> None:
        (src / "logo.png").symlink_to(secret)
        _logo("logo.png")(src)

    app = make_bnk_app("basic", prepare=prepare)
    app.build()
    assert bnk_warnings_of(app) == [
        "<srcdir>/conf.py:7: WARNING: bnk_report['logo']: 'logo.png' liegt außerhalb des Berichtsordners; "
        "nur Dateien im Berichtsordner werden veröffentlicht. (Er ist ein symbolischer Link dorthin.) "
        "Es wird keine Datei verwendet. [bnk.config]"
    ]
    assert not (app.outdir / "_static/logo.png").exists()


@pytest.mark.parametrize("name", ['lo"go onerror="alert(1).png', "logo}\\bnkpwned{x.png"])
@pytest.mark.parametrize("builder", ["html", "latex"])
def test_logo_name_with_quote_or_tex_is_refused(make_bnk_app, name, builder):
    app = make_bnk_app("basic", builder, prepare=_logo(name, extra=name))
    app.build()
    [warning] = bnk_warnings_of(app)
    assert warning.startswith(f"<srcdir>/conf.py:7: WARNING: bnk_report['logo']: der Dateiname {name!r} enthält")
    written = "".join(
        p.read_text(encoding="utf-8") for p in Path(app.outdir).glob("*.*") if p.suffix in {".html", ".tex", ".sty"}
    )
    assert 'onerror="' not in written
    assert "bnkpwned" not in written


def test_a_good_logo_is_used_in_html_and_latex(make_bnk_app):
    app = make_bnk_app("basic", prepare=_logo("logo.png", extra="logo.png"))
    app.build()
    assert bnk_warnings_of(app) == []
    assert (app.outdir / "_static/logo.png").exists()
    latex = make_bnk_app("basic", "latex", prepare=_logo("logo.png", extra="logo.png"))
    latex.build()
    assert r"\includegraphics[height=22mm,keepaspectratio]{logo.png}" in (latex.outdir / "bnkreport.sty").read_text(
        encoding="utf-8"
    )
    assert (latex.outdir / "logo.png").exists()


# -- the PR workflow -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "workflow", [".github/workflows/pull-request.yml", "_ext/bnk/templates/.github/workflows/pull-request.yml.jinja"]
)
def test_pull_request_workflow_has_a_read_only_token_and_no_secrets(workflow):
    """A pull request from a fork runs the fork's conf.py (Python): it must get nothing to steal."""
    text = (Path(__file__).parent.parent / workflow).read_text(encoding="utf-8")
    assert "\npermissions:\n  contents: read\n" in text
    assert "pull_request_target:" not in text
    assert "secrets." not in text
    assert "write" not in text.split("permissions:", 1)[1].split("jobs:", 1)[0]


def test_unknown_keys_in_bnk_responsible_are_located_warnings(make_bnk_app):
    conf = append("conf.py", 'bnk_responsible = {"10": "Umweltamt", "10.2": "Amt 61", "10.9": "Amt 99"}\n')
    app = make_bnk_app("basic", prepare=conf)
    app.build()
    assert bnk_warnings_of(app) == [
        "<srcdir>/conf.py:7: WARNING: bnk_responsible nennt „10.9“, das der Katalog weder als Kapitel noch als "
        "Aspekt kennt; diese Zuständigkeit gilt für nichts. [bnk.config]"
    ]
