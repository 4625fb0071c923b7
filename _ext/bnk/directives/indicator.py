"""The ``indicator`` directive: an indicator from CSV + YAML, with table, chart and status."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from bnk.charts import chart_hash
from bnk.config import get_bnk_config
from bnk.data import BnkDataError
from bnk.data.csvdata import IndicatorData, Series, load_indicator_csv
from bnk.data.metadata import DIRECTIONS, INDICATOR_SETS, IndicatorMeta, load_metadata
from bnk.data.numbers import (
    UNDEFINED,
    Change,
    compute_change,
    decimals_of,
    format_number,
    format_year,
    is_percent_unit,
)
from bnk.data.status import assess
from bnk.directives._common import (
    DATA_DIR,
    build_table,
    current_chapter,
    data_file,
    error_box,
    sdg_badges,
    verbatim,
)
from bnk.nodes import bnk_chart
from bnk.warnings_ import BnkWarning

if TYPE_CHECKING:
    from pathlib import Path

    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
DEFAULT_POINTS = 3
FOOTNOTE_UNDEFINED = "¹ Relative Veränderung nicht definiert: der älteste gezeigte Wert ist 0."


def _para(text: str, classes: list[str] | None = None, label: str = "") -> nodes.paragraph:
    para = verbatim(nodes.paragraph(classes=classes or []))
    if label:
        para += nodes.strong(label, label)
        para += nodes.Text(" ")
    para += nodes.Text(text)
    return para


def _error_box(message: str) -> nodes.admonition:
    return verbatim(error_box(message, "Fehler in den Indikatordaten"))


class TargetDirective(SphinxDirective):
    """``bnk-target`` inside an indicator: the relation to the set target (Verhältnis zum Ziel)."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        box = nodes.container(classes=["bnk-target"])
        self.set_source_info(box)
        box += _para("", ["bnk-target-title"], "Verhältnis zum gesetzten Ziel")
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]


