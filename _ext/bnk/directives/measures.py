"""``bnk-measures``: a measures table from ``data/<name>.csv`` with a summary for the report year."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from babel.numbers import format_decimal
from docutils import nodes

from bnk.config import get_bnk_config
from bnk.data import BnkDataError
from bnk.data.measures import ASSESSMENTS, COLUMNS, STATUSES, MeasuresTable, assess, load_measures, timeframe_end
from bnk.data.numbers import LOCALE
from bnk.directives._common import DataTableBase, build_table, verbatim
from bnk.directives.table import breakable_paragraph

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec


def measures_summary(table: MeasuresTable, report_year: int | None) -> str:
    """E.g. "12 Maßnahmen. Stand: 2 umgesetzt, 3 in Umsetzung … Bezogen auf 2021: 10 im Zeitplan …"."""
    n = len(table.measures)
    status_counts = [(s, sum(1 for m in table.measures if m.status == s)) for s in STATUSES]
    parts = [f"{format_decimal(c, locale=LOCALE)} {s}" for s, c in status_counts if c]
    text = f"{format_decimal(n, locale=LOCALE)} Maßnahmen. Status: {', '.join(parts)}."
    assessed = [(key, sum(1 for m in table.measures if assess(m, report_year) == key)) for key in ASSESSMENTS]
    parts = [f"{format_decimal(c, locale=LOCALE)} {ASSESSMENTS[k]}" for k, c in assessed if c]
    if report_year is not None:
        text += f" Bezogen auf das Berichtsjahr {report_year}: {', '.join(parts)}."
        expired = sum(
            1 for m in table.measures if (end := timeframe_end(m.timeframe)) is not None and end < report_year
        )
        text += f" Zeitrahmen vor {report_year} abgelaufen: {format_decimal(expired, locale=LOCALE)}."
    return text


class MeasuresDirective(DataTableBase):
    """``{bnk-measures} massnahmen/handlungsfeld-1``."""

    option_spec: ClassVar[OptionSpec] = {}
    kind = "Maßnahmentabelle"

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0].strip()
        container = verbatim(nodes.container(classes=["bnk-measures"]))
        self.set_source_info(container)
        try:
            table = load_measures(*self.data_paths(name, yaml_required=False))
        except BnkDataError as exc:
            return self.failed(container, exc)
        report_year = get_bnk_config(self.env).report_year
        if table.title:
            container += nodes.paragraph(
                table.title, "", nodes.strong(table.title, table.title), classes=["bnk-table-title"]
            )
        self.state.nested_parse(self.content, self.content_offset, container)
        summary = measures_summary(table, report_year)
        container += nodes.paragraph(summary, summary, classes=["bnk-table-summary"])
        container += self._table(table, report_year)
        if table.source:
            container += nodes.paragraph(
                "", "", nodes.strong("Quelle:", "Quelle:"), nodes.Text(" " + table.source), classes=["bnk-source"]
            )
        return [container]

    @staticmethod
    def _table(table: MeasuresTable, report_year: int | None) -> nodes.table:
        header = [c.label for c in COLUMNS] + ([f"Stand {report_year}"] if report_year else [])
        widths = [c.width or 10 for c in COLUMNS] + ([10] if report_year else [])
        rows = []
        for m in table.measures:
            cells = [m.nr, m.goal, m.recommendation, m.responsible or "–", m.timeframe, m.status]
            if report_year:
                cells.append(ASSESSMENTS[assess(m, report_year)])
            rows.append([breakable_paragraph(cell) for cell in cells])
        caption = table.title or "Maßnahmen"
        return build_table(header, rows, widths, ["bnk-table", "bnk-measures-table", "colwidths-given"], caption)


def setup_measures(app: Sphinx) -> None:
    """Register the measures directive."""
    app.add_directive("bnk-measures", MeasuresDirective)
