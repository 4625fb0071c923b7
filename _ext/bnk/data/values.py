"""Figures in running text: a value, a change, a count or a share, computed from the data files.

A reference names where the figure comes from and what to compute (the syntax of the
``bnk:wert`` role, documented in the README)::

    <indicator>:<op>[:<series>][:<year>|<from>-<to>]      op: value, year, change_abs, change_rel,
                                                          difference
    tabellen/<name>:<op>[:<column>=<value>][:<number column>]   op: count, share, value, sum

Every figure is formatted by the same rule as the tables (``numbers.py``): Babel ``de_DE``,
sign on changes, ``%P`` for changes of percentages. Comparison figures that the data files do
not hold as a series come from the indicator's documented ``comparisons`` metadata.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from babel.numbers import format_percent

from bnk.data import BnkDataError
from bnk.data.indicator import DEFAULT_POINTS, build_view
from bnk.data.numbers import (
    LOCALE,
    NBSP,
    compute_change,
    decimals_of,
    format_number,
    format_year,
    is_percent_unit,
)

__all__ = ["DEFAULT_POINTS", "Figure", "Reference", "indicator_figure", "parse_reference", "table_figure"]

if TYPE_CHECKING:
    from bnk.data.csvdata import IndicatorData, Series
    from bnk.data.indicator import IndicatorView
    from bnk.data.metadata import Comparison, IndicatorMeta
    from bnk.data.numbers import Change
    from bnk.data.tables import TableData

INDICATOR_OPS = ("value", "year", "change_abs", "change_rel", "difference")
TABLE_OPS = ("count", "share", "value", "sum")
TABLE_PREFIX = "tabellen/"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
# re.ASCII: "٢٠٢٠" (Arabic-Indic digits) is no year of the report, as in the data files.
_YEAR = re.compile(r"^\d{4}$", re.ASCII)
_PERIOD = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$", re.ASCII)


@dataclass(frozen=True)
class Reference:
    """A parsed reference: the data source, the operation and its selectors."""

    text: str
    source: str  # indicator id, or "tabellen/<name>"
    op: str
    series: str = ""  # "" = the Kommune's own series
    years: tuple[int, ...] = ()  # one year, or (from, to)
    filters: tuple[tuple[str, str], ...] = ()  # table: (column, value); value "*" = any non-empty
    column: str = ""  # table: the number column

    @property
    def is_table(self) -> bool:
        """Whether the figure comes from a data table (``bnk-table``)."""
        return self.source.startswith(TABLE_PREFIX)


@dataclass(frozen=True)
class Figure:
    """A computed figure, as shown in the text, with what it was computed from."""

    reference: str
    text: str  # exactly as shown, e.g. "+14,1 %"
    number: str | None  # the exact value in machine format (None for a year)
    source: str
    op: str
    series: str
    years: tuple[int, ...]
    origin: str  # "data", "comparison" (documented metadata) or "table"
    note: str = ""  # for comparison metadata: period and source, in German


def parse_reference(text: str) -> Reference:
    """Parse ``strom-windkraft:change_rel:NRW`` and the like.

    :raises BnkDataError: with a German message naming the problem (no location: the caller has it)
    """
    parts = [p.strip() for p in text.strip().split(":")]
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise BnkDataError(
            f"„{text}“ ist kein gültiger Wertverweis: erwartet „<indikator>:<größe>“, "
            "z. B. „strom-windkraft:change_rel“ oder „tabellen/<name>:count:<spalte>=<wert>“."
        )
    source, op, rest = parts[0], parts[1], parts[2:]
    if source.startswith(TABLE_PREFIX):
        if not _ID.match(source[len(TABLE_PREFIX) :]):
            raise BnkDataError(f"„{source}“ ist kein gültiger Tabellenname.")
        if op not in TABLE_OPS:
            raise BnkDataError(f"Unbekannte Größe „{op}“ für eine Tabelle; erlaubt: {', '.join(TABLE_OPS)}.")
        filters = tuple(tuple(p.split("=", 1)) for p in rest if "=" in p)
        columns = [p for p in rest if p and "=" not in p]  # "tabellen/t:value:" names no column
        if len(columns) > 1:
            raise BnkDataError(f"„{text}“ nennt mehr als eine Zahlenspalte: {', '.join(columns)}.")
        if op in ("value", "sum") and not columns:
            raise BnkDataError(
                f"„{op}“ braucht eine Zahlenspalte, z. B. „{source}:{op}:<spalte>=<wert>:<zahlenspalte>“."
            )
        if op == "share" and not filters:
            raise BnkDataError("„share“ braucht eine Bedingung, z. B. „zusammenarbeit_kommunen=ja“.")
        return Reference(text, source, op, filters=filters, column=columns[0] if columns else "")  # type: ignore[arg-type]
    if not _ID.match(source):
        raise BnkDataError(f"„{source}“ ist keine gültige Indikator-ID.")
    if op not in INDICATOR_OPS:
        raise BnkDataError(f"Unbekannte Größe „{op}“; erlaubt: {', '.join(INDICATOR_OPS)}.")
    series = ""
    years: tuple[int, ...] = ()
    for part in rest:
        period = _PERIOD.match(part)
        if _YEAR.match(part):
            years = (int(part),)
        elif period:
            years = (int(period[1]), int(period[2]))
            if years[0] >= years[1]:  # "2019-2015" read as given would compare backwards
                raise BnkDataError(f"Zeitraum „{part}“ in „{text}“: das erste Jahr muss vor dem zweiten liegen.")
        elif part and not series:
            series = part
        else:
            raise BnkDataError(f"„{part}“ in „{text}“ ist weder ein Jahr noch ein Zeitraum noch eine Reihe.")
    if op == "difference" and not series:
        raise BnkDataError(
            "„difference“ braucht eine Vergleichsreihe, z. B. „fairtrade-town:difference:alle Kommunen“."
        )
    return Reference(text, source, op, series, years)


def _comparison(meta: IndicatorMeta, name: str) -> Comparison | None:
    for comparison in meta.comparisons:
        if comparison.name == name:
            return comparison
    return None


def comparison_note(comparison: Comparison) -> str:
    """What the metadata says about a comparison figure (shown with the indicator)."""
    figures = []
    if comparison.value is not None:
        year = f" ({format_year(comparison.year)})" if comparison.year else ""
        figures.append(f"Wert{year} {format_number(comparison.value, decimals_of(str(comparison.value)))}")
    if comparison.change_abs is not None:
        figures.append(
            "absolute Veränderung "
            + format_number(comparison.change_abs, decimals_of(str(comparison.change_abs)), sign=True)
        )
    if comparison.change_rel is not None:
        figures.append(f"relative Veränderung {format_number(comparison.change_rel, 1, sign=True)}{NBSP}%")
    period = comparison.period or "Zeitraum nicht angegeben"
    return f"Vergleich {comparison.label}: {', '.join(figures)} ({period}; Quelle: {comparison.source})."


def indicator_figure(
    ref: Reference,
    meta: IndicatorMeta,
    data: IndicatorData | None,
    report_year: int | None,
    kommune: str = "Kommune",
) -> Figure:
    """Compute the figure an indicator reference names, from the indicator's ``IndicatorView``.

    The view is the one the indicator table is rendered from (default: the last three points up
    to the report year), so a change in the text is the change in the table.

    :param report_year: later data points are neither shown nor used (as in the indicator table)
    :raises BnkDataError: when the reference does not resolve (no such series, year or comparison)
    """
    view = build_view(meta, data, kommune=kommune, report_year=report_year)
    known = {s.name for s in view.series_up_to_report if s.name}
    if ref.series and ref.series not in known:
        comparison = _comparison(meta, ref.series)
        if comparison is None:
            names = sorted(({s.name for s in data.others} if data else set()) | {c.name for c in meta.comparisons})
            raise BnkDataError(
                f"Indikator „{ref.source}“ hat keine Reihe und keinen Vergleich „{ref.series}“"
                + (f" (vorhanden: {', '.join(names)})." if names else ".")
            )
        if ref.op == "difference":
            return _difference_to_comparison(ref, meta, comparison, view)
        return _comparison_figure(ref, meta, comparison)
    if not view.has_data:
        raise BnkDataError(f"Indikator „{ref.source}“ hat keine Daten.")
    if view.error is not None:
        raise BnkDataError(view.error.msg, view.error.path, view.error.line)
    series = _series_of(view, ref.series)
    if not series.years:
        raise BnkDataError(f"Reihe „{ref.series or 'Kommune'}“ von „{ref.source}“ hat keine Werte bis {report_year}.")

    if ref.op in ("value", "year", "difference"):
        if len(ref.years) > 1:
            raise BnkDataError(f"„{ref.op}“ braucht ein Jahr, keinen Zeitraum.")
        year = ref.years[0] if ref.years else series.years[-1]
        if ref.op == "year":
            view.value(year, ref.series or None)  # raises when there is no value that year
            return _figure(ref, format_year(year), None, (year,), "data")
        value = view.value(year, ref.series or None).value
        if ref.op == "difference":
            value -= view.value(year).value
        return _figure(ref, format_number(value, view.decimals), value, (year,), "data")

    if len(ref.years) == 1:
        raise BnkDataError("Eine Veränderung braucht einen Zeitraum („2015-2018“), kein einzelnes Jahr.")
    change: Change | None
    period: tuple[int, ...]
    if ref.years:
        first, last = ref.years
        change = compute_change(
            view.value(first, ref.series or None).value,
            view.value(last, ref.series or None).value,
            view.decimals,
            view.percent,
        )
        period = (first, last)
    else:
        change = view.change(ref.series or None)
        period = (view.years[0], view.years[-1]) if view.years else ()
    if change is None or len(period) < 2:
        raise BnkDataError(f"Zu wenige Datenpunkte für eine Veränderung von „{ref.source}“.")
    if ref.op == "change_abs":
        return _figure(ref, change.display_abs, change.absolute_rounded, period, "data")
    if change.relative is None:
        raise BnkDataError(f"Die relative Veränderung von „{ref.source}“ ist nicht definiert: der älteste Wert ist 0.")
    return _figure(ref, change.display_rel, change.relative_rounded, period, "data")


def _figure(
    ref: Reference, text: str, number: Decimal | None, years: tuple[int, ...], origin: str, note: str = ""
) -> Figure:
    return Figure(
        reference=ref.text,
        text=text,
        number=None if number is None else str(number),
        source=ref.source,
        op=ref.op,
        series=ref.series,
        years=years,
        origin=origin,
        note=note,
    )


def _series_of(view: IndicatorView, name: str) -> Series:
    """A series of the view (up to the report year); ``""`` is the Kommune's own."""
    for series in view.series_up_to_report:
        if series.name == name:
            return series
    raise BnkDataError(f"Indikator „{view.meta.id}“ hat keine Reihe „{name or 'Kommune'}“.")


