"""Change figures and German number formats: one rule for every number the report shows.

Rule (documented in the README):

- absolute change = newest − oldest shown value, with the decimals of the values;
- relative change = absolute / |oldest| × 100, one decimal; undefined (None) when oldest is 0;
- for units in percent the absolute change is in percentage points (``%P``);
- every non-zero change carries its sign, zero is shown as ``±0``;
- rounding is half away from zero on the exact decimal values (no binary floating point), with
  as many digits as the value has: 29 significant digits or a relative change from a tiny oldest
  value (``1e-30``) are formatted exactly, never cut at Python's default of 28 digits;
- numbers are formatted with Babel for ``de_DE`` (``2.220``, ``14,1 %``); years never get a
  thousands separator;
- negative numbers get the typographic minus sign U+2212 (``−0,5``) instead of Babel's
  hyphen-minus, in every output alike (tables, text, ticks, alt texts, export display strings);
  ``minus="-"`` gives the hyphen-minus where a machine needs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, getcontext, localcontext

from babel.numbers import format_decimal

LOCALE = "de_DE"
NBSP = "\u00a0"
MINUS = "\u2212"  # the typographic minus sign; Babel's de_DE writes the hyphen-minus "-"
UNDEFINED = "–"
PERCENT_UNITS = {"%", "Prozent", "in %", "% "}


def is_percent_unit(unit: str) -> bool:
    """Whether a unit is a percentage (its changes are given in percentage points)."""
    return unit.strip() in PERCENT_UNITS or unit.strip().startswith("%")


def decimals_of(text: str) -> int:
    """Number of decimals written in a machine-format number (``"96.40"`` → 2)."""
    text = text.strip().lower()
    if "e" in text:
        return 0
    return len(text.split(".", 1)[1]) if "." in text else 0


def _digits(value: Decimal, decimals: int) -> int:
    """Significant digits needed to write ``value`` with ``decimals`` places (at least the default)."""
    whole = value.adjusted() + 1 if value else 1
    return max(getcontext().prec, whole + max(decimals, 0) + 2)


def quantize(value: Decimal, decimals: int) -> Decimal:
    """Round half away from zero to ``decimals`` places, exactly, however many digits that takes."""
    with localcontext() as context:
        context.prec = _digits(value, decimals)
        return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(value: Decimal, decimals: int, sign: bool = False, minus: str = MINUS) -> str:
    """German format via Babel: ``format_number(Decimal("2220"), 0)`` → ``"2.220"``.

    :param sign: prefix ``+`` for positive and ``±`` for zero values (negative ones always
        carry ``minus``)
    :param minus: the sign of negative values: :data:`MINUS` (U+2212, default) or ``"-"``
    """
    rounded = quantize(value, decimals)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    with localcontext() as context:  # Babel rounds in the current context: give it every digit
        context.prec = _digits(rounded, decimals)
        text = format_decimal(rounded, format=pattern, locale=LOCALE, decimal_quantization=True)
    if rounded == 0:
        text = text.lstrip("-")
        return ("±" + text) if sign else text
    if sign and rounded > 0:
        return "+" + text
    return text.replace("-", minus, 1) if rounded < 0 else text


def format_year(year: int) -> str:
    """Years are written without a thousands separator (``2019``, never ``2.019``)."""
    return str(int(year))


@dataclass(frozen=True)
class Change:
    """The change between the oldest and the newest shown value."""

    absolute: Decimal
    relative: Decimal | None  # None: undefined (oldest value is 0)
    decimals: int
    percent_unit: bool

    @property
    def display_abs(self) -> str:
        """E.g. ``+44``, ``−625``, ``+0,9 %P``."""
        text = format_number(self.absolute, self.decimals, sign=True)
        return text + (f"{NBSP}%P" if self.percent_unit else "")

    @property
    def display_rel(self) -> str:
        """E.g. ``+14,1 %``; ``–`` when undefined."""
        if self.relative is None:
            return UNDEFINED
        return format_number(self.relative, 1, sign=True) + f"{NBSP}%"

    @property
    def relative_rounded(self) -> Decimal | None:
        """The relative change as shown (one decimal)."""
        return None if self.relative is None else quantize(self.relative, 1)

    @property
    def absolute_rounded(self) -> Decimal:
        """The absolute change as shown."""
        return quantize(self.absolute, self.decimals)


def compute_change(oldest: Decimal, newest: Decimal, decimals: int, percent_unit: bool) -> Change:
    """Absolute and relative change from ``oldest`` to ``newest`` by the report's one rule.

    The absolute change is exact; the relative one has every digit up to its shown decimal plus
    guard digits (a tiny oldest value gives a very large, but exactly rounded, percentage).
    """
    with localcontext() as context:
        # Exact difference: every digit from the larger magnitude down to the smaller exponent.
        exponents = [v.as_tuple().exponent for v in (oldest, newest)]
        low = min(e for e in exponents if isinstance(e, int))
        context.prec = max(context.prec, max(oldest.adjusted(), newest.adjusted()) + 2 - low)
        absolute = newest - oldest
        if oldest == 0:
            return Change(absolute, None, decimals, percent_unit)
        # The quotient's magnitude is at most 10^(difference of magnitudes + 3) percent.
        context.prec = max(context.prec, absolute.adjusted() - abs(oldest).adjusted() + 3 + 1 + 12)
        relative = absolute / abs(oldest) * 100
    return Change(absolute, relative, decimals, percent_unit)


def format_size(size: int) -> str:
    """A file size in German notation, decimal units: ``4_100_000`` → ``"4,1 MB"``, ``48_213`` → ``"48 kB"``.

    :param size: bytes
    """
    if size >= 1_000_000:
        return f"{format_number(Decimal(size) / 1_000_000, 1)}{NBSP}MB"
    if size >= 1_000:
        return f"{format_number(Decimal(size) / 1_000, 0)}{NBSP}kB"
    return f"{format_number(Decimal(size), 0)}{NBSP}Byte"
