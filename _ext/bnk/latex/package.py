"""The ``bnkreport`` LaTeX package: the print design, rendered from ``bnk_report`` with Jinja2.

Every Kommune gets its own look from its report metadata without touching LaTeX: colours, cover,
imprint, running heads. Values from the metadata are TeX-escaped; colours must be six-digit hex.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bnk import __version__
from bnk.config import get_bnk_config
from bnk.data.guards import latex_text
from bnk.data.sdgs import SDGS
from bnk.warnings_ import BnkWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

PACKAGE = "bnkreport"
TEMPLATES = Path(__file__).parent / "templates"
DEFAULT_PRIMARY = "1F5F8B"
HEX_RE = re.compile(r"^#?([0-9A-Fa-f]{6})$")
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


def colour(app: Sphinx, report: dict[str, Any], key: str, default: str) -> str:
    """A ``#RRGGBB`` colour from the metadata, or the default with a ``bnk.config`` warning."""
    value = report.get(key)
    if value is None:
        return default
    match = HEX_RE.match(str(value).strip())
    if match:
        return match.group(1).upper()
    warn(
        f'Ungültige Farbe in bnk_report[{key!r}]: {value!r} (erwartet z. B. "#1F5F8B"). Es gilt #{default}.',
        BnkWarning.CONFIG,
        None,
    )
    return default


def tex(app: Sphinx, text: object) -> str:
    """Text from the metadata as TeX (never TeX code)."""
    return latex_text(text, app.config.latex_engine)


def short_title(report: dict[str, Any], default_kommune: str) -> str:
    """The short title of the running heads: ``Kreis Heinsberg 2023``."""
    if report.get("short_title"):
        return str(report["short_title"])
    return " ".join(str(p) for p in (report.get("kommune", default_kommune), report.get("period", "")) if p)


def imprint(report: dict[str, Any], kommune: str, edition: str) -> list[tuple[str, list[str]]]:
    """The imprint: Herausgeber, Redaktion und Kontakt, Stand, Bildnachweis (if any)."""
    blocks: list[tuple[str, list[str]]] = []
    publisher = report.get("publisher") or kommune
    address = report.get("address") or []
    if isinstance(address, str):
        address = [address]
    website = report.get("website")
    blocks.append(("Herausgeber", [str(publisher), *map(str, address), *([str(website)] if website else [])]))
    contact = report.get("contact") or {}
    editor = report.get("editor")
    lines = [str(editor)] if editor else []
    if isinstance(contact, dict) and contact:
        name = ", ".join(str(contact[k]) for k in ("name", "role") if contact.get(k))
        lines += [line for line in (name, str(contact.get("unit") or "")) if line]
        if contact.get("email"):
            lines.append(f"E-Mail: {contact['email']}")
        if contact.get("phone"):
            lines.append(f"Telefon: {contact['phone']}")
    if lines:
        blocks.append(("Redaktion und Kontakt", lines))
    stand = report.get("stand") or report.get("published")
    if stand:
        blocks.append(("Stand", [str(stand)]))
    credits_ = report.get("image_credits")
    if credits_:
        blocks.append(("Bildnachweis", [str(c) for c in (credits_ if isinstance(credits_, list) else [credits_])]))
    blocks.append(
        ("Berichtsrahmen", [f"Erstellt nach dem Berichtsrahmen Nachhaltige Kommune (BNK), Ausgabe {edition}."])
    )
    return blocks


def errata_title(app: Sphinx) -> str:
    """Heading of the appendix that collects the differences from the printed report."""
    year = get_bnk_config(app.env).report_year
    return "Abweichungen vom gedruckten Bericht" + (f" {year}" if year else "")


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
    cfg = get_bnk_config(app.env)
    report = cfg.report
    kommune = str(report.get("kommune", app.config.author))
    primary = colour(app, report, "colour", DEFAULT_PRIMARY)
    period = report.get("period", "")
    published = report.get("published", "")
    dates = "; ".join(
        part
        for part in (
            f"Berichtszeitraum: {period}" if period else "",
            f"Veröffentlicht: {published}" if published else "",
        )
        if part
    )
    logo = app.config.latex_logo
    values = {
        "version": __version__,
        "primary": primary,
        "cover": colour(app, report, "cover_colour", primary),
        "textwidth": TEXTWIDTH,
        "side_table": SIDE_BY_SIDE_TABLE,
        "side_chart": round(0.97 - SIDE_BY_SIDE_TABLE, 2),
        "side_chart_height": SIDE_BY_SIDE_CHART_HEIGHT,
        "bleed_mm": BLEED_MM if app.config.bnk_print_shop else 0,
        "chapter_size": chapter_title_size(""),
        "kommune": tex(app, kommune),
        "title": tex(app, report.get("title", app.config.project)),
        "year_line": tex(app, f"Berichtsjahr {cfg.report_year}" if cfg.report_year else period),
        "dates_line": tex(app, dates),
        "short_title": tex(app, short_title(report, kommune)),
        "logo": Path(logo).name if logo else "",
        "imprint": [
            (tex(app, label), [tex(app, line) for line in lines])
            for label, lines in imprint(report, kommune, cfg.edition)
        ],
        "errata_title": tex(app, errata_title(app)),
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
