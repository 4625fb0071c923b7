"""``bnk-report.json``: the machine-readable contract of a report, written with every HTML build.

Top-level keys: ``report`` (kommune, report_year, edition, the other ``bnk_report`` fields),
``chapters``, ``aspects`` (with their plain ``text``), ``indicators``, ``examples``, ``values``
(every ``bnk:wert`` figure in the text: reference, shown text, exact number, page, line). Keys are
sorted and lists are in a stable order, so the file diffs cleanly.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bnk.config import get_catalogue, get_report
from bnk.data.catalogue import code_key
from bnk.domain import get_bnk_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from bnk.domain import BnkDomain

EXPORT_NAME = "bnk-report.json"
SCHEMA_VERSION = 3  # 3: any catalogue (codes as text unless numbers), Kernindikatoren; 2: targets as numbers
SCHEMA_PATH = Path(__file__).parent / "schema" / "bnk-report.schema.json"


def build_export(app: Sphinx) -> dict[str, Any]:
    """The export as a plain dict."""
    env = app.env
    model = get_report(env)
    domain = get_bnk_domain(env)
    coverage = domain.coverage(env)
    catalogue = get_catalogue(env)
    # The valid bnk_report keys as written, with the model's Kommune and year and the edition of
    # the catalogue in use.
    report = dict(model.fields)
    report.update(
        kommune=model.kommune.name or app.config.project,
        report_year=model.year,
        edition=catalogue.edition if catalogue else model.edition,
        schema_version=SCHEMA_VERSION,
    )
    chapters: list[dict[str, Any]] = []
    aspects: list[dict[str, Any]] = []
    if coverage is not None:
        for chapter in coverage.chapters:
            chapters.append(
                {
                    "number": export_code(chapter.number),
                    "title": chapter.heading,
                    "status": chapter.status,
                    "reason": chapter.reason or None,
                    "page": chapter.docname,
                }
            )
            for aspect in chapter.aspects:
                aspects.append(
                    {
                        "number": aspect.number,
                        "title": aspect.title,
                        "chapter": export_code(aspect.chapter),
                        "status": aspect.status,
                        "reason": aspect.reason or None,
                        "page": aspect.docname,
                        "text": _aspect_text(domain, aspect.docname, aspect.number),
                    }
                )
    indicators = []
    seen: set[str] = set()
    for docname in sorted(domain.data["indicators"]):
        for record in domain.data["indicators"][docname]:
            if record["id"] in seen:
                continue  # placed twice: a bnk.indicator warning; the export keeps the first place
            seen.add(record["id"])
            item = {k: v for k, v in record.items() if k not in ("line", "chart_spec")}
            item["page"] = docname
            item["chapter"] = export_code(record["chapter"])
            indicators.append(item)
    position = catalogue.position if catalogue else (lambda _chapter: 0)
    indicators.sort(key=lambda r: (position(r["chapter"]) if r["chapter"] is not None else -1, r["page"], r["id"]))
    core_indicators = [
        {
            "code": core.code,
            "title": core.title,
            "aspect": core.aspect,
            "unit": core.unit,
            "status": core.status,
            "reason": core.reason or None,
            "page": core.docname,
            "indicator": core.indicator,
        }
        for core in (coverage.core if coverage else [])
    ]
    examples = [
        {
            "label": record["label"],
            "number": record["number"],
            "title": record["title"],
            "chapter": export_code(record["number"].rsplit(".", 1)[0]) if "." in record["number"] else None,
            "page": docname,
        }
        for docname in sorted(domain.data["examples"])
        for record in domain.data["examples"][docname]
    ]
    examples.sort(
        key=lambda r: (position(str(r["chapter"])) if r["chapter"] is not None else -1, r["page"], r["label"])
    )
    # Figures in running text (bnk:wert), in page and line order.
    values = [
        dict(record) | {"page": docname}
        for docname in sorted(domain.data["values"])
        for record in domain.data["values"][docname]
    ]
    values.sort(key=lambda r: (r["page"], r["line"] or 0, r["reference"]))
    return {
        "report": report,
        "chapters": chapters,
        "aspects": aspects,
        "core_indicators": core_indicators,
        "indicators": indicators,
        "examples": examples,
        "values": values,
    }


def export_code(code: str | None) -> int | str | None:
    """A chapter code as exported: a number where it is one (BNK 1.0: 1–18), else the code as text."""
    if code is None:
        return None
    text = code.strip()
    return int(text) if text.isascii() and text.isdigit() else text


def _aspect_text(domain: BnkDomain, docname: str | None, number: str) -> str | None:
    if docname is None:
        return None
    for record in domain.data["aspects"].get(docname, []):
        if record["number"] == code_key(number):
            return record.get("text")
    return None


EXPORT_KEYS = {"report": dict, "chapters": list, "aspects": list, "indicators": list, "examples": list}


def export_problem(data: Any) -> str | None:
    """Why ``data`` is no ``bnk-report.json`` (German), or None; needs no ``jsonschema``.

    ``bnk diff`` uses it on JSON files given by the author, so that any JSON file is refused with
    a message instead of a traceback or a silent "no changes".
    """
    if not isinstance(data, dict):
        return f"erwartet ein JSON-Objekt, gefunden: {type(data).__name__}"
    missing = [key for key, kind in EXPORT_KEYS.items() if not isinstance(data.get(key), kind)]
    if missing:
        return "es fehlen die Teile " + ", ".join(f"„{key}“" for key in missing)
    records = [r for key in ("chapters", "aspects", "indicators", "examples") for r in data[key]]
    if not all(isinstance(r, dict) for r in records):
        return "die Listen enthalten etwas anderes als Einträge (JSON-Objekte)"
    if any(not isinstance(r.get("id"), str) for r in data["indicators"]):
        return "ein Indikator hat keine „id“"
    return None


def load_schema() -> dict[str, Any]:
    """The JSON Schema of ``bnk-report.json`` (shipped in the package)."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def validate_export(data: dict[str, Any]) -> None:
    """Check an export against the schema (needs the ``jsonschema`` package, a test extra).

    :raises jsonschema.ValidationError: the export breaks the contract
    """
    import jsonschema  # type: ignore[import-untyped,unused-ignore]

    error = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is not None:
        raise error


@functools.cache
def _validator() -> Any:
    """The schema's validator, checked and compiled once per process: the test suite validates
    every export of hundreds of builds, and checking the schema itself each time cost a quarter
    of a second per build."""
    import jsonschema  # type: ignore[import-untyped,unused-ignore]

    schema = load_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=jsonschema.FormatChecker())


def write_export(app: Sphinx, exception: Exception | None) -> None:
    """Write ``bnk-report.json`` next to the HTML (``build-finished``)."""
    if exception is not None or app.builder.format != "html":
        return
    data = build_export(app)
    if os.environ.get("BNK_VALIDATE_EXPORT"):
        # Set by the test suite: every export any test writes is checked against the contract
        # (a violation is a bug, reported through the boundary as bnk.internal).
        validate_export(data)
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    path = Path(app.outdir) / EXPORT_NAME
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
