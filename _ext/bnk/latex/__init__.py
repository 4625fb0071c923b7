"""Print edition: the LaTeX side of the report.

- ``package``: the ``bnkreport`` LaTeX package (design from the report model, Jinja2 template);
- ``translator``: Sphinx's LaTeX translator with the report's print hooks;
- this module: LaTeX defaults and the print-only preparation of the resolved doctree (tables that
  break across pages with widths from their content, indicator units, chapter openers, divider
  pages, page numbers in the index pages, the appendix of differences from the reference edition);
- ``pdf``: ``make pdf`` – LaTeX, XeLaTeX via latexmk, and the guard that reads the log.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

from bnk.config import get_catalogue, get_report, report_for
from bnk.data.chartspec import NARROW_IN
from bnk.data.guards import latex_text
from bnk.directives.errata import bnk_errata_list
from bnk.domain import get_bnk_domain
from bnk.latex import widths
from bnk.latex.package import (
    FONT_SCALE,
    MONO_SCALE,
    PACKAGE,
    POINTSIZE_PT,
    SIDE_BY_SIDE_TABLE,
    TEXTWIDTH_PT,
    write_package,
)
from bnk.latex.translator import BnkLaTeXTranslator
from bnk.nodes import bnk_chart

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

ERRATA_MODES = ("appendix", "inline")
DEFAULT_ELEMENTS = {
    "papersize": "a4paper",
    "pointsize": f"{POINTSIZE_PT}pt",
    "extraclassoptions": "openany,oneside",
    "babel": r"\usepackage[ngerman]{babel}",
    "polyglossia": "",
    # XeLaTeX with DejaVu fonts: full Unicode (CO₂, µg/m³, „Anführungszeichen“), embedded TrueType.
    "fontpkg": (
        rf"\setmainfont{{DejaVu Serif}}[Scale={FONT_SCALE}]"
        rf"\setsansfont{{DejaVu Sans}}[Scale={FONT_SCALE}]"
        rf"\setmonofont{{DejaVu Sans Mono}}[Scale={MONO_SCALE}]"
    ),
    "fncychap": "",
    "maketitle": r"\bnkcover\bnkimprint",
    "tableofcontents": r"\bnkcontents",
    # No keyword index: no index run, one LaTeX pass less to wait for.
    "makeindex": "",
    "printindex": "",
    "releasename": "",
}


def apply_defaults(app: Sphinx, config: Config) -> None:
    """``config-inited``: the report's LaTeX defaults; what ``conf.py`` sets itself wins."""
    config.latex_elements = DEFAULT_ELEMENTS | dict(config.latex_elements or {})
    if not config.latex_engine or config.latex_engine == "pdflatex":
        config.latex_engine = "xelatex"
    logo = report_for(app).design.logo
    if not config.latex_logo and logo:
        config.latex_logo = logo  # on the cover; Sphinx copies it next to the .tex
    # No tool wording in a publication: no "Erstellt mit Sphinx" in the page footer either.
    if "html_show_sphinx" not in getattr(config, "_raw_config", {}):
        config.html_show_sphinx = False
    if config.bnk_print_errata not in ERRATA_MODES:
        config.bnk_print_errata = "appendix"


# -- tables ------------------------------------------------------------------------------------


TALL_ROW_LINES = 24  # a row taller than this (in lines) would not fit well on a page: stack it


