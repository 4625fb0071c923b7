"""``bnk-table``: a general data table from ``data/<name>.csv`` + ``.yaml``, with computed summary."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from babel.numbers import format_decimal, format_percent
from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from bnk.data import BnkDataError
from bnk.data.numbers import LOCALE, decimals_of, format_number
from bnk.data.tables import TableData, load_table
from bnk.directives._common import data_file, error_box, verbatim
from bnk.nodes import bnk_wordbreak
from bnk.warnings_ import BnkWarning

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$")


def summary_text(table: TableData, template: str, column: str, value: str) -> str:
    """Fill ``{count}``, ``{total}`` and ``{percent}`` with German numbers (Babel)."""
    count = table.count(column, value)
    total = len(table.rows)
    return template.format(
        count=format_decimal(count, locale=LOCALE),
        total=format_decimal(total, locale=LOCALE),
        percent=format_percent(count / total if total else 0, format="#,##0\u00a0%", locale=LOCALE),
    )


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


class DataTableDirective(SphinxDirective):
    """``{bnk-table} tabellen/interkommunale-zusammenarbeit``: a validated table from CSV."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0].strip()
        container = verbatim(nodes.container(classes=["bnk-data-table"]))
        self.set_source_info(container)
        domain = self.env.get_domain("bnk")
        if not NAME_RE.match(name):
            msg = f"„{name}“ ist kein gültiger Tabellenname (Kleinbuchstaben, Ziffern, -, /)."
            domain.note_problem(self.env.docname, msg, BnkWarning.TABLE, self.get_location())  # type: ignore[attr-defined]
            container += error_box(msg)
            return [container]
        try:
            csv_path = data_file(self.env, f"{name}.csv")
            meta_path = data_file(self.env, f"{name}.yaml")
            for path in (csv_path, meta_path):
                if path is not None:
                    self.env.note_dependency(str(path))
            if csv_path is None or meta_path is None:
                missing = f"data/{name}.csv" if csv_path is None else f"data/{name}.yaml"
                raise BnkDataError(f"Datentabelle „{name}“: {missing} fehlt.")
            table = load_table(csv_path, meta_path)
        except BnkDataError as exc:
            location = f"{exc.path}:{exc.line or 1}" if exc.path else self.get_location()
            domain.note_problem(self.env.docname, exc.msg, BnkWarning.TABLE, location)  # type: ignore[attr-defined]
            shown = exc.msg + (f" ({location})".replace(str(self.env.srcdir) + "/", "") if exc.path else "")
            container += error_box(shown)
            return [container]

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
        # Explicit widths make LaTeX use wrapping p-columns instead of guessing (tabulary).
        node = nodes.table(classes=["bnk-table", "colwidths-given"])
        tgroup = nodes.tgroup(cols=len(table.columns))
        node += tgroup
        # Declared widths, else in proportion to the average text length (at least 12 %).
        lengths = [
            max(len(c.label), sum(len(row[i]) for row in table.rows) / max(len(table.rows), 1))
            for i, c in enumerate(table.columns)
        ]
        total = sum(lengths) or 1
        for column, length in zip(table.columns, lengths, strict=True):
            tgroup += nodes.colspec(colwidth=column.width or max(12, round(100 * length / total)))
        thead = nodes.thead()
        tgroup += thead
        head = nodes.row()
        for column in table.columns:
            head += nodes.entry("", nodes.paragraph(column.label, column.label))
        thead += head
        tbody = nodes.tbody()
        tgroup += tbody
        for r, row in enumerate(table.rows):
            tr = nodes.row()
            for c, cell in enumerate(row):
                shown = format_number(table.numbers[(r, c)], decimals_of(cell)) if (r, c) in table.numbers else cell
                tr += nodes.entry("", breakable_paragraph(shown or "–"))
            tbody += tr
        return node


def setup_tables(app: Sphinx) -> None:
    """Register the data-table directive."""
    app.add_directive("bnk-table", DataTableDirective)