def _difference_to_comparison(
    ref: Reference, meta: IndicatorMeta, comparison: Comparison, view: IndicatorView
) -> Figure:
    """``fairtrade-town:difference:alle Kommunen``: the comparison value minus the Kommune's value."""
    if comparison.value is None:
        raise BnkDataError(f"Der Vergleich „{comparison.name}“ von „{ref.source}“ nennt keinen Wert (value).")
    if not view.has_data or view.error is not None or view.headline is None:
        raise BnkDataError(f"Indikator „{ref.source}“ hat keine Daten.")
    own = _series_of(view, "")
    year = ref.years[0] if ref.years else comparison.year or own.years[-1]
    value = comparison.value - view.value(year).value
    decimals = max(view.decimals, decimals_of(str(comparison.value)))
    return _figure(ref, format_number(value, decimals), value, (year,), "data", comparison_note(comparison))


def _comparison_figure(ref: Reference, meta: IndicatorMeta, comparison: Comparison) -> Figure:
    note = comparison_note(comparison)
    years = (comparison.year,) if comparison.year else ()
    if ref.op == "value" and comparison.value is not None:
        value = comparison.value
        return _figure(ref, format_number(value, decimals_of(str(value))), value, years, "comparison", note)
    if ref.op == "change_abs" and comparison.change_abs is not None:
        value = comparison.change_abs
        text = format_number(value, decimals_of(str(value)), sign=True)
        if is_percent_unit(meta.unit):
            text += f"{NBSP}%P"
        return _figure(ref, text, value, years, "comparison", note)
    if ref.op == "change_rel" and comparison.change_rel is not None:
        value = comparison.change_rel
        return _figure(ref, format_number(value, 1, sign=True) + f"{NBSP}%", value, years, "comparison", note)
    raise BnkDataError(
        f"Der Vergleich „{comparison.name}“ von „{ref.source}“ nennt keinen Wert für „{ref.op}“ "
        "(in den Metadaten: value, change_abs oder change_rel)."
    )


