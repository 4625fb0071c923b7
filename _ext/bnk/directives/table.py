"""``bnk-table``: a general data table from ``data/<name>.csv`` + ``.yaml``, with computed summary."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes

from bnk.data import BnkDataError
from bnk.data.numbers import decimals_of, format_number
from bnk.data.tables import TableData, load_table, summary_text
from bnk.directives._common import DataTableBase, build_table, verbatim
from bnk.nodes import bnk_wordbreak

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec


def breakable_paragraph(text: str) -> nodes.paragraph:
    """A paragraph that may break after "/" (long compounds like "Feuerschutz/Katastrophenschutz")."""
    para = nodes.paragraph(text)
    parts = text.split("/")
    for i, part in enumerate(parts):
        if i:
            para += nodes.Text("/")
            para += bnk_wordbreak()
        if part:
            para += nodes.Text(part)
    return para


class DataTableDirective(DataTableBase):
    """``{bnk-table} tabellen/interkommunale-zusammenarbeit``: a validated table from CSV."""

    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0].strip()
        container = verbatim(nodes.container(classes=["bnk-data-table"]))
        self.set_source_info(container)
        try:
            table = load_table(*self.data_paths(name, yaml_required=True))
        except BnkDataError as exc:
            return self.failed(container, exc)

        if table.title:
            container += nodes.paragraph(
                table.title, "", nodes.strong(table.title, table.title), classes=["bnk-table-title"]
            )
        if table.description:
            container += nodes.paragraph(table.description, table.description)
        for summary in table.summaries:
            text = summary_text(table, summary.text, summary.column, summary.value)
            container += nodes.paragraph(text, text, classes=["bnk-table-summary"])
        container += self._table(table)
        if table.source:
            container += nodes.paragraph(
                "", "", nodes.strong("Quelle:", "Quelle:"), nodes.Text(" " + table.source), classes=["bnk-source"]
            )
        self.state.nested_parse(self.content, self.content_offset, container)
        return [container]

    @staticmethod
    def _table(table: TableData) -> nodes.table:
        # Declared widths, else in proportion to the average text length (at least 12 %).
        lengths = [
            max(len(c.label), sum(len(row[i]) for row in table.rows) / max(len(table.rows), 1))
            for i, c in enumerate(table.columns)
        ]
        total = sum(lengths) or 1
        widths = [c.width or max(12, round(100 * n / total)) for c, n in zip(table.columns, lengths, strict=True)]
        rows = [
            [
                breakable_paragraph(
                    (format_number(table.numbers[(r, c)], decimals_of(cell)) if (r, c) in table.numbers else cell)
                    or "–"
                )
                for c, cell in enumerate(row)
            ]
            for r, row in enumerate(table.rows)
        ]
        # Explicit widths make LaTeX use wrapping p-columns instead of guessing (tabulary).
        return build_table(
            [c.label for c in table.columns], rows, widths, ["bnk-table", "colwidths-given"], table.title or ""
        )


def setup_tables(app: Sphinx) -> None:
    """Register the data-table directive."""
    app.add_directive("bnk-table", DataTableDirective)