class IndicatorDirective(SphinxDirective):
    """``{indicator} <id>``: renders ``data/<id>.yaml`` and ``data/<id>.csv``; body = statement."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[OptionSpec] = {
        "points": directives.positive_int,
        "years": directives.unchanged,
    }

    # -- data ----------------------------------------------------------------------------------

    def _problem(self, msg: str, subtype: BnkWarning, location: str | tuple[str, int | None]) -> None:
        domain = self.env.get_domain("bnk")
        domain.note_problem(self.env.docname, msg, subtype, location)  # type: ignore[attr-defined]

    def _data_file(self, indicator_id: str, suffix: str) -> Path | None:
        return data_file(self.env, f"{indicator_id}{suffix}")

    def _located(self, exc: BnkDataError) -> str | tuple[str, int | None]:
        if exc.path is None:
            return self.get_location()
        # A file-level problem (no line known) is located at the file's first line.
        return f"{exc.path}:{exc.line or 1}"

    # -- rendering -----------------------------------------------------------------------------

    def run(self) -> list[nodes.Node]:
        indicator_id = self.arguments[0].strip()
        section = nodes.section(classes=["bnk-indicator"])
        self.set_source_info(section)
        anchor = f"indikator-{indicator_id}" if ID_RE.match(indicator_id) else f"indikator-{self.lineno}"
        if anchor in self.state.document.ids:
            anchor = f"{anchor}-{self.lineno}"
        section["ids"].append(anchor)
        self.state.document.ids[anchor] = section

        if not ID_RE.match(indicator_id):
            msg = (
                f"„{indicator_id}“ ist keine gültige Indikator-ID (Kleinbuchstaben, Ziffern und "
                "Bindestriche; sie benennt data/<id>.csv und data/<id>.yaml)."
            )
            return self._failed(section, indicator_id, msg, BnkWarning.INDICATOR, self.get_location())

        try:
            meta_path = self._data_file(indicator_id, ".yaml")
            if meta_path is None:
                msg = f"Unbekannter Indikator „{indicator_id}“: {DATA_DIR}/{indicator_id}.yaml fehlt."
                return self._failed(section, indicator_id, msg, BnkWarning.INDICATOR, self.get_location())
            self.env.note_dependency(str(meta_path))
            meta = load_metadata(meta_path, indicator_id, tuple(get_bnk_config(self.env).units))
        except BnkDataError as exc:
            return self._failed(section, indicator_id, exc.msg, BnkWarning.META, self._located(exc))

        data: IndicatorData | None = None
        try:
            csv_path = self._data_file(indicator_id, ".csv")
            if csv_path is not None:
                self.env.note_dependency(str(csv_path))
                data = load_indicator_csv(csv_path)
        except BnkDataError as exc:
            return self._failed(section, indicator_id, exc.msg, BnkWarning.CSV, self._located(exc), meta)

        if data is None and not meta.no_data_reason:
            msg = (
                f"Indikator „{indicator_id}“ hat keine Daten ({DATA_DIR}/{indicator_id}.csv fehlt) "
                "und keine Begründung (no_data_reason in den Metadaten)."
            )
            return self._failed(section, indicator_id, msg, BnkWarning.INDICATOR, f"{meta.path}:1", meta)
        if data is not None and meta.no_data_reason:
            self._problem(
                "Die Metadaten nennen eine Begründung für fehlende Daten (no_data_reason), aber es "
                "gibt eine CSV-Datei; bitte eines von beiden entfernen.",
                BnkWarning.META,
                f"{meta.path}:1",
            )
        return self._render(section, meta, data)

    def _failed(
        self,
        section: nodes.section,
        indicator_id: str,
        msg: str,
        subtype: BnkWarning,
        location: str | tuple[str, int | None],
        meta: IndicatorMeta | None = None,
    ) -> list[nodes.Node]:
        """Nothing disappears silently: the page shows an error box, the build a located warning."""
        self._problem(msg, subtype, location)
        title = meta.title if meta else f"Indikator {indicator_id}"
        section += verbatim(nodes.title(title, title))
        where = f" ({location})" if isinstance(location, str) else ""
        section += _error_box(msg + where.replace(str(self.env.srcdir) + "/", ""))
        self.state.nested_parse(self.content, self.content_offset, section)
        return [section]

    def _shown_points(self, series: Series) -> tuple[list[int], list[Decimal], list[str]]:
        report_year = get_bnk_config(self.env).report_year
        points = [
            (y, v, t)
            for y, v, t in zip(series.years, series.values, series.texts, strict=True)
            if report_year is None or y <= report_year
        ]
        if "years" in self.options:
            wanted = {int(y) for y in re.findall(r"\d{4}", self.options["years"])}
            points = [p for p in points if p[0] in wanted]
        else:
            points = points[-self.options.get("points", DEFAULT_POINTS) :]
        return [p[0] for p in points], [p[1] for p in points], [p[2] for p in points]

    def _render(self, section: nodes.section, meta: IndicatorMeta, data: IndicatorData | None) -> list[nodes.Node]:
        section += verbatim(nodes.title(meta.title, meta.title))
        section += _para(f"{meta.definition} (Einheit: {meta.unit})", ["bnk-definition"], "Definition:")
        source = _para("", ["bnk-source"], "Quelle:")
        if meta.source_url:
            source += nodes.reference(meta.source, meta.source, refuri=meta.source_url)
        else:
            source += nodes.Text(meta.source or "–")
        section += source
        section += _para(
            f"{INDICATOR_SETS[meta.indicator_set]} · Erwünschte Entwicklung: {DIRECTIONS[meta.direction]}",
            ["bnk-indicator-meta"],
        )
        if meta.sdgs:
            section += sdg_badges(list(meta.sdgs))
        record: dict[str, Any] = {
            "id": meta.id,
            "title": meta.title,
            "unit": meta.unit,
            "source": meta.source,
            "definition": meta.definition,
            "chapter": current_chapter(self.env),
            "anchor": section["ids"][0],
            "line": self.lineno,
            "shown_years": [],
            "shown_values": [],
            "series": {},
            "change_abs": None,
            "change_rel": None,
            "display": {"change_abs": None, "change_rel": None},
            "status": None,
            "no_data_reason": meta.no_data_reason,
            "targets": [t.__dict__ | {"value": None if t.value is None else str(t.value)} for t in meta.targets],
        }

        if data is None:
            box = verbatim(nodes.admonition(classes=["bnk-omitted", "bnk-no-data"]))
            box += nodes.title("", "Keine Daten – Begründung")
            box += nodes.paragraph(meta.no_data_reason, meta.no_data_reason)
            section += box
            status_text = "keine Bewertung (keine Daten)"
        else:
            try:
                status_text = self._render_data(section, meta, data, record)
            except BnkDataError as exc:
                self._problem(exc.msg, BnkWarning.CSV, self._located(exc))
                section += _error_box(exc.msg + f" ({self._located(exc)})".replace(str(self.env.srcdir) + "/", ""))
                status_text = "keine Bewertung (Datenfehler)"

        statement = nodes.container(classes=["bnk-statement"])
        self.state.nested_parse(self.content, self.content_offset, statement)
        if statement.children:
            section += statement
        section += _para(status_text, ["bnk-status-line"], "Bewertung:")
        if meta.notes:
            notes = verbatim(nodes.bullet_list(classes=["bnk-notes"]))
            for note in meta.notes:
                notes += nodes.list_item("", nodes.paragraph(note, note))
            section += _para("", ["bnk-notes-title"], "Hinweise zu den Daten:")
            section += notes
        differences = list(meta.errata) + self._printed_differences(meta, record, record.pop("_change", None))
        if differences:
            box = verbatim(nodes.admonition(classes=["bnk-erratum", "note"]))
            box += nodes.title("", "Abweichung vom gedruckten Bericht")
            for text in differences:
                box += nodes.paragraph(text, text)
            section += box

        domain = self.env.get_domain("bnk")
        domain.note_indicator(self.env.docname, record)  # type: ignore[attr-defined]
        domain.note_sdgs(self.env.docname, meta.sdgs, section["ids"][0], f"Indikator: {meta.title}")  # type: ignore[attr-defined]
        return [section]

    def _render_data(
        self, section: nodes.section, meta: IndicatorMeta, data: IndicatorData, record: dict[str, Any]
    ) -> str:
        headline = data.headline
        decimals = meta.decimals if meta.decimals is not None else max(decimals_of(t) for t in headline.texts)
        percent = is_percent_unit(meta.unit)
        years, values, _ = self._shown_points(headline)
        if not values:
            report_year = get_bnk_config(self.env).report_year
            raise BnkDataError(
                f"Keine Daten bis zum Berichtsjahr {report_year} (erster Wert: {headline.years[0]}).",
                data.path,
                headline.lines[0],
            )
        change = compute_change(values[0], values[-1], decimals, percent) if len(values) >= 2 else None
        kommune = get_bnk_config(self.env).report.get("kommune", "Kommune")

        rows: list[tuple[str, list[str], Change | None]] = [
            (kommune, [format_number(v, decimals) for v in values], change)
        ]
        for other in data.others:
            lookup = dict(zip(other.years, other.values, strict=True))
            other_values = [lookup.get(y) for y in years]
            other_change = None
            if len(years) >= 2 and other_values[0] is not None and other_values[-1] is not None:
                other_change = compute_change(other_values[0], other_values[-1], decimals, percent)
            rows.append(
                (
                    other.name,
                    [UNDEFINED if v is None else format_number(v, decimals) for v in other_values],
                    other_change,
                )
            )
        section += self._table(years, rows, bool(data.others))
        if any(c is not None and c.relative is None for _, _, c in rows):
            section += _para(FOOTNOTE_UNDEFINED, ["bnk-footnote"])
        if len(values) < 2:
            section += _para("Zu wenige Datenpunkte für eine Veränderung.", ["bnk-footnote"])

        # The chart shows the whole series up to the report year, with comparison series and targets.
        report_year = get_bnk_config(self.env).report_year
        spec_series = []
        for series in data.series:
            pts = [
                (y, t)
                for y, t in zip(series.years, series.texts, strict=True)
                if report_year is None or y <= report_year
            ]
            spec_series.append(
                {"label": series.name or kommune, "years": [p[0] for p in pts], "values": [p[1] for p in pts]}
            )
        spec = {
            "series": spec_series,
            "targets": [
                {"value": str(t.value), "year": t.year}
                for t in meta.targets
                if t.kind in ("value", "hold") and t.value is not None
            ],
            "unit": meta.unit,
            "decimals": decimals,
        }
        all_years = [y for y in headline.years if report_year is None or y <= report_year]
        all_values = [
            v for y, v in zip(headline.years, headline.values, strict=True) if report_year is None or y <= report_year
        ]
        alt = self._alt_text(meta, all_years, all_values, decimals)
        chart = bnk_chart(spec=spec, alt=alt, caption=f"Abbildung: {meta.title} ({meta.unit})", hash=chart_hash(spec))
        self.set_source_info(chart)
        if get_bnk_config(self.env).charts:
            section += chart
            record["chart_spec"] = spec

        assessment = assess(all_years, all_values, meta.targets, meta.direction)
        status_text = assessment.label if assessment.status else f"keine Bewertung ({assessment.text})"
        record.update(
            shown_years=years,
            shown_values=[float(v) for v in values],
            series={
                (s.name or "kommune"): {"years": list(s.years), "values": [float(v) for v in s.values]}
                for s in data.series
            },
            change_abs=None if change is None else float(change.absolute_rounded),
            change_rel=None if change is None or change.relative is None else float(change.relative_rounded),
            display={
                "change_abs": None if change is None else change.display_abs,
                "change_rel": None if change is None else change.display_rel,
            },
            status=assessment.status,
            chart=chart["hash"],
            _change=change,
        )
        return status_text

    @staticmethod
    def _table(years: list[int], rows: list[tuple[str, list[str], Change | None]], labelled: bool) -> nodes.table:
        header = ([""] if labelled else []) + [format_year(y) for y in years] + ["Veränderung absolut", "relativ"]
        body = []
        for label, cells, change in rows:
            texts = ([label] if labelled else []) + cells
            if change is None:
                texts += [UNDEFINED, UNDEFINED]
            else:
                texts += [change.display_abs, change.display_rel + ("¹" if change.relative is None else "")]
            body.append(texts)
        return verbatim(build_table(header, body, [10] * len(header), ["bnk-indicator-table"]))

    @staticmethod
    def _alt_text(meta: IndicatorMeta, years: list[int], values: list[Decimal], decimals: int) -> str:
        unit = f" {meta.unit}" if meta.unit and meta.unit != "%" else "\u00a0%" if meta.unit == "%" else ""
        first = f"{format_number(values[0], decimals)}{unit} ({format_year(years[0])})"
        if len(values) == 1:
            return f"Diagramm: {meta.title} – {first}."
        last = f"{format_number(values[-1], decimals)}{unit} ({format_year(years[-1])})"
        if values[-1] > values[0]:
            verb = f"stieg von {first} auf {last}"
        elif values[-1] < values[0]:
            verb = f"sank von {first} auf {last}"
        else:
            value = last.split(" (", maxsplit=1)[0]
            verb = f"blieb von {format_year(years[0])} bis {format_year(years[-1])} unverändert bei {value}"
        return f"Diagramm: {meta.title} {verb}."

    @staticmethod
    def _printed_differences(meta: IndicatorMeta, record: dict[str, Any], change: Change | None) -> list[str]:
        """Where the printed report's change figures differ from the exact computation, compared at
        the precision the printed figure was given with (so "-19%" for -19,05 % is no difference)."""
        printed = meta.printed
        if printed is None or change is None:
            return []
        differences = []
        computed_abs, computed_rel = change.absolute, change.relative
        shown_years = [format_year(y) for y in record["shown_years"]]
        if printed.years and list(printed.years) != shown_years:
            differences.append(
                f"Der gedruckte Bericht 2023 zeigt die Jahre {', '.join(printed.years)}; "
                f"hier gezeigt: {', '.join(shown_years)}."
            )
        for label, text, computed, shown in (
            ("absolute", printed.change_abs, computed_abs, record["display"]["change_abs"]),
            ("relative", printed.change_rel, computed_rel, record["display"]["change_rel"]),
        ):
            number = _parse_printed(text)
            if computed is None:
                if number is not None:
                    differences.append(
                        f"Der gedruckte Bericht 2023 nennt als {label} Veränderung „{text}“; "
                        "sie ist nicht definiert, weil der älteste Wert 0 ist."
                    )
                continue
            if number is None:
                continue
            digits = decimals_of(_machine(text))
            if abs(computed - number) > Decimal(1).scaleb(-digits) / 2:
                differences.append(
                    f"Der gedruckte Bericht 2023 nennt als {label} Veränderung „{text}“; nach der "
                    f"Methode des Berichts (ältester zu neuestem gezeigten Wert) ergibt sich {shown}."
                )
        return differences


def _machine(text: str) -> str:
    return re.sub(r"[^0-9,+\-−]", "", text).replace(".", "").replace(",", ".").replace("−", "-")


def _parse_printed(text: str) -> Decimal | None:
    machine = _machine(text)
    if not re.search(r"\d", machine):
        return None
    try:
        return Decimal(machine.replace("+", ""))
    except ArithmeticError:
        return None


def setup_indicators(app: Sphinx) -> None:
    """Register the indicator and target directives."""
    app.add_directive("indicator", IndicatorDirective)
    app.add_directive("bnk-target", TargetDirective)
