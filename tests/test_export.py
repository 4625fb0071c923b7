"""The export is a contract: bnk-report.json follows the JSON Schema shipped in the package."""

from __future__ import annotations

import json

import jsonschema
import pytest
from bnk.export import SCHEMA_PATH, load_schema, validate_export


def _export(app) -> dict:
    return json.loads((app.outdir / "bnk-report.json").read_text(encoding="utf-8"))


def test_schema_is_shipped_and_a_valid_schema():
    assert SCHEMA_PATH.is_file()
    jsonschema.Draft202012Validator.check_schema(load_schema())


def test_indicator_export_has_numbers_report_year_series_and_the_new_fields(make_bnk_app):
    app = make_bnk_app("indicators")
    app.build()
    data = _export(app)
    validate_export(data)
    assert data["report"]["schema_version"] == 3
    by_id = {r["id"]: r for r in data["indicators"]}
    share = by_id["anteil-erneuerbar"]
    # bnk_report_year = 2021 in the test root: the series stops there.
    assert all(year <= 2021 for series in share["series"].values() for year in series["years"])
    assert share["direction"] == "higher"
    assert share["sdgs"] == [7]
    assert isinstance(share["decimals"], int)
    assert isinstance(share["notes"], list) and isinstance(share["errata"], list)
    targets = [t for r in data["indicators"] for t in r["targets"] if t["value"] is not None]
    assert targets and all(isinstance(t["value"], int | float) for t in targets)


@pytest.mark.parametrize(
    ("path", "bad"),
    [
        (("indicators", 0, "change_abs"), "+0,9"),  # a number as text
        (("indicators", 0, "targets"), [{"kind": "value", "text": "", "value": "80", "year": 2030, "direction": None}]),
        (("report", "schema_version"), 1),
        (("indicators", 0, "sdgs"), [18]),
    ],
    ids=["text-number", "text-target", "old-version", "sdg-18"],
)
def test_schema_rejects_what_breaks_the_contract(make_bnk_app, path, bad):
    app = make_bnk_app("indicators")
    app.build()
    data = _export(app)
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = bad
    with pytest.raises(jsonschema.ValidationError):
        validate_export(data)
