"""sphinx-design components built from Python: cards, "Diagramm | Tabelle" tabs, grids, badges.

The directives build sphinx-design's own nodes (``create_component``), so the HTML edition gets
its cards, CSS-only tabs and responsive grids. Every component made here carries the class
``bnk-design``; for LaTeX, :class:`UnwrapDesignTransform` replaces each one by its content (a tab's
label is dropped, its content kept), so the print edition shows everything, in reading order,
with the layout the print side designs – no tab label without content, nothing lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx_design.shared import create_component, is_component

from bnk.boundary import BnkPostTransform

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from sphinx.application import Sphinx

MARK = "bnk-design"


def card(
    children: Iterable[nodes.Node], classes: Sequence[str] = (), header: Sequence[nodes.Node] = ()
) -> nodes.container:
    """A sphinx-design card: optional header, then a body holding ``children``.

    :param classes: extra classes of the card (e.g. ``bnk-indicator-card``)
    """
    box = create_component("card", ["sd-card", "sd-sphinx-override", "sd-mb-3", "sd-shadow-sm", MARK, *classes])
    if header:
        box += create_component("card-header", ["sd-card-header", MARK], children=list(header))
    body = create_component("card-body", ["sd-card-body", MARK])
    body.extend(list(children))
    box += body
    return box


def tab_set(items: Sequence[tuple[str, Sequence[nodes.Node]]], classes: Sequence[str] = ()) -> nodes.container:
    """A sphinx-design tab set; ``items`` are (label, content) pairs, the first one selected.

    Tabs without content are not made: a label always has something to show.
    """
    tabs = create_component("tab-set", ["sd-tab-set", MARK, *classes])
    for i, (label, content) in enumerate(items):
        if not content:
            continue
        item = create_component("tab-item", ["sd-tab-item", MARK], selected=(i == 0))
        item += nodes.rubric(label, label, classes=["sd-tab-label"])
        item += create_component("tab-content", ["sd-tab-content", MARK], children=list(content))
        tabs += item
    return tabs


def grid(cards: Iterable[nodes.Node], columns: str = "1 2 3 3", classes: Sequence[str] = ()) -> nodes.container:
    """A responsive sphinx-design grid of cards (columns at xs, sm, md, lg)."""
    xs, sm, md, lg = columns.split()
    row = create_component(
        "grid-row",
        [
            "sd-row",
            f"sd-row-cols-{xs}",
            f"sd-row-cols-xs-{xs}",
            f"sd-row-cols-sm-{sm}",
            f"sd-row-cols-md-{md}",
            f"sd-row-cols-lg-{lg}",
            "sd-g-3",
            "sd-g-xs-3",
            "sd-g-sm-3",
            "sd-g-md-3",
            "sd-g-lg-3",
            MARK,
        ],
    )
    for child in cards:
        child["classes"].append("sd-w-100")
        row += create_component("grid-item", ["sd-col", "sd-d-flex-row", MARK], children=[child])
    return create_component(
        "grid-container", ["sd-container-fluid", "sd-sphinx-override", "sd-mb-4", MARK, *classes], children=[row]
    )


def badge(text: str, classes: Sequence[str] = ()) -> nodes.inline:
    """A sphinx-design badge; colours come from the given ``bnk-*`` classes (contrast-checked CSS)."""
    return nodes.inline(text, text, classes=["sd-badge", *classes])


class UnwrapDesignTransform(BnkPostTransform):
    """LaTeX: every ``bnk-design`` component gives way to its content (tab labels dropped).

    Runs before the print side's ``doctree-resolved`` handlers, which therefore see the same
    structure as without sphinx-design (chart and tables as children of the indicator section).
    """

    default_priority = 150
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(nodes.container)):
            if MARK not in node["classes"] or node.parent is None:
                continue
            if is_component(node, "tab-item"):
                # (A table's caption is numbered by the print side, bnk.latex.caption_tables.)
                content = [c for c in node.children if not isinstance(c, nodes.rubric)]
                moved = [grand for child in content for grand in child.children]
                if moved:
                    node.replace_self(moved)
                else:  # a tab whose content is for the other medium (bnk-medium)
                    node.parent.remove(node)
                continue
        # Second pass: the remaining wrappers (cards, bodies, tab sets) from the inside out.
        for node in reversed(list(self.document.findall(nodes.container))):
            if MARK in node["classes"] and node.parent is not None:
                node.replace_self(node.children[:] or [])


class TabLabelHtmlTransform(BnkPostTransform):
    """HTML: no ``aria-controls`` on sphinx-design's tab labels.

    The label belongs to its radio button (``for=``), and HTML forbids ``aria-controls`` on a label
    associated with a labelable element (Nu Html Checker error); the radio group is the control.
    """

    default_priority = 210  # after sphinx-design's TabSetHtmlTransform (200)
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        from sphinx_design.tabs import sd_tab_label

        for label in self.document.findall(sd_tab_label):
            label.attributes.pop("aria_controls", None)


def setup_design(app: Sphinx) -> None:
    """Register the LaTeX fallback of the components and the HTML fix of the tab labels."""
    app.add_post_transform(UnwrapDesignTransform)
    app.add_post_transform(TabLabelHtmlTransform)