def stacked(table: nodes.table) -> nodes.table:
    """A wide table with long texts as a two-column table: per row, the first cell and then every
    other column as its own line ("Überschrift: Text"), so that the page can break between them."""
    tgroup = next(iter(table.findall(nodes.tgroup)))
    head_rows = [row for part in tgroup.findall(nodes.thead) for row in part.findall(nodes.row)]
    headers = [entry.astext().strip() for entry in head_rows[0].findall(nodes.entry)] if head_rows else []
    new = nodes.table(classes=[*table["classes"], "bnk-stacked"])
    group = nodes.tgroup(cols=2)
    new += group
    group += nodes.colspec(colwidth=30)
    group += nodes.colspec(colwidth=70)
    thead = nodes.thead()
    row = nodes.row()
    for text in (headers[0] if headers else "", "Angaben"):
        row += nodes.entry("", nodes.paragraph(text, text))
    thead += row
    group += thead
    tbody = nodes.tbody()
    group += tbody
    for part in tgroup.findall(nodes.tbody):
        for original in part.findall(nodes.row):
            entries = list(original.findall(nodes.entry))
            for i, entry in enumerate(entries[1:], 1):
                line = nodes.row(classes=["bnk-stacked-first"] if i == 1 else [])
                first = entries[0].deepcopy() if i == 1 else nodes.entry("", nodes.paragraph("", ""))
                line += first
                cell = nodes.entry()
                label = f"{headers[i]}: " if i < len(headers) and headers[i] else ""
                for j, child in enumerate(entry.children):
                    copy = child.deepcopy()
                    if j == 0 and label and isinstance(copy, nodes.paragraph):
                        copy.insert(0, nodes.strong(label, label))
                    cell += copy
                line += cell
                tbody += line
    return new


def too_wide(columns: list[widths.Column], contents: list[float]) -> bool:
    """Whether a table of more than two columns is too wide (or its rows too tall) for the
    print measure: then it is printed stacked (:func:`stacked`), in the print edition and in the
    accessible PDF alike."""
    return len(columns) > 2 and (not widths.fits(columns) or widths.row_lines(columns, contents) > TALL_ROW_LINES)


def _print_widths(table: nodes.table) -> tuple[nodes.table, list[widths.Column], list[float]] | None:
    """A table's columns and their widths in print; a wide text table (not an indicator's own
    table) is first replaced by its stacked form (:func:`stacked`), which keeps the caption and
    the anchors (links to it still arrive, the list of tables names it). None for an author's
    own table with given widths and for a table without columns."""
    if _widths_given(table):
        return None
    columns = widths.columns_of(table)
    if not columns:
        return None
    contents = widths.content_widths(columns)
    if "bnk-indicator-table" not in table["classes"] and too_wide(columns, contents):
        replacement = stacked(table)
        replacement.insert(0, [c.deepcopy() for c in table.children if isinstance(c, nodes.title)])
        replacement["ids"] = table["ids"]
        if table.get("bnk_caption"):
            replacement["bnk_caption"] = table["bnk_caption"]
        table.replace_self(replacement)
        table = replacement
        columns = widths.columns_of(table)
        contents = widths.content_widths(columns)
    return table, columns, contents


def print_layout_tables(doctree: nodes.Node) -> None:
    """The tables of the accessible PDF laid out as in print: wide text tables stacked (no
    landscape pages), and every table with the print's column widths (HTML ``<col>``), so that
    WeasyPrint sets it with ``table-layout: fixed`` instead of measuring the minimum width of
    every cell – that measuring was about two thirds of its time."""
    for table in list(doctree.findall(nodes.table)):
        sized = _print_widths(table)
        if sized is None:
            continue
        table, _, contents = sized  # noqa: PLW2901 - the stacked replacement gets the widths
        tgroup = next(iter(table.findall(nodes.tgroup)))
        colspecs = [c for c in tgroup.children if isinstance(c, nodes.colspec)]
        for colspec, unit in zip(colspecs, widths.spec_units(contents), strict=False):
            colspec["colwidth"] = unit
        table["classes"] = [c for c in table["classes"] if c != "colwidths-auto"] + ["colwidths-given"]


def _widths_given(table: nodes.table) -> bool:
    """An author's own table with given column widths keeps them."""
    classes = table["classes"]
    return "colwidths-given" in classes and not any(c.startswith("bnk-") for c in classes)


