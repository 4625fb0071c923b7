"""Injection safety: text from data, metadata, catalogue and config is text in HTML and LaTeX."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import bnk_warnings_of
from test_bad_input import append, replace

EVIL = r"""<script>alert(1)</script>" onmouseover="alert(2) % & _ # $ { } \ ~ ^ \input{/etc/passwd} \write18{touch /tmp/pwned} **fett** {ref}`x` [a](javascript:alert(3)) --> <!--"""


def yaml_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def poison(src: Path) -> None:
    (src / "data/emissionen.yaml").write_text(
        f"title: {yaml_str('Titel ' + EVIL)}\n"
        f"definition: {yaml_str('Definition ' + EVIL)}\n"
        "unit: Anzahl\n"
        f"source: {yaml_str('Quelle ' + EVIL)}\n"
        "indicator_set: eigene\ndirection: lower\ndecimals: 0\n"
        f"notes: [{yaml_str('Hinweis ' + EVIL)}]\n"
        f"errata: [{yaml_str('Erratum ' + EVIL)}]\n"
        f"targets:\n  - {{direction: lower, text: {yaml_str('Ziel ' + EVIL)}}}\n",
        encoding="utf-8",
    )
    (src / "data/emissionen.csv").write_text(
        'year,region,value\n2015,,2220\n2017,,1646\n2017,"' + EVIL.replace('"', '""') + '",1500\n2018,,1595\n',
        encoding="utf-8",
    )
    (src / "data/steuern.yaml").write_text(
        "title: Steuern\ndefinition: D\nunit: Anzahl\nindicator_set: eigene\ndirection: none\n"
        f"no_data_reason: {yaml_str('Grund ' + EVIL)}\n",
        encoding="utf-8",
    )
    replace(
        "conf.py",
        'bnk_report = {"kommune": "Kreis Testheim"}',
        f"bnk_report = {{'kommune': {('Kreis ' + EVIL)!r}, 'title': {('Bericht ' + EVIL)!r}, "
        f"'period': {EVIL!r}, 'published': '2024', 'website': 'javascript:alert(4)'}}",
    )(src)
    replace(
        "katalog.toml",
        'title = "Kommunaler Klimaschutz"',
        'title = "Klimaschutz ' + EVIL.replace("\\", "\\\\").replace('"', '\\"') + '"',
    )(src)
    append("index.md", "\n```{bnk-overview}\n```\n")(src)


# The report model refuses the javascript: website (URL guard): the one expected warning.
WEBSITE_REFUSED = [
    "<srcdir>/conf.py:7: WARNING: bnk_report['website']: die Adresse 'javascript:alert(4)' beginnt mit "
    "„javascript:“; erlaubt sind nur https:, http:, mailto: und Verweise innerhalb des Berichts. [bnk.config]"
]


def test_html_shows_everything_as_text(make_bnk_app):
    app = make_bnk_app("indicators", prepare=poison)
    app.build()
    assert bnk_warnings_of(app) == WEBSITE_REFUSED
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert 'onmouseover="alert(2)' not in html
    assert 'href="javascript:' not in html
    for label in ("Titel", "Definition", "Quelle", "Hinweis", "Erratum", "Grund", "Kreis", "Klimaschutz"):
        assert f"{label} &lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;alert(2)" in html, label
    assert r"\input{/etc/passwd} \write18{touch /tmp/pwned} **fett** {ref}`x` [a](javascript:alert(3))" in html
    # Chart: the comparison series' name from the CSV is text in the SVG too.
    svg_name = re.search(r'src="(_images/bnk-chart-[0-9a-f]+\.svg)" alt="Diagramm: Titel', html).group(1)
    svg = (Path(app.outdir) / svg_name).read_text(encoding="utf-8")
    assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "<!--" not in svg.split("<svg", 1)[1].replace("<!-- ", "<!--").split("-->")[-1]  # no comment left open
    json_text = (Path(app.outdir) / "bnk-report.json").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" in json_text  # data stays data in the JSON export (escaped by consumers)


@pytest.mark.tex
def test_latex_escapes_everything(make_bnk_app, tmp_path):
    fonts = r"\setmainfont{DejaVu Serif}\setsansfont{DejaVu Sans}\setmonofont{DejaVu Sans Mono}"
    app = make_bnk_app(
        "indicators",
        "latex",
        prepare=poison,
        confoverrides={"latex_engine": "xelatex", "latex_elements": {"fontpkg": fonts}},
    )
    app.build()
    assert bnk_warnings_of(app) == WEBSITE_REFUSED
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    sty = (Path(app.outdir) / "bnkreport.sty").read_text(encoding="utf-8")
    for text in (tex, sty):
        assert r"\input{/etc/passwd}" not in text
        assert r"\write18{" not in text
    assert r"\textbackslash{}input\{/etc/passwd\} \textbackslash{}write18\{touch /tmp/pwned\}" in tex
    assert r"\% \& \_ \# \$ \{ \} \textbackslash{} \textasciitilde{} \textasciicircum{}" in tex
    assert r"Kreis <script>alert(1)</script>\textquotedbl{} onmouseover=\textquotedbl{}alert(2) \% \&" in sty or (
        r"Kreis <script>alert(1)</script>" in sty and r"\textbackslash{}input\{/etc/passwd\}" in sty
    )
    if shutil.which("latexmk") and shutil.which("xelatex"):
        result = subprocess.run(
            [
                "latexmk",
                "-xelatex",
                "-interaction=nonstopmode",
                "-halt-on-error",
                next(Path(app.outdir).glob("*.tex")).name,
            ],
            cwd=app.outdir,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout[-2000:]
        assert not Path("/tmp/pwned").exists()
    else:
        pytest.skip("TeX Live fehlt: der LaTeX-Quelltext ist geprüft, das Setzen nicht")
