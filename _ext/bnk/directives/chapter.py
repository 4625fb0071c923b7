"""Chapter pages: the ``bnk-heading`` role and the ``bnk-chapter-omitted`` directive."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes

from bnk.boundary import BnkDirective, BnkRole, BnkTransform
from bnk.config import catalogue_path, get_catalogue
from bnk.data.catalogue import code_key
from bnk.directives._common import TEMP_CHAPTER, TEMP_EXAMPLE_COUNT, current_chapter, verbatim
from bnk.domain import get_bnk_domain
from bnk.warnings_ import BnkWarning, note

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec


class ChapterHeadingRole(BnkRole):
    """``# {bnk-heading}`10``` declares the page's chapter; the heading text comes from the catalogue."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        key = code_key(self.text)
        catalogue = get_catalogue(self.env)
        self.env.note_dependency(str(catalogue_path(self.env)))
        chapter = catalogue.chapter(key) if catalogue and key is not None else None
        if catalogue is None and key is not None:
            # The catalogue itself is broken (and reported as such): keep the page usable.
            domain = get_bnk_domain(self.env)
            domain.note_chapter(self.env.docname, key, self.lineno)
            self.env.temp_data[TEMP_CHAPTER] = key
            self.env.temp_data[TEMP_EXAMPLE_COUNT] = 0
            text = f"Kapitel {self.text.strip()}"
            return [nodes.inline(text, text, classes=["bnk-heading"])], []
        if chapter is None:
            codes = [c.code for c in catalogue.chapters] if catalogue else []
            note(
                self.env,
                f"Unbekanntes Kapitel {self.text!r}: erwartet einen Kapitelcode des Katalogs "
                f"({codes[0]} bis {codes[-1]}).",
                BnkWarning.CHAPTER_UNKNOWN,
                self.get_location(),
            )
            return [nodes.inline(self.rawtext, self.text)], []
        domain = get_bnk_domain(self.env)
        domain.note_chapter(self.env.docname, chapter.key, self.lineno)
        self.env.temp_data[TEMP_CHAPTER] = chapter.key
        self.env.temp_data[TEMP_EXAMPLE_COUNT] = 0
        node = verbatim(nodes.inline(chapter.heading, chapter.heading, classes=["bnk-heading"]))
        node["bnk_chapter"] = chapter.key
        return [node], []


class ChapterTitleTransform(BnkTransform):
    """Give the chapter section its stable anchor and put the catalogue's scope sentence under it."""

    # Before Sphinx collects titles and TOCs (doctree-read) and before any reference resolution.
    default_priority = 200

    def apply(self, **kwargs: object) -> None:
        catalogue = get_catalogue(self.env)
        for inline in list(self.document.findall(nodes.inline)):
            number = inline.get("bnk_chapter")
            if number is None or catalogue is None:
                continue
            title = inline.parent
            section = title.parent if isinstance(title, nodes.title) else None
            if not isinstance(section, nodes.section):
                note(
                    self.env,
                    "{bnk-heading} gehört in die Kapitelüberschrift: „# {bnk-heading}`NN`“.",
                    BnkWarning.CHAPTER_UNKNOWN,
                    inline,
                )
                # Not a chapter page after all: do not count the declaration.
                get_bnk_domain(self.env).forget_chapter(self.env.docname, number)
                continue
            chapter = catalogue.chapter(number)
            if chapter is None:
                continue
            if chapter.anchor not in section["ids"]:
                section["ids"].insert(0, chapter.anchor)
                self.document.ids[chapter.anchor] = section
            section["classes"].append("bnk-chapter")
            scope = verbatim(nodes.paragraph(chapter.scope, chapter.scope, classes=["bnk-scope"]))
            if chapter.scope:  # the guiding question is optional in a catalogue
                section.insert(section.index(title) + 1, scope)
            # Comply-or-explain for a chapter without catalogue aspects: the page must say something.
            content = [
                child
                for child in section.children
                if not isinstance(child, (nodes.title, nodes.comment, nodes.target, nodes.system_message))
                and child is not scope
            ]
            get_bnk_domain(self.env).note_chapter_content(self.env.docname, number, bool(content))


class ChapterOmittedDirective(BnkDirective):
    """The whole chapter is not reported; the body is the mandatory reason."""

    has_content = True
    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        chapter = current_chapter(self.env)
        reason = "\n".join(self.content).strip()
        domain = get_bnk_domain(self.env)
        if chapter is None or not domain.note_chapter_omitted(self.env.docname, reason, self.lineno):
            note(
                self.env,
                "bnk-chapter-omitted steht auf einer Seite ohne Kapitelüberschrift „# {bnk-heading}`NN`“.",
                BnkWarning.CHAPTER_UNKNOWN,
                self.get_location(),
            )
            return []
        catalogue = get_catalogue(self.env)
        label = catalogue.chapter(chapter).label if catalogue else str(chapter)  # type: ignore[union-attr]
        box = nodes.admonition(classes=["bnk-omitted", "bnk-chapter-omitted"])
        self.set_source_info(box)
        box += nodes.title("", f"{label} wird in diesem Bericht nicht berichtet")
        if reason:
            body = nodes.container(classes=["bnk-reason"])
            self.state.nested_parse(self.content, self.content_offset, body)
            box += body.children
        return [box]


def setup_chapters(app: Sphinx) -> None:
    """Register the chapter role, directive and transform."""
    app.add_role("bnk-heading", ChapterHeadingRole())
    app.add_directive("bnk-chapter-omitted", ChapterOmittedDirective)
    app.add_transform(ChapterTitleTransform)
