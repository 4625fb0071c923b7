"""The shapes the ``bnk`` domain stores and the export writes, defined once.

Every record is a plain ``TypedDict``: picklable (the environment is pickled between builds and
between parallel readers), JSON-serialisable (the export), and checked by mypy wherever it is
built or read. Bump ``env_version`` in ``bnk/__init__.py`` whenever a shape changes.
"""

from __future__ import annotations

from typing import TypedDict


class ChapterRecord(TypedDict):
    """A page declares a chapter (``# {bnk-heading}`NN```), maybe omitted as a whole."""

    number: str  # the chapter's key (see bnk.data.catalogue.code_key), e.g. "1" for "01"
    line: int | None
    omitted: bool
    reason: str
    omit_line: int | None
    has_content: bool  # anything besides heading and scope (for chapters without aspects)


class AspectRecord(TypedDict):
    """A ``bnk-aspect`` directive: reported or explained."""

    number: str | None  # normalised; None when the catalogue does not know it
    raw: str  # as written by the author
    title: str
    line: int | None
    page_chapter: str | None
    omitted: bool
    has_body: bool
    reason: str
    text: str  # plain text of the body (the review diff compares it)
    sdgs: list[int]
    responsible: str
    anchor: str


class CoreRecord(TypedDict):
    """A ``bnk-kernindikator`` directive: a Kernindikator explained (omitted) or still open."""

    code: str | None  # the key; None when it is no code
    raw: str  # as written by the author
    line: int | None
    omitted: bool
    has_body: bool
    reason: str
    anchor: str


class ExampleRecord(TypedDict):
    """A labelled Praxisbeispiel."""

    label: str
    number: str
    title: str
    line: int | None
    anchor: str
    sdgs: list[int]


class SdgRefRecord(TypedDict):
    """An element that names an SDG (for the SDG index)."""

    sdg: int
    anchor: str
    text: str


class ProblemRecord(TypedDict):
    """An author-facing problem found while reading a page, emitted on every build.

    ``location`` is ``"path:line"`` (a data file, or the page via the directive) or
    ``(docname, line)``.
    """

    message: str
    subtype: str  # a ``BnkWarning`` value
    location: str | tuple[str, int | None]


class RefRecord(TypedDict):
    """A ``{bnk:aspect}``/``{bnk:chapter}``/``{bnk:example}`` reference, checked on every build."""

    typ: str
    target: str
    location: str  # "path:line" of the reference


class ChartSeriesSpec(TypedDict):
    """One line of a chart: values as written in the CSV (exact decimals)."""

    label: str
    years: list[int]
    values: list[str]


class ChartTargetSpec(TypedDict):
    """A target marker (with a year) or line (held every year)."""

    value: str
    year: int | None


class ChartSpec(TypedDict):
    """Everything a chart is drawn from; its hash names the file."""

    series: list[ChartSeriesSpec]
    targets: list[ChartTargetSpec]
    unit: str
    decimals: int
    title: str
    colours: list[str]  # series colours (bnk.data.chartspec.palette)
    notes: list[str]  # sentences about marked axes, for caption and alt text
    alt: str  # the text alternative, also the SVG's <desc>


class TargetRecord(TypedDict):
    """A target of an indicator as exported."""

    kind: str  # "value" | "hold" | "direction"
    text: str
    value: int | float | None  # a JSON number (None for a direction target)
    year: int | None
    direction: str | None


class SeriesRecord(TypedDict):
    """A whole series up to the report year, as exported."""

    years: list[int]
    values: list[float]


class DisplayRecord(TypedDict):
    """The change figures exactly as the table shows them."""

    change_abs: str | None
    change_rel: str | None


class _IndicatorRecordBase(TypedDict):
    id: str
    title: str
    unit: str
    source: str
    definition: str
    chapter: str | None  # the key of the page's chapter
    anchor: str
    line: int | None
    shown_years: list[int]
    shown_values: list[float]
    series: dict[str, SeriesRecord]
    change_abs: float | None
    change_rel: float | None
    display: DisplayRecord
    status: str | None  # computed against a target; None: no status shown
    status_method: str | None  # "destatis" | "open-sdg" | None
    no_data_reason: str
    targets: list[TargetRecord]
    direction: str  # "higher" | "lower" | "none"
    sdgs: list[int]
    decimals: int | None  # decimals shown (from the metadata or the CSV); None without data
    notes: list[str]
    errata: list[str]  # every visible difference from the printed report


class IndicatorRecord(_IndicatorRecordBase, total=False):
    """A rendered indicator (domain data, the export record without ``line``/``chart_spec``)."""

    kernindikator: str  # the code of the Kernindikator it shows (metadata), if any
    chart: str  # content hash of the chart spec, when there is data
    chart_spec: ChartSpec  # only when charts are drawn


class ValueRecord(TypedDict):
    """A figure in running text (``bnk:wert``), as shown and as computed."""

    reference: str  # as written by the author, e.g. "strom-windkraft:change_rel:NRW"
    text: str  # exactly as shown, e.g. "+67,0 %"
    number: str | None  # the exact number in machine format (None for a year)
    source: str  # indicator id or "tabellen/<name>"
    op: str
    series: str
    years: list[int]
    origin: str  # "data", "comparison" (documented metadata) or "table"
    note: str
    explicit_years: bool  # the reference names its year or period
    line: int | None


class ErratumRecord(TypedDict):
    """A deviation from the printed report (``bnk-erratum`` or an indicator's difference)."""

    text: str  # the note as plain text
    anchor: str  # where it stands on its page
    line: int | None
    chapter: str | None  # the key of the page's chapter, for the order of the closing list
    context: str  # e.g. "Indikator „Strom aus Windkraft“", or ""
