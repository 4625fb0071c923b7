"""The ``bnk-kernindikator`` directive: a Kernindikator that the report does not show, and why.

A Kernindikator is shown by an ``indicator`` whose metadata names it (``kernindikator: "7"``).
One that the report cannot show yet is explained where the reader looks for it::

    ```{bnk-kernindikator} 7
    Die Daten liegen auf Kreisebene nicht vor; …
    ```

Without a reason the directive is an open placeholder (``bnk new`` writes one per Kernindikator):
the build reports it as missing until the indicator is shown or the reason is written.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes

from bnk.boundary import BnkDirective
from bnk.config import catalogue_path, get_catalogue
from bnk.data.catalogue import code_key
from bnk.directives._common import verbatim
from bnk.domain import get_bnk_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

    from bnk.data.records import CoreRecord


class CoreIndicatorDirective(BnkDirective):
    """``{bnk-kernindikator} 7``: body = the reason why the Kernindikator is not shown."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        raw = self.arguments[0]
        key = code_key(raw)
        catalogue = get_catalogue(self.env)
        self.env.note_dependency(str(catalogue_path(self.env)))
        core = catalogue.core_indicator(key) if catalogue and key else None
        has_body = any(line.strip() for line in self.content)
        label = core.label if core else f"Kernindikator {raw}"
        anchor = core.anchor if core else "kernindikator-" + re.sub(r"[^a-z0-9]+", "-", raw.lower()).strip("-")
        if anchor in self.state.document.ids:
            anchor = f"{anchor}-{self.lineno}"
        box = nodes.admonition(classes=["bnk-omitted", "bnk-core-indicator"], ids=[anchor])
        self.set_source_info(box)
        self.state.document.ids[anchor] = box
        title = f"{label}: {core.title}" if core else label
        state = "nicht gezeigt – Begründung" if has_body else "noch offen"
        box += verbatim(nodes.title("", f"{title} ({state})"))
        if core is not None and (core.definition or core.unit):
            facts = " · ".join(part for part in (core.definition, f"Einheit: {core.unit}" if core.unit else "") if part)
            box += verbatim(nodes.paragraph(facts, facts, classes=["bnk-core-definition"]))
        body = nodes.container(classes=["bnk-reason"])
        self.state.nested_parse(self.content, self.content_offset, body)
        box += body.children
        record: CoreRecord = {
            "code": key if core is not None or catalogue is None else None,
            "raw": raw,
            "line": self.lineno,
            "omitted": True,
            "has_body": has_body,
            "reason": " ".join(body.astext().split()),
            "anchor": anchor,
        }
        get_bnk_domain(self.env).note_core(self.env.docname, record)
        return [box]


def setup_core_indicators(app: Sphinx) -> None:
    """Register the Kernindikator directive."""
    app.add_directive("bnk-kernindikator", CoreIndicatorDirective)