def _matches(cell: str, wanted: str) -> bool:
    return bool(cell) if wanted == "*" else cell == wanted


def table_figure(ref: Reference, table: TableData) -> Figure:
    """Compute a count, share, value or sum from a data table.

    :raises BnkDataError: for an unknown column, a non-number column or an ambiguous value
    """
    names = [c.name for c in table.columns]
    for column, _ in ref.filters:
        if column not in names:
            raise BnkDataError(
                f"Die Tabelle „{ref.source}“ hat keine Spalte „{column}“ (vorhanden: {', '.join(names)})."
            )
    if ref.column and ref.column not in names:
        raise BnkDataError(
            f"Die Tabelle „{ref.source}“ hat keine Spalte „{ref.column}“ (vorhanden: {', '.join(names)})."
        )
    indexes = [(names.index(c), v) for c, v in ref.filters]
    rows = [r for r, row in enumerate(table.rows) if all(_matches(row[i], v) for i, v in indexes)]
    if ref.op == "count":
        return _figure(ref, format_number(Decimal(len(rows)), 0), Decimal(len(rows)), (), "table")
    if ref.op == "share":
        total = len(table.rows)
        share = Decimal(len(rows)) / Decimal(total) if total else Decimal(0)
        text = format_percent(share, format=f"#,##0{NBSP}%", locale=LOCALE)
        return _figure(ref, text, (share * 100).quantize(Decimal("0.01")), (), "table")
    index = names.index(ref.column)
    if table.columns[index].type != "number":
        raise BnkDataError(f"Die Spalte „{ref.column}“ von „{ref.source}“ ist keine Zahlenspalte (type: number).")
    cells = [(table.numbers[(r, index)], table.rows[r][index]) for r in rows if (r, index) in table.numbers]
    if ref.op == "value":
        if len(cells) != 1:
            raise BnkDataError(
                f"„{ref.text}“ trifft {len(cells)} Zeilen mit einem Wert; für „value“ muss es genau eine sein."
            )
        value, text = cells[0]
        return _figure(ref, format_number(value, decimals_of(text)), value, (), "table")
    total_value = sum((v for v, _ in cells), Decimal(0))
    decimals = max((decimals_of(t) for _, t in cells), default=0)
    return _figure(ref, format_number(total_value, decimals), total_value, (), "table")
