"""``bnk-overview``: the report's overview table, rendered from ``bnk_report`` in conf.py."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from babel.dates import format_date
from babel.numbers import format_decimal
from docutils import nodes

from bnk.boundary import BnkDirective
from bnk.config import catalogue_path, get_bnk_config
from bnk.data.catalogue import load_catalogue
from bnk.data.numbers import LOCALE
from bnk.directives._common import verbatim
from bnk.warnings_ import BnkWarning, note

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

# (key in bnk_report, row label); rendered in this order when present.
ROWS = (
    ("kommune", "Name"),
    ("website", "Website"),
    ("population", "Einwohnerzahl"),
    ("period", "Berichtszeitraum"),
    ("published", "Jahr der Veröffentlichung"),
    ("contact", "Kontaktperson"),
    ("bnk_variant", "Verwendung der Standard- oder Kompaktversion des BNK"),
    (
        "boundaries",
        "Eigenbetriebe und/oder Beteiligungsunternehmen, die in den Bericht einbezogen wurden (Berichtsgrenzen)",
    ),
    ("dnk", "DNK-Erklärungen der Eigenbetriebe und Beteiligungsunternehmen"),
)
CONTACT_FIELDS = ("name", "role", "unit", "email", "phone")


def _date(value: Any) -> str | None:
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return None
    return format_date(day, format="long", locale=LOCALE)


class OverviewDirective(BnkDirective):
    """The overview table ("… im Überblick") of a BNK report."""

    option_spec: ClassVar[OptionSpec] = {}

    def _cell(self, key: str, value: Any, report: dict[str, Any]) -> nodes.Element | None:
        para = nodes.paragraph()
        if key == "website":
            url = str(value) if str(value).startswith(("https://", "http://")) else f"https://{value}"
            para += nodes.reference(str(value), str(value).removeprefix("https://").removeprefix("http://"), refuri=url)
        elif key == "population":
            if isinstance(value, bool) or not isinstance(value, int):
                self._bad("population", "eine ganze Zahl")
                return None
            text = format_decimal(value, locale=LOCALE)
            date = report.get("population_date")
            if date is not None:
                formatted = _date(date)
                if formatted is None:
                    self._bad("population_date", "ein Datum im Format JJJJ-MM-TT")
                else:
                    text += f" (Stand: {formatted})"
            para += nodes.Text(text)
        elif key == "contact":
            if not isinstance(value, dict) or set(value) - set(CONTACT_FIELDS):
                self._bad("contact", f"eine Zuordnung mit {', '.join(CONTACT_FIELDS)}")
                return None
            cell = nodes.line_block()
            for field in ("name", "role", "unit"):
                if value.get(field):
                    cell += nodes.line(str(value[field]), str(value[field]))
            if value.get("email"):
                line = nodes.line("", "E-Mail: ")
                line += nodes.reference(value["email"], str(value["email"]), refuri=f"mailto:{value['email']}")
                cell += line
            if value.get("phone"):
                cell += nodes.line("", f"Tel.: {value['phone']}")
            return cell
        else:
            para += nodes.Text(str(value))
        return para

    def _bad(self, key: str, expected: str) -> None:
        note(self.env, f"bnk_report[{key!r}] muss {expected} sein.", BnkWarning.CONFIG, self.get_location())

    def run(self) -> list[nodes.Node]:
        report = get_bnk_config(self.env).report
        if "bnk_variant" not in report:
            # Default to the variant the catalogue describes.
            variant = load_catalogue(str(catalogue_path(self.env))).variant
        else:
            variant = report["bnk_variant"]
        values = dict(report, bnk_variant=variant)
        table = verbatim(nodes.table(classes=["bnk-overview"]))
        table["bnk_caption"] = "Angaben zu diesem Bericht"
        tgroup = nodes.tgroup(cols=2)
        table += tgroup
        tgroup += nodes.colspec(colwidth=40, stub=1)
        tgroup += nodes.colspec(colwidth=60)
        tbody = nodes.tbody()
        tgroup += tbody
        for key, label in ROWS:
            value = values.get(key)
            if value in (None, ""):
                continue
            cell = self._cell(key, value, report)
            if cell is None:
                continue
            row = nodes.row()
            row += nodes.entry("", nodes.paragraph(label, "", nodes.strong(label, label)))
            row += nodes.entry("", cell)
            tbody += row
        self.set_source_info(table)
        return [table]


def setup_overview(app: Sphinx) -> None:
    """Register the overview directive."""
    app.add_directive("bnk-overview", OverviewDirective)
