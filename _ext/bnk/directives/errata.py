"""Deviations from the reference edition: every ``bnk-erratum`` and indicator difference, listed.

The reference edition (title and year) is ``bnk_report['reference']`` in the report model.
``bnk-erratum`` boxes and the indicator's deviation notes note themselves in
the domain; ``bnk-errata-list`` (the closing note) is a placeholder filled once every page is
read, with one entry per deviation, its page and a link to where it stands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes

from bnk.boundary import BnkDirective, add_node, connect
from bnk.config import get_catalogue, get_report
from bnk.directives._common import current_chapter
from bnk.directives.medium import medium_of
from bnk.domain import get_bnk_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import OptionSpec

    from bnk.data.records import ErratumRecord


class bnk_errata_list(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """Placeholder for the list of deviations; replaced once all documents are read."""


def note_erratum(env: BuildEnvironment, text: str, anchor: str, line: int | None, context: str = "") -> None:
    """Record a deviation from the reference edition shown on the page being read.

    :param context: what it belongs to, e.g. ``Indikator „Strom aus Windkraft“``
    """
    record: ErratumRecord = {
        "text": " ".join(text.split()),
        "anchor": anchor,
        "line": line,
        "chapter": current_chapter(env),
        "context": context,
    }
    get_bnk_domain(env).note_erratum(env.docname, record)


def new_anchor(env: BuildEnvironment) -> str:
    """A page-unique anchor for a deviation box."""
    return f"abweichung-{env.new_serialno('bnk-erratum') + 1}"


class ErrataListDirective(BnkDirective):
    """``{bnk-errata-list}``: every deviation from the reference edition, by chapter, linked."""

    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        node = bnk_errata_list()
        self.set_source_info(node)
        get_bnk_domain(self.env).note_index_page(self.env.docname, "errata-list", self.lineno)
        return [node]


def build_errata_list(app: Sphinx, fromdoc: str) -> list[nodes.Node]:
    """One entry per deviation: page (chapter heading or page title), text, link to the place."""
    env = app.env
    domain = get_bnk_domain(env)
    catalogue = get_catalogue(env)
    entries = sorted(
        (
            (catalogue.position(r["chapter"]) if catalogue and r["chapter"] else -1, docname, r["line"] or 0, r)
            for docname, records in domain.data["errata"].items()
            for r in records
        ),
        key=lambda item: item[:3],
    )
    count = len(entries)
    reference = get_report(env).reference
    edition = f"von „{reference.label}“" if reference else "von einer früheren Ausgabe"
    intro = f"{count} Abweichungen {edition}, nach Seiten geordnet:"
    result: list[nodes.Node] = [nodes.paragraph(intro, intro)]
    current = None
    items = nodes.bullet_list()
    for _position, docname, _, record in entries:
        if docname != current:
            current = docname
            chapter = catalogue.chapter(record["chapter"]) if catalogue and record["chapter"] else None
            title = env.titles.get(docname)
            label = chapter.heading if chapter else (title.astext() if title else docname)
            items = nodes.bullet_list(classes=["bnk-errata-list"])
            page = nodes.paragraph("", "", classes=["bnk-errata-page"])
            ref = nodes.reference("", "", internal=True, refuri=app.builder.get_relative_uri(fromdoc, docname))
            ref += nodes.strong(label, label)
            page += ref
            result += [page, items]
        para = nodes.paragraph()
        if record["context"]:
            para += nodes.emphasis(record["context"] + ": ", record["context"] + ": ")
        para += nodes.Text(record["text"] + " ")
        # On the screen a link "zur Stelle"; in a document read page by page (the accessible
        # PDF) the page: "Seite" and its number (bnk-pdfua.css, target-counter).
        text, classes = ("Seite", ["bnk-pageref"]) if medium_of(app.builder) == "print" else ("zur Stelle", [])
        link = nodes.reference(
            "",
            text,
            internal=True,
            refuri=app.builder.get_relative_uri(fromdoc, docname) + "#" + record["anchor"],
            classes=classes,
        )
        para += link
        items += nodes.list_item("", para)
    return result


def fill_errata_lists(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    """``doctree-resolved``: replace the placeholders (in print: ``bnk.latex`` fills them with
    page references instead of links)."""
    if app.builder.format == "latex":
        return
    for node in list(doctree.findall(bnk_errata_list)):
        node.replace_self(build_errata_list(app, fromdocname))


def setup_errata(app: Sphinx) -> None:
    """Register the list of deviations."""
    add_node(app, bnk_errata_list)  # a placeholder: replaced at doctree-resolved
    app.add_directive("bnk-errata-list", ErrataListDirective)
    connect(app, "doctree-resolved", fill_errata_lists)
