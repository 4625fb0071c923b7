"""Helpers shared by the directives: SDG option, badges, the current chapter of a page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

from bnk.data import BnkDataError
from bnk.data.sdgs import SDGS, parse_sdg_list
from bnk.warnings_ import BnkWarning, warn

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

DATA_DIR = "data"
TEMP_CHAPTER = "bnk_chapter"
TEMP_EXAMPLE_COUNT = "bnk_example_count"


def current_chapter(env: BuildEnvironment) -> int | None:
    """The chapter declared by the page being read (set by the ``bnk-heading`` role)."""
    return env.temp_data.get(TEMP_CHAPTER)


def parse_sdgs(text: str | None, location: tuple[str, int | None] | nodes.Node) -> list[int]:
    """Parse an ``:sdg:`` option; warn about entries that are not SDGs 1–17."""
    if not text:
        return []
    numbers, invalid = parse_sdg_list(text)
    for item in invalid:
        warn(
            f"„{item}“ ist kein SDG; erlaubt sind die Nummern 1 bis 17.",
            BnkWarning.SDG,
            location,
        )
    return numbers


def sdg_badges(numbers: list[int]) -> nodes.paragraph:
    """A paragraph of SDG badges in the official colours, each linked to the SDG index."""
    para = nodes.paragraph(classes=["bnk-sdgs"])
    for i, number in enumerate(numbers):
        if i:
            para += nodes.Text(" ")
        sdg = SDGS[number]
        badge = nodes.inline("", "", classes=["bnk-sdg", f"bnk-sdg-{number}"])
        # Number and title are separate inlines: print boxes only the number in colour, so that
        # a long title can still break across lines.
        badge += nodes.inline(f"SDG {number}", f"SDG {number}", classes=["bnk-sdg-num"])
        badge += nodes.inline(f" {sdg.title}", f" {sdg.title}", classes=["bnk-sdg-title"])
        ref = addnodes.pending_xref(
            "",
            badge,
            refdomain="bnk",
            reftype="sdg",
            reftarget=str(number),
            refexplicit=True,
            refwarn=False,
        )
        para += ref
    return para


def data_file(env: BuildEnvironment, name: str) -> Path | None:
    """``data/<name>`` of the report, or None if it does not exist.

    Names are checked by the callers (letters, digits, ``-``, ``/``); a file that resolves outside
    ``data/`` (``..``, absolute paths, symbolic links) is refused.

    :raises BnkDataError: when the file leaves the data directory
    """
    data_dir = (Path(env.srcdir) / DATA_DIR).resolve()
    path = Path(env.srcdir) / DATA_DIR / name
    if not path.exists():
        return None
    if not path.resolve().is_relative_to(data_dir):
        raise BnkDataError(f"{DATA_DIR}/{name} zeigt aus dem Datenverzeichnis hinaus; nicht erlaubt.", str(path), 1)
    return path


def error_box(message: str, title: str = "Fehler in den Daten") -> nodes.admonition:
    """A visible error in the output: nothing disappears silently."""
    box = nodes.admonition(classes=["error", "bnk-error"])
    box += nodes.title("", title)
    box += nodes.paragraph(message, message)
    return box


def verbatim(node: nodes.Element) -> nodes.Element:
    """Keep text from data files exactly as written: no smart quotes, no dash ligatures."""
    node["support_smartquotes"] = False
    return node
