"""Colour checks for chart series: contrast against the background and colour-vision deficiency.

Pure functions, no Sphinx and no matplotlib: the chart code uses them to decide whether a
report's own primary colour may lead the palette, and the tests use them to prove the palette.

- Contrast is the WCAG 2.1 contrast ratio (relative luminance of sRGB); graphical objects need
  at least 3:1 (WCAG 1.4.11).
- Colour-vision deficiency is simulated with the matrices of Machado, Oliveira and Fernandes
  (2009) at severity 1.0 (protanopia, deuteranopia, tritanopia), applied in linear RGB.
- Colour difference is CIEDE2000 in CIELAB (D65).
"""

from __future__ import annotations

import math
import re

Rgb = tuple[float, float, float]

_HEX = re.compile(r"^#?([0-9a-fA-F]{6})$")

# Machado et al. (2009), severity 1.0, for linear RGB.
MACHADO: dict[str, tuple[Rgb, Rgb, Rgb]] = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
VISIONS = ("normal", *MACHADO)
MIN_CONTRAST = 3.0  # WCAG 2.1 SC 1.4.11 (non-text contrast)
MIN_DISTANCE = 12.0  # CIEDE2000 between any two series, under every vision


def parse_hex(colour: str) -> Rgb:
    """``"#19486A"`` → sRGB in 0…1.

    :raises ValueError: not a six-digit hex colour
    """
    match = _HEX.match(colour.strip())
    if not match:
        raise ValueError(f"keine Farbe im Format #RRGGBB: {colour!r}")
    digits = match.group(1)
    return (int(digits[0:2], 16) / 255, int(digits[2:4], 16) / 255, int(digits[4:6], 16) / 255)


def _to_linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _to_srgb(c: float) -> float:
    c = min(1.0, max(0.0, c))
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def luminance(colour: str) -> float:
    """WCAG relative luminance of an sRGB colour."""
    r, g, b = (_to_linear(c) for c in parse_hex(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(colour: str, background: str = "#FFFFFF") -> float:
    """WCAG contrast ratio between two colours (1 … 21)."""
    a, b = sorted((luminance(colour), luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def simulate(colour: str, vision: str) -> Rgb:
    """The sRGB colour (0…1) a person with ``vision`` sees (``"normal"`` returns it unchanged)."""
    rgb = parse_hex(colour)
    if vision == "normal":
        return rgb
    linear = [_to_linear(c) for c in rgb]
    matrix = MACHADO[vision]
    return tuple(_to_srgb(sum(m * c for m, c in zip(row, linear, strict=True))) for row in matrix)  # type: ignore[return-value]


def to_lab(rgb: Rgb) -> Rgb:
    """sRGB (0…1) → CIELAB (D65)."""
    r, g, b = (_to_linear(c) for c in rgb)
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def delta_e2000(lab1: Rgb, lab2: Rgb) -> float:
    """CIEDE2000 colour difference (Sharma, Wu and Dalal 2005)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    else:
        dh = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    dhh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_bar - 30))
        + 0.24 * math.cos(math.radians(2 * h_bar))
        + 0.32 * math.cos(math.radians(3 * h_bar + 6))
        - 0.20 * math.cos(math.radians(4 * h_bar - 63))
    )
    d_theta = 30 * math.exp(-(((h_bar - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_bar**7 / (cp_bar**7 + 25**7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (dhh / s_h) ** 2 + r_t * (dc / s_c) * (dhh / s_h))


def distance(a: str, b: str, vision: str = "normal") -> float:
    """CIEDE2000 difference of two colours as seen with ``vision``."""
    return delta_e2000(to_lab(simulate(a, vision)), to_lab(simulate(b, vision)))


def min_distance(colours: list[str]) -> tuple[float, str, str, str]:
    """The smallest pairwise difference over every vision: ``(ΔE, colour, colour, vision)``."""
    worst = (math.inf, "", "", "")
    for vision in VISIONS:
        for i, a in enumerate(colours):
            for b in colours[i + 1 :]:
                d = distance(a, b, vision)
                if d < worst[0]:
                    worst = (d, a, b, vision)
    return worst


def accessible(colours: list[str], background: str = "#FFFFFF") -> bool:
    """Whether every colour has 3:1 against the background and all stay apart under CVD."""
    if any(contrast(c, background) < MIN_CONTRAST for c in colours):
        return False
    return len(colours) < 2 or min_distance(colours)[0] >= MIN_DISTANCE
