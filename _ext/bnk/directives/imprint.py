"""``bnk-imprint``: the imprint (Impressum) of the web edition, from the report model.

The same blocks as the imprint page of the print edition (:meth:`bnk.data.report.Report.imprint`):
one source, two media.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes

from bnk.boundary import BnkDirective
from bnk.config import get_report

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec


class ImprintDirective(BnkDirective):
    """The Impressum: who publishes the report, who edits it, how to reach them."""

    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        result: list[nodes.Node] = []
        for label, lines in get_report(self.env).imprint():
            block = nodes.line_block(classes=["bnk-imprint"])
            block += nodes.line("", "", nodes.strong(label, label))
            for line in lines:
                if line.startswith(("https://", "http://")):
                    block += nodes.line("", "", nodes.reference(line, line, refuri=line))
                else:
                    block += nodes.line(line, line)
            self.set_source_info(block)
            result.append(block)
        return result


def setup_imprint(app: Sphinx) -> None:
    """Register the imprint directive."""
    app.add_directive("bnk-imprint", ImprintDirective)