def size_tables(doctree: nodes.Node) -> None:
    """Every table breaks across pages with a repeated header (longtable) – except the small
    table inside an indicator unit, which is kept whole on its page; column widths and alignment
    follow the content (given widths of an author's own table are kept)."""
    for table in list(doctree.findall(nodes.table)):
        if "bnk-indicator-table" not in table["classes"] and "longtable" not in table["classes"]:
            table["classes"].append("longtable")
        sized = _print_widths(table)
        if sized is None:
            continue
        table, columns, contents = sized  # noqa: PLW2901 - the stacked replacement is sized
        # A target right before the table labels it already; a second label (longtable) would clash.
        previous = table.previous_sibling() if hasattr(table, "previous_sibling") else None
        if isinstance(previous, nodes.target) and previous.get("refid") in table["ids"]:
            table["ids"].remove(previous["refid"])
        spec = addnodes.tabular_col_spec(spec=column_spec(columns, contents))
        table.parent.insert(table.parent.index(table), spec)


def column_spec(columns: list[widths.Column], contents: list[float]) -> str:
    """The LaTeX column spec: relative widths (``\\X``), numbers flush right."""
    units = widths.spec_units(contents)
    total = sum(units)
    specs = []
    for unit, column in zip(units, columns, strict=True):
        # Numbers flush right, text ragged right (the default of bnkreport's tables). No capital
        # L, R, C, J or T in the spec: Sphinx would take them for tabulary columns.
        align = r">{\raggedleft\arraybackslash\def\bnkalign{\raggedleft}}" if column.numeric else ""
        specs.append(rf"{align}\X{{{unit}}}{{{total}}}")
    return "".join(specs)


def caption_tables(doctree: nodes.Node) -> None:
    """Every table with a caption (``bnk_caption``, the HTML ``<caption>``) gets a numbered
    title in print: "Tabelle 12: …", kept with its table and listed in the list of tables."""
    for table in doctree.findall(nodes.table):
        text = table.get("bnk_caption")
        if text and not (table.children and isinstance(table[0], nodes.title)):
            title = nodes.title(text, text)
            title["support_smartquotes"] = False
            table.insert(0, title)


# -- indicator units, chapter openers, dividers -------------------------------------------------


def _is_footnote(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Element) and "bnk-footnote" in node["classes"]


def mark_indicator_units(doctree: nodes.Node) -> None:
    """Close each indicator's unit after its chart (or table): heading to caption on one page."""
    for section in doctree.findall(nodes.section):
        if "bnk-indicator" not in section["classes"]:
            continue
        children = list(section.children)
        end = None
        for i, child in enumerate(children):
            if isinstance(child, bnk_chart) or (isinstance(child, nodes.table) and end is None):
                end = i
            elif end is not None and isinstance(child, nodes.table):
                break
        if end is None:
            # No data: the whole indicator is short (heading, definition, source, the reason why
            # there are no data, the assessment) and stays together.
            end = len(children) - 1
        # A footnote line directly after the table belongs to it.
        while end + 1 < len(children) and _is_footnote(children[end + 1]):
            end += 1
        section.insert(end + 1, nodes.raw("", "\\bnkunitend\n", format="latex"))
        section["bnk_unit"] = True
        place_side_by_side(section)


SIDE_BY_SIDE_CHART_PX = round(NARROW_IN * 96)  # a chart at its narrow natural width


def _raw(tex: str) -> nodes.raw:
    return nodes.raw("", tex + "\n", format="latex")


def place_side_by_side(section: nodes.section) -> None:
    """The indicator's print table left, its chart right (when the chart is narrow and the table
    has at most three columns); otherwise they stand one below the other."""
    children = list(section.children)
    table = next((c for c in children if isinstance(c, nodes.table) and "bnk-print-table" in c["classes"]), None)
    chart = next((c for c in children if isinstance(c, bnk_chart)), None)
    if table is None or chart is None or children.index(chart) < children.index(table):
        return
    columns = widths.columns_of(table)
    narrow = SIDE_BY_SIDE_TABLE * TEXTWIDTH_PT
    if int(chart.get("width", 0)) > SIDE_BY_SIDE_CHART_PX or not widths.fits(columns, narrow):
        return
    # The column widths for the narrow column (size_tables gave them for the whole line).
    spec = table.previous_sibling()
    if isinstance(spec, addnodes.tabular_col_spec):
        spec["spec"] = column_spec(columns, widths.content_widths(columns, narrow))
    section.insert(section.index(table), _raw("\\bnkblockbegin"))
    section.insert(section.index(chart), _raw("\\bnkblocknext"))
    section.insert(section.index(chart) + 1, _raw("\\bnkblockend"))


