"""Helpers shared by the directives: SDG option, badges, the current chapter of a page."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from docutils import nodes
from sphinx import addnodes

from bnk.boundary import BnkDirective
from bnk.data import BnkDataError
from bnk.data.sdgs import SDGS, parse_sdg_list
from bnk.warnings_ import BnkWarning, note

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

DATA_DIR = "data"
TEMP_CHAPTER = "bnk_chapter"
TEMP_EXAMPLE_COUNT = "bnk_example_count"


def current_chapter(env: BuildEnvironment) -> str | None:
    """The key of the chapter declared by the page being read (set by the ``bnk-heading`` role)."""
    return env.temp_data.get(TEMP_CHAPTER)


def parse_sdgs(env: BuildEnvironment, text: str | None, location: str | tuple[str, int | None]) -> list[int]:
    """Parse an ``:sdg:`` option; entries that are not SDGs 1–17 are problems of the page."""
    if not text:
        return []
    numbers, invalid = parse_sdg_list(text)
    for item in invalid:
        note(
            env,
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


E = TypeVar("E", bound=nodes.Element)


def verbatim(node: E) -> E:
    """Keep text from data files exactly as written: no smart quotes, no dash ligatures."""
    node["support_smartquotes"] = False
    return node


NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$")


class DataTableBase(BnkDirective):
    """Shared by ``bnk-table`` and ``bnk-measures``: find the CSV/YAML pair, report problems."""

    required_arguments = 1
    has_content = True
    kind = "Datentabelle"

    def data_paths(self, name: str, yaml_required: bool) -> tuple[Path, Path | None]:
        """``data/<name>.csv`` and ``.yaml``, noted as dependencies.

        :raises BnkDataError: bad name, a missing file, or a path out of ``data/``
        """
        if not NAME_RE.match(name):
            raise BnkDataError(f"„{name}“ ist kein gültiger Tabellenname (Kleinbuchstaben, Ziffern, -, /).")
        csv_path = data_file(self.env, f"{name}.csv")
        meta_path = data_file(self.env, f"{name}.yaml")
        for path in (csv_path, meta_path):
            if path is not None:
                self.env.note_dependency(str(path))
        if csv_path is None or (yaml_required and meta_path is None):
            missing = f"data/{name}.csv" if csv_path is None else f"data/{name}.yaml"
            raise BnkDataError(f"{self.kind} „{name}“: {missing} fehlt.")
        return csv_path, meta_path

    def failed(self, container: nodes.Element, exc: BnkDataError) -> list[nodes.Node]:
        """A located ``bnk.table`` warning (on every build) and a visible error box."""
        location: str | tuple[str, int | None] = (
            f"{exc.path}:{exc.line or 1}" if exc.path else self.get_location()  # type: ignore[assignment]
        )
        note(self.env, exc.msg, BnkWarning.TABLE, location)
        shown = exc.msg + (f" ({location})".replace(str(self.env.srcdir) + "/", "") if exc.path else "")
        container += error_box(shown)
        return [container]


Cell = str | nodes.Node
# Sequences (covariant), so that rows of plain text (``list[list[str]]``) are rows too.
Row = Sequence[Cell] | tuple[Sequence[Cell], list[str]]


def build_table(
    header: list[str],
    rows: Sequence[Row],
    widths: list[int],
    classes: list[str],
    caption: str = "",
    stubs: int = 0,
) -> nodes.table:
    """A real docutils table (rendered natively by every writer).

    :param rows: cells per row, or ``(cells, row classes)``; a cell is text, a paragraph, or an
        inline node that is wrapped in a paragraph
    :param widths: relative column widths
    :param caption: what the table shows; the HTML edition makes it the table's ``<caption>``
        (the print edition keeps its layout without one)
    :param stubs: number of leading columns that label their row (``<th scope="row">`` in HTML)
    """
    table = nodes.table(classes=classes)
    if caption:
        table["bnk_caption"] = caption
    tgroup = nodes.tgroup(cols=len(header))
    table += tgroup
    for i, width in enumerate(widths):
        colspec = nodes.colspec(colwidth=width)
        if i < stubs:
            colspec["stub"] = 1
        tgroup += colspec
    thead = nodes.thead()
    tgroup += thead
    head = nodes.row()
    for text in header:
        head += nodes.entry("", nodes.paragraph(text, text))
    thead += head
    tbody = nodes.tbody()
    tgroup += tbody
    for entry in rows:
        cells, row_classes = entry if isinstance(entry, tuple) else (entry, [])
        row = nodes.row(classes=row_classes)
        for cell in cells:
            if isinstance(cell, str):
                cell = nodes.paragraph(cell, cell)  # noqa: PLW2901 - normalised in place
            elif not isinstance(cell, nodes.paragraph):
                cell = nodes.paragraph("", "", cell)  # noqa: PLW2901
            row += nodes.entry("", cell)
        tbody += row
    return table
