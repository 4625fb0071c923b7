"""Column widths of the print tables, in points, from the widths of the set text.

Table text is set in the report's fonts (DejaVu Serif; the header row in DejaVu Sans, as Sphinx
sets it) at the table size of ``bnkreport``. The width of a word or a number is the sum of the
advance widths of its glyphs in the font itself (fontTools reads the DejaVu fonts that ship with
matplotlib – the same family XeLaTeX sets the PDF with), so a column is never narrower than what
cannot break in it:

- a number column is at least as wide as its widest number (a number never breaks);
- a text column is at least as wide as its longest unbreakable piece: text breaks at spaces,
  after a hyphen or dash, and after "/" (``bnkreport`` makes "/" in table cells a break point);
  a word of letters only longer than ``WHOLE_UP_TO`` characters may hyphenate (German patterns
  find a hyphen point within every ten letters or so), so only its first ``HYPHEN_PIECE``
  letters and a hyphen count;
- what is left of the line goes to the columns in proportion to how much longer their texts are.

A table whose minimums do not fit the line is reported as not fitting; ``bnk.latex`` then stacks
it (every column below the first becomes a line of its own).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes

from bnk.latex.package import FONT_SCALE, MONO_SCALE, TABLE_SIZE_PT, TEXTWIDTH_PT

TABCOLSEP_PT = 6.0  # LaTeX's \tabcolsep on each side of a cell (Sphinx's \X columns subtract both)
SLACK_PT = 1.0  # rounding of the width specs and kerning: a cell never gets exactly its minimum
WHOLE_UP_TO = 14  # letters-only words up to this length stay whole (their hyphen points may be late)
HYPHEN_PIECE = 10  # a longer word hyphenates: its first piece needs at most this many letters
NUMERIC_RE = re.compile(r"^[+\-−±]?[\d.,]+(\s?(%|%P|‰))?[¹²³]?$|^–$")
# Break opportunities: after a space, a hyphen or dash, a slash.
PUNCTUATION = "\"'„“”‚‘’»«()[]{}.,;:!?"
PIECE_RE = re.compile(r"[^\s\-–/]*[\-–/]?")

SERIF, SERIF_BOLD, SANS, SANS_BOLD, MONO = "serif", "serif-bold", "sans", "sans-bold", "mono"
FONT_FILES = {
    SERIF: "DejaVuSerif.ttf",
    SERIF_BOLD: "DejaVuSerif-Bold.ttf",
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    MONO: "DejaVuSansMono.ttf",
}


@functools.cache
def _advances(face: str) -> tuple[dict[int, int], int, int]:
    """Advance widths by code point, the width of an unknown glyph, units per em."""
    import matplotlib
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / FONT_FILES[face]
    font = TTFont(str(path), lazy=True)
    metrics = font["hmtx"].metrics
    widths = {code: metrics[name][0] for code, name in font.getBestCmap().items() if name in metrics}
    units = int(font["head"].unitsPerEm)
    return widths, max(widths.values()), units


def text_width(text: str, face: str = SERIF, size: float = TABLE_SIZE_PT) -> float:
    """Width of ``text`` on one line, in TeX points (kerning aside)."""
    widths, unknown, units = _advances(face)
    scale = size * (MONO_SCALE / FONT_SCALE if face == MONO else 1.0) / units
    return sum(widths.get(ord(char), unknown) for char in text) * scale


def pieces(text: str) -> list[str]:
    """The parts of ``text`` between which a table cell can break (hyphenation aside)."""
    return [p for p in PIECE_RE.findall(text) if p]


def piece_width(piece: str, face: str) -> float:
    """The narrowest a piece can be set: letters-only words may hyphenate after some letters."""
    word = piece.rstrip("-–/").strip(PUNCTUATION)
    if word.isalpha() and len(word) > WHOLE_UP_TO:
        # The first letters with the hyphen; the rest of the word may hyphenate again.
        lead = piece[: piece.index(word)] + word[:HYPHEN_PIECE] + "-"
        return text_width(lead, face)
    return text_width(piece, face)


@dataclass(frozen=True)
class Cell:
    """A cell's text runs with their faces, e.g. (("Status: ", "serif-bold"), ("ja", "serif"))."""

    runs: tuple[tuple[str, str], ...]

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs).strip()

    def natural(self) -> float:
        """Width of the whole cell on one line (each paragraph on its own line)."""
        lines = [0.0]
        for text, face in self.runs:
            for i, part in enumerate(text.split("\n")):
                if i:
                    lines.append(0.0)
                lines[-1] += text_width(part, face)
        return max(lines)

    def minimum(self, *, numeric: bool) -> float:
        """Width of the widest piece that cannot break (a number as a whole)."""
        if numeric:
            return self.natural()
        return max(
            (piece_width(p, face) for text, face in self.runs for p in pieces(text)),
            default=0.0,
        )


