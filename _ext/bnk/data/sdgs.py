"""The 17 Sustainable Development Goals: German short titles and official colours."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sdg:
    """One SDG with its official colour and a text colour of sufficient contrast."""

    number: int
    title: str
    colour: str

    @property
    def text_colour(self) -> str:
        """White or near-black, whichever contrasts more with the badge colour (WCAG)."""
        white = contrast_ratio(self.colour, "#FFFFFF")
        dark = contrast_ratio(self.colour, "#1A1A1A")
        return "#FFFFFF" if white >= dark else "#1A1A1A"

    @property
    def anchor(self) -> str:
        """Anchor on the SDG index page, e.g. ``sdg-13``."""
        return f"sdg-{self.number}"


# Official colours of the UN SDG communication guidelines; German short titles as used by the
# Bundesregierung.
SDGS: dict[int, Sdg] = {
    s.number: s
    for s in (
        Sdg(1, "Keine Armut", "#E5243B"),
        Sdg(2, "Kein Hunger", "#DDA63A"),
        Sdg(3, "Gesundheit und Wohlergehen", "#4C9F38"),
        Sdg(4, "Hochwertige Bildung", "#C5192D"),
        Sdg(5, "Geschlechtergleichheit", "#FF3A21"),
        Sdg(6, "Sauberes Wasser und Sanitäreinrichtungen", "#26BDE2"),
        Sdg(7, "Bezahlbare und saubere Energie", "#FCC30B"),
        Sdg(8, "Menschenwürdige Arbeit und Wirtschaftswachstum", "#A21942"),
        Sdg(9, "Industrie, Innovation und Infrastruktur", "#FD6925"),
        Sdg(10, "Weniger Ungleichheiten", "#DD1367"),
        Sdg(11, "Nachhaltige Städte und Gemeinden", "#FD9D24"),
        Sdg(12, "Nachhaltige/r Konsum und Produktion", "#BF8B2E"),
        Sdg(13, "Maßnahmen zum Klimaschutz", "#3F7E44"),
        Sdg(14, "Leben unter Wasser", "#0A97D9"),
        Sdg(15, "Leben an Land", "#56C02B"),
        Sdg(16, "Frieden, Gerechtigkeit und starke Institutionen", "#00689D"),
        Sdg(17, "Partnerschaften zur Erreichung der Ziele", "#19486A"),
    )
}


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def parse_sdg_list(text: str) -> tuple[list[int], list[str]]:
    """Parse ``"7, 13"`` into ``[7, 13]``; also return the entries that are not SDGs 1–17."""
    numbers: list[int] = []
    invalid: list[str] = []
    for part in text.replace(";", ",").split(","):
        item = part.strip().upper().removeprefix("SDG").strip()
        if not item:
            continue
        if item.isascii() and item.isdigit() and int(item) in SDGS:
            if int(item) not in numbers:
                numbers.append(int(item))
        else:
            invalid.append(part.strip())
    return sorted(numbers), invalid
