"""The ``bnk-example`` directive (Praxisbeispiel) and ``bnk-erratum`` (difference from print)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from bnk.boundary import BnkDirective
from bnk.config import get_report
from bnk.directives._common import TEMP_EXAMPLE_COUNT, current_chapter, parse_sdgs, sdg_badges
from bnk.directives.design import card
from bnk.directives.errata import new_anchor, note_erratum
from bnk.domain import get_bnk_domain
from bnk.warnings_ import BnkWarning, note

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec


class ExampleDirective(BnkDirective):
    """``{bnk-example} Titel``: a Praxisbeispiel, numbered per chapter in page order."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[OptionSpec] = {
        "name": directives.unchanged,
        "sdg": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        title = self.arguments[0].strip()
        chapter = current_chapter(self.env)
        if chapter is None:
            note(
                self.env,
                "Praxisbeispiele stehen auf einer Kapitelseite (nach „# {bnk-heading}`NN`“); "
                "ohne Kapitel kann keine Nummer vergeben werden.",
                BnkWarning.EXAMPLE,
                self.get_location(),
            )
            number = "?"
        else:
            count = self.env.temp_data.get(TEMP_EXAMPLE_COUNT, 0) + 1
            self.env.temp_data[TEMP_EXAMPLE_COUNT] = count
            number = f"{chapter}.{count}"
        heading = f"Praxisbeispiel {number} – {title}"
        label = self.options.get("name", "").strip().lower()
        anchor = label or f"praxisbeispiel-{number.replace('.', '-')}"

        section = nodes.section(classes=["bnk-example"])
        self.set_source_info(section)
        section += nodes.title(heading, heading)
        if label:
            # An explicit target: {ref}`label` and {bnk:example}`label` both work.
            section["names"].append(label)
            self.state.document.note_explicit_target(section, section)
            anchor = section["ids"][0]
        else:
            section["ids"].append(anchor)
            self.state.document.ids[anchor] = section
        sdgs = parse_sdgs(self.env, self.options.get("sdg"), self.get_location())
        if sdgs:
            section += sdg_badges(sdgs)
        self.state.nested_parse(self.content, self.content_offset, section)
        # Below its heading the Praxisbeispiel is a sphinx-design card (in print: plain content).
        body = list(section.children[1:])
        del section[1:]
        section += card(body, ["bnk-example-card"])

        domain = get_bnk_domain(self.env)
        if label:
            domain.note_example(
                self.env.docname,
                {
                    "label": label,
                    "number": number,
                    "title": heading,
                    "line": self.lineno,
                    "anchor": anchor,
                    "sdgs": sdgs,
                },
            )
        domain.note_sdgs(self.env.docname, sdgs, anchor, heading)
        return [section]


class ErratumDirective(BnkDirective):
    """``{bnk-erratum}``: a visible note where this report differs from the reference edition."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        title = self.arguments[0] if self.arguments else get_report(self.env).erratum_title
        box = nodes.admonition(classes=["bnk-erratum", "note"])
        self.set_source_info(box)
        box += nodes.title(title, title)
        self.state.nested_parse(self.content, self.content_offset, box)
        anchor = new_anchor(self.env)
        text = " ".join(child.astext() for child in box.children[1:])
        note_erratum(self.env, text, anchor, self.lineno)
        # A target (not an id on the box): the LaTeX writer labels targets, not admonitions.
        return [nodes.target("", "", ids=[anchor]), box]


def setup_examples(app: Sphinx) -> None:
    """Register the Praxisbeispiel and erratum directives."""
    app.add_directive("bnk-example", ExampleDirective)
    app.add_directive("bnk-erratum", ErratumDirective)