def box_examples(doctree: nodes.Node) -> None:
    """Praxisbeispiele as boxes: everything below the heading on a tinted ground."""
    for section in doctree.findall(nodes.section):
        if "bnk-example" in section["classes"] and section.children and isinstance(section[0], nodes.title):
            section.insert(1, _raw("\\begin{bnkexamplebox}"))
            section.append(_raw("\\end{bnkexamplebox}"))


def mark_chapter_openers(app: Sphinx, doctree: nodes.Node) -> dict[str, str]:
    """Chapter openers with the BNK number; returns docname → group id for the dividers.

    Which page is which chapter comes from the domain (what ``{bnk-heading}`` declared), not
    from the heading's text, which a report may word its own way.
    """
    catalogue = get_catalogue(app.env)
    if catalogue is None:
        return {}
    declared = get_bnk_domain(app.env).data["chapters"]
    kinds: dict[str, str] = {}
    for section in doctree.findall(nodes.section):
        # (Sphinx notes the document on every section of the assembled tree.)
        docname = section.get("docname")
        if "bnk-chapter" not in section["classes"] or not section.children or not docname:
            continue
        records = declared.get(docname) or []
        chapter = catalogue.chapter(records[0]["number"]) if records else None
        if chapter is None:
            continue
        section["bnk_opener"] = (
            chapter.group.chapter_label,
            chapter.code,
            chapter.title,
            chapter.group.style,
            f"{chapter.label} · {chapter.title}",
        )
        kinds.setdefault(docname, chapter.group.id)
    return kinds


def insert_dividers(app: Sphinx, doctree: nodes.Node, kinds: dict[str, str]) -> None:
    """Divider pages before the first chapter of each group of the catalogue (BNK 1.0: Steuerung and
    Handlungsfelder), with the group's title and range of chapters, in the group's colour."""
    catalogue = get_catalogue(app.env)
    if catalogue is None:
        return
    groups = {group.id: group for group in catalogue.groups}
    done: set[str] = set()
    for start in list(doctree.findall(addnodes.start_of_file)):
        kind = kinds.get(start["docname"])
        if kind is None or kind in done or kind not in groups:
            continue
        done.add(kind)
        group = groups[kind]
        codes = [c.code for c in catalogue.chapters if c.group is group]
        title, colour = group.title, "bnkfield" if group.style == "field" else "bnkprimary"
        span = f"({group.chapters_label} {codes[0]}–{codes[-1]})"
        engine = app.config.latex_engine
        tex = f"\\bnkdivider{{{latex_text(title, engine)}}}{{{latex_text(span, engine)}}}{{{colour}}}\n"
        start.parent.insert(start.parent.index(start), nodes.raw("", tex, format="latex"))


def insert_closing_parts(app: Sphinx, doctree: nodes.Node, kinds: dict[str, str]) -> None:
    """An outline and contents entry for each group of pages after the BNK chapters (e.g. the
    root toctree's "Abschluss und Anhang"), so that they do not sit under "Handlungsfelder"."""
    if not kinds:
        return
    root = app.config.root_doc
    groups: list[tuple[str, list[str]]] = [
        (str(toctree.get("caption") or ""), [docname for _, docname in toctree["entries"]])
        for toctree in app.env.get_doctree(root).findall(addnodes.toctree)
    ]
    starts = {start["docname"]: start for start in doctree.findall(addnodes.start_of_file)}
    after_chapters = False
    for caption, docnames in groups:
        if any(d in kinds for d in docnames):
            after_chapters = True
            continue
        first = next((starts[d] for d in docnames if d in starts), None)
        if not after_chapters or first is None:
            continue
        tex = f"\\bnkpart{{{latex_text(caption or 'Anhang', app.config.latex_engine)}}}\n"
        first.parent.insert(first.parent.index(first), nodes.raw("", tex, format="latex"))


