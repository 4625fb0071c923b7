"""The ``bnkreport`` LaTeX package: the print design, rendered from the report model with Jinja2.

Every Kommune gets its own look from its report model without touching LaTeX: colours, cover,
imprint, running heads. Texts are TeX-escaped; colours were checked by the model (``#RRGGBB``).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bnk import __version__
from bnk.config import get_report
from bnk.data.guards import latex_text
from bnk.data.sdgs import SDGS

if TYPE_CHECKING:
    from sphinx.application import Sphinx

PACKAGE = "bnkreport"
TEMPLATES = Path(__file__).parent / "templates"
# The type area, in one place: 136 mm give a median of about 72 characters per full line of the
# body text (11 pt class, DejaVu Serif scaled to 0.92, i.e. 10.1 pt); tests/test_pdf.py measures it.
# bnkreport.sty resets the geometry Sphinx passes (hmargin=1in), so this width takes effect.
TEXTWIDTH_MM = 136
TEXTWIDTH = f"{TEXTWIDTH_MM}mm"
TEXTWIDTH_PT = TEXTWIDTH_MM * 72.27 / 25.4  # TeX points
POINTSIZE_PT = 11  # the class option (latex_elements "pointsize")
FONT_SCALE = 0.92  # main and sans font (latex_elements "fontpkg")
TABLE_SIZE_PT = 9 * FONT_SCALE  # table text: \footnotesize of the 11 pt class, scaled
MONO_SCALE = 0.85  # the mono font (latex_elements "fontpkg")
CHAPTER_TITLE_PT = 24  # chapter titles; smaller for a title with a word longer than the line
CHAPTER_LEADING = 29 / 24
SIDE_BY_SIDE_TABLE = 0.42  # an indicator's table beside its chart: this share of the text width
SIDE_BY_SIDE_CHART_HEIGHT = "50mm"  # the chart beside it at 0.72 of its drawn size (10 pt labels at 7.2 pt)
BLEED_MM = 3  # the print-shop variant: the sheet is larger than A4 by this on every side


def _environment() -> Environment:
    # TeX, not HTML: no autoescape; every value is TeX-escaped before rendering.
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        block_start_string="<%",
        block_end_string="%>",
        variable_start_string="<<",
        variable_end_string=">>",
        comment_start_string="<#",
        comment_end_string="#>",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
        autoescape=False,
    )


def tex(app: Sphinx, text: object) -> str:
    """Text from the metadata as TeX (never TeX code)."""
    return latex_text(text, app.config.latex_engine)


def chapter_title_size(title: str) -> tuple[float, float]:
    """Font size and leading of a chapter title: 24 pt, or smaller so that its longest word fits
    the line (titles are not hyphenated; bnkreport hyphenates only as a last resort)."""
    from bnk.latex.widths import SANS_BOLD, text_width

    widest = max((text_width(word, SANS_BOLD, CHAPTER_TITLE_PT * FONT_SCALE) for word in title.split()), default=0.0)
    size = float(CHAPTER_TITLE_PT)
    room = TEXTWIDTH_PT - 2  # a little room for kerning and rounding
    if widest > room:
        size = math.floor(2 * CHAPTER_TITLE_PT * room / widest) / 2  # in half points
    return size, round(size * CHAPTER_LEADING, 1)


def render_package(app: Sphinx) -> str:
    """The content of ``bnkreport.sty`` for this report."""
    report = get_report(app.env)
    dates = "; ".join(
        part
        for part in (
            f"Berichtszeitraum: {report.period}" if report.period else "",
            f"Veröffentlicht: {report.published}" if report.published else "",
        )
        if part
    )
    logo = app.config.latex_logo
    design = report.design
    values = {
        "version": __version__,
        "primary": design.primary.lstrip("#"),
        "secondary": design.secondary.lstrip("#"),
        "cover": design.cover_colour.lstrip("#"),
        "textwidth": TEXTWIDTH,
        "side_table": SIDE_BY_SIDE_TABLE,
        "side_chart": round(0.97 - SIDE_BY_SIDE_TABLE, 2),
        "side_chart_height": SIDE_BY_SIDE_CHART_HEIGHT,
        "bleed_mm": BLEED_MM if app.config.bnk_print_shop else 0,
        "chapter_size": chapter_title_size(""),
        "kommune": tex(app, report.kommune.name or app.config.author),
        "title": tex(app, report.title),
        "year_line": tex(app, report.year_line),
        "dates_line": tex(app, dates),
        "short_title": tex(app, report.running_head or app.config.author),
        "logo": Path(logo).name if logo else "",
        "imprint": [(tex(app, label), [tex(app, line) for line in lines]) for label, lines in report.imprint()],
        "errata_title": tex(app, report.errata_heading),
        "erratum_title": tex(app, report.erratum_title),
        "sdgs": [
            {"number": s.number, "colour": s.colour.lstrip("#"), "text_colour": s.text_colour.lstrip("#")}
            for s in SDGS.values()
        ],
    }
    return _environment().get_template("bnkreport.sty.jinja").render(values)


def write_package(app: Sphinx) -> None:
    """Write ``bnkreport.sty`` into the LaTeX output directory (``builder-inited``)."""
    if app.builder.format != "latex":
        return
    path = Path(app.outdir) / f"{PACKAGE}.sty"
    path.parent.mkdir(parents=True, exist_ok=True)
    content = render_package(app)
    if not path.exists() or path.read_text(encoding="utf-8") != content:
        path.write_text(content, encoding="utf-8")
