"""``bnk-chapter-grid``: the start page's grid of the catalogue's chapters with their BNK status.

A placeholder at read time; filled at ``doctree-resolved`` from the coverage the domain computes
(status and aspect counts are never typed). HTML gets a sphinx-design grid of cards with status
badges; other builders (LaTeX) get the same facts as a plain list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from sphinx.util.nodes import make_refnode

from bnk.boundary import BnkDirective
from bnk.config import catalogue_path
from bnk.coverage import STATUS_EXPLAINED, STATUS_LABELS, STATUS_MISSING, STATUS_REPORTED
from bnk.directives.design import badge, card, grid
from bnk.domain import get_bnk_domain
from bnk.nodes import bnk_chapter_grid

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.util.typing import OptionSpec

    from bnk.coverage import ChapterRow, Coverage


class ChapterGridDirective(BnkDirective):
    """The chapters of the catalogue as cards: heading (linked), BNK status, aspects reported."""

    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        node = bnk_chapter_grid()
        self.set_source_info(node)
        self.env.note_dependency(str(catalogue_path(self.env)))
        get_bnk_domain(self.env).note_index_page(self.env.docname, "chapter-grid", self.lineno)
        return [node]


def aspect_counts(chapter: ChapterRow) -> str:
    """E.g. "3 von 4 Aspekten berichtet, 1 begründet ausgelassen"."""
    if not chapter.aspects_known:
        # The catalogue holds no aspects for this chapter: say what the reader sees, not why.
        if chapter.status == STATUS_EXPLAINED:
            return "als Ganzes begründet ausgelassen"
        return "ohne einzelne Aspekte ausgewiesen"
    total = len(chapter.aspects)
    reported = sum(1 for a in chapter.aspects if a.status == STATUS_REPORTED)
    explained = sum(1 for a in chapter.aspects if a.status == STATUS_EXPLAINED)
    missing = sum(1 for a in chapter.aspects if a.status == STATUS_MISSING)
    text = f"{reported} von {total} {'Aspekt' if total == 1 else 'Aspekten'} berichtet"
    if explained:
        text += f", {explained} begründet ausgelassen"
    if missing:
        text += f", {missing} {'fehlt' if missing == 1 else 'fehlen'}"
    if chapter.core:
        shown = sum(1 for c in chapter.core if c.status == STATUS_REPORTED)
        done = sum(1 for c in chapter.core if c.status != STATUS_MISSING)
        total = len(chapter.core)
        text += f"; {shown} von {total} {'Kernindikator' if total == 1 else 'Kernindikatoren'} gezeigt"
        if done > shown:
            text += f", {done - shown} begründet"
    return text


def _title(builder: Builder, fromdoc: str, chapter: ChapterRow) -> nodes.Node:
    text = chapter.heading
    if chapter.docname is None or chapter.anchor is None:
        return nodes.Text(text)
    return make_refnode(builder, fromdoc, chapter.docname, chapter.anchor, nodes.inline(text, text), text)


def build_chapter_grid(coverage: Coverage, builder: Builder, fromdoc: str) -> list[nodes.Node]:
    """The grid (HTML) or list (other builders) of every chapter of the catalogue."""
    if builder.format != "html":
        items = nodes.bullet_list(classes=["bnk-chapter-list"])
        for chapter in coverage.chapters:
            status = STATUS_LABELS[chapter.status]
            para = nodes.paragraph("", "", _title(builder, fromdoc, chapter))
            para += nodes.Text(f" – {status} ({aspect_counts(chapter)})")
            items += nodes.list_item("", para)
        return [items]
    cards = []
    for chapter in coverage.chapters:
        title = nodes.paragraph("", "", _title(builder, fromdoc, chapter), classes=["sd-card-title", "bnk-card-title"])
        status = badge(STATUS_LABELS[chapter.status], ["bnk-badge", f"bnk-badge-{chapter.status}"])
        lines = [
            title,
            nodes.paragraph("", "", nodes.Text("BNK-Status: "), status, classes=["bnk-card-status"]),
            nodes.paragraph(aspect_counts(chapter), aspect_counts(chapter), classes=["bnk-card-counts"]),
        ]
        cards.append(card(lines, ["bnk-chapter-card", f"bnk-chapter-{chapter.status}"]))
    return [grid(cards, "1 2 3 3", ["bnk-chapter-grid"])]


def setup_chapter_grid(app: Sphinx) -> None:
    """Register the directive (its placeholder is filled in ``transforms.process_placeholders``)."""
    app.add_directive("bnk-chapter-grid", ChapterGridDirective)
