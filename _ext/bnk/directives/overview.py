"""``bnk-overview``: the report's overview table, rendered from the report model (``bnk_report``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from babel.dates import format_date
from babel.numbers import format_decimal
from docutils import nodes

from bnk.boundary import BnkDirective
from bnk.config import get_catalogue, get_report
from bnk.data.numbers import LOCALE
from bnk.directives._common import verbatim

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

    from bnk.data.report import Contact, Report

ROW_LABELS = {
    "kommune": "Name",
    "website": "Website",
    "population": "Einwohnerzahl",
    "period": "Berichtszeitraum",
    "published": "Jahr der Veröffentlichung",
    "contact": "Kontaktperson",
    "bnk_variant": "Verwendung der Standard- oder Kompaktversion des BNK",
    "boundaries": (
        "Eigenbetriebe und/oder Beteiligungsunternehmen, die in den Bericht einbezogen wurden (Berichtsgrenzen)"
    ),
    "dnk": "DNK-Erklärungen der Eigenbetriebe und Beteiligungsunternehmen",
}


def _text(text: str) -> nodes.paragraph:
    return nodes.paragraph(text, text)


def _contact(contact: Contact) -> nodes.Element:
    cell = nodes.line_block()
    for text in (contact.name, contact.role, contact.unit):
        if text:
            cell += nodes.line(text, text)
    if contact.email:
        line = nodes.line("", "E-Mail: ")
        line += nodes.reference(contact.email, contact.email, refuri=f"mailto:{contact.email}")
        cell += line
    if contact.phone:
        cell += nodes.line("", f"Tel.: {contact.phone}")
    return cell


def overview_rows(report: Report, variant: str) -> list[tuple[str, nodes.Element]]:
    """The rows of the table (label, cell), in the order of the BNK template, each when given."""
    rows: list[tuple[str, nodes.Element | None]] = []
    website = report.kommune.website
    link = nodes.paragraph()
    link += nodes.reference(website, website.removeprefix("https://").removeprefix("http://"), refuri=website)
    population = None
    if report.population is not None:
        text = format_decimal(report.population, locale=LOCALE)
        if report.population_date:
            day = dt.date.fromisoformat(report.population_date)  # checked by the model
            text += f" (Stand: {format_date(day, format='long', locale=LOCALE)})"
        population = _text(text)
    rows += [
        ("kommune", _text(report.kommune.name) if report.kommune.name else None),
        ("website", link if website else None),
        ("population", population),
        ("period", _text(report.period) if report.period else None),
        ("published", _text(report.published) if report.published else None),
        ("contact", _contact(report.contact) if report.contact else None),
        ("bnk_variant", _text(report.bnk_variant or variant) if report.bnk_variant or variant else None),
        ("boundaries", _text(report.boundaries) if report.boundaries else None),
        ("dnk", _text(report.dnk) if report.dnk else None),
    ]
    return [(ROW_LABELS[key], cell) for key, cell in rows if cell is not None]


class OverviewDirective(BnkDirective):
    """The overview table ("… im Überblick") of a BNK report."""

    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        report = get_report(self.env)
        catalogue = get_catalogue(self.env)
        # Without bnk_variant: the variant the catalogue describes.
        variant = catalogue.variant if catalogue is not None else ""
        table = verbatim(nodes.table(classes=["bnk-overview"]))
        table["bnk_caption"] = "Angaben zu diesem Bericht"
        tgroup = nodes.tgroup(cols=2)
        table += tgroup
        tgroup += nodes.colspec(colwidth=40, stub=1)
        tgroup += nodes.colspec(colwidth=60)
        tbody = nodes.tbody()
        tgroup += tbody
        for label, cell in overview_rows(report, variant):
            row = nodes.row()
            row += nodes.entry("", nodes.paragraph(label, "", nodes.strong(label, label)))
            row += nodes.entry("", cell)
            tbody += row
        self.set_source_info(table)
        return [table]


def setup_overview(app: Sphinx) -> None:
    """Register the overview directive."""
    app.add_directive("bnk-overview", OverviewDirective)
