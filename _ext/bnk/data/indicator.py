"""``IndicatorView``: everything an indicator shows, computed once from its CSV and metadata.

The ``indicator`` directive only turns a view into nodes; the inline data role, the export, the
chart and the review diff read the same view, so a number is computed in one place only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from bnk.data import BnkDataError
from bnk.data.alttext import no_chart_sentence, series_points
from bnk.data.chartspec import chart_spec
from bnk.data.numbers import (
    UNDEFINED,
    Change,
    compute_change,
    decimals_of,
    format_number,
    format_year,
    is_percent_unit,
)
from bnk.data.status import Assessment, assess

if TYPE_CHECKING:
    from collections.abc import Collection

    from bnk.data.csvdata import IndicatorData, Series
    from bnk.data.metadata import IndicatorMeta
    from bnk.data.records import ChartSpec, IndicatorRecord, TargetRecord

DEFAULT_POINTS = 3


@dataclass(frozen=True)
class Shown:
    """A number and its German display string (``Decimal("2220")`` → ``"2.220"``)."""

    value: Decimal
    text: str


@dataclass(frozen=True)
class Row:
    """One row of the indicator table: the Kommune's series or a comparison series."""

    key: str  # "" for the Kommune, else the series name of the CSV
    label: str  # what the table shows
    values: tuple[Decimal | None, ...]  # per shown year; None: no value that year
    cells: tuple[str, ...]  # the values as displayed
    change: Change | None