# -- index pages: page numbers in print ---------------------------------------------------------


def _internal(ref: nodes.reference) -> bool:
    return bool(ref.get("refid")) or str(ref.get("refuri", "")).startswith(("#", "%"))


def mark_index_references(doctree: nodes.Node) -> None:
    """BNK index, SDG index and indicator list: every link also shows its page in print."""
    scopes: list[nodes.Node] = [t for t in doctree.findall(nodes.table) if "bnk-index-table" in t["classes"]]
    for head in doctree.findall(nodes.paragraph):
        if "bnk-sdg-index-head" in head["classes"]:
            sibling = head.next_node(descend=False, siblings=True)
            if isinstance(sibling, nodes.bullet_list):
                scopes.append(sibling)
    for scope in scopes:
        for ref in scope.findall(nodes.reference):
            if _internal(ref):
                ref["classes"].append("bnk-pageref")


# -- differences from the reference edition ------------------------------------------------------


def _docname(node: nodes.Node) -> str | None:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.section) and parent.get("docname"):
            return str(parent["docname"])
        parent = parent.parent
    return None


def _where(node: nodes.Node) -> str:
    titles = []
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.section) and parent.children and isinstance(parent[0], nodes.title):
            titles.append(parent[0].astext())
            if "bnk-chapter" in parent["classes"]:
                break
        parent = parent.parent
    if not titles:
        return ""
    return titles[-1] if len(titles) == 1 else f"{titles[-1]} – {titles[0]}"


def _errata_items(app: Sphinx, boxes: list[nodes.admonition]) -> list[nodes.Node]:
    """The appendix entries: per note its place, its page and its text; each note becomes a
    one-line pointer to the appendix."""
    items: list[nodes.Node] = []
    for number, box in enumerate(boxes, 1):
        where = _where(box) or get_report(app.env).errata_heading
        items.append(
            nodes.raw(
                "", f"\\bnkerratumitem{{{number}}}{{{latex_text(where, app.config.latex_engine)}}}\n", format="latex"
            )
        )
        docname = _docname(box)
        for child in box.children:
            if isinstance(child, nodes.title):
                continue
            copy = child.deepcopy()
            # Links relative to the page of the note must keep pointing there.
            for ref in copy.findall(nodes.reference):
                if docname and ref.get("refid"):
                    ref["refuri"] = f"%{docname}#{ref['refid']}"
                    del ref["refid"]
                elif docname and str(ref.get("refuri", "")).startswith("#"):
                    ref["refuri"] = f"%{docname}{ref['refuri']}"
            items.append(copy)
        box.replace_self(nodes.raw("", f"\\bnkerratumnote{{{number}}}\n", format="latex"))
    return items


