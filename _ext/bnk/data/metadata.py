"""Indicator metadata (YAML beside the CSV): validated into a frozen dataclass, with line numbers."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bnk.data import BnkDataError
from bnk.data.catalogue import code_key
from bnk.data.files import cached, load_yaml, read_text

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

INDICATOR_SETS = {
    "sdg-kommunen": "SDG-Indikatoren für Kommunen",
    "eigene": "selbst gewählter Indikator",
}
DIRECTIONS = {"higher": "höher ist besser", "lower": "niedriger ist besser", "none": "keine Richtung"}
KNOWN_FIELDS = {
    "title",
    "definition",
    "unit",
    "source",
    "source_url",
    "indicator_set",
    "direction",
    "sdgs",
    "decimals",
    "targets",
    "notes",
    "reference",
    "errata",
    "no_data_reason",
    "comparisons",
    "plural",
    "kernindikator",
}
# Fields of earlier versions (``printed_<year>``, named after the first report's printed edition):
# the message says how to rename them.
RENAMED_FIELD = re.compile(r"^printed_\d{4}$")
REQUIRED = ("title", "definition", "unit", "indicator_set", "direction")
# Base units (the part before " je …"); a report adds its own with bnk_units in conf.py.
KNOWN_UNITS = (
    "%",
    "Anzahl",
    "Index",
    "Euro",
    "€",
    "EUR",
    "Tsd. Euro",
    "Mio. Euro",
    "m",
    "km",
    "m²",
    "km²",
    "ha",
    "kg",
    "t",
    "Tsd. t",
    "l",
    "m³",
    "kWh",
    "MWh",
    "GWh",
    "kWh/a",
    "MWh/a",
    "GWh/a",
    "µg/m³",
    "kg/ha",
    "t CO₂-Äq.",
    "t CO₂-Äq./a",
    "Tsd. t CO₂-Äq./a",
    "Jahre",
    "Tage",
    "Stunden",
    "Minuten",
    "Personen",
    "Einwohnende",
    "Haushalte",
    "Kinder",
    "Beschäftigte",
    "Plätze",
    "Betten",
    "Fälle",
    "Straftaten",
    "Todesfälle",
    "Pkw",
    "Betriebe",
    "Unternehmen",
    "Schulen",
    "Kommunen",
)
MAX_BYTES = 256 * 1024
MAX_ABS_TARGET = Decimal("1e15")


@dataclass(frozen=True)
class Target:
    """A target: a value by a year, a value to be held every year, or only a direction."""

    kind: str  # "value" | "hold" | "direction"
    text: str
    value: Decimal | None = None
    year: int | None = None
    direction: str | None = None  # for kind == "direction": "higher" | "lower"
    line: int | None = field(default=None, compare=False)  # of "targets" in the metadata file


@dataclass(frozen=True)
class Printed:
    """What the reference edition (``bnk_report['reference']``) showed for the indicator, to
    compare with the computation (metadata field ``reference``)."""

    years: tuple[str, ...]
    values: tuple[str, ...]
    change_abs: str
    change_rel: str


@dataclass(frozen=True)
class Comparison:
    """A comparison figure the data files do not hold as a series (e.g. a printed Land average).

    ``name`` is what a ``bnk:wert`` reference names (``strom-windkraft:change_rel:NRW``).
    """

    name: str
    label: str
    source: str
    period: str = ""
    year: int | None = None
    value: Decimal | None = None
    change_abs: Decimal | None = None
    change_rel: Decimal | None = None


COMPARISON_FIELDS = {"name", "label", "source", "period", "year", "value", "change_abs", "change_rel"}
TARGET_FIELDS = {"value", "year", "hold", "direction", "text"}


@dataclass(frozen=True)
class IndicatorMeta:
    """Validated metadata of one indicator."""

    id: str
    path: str
    title: str
    definition: str
    unit: str
    source: str
    indicator_set: str
    direction: str
    sdgs: tuple[int, ...] = ()
    decimals: int | None = None
    targets: tuple[Target, ...] = ()
    notes: tuple[str, ...] = ()
    errata: tuple[str, ...] = ()
    printed: Printed | None = None
    no_data_reason: str = ""
    source_url: str = ""
    comparisons: tuple[Comparison, ...] = ()
    plural: bool = False  # the title is a plural ("Straftaten"): texts say "sanken", not "sank"
    kernindikator: str = ""  # the code of the catalogue's Kernindikator this indicator shows


def _text(raw: dict[str, Any], key: str, path: str, line: int | None, required: bool = True) -> str:
    value = raw.get(key)
    if value is None:
        if required:
            raise BnkDataError(f"Pflichtfeld „{key}“ fehlt.", path, line)
        return ""
    if not isinstance(value, str):
        raise BnkDataError(f"Feld „{key}“ muss Text sein (gefunden: {value!r}).", path, line)
    if required and not value.strip():
        raise BnkDataError(f"Pflichtfeld „{key}“ ist leer.", path, line)
    return value.strip()


def _text_list(raw: dict[str, Any], key: str, path: str, line: int | None) -> tuple[str, ...]:
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BnkDataError(f"Feld „{key}“ muss eine Liste von Texten sein.", path, line)
    return tuple(v.strip() for v in value if v.strip())


def _number(value: Any) -> Decimal | None:
    """A finite YAML number as Decimal; None for anything else (text, bool, .nan, .inf)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    number = Decimal(str(value))
    return number if abs(number) < MAX_ABS_TARGET else None


