"""The ``indicator`` directive: an indicator from CSV + YAML, with table, chart and status."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from docutils import nodes
from docutils.parsers.rst import directives

from bnk.boundary import BnkDirective
from bnk.charts import chart_hash, size_px
from bnk.config import get_bnk_config, get_report
from bnk.data import BnkDataError
from bnk.data.csvdata import IndicatorData, load_indicator_csv
from bnk.data.indicator import (
    DEFAULT_POINTS,
    IndicatorView,
    build_view,
    parse_points_option,
    parse_years_option,
)
from bnk.data.metadata import DIRECTIONS, INDICATOR_SETS, IndicatorMeta, load_metadata
from bnk.data.values import comparison_note
from bnk.directives._common import (
    DATA_DIR,
    Row,
    build_table,
    current_chapter,
    data_file,
    error_box,
    sdg_badges,
    verbatim,
)
from bnk.directives.design import badge, card, tab_set
from bnk.directives.errata import new_anchor, note_erratum
from bnk.directives.medium import for_medium
from bnk.domain import get_bnk_domain
from bnk.nodes import bnk_chart
from bnk.warnings_ import BnkWarning, note

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

T = TypeVar("T")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
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


class TargetDirective(BnkDirective):
    """``bnk-target`` inside an indicator: the relation to the set target (Verhältnis zum Ziel)."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        box = nodes.container(classes=["bnk-target"])
        self.set_source_info(box)
        # Print sets this title as a margin label (bnkreport.sty, class bnk-target).
        box += for_medium("screen", [_para("", ["bnk-target-title"], "Verhältnis zum gesetzten Ziel")])
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]


