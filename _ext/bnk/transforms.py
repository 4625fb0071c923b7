"""Handlers that need all documents: filling the index placeholders, outdating index pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.nodes import make_refnode

from bnk.config import get_catalogue
from bnk.coverage import STATUS_EXPLAINED, STATUS_LABELS, STATUS_MISSING, STATUS_REPORTED
from bnk.data.sdgs import SDGS
from bnk.directives._common import build_table, sdg_badges, verbatim
from bnk.domain import get_bnk_domain
from bnk.nodes import bnk_chapter_grid, bnk_index, bnk_indicator_list, bnk_sdg_index

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from bnk.coverage import Coverage
    from bnk.domain import BnkDomain


def _link(builder: Builder, fromdoc: str, todoc: str | None, anchor: str | None, text: str) -> nodes.Node:
    if todoc is None or anchor is None:
        return nodes.Text(text)
    return make_refnode(builder, fromdoc, todoc, anchor, nodes.inline(text, text), text)


def _status(status: str) -> nodes.inline:
    label = STATUS_LABELS[status]
    return nodes.inline(label, label, classes=["bnk-status", f"bnk-status-{status}"])


def _table(
    header: list[str], rows: list[tuple[list[nodes.Node], list[str]]], widths: list[int], caption: str
) -> nodes.table:
    # Catalogue and data text, exactly as written; the caption names the table in HTML.
    return verbatim(build_table(header, rows, widths, ["bnk-index-table"], caption))


def build_bnk_index(coverage: Coverage, builder: Builder, fromdoc: str) -> list[nodes.Node]:
    """The BNK index as real docutils nodes (rendered natively by every writer)."""
    counts = (
        f"{coverage.count(STATUS_REPORTED)} Aspekte berichtet, "
        f"{coverage.count(STATUS_EXPLAINED)} mit Begründung nicht berichtet, "
        f"{coverage.count(STATUS_MISSING)} fehlen"
    )
    if coverage.core:
        counts += (
            f"; Kernindikatoren: {coverage.count_core(STATUS_REPORTED)} gezeigt, "
            f"{coverage.count_core(STATUS_EXPLAINED)} mit Begründung nicht gezeigt, "
            f"{coverage.count_core(STATUS_MISSING)} fehlen"
        )
    omitted = coverage.omitted_chapters
    if omitted:
        counts += "; mit Begründung ausgelassen: " + ", ".join(c.label for c in omitted)
    result: list[nodes.Node] = [nodes.paragraph(counts + ".", counts + ".", classes=["bnk-index-counts"])]
    if coverage.core:
        total = f"Berichtet oder begründet: {coverage.totals()}."
        result.append(nodes.paragraph(total, total, classes=["bnk-index-totals"]))
    rows: list[tuple[list[nodes.Node], list[str]]] = []
    for chapter in coverage.chapters:
        rows.append(
            (
                [
                    nodes.strong(chapter.number, chapter.number),
                    nodes.strong("", "", _link(builder, fromdoc, chapter.docname, chapter.anchor, chapter.heading)),
                    _status(chapter.status),
                ],
                ["bnk-index-chapter"],
            )
        )
        if not chapter.aspects_known:
            note = "Für dieses Handlungsfeld weist der Bericht keine einzelnen Aspekte aus."
            rows.append(([nodes.Text("–"), nodes.emphasis(note, note), _status(chapter.status)], []))
        for aspect in chapter.aspects:
            rows.append(
                (
                    [
                        nodes.Text(aspect.number),
                        _link(builder, fromdoc, aspect.docname, aspect.anchor, aspect.title),
                        _status(aspect.status),
                    ],
                    [f"bnk-index-{aspect.status}"],
                )
            )
            # The aspect's Kernindikatoren right under it, linked to the indicator or the reason.
            for core in (c for c in chapter.core if c.aspect == aspect.number):
                text = f"Kernindikator {core.code}: {core.title}"
                rows.append(
                    (
                        [
                            nodes.Text(core.code),  # the row header: never an empty <th>
                            _link(builder, fromdoc, core.docname, core.anchor, text),
                            _status(core.status),
                        ],
                        ["bnk-index-core", f"bnk-index-{core.status}"],
                    )
                )
    result.append(
        _table(
            ["Nr.", "Kapitel / Aspekt", "Status"], rows, [8, 70, 22], "BNK-Index: Kapitel und Aspekte mit ihrem Status"
        )
    )
    return result


def build_sdg_index(domain: BnkDomain, builder: Builder, fromdoc: str) -> list[nodes.Node]:
    """Per SDG the places that name it, in document order."""
    refs: dict[int, list[tuple[str, str, str]]] = {n: [] for n in SDGS}
    for docname in sorted(domain.data["sdg_refs"]):
        for record in domain.data["sdg_refs"][docname]:
            refs[record["sdg"]].append((docname, record["anchor"], record["text"]))
    result: list[nodes.Node] = []
    for number, places in refs.items():
        # A target node (not an id on the paragraph): LaTeX turns it into a hyperref label too.
        result.append(nodes.target("", "", ids=[SDGS[number].anchor]))
        head = sdg_badges([number])
        head["classes"].append("bnk-sdg-index-head")
        # The badge links to this very index; keep the heading unlinked.
        for xref in list(head.findall(lambda n: n.tagname == "pending_xref")):
            xref.replace_self(xref.children)
        result.append(head)
        if not places:
            text = "Keine Bezüge in diesem Bericht."
            result.append(nodes.paragraph(text, "", nodes.emphasis(text, text)))
            continue
        items = nodes.bullet_list()
        for docname, anchor, text in places:
            items += nodes.list_item("", nodes.paragraph("", "", _link(builder, fromdoc, docname, anchor, text)))
        result.append(items)
    return result


def build_indicator_list(domain: BnkDomain, env: BuildEnvironment, builder: Builder, fromdoc: str) -> list[nodes.Node]:
    """All indicators by chapter: title (linked), unit, data or the reason for none."""
    catalogue = get_catalogue(env)
    records = sorted(
        (
            (catalogue.position(r["chapter"]) if catalogue and r["chapter"] else -1, docname, r["line"] or 0, r)
            for docname, rs in domain.data["indicators"].items()
            for r in rs
        ),
        key=lambda item: item[:3],
    )
    rows: list[tuple[list[nodes.Node], list[str]]] = []
    current = None
    for _position, docname, _, record in records:
        if record["chapter"] != current:
            current = record["chapter"]
            chapter = catalogue.chapter(current) if catalogue and current else None
            label = chapter.heading if chapter else "Ohne Kapitel"
            rows.append(([nodes.strong(label, label), nodes.Text(""), nodes.Text("")], ["bnk-index-chapter"]))
        data = "ja" if not record["no_data_reason"] else "keine Daten (begründet)"
        rows.append(
            (
                [
                    _link(builder, fromdoc, docname, record["anchor"], record["title"]),
                    nodes.Text(record["unit"]),
                    nodes.Text(data),
                ],
                [],
            )
        )
    count = sum(1 for *_, r in records)
    with_data = sum(1 for *_, r in records if not r["no_data_reason"])
    text = f"{count} Indikatoren, davon {with_data} mit Daten und {count - with_data} ohne Daten (mit Begründung)."
    return [
        nodes.paragraph(text, text),
        _table(
            ["Indikator", "Einheit", "Daten"], rows, [55, 25, 20], "Indikatoren nach Kapiteln mit Einheit und Daten"
        ),
    ]


def process_placeholders(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    """Replace the index placeholders (``doctree-resolved``)."""
    index_nodes = list(doctree.findall(bnk_index))
    sdg_nodes = list(doctree.findall(bnk_sdg_index))
    list_nodes = list(doctree.findall(bnk_indicator_list))
    grid_nodes = list(doctree.findall(bnk_chapter_grid))
    if not index_nodes and not sdg_nodes and not list_nodes and not grid_nodes:
        return
    domain = get_bnk_domain(app.env)
    coverage = domain.coverage(app.env) if index_nodes or grid_nodes else None
    from bnk.directives.chapter_grid import build_chapter_grid

    # What needs the coverage: the placeholders, what they are called, how they are built.
    for found, what, build in (
        (grid_nodes, "Kapitelübersicht", build_chapter_grid),
        (index_nodes, "BNK-Index", build_bnk_index),
    ):
        for node in found:
            if coverage is None:
                text = f"{what} nicht verfügbar: der Katalog ist fehlerhaft (siehe Warnungen)."
                node.replace_self(nodes.paragraph(text, text))
            else:
                node.replace_self(build(coverage, app.builder, fromdocname))
    for node in sdg_nodes:
        node.replace_self(build_sdg_index(domain, app.builder, fromdocname))
    for node in list_nodes:
        node.replace_self(build_indicator_list(domain, app.env, app.builder, fromdocname))


# Which fingerprint a kind of generated index page follows (unknown kinds: "indexes").
INDEX_GROUPS = {"errata-list": "errata"}


def updated_index_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Index pages depend on every page: when what one of them shows changed, write it again.

    ``env-get-updated`` (not ``env-get-outdated``): their doctrees only hold placeholders, so they
    need writing with fresh domain data, not reading again. Each kind of index is compared on
    the data it shows: a CSV value that changes a computed deviation note rewrites the list of
    deviations, not the BNK and SDG indexes.
    """
    domain = get_bnk_domain(env)
    if not getattr(app, "_bnk_pages_changed", False):
        return []
    before: dict[str, str] = getattr(app, "_bnk_index_fingerprint", None) or {}
    now = index_fingerprint(domain)
    changed = {group for group, text in now.items() if before.get(group) != text}
    return sorted(
        docname
        for docname, kinds in domain.data["index_pages"].items()
        if any(INDEX_GROUPS.get(kind, "indexes") in changed for kind in kinds)
    )