@dataclass(frozen=True)
class IndicatorView:
    """What one indicator shows: shown years, values, changes, status, chart and export record.

    Built by :func:`build_view`; ``error`` is set (and the data fields are empty) when the data
    cannot be shown, e.g. no value up to the report year.
    """

    meta: IndicatorMeta
    kommune: str
    report_year: int | None
    has_data: bool = False
    error: BnkDataError | None = None
    decimals: int = 0
    percent: bool = False
    years: tuple[int, ...] = ()
    rows: tuple[Row, ...] = ()
    series_up_to_report: tuple[Series, ...] = ()
    all_series: tuple[Series, ...] = ()  # every year of the CSV, also after the report year
    missing_years: tuple[int, ...] = ()  # named by :years: but without a value up to the report year
    past_targets: tuple[tuple[str, int | None], ...] = ()  # (German message, line in the metadata)
    chart_spec: ChartSpec | None = None
    alt: str = ""  # the chart's text alternative (bnk.data.alttext)
    no_chart: str = ""  # the sentence that stands for a chart that would show nothing
    assessment: Assessment | None = None
    differences: tuple[str, ...] = field(default=())

    # -- what the page shows -------------------------------------------------------------------

    @property
    def headline(self) -> Row | None:
        """The Kommune's row, or None without data."""
        return self.rows[0] if self.rows else None

    @property
    def status(self) -> Assessment | None:
        """The status to show, computed from data against a target; None shows no badge (no
        target, too few values, no data or a data error: the report's statement stands alone)."""
        if not self.has_data or self.error is not None or self.assessment is None:
            return None
        return self.assessment if self.assessment.status else None

    @property
    def labelled(self) -> bool:
        """Whether the table needs a first column naming the series."""
        return len(self.rows) > 1

    @property
    def undefined_relative(self) -> bool:
        """Whether some relative change is undefined (oldest value 0): the table gets a footnote."""
        return any(r.change is not None and r.change.relative is None for r in self.rows)

    @property
    def too_few_points(self) -> bool:
        """Fewer than two shown values: no change can be given."""
        return self.headline is not None and len(self.years) < 2

    @property
    def table_header(self) -> list[str]:
        """Header cells of the indicator table."""
        first = ["Reihe"] if self.labelled else []  # no empty header cell (WCAG: every column named)
        return [*first, *(format_year(y) for y in self.years), "Veränderung absolut", "relativ"]

    @property
    def table_rows(self) -> list[list[str]]:
        """Body cells of the indicator table (``¹`` marks an undefined relative change)."""
        body = []
        for row in self.rows:
            texts = ([row.label] if self.labelled else []) + list(row.cells)
            if row.change is None:
                texts += [UNDEFINED, UNDEFINED]
            else:
                texts += [row.change.display_abs, row.change.display_rel + ("¹" if row.change.relative is None else "")]
            body.append(texts)
        return body

    @property
    def series_table_header(self) -> list[str]:
        """Header of the whole-series table (the accessible alternative to the chart)."""
        return ["Jahr", *(s.name or self.kommune for s in self.series_up_to_report)]

    @property
    def series_table_rows(self) -> list[list[str]]:
        """Every year up to the report year with every series, then one row per value target."""
        lookups = [dict(zip(s.years, s.values, strict=True)) for s in self.series_up_to_report]
        years = sorted({y for s in self.series_up_to_report for y in s.years})
        rows = [
            [format_year(y), *(UNDEFINED if y not in lk else format_number(lk[y], self.decimals) for lk in lookups)]
            for y in years
        ]
        others = [UNDEFINED] * (len(lookups) - 1)
        for target in self.meta.targets:
            if target.value is None or target.kind not in ("value", "hold"):
                continue
            label = (
                f"Ziel {format_year(target.year)}" if target.kind == "value" and target.year else "Ziel (jedes Jahr)"
            )
            rows.append([label, format_number(target.value, self.decimals), *others])
        return rows

    @property
    def print_table_rows(self) -> list[list[str]]:
        """The one table of the print edition: the whole series (years as rows, one column per
        series, value targets), then the change of each series over the shown years."""
        rows = self.series_table_rows
        if len(self.years) < 2:
            return rows
        by_key = {row.key: row for row in self.rows}
        changes = [by_key.get(s.name) for s in self.series_up_to_report]
        absolute = [UNDEFINED if c is None or c.change is None else c.change.display_abs for c in changes]
        relative = [
            UNDEFINED
            if c is None or c.change is None
            else c.change.display_rel + ("¹" if c.change.relative is None else "")
            for c in changes
        ]
        return [*rows, ["Veränderung absolut", *absolute], ["Veränderung relativ", *relative]]

    @property
    def key_figure(self) -> str:
        """The change of the Kommune in one line, e.g. ``+53,4 (+118,1 %) von 2019 bis 2021``."""
        headline = self.headline
        if headline is None or headline.change is None or len(self.years) < 2:
            return ""
        change = headline.change
        relative = "" if change.relative is None else f" ({change.display_rel})"
        return f"{change.display_abs}{relative} von {format_year(self.years[0])} bis {format_year(self.years[-1])}"

    @property
    def target_texts(self) -> list[str]:
        """The targets in words, as the metadata state them."""
        return [t.text for t in self.meta.targets if t.text]

    # -- numbers for inline use ----------------------------------------------------------------

    def _series(self, series: str | None) -> Series:
        key = series or ""
        for candidate in self.series_up_to_report:
            if candidate.name == key:
                return candidate
        names = ", ".join(f"„{s.name}“" for s in self.series_up_to_report if s.name) or "keine"
        raise BnkDataError(
            f"Indikator „{self.meta.id}“ hat keine Reihe „{series}“ (Vergleichsreihen: {names})."
            if series
            else f"Indikator „{self.meta.id}“ hat keine Daten."
        )

    def value(self, year: int, series: str | None = None) -> Shown:
        """The value of ``year`` (up to the report year) of the Kommune or a comparison series.

        :param series: None for the Kommune, else the series name of the CSV (e.g. ``"NRW"``)
        :raises BnkDataError: no such series or no value for that year
        """
        found = self._series(series)
        for y, v in zip(found.years, found.values, strict=True):
            if y == year:
                return Shown(v, format_number(v, self.decimals))
        label = f"Reihe „{series}“" if series else self.kommune
        raise BnkDataError(
            f"Indikator „{self.meta.id}“: kein Wert für {format_year(year)} ({label}; vorhanden: "
            f"{', '.join(format_year(y) for y in found.years) or 'keine'})."
        )

    def change(self, series: str | None = None) -> Change | None:
        """The change over the shown years, as in the table (None: too few values).

        :param series: None for the Kommune, else the series name of the CSV
        :raises BnkDataError: no such series
        """
        self._series(series)  # raises for an unknown series
        for row in self.rows:
            if row.key == (series or ""):
                return row.change
        return None

    # -- the export record ---------------------------------------------------------------------

    def record(self, chapter: str | None, anchor: str, line: int | None, chart_hash: str | None) -> IndicatorRecord:
        """The domain/export record of this indicator on a page.

        :param chart_hash: the chart's content hash (None: no chart, e.g. without data)
        """
        meta = self.meta
        targets: list[TargetRecord] = [
            {
                "kind": t.kind,
                "text": t.text,
                "value": None if t.value is None else json_number(t.value),
                "year": t.year,
                "direction": t.direction,
            }
            for t in meta.targets
        ]
        record: IndicatorRecord = {
            "id": meta.id,
            "title": meta.title,
            "unit": meta.unit,
            "source": meta.source,
            "definition": meta.definition,
            "chapter": chapter,
            "anchor": anchor,
            "line": line,
            "shown_years": [],
            "shown_values": [],
            "series": {},
            "change_abs": None,
            "change_rel": None,
            "display": {"change_abs": None, "change_rel": None},
            "status": None,
            "status_method": None,
            "no_data_reason": meta.no_data_reason,
            "targets": targets,
            "direction": meta.direction,
            "sdgs": list(meta.sdgs),
            "decimals": self.decimals if self.headline is not None else meta.decimals,
            "notes": list(meta.notes),
            "errata": list(self.differences),
        }
        if meta.kernindikator:
            record["kernindikator"] = meta.kernindikator
        headline = self.headline
        if headline is None or self.error is not None:
            return record
        change = headline.change
        record["shown_years"] = list(self.years)
        record["shown_values"] = [float(v) for v in headline.values if v is not None]
        # Every year up to the report year: what the chart shows, not what the CSV holds beyond it.
        record["series"] = {
            (s.name or "kommune"): {"years": list(s.years), "values": [float(v) for v in s.values]}
            for s in self.series_up_to_report
        }
        if change is not None:
            record["change_abs"] = float(change.absolute_rounded)
            relative = change.relative_rounded
            record["change_rel"] = None if relative is None else float(relative)
            record["display"] = {"change_abs": change.display_abs, "change_rel": change.display_rel}
        record["status"] = self.status.status if self.status else None
        record["status_method"] = self.status.method if self.status else None
        if chart_hash is not None:
            record["chart"] = chart_hash
        return record