def move_errata(app: Sphinx, doctree: nodes.Node) -> None:
    """The notes on deviations from the reference edition go to one appendix, with page references.

    The appendix is the report's own page with ``bnk-errata-list`` (its print introduction
    comes from a ``bnk-medium`` block); without such a page it is a section of its own.
    """
    boxes = [n for n in doctree.findall(nodes.admonition) if "bnk-erratum" in n["classes"]]
    starts = list(doctree.findall(addnodes.start_of_file))
    placeholders = list(doctree.findall(bnk_errata_list))
    if not boxes or not starts:
        for placeholder in placeholders:
            placeholder.parent.remove(placeholder)
        return
    items = _errata_items(app, boxes)
    if placeholders:
        page = _docname(placeholders[0])
        title = app.env.titles[page].astext() if page in app.env.titles else get_report(app.env).errata_heading
        # The notes name the appendix by the heading it has in this report.
        command = f"\\renewcommand\\bnkerratatitle{{{latex_text(title, app.config.latex_engine)}}}\n"
        starts[0].parent.insert(starts[0].parent.index(starts[0]), nodes.raw("", command, format="latex"))
        placeholders[0].replace_self(items)
        for extra in placeholders[1:]:
            extra.parent.remove(extra)
        return
    title = get_report(app.env).errata_heading
    appendix = nodes.section(ids=["bnk-abweichungen"], classes=["bnk-errata-appendix"])
    appendix += nodes.title(title, title)
    reference = get_report(app.env).reference
    edition = f"von „{reference.label}“" if reference else "einer früheren Ausgabe"
    intro = (
        f"Dieser Bericht berichtigt an einigen Stellen Angaben {edition}. Hier stehen die "
        "Abweichungen mit der Seite, auf der sie vermerkt sind."
    )
    appendix += nodes.paragraph(intro, intro)
    appendix.extend(items)
    # Before the index pages: their page numbers then do not move the appendix (one LaTeX pass less).
    index_pages = set(get_bnk_domain(app.env).data["index_pages"])
    before = next((s for s in starts if s["docname"] in index_pages), None)
    anchor = before or starts[-1]
    holder = addnodes.start_of_file(docname=anchor["docname"])
    holder += appendix
    anchor.parent.insert(anchor.parent.index(anchor) + (0 if before else 1), holder)


def prepare_for_print(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved`` (after the index pages are filled): print-only changes for LaTeX."""
    if app.builder.format != "latex":
        return
    mark_index_references(doctree)
    if app.config.bnk_print_errata == "appendix":
        move_errata(app, doctree)
    caption_tables(doctree)
    size_tables(doctree)
    mark_indicator_units(doctree)
    box_examples(doctree)
    kinds = mark_chapter_openers(app, doctree)
    insert_dividers(app, doctree, kinds)
    insert_closing_parts(app, doctree, kinds)


def figure_latex(name: str, caption: str, engine: str) -> str:
    """A chart in print: at its drawn size (at most the text width) with a numbered caption."""
    text = re.sub(r"^Abbildung\s*\d*\s*:\s*", "", caption)
    return f"\n\\bnkfigure{{{name}}}{{{latex_text(text, engine)}}}\n"


LATEXMKRC_ADDITION = r"""
# bnk: the page count of the previous pass is no reason for another pass (bnkreport sets the
# PDF page labels itself, in the same pass).
$hash_calc_ignore_pattern{'aux'} = '^\\\\gdef *\\\\@abspage@last';
"""


def tune_latexmkrc(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: latexmk stops when only the page count changed (one pass less)."""
    if exception is not None or app.builder.format != "latex":
        return
    rc = Path(app.outdir) / "latexmkrc"
    if rc.exists():
        text = rc.read_text(encoding="utf-8")
        if LATEXMKRC_ADDITION not in text:
            rc.write_text(text + LATEXMKRC_ADDITION, encoding="utf-8")


def setup_latex(app: Sphinx) -> None:
    """Register the print layout for every LaTeX build."""
    from bnk.boundary import connect  # a bug becomes a bnk.internal warning, not an abort

    app.add_config_value("bnk_print_errata", "appendix", "env", [str])
    # bnk pdf --druckerei: the sheet with bleed (only bnkreport.sty changes: no re-reading).
    app.add_config_value("bnk_print_shop", False, "", [bool])
    connect(app, "config-inited", apply_defaults, priority=800)
    app.add_latex_package(PACKAGE)
    app.set_translator("latex", BnkLaTeXTranslator, override=True)
    connect(app, "builder-inited", write_package)
    connect(app, "doctree-resolved", prepare_for_print, priority=800)
    connect(app, "build-finished", tune_latexmkrc)


__all__ = ["figure_latex", "setup_latex"]
