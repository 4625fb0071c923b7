"""The chart data of the SDG-Portal (SDG-Indikatoren für Kommunen), as embedded in its pages:
``{"graphs": [{"config": {"title", "unit", "isAvg", "smallerIsBetter"}, "points": [[year, value], …]}]}``.
The graph with ``isAvg: true`` is the average (e.g. the Land); ``null`` values are gaps."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from bnk.data.files import MAX_NESTING
from bnk.importers import (
    MISSING_MARKS,
    YEAR,
    BnkImportError,
    Imported,
    Point,
    Problem,
    check_digits,
    check_file_size,
    parse_number,
)


def _config(graph: dict[str, Any]) -> dict[str, Any]:
    config = graph.get("config")
    return config if isinstance(config, dict) else {}


def _number(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"„{value}“ ist keine Zahl")
    if isinstance(value, Decimal):
        return check_digits(value, value)
    if isinstance(value, int):
        return check_digits(Decimal(value), value)
    if isinstance(value, float):
        return check_digits(Decimal(repr(value)), value)
    if isinstance(value, str):
        return parse_number(value, "." if "," not in value else ",")
    raise ValueError(f"„{value}“ ist keine Zahl")


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in ``value`` (an object with a list inside: 2)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _too_deep(text: str, limit: int) -> str:
    """``Zeile L, Spalte C`` of the first ``[`` or ``{`` nested deeper than ``limit``."""
    depth, in_string, escaped, line, column = 0, False, False, 1, 0
    for char in text:
        column += 1
        if char == "\n":
            line, column = line + 1, 0
        elif in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return f"Zeile {line}, Spalte {column}"
        elif char in "]}":
            depth -= 1
    return ""


def import_sdg_portal(path: Path, average_name: str | None = None) -> Imported:
    """Read a saved SDG-Portal chart JSON.

    :param average_name: the series name of the average graph (default: its title, else "Durchschnitt")
    """
    name = str(path)
    check_file_size(path)
    deep = f"Die JSON-Struktur ist tiefer als {MAX_NESTING} Ebenen verschachtelt (ein SDG-Portal-Diagramm hat 5)."
    try:
        text = path.read_bytes().decode("utf-8-sig")
        # Numbers as Decimal (a 5,000-digit integer is no int error), NaN/Infinity as text (no number)
        data = json.loads(text, parse_int=Decimal, parse_float=Decimal, parse_constant=str)
    except RecursionError as exc:  # nested far deeper than the limit: json gives up first
        raise BnkImportError(name, [Problem(_too_deep(text, MAX_NESTING), deep)]) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f"Zeile {exc.lineno}, Spalte {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise BnkImportError(name, [Problem(where, f"Kein gültiges JSON: {exc}")]) from exc
    if _depth(data) > MAX_NESTING:
        raise BnkImportError(name, [Problem(_too_deep(text, MAX_NESTING), deep)])
    graphs = data.get("graphs") if isinstance(data, dict) else None
    if not isinstance(graphs, list) or not graphs:
        raise BnkImportError(
            name, [Problem("", "Kein SDG-Portal-Diagramm: der Schlüssel „graphs“ fehlt oder ist leer.")]
        )
    problems: list[Problem] = []
    points: list[Point] = []
    own = [g for g in graphs if isinstance(g, dict) and not _config(g).get("isAvg")]
    if len(own) != 1:
        problems.append(
            Problem("graphs", f"Erwartet genau eine Reihe der Kommune (isAvg: false), gefunden {len(own)}.")
        )
    main_config = _config(own[0]) if own else {}
    for g_index, graph in enumerate(graphs):
        if not isinstance(graph, dict):
            problems.append(Problem(f"graphs[{g_index}]", "ist kein Objekt."))
            continue
        if graph.get("config") is not None and not isinstance(graph["config"], dict):
            problems.append(Problem(f"graphs[{g_index}].config", "ist kein Objekt."))
            continue
        if graph.get("points") is not None and not isinstance(graph["points"], list):
            problems.append(Problem(f"graphs[{g_index}].points", "ist keine Liste."))
            continue
        config = _config(graph)
        if config.get("isAvg"):
            title = str(config.get("title") or "")
            region = average_name or (title if title and title != main_config.get("title") else "Durchschnitt")
        else:
            region = ""
        seen: set[int] = set()
        for p_index, point in enumerate(graph.get("points") or []):
            where = f"graphs[{g_index}].points[{p_index}]"
            if not isinstance(point, list) or len(point) != 2:
                problems.append(Problem(where, "erwartet [Jahr, Wert]."))
                continue
            year_raw, value = point
            year_text = str(year_raw)[:20]
            if isinstance(year_raw, Decimal) and year_raw.is_finite() and abs(year_raw) < 10_000:
                year_text = str(int(year_raw)) if year_raw == year_raw.to_integral_value() else year_text
            if not YEAR.match(year_text):
                problems.append(Problem(where, f"„{year_raw}“ ist kein Jahr."))
                continue
            year = int(year_text)
            if year in seen:
                problems.append(Problem(where, f"Jahr {year} doppelt."))
                continue
            seen.add(year)
            if value is None or (isinstance(value, str) and value.strip().lower() in MISSING_MARKS):
                points.append(Point(year, None, region, "kein Wert im SDG-Portal"))
                continue
            try:
                points.append(Point(year, _number(value), region))
            except ValueError as exc:
                problems.append(Problem(where, f"{exc}."))
    if problems:
        raise BnkImportError(name, problems)
    smaller = main_config.get("smallerIsBetter")
    return Imported(
        points,
        title=str(main_config.get("title") or ""),
        unit=str(main_config.get("unit") or ""),
        source="SDG-Portal",
        direction="" if smaller is None else ("lower" if smaller else "higher"),
        indicator_set="sdg-kommunen",
    )