class IndicatorDirective(BnkDirective):
    """``{indicator} <id>``: renders ``data/<id>.yaml`` and ``data/<id>.csv``; body = statement."""

    required_arguments = 1
    has_content = True
    # Options are parsed by the data layer, so that a bad value is a bnk problem of the page
    # (reported on every build) rather than a one-off docutils error.
    option_spec: ClassVar[OptionSpec] = {
        "points": directives.unchanged,
        "years": directives.unchanged,
    }

    # -- data ----------------------------------------------------------------------------------

    def _problem(self, msg: str, subtype: BnkWarning, location: str | tuple[str, int | None]) -> None:
        note(self.env, msg, subtype, location)

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
            # Every problem of the file in one build (CsvFileError.problems), not one per round.
            failed = self._failed(section, indicator_id, exc.msg, BnkWarning.CSV, self._located(exc), meta)
            for extra in getattr(exc, "problems", ())[1:]:
                self._problem(extra.msg, BnkWarning.CSV, self._located(extra))
            return failed

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

    def _option(self, name: str, parse: Callable[[str], T], default: T) -> T:
        if name not in self.options:
            return default
        try:
            return parse(self.options[name] or "")
        except BnkDataError as exc:
            note(self.env, exc.msg, BnkWarning.INDICATOR, self.get_location())
            return default

    def _render(self, section: nodes.section, meta: IndicatorMeta, data: IndicatorData | None) -> list[nodes.Node]:
        cfg = get_bnk_config(self.env)
        report = get_report(self.env)
        view = build_view(
            meta,
            data,
            kommune=report.kommune.name or "Kommune",
            report_year=cfg.report_year,
            points=self._option("points", parse_points_option, DEFAULT_POINTS),
            years=self._option("years", parse_years_option, None),
            primary=report.design.primary,
            reference=report.reference.label if report.reference else "",
        )
        if view.missing_years:
            missing = ", ".join(str(y) for y in view.missing_years)
            note(
                self.env,
                f":years: nennt {missing}, aber {DATA_DIR}/{meta.id}.csv hat dafür keinen Wert"
                + (f" (bis zum Berichtsjahr {cfg.report_year})." if cfg.report_year else "."),
                BnkWarning.INDICATOR,
                self.get_location(),
            )
        for message, line in view.past_targets:
            note(self.env, message, BnkWarning.TARGET_PAST, f"{meta.path}:{line or 1}")
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

        chart_id: str | None = None
        if not view.has_data:
            box = verbatim(nodes.admonition(classes=["bnk-omitted", "bnk-no-data"]))
            box += nodes.title("", "Keine Daten – Begründung")
            box += nodes.paragraph(meta.no_data_reason, meta.no_data_reason)
            section += box
        elif view.error is not None:
            exc = view.error
            self._problem(exc.msg, BnkWarning.CSV, self._located(exc))
            section += _error_box(exc.msg + f" ({self._located(exc)})".replace(str(self.env.srcdir) + "/", ""))
        else:
            chart_id = self._render_data(section, view, cfg.charts)

        statement = nodes.container(classes=["bnk-statement"])
        self.state.nested_parse(self.content, self.content_offset, statement)
        if statement.children:
            section += statement
        if view.status is not None:
            # Only a status computed from data against a target; it names its method.
            status_line = _para("", ["bnk-status-line"], "Bewertung:")
            status_line += badge(view.status.label, ["bnk-badge", "bnk-badge-assessment"])
            status_line += nodes.Text(f" – Methode: {view.status.method_name}")
            section += status_line
        # Documented comparison figures (e.g. a printed Land average) stand with the indicator.
        all_notes = list(meta.notes) + [comparison_note(c) for c in meta.comparisons]
        if all_notes:
            notes = verbatim(nodes.bullet_list(classes=["bnk-notes"]))
            for item in all_notes:
                notes += nodes.list_item("", nodes.paragraph(item, item))
            section += _para("", ["bnk-notes-title"], "Hinweise zu den Daten:")
            section += notes
        if view.differences:
            box = verbatim(nodes.admonition(classes=["bnk-erratum", "note"]))
            box += nodes.title("", report.erratum_title)
            anchor = new_anchor(self.env)
            for text in view.differences:
                box += nodes.paragraph(text, text)
                note_erratum(self.env, text, anchor, self.lineno, f"Indikator „{meta.title}“")
            section += nodes.target("", "", ids=[anchor])  # labelled in LaTeX too
            section += box

        # Everything below the heading is one sphinx-design card (in print: the plain content).
        body = list(section.children[1:])
        del section[1:]
        section += card(body, ["bnk-indicator-card"])

        record = view.record(current_chapter(self.env), section["ids"][0], self.lineno, chart_id)
        if cfg.charts and view.chart_spec is not None and view.error is None:
            record["chart_spec"] = view.chart_spec
        domain = get_bnk_domain(self.env)
        domain.note_indicator(self.env.docname, record)
        domain.note_sdgs(self.env.docname, meta.sdgs, section["ids"][0], f"Indikator: {meta.title}")
        return [section]

    def _render_data(self, section: nodes.section, view: IndicatorView, charts: bool) -> str | None:
        """Table, footnotes and chart of an indicator with data; returns the chart's hash."""
        meta = view.meta
        screen_table = verbatim(
            build_table(
                view.table_header,
                cast("list[Row]", view.table_rows),
                [10] * len(view.table_header),
                ["bnk-indicator-table"],
                caption=f"{meta.title} ({meta.unit}): Werte und Veränderung",
                stubs=int(view.labelled),
            )
        )
        # Print: one table (the series with the change below it) beside the chart, and the change
        # as the key figure; the screen has the change table and the series behind a tab.
        printed: list[nodes.Node] = []
        if view.key_figure:
            key = nodes.container(classes=["bnk-keyfigure"])
            key += _para(view.key_figure)
            printed.append(key)
        printed.append(
            verbatim(
                build_table(
                    view.series_table_header,
                    view.print_table_rows,
                    [10] * len(view.series_table_header),
                    ["bnk-indicator-table", "bnk-print-table"],
                    caption=f"{meta.title} ({meta.unit})",
                    stubs=1,
                )
            )
        )
        section += for_medium("screen", [screen_table])
        section += for_medium("print", printed)
        if view.undefined_relative:
            section += _para(FOOTNOTE_UNDEFINED, ["bnk-footnote"])
        if view.too_few_points:
            section += _para("Zu wenige Datenpunkte für eine Veränderung.", ["bnk-footnote"])
        if view.no_chart:
            # Nothing to draw (one point, or only zeros): a sentence stands for the chart.
            section += _para(view.no_chart, ["bnk-no-chart"])
            return None
        if view.chart_spec is None:
            return None
        spec = view.chart_spec
        width, height = size_px(dict(spec))
        chart = bnk_chart(
            spec=spec,
            alt=view.alt,
            caption=f"Abbildung: {meta.title} ({meta.unit})",
            notes=list(spec["notes"]),  # marked axes: said under the chart, not in the list of figures
            hash=chart_hash(dict(spec)),
            width=width,
            height=height,
        )
        self.set_source_info(chart)
        # The whole series as a table: the accessible alternative to the chart, with the
        # comparison series and the targets.
        series = verbatim(
            build_table(
                view.series_table_header,
                view.series_table_rows,
                [10] * len(view.series_table_header),
                ["bnk-series-table"],
                caption=f"Zeitreihe: {meta.title} ({meta.unit})",
                stubs=1,
            )
        )
        table_tab: list[nodes.Node] = [for_medium("screen", [series])]
        if view.target_texts:
            table_tab.append(_para("; ".join(view.target_texts), ["bnk-target-texts"], "Ziele:"))
        if charts:
            section += tab_set([("Diagramm", [chart]), ("Tabelle", table_tab)], ["bnk-indicator-tabs"])
        else:
            section.extend(table_tab)
        return str(chart["hash"])


def setup_indicators(app: Sphinx) -> None:
    """Register the indicator and target directives."""
    app.add_directive("indicator", IndicatorDirective)
    app.add_directive("bnk-target", TargetDirective)