def parse_years_option(text: str) -> tuple[int, ...]:
    """``:years: 2019, 2021 2022`` → ``(2019, 2021, 2022)``.

    :raises BnkDataError: an entry that is not a four-digit year (ASCII digits)
    """
    years = []
    for item in re.split(r"[,;\s]+", text.strip()):
        if not item:
            continue
        if not re.fullmatch(r"[0-9]{4}", item):
            raise BnkDataError(f"„{item}“ in :years: ist kein Jahr (vierstellig, z. B. 2021).")
        years.append(int(item))
    if not years:
        raise BnkDataError(":years: nennt kein Jahr (z. B. „:years: 2019, 2021, 2022“).")
    return tuple(years)


def parse_points_option(text: str) -> int:
    """``:points: 5`` → 5 (1 to 50).

    :raises BnkDataError: not a whole number from 1 to 50
    """
    item = text.strip()
    if not re.fullmatch(r"[0-9]{1,2}", item) or not 1 <= int(item) <= 50:
        raise BnkDataError(f"„{item}“ in :points: ist keine Anzahl von 1 bis 50.")
    return int(item)


def json_number(value: Decimal) -> int | float:
    """A Decimal as a JSON number: an int when it is whole, else a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def shown_points(
    series: Series, report_year: int | None, points: int = DEFAULT_POINTS, years: Collection[int] | None = None
) -> tuple[list[int], list[Decimal]]:
    """The years and values an indicator table shows.

    :param years: the years named by ``:years:`` (None: the last ``points`` up to the report year)
    """
    pairs = [
        (y, v) for y, v in zip(series.years, series.values, strict=True) if report_year is None or y <= report_year
    ]
    pairs = [p for p in pairs if p[0] in years] if years is not None else pairs[-points:]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def build_view(
    meta: IndicatorMeta,
    data: IndicatorData | None,
    *,
    kommune: str,
    report_year: int | None,
    points: int = DEFAULT_POINTS,
    years: Collection[int] | None = None,
    primary: str | None = None,
    reference: str = "",
) -> IndicatorView:
    """Compute everything the indicator shows.

    :param data: None when the indicator has no CSV (and a ``no_data_reason``)
    :param years: the years of ``:years:``, or None for the last ``points`` values
    :param primary: the report's design colour (leads the chart palette if it passes the checks)
    :param reference: the label of the reference edition the metadata field ``reference`` quotes
    """
    past = past_targets(meta, data, report_year)
    if data is None:
        return IndicatorView(meta, kommune, report_year, differences=tuple(meta.errata), past_targets=past)
    try:
        return replace(_build(meta, data, kommune, report_year, points, years, primary, reference), past_targets=past)
    except BnkDataError as exc:
        return IndicatorView(
            meta, kommune, report_year, has_data=True, error=exc, differences=tuple(meta.errata), past_targets=past
        )


def past_targets(
    meta: IndicatorMeta, data: IndicatorData | None, report_year: int | None
) -> tuple[tuple[str, int | None], ...]:
    """Targets by a year that is already past – before the report year, or, without one, before
    the last data year: (German message, line of ``targets`` in the metadata) each. Such a target
    was silently accepted, and its status projected the trend backwards."""
    now, basis = report_year, f"dem Berichtsjahr {report_year}"
    if report_year is None:
        try:
            now = data.headline.years[-1] if data is not None and data.headline.years else None
        except BnkDataError:  # no own series: reported where the data is read
            now = None
        basis = f"dem letzten Datenjahr {now}"
    if now is None:
        return ()
    return tuple(
        (
            f"Ziel {number} in „targets“ von „{meta.id}“: das Zieljahr {target.year} liegt vor {basis}. "
            "Bitte das Zieljahr prüfen oder ein aktuelles Ziel eintragen (ein zu haltendes Ziel: „hold: true“).",
            target.line,
        )
        for number, target in enumerate(meta.targets, start=1)
        if target.kind == "value" and target.year is not None and target.year < now
    )


def _up_to(series: Series, report_year: int | None) -> Series:
    keep = [i for i, y in enumerate(series.years) if report_year is None or y <= report_year]
    return replace(
        series,
        years=tuple(series.years[i] for i in keep),
        values=tuple(series.values[i] for i in keep),
        texts=tuple(series.texts[i] for i in keep),
        lines=tuple(series.lines[i] for i in keep),
    )


def _build(
    meta: IndicatorMeta,
    data: IndicatorData,
    kommune: str,
    report_year: int | None,
    points: int,
    wanted: Collection[int] | None,
    primary: str | None = None,
    reference: str = "",
) -> IndicatorView:
    headline = data.headline
    decimals = meta.decimals if meta.decimals is not None else max(decimals_of(t) for t in headline.texts)
    percent = is_percent_unit(meta.unit)
    years, values = shown_points(headline, report_year, points, wanted)
    missing = tuple(sorted(set(wanted) - set(years))) if wanted is not None else ()
    if not values:
        raise BnkDataError(
            f"Keine Daten bis zum Berichtsjahr {report_year} (erster Wert: {headline.years[0]}).",
            data.path,
            headline.lines[0],
        )
    change = compute_change(values[0], values[-1], decimals, percent) if len(values) >= 2 else None
    rows = [Row("", kommune, tuple(values), tuple(format_number(v, decimals) for v in values), change)]
    for other in data.others:
        lookup = dict(zip(other.years, other.values, strict=True))
        other_values = [lookup.get(y) for y in years]
        first, last = other_values[0], other_values[-1]
        other_change = None
        if len(years) >= 2 and first is not None and last is not None:
            other_change = compute_change(first, last, decimals, percent)
        cells = tuple(UNDEFINED if v is None else format_number(v, decimals) for v in other_values)
        rows.append(Row(other.name, other.name, tuple(other_values), cells, other_change))

    limited = tuple(_up_to(s, report_year) for s in data.series)
    # The chart shows the whole series up to the report year, with comparison series and targets;
    # a series with nothing to show (one point, only zeros) gets a sentence instead.
    no_chart = no_chart_sentence(*series_points(data, kommune, report_year))
    spec: ChartSpec | None = None
    if no_chart is None:
        spec = chart_spec(  # type: ignore[assignment]
            meta, data, kommune=kommune, report_year=report_year, decimals=decimals, primary=primary
        )
    own = _up_to(headline, report_year)
    assessment = assess(list(own.years), list(own.values), meta.targets, meta.direction)
    differences = tuple(meta.errata) + tuple(printed_differences(meta, years, change, reference))
    return IndicatorView(
        meta,
        kommune,
        report_year,
        has_data=True,
        decimals=decimals,
        percent=percent,
        years=tuple(years),
        rows=tuple(rows),
        series_up_to_report=limited,
        chart_spec=spec,
        alt=spec["alt"] if spec is not None else "",
        no_chart=no_chart or "",
        assessment=assessment,
        differences=differences,
        all_series=data.series,
        missing_years=missing,
    )


def printed_differences(meta: IndicatorMeta, years: list[int], change: Change | None, reference: str = "") -> list[str]:
    """Where the reference edition's change figures differ from the exact computation, compared
    at the precision the printed figure was given with (so "-19%" for -19,05 % is no difference).

    :param reference: the reference edition's label (``bnk_report['reference']``)
    """
    printed = meta.printed
    if printed is None or change is None:
        return []
    edition = f"Die Ausgabe „{reference}“" if reference else "Die Referenzausgabe"
    differences = []
    shown_years = [format_year(y) for y in years]
    if printed.years and list(printed.years) != shown_years:
        differences.append(
            f"{edition} zeigt die Jahre {', '.join(printed.years)}; hier gezeigt: {', '.join(shown_years)}."
        )
    for label, text, computed, shown in (
        ("absolute", printed.change_abs, change.absolute, change.display_abs),
        ("relative", printed.change_rel, change.relative, change.display_rel),
    ):
        number = _parse_printed(text)
        if computed is None:
            if number is not None:
                differences.append(
                    f"{edition} nennt als {label} Veränderung „{text}“; "
                    "sie ist nicht definiert, weil der älteste Wert 0 ist."
                )
            continue
        if number is None:
            continue
        digits = decimals_of(_machine(text))
        if abs(computed - number) > Decimal(1).scaleb(-digits) / 2:
            differences.append(
                f"{edition} nennt als {label} Veränderung „{text}“; nach der "
                f"Methode des Berichts (ältester zu neuestem gezeigten Wert) ergibt sich {shown}."
            )
            continue
        # The same figure, written differently: no silent fix of its unit or sign either.
        if label == "absolute" and is_percent_unit(meta.unit) and "%P" not in text.replace(" ", ""):
            differences.append(
                f"{edition} nennt die absolute Veränderung „{text}“ ohne die Einheit "
                f"Prozentpunkte; hier steht sie mit Einheit: {shown}."
            )
        if number != 0 and not re.match(r"\s*[+\-−±]", text):
            differences.append(
                f"{edition} nennt die {label} Veränderung „{text}“ ohne Vorzeichen; "
                f"hier steht sie mit Vorzeichen: {shown}."
            )
    return differences


def _machine(text: str) -> str:
    return re.sub(r"[^0-9,+\-−]", "", text).replace(".", "").replace(",", ".").replace("−", "-")


def _parse_printed(text: str) -> Decimal | None:
    machine = _machine(text)
    if not re.search(r"[0-9]", machine):
        return None
    try:
        return Decimal(machine.replace("+", ""))
    except ArithmeticError:
        return None
