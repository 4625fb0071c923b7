"""The ``bnk:wert`` role: a computed figure in running text, linked to its indicator.

The figure is computed in the data layer (``bnk.data.values``); this module only reads the
files (noting them as dependencies, so a changed CSV re-reads the page), builds the nodes and
records the figure for the export. A reference that does not resolve is a located
``bnk.value`` warning and stays visible in the text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes

from bnk.boundary import BnkRole
from bnk.config import get_bnk_config, get_report
from bnk.data import BnkDataError
from bnk.data.csvdata import load_indicator_csv
from bnk.data.metadata import load_metadata
from bnk.data.tables import load_table
from bnk.data.values import Figure, Reference, indicator_figure, parse_reference, table_figure
from bnk.directives._common import DATA_DIR, NAME_RE, data_file, verbatim
from bnk.domain import get_bnk_domain
from bnk.warnings_ import BnkWarning

if TYPE_CHECKING:
    from docutils.nodes import Node, system_message
    from sphinx.application import Sphinx

    from bnk.data.records import ValueRecord

ROLE_NAME = "wert"


class ValueRole(BnkRole):
    """``{bnk:wert}`strom-windkraft:change_rel:NRW``` → ``+67,0 %`` (linked to the indicator)."""

    def run(self) -> tuple[list[Node], list[system_message]]:
        reference = self.text.strip()
        location = (self.env.docname, self.lineno)
        try:
            ref = parse_reference(reference)
            figure = self._compute(ref)
        except BnkDataError as exc:
            self._domain().note_problem(
                self.env.docname, f"Wert „{reference}“: {exc.msg}", BnkWarning.VALUE, exc_location(exc, location)
            )
            shown = f"[Wert fehlt: {reference}]"
            return [verbatim(nodes.inline(shown, shown, classes=["bnk-value", "bnk-value-error"]))], []
        record: ValueRecord = {
            "reference": figure.reference,
            "text": figure.text,
            "number": figure.number,
            "source": figure.source,
            "op": figure.op,
            "series": figure.series,
            "years": list(figure.years),
            "origin": figure.origin,
            "note": figure.note,
            "explicit_years": bool(ref.years),
            "line": self.lineno,
        }
        self._domain().note_value(self.env.docname, record)
        text = verbatim(nodes.inline(figure.text, figure.text, classes=["bnk-value"]))
        if figure.origin == "table":
            return [text], []
        # Resolved by the domain once every page is read: the indicator may stand on another page.
        xref = addnodes.pending_xref(
            "",
            text,
            refdomain="bnk",
            reftype="indicator",
            reftarget=figure.source,
            refexplicit=True,
            refwarn=False,
        )
        xref.source, xref.line = self.get_source_info()
        return [xref], []

    def _domain(self) -> Any:
        return get_bnk_domain(self.env)

    def _compute(self, ref: Reference) -> Figure:
        cfg = get_bnk_config(self.env)
        if ref.is_table:
            name = ref.source
            if not NAME_RE.match(name):
                raise BnkDataError(f"„{name}“ ist kein gültiger Tabellenname.")
            csv_path, meta_path = data_file(self.env, f"{name}.csv"), data_file(self.env, f"{name}.yaml")
            for path in (csv_path, meta_path):
                if path is not None:
                    self.env.note_dependency(str(path))
            if csv_path is None or meta_path is None:
                missing = f"{name}.csv" if csv_path is None else f"{name}.yaml"
                raise BnkDataError(f"Unbekannte Tabelle: {DATA_DIR}/{missing} fehlt.")
            return table_figure(ref, load_table(csv_path, meta_path))
        meta_path = data_file(self.env, f"{ref.source}.yaml")
        if meta_path is None:
            raise BnkDataError(f"Unbekannter Indikator „{ref.source}“: {DATA_DIR}/{ref.source}.yaml fehlt.")
        self.env.note_dependency(str(meta_path))
        meta = load_metadata(meta_path, ref.source, tuple(cfg.units))
        csv_path = data_file(self.env, f"{ref.source}.csv")
        data = None
        if csv_path is not None:
            self.env.note_dependency(str(csv_path))
            data = load_indicator_csv(csv_path)
        return indicator_figure(ref, meta, data, cfg.report_year, get_report(self.env).kommune.name or "Kommune")


def exc_location(exc: BnkDataError, fallback: tuple[str, int | None]) -> str | tuple[str, int | None]:
    """A data-file problem is located in the file; a bad reference at the role."""
    if exc.path and exc.line:
        return f"{exc.path}:{exc.line}"
    return fallback


def setup_values(app: Sphinx) -> None:
    """Register the ``bnk:wert`` role (the domain resolves its link)."""
    app.add_role_to_domain("bnk", ROLE_NAME, ValueRole())
