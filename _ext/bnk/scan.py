"""Read a report's pages and data without Sphinx: the fast path behind ``bnk check`` and
``bnk status`` (a pre-commit hook must answer in seconds, not run a full build).

The pages are scanned for the extension's MyST syntax (chapter heading, aspect, indicator,
data-table and measures blocks, with nested fences); the results have the same shape as the
Sphinx domain's data, so the one comply-or-explain check (``coverage.py``) serves both.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bnk.data import BnkDataError
from bnk.data.catalogue import Catalogue, edition_path, load_catalogue, normalise_aspect_number, parse_chapter_number
from bnk.warnings_ import BnkWarning

FENCE = re.compile(r"^(\s*)(`{3,}|:{3,})\{([\w:.-]+)\}\s*(.*?)\s*$")
HEADING = re.compile(r"^#\s+\{bnk-heading\}`([^`]*)`")
OPTION = re.compile(r"^\s*:([\w-]+):\s*(.*)$")
CONF_KEYS = (
    "bnk_edition",
    "bnk_catalogue_file",
    "bnk_aspect_titles",
    "bnk_report_year",
    "exclude_patterns",
    "bnk_report",
)
ALWAYS_EXCLUDED = ("_build", ".venv", "_ext", "tests", "data", "examples", "docs", ".git", "node_modules")


@dataclass
class Block:
    """One directive block of a page."""

    name: str
    argument: str
    line: int
    options: dict[str, str]
    body: list[str]


@dataclass
class ScannedReport:
    """What ``bnk check`` found: domain-shaped data, the catalogue and every problem."""

    root: Path
    conf: dict[str, Any]
    catalogue: Catalogue | None
    data: dict[str, Any] = field(default_factory=lambda: {"chapters": {}, "aspects": {}, "problems": {}})
    problems: list[tuple[str, BnkWarning, str]] = field(default_factory=list)


def read_conf(path: Path) -> dict[str, Any]:
    """The literal ``bnk_*`` values and ``exclude_patterns`` of conf.py, without running it."""
    values: dict[str, Any] = {}
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return values
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in CONF_KEYS:
                try:
                    values[name] = ast.literal_eval(node.value)
                except ValueError:
                    continue
    return values


def parse_blocks(lines: list[str]) -> tuple[list[Block], list[tuple[str, int]]]:
    """All directive blocks (nested too) and the chapter headings of a page."""
    blocks: list[Block] = []
    headings: list[tuple[str, int]] = []
    stack: list[tuple[str, int, Block]] = []  # (fence char, fence length, block)
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stack:
            char, length, block = stack[-1]
            if stripped and set(stripped) == {char} and len(stripped) >= length:
                stack.pop()
                continue
        match = FENCE.match(line)
        if match:
            block = Block(match[3], match[4], number, {}, [])
            blocks.append(block)
            if stack:
                stack[-1][2].body.append(line)
            stack.append((match[2][0], len(match[2]), block))
            continue
        if stack:
            block = stack[-1][2]
            option = OPTION.match(line)
            if option and not any(b.strip() for b in block.body):
                block.options[option[1]] = option[2]
            else:
                block.body.append(line)
            # Outer blocks see nested content as their body too.
            for _, _, outer in stack[:-1]:
                outer.body.append(line)
            continue
        heading = HEADING.match(line)
        if heading:
            headings.append((heading[1], number))
    return blocks, headings


def report_pages(root: Path, conf: dict[str, Any]) -> list[Path]:
    """The Markdown pages Sphinx would read (by conf.py's exclude_patterns)."""
    patterns = [*list(conf.get("exclude_patterns", [])), "README.md", "**/README.md"]
    pages = []
    for path in sorted(root.rglob("*.md")):
        rel = path.relative_to(root).as_posix()
        if rel.split("/")[0] in ALWAYS_EXCLUDED:
            continue
        if any(
            fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(rel, p + "/*") or rel.startswith(p.rstrip("/") + "/")
            for p in patterns
        ):
            continue
        pages.append(path)
    return pages


def _located(exc: BnkDataError, root: Path) -> str:
    path = Path(exc.path) if exc.path else root
    return f"{path}:{exc.line or 1}"


def scan_report(root: Path) -> ScannedReport:
    """Scan pages and data of the report in ``root`` (the folder with conf.py)."""
    from bnk.data.csvdata import load_indicator_csv
    from bnk.data.measures import load_measures
    from bnk.data.metadata import load_metadata
    from bnk.data.tables import load_table

    conf = read_conf(root / "conf.py")
    catalogue_file = conf.get("bnk_catalogue_file")
    path = (root / catalogue_file) if catalogue_file else edition_path(str(conf.get("bnk_edition", "2021")))
    report = ScannedReport(root, conf, None)
    try:
        report.catalogue = load_catalogue(str(path))
    except BnkDataError as exc:
        report.problems.append((exc.msg, BnkWarning.CATALOGUE, _located(exc, root)))

    data_dir = root / "data"
    checked: set[str] = set()

    def check_data(kind: str, name: str, location: str) -> None:
        key = f"{kind}:{name}"
        if key in checked:
            return
        checked.add(key)
        try:
            if kind == "indicator":
                meta_path = data_dir / f"{name}.yaml"
                if not meta_path.exists():
                    raise BnkDataError(f"Unbekannter Indikator „{name}“: data/{name}.yaml fehlt.")
                meta = load_metadata(meta_path, name)
                csv_path = data_dir / f"{name}.csv"
                if csv_path.exists():
                    load_indicator_csv(csv_path)
                elif not meta.no_data_reason:
                    raise BnkDataError(
                        f"Indikator „{name}“ hat keine Daten (data/{name}.csv fehlt) und keine Begründung "
                        "(no_data_reason in den Metadaten).",
                        str(meta_path),
                        1,
                    )
            elif kind == "table":
                load_table(data_dir / f"{name}.csv", data_dir / f"{name}.yaml")
            elif kind == "measures":
                meta = data_dir / f"{name}.yaml"
                load_measures(data_dir / f"{name}.csv", meta if meta.exists() else None)
        except BnkDataError as exc:
            subtype = {"indicator": BnkWarning.CSV if exc.path and exc.path.endswith(".csv") else BnkWarning.META}.get(
                kind, BnkWarning.TABLE
            )
            if exc.path is None:
                subtype = BnkWarning.INDICATOR if kind == "indicator" else BnkWarning.TABLE
            report.problems.append((exc.msg, subtype, _located(exc, root) if exc.path else location))
            # A CSV reports every problem at once (CsvFileError.problems), as in the build.
            for extra in getattr(exc, "problems", ())[1:]:
                report.problems.append((extra.msg, subtype, _located(extra, root)))

    for page in report_pages(root, conf):
        docname = page.relative_to(root).with_suffix("").as_posix()
        lines = page.read_text(encoding="utf-8").splitlines()
        blocks, headings = parse_blocks(lines)
        page_chapter = None
        for text, line in headings:
            number = parse_chapter_number(text)
            if number is None or (report.catalogue and report.catalogue.chapter(number) is None):
                numbers = [c.number for c in report.catalogue.chapters] if report.catalogue else [1, 18]
                report.problems.append(
                    (
                        f"Unbekanntes Kapitel {text!r}: erwartet eine Kapitelnummer des Katalogs "
                        f"({min(numbers):02d} bis {max(numbers):02d}).",
                        BnkWarning.CHAPTER_UNKNOWN,
                        f"{page}:{line}",
                    )
                )
                continue
            page_chapter = page_chapter or number
            report.data["chapters"].setdefault(docname, []).append(
                {"number": number, "line": line, "omitted": False, "reason": "", "omit_line": None}
            )
        for block in blocks:
            location = f"{page}:{block.line}"
            body = "\n".join(block.body).strip()
            if "sdg" in block.options:
                from bnk.data.sdgs import parse_sdg_list

                for item in parse_sdg_list(block.options["sdg"])[1]:
                    report.problems.append(
                        (f"„{item}“ ist kein SDG; erlaubt sind die Nummern 1 bis 17.", BnkWarning.SDG, location)
                    )
            if block.name == "bnk-chapter-omitted" and report.data["chapters"].get(docname):
                report.data["chapters"][docname][-1].update(omitted=True, reason=body, omit_line=block.line)
            elif block.name == "bnk-aspect":
                number = normalise_aspect_number(block.argument)
                known = report.catalogue is not None and number is not None and report.catalogue.aspect(number)
                report.data["aspects"].setdefault(docname, []).append(
                    {
                        "number": number if known else None,
                        "raw": block.argument,
                        "title": f"Aspekt {block.argument}",
                        "line": block.line,
                        "page_chapter": page_chapter,
                        "omitted": "omitted" in block.options,
                        "has_body": bool(body),
                        "reason": body if "omitted" in block.options else "",
                        "responsible": block.options.get("responsible", "").strip(),
                        "anchor": "aspekt-" + block.argument.replace(".", "-"),
                    }
                )
            elif block.name == "indicator":
                check_data("indicator", block.argument, location)
            elif block.name == "bnk-table":
                check_data("table", block.argument, location)
            elif block.name == "bnk-measures":
                check_data("measures", block.argument, location)
    # Data files no page uses are checked too: a broken CSV must not wait for its page.
    if data_dir.is_dir():
        for meta_path in sorted(data_dir.glob("*.yaml")):
            check_data("indicator", meta_path.stem, str(meta_path))
    return report


def doc_path(root: Path, docname: str) -> str:
    """Path of a page relative to the report, for messages."""
    return f"{docname}.md"