def _entries(
    raw: dict[str, Any], key: str, noun: str, shape: str, allowed: set[str], path: str, line: int | None
) -> Iterator[tuple[str, dict[str, Any]]]:
    """The entries of the list field ``key``, each checked to be a mapping of ``allowed`` fields,
    with the German name of the entry for messages (``Ziel 2 in „targets“``)."""
    value = raw.get(key) or []
    if not isinstance(value, list):
        raise BnkDataError(f"Feld „{key}“ muss eine Liste sein.", path, line)
    for i, entry in enumerate(value, start=1):
        where = f"{noun} {i} in „{key}“"
        if not isinstance(entry, dict):
            raise BnkDataError(f"{where} muss eine Zuordnung sein ({shape}).", path, line)
        unknown = set(entry) - allowed
        if unknown:
            raise BnkDataError(f"{where}: unbekanntes Feld „{sorted(unknown)[0]}“.", path, line)
        yield where, entry


def _is_year(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2200


def _choice(raw: dict[str, Any], key: str, allowed: dict[str, str], path: str, lines: dict[str, int]) -> str:
    """The value of ``key``, which must be one of the keys of ``allowed``."""
    value = raw.get(key)
    if not isinstance(value, str) or value not in allowed:  # a YAML list or mapping is no key
        raise BnkDataError(f"„{key}“ ist {value!r}; erlaubt: {', '.join(allowed)}.", path, lines.get(key))
    return value


def _targets(raw: dict[str, Any], path: str, line: int | None) -> tuple[Target, ...]:
    targets = []
    for where, entry in _entries(raw, "targets", "Ziel", "value/year, hold oder direction", TARGET_FIELDS, path, line):
        text = entry.get("text", "")
        if not isinstance(text, str):
            raise BnkDataError(f"{where}: „text“ muss Text sein.", path, line)
        if "direction" in entry:
            if entry["direction"] not in ("higher", "lower") or "value" in entry:
                raise BnkDataError(f"{where}: „direction“ ist higher oder lower und steht ohne „value“.", path, line)
            targets.append(Target("direction", text.strip(), direction=entry["direction"]))
            continue
        raw_value = entry.get("value")
        if isinstance(raw_value, float) and not math.isfinite(raw_value):
            raise BnkDataError(f"{where}: „value“ ist {raw_value}; bitte eine endliche Zahl angeben.", path, line)
        number = _number(raw_value)
        if number is None:
            raise BnkDataError(f"{where}: „value“ muss eine Zahl sein.", path, line)
        hold = entry.get("hold", False)
        if not isinstance(hold, bool):
            # "hold: nein" is text, and text is true in YAML's eyes: refuse instead of guessing.
            raise BnkDataError(f"{where}: „hold“ ist true oder false (gefunden: {hold!r}).", path, line)
        if hold:
            if "year" in entry:
                raise BnkDataError(f"{where}: ein zu haltendes Ziel hat kein Zieljahr.", path, line)
            targets.append(Target("hold", text.strip(), value=number))
            continue
        year = entry.get("year")
        if not _is_year(year):
            raise BnkDataError(
                f"{where}: „year“ muss ein Jahr sein (oder „hold: true“ für ein jährlich zu haltendes Ziel).",
                path,
                line,
            )
        targets.append(Target("value", text.strip(), value=number, year=year, line=line))
    return tuple(targets)


def _decimal(value: Any, where: str, path: str, line: int | None) -> Decimal | None:
    """A number written as a YAML number or as machine-format text (``"+67.0"`` keeps its decimal)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise BnkDataError(f"{where} muss eine Zahl sein (gefunden: {value!r}).", path, line)
    text = str(value).strip()
    if not re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", text):
        raise BnkDataError(
            f"{where}: „{text}“ ist keine Zahl im Maschinenformat (Dezimalpunkt, z. B. „67.0“).", path, line
        )
    return Decimal(text.lstrip("+"))


def _comparisons(raw: dict[str, Any], path: str, line: int | None) -> tuple[Comparison, ...]:
    result = []
    for where, entry in _entries(
        raw, "comparisons", "Vergleich", "name, label, source, …", COMPARISON_FIELDS, path, line
    ):
        for key in ("name", "label", "source"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise BnkDataError(f"{where}: Pflichtfeld „{key}“ fehlt oder ist kein Text.", path, line)
        year = entry.get("year")
        if year is not None and not _is_year(year):
            raise BnkDataError(f"{where}: „year“ muss ein Jahr sein.", path, line)
        numbers = {
            key: _decimal(entry.get(key), f"{where}: „{key}“", path, line)
            for key in ("value", "change_abs", "change_rel")
        }
        if all(v is None for v in numbers.values()):
            raise BnkDataError(f"{where} nennt keine Zahl (value, change_abs oder change_rel).", path, line)
        result.append(
            Comparison(
                name=entry["name"].strip(),
                label=entry["label"].strip(),
                source=entry["source"].strip(),
                period=str(entry.get("period") or "").strip(),
                year=year,
                **numbers,
            )
        )
    return tuple(result)


def _printed(raw: dict[str, Any], path: str, line: int | None) -> Printed | None:
    value = raw.get("reference")
    if value is None:
        return None
    if not isinstance(value, dict):
        raise BnkDataError("Feld „reference“ muss eine Zuordnung sein.", path, line)
    years = value.get("years") or []
    values = value.get("values") or []
    if not isinstance(years, list) or not isinstance(values, list):
        raise BnkDataError("„reference“: years und values müssen Listen sein.", path, line)
    return Printed(
        tuple(str(y) for y in years),
        tuple(str(v) for v in values),
        str(value.get("change_abs", "")),
        str(value.get("change_rel", "")),
    )


def base_unit(unit: str) -> str:
    """The unit without its denominator: ``"Euro je Einwohnerin/Einwohner"`` → ``"Euro"``."""
    text = unit.strip()
    if text.startswith("je "):
        return ""
    return text.split(" je ", 1)[0].strip()


@cached()
def load_metadata(path: str | Path, indicator_id: str, extra_units: tuple[str, ...] = ()) -> IndicatorMeta:
    """Read and validate an indicator's YAML metadata (cached by path, size and mtime).

    :raises BnkDataError: with the line of the first problem
    """
    return _parse(str(path), indicator_id, tuple(extra_units))


def _parse(path: str, indicator_id: str, extra_units: tuple[str, ...] = ()) -> IndicatorMeta:
    text = read_text(path, "Die Metadaten", MAX_BYTES)
    raw, lines = load_yaml(text, path)
    if not isinstance(raw, dict):
        raise BnkDataError("Die Metadaten müssen eine YAML-Zuordnung (Feld: Wert) sein.", path, 1)
    for key in raw:
        if RENAMED_FIELD.match(str(key)):
            raise BnkDataError(
                f"Das Feld „{key}“ heißt jetzt „reference“: bitte umbenennen (die Angaben "
                "bleiben gleich). Mit welcher Ausgabe verglichen wird, steht in conf.py unter "
                "bnk_report['reference'] (Titel und Jahr).",
                path,
                lines.get(str(key)),
            )
        if key not in KNOWN_FIELDS:
            raise BnkDataError(
                f"Unbekanntes Feld „{key}“ (erlaubt: {', '.join(sorted(KNOWN_FIELDS))}).",
                path,
                lines.get(str(key)),
            )
    for key in REQUIRED:
        if key not in raw:
            raise BnkDataError(f"Pflichtfeld „{key}“ fehlt.", path, 1)
    no_data_reason = _text(raw, "no_data_reason", path, lines.get("no_data_reason"), required=False)
    source = _text(raw, "source", path, lines.get("source"), required=not no_data_reason)
    indicator_set = _choice(raw, "indicator_set", INDICATOR_SETS, path, lines)
    direction = _choice(raw, "direction", DIRECTIONS, path, lines)
    sdgs = raw.get("sdgs")
    if sdgs is None:  # "sdgs:" without a value; but 0, "" or {} are no list (`or []` hid them)
        sdgs = []
    if not isinstance(sdgs, list) or not all(
        isinstance(s, int) and not isinstance(s, bool) and 1 <= s <= 17 for s in sdgs
    ):
        raise BnkDataError("„sdgs“ muss eine Liste von SDG-Nummern 1 bis 17 sein.", path, lines.get("sdgs"))
    decimals = raw.get("decimals")
    if decimals is not None and (isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 6):
        raise BnkDataError("„decimals“ muss eine ganze Zahl von 0 bis 6 sein.", path, lines.get("decimals"))
    unit = _text(raw, "unit", path, lines.get("unit"))
    if unit.split()[-1:] == ["je"]:  # "Euro je": the denominator is missing ("je 1.000 …" alone is fine)
        raise BnkDataError(f"In der Einheit „{unit}“ fehlt, wonach geteilt wird (nach „je“).", path, lines.get("unit"))
    base = base_unit(unit)
    if base and base not in KNOWN_UNITS and base not in extra_units:
        raise BnkDataError(
            f"Unbekannte Einheit „{base}“ in „{unit}“. Bekannt sind z. B. %, Anzahl, Euro, GWh/a, "
            "Personen je 1.000 Einwohnende; eigene Einheiten bitte in conf.py unter bnk_units eintragen.",
            path,
            lines.get("unit"),
        )
    source_url = _text(raw, "source_url", path, lines.get("source_url"), required=False)
    plural = raw.get("plural", False)
    if not isinstance(plural, bool):
        raise BnkDataError(
            "„plural“ ist true (der Titel ist ein Plural, z. B. „Straftaten“) oder false.", path, lines.get("plural")
        )
    kernindikator = raw.get("kernindikator", "")
    if isinstance(kernindikator, int) and not isinstance(kernindikator, bool):
        kernindikator = str(kernindikator)
    if not isinstance(kernindikator, str) or (kernindikator.strip() and code_key(kernindikator) is None):
        raise BnkDataError(
            '„kernindikator“ ist der Code eines Kernindikators des Katalogs, z. B. kernindikator: "7".',
            path,
            lines.get("kernindikator"),
        )
    if source_url and not source_url.startswith(("https://", "http://")):
        raise BnkDataError("„source_url“ muss mit https:// oder http:// beginnen.", path, lines.get("source_url"))
    return IndicatorMeta(
        id=indicator_id,
        path=path,
        title=_text(raw, "title", path, lines.get("title")),
        definition=_text(raw, "definition", path, lines.get("definition")),
        unit=unit,
        source=source,
        indicator_set=indicator_set,
        direction=direction,
        sdgs=tuple(sorted(set(sdgs))),
        decimals=decimals,
        targets=_targets(raw, path, lines.get("targets")),
        notes=_text_list(raw, "notes", path, lines.get("notes")),
        errata=_text_list(raw, "errata", path, lines.get("errata")),
        printed=_printed(raw, path, lines.get("reference")),
        no_data_reason=no_data_reason,
        source_url=source_url,
        comparisons=_comparisons(raw, path, lines.get("comparisons")),
        plural=plural,
        kernindikator=kernindikator.strip(),
    )
