"""From imported points to ``data/<id>.csv`` (machine format) and a metadata skeleton, with a plan
of what changes: nothing is overwritten unless the caller says so, an existing CSV that the
build's own parser cannot fully read is never rewritten (a row it cannot parse would be lost), and
every file goes through the safe writer (inside the report, no symbolic link out, atomic)."""

from __future__ import annotations

import contextlib
import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from bnk.data import BnkDataError
from bnk.data.writer import TextFormat, check_name, inside, read_author_text, write_author_text
from bnk.importers import Imported, Point, gap_notes, machine_text

ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # with fullmatch: "x\n" is no id
UNIT_ALIASES = {"prozent": "%", "percent": "%", "anteil in %": "%", "eur": "Euro", "euro": "Euro"}


@dataclass
class Plan:
    """The files an import writes and what changes in each, in German lines for the author."""

    csv_path: Path
    csv_text: str
    yaml_path: Path
    yaml_text: str | None  # None: the metadata file exists and is kept
    changes: list[str]
    blocked: bool  # the CSV exists with other content and --force was not given, or is unreadable
    unchanged: bool = False  # the CSV exists with exactly these values: not rewritten


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


def check_id(indicator_id: str) -> str | None:
    """Why ``indicator_id`` is no indicator id (German), or None."""
    if not ID.fullmatch(indicator_id):
        return f"{indicator_id!r} taugt nicht als Kennung: nur Kleinbuchstaben, Ziffern und Bindestriche."
    try:
        check_name(indicator_id, "Die Kennung")
    except BnkDataError as exc:
        return exc.msg
    return None


def _read_existing(path: Path) -> dict[tuple[str, str], str]:
    """The values of an existing indicator CSV, read by the build's own parser.

    :raises BnkDataError: the file cannot be fully parsed (every problem with its line)
    """
    from bnk.data.csvdata import load_indicator_csv

    data = load_indicator_csv(path)
    return {
        (str(year), series.name): text
        for series in data.series
        for year, text in zip(series.years, series.texts, strict=True)
    }


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
    source: Path | None = None,
) -> Plan:
    """What an import would write, and whether it may.

    :param source: the file imported; if it is the CSV itself (a German Excel CSV turned into the
        machine format), the importer has just read all of it
    :raises BnkDataError: a target lies outside the report (e.g. a symbolic link out of ``data/``)
    """
    csv_path = report / "data" / f"{indicator_id}.csv"
    yaml_path = report / "data" / f"{indicator_id}.yaml"
    inside(report, csv_path)
    inside(report, yaml_path)
    text = csv_text(imported.points)
    new = _read_existing_text(text)
    changes: list[str] = []
    blocked = False
    values = [p for p in imported.points if p.value is not None]
    years = sorted({p.year for p in values})
    series = sorted({p.region or "Kommune" for p in values}, key=lambda s: (s != "Kommune", s))
    span = f"{years[0]}–{years[-1]}" if years else "keine Jahre"
    gaps = sum(p.value is None for p in imported.points)
    unchanged = False
    if csv_path.exists() and source is not None and source.resolve() == csv_path.resolve():
        blocked = not force
        verb = "wird ins Maschinenformat umgewandelt" if force else "bleibt, bis --force die Umwandlung erlaubt"
        changes.append(f"{csv_path} {verb}: {len(values)} Werte {span}.")
    elif csv_path.exists():
        try:
            old = _read_existing(csv_path)
        except BnkDataError as exc:
            problems = getattr(exc, "problems", None) or [exc]
            changes.append(
                f"{csv_path} gibt es schon und ist nicht vollständig lesbar – nichts geschrieben (auch nicht mit "
                "--force, sonst gingen die unlesbaren Zeilen verloren). Bitte zuerst berichtigen oder löschen:"
            )
            changes.extend(f"  Zeile {p.line}: {p.msg}" if p.line else f"  {p.msg}" for p in problems)
            return Plan(csv_path, text, yaml_path, None, changes, True)
        diff = describe_changes(old, new)
        if not diff:
            unchanged = True
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
    return Plan(csv_path, text, yaml_path, yaml_text, changes, blocked, unchanged)


def _read_existing_text(text: str) -> dict[tuple[str, str], str]:
    rows = list(csv.reader(io.StringIO(text)))
    return {(r[0], " / ".join(c for c in r[1:-1] if c)): r[-1] for r in rows[1:]}


def apply(plan: Plan, report: Path) -> None:
    """Write the planned files through the safe writer (a new file: UTF-8 without BOM, ``\\n``).

    :raises BnkDataError: a target lies outside the report
    """
    if not plan.unchanged:
        # The machine format has no BOM (the build refuses one); the line ends stay the file's.
        newline = "\n"
        if plan.csv_path.is_file():
            with contextlib.suppress(BnkDataError):  # a Windows-1252 export being converted
                newline = read_author_text(plan.csv_path)[1].newline
        write_author_text(report, plan.csv_path, plan.csv_text, TextFormat("utf-8", newline))
    if plan.yaml_text is not None:
        write_author_text(report, plan.yaml_path, plan.yaml_text)
