"""Property-based tests: every parser of the extension, fed arbitrary text and bytes, either
returns its result or raises ``BnkDataError`` with the file and a line – nothing else.

The budget is bounded (``max_examples``) so that ``make test`` stays fast; raise it locally with
``HYPOTHESIS_PROFILE=long``.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from pathlib import Path

import pytest
from bnk.config import BnkConfig
from bnk.data import BnkDataError
from bnk.data.catalogue import code_key, load_catalogue
from bnk.data.csvdata import IndicatorData, load_indicator_csv
from bnk.data.indicator import parse_points_option, parse_years_option
from bnk.data.measures import MeasuresTable, load_measures
from bnk.data.metadata import IndicatorMeta, load_metadata
from bnk.data.sdgs import parse_sdg_list
from bnk.data.tables import TableData, load_table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

settings.register_profile(
    "bounded", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile("long", max_examples=2000, deadline=None)
settings.register_profile("medium", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "bounded"))

TMP = Path(tempfile.mkdtemp(prefix="bnk-fuzz-"))
_names = itertools.count()

# Text that looks like the files it is fed to, plus anything at all.
CSV_ALPHABET = st.sampled_from(list('year,value,region\n"\r ;.-+0123456789eE٣²\ufeff\u202eNaN\x00ä'))
csv_like = st.text(CSV_ALPHABET, max_size=300)
yaml_like = st.text(st.sampled_from(list("title: unit:%\n -[]{}&*!'\"#|>?,.0123456789 abc\t\u202e.nan")), max_size=300)
toml_like = st.text(
    st.sampled_from(list('[[chapter]]\n.aspect number="1.2" title kind=scope 0123456789\'"{}')), max_size=300
)
anything = st.one_of(st.text(max_size=300), st.binary(max_size=300).map(lambda b: b.decode("latin-1")))


def _file(suffix: str, content: str | bytes) -> Path:
    # A new name per example: the parsers cache by path, size and mtime.
    path = TMP / f"f{next(_names)}{suffix}"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8", "surrogatepass"))
    return path


def _only_located_errors(call, paths: Path | tuple[Path | None, ...], result_type: type) -> None:
    """``call()`` returns a ``result_type`` or raises a BnkDataError located in one of ``paths``."""
    paths = paths if isinstance(paths, tuple) else (paths,)
    try:
        result = call()
    except BnkDataError as exc:
        assert exc.path in [str(p) for p in paths if p is not None], (exc.path, paths)
        assert isinstance(exc.line, int) and exc.line >= 1, exc.line
        assert exc.msg.strip()
    else:
        assert isinstance(result, result_type)


@given(st.one_of(csv_like, anything, st.binary(max_size=300)))
def test_indicator_csv_raises_only_located_data_errors(content):
    path = _file(".csv", content)
    _only_located_errors(lambda: load_indicator_csv(path), path, IndicatorData)


@given(st.one_of(yaml_like, anything, st.binary(max_size=300)))
def test_indicator_metadata_raises_only_located_data_errors(content):
    path = _file(".yaml", content)
    _only_located_errors(lambda: load_metadata(path, "x"), path, IndicatorMeta)


GOOD_TABLE_YAML = "title: T\ncolumns:\n  a: A\n  b: {label: B, type: number}\n"


@given(st.one_of(csv_like, anything), st.one_of(st.just(GOOD_TABLE_YAML), yaml_like, anything))
def test_data_table_raises_only_located_data_errors(csv_text, yaml_text):
    csv_path, meta_path = _file(".csv", "a,b\n" + csv_text), _file(".yaml", yaml_text)
    _only_located_errors(lambda: load_table(csv_path, meta_path), (csv_path, meta_path), TableData)


MEASURES_HEADER = "nr,handlungsziel,empfehlung,zustaendigkeit,zeitrahmen,status\n"


@given(st.one_of(csv_like, anything), st.one_of(st.none(), yaml_like))
def test_measures_raise_only_located_data_errors(csv_text, yaml_text):
    csv_path = _file(".csv", MEASURES_HEADER + csv_text)
    meta_path = None if yaml_text is None else _file(".yaml", yaml_text)
    _only_located_errors(lambda: load_measures(csv_path, meta_path), (csv_path, meta_path), MeasuresTable)


@given(st.one_of(toml_like, anything, st.binary(max_size=300)))
def test_catalogue_raises_only_located_data_errors(content):
    path = _file(".toml", content)
    try:
        load_catalogue(str(path))
    except BnkDataError as exc:
        assert exc.path == str(path)
        assert exc.line is None or exc.line >= 1
        assert exc.msg.strip()


@given(anything)
def test_directive_arguments_and_options_never_crash(text):
    # Aspect and chapter codes, :sdg:, :years: and :points: – only ASCII digits are numbers.
    # Aspect and chapter codes: ASCII letters and digits, parts joined by "." or "-".
    key = code_key(text)
    assert key is None or (key.isascii() and key == key.lower() and key.replace(".", "").replace("-", "").isalnum())
    numbers, invalid = parse_sdg_list(text)
    assert all(1 <= n <= 17 for n in numbers) and all(isinstance(i, str) for i in invalid)
    for parse in (parse_years_option, parse_points_option):
        try:
            parse(text)
        except BnkDataError as exc:
            assert exc.msg.strip()


config_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.text(max_size=5), st.integers()), inner, max_size=4)
    ),
    max_leaves=10,
)


@given(config_values)
def test_config_validators_judge_any_value_without_crashing(value):
    from dataclasses import fields

    for f in fields(BnkConfig):
        assert f.metadata["validator"](value) in (True, False), f.name


# -- importers through the command: "a located German error or exact data, never a traceback,
# never a changed file on error" ---------------------------------------------------------------

GOOD_CSV = "year,value\n2015,1\n2016,2\n"
BROKEN_CSV = GOOD_CSV + "2017,3,4\n"  # a row the build's parser cannot read
SHEET_CELLS = st.sampled_from(
    ["Jahr", "Wert", "2019", "2020", "2020", "8,4", "1.234,5", "-", "k. A.", "x", "", "Quelle: A", '"', "1e400",
     "1" * 25, "٢٠٢٠", "NaN", "\u202e", "\x00"]
)  # fmt: skip
sheet_text = st.lists(st.lists(SHEET_CELLS, max_size=5), max_size=6).flatmap(
    lambda rows: st.sampled_from([";", ",", "\t"]).map(lambda sep: "\r\n".join(sep.join(r) for r in rows))
)
genesis_text = st.text(
    st.sampled_from(list('time;value_q_variable_attribute_code1_05370DG\n0123456789,.-x"')), max_size=300
).map(lambda t: "time;value;value_q;1_variable_attribute_code;value_variable_code\n" + t)
json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(
        ["graphs", "config", "points", "isAvg", "title", "unit", "smallerIsBetter"]), inner, max_size=4)),
    max_leaves=20,
)  # fmt: skip


def _run_import(fmt: str, source: Path, existing: str | None) -> tuple[int, str, Path]:
    """``bnk import`` in this process: (exit code, output, the target CSV)."""
    import contextlib
    import io

    from bnk.cli import main

    root = TMP / f"bericht{next(_names)}"
    (root / "data").mkdir(parents=True)
    (root / "conf.py").write_text('extensions = ["bnk"]\n', encoding="utf-8")
    target = root / "data/x.csv"
    if existing is not None:
        target.write_text(existing, encoding="utf-8")
    args = ["import", fmt, str(source), "--id", "x", "--bericht", str(root), "--force", "--ags", "05370"]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(args)  # an exception here is the bug this test looks for
    return code, out.getvalue(), target


def _assert_error_or_exact_data(fmt: str, source: Path, read) -> None:
    from bnk.importers import BnkImportError
    from bnk.importers.output import csv_text

    for existing in (None, GOOD_CSV, BROKEN_CSV):
        code, out, target = _run_import(fmt, source, existing)
        if code != 0:
            assert out.strip(), "a refusal says why"
            assert (target.read_text(encoding="utf-8") if target.exists() else None) == existing  # unchanged
            continue
        assert existing != BROKEN_CSV, "a CSV with an unreadable row was rewritten"
        try:
            imported = read()
        except BnkImportError:  # pragma: no cover - the command succeeded, so the reader does
            raise AssertionError("the command wrote what the importer refuses") from None
        expected = csv_text(imported.points)
        assert target.read_text(encoding="utf-8") == (existing if existing == expected else expected)


@given(sheet_text, st.booleans())
def test_import_tabelle_gives_a_located_error_or_exact_data(text, bom):
    from bnk.importers.sheets import import_sheet, read_csv

    source = _file(".csv", (("\ufeff" if bom else "") + text).encode("utf-8", "surrogatepass"))
    _assert_error_or_exact_data("tabelle", source, lambda: import_sheet(read_csv(source), str(source)))


@given(st.one_of(genesis_text, anything))
def test_import_genesis_gives_a_located_error_or_exact_data(text):
    from bnk.importers.genesis import import_genesis

    source = _file(".csv", text.encode("utf-8", "surrogatepass"))
    _assert_error_or_exact_data("genesis", source, lambda: import_genesis(source, "05370"))


@given(st.one_of(json_value.map(lambda v: __import__("json").dumps({"graphs": [v]})), anything))
def test_import_sdg_portal_gives_a_located_error_or_exact_data(text):
    from bnk.importers.sdgportal import import_sdg_portal

    source = _file(".json", text.encode("utf-8", "surrogatepass"))
    _assert_error_or_exact_data("sdg", source, lambda: import_sdg_portal(source))


@pytest.mark.fuzz
@settings(max_examples=1500, deadline=None)
@given(sheet_text, st.one_of(genesis_text, anything))
def test_importers_with_a_large_budget(sheet, genesis):
    """``pytest -m fuzz``: the same invariants with a large budget (minutes; not in make test)."""
    test_import_tabelle_gives_a_located_error_or_exact_data.hypothesis.inner_test(sheet, False)
    test_import_genesis_gives_a_located_error_or_exact_data.hypothesis.inner_test(genesis)
