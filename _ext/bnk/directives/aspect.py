"""The ``bnk-aspect`` directive: one BNK aspect, reported or explained (comply-or-explain)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from bnk.boundary import BnkDirective
from bnk.config import aspect_title, get_catalogue
from bnk.data.catalogue import code_key
from bnk.directives._common import current_chapter, parse_sdgs, sdg_badges, verbatim
from bnk.domain import get_bnk_domain
from bnk.warnings_ import BnkWarning, note

TEMP_ASPECT = "bnk_aspect"  # the aspect being parsed (to find aspects nested in aspects)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec


class AspectDirective(BnkDirective):
    """``{bnk-aspect} 10.1``: heading and anchor from the catalogue, body = content or reason.

    An aspect may stand on any page (the report's own order); the coverage check counts it once.
    """

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[OptionSpec] = {
        "omitted": directives.flag,
        "sdg": directives.unchanged,
        "responsible": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        raw = self.arguments[0]
        number = code_key(raw)
        catalogue = get_catalogue(self.env)
        aspect = catalogue.aspect(number) if catalogue and number else None
        omitted = "omitted" in self.options
        has_body = any(line.strip() for line in self.content)
        sdgs = parse_sdgs(self.env, self.options.get("sdg"), self.get_location())

        if aspect is not None:
            title_text = aspect_title(self.env, aspect.number, aspect.title)
            heading = f"Aspekt {aspect.code}: {title_text}"
            anchor = aspect.anchor
        else:
            # Unknown numbers are reported by the coverage check (on every build); render anyway
            # so that no content disappears.
            title_text = ""
            heading = f"Aspekt {raw}"
            anchor = "aspekt-" + re.sub(r"[^a-z0-9]+", "-", (number or raw).lower()).strip("-")

        section = nodes.section(classes=["bnk-aspect"])
        self.set_source_info(section)
        if anchor in self.state.document.ids:
            anchor = f"{anchor}-{self.lineno}"
        section["ids"].append(anchor)
        self.state.document.ids[anchor] = section
        section += verbatim(nodes.title(heading, heading))
        if sdgs:
            section += sdg_badges(sdgs)

        reason = ""
        body = nodes.container()
        outer = self.env.temp_data.get(TEMP_ASPECT)
        if outer is not None:
            note(
                self.env,
                f"Aspekt {raw} steht innerhalb von Aspekt {outer}; Aspekte stehen nebeneinander, nicht ineinander.",
                BnkWarning.ASPECT_MISPLACED,
                self.get_location(),
            )
        self.env.temp_data[TEMP_ASPECT] = raw
        try:
            self.state.nested_parse(self.content, self.content_offset, body)
        finally:
            self.env.temp_data[TEMP_ASPECT] = outer
        # Plain text of what is reported (or of the reason): the review diff compares it.
        text = " ".join(body.astext().split())
        if omitted:
            box = nodes.admonition(classes=["bnk-omitted"])
            box += nodes.title("", "Nicht berichtet – Begründung")
            box += body.children
            section += box
            reason = text
        else:
            section += body.children

        domain = get_bnk_domain(self.env)
        domain.note_aspect(
            self.env.docname,
            {
                # Without a valid catalogue the number cannot be checked; keep it for links.
                "number": number if aspect is not None or catalogue is None else None,
                "raw": raw,
                "title": heading,
                "line": self.lineno,
                "page_chapter": current_chapter(self.env),
                "omitted": omitted,
                "has_body": has_body,
                "reason": reason,
                "text": text,
                "sdgs": sdgs,
                "responsible": self.options.get("responsible", "").strip(),
                "anchor": anchor,
            },
        )
        domain.note_sdgs(self.env.docname, sdgs, anchor, heading)
        # An unknown or malformed number is reported once, by the coverage check.
        return [section]


def setup_aspects(app: Sphinx) -> None:
    """Register the aspect directive."""
    app.add_directive("bnk-aspect", AspectDirective)