def _face(node: nodes.Node, header: bool) -> str:
    bold = False
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.entry):
        if isinstance(parent, nodes.literal):
            return MONO
        if isinstance(parent, nodes.strong):
            bold = True
        parent = parent.parent
    if header:
        return SANS_BOLD if bold else SANS
    return SERIF_BOLD if bold else SERIF


def cell_of(entry: nodes.entry, header: bool = False) -> Cell:
    """The text runs of a table entry with the faces they are set in."""
    runs: list[tuple[str, str]] = []
    for paragraph_index, block in enumerate(entry.children):
        if paragraph_index:
            runs.append(("\n", SERIF))
        for text in block.findall(nodes.Text):
            runs.append((str(text), _face(text, header)))
    return Cell(tuple(runs))


@dataclass(frozen=True)
class Column:
    head: tuple[Cell, ...]
    body: tuple[Cell, ...]

    @property
    def numeric(self) -> bool:
        texts = [c.text for c in self.body if c.text]
        return bool(texts) and all(NUMERIC_RE.match(t) for t in texts)

    def minimum(self) -> float:
        numeric = self.numeric
        return max(
            [c.minimum(numeric=False) for c in self.head] + [c.minimum(numeric=numeric) for c in self.body],
            default=0.0,
        )

    def natural(self) -> float:
        return max([c.natural() for c in (*self.head, *self.body)], default=0.0)


def columns_of(table: nodes.table) -> list[Column]:
    """The columns of a docutils table: header cells and body cells, by position."""
    tgroup = next(iter(table.findall(nodes.tgroup)))
    cols = int(tgroup["cols"])
    head: list[list[Cell]] = [[] for _ in range(cols)]
    body: list[list[Cell]] = [[] for _ in range(cols)]
    for part, store, header in ((nodes.thead, head, True), (nodes.tbody, body, False)):
        for section in tgroup.findall(part):
            for row in section.findall(nodes.row):
                for i, entry in enumerate(row.findall(nodes.entry)):
                    if i < cols:
                        store[i].append(cell_of(entry, header))
    return [Column(tuple(h), tuple(b)) for h, b in zip(head, body, strict=True)]


def overhead(count: int) -> float:
    """What a row of ``count`` cells takes besides their text."""
    return count * (2 * TABCOLSEP_PT + SLACK_PT)


def fits(columns: list[Column], width: float = TEXTWIDTH_PT) -> bool:
    """Whether every column gets at least its minimum in the line."""
    return sum(c.minimum() for c in columns) + overhead(len(columns)) <= width


def content_widths(columns: list[Column], width: float = TEXTWIDTH_PT) -> list[float]:
    """The width of each column's text in points; together with the overhead the full line.

    Every column gets its minimum (if the table fits at all); the rest of the line goes to the
    columns in proportion to how much their natural width exceeds their minimum, and, when every
    column has its natural width, in proportion to the natural widths.
    """
    minimums = [c.minimum() for c in columns]
    naturals = [max(c.natural(), m) for c, m in zip(columns, minimums, strict=True)]
    room = width - overhead(len(columns))
    if sum(naturals) <= room:
        spare = room - sum(naturals)
        total = sum(naturals) or 1.0
        return [n + spare * n / total for n in naturals]
    if sum(minimums) > room:
        # Does not fit even at the minimums: shrink in proportion (the caller stacks such tables).
        total = sum(minimums) or 1.0
        return [max(room, 0.0) * m / total for m in minimums]
    spare = room - sum(minimums)
    extra = [n - m for n, m in zip(naturals, minimums, strict=True)]
    total_extra = sum(extra) or 1.0
    return [m + spare * e / total_extra for m, e in zip(minimums, extra, strict=True)]


def spec_units(contents: list[float]) -> list[int]:
    """Widths for Sphinx's ``\\X{a}{b}`` columns, in tenths of a point including the cell padding."""
    return [math.floor((w + 2 * TABCOLSEP_PT + SLACK_PT) * 10) for w in contents]


def row_lines(columns: list[Column], contents: list[float]) -> int:
    """Lines of the tallest body row when the columns have these widths (10 % for ragged lines)."""
    rows = max((len(c.body) for c in columns), default=0)
    tallest = 0
    for r in range(rows):
        lines = max(
            (
                math.ceil(1.1 * col.body[r].natural() / max(w, 1.0))
                for col, w in zip(columns, contents, strict=True)
                if r < len(col.body)
            ),
            default=0,
        )
        tallest = max(tallest, lines)
    return tallest
