"""From imported points to ``data/<id>.csv`` (machine format) and a metadata skeleton, with a plan
of what changes: nothing is overwritten unless the caller says so."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from bnk.importers import Imported, Point, gap_notes, machine_text

ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
UNIT_ALIASES = {"prozent": "%", "percent": "%", "anteil in %": "%", "eur": "Euro", "euro": "Euro"}


@dataclass
class Plan:
    """The files an import writes and what changes in each, in German lines for the author."""

    csv_path: Path
    csv_text: str
    yaml_path: Path
    yaml_text: str | None  # None: the metadata file exists and is kept
    changes: list[str]
    blocked: bool  # the CSV exists with other content and --force was not given


def csv_text(points: list[Point]) -> str:
    """The machine format: ``year[,region],value``, decimal point, years ascending, gaps left out."""
    with_regions = any(p.region for p in points)
    rows = sorted((p for p in points if p.value is not None), key=lambda p: (p.year, p.region != "", p.region))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["year", "region", "value"] if with_regions else ["year", "value"])
    for p in rows:
        value = machine_text(p.value)  # type: ignore[arg-type]
        writer.writerow([p.year, p.region, value] if with_regions else [p.year, value])
    return out.getvalue()


def _read_existing(path: Path) -> dict[tuple[str, str], str]:
    try:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    except (OSError, UnicodeDecodeError):
        return {}
    if not rows:
        return {}
    header = rows[0]
    out = {}
    for row in rows[1:]:
        if len(row) != len(header) or not row:
            continue
        region = " / ".join(c for c in row[1:-1] if c.strip())
        out[(row[0], region)] = row[-1]
    return out


def describe_changes(old: dict[tuple[str, str], str], new: dict[tuple[str, str], str]) -> list[str]:
    """German lines: new, changed and removed values (year and series named)."""

    def label(key: tuple[str, str]) -> str:
        return f"{key[0]}" + (f" ({key[1]})" if key[1] else "")

    lines = []
    for key in sorted(set(old) | set(new), key=lambda k: (k[1], k[0])):
        if key not in old:
            lines.append(f"  neu       {label(key)}: {new[key]}")
        elif key not in new:
            lines.append(f"  entfällt  {label(key)}: {old[key]}")
        elif old[key] != new[key]:
            lines.append(f"  geändert  {label(key)}: {old[key]} → {new[key]}")
    return lines


def skeleton(imported: Imported, source_file: str, retrieved: date, command: str, overrides: dict[str, str]) -> str:
    """The metadata YAML the author completes; every field the build needs is present."""
    unit = overrides.get("unit") or imported.unit
    unit = UNIT_ALIASES.get(unit.strip().lower(), unit.strip())
    source = overrides.get("source") or imported.source
    provenance = f"Tabelle {imported.table}, " if imported.table else ""
    if source:
        source = f"{source} ({provenance}abgerufen am {retrieved:%d.%m.%Y})"
    notes = [
        f"Importiert mit „{command}“ aus {source_file}"
        + (f" (Tabelle {imported.table})" if imported.table else "")
        + f", abgerufen am {retrieved:%d.%m.%Y}.",
        *gap_notes(imported.points),
        *imported.notes,
    ]
    data = {
        "title": overrides.get("title") or imported.title,
        "definition": overrides.get("definition") or "",
        "unit": unit,
        "source": source,
        "indicator_set": overrides.get("indicator_set") or imported.indicator_set,
        "direction": overrides.get("direction") or imported.direction,
        "sdgs": [int(s) for s in re.findall(r"\d+", overrides.get("sdgs", ""))],
        "targets": [],
        "notes": notes,
    }
    if imported.source_url or overrides.get("source_url"):
        data["source_url"] = overrides.get("source_url") or imported.source_url
    head = (
        "# Metadaten des Indikators – bitte leere Felder ergänzen (definition, direction …);\n"
        "# der Bau meldet jedes fehlende Pflichtfeld mit Zeile.\n"
    )
    return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def make_plan(
    report: Path,
    indicator_id: str,
    imported: Imported,
    source_file: str,
    retrieved: date,
    command: str,
    overrides: dict[str, str],
    force: bool,
) -> Plan:
    """What an import would write, and whether it may."""
    csv_path = report / "data" / f"{indicator_id}.csv"
    yaml_path = report / "data" / f"{indicator_id}.yaml"
    text = csv_text(imported.points)
    new = _read_existing_text(text)
    changes: list[str] = []
    blocked = False
    values = [p for p in imported.points if p.value is not None]
    years = sorted({p.year for p in values})
    series = sorted({p.region or "Kommune" for p in values}, key=lambda s: (s != "Kommune", s))
    span = f"{years[0]}–{years[-1]}" if years else "keine Jahre"
    gaps = sum(p.value is None for p in imported.points)
    if csv_path.exists():
        old = _read_existing(csv_path)
        diff = describe_changes(old, new)
        if not diff:
            changes.append(f"{csv_path}: unverändert ({len(values)} Werte).")
        else:
            blocked = not force
            verb = "wird überschrieben" if force else "gibt es schon – nichts geschrieben (mit --force überschreiben)"
            changes.append(f"{csv_path} {verb}:")
            changes.extend(diff)
    else:
        changes.append(f"{csv_path}: neu, {len(values)} Werte {span}, Reihen: {', '.join(series)}.")
    if gaps:
        changes.append(f"  {gaps} Lücke(n) ohne Wert, in den Metadaten als Hinweis vermerkt (keine Nullwerte).")
    yaml_text: str | None = None
    if yaml_path.exists():
        changes.append(f"{yaml_path}: bleibt unverändert (Metadaten werden nie überschrieben).")
    else:
        yaml_text = skeleton(imported, source_file, retrieved, command, overrides)
        changes.append(f"{yaml_path}: neu, Gerüst der Metadaten (Einheit, Quelle, Abruf) – bitte ergänzen.")
    return Plan(csv_path, text, yaml_path, yaml_text, changes, blocked)


def _read_existing_text(text: str) -> dict[tuple[str, str], str]:
    rows = list(csv.reader(io.StringIO(text)))
    return {(r[0], " / ".join(c for c in r[1:-1] if c)): r[-1] for r in rows[1:]}


def apply(plan: Plan) -> None:
    """Write the planned files (UTF-8 without BOM, ``\\n`` line ends on every system)."""
    plan.csv_path.parent.mkdir(parents=True, exist_ok=True)
    plan.csv_path.write_text(plan.csv_text, encoding="utf-8", newline="\n")
    if plan.yaml_text is not None:
        plan.yaml_path.write_text(plan.yaml_text, encoding="utf-8", newline="\n")
