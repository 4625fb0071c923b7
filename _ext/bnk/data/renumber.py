"""Move a report's pages to another catalogue edition (``bnk katalog umstellen``), text only.

Every ``bnk-aspect`` block gets its new code from the mapping (old → new); a block whose aspect has
no counterpart becomes a plain section "Nicht mehr im Katalog: Aspekt …" with its whole text, for
the author to move or delete. ``{bnk:aspect}`` references follow the mapping (or become plain
text), chapter headings ``{bnk-heading}`` become plain headings with the old chapter's title: the
new edition's aspects may stand on any page. No text is ever dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bnk.data.catalogue import code_key

_OPEN = re.compile(r"^(?P<fence>`{3,}|:{3,})\{bnk-aspect\}\s*(?P<code>\S+)\s*$")
_REF = re.compile(r"\{bnk:aspect\}`(?P<code>[^`]+)`")
_HEADING = re.compile(r"\{bnk-heading\}`(?P<code>[^`]+)`")


@dataclass
class Renumbered:
    """One page after the move: its text and what happened to which aspect."""

    text: str
    moved: list[tuple[str, str]] = field(default_factory=list)  # (old, new)
    dropped: list[str] = field(default_factory=list)  # old codes without counterpart


def _block_end(lines: list[str], start: int, fence: str) -> int:
    """The index of the line closing the block opened at ``start`` (or the last line)."""
    char = fence[0]
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if stripped and set(stripped) == {char} and len(stripped) >= len(fence):
            return index
    return len(lines) - 1


def renumber_page(
    text: str,
    mapping: dict[str, str],
    old_titles: dict[str, str],
    chapter_headings: dict[str, str],
) -> Renumbered:
    """The page with new aspect codes; dropped aspects as sections, nothing lost.

    :param mapping: old aspect key → new code (as the new catalogue writes it)
    :param old_titles: old aspect key → title (for the heading of a dropped aspect)
    :param chapter_headings: old chapter key → heading text ("Handlungsfeld 10: Klimaschutz …")
    """
    lines = text.split("\n")
    out: list[str] = []
    result = Renumbered("")
    index = 0
    while index < len(lines):
        line = lines[index]
        match = _OPEN.match(line)
        if match is None:
            out.append(line)
            index += 1
            continue
        old = match["code"]
        old_key = code_key(old)
        new = mapping.get(old_key) if isinstance(old_key, str) else None
        if new:
            out.append(f"{match['fence']}{{bnk-aspect}} {new}")
            result.moved.append((old, new))
            index += 1
            continue
        # No counterpart: the block's whole text becomes a section of its own.
        end = _block_end(lines, index, match["fence"])
        body = lines[index + 1 : end]
        options = []
        while body and body[0].startswith(":") and body[0].count(":") >= 2:
            options.append(body.pop(0))
        title = old_titles.get(old_key, "") if isinstance(old_key, str) else ""
        out.append(f"## Nicht mehr im Katalog: Aspekt {old}" + (f" – {title}" if title else ""))
        out.append("")
        out.append(f"% Aspekt {old} hat im neuen Katalog keine Entsprechung: bitte verschieben oder löschen.")
        out += [f"% Angabe des Blocks: {option}" for option in options]
        out += body
        result.dropped.append(old)
        index = end + 1
    text = "\n".join(out)

    def reference(found: re.Match[str]) -> str:
        old_key = code_key(found["code"])
        new = mapping.get(old_key) if isinstance(old_key, str) else None
        return f"{{bnk:aspect}}`{new}`" if new else f"Aspekt {found['code']}"

    def heading(found: re.Match[str]) -> str:
        old_key = code_key(found["code"])
        return chapter_headings.get(old_key, f"Kapitel {found['code']}") if isinstance(old_key, str) else found[0]

    text = _HEADING.sub(heading, _REF.sub(reference, text))
    result.text = text
    return result
