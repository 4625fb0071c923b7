"""The ``bnk`` domain: which page reports which chapter, aspect and Praxisbeispiel, and the checks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util.logging import get_node_location
from sphinx.util.nodes import make_refnode

from bnk.config import catalogue_error, get_bnk_config, get_catalogue, line_in
from bnk.coverage import (
    Coverage,
    compute_coverage,
)
from bnk.data.catalogue import code_key
from bnk.data.sdgs import SDGS
from bnk.warnings_ import BnkWarning, logger, warn

if TYPE_CHECKING:
    from collections.abc import Iterable, Set

    from sphinx.addnodes import pending_xref
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from bnk.data.records import (
        AspectRecord,
        ChapterRecord,
        CoreRecord,
        ErratumRecord,
        ExampleRecord,
        IndicatorRecord,
        ProblemRecord,
        RefRecord,
        SdgRefRecord,
        ValueRecord,
    )


class BnkDomain(Domain):
    """Collects the BNK structure of every document and checks it against the catalogue."""

    name = "bnk"
    label = "Berichtsrahmen Nachhaltige Kommune"
    roles: ClassVar = {
        "aspect": XRefRole(),
        "chapter": XRefRole(),
        "example": XRefRole(),
        "sdg": XRefRole(),
    }
    # The type names the search page shows after a hit ("Aspekt 1.1 (Aspekt, in …)"): German.
    object_types: ClassVar = {
        "aspect": ObjType("Aspekt", "aspect"),
        "example": ObjType("Praxisbeispiel", "example"),
    }
    initial_data: ClassVar[dict[str, Any]] = {
        # The record shapes are defined once, in bnk.data.records.
        "chapters": {},  # docname -> [ChapterRecord]
        "aspects": {},  # docname -> [AspectRecord]
        "core": {},  # docname -> [CoreRecord] (Kernindikatoren explained or open)
        "examples": {},  # docname -> [ExampleRecord]
        "sdg_refs": {},  # docname -> [SdgRefRecord]
        "index_pages": {},  # docname -> {"bnk-index"|"sdg-index": line}
        "indicators": {},  # docname -> [IndicatorRecord]
        "refs": {},  # docname -> [RefRecord], checked on every build
        "problems": {},  # docname -> [ProblemRecord] found while reading, emitted on every build
        "values": {},  # docname -> [ValueRecord] (bnk:wert figures in running text)
        "errata": {},  # docname -> [ErratumRecord] (deviations from the printed report)
    }
    KEYS = (
        "chapters",
        "aspects",
        "core",
        "examples",
        "sdg_refs",
        "index_pages",
        "indicators",
        "refs",
        "problems",
        "values",
        "errata",
    )

    # -- bookkeeping ---------------------------------------------------------------------------

    def _list(self, key: str, docname: str) -> list[Any]:
        return self.data[key].setdefault(docname, [])

    def note_chapter(self, docname: str, number: str, line: int | None) -> None:
        """Record that ``docname`` declares chapter ``number``."""
        record: ChapterRecord = {
            "number": number,
            "line": line,
            "omitted": False,
            "reason": "",
            "omit_line": None,
            "has_content": False,
        }
        self._list("chapters", docname).append(record)

    def note_chapter_content(self, docname: str, number: str, has_content: bool) -> None:
        """Record whether the chapter section holds anything besides its heading and scope."""
        for record in self.data["chapters"].get(docname, []):
            if record["number"] == number:
                record["has_content"] = has_content

    def forget_chapter(self, docname: str, number: str) -> None:
        """Drop a chapter declaration that turned out not to be a heading."""
        records = self.data["chapters"].get(docname, [])
        self.data["chapters"][docname] = [r for r in records if r["number"] != number]

    def note_chapter_omitted(self, docname: str, reason: str, line: int | None) -> bool:
        """Mark the chapter of ``docname`` as omitted; False if the page declares no chapter."""
        declared = self.data["chapters"].get(docname)
        if not declared:
            return False
        declared[-1].update(omitted=True, reason=reason, omit_line=line)
        return True

    def note_aspect(self, docname: str, record: AspectRecord) -> None:
        """Record an aspect directive (see ``directives/aspect.py`` for the fields)."""
        self._list("aspects", docname).append(record)

    def note_core(self, docname: str, record: CoreRecord) -> None:
        """Record a ``bnk-kernindikator`` directive (a Kernindikator explained or still open)."""
        self._list("core", docname).append(record)

    def note_example(self, docname: str, record: ExampleRecord) -> None:
        """Record a Praxisbeispiel."""
        self._list("examples", docname).append(record)

    def note_sdgs(self, docname: str, sdgs: Iterable[int], anchor: str, text: str) -> None:
        """Record that the element at ``anchor`` names these SDGs."""
        for sdg in sdgs:
            record: SdgRefRecord = {"sdg": sdg, "anchor": anchor, "text": text}
            self._list("sdg_refs", docname).append(record)

    def note_index_page(self, docname: str, kind: str, line: int | None) -> None:
        """Record that ``docname`` holds a generated index (rewritten when any page changes)."""
        self.data["index_pages"].setdefault(docname, {})[kind] = line

    def note_indicator(self, docname: str, record: IndicatorRecord) -> None:
        """Record a rendered indicator (for the JSON export and the SDG index)."""
        self._list("indicators", docname).append(record)

    def note_value(self, docname: str, record: ValueRecord) -> None:
        """Record a figure of a ``bnk:wert`` role (for the export and ``bnk diff``)."""
        self._list("values", docname).append(record)

    def note_erratum(self, docname: str, record: ErratumRecord) -> None:
        """Record a deviation from the printed report (for the closing list)."""
        self._list("errata", docname).append(record)

    def note_problem(
        self, docname: str, message: str, subtype: BnkWarning, location: str | tuple[str, int | None]
    ) -> None:
        """Record a problem found while reading; it is reported on every build (write-started)."""
        record: ProblemRecord = {"message": message, "subtype": subtype.value, "location": location}
        self._list("problems", docname).append(record)

    def note_ref(self, docname: str, typ: str, target: str, location: str) -> None:
        """Record a cross-reference; whether it resolves is checked on every build."""
        record: RefRecord = {"typ": typ, "target": target, "location": location}
        self._list("refs", docname).append(record)

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        # An environment pickled by an older version of the extension may lack a key added
        # since; start it empty instead of failing on it (those pages are read again anyway).
        for key in self.KEYS:
            self.data.setdefault(key, {})

    def clear_doc(self, docname: str) -> None:
        for key in self.KEYS:
            self.data[key].pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        # Parallel reads: take over exactly the documents the worker read.
        for key in self.KEYS:
            for docname in docnames:
                if docname in otherdata[key]:
                    self.data[key][docname] = otherdata[key][docname]

    # -- cross-references ----------------------------------------------------------------------

    def _chapter_page(self, number: str) -> tuple[str, dict[str, Any]] | None:
        for docname in sorted(self.data["chapters"]):
            for record in self.data["chapters"][docname]:
                if record["number"] == number:
                    return docname, record
        return None

    def _find(self, key: str, field_name: str, value: str) -> tuple[str, dict[str, Any]] | None:
        for docname in sorted(self.data[key]):
            for record in self.data[key][docname]:
                if record[field_name] == value:
                    return docname, record
        return None

    def _sdg_page(self) -> str | None:
        pages = [d for d, kinds in self.data["index_pages"].items() if "sdg-index" in kinds]
        return min(pages) if pages else None

    def ref_target(self, env: BuildEnvironment, typ: str, target: str) -> tuple[str, str, str] | str:
        """Where a reference points: ``(docname, anchor, text)``, or the German problem message.

        Used by ``resolve_xref`` and by the check on every build, so both always agree.
        """
        catalogue = get_catalogue(env)
        if typ == "aspect":
            number = code_key(target)
            found = self._find("aspects", "number", number) if number else None
            if found is None:
                return f"Verweis auf Aspekt {target!r}: dieser Aspekt steht nirgends im Bericht."
            aspect = catalogue.aspect(number) if catalogue else None
            return found[0], found[1]["anchor"], f"Aspekt {aspect.code if aspect else number}"
        if typ == "chapter":
            key = code_key(target)
            chapter = catalogue.chapter(key) if catalogue and key else None
            found_page = self._chapter_page(key) if key else None
            if catalogue is None and found_page is not None:
                return found_page[0], "", f"Kapitel {target.strip()}"
            if chapter is None or found_page is None:
                return f"Verweis auf Kapitel {target!r}: keine Seite erklärt dieses Kapitel."
            return found_page[0], chapter.anchor, chapter.label
        if typ == "example":
            found = self._find("examples", "label", target.strip().lower())
            if found is None:
                return f"Verweis auf Praxisbeispiel {target!r}: kein Praxisbeispiel hat dieses Label."
            return found[0], found[1]["anchor"], f"Praxisbeispiel {found[1]['number']}"
        if typ == "indicator":  # a bnk:wert figure links to its indicator
            found = self._find("indicators", "id", target)
            if found is None:
                return (
                    f"Der Wert aus Indikator „{target}“ kann nicht verlinkt werden: der Indikator steht auf "
                    "keiner Seite des Berichts."
                )
            return found[0], found[1]["anchor"], found[1]["title"]
        return f"Unbekannte Verweisart {typ!r}."

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        explicit = node.get("refexplicit", False)
        if typ == "sdg":
            page = self._sdg_page()
            if page is None:
                return None  # no SDG index page: the badge stays, unlinked
            return make_refnode(builder, fromdocname, page, f"sdg-{target}", contnode)
        found = self.ref_target(env, typ, target)
        if isinstance(found, str):
            return None  # reported by check_coverage on every build, once
        docname, anchor, text = found
        child = contnode if explicit else nodes.inline(text, text)
        return make_refnode(builder, fromdocname, docname, anchor, child, text)

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list[tuple[str, nodes.reference]]:
        return []

    def get_type_name(self, type: ObjType, primary: bool = False) -> str:
        return type.lname  # "Aspekt", not "Berichtsrahmen Nachhaltige Kommune-Aspekt"

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        for docname, records in sorted(self.data["aspects"].items()):
            for record in records:
                if record["number"] is not None:  # unknown numbers are warned about, not indexed
                    yield (record["number"], record["title"], "aspect", docname, record["anchor"], 1)
        for docname, records in sorted(self.data["examples"].items()):
            for record in records:
                yield (record["label"], record["title"], "example", docname, record["anchor"], 1)

    # -- the comply-or-explain check -----------------------------------------------------------

    def coverage(self, env: BuildEnvironment) -> Coverage | None:
        """Compare the report with the catalogue; None when there is no valid catalogue."""
        catalogue = get_catalogue(env)
        if catalogue is None:
            return None
        titles = get_bnk_config(env).aspect_titles
        return compute_coverage(
            catalogue,
            self.data,
            titles,
            lambda docname: str(env.doc2path(docname, False)),
            env.config.root_doc,
        )


def get_bnk_domain(env: BuildEnvironment) -> BnkDomain:
    """The ``bnk`` domain of this build, typed: the one accessor for the BNK data of every page
    (like sphinx-needs' ``SphinxNeedsData(env)``)."""
    domain = env.get_domain("bnk")
    if not isinstance(domain, BnkDomain):  # pragma: no cover - only if another extension took the name
        raise TypeError(f"the 'bnk' domain is {type(domain).__name__}, not BnkDomain")
    return domain


def collect_refs(app: Any, doctree: nodes.document) -> None:
    """``doctree-read``: remember the page's BNK cross-references (checked on every build)."""
    env = app.env
    domain = get_bnk_domain(env)
    for node in doctree.findall(addnodes.pending_xref):
        if node.get("refdomain") == "bnk" and node.get("reftype") in ("aspect", "chapter", "example", "indicator"):
            location = get_node_location(node) or f"{env.doc2path(env.docname)}"
            domain.note_ref(env.docname, node["reftype"], node["reftarget"], location)


Problem = tuple[str, BnkWarning, "tuple[str, int | None] | str | None"]


def all_problems(env: BuildEnvironment) -> tuple[list[Problem], Coverage | None]:
    """Every author-facing problem of the build: found while reading, unresolved references,
    a broken catalogue and the comply-or-explain check; each once, sorted by file and line."""
    domain = get_bnk_domain(env)
    problems: list[Problem] = [
        (record["message"], BnkWarning(record["subtype"]), record["location"])
        for docname in sorted(domain.data["problems"])
        for record in domain.data["problems"][docname]
    ]
    for docname in sorted(domain.data["refs"]):
        for ref in domain.data["refs"][docname]:
            found = domain.ref_target(env, ref["typ"], ref["target"])
            if isinstance(found, str):
                subtype = BnkWarning.VALUE if ref["typ"] == "indicator" else BnkWarning.REF
                problems.append((found, subtype, ref["location"]))
    problems += value_period_problems(domain)
    placed: dict[str, tuple[str, int | None]] = {}
    for docname in sorted(domain.data["indicators"]):
        for indicator in domain.data["indicators"][docname]:
            first = placed.setdefault(indicator["id"], (docname, indicator["line"]))
            if first != (docname, indicator["line"]):
                problems.append(
                    (
                        f"Indikator „{indicator['id']}“ steht mehrfach im Bericht (zuerst in "
                        f"{env.doc2path(first[0], False)}:{first[1]}); bitte nur an einer Stelle zeigen "
                        "und sonst darauf verweisen.",
                        BnkWarning.INDICATOR,
                        (docname, indicator["line"]),
                    )
                )
    catalogue = get_catalogue(env)
    if catalogue is not None:
        conf_py = Path(env.srcdir) / "conf.py"
        for key in get_bnk_config(env).aspect_titles:
            if catalogue.aspect(key) is None:
                line = line_in(conf_py, "bnk_aspect_titles")
                problems.append(
                    (
                        f"bnk_aspect_titles nennt Aspekt {key!r}, den der Katalog ({catalogue.title}) nicht kennt.",
                        BnkWarning.CONFIG,
                        f"{conf_py}:{line}" if line else str(conf_py),
                    )
                )
    error = catalogue_error(env)
    if error is not None:
        where = f"{error.path}:{error.line}" if error.line else str(error.path)
        problems.append((error.msg, BnkWarning.CATALOGUE, where))
    coverage = domain.coverage(env)
    if coverage is not None:
        problems += coverage.problems

    def path_of(location: tuple[str, int | None] | str | None) -> tuple[str, int]:
        if isinstance(location, tuple):
            return str(env.doc2path(location[0])), location[1] or 0
        text = str(location or "")
        path, _, line = text.rpartition(":")
        return (path, int(line)) if line.isdigit() else (text, 0)

    unique: dict[tuple[str, str, tuple[str, int]], Problem] = {}
    for problem in problems:
        # The same file problem seen from two pages (one indicator placed twice) is one problem.
        unique.setdefault((problem[0], problem[1].value, path_of(problem[2])), problem)
    ordered = sorted(unique.items(), key=lambda item: item[0][2])  # stable: page order within a line
    return [problem for _, problem in ordered], coverage


def value_period_problems(domain: BnkDomain) -> list[Problem]:
    """A change in the text (``bnk:wert``) must cover the years its indicator's table shows; a page
    that shows other years (``:points:``, ``:years:``) needs the period named in the reference."""
    shown: dict[str, list[int]] = {}
    for docname in sorted(domain.data["indicators"]):
        for record in domain.data["indicators"][docname]:
            shown.setdefault(record["id"], record["shown_years"])
    problems: list[Problem] = []
    for docname in sorted(domain.data["values"]):
        for value in domain.data["values"][docname]:
            table = shown.get(value["source"]) or []
            years = value["years"]
            if value["op"] not in ("change_abs", "change_rel") or value["origin"] != "data" or value["explicit_years"]:
                continue
            if table and years and [years[0], years[-1]] != [table[0], table[-1]]:
                problems.append(
                    (
                        f"Die Veränderung von „{value['source']}“ im Text gilt für {years[0]}–{years[-1]}, die "
                        f"Tabelle des Indikators zeigt {table[0]}–{table[-1]}; bitte den Zeitraum im Verweis "
                        "nennen.",
                        BnkWarning.VALUE,
                        (docname, value["line"]),
                    )
                )
    return problems


def check_coverage(app: Any, builder: Builder | None = None) -> None:
    """``write-started``: emit every problem of the build and keep the summary line."""
    from bnk.authoring import OPEN_SUBTYPES, is_draft, note_open

    problems, coverage = all_problems(app.env)
    draft = is_draft(app.env)
    for message, subtype, location in problems:
        if draft and subtype in OPEN_SUBTYPES:
            note_open(message, location or "", app.env)  # draft: shown on the page, not failed on
            continue
        warn(message, subtype, location)
    if coverage is not None:
        app._bnk_summary = coverage.summary()


def log_summary(app: Any, exception: Exception | None) -> None:
    """``build-finished``: the build's last line of its own is the completeness summary."""
    summary = getattr(app, "_bnk_summary", None)
    if exception is None and summary:
        logger.info(summary)


def sdg_title(number: int) -> str:
    """``SDG 13 – Maßnahmen zum Klimaschutz``."""
    return f"SDG {number} – {SDGS[number].title}"


def edition_of(env: BuildEnvironment) -> str:
    """The configured BNK edition."""
    return get_bnk_config(env).edition
