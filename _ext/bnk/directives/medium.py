"""Content per medium, declared once: ``bnk-medium`` marks text for the screen or for print.

The web edition is read on a screen (links, a search field, keyboard shortcuts); the print PDF and
the accessible PDF are read as documents (page numbers, a table of contents). A page says once
which of its passages belongs to which medium::

    ```{bnk-medium} screen
    Klicken Sie auf ein Kapitel.
    ```

    ```{bnk-medium} print
    Vorne im Bericht steht ein Inhaltsverzeichnis mit allen Kapiteln und ihren Seiten.
    ```

Generated pages use :func:`for_medium`. The decision is one post-transform
(:class:`MediumTransform`) on the resolved doctree of every builder: the passage stays (without
a wrapper) for its own medium and is removed for the other one. Which medium a builder makes is
:func:`medium_of`; the print side never removes text by matching strings or classes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal

from docutils import nodes

from bnk.boundary import BnkDirective, BnkPostTransform, add_node
from bnk.warnings_ import BnkWarning, note

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.util.typing import OptionSpec

Medium = Literal["screen", "print"]
MEDIA: dict[str, str] = {"screen": "Bildschirm (Webfassung)", "print": "Druck (PDF)"}


class bnk_medium(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """Content for one medium only (``medium``: ``screen`` or ``print``); resolved per builder."""


def medium_of(builder: Builder) -> Medium:
    """The medium a builder makes: a builder may declare it (``bnk_medium``, e.g. the accessible
    PDF: ``print``); LaTeX is print, everything else is read on a screen."""
    declared = getattr(builder, "bnk_medium", None)
    if declared in MEDIA:
        return declared  # type: ignore[return-value]
    return "print" if builder.format == "latex" else "screen"


def for_medium(medium: Medium, children: Iterable[nodes.Node]) -> bnk_medium:
    """Generated content for one medium only (e.g. the Erklärung's notes on the build's tests)."""
    node = bnk_medium(medium=medium)
    node.extend(list(children))
    return node


class MediumDirective(BnkDirective):
    """``{bnk-medium} screen|print``: the content is shown in that medium only."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        medium = self.arguments[0].strip().lower()
        node = bnk_medium(medium=medium)
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        if medium not in MEDIA:
            choices = ", ".join(f"„{key}“ ({label})" for key, label in MEDIA.items())
            note(
                self.env,
                f"Unbekanntes Medium „{self.arguments[0]}“ in bnk-medium; möglich sind {choices}. "
                "Der Inhalt erscheint in allen Fassungen.",
                BnkWarning.MEDIUM,
                self.get_location(),
            )
            node["medium"] = ""
        return [node]


class MediumTransform(BnkPostTransform):
    """Every builder: keep the content of its own medium, drop the other one's.

    Early (before sphinx-design and the print side look at the tree): what one medium does not
    show is not there for any later step, e.g. the errata appendix or the list of tables.
    """

    default_priority = 20

    def run(self, **kwargs: Any) -> None:
        medium = medium_of(self.env._builder_cls)  # what Sphinx itself reads for `formats`
        for node in list(self.document.findall(bnk_medium)):
            if node.parent is None:
                continue
            if node["medium"] in ("", medium) and node.children:
                node.replace_self(node.children[:])
            else:
                node.parent.remove(node)


def setup_media(app: Sphinx) -> None:
    """Register the directive, its node (never reaches a writer) and the transform."""
    add_node(app, bnk_medium)
    app.add_directive("bnk-medium", MediumDirective)
    app.add_post_transform(MediumTransform)
