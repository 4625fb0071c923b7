"""Print layout: the ``bnkreport`` LaTeX package, generated per build from the report metadata.

It gives the PDF a title page from ``bnk_report``, BNK-numbered chapters (the titles already say
"Kriterium 01 …", so LaTeX's own 1…n numbering is switched off and running headers carry no
"Kapitel 1."), coloured SDG badges, compact tables and the PDF metadata (title, author, language).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util.texescape import escape

from bnk import __version__
from bnk.config import get_bnk_config
from bnk.data.sdgs import SDGS

if TYPE_CHECKING:
    from sphinx.application import Sphinx

PACKAGE = "bnkreport"


def _tex(app: Sphinx, text: object) -> str:
    return escape(str(text), app.config.latex_engine)


def render_package(app: Sphinx) -> str:
    """The content of ``bnkreport.sty`` for this report."""
    report = get_bnk_config(app.env).report
    kommune = _tex(app, report.get("kommune", app.config.author))
    title = _tex(app, report.get("title", app.config.project))
    period = _tex(app, report.get("period", ""))
    published = _tex(app, report.get("published", ""))
    lines = [
        r"\NeedsTeXFormat{LaTeX2e}",
        rf"\ProvidesPackage{{{PACKAGE}}}[2026/01/01 v{__version__} BNK-Bericht: Satzvorgaben]",
        r"\RequirePackage{xcolor}",
        r"\RequirePackage{etoolbox}",
        "% The chapter titles carry the BNK numbers (Kriterium 01 ... Handlungsfeld 18).",
        r"\setcounter{secnumdepth}{-1}",
        "% Compact tables that fit the text width.",
        r"\AtBeginEnvironment{tabular}{\footnotesize}",
        r"\AtBeginEnvironment{tabulary}{\footnotesize}",
        r"\AtBeginEnvironment{longtable}{\footnotesize}",
        r"\setlength{\emergencystretch}{3em}",
        "% SDG badges in the official colours (\\DUrole is called with the node's classes).",
    ]
    for sdg in SDGS.values():
        lines.append(rf"\definecolor{{bnksdg{sdg.number}}}{{HTML}}{{{sdg.colour.lstrip('#')}}}")
        lines.append(rf"\definecolor{{bnksdgtext{sdg.number}}}{{HTML}}{{{sdg.text_colour.lstrip('#')}}}")
        lines.append(
            rf"\expandafter\def\csname DUrolebnk-sdg-{sdg.number}\endcsname#1"
            rf"{{\def\bnksdgcurrent{{{sdg.number}}}#1}}"
        )
    lines += [
        r"\expandafter\def\csname DUrolebnk-sdg-num\endcsname#1{\colorbox{bnksdg\bnksdgcurrent}"
        r"{\textcolor{bnksdgtext\bnksdgcurrent}{\strut\textbf{#1}}}}",
        "% Title page from the report metadata (bnk_report in conf.py).",
        r"\renewcommand{\sphinxmaketitle}{%",
        r"  \begin{titlepage}%",
        r"    \noindent{\color{bnksdg17}\rule{\textwidth}{2pt}}\par\vspace*{3cm}%",
        r"    \begin{flushleft}%",
        rf"      {{\sffamily\Large {kommune}\par}}\vspace{{1cm}}%",
        rf"      {{\sffamily\bfseries\Huge {title}\par}}\vspace{{1.5cm}}%",
        rf"      {{\sffamily\large Berichtszeitraum: {period}\par}}%",
        rf"      {{\sffamily\large Veröffentlicht: {published}\par}}\vfill%",
        r"      {\sffamily\normalsize Erstellt nach dem Berichtsrahmen Nachhaltige Kommune (BNK)\par}%",
        r"    \end{flushleft}%",
        r"  \end{titlepage}%",
        r"  \setcounter{footnote}{0}\clearpage",
        r"}",
        r"\AtBeginDocument{\hypersetup{%",
        rf"  pdftitle={{{title}}}, pdfauthor={{{kommune}}}, pdflang={{de-DE}},",
        r"  pdfsubject={Nachhaltigkeitsbericht nach dem Berichtsrahmen Nachhaltige Kommune (BNK)}}}",
        r"\endinput",
    ]
    return "\n".join(lines) + "\n"


def write_package(app: Sphinx) -> None:
    """Write ``bnkreport.sty`` into the LaTeX output directory (``builder-inited``)."""
    if app.builder.format != "latex":
        return
    path = Path(app.outdir) / f"{PACKAGE}.sty"
    path.parent.mkdir(parents=True, exist_ok=True)
    content = render_package(app)
    if not path.exists() or path.read_text(encoding="utf-8") != content:
        path.write_text(content, encoding="utf-8")


def setup_latex(app: Sphinx) -> None:
    """Use the package in every LaTeX build."""
    app.add_latex_package(PACKAGE)
    app.connect("builder-inited", write_package)
