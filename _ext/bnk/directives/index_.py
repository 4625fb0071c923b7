"""``bnk-index`` (BNK content index) and ``bnk-sdg-index``: placeholders filled once all is read."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes

from bnk.boundary import BnkDirective
from bnk.config import catalogue_path
from bnk.data.status import LEGEND, LEGEND_INTRO, LEGEND_TITLE, METHODS
from bnk.domain import get_bnk_domain
from bnk.nodes import bnk_index, bnk_indicator_list, bnk_sdg_index

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec


class BnkIndexDirective(BnkDirective):
    """The BNK index: every chapter and aspect with its status and a link to where it stands."""

    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        node = bnk_index()
        self.set_source_info(node)
        self.env.note_dependency(str(catalogue_path(self.env)))
        get_bnk_domain(self.env).note_index_page(self.env.docname, "bnk-index", self.lineno)
        return [node]


class SdgIndexDirective(BnkDirective):
    """The SDG index: per SDG, every aspect and Praxisbeispiel that names it."""

    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        node = bnk_sdg_index()
        self.set_source_info(node)
        get_bnk_domain(self.env).note_index_page(self.env.docname, "sdg-index", self.lineno)
        return [node]


class IndicatorListDirective(BnkDirective):
    """The list of indicators (Verzeichnis der Indikatoren), by chapter, linked."""

    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        node = bnk_indicator_list()
        self.set_source_info(node)
        get_bnk_domain(self.env).note_index_page(self.env.docname, "indicator-list", self.lineno)
        return [node, *status_legend()]


def status_legend() -> list[nodes.Node]:
    """How the indicators' status is computed (the methods the status lines name)."""
    title = nodes.rubric(LEGEND_TITLE, LEGEND_TITLE, ids=["bewertung-der-indikatoren"])
    items = nodes.bullet_list()
    for key, text in LEGEND.items():
        para = nodes.paragraph()
        para += nodes.strong(METHODS[key], METHODS[key])
        para += nodes.Text(f": {text}")
        items += nodes.list_item("", para)
    return [title, nodes.paragraph(LEGEND_INTRO, LEGEND_INTRO), items]


def setup_indexes(app: Sphinx) -> None:
    """Register the index directives."""
    app.add_directive("bnk-index", BnkIndexDirective)
    app.add_directive("bnk-sdg-index", SdgIndexDirective)
    app.add_directive("bnk-indicator-list", IndicatorListDirective)