def index_fingerprint(domain: BnkDomain) -> dict[str, str]:
    """What the generated index pages show, per group of index kinds: unchanged → no rewrite."""
    import json

    indexes = {
        "chapters": domain.data["chapters"],
        "aspects": {
            d: [(r["number"], r["raw"], r["anchor"], r["omitted"], r["has_body"]) for r in rs]
            for d, rs in domain.data["aspects"].items()
        },
        "sdg_refs": domain.data["sdg_refs"],
        "indicators": {
            d: [(r["id"], r["title"], r["unit"], r["anchor"], r["chapter"], bool(r["no_data_reason"])) for r in rs]
            for d, rs in domain.data["indicators"].items()
        },
        "index_pages": domain.data["index_pages"],
    }
    errata = {"chapters": domain.data["chapters"], "errata": domain.data["errata"], "pages": domain.data["index_pages"]}
    return {
        "indexes": json.dumps(indexes, sort_keys=True, default=str),
        "errata": json.dumps(errata, sort_keys=True, default=str),
    }


def note_changed_pages(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Remember whether this build reads or drops any page (``env-get-outdated``, main process)."""
    app._bnk_pages_changed = bool(added or changed or removed)  # type: ignore[attr-defined]
    if app._bnk_pages_changed:  # type: ignore[attr-defined]
        domain = get_bnk_domain(env)
        app._bnk_index_fingerprint = index_fingerprint(domain)  # type: ignore[attr-defined]
    return []
