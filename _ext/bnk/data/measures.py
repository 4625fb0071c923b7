"""Measures tables (Maßnahmen): number, goal, recommendation, responsible unit, timeframe, status.

The timeframe is read for its years ("2021–2022", "2021/2022", "ab 2022") or as continuous
("fortlaufend", "laufend", "dauerhaft"); relative to the report year each measure is then done,
without a reported status, on schedule, overdue, continuous or without a timeframe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bnk.data import BnkDataError
from bnk.data.files import MAX_YAML_BYTES, cached, load_yaml, read_csv, read_text
from bnk.data.tables import Column, check_rows

if TYPE_CHECKING:
    from pathlib import Path

STATUSES = ("umgesetzt", "in Umsetzung", "geplant", "offen", "unbekannt")
COLUMNS = (
    Column("nr", "Nr.", required=True, width=8),
    Column("handlungsziel", "Handlungsziel", required=True, width=24),
    Column("empfehlung", "Handlungsempfehlung", required=True, width=28),
    Column("zustaendigkeit", "Zuständigkeit", width=16),
    Column("zeitrahmen", "Zeitrahmen", required=True, width=10),
    Column("status", "Status", values=STATUSES, required=True, width=10),
)
CONTINUOUS = ("fortlaufend", "laufend", "dauerhaft", "kontinuierlich", "regelmäßig")
# Assessment of one measure relative to the report year, in display order.
ASSESSMENTS = {
    "umgesetzt": "umgesetzt",
    "ohne-status": "ohne Statusangabe",
    "im-zeitplan": "im Zeitplan",
    "ueberfaellig": "überfällig",
    "laufend": "laufend",
    "ohne-zeitrahmen": "ohne bestimmbaren Zeitrahmen",
}


@dataclass(frozen=True)
class Measure:
    """One row of a measures table."""

    nr: str
    goal: str
    recommendation: str
    responsible: str
    timeframe: str
    status: str
    line: int


@dataclass(frozen=True)
class MeasuresTable:
    """A validated measures table with its optional title and source."""

    title: str
    source: str
    measures: tuple[Measure, ...]


def timeframe_end(text: str) -> int | None:
    """The last year a timeframe names (``"2021–2022"`` → 2022); None if it names none."""
    years = [int(y) for y in re.findall(r"(?<![0-9])(19[0-9]{2}|20[0-9]{2}|21[0-9]{2})(?![0-9])", text)]
    return max(years) if years else None


def assess(measure: Measure, report_year: int | None) -> str:
    """Key of :data:`ASSESSMENTS` for one measure."""
    if measure.status == "umgesetzt":
        return "umgesetzt"
    if measure.status == "unbekannt":
        # Without a reported status a measure is neither on schedule nor overdue.
        return "ohne-status"
    end = timeframe_end(measure.timeframe)
    if end is None:
        lowered = measure.timeframe.lower()
        return "laufend" if any(word in lowered for word in CONTINUOUS) else "ohne-zeitrahmen"
    if report_year is not None and end < report_year:
        return "ueberfaellig"
    return "im-zeitplan"


@cached(files=2, maxsize=64)
def load_measures(csv_path: str | Path, meta_path: str | Path | None = None) -> MeasuresTable:
    """Read and validate a measures CSV (and its optional YAML with title and source).

    :raises BnkDataError: located at the first problem
    """
    csv_path = str(csv_path)
    table = read_csv(csv_path)
    rows, _ = check_rows(table, COLUMNS)
    measures = []
    seen: dict[str, int] = {}
    for (line, _), row in zip(table.rows, rows, strict=True):
        if row[0] in seen:
            raise BnkDataError(f"Maßnahme {row[0]} doppelt (zuerst in Zeile {seen[row[0]]}).", csv_path, line, "nr")
        seen[row[0]] = line
        measures.append(Measure(row[0], row[1], row[2], row[3], row[4], row[5], line=line))
    title = source = ""
    if meta_path is not None:
        meta_path = str(meta_path)
        raw, _ = load_yaml(read_text(meta_path, "Die Beschreibung", MAX_YAML_BYTES), meta_path)
        raw = raw or {}
        if not isinstance(raw, dict) or set(raw) - {"title", "source"}:
            raise BnkDataError("Die Beschreibung einer Maßnahmentabelle kennt nur „title“ und „source“.", meta_path, 1)
        title, source = str(raw.get("title", "")), str(raw.get("source", ""))
    return MeasuresTable(title, source, tuple(measures))
