"""The accessible PDF (PDF/UA-1): the whole report as one HTML file, typeset by WeasyPrint.

Route, chosen after trying both: WeasyPrint's ``pdf/ua-1`` variant tags headings, paragraphs,
lists, tables (``TH``/``TD``), figures (``/Alt`` from the ``alt`` of the chart images, which is
the generated chart alt text), link annotations (``/Contents``), sets ``DisplayDocTitle``, writes
``pdfuaid:part`` into the XMP and gives every page ``/StructParents``. Debian bookworm's TeX Live
2022 tagging (``\\DocumentMetadata{testphase=…}``) left Sphinx's tables and figures untagged.

The builder ``bnk-pdfua`` is Sphinx's single-file HTML builder with its own theme (no
navigation, no scripts, the print stylesheet of the web edition), so the PDF holds exactly the
report's content: every aspect, indicator, table row and chart comes from the same doctrees as
the web pages. pikepdf then adds what WeasyPrint leaves out: the catalog ``/Lang`` with region
(``de-DE`` instead of ``de``), ``dc:language``/``dc:creator`` in the XMP, and a fallback
``/Contents`` for any link annotation without one. Same input, same bytes: the document ID is
derived from the content.

WeasyPrint loads only files of the build output (:func:`output_fetcher`), and embeds only
declared attachments: the files of ``bnk_pdfua_attachments`` (checked by the path guard in
``config-inited``, copied into the output as ``_anhaenge/<name>``) are attached to the PDF; a
page's ``<a rel="attachment" href="file:///etc/hostname">`` or any other undeclared attachment is
left out with a ``bnk.pdf`` warning (:func:`typeset`).
"""

from __future__ import annotations

import logging as stdlib_logging
import time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.util import logging
from sphinx.util.fileutil import copy_asset_file

from bnk.pdfua_tree import element_keys, merge_continued
from bnk.warnings_ import BnkWarning, warn

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

THEME = "bnk_pdfua"
THEME_DIR = Path(__file__).parent / "themes" / THEME
STATIC_DIR = Path(__file__).parent / "static"
PDF_VARIANT = "pdf/ua-1"
ATTACHMENT_FOLDER = "_anhaenge"


def language_tag(language: str | None) -> str:
    """BCP 47 tag with region for the PDF catalog: ``de`` → ``de-DE`` (Babel's likely subtags).

    :param language: Sphinx's ``language`` value
    """
    from babel.core import get_global

    lang = (language or "de").replace("_", "-")
    if "-" in lang:
        return lang
    likely = get_global("likely_subtags").get(lang, "")
    region = likely.split("_")[-1] if likely.count("_") >= 1 else ""
    return f"{lang}-{region}" if region.isalpha() and region.isupper() else lang


PDFUA_SUFFIX = "-barrierefrei.pdf"


def pdf_filename(config: Config) -> str:
    """The PDF's file name: the print PDF's name with ``-barrierefrei``.

    :param config: the report's Sphinx configuration (``latex_documents``)
    """
    documents = config.latex_documents
    stem = Path(documents[0][1]).stem if documents else "bericht"
    return f"{stem}{PDFUA_SUFFIX}"


# WeasyPrint's error messages (its format strings) in German, for the report's authors. The
# values are WeasyPrint's arguments (anchors, paths), inserted into our own German text.
WEASYPRINT_MESSAGES = {
    "Content discarded: target points to undefined anchor %r": (
        "Inhalt verworfen: Verweis auf die nicht vorhandene Stelle „{0}“"
    ),
    "No anchor #%s for internal URI reference": "Link auf die nicht vorhandene Stelle #{0}",
    "Failed to load image at %r: %s": "Bild „{0}“ nicht lesbar: {1}",
    "Failed to render SVG image %s": "SVG-Bild {0} nicht darstellbar",
    "Failed to load inline SVG: %s": "eingebettetes SVG nicht lesbar: {0}",
    'Image "%s" has no required alt description': "Bild {0} ohne Alternativtext",
    'Missing required "lang" attribute at the root of the document': "Sprache des Dokuments fehlt (lang)",
    "Failed to load stylesheet at %s: %s": "Stylesheet {0} nicht lesbar: {1}",
    "Failed to load stylesheet at %s : %s": "Stylesheet {0} nicht lesbar: {1}",
    "Relative URI reference without a base URI: %s": "relativer Link ohne Basisadresse: {0}",
}


def german_message(record: stdlib_logging.LogRecord) -> str:
    """A WeasyPrint log record as a German sentence; unknown ones keep WeasyPrint's English text.

    The German templates are ours; WeasyPrint's arguments are only ever inserted as values
    (``str`` of each), never used as a template.
    """
    template = WEASYPRINT_MESSAGES.get(str(record.msg))
    args = record.args if isinstance(record.args, tuple) else (record.args,) if record.args else ()
    if template is None or template.count("{") != len(args):
        return f"Meldung des Satzprogramms WeasyPrint (englisch): {record.getMessage()}"
    return template.format(*(str(a) for a in args))


class _WeasyPrintLog(stdlib_logging.Handler):
    """Collect WeasyPrint's errors (e.g. a link to an anchor that does not exist), in German."""

    def __init__(self) -> None:
        super().__init__(level=stdlib_logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: stdlib_logging.LogRecord) -> None:
        self.messages.append(german_message(record))


class _WeasyPrintProgress(stdlib_logging.Handler):
    """WeasyPrint's progress (``weasyprint.progress``) as German lines while it sets the pages:
    every ``every`` pages and each new pass over pages whose page references changed."""

    def __init__(self, every: int = 25) -> None:
        super().__init__(level=stdlib_logging.INFO)
        self.every = every
        self.start = time.monotonic()

    def emit(self, record: stdlib_logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        elapsed = _seconds(time.monotonic() - self.start)
        if record.msg == "Step 5 - Creating layout - Page %d" and args and int(args[0]) % self.every == 0:
            logger.info("Barrierefreies PDF: %d Seiten gesetzt (%s s) …", int(args[0]), elapsed)
        elif record.msg == "Step 5 - Creating layout - Repagination #%d" and args:
            logger.info("Barrierefreies PDF: Seitenverweise geändert, Durchgang %d (%s s) …", int(args[0]) + 1, elapsed)


class BnkPdfUaBuilder(SingleFileHTMLBuilder):
    """Single HTML file of the report in the PDF theme, then the tagged PDF from it."""

    name = "bnk-pdfua"
    bnk_medium = "print"  # a document to read page by page, like the print edition (bnk-medium)
    epilog = "Das barrierefreie PDF liegt in %(outdir)s."

    def get_theme_config(self) -> tuple[str, dict[str, Any]]:
        # The web theme (whatever the report chose) stays out of the PDF.
        return THEME, {}

    def assemble_doctree(self) -> nodes.document:
        tree = super().assemble_doctree()
        # Cross-page references arrive as "#document-page#anchor" (Sphinx 9 no longer fixes
        # them in one-file builds); on one page only the anchor counts.
        # The start page itself has no "#document-index" anchor: a link to it goes to the top.
        first = next(iter(tree.findall(nodes.section)), None)
        top = f"#{first['ids'][0]}" if first is not None and first["ids"] else "#"
        renamed = unique_ids(tree, self.config.root_doc)
        for ref in tree.findall(nodes.reference):
            uri = ref.get("refuri", "")
            if uri.startswith("#") and uri.count("#") > 1:
                page, anchor = uri[1:].split("#", 1)
                ref["refuri"] = "#" + renamed.get((page.removeprefix("document-"), anchor), anchor)
            elif uri == f"#document-{self.config.root_doc}":
                ref["refuri"] = top
        # Tables as in print: wide text tables stacked (first column, then one line per other
        # column) instead of landscape pages that turn the reading direction; column widths given.
        from bnk.latex import print_layout_tables

        print_layout_tables(tree)
        return tree

    def _attachments(self) -> tuple[Path, ...]:
        """The declared attachments (already guarded), copied into the output, where the fetcher
        may read them: ``_anhaenge/<name>``."""
        from bnk.config import get_bnk_config

        folder = Path(self.outdir) / ATTACHMENT_FOLDER
        copied = []
        for source in get_bnk_config(self.env).pdfua_attachments:
            folder.mkdir(exist_ok=True)
            copy_asset_file(source, folder, force=True)
            copied.append(folder / Path(source).name)
        return tuple(copied)

    def finish(self) -> None:
        super().finish()
        # The extension's stylesheets are otherwise copied on build-finished, after this.
        for name in ("bnk.css", "bnk-print.css"):
            copy_asset_file(STATIC_DIR / name, Path(self.outdir) / "_static", force=True)
        # The design colours (bnk-design.css) too: the page links it, WeasyPrint loads it now.
        from bnk.html.identity import write_design_css

        write_design_css(self._app, None)
        # The charts are drawn in the background until build-finished; WeasyPrint loads them now.
        from bnk.writers import join_chart_pool

        join_chart_pool(self._app, None)
        html = Path(self.outdir) / f"{self.config.root_doc}{self.out_suffix}"
        target = Path(self.outdir) / pdf_filename(self.config)
        write_pdf(html, target, self.config.language, self.config.author, self._attachments())
        logger.info("barrierefreies PDF: %s", target)


def _with_pages(tree: nodes.document, root_doc: str) -> Iterator[tuple[nodes.Element, str]]:
    """Every element of the one-file doctree in document order, with the page (document name) it
    comes from. Top down: Sphinx hands a page's nodes to its ``start_of_file`` without setting
    their ``parent``, so walking up would not find it."""
    from sphinx import addnodes

    stack: list[tuple[nodes.Node, str]] = [(tree, root_doc)]
    while stack:
        node, page = stack.pop()
        if isinstance(node, addnodes.start_of_file):
            page = str(node["docname"])
        if isinstance(node, nodes.Element):
            yield node, page
            stack.extend((child, page) for child in reversed(node.children))


def unique_ids(tree: nodes.document, root_doc: str) -> dict[tuple[str, str], str]:
    """Make the ids of the one-file doctree unique; returns the renamed ``(page, id)``.

    An id is unique on its page of the web edition, not across pages: several chapters have a
    section "Indikatoren", every page with deviations its ``abweichung-1``. In one file a link
    to the second one went to the first (in the PDF: 16 deviations named the page of the first).
    A repeated id gets its page's name in front; references within the page (``refid``) follow
    here, references from other pages where the caller rewrites ``#document-page#id``.
    """
    seen: set[str] = set()
    renamed: dict[tuple[str, str], str] = {}
    for node, page in list(_with_pages(tree, root_doc)):
        ids = []
        for id_ in node["ids"]:
            if id_ in seen:
                new = f"{page.replace('/', '-')}-{id_}"
                while new in seen:
                    new += "-"
                renamed[(page, id_)] = new
                id_ = new  # noqa: PLW2901 - the renamed id replaces the repeated one
            seen.add(id_)
            ids.append(id_)
        node["ids"] = ids
    if renamed:
        for node, page in _with_pages(tree, root_doc):
            if "refid" in node or node.get("backrefs"):
                if "refid" in node:
                    node["refid"] = renamed.get((page, node["refid"]), node["refid"])
                node["backrefs"] = [renamed.get((page, b), b) for b in node.get("backrefs", [])]
    return renamed


def _local_path(url: str) -> Path | None:
    """The resolved file of a ``file:`` URL (symbolic links followed), else None."""
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    return Path(url2pathname(parts.path)).resolve()


def output_fetcher(root: Path, refused: list[str]) -> Any:
    """WeasyPrint's URL fetcher, limited to files inside the build output ``root`` (and ``data:``).

    A page with ``<img src="file:///etc/passwd">`` or a link to ``https://…`` as a stylesheet gets
    nothing: the refused URL is collected in ``refused`` and WeasyPrint leaves the resource out.
    """
    from weasyprint import URLFetcher

    base = root.resolve()

    class OutputFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            path = _local_path(url)
            if not url.lower().startswith("data:") and (path is None or not path.is_relative_to(base)):
                refused.append(url)
                raise ValueError(f"nicht aus der Ausgabe des Baus: {url}")
            return super().fetch(url, headers)

    return OutputFetcher(allowed_protocols={"file", "data"})


def typeset(html: Path, attachments: tuple[Path, ...] = ()) -> tuple[bytes, list[str]]:
    """WeasyPrint's PDF/UA of ``html``, and the problems as German sentences.

    Everything WeasyPrint loads comes from the folder of ``html`` (the build output); files are
    attached to the PDF only if they are in ``attachments`` – a page's ``<a rel="attachment">`` or
    ``<link rel="attachment">`` to anything else is left out with a message. Every declared file
    is attached, whether a page names it or not.

    :param attachments: the declared files (inside the build output), embedded as attachments
    """
    from weasyprint import HTML
    from weasyprint.html import element_has_link_type
    from weasyprint.urls import url_join

    declared = {p.resolve() for p in attachments}
    refused: list[str] = []
    problems: list[str] = []
    log = _WeasyPrintLog()
    weasy_logger = stdlib_logging.getLogger("weasyprint")
    weasy_logger.addHandler(log)
    progress = _WeasyPrintProgress()
    progress_logger = stdlib_logging.getLogger("weasyprint.progress")
    progress_level = progress_logger.level
    progress_logger.addHandler(progress)
    progress_logger.setLevel(stdlib_logging.INFO)
    try:
        document = HTML(filename=str(html), url_fetcher=output_fetcher(html.parent, refused))
        # <link rel="attachment">: becomes a file of the PDF's metadata; only a declared one
        linked = set()
        for element in list(document.etree_element.iter("link")):
            if element_has_link_type(element, "attachment"):
                url = url_join(document.base_url, element.get("href", ""), True, "")
                path = _local_path(url or "")
                if path not in declared:
                    problems.append(f"Anhang „{element.get('href', '')}“ nicht eingebettet (nicht freigegeben)")
                    element.set("rel", "")
                linked.add(path)
        head = document.etree_element.find("head")
        for path in sorted(declared - linked):  # declared, but named by no page: attached all the same
            if head is not None:
                head.append(head.makeelement("link", {"rel": "attachment", "href": path.as_uri()}))
        start = time.monotonic()
        logger.info("Barrierefreies PDF: WeasyPrint setzt die Seiten …")
        rendered = document.render(pdf_variant=PDF_VARIANT)
        logger.info(
            "Barrierefreies PDF: %d Seiten gesetzt (%s s); schreibe PDF mit Strukturbaum …",
            len(rendered.pages),
            _seconds(time.monotonic() - start),
        )
        # <a rel="attachment"> (or CSS that makes a link an attachment): an annotation with the file
        for page in rendered.pages:
            kept = []
            for link in page.links:
                if link[0] == "attachment" and _local_path(link[1]) not in declared:
                    problems.append(f"Anhang „{link[1]}“ nicht eingebettet (nicht freigegeben)")
                else:
                    kept.append(link)
            page.links[:] = kept
        start = time.monotonic()
        # WeasyPrint tags page by page; bnk.pdfua_tree keys each part with its HTML element so
        # that finish_pdf joins the parts into one element (a section, a table) afterwards.
        with element_keys():
            raw = rendered.write_pdf(pdf_variant=PDF_VARIANT)
        logger.info("Barrierefreies PDF: geschrieben (%s s)", _seconds(time.monotonic() - start))
    finally:
        weasy_logger.removeHandler(log)
        progress_logger.removeHandler(progress)
        progress_logger.setLevel(progress_level)
    problems += [f"„{url}“ nicht geladen: nur Dateien aus der Ausgabe des Baus gelangen ins PDF" for url in refused]
    return raw, sorted(set(problems + log.messages))


def write_pdf(html: Path, target: Path, language: str | None, author: str, attachments: tuple[Path, ...] = ()) -> None:
    """Typeset ``html`` as PDF/UA-1 into ``target`` and finish it with pikepdf.

    :param html: the single HTML file of the report
    :param target: the PDF to write
    :param language: Sphinx's ``language`` (catalog ``/Lang``)
    :param author: the report's author (XMP ``dc:creator``)
    :param attachments: the declared attachments (``bnk_pdfua_attachments``, inside the output)
    """
    raw, messages = typeset(html, attachments)
    for message in messages:
        warn(f"Barrierefreies PDF: {message}", BnkWarning.PDF, str(html))
    words = words_on_pages(raw)
    if words is None:
        warn(
            "Barrierefreies PDF: pdftotext (Poppler) fehlt; Links behalten als Beschreibung nur ihr Ziel. "
            "Installieren mit: tools/ensure-deps pdfua",
            BnkWarning.PDF,
            str(html),
        )
    finish_pdf(raw, target, language_tag(language), author, words)


def _seconds(value: float) -> str:
    from bnk.data.numbers import format_number

    return format_number(Decimal(str(round(value, 1))), 1)


def words_on_pages(raw: bytes) -> list[list[tuple[float, float, float, float, str]]] | None:
    """Every word of every page with its box (PDF coordinates, origin bottom left), via Poppler.

    :returns: per page a list of ``(x0, y0, x1, y1, word)``; None if ``pdftotext`` is missing
    """
    import shutil
    import subprocess
    import tempfile
    from xml.etree import ElementTree

    if shutil.which("pdftotext") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "weasyprint.pdf"
        path.write_bytes(raw)
        xhtml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True).stdout
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    pages = []
    for page in ElementTree.fromstring(xhtml).iterfind(".//x:page", ns):
        height = float(page.get("height", "0"))
        pages.append(
            [
                (
                    float(w.get("xMin", 0)),
                    height - float(w.get("yMax", 0)),
                    float(w.get("xMax", 0)),
                    height - float(w.get("yMin", 0)),
                    w.text or "",
                )
                for w in page.iterfind("x:word", ns)
            ]
        )
    return pages


def words_in(rect: list[float], words: list[tuple[float, float, float, float, str]]) -> list[int]:
    """Indices of the words whose centre lies inside a link annotation's rectangle."""
    x0, y0, x1, y1 = (float(v) for v in rect)
    left, right, bottom, top = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
    return [
        index
        for index, (wx0, wy0, wx1, wy1, _) in enumerate(words)
        if left - 1 <= (wx0 + wx1) / 2 <= right + 1 and bottom - 1 <= (wy0 + wy1) / 2 <= top + 1
    ]


def finish_pdf(
    raw: bytes,
    target: Path,
    lang: str,
    author: str,
    words: list[list[tuple[float, float, float, float, str]]] | None = None,
) -> None:
    """Add to WeasyPrint's PDF what PDF/UA asks and WeasyPrint leaves out; write it reproducibly.

    :param raw: the PDF from WeasyPrint
    :param target: where to write the result
    :param lang: BCP 47 language tag with region, e.g. ``de-DE``
    :param author: XMP ``dc:creator``
    :param words: the words of each page with their boxes (for link descriptions)
    """
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(raw)) as pdf:
        pdf.Root.Lang = pikepdf.String(lang)
        joined = merge_continued(pdf)
        logger.info("Barrierefreies PDF: Strukturbaum nach dem Dokument (%d Seitenteile verbunden)", joined)
        # (page, word) keys of the words under each link annotation
        under: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for number, page in enumerate(pdf.pages):
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") == "/Link" and words and number < len(words):
                    under[annot.objgen] = [(number, i) for i in words_in(list(annot.Rect), words[number])]
        # A link that wraps has one annotation per line, and the printed URL after it (CSS
        # ::after) is a nested Link element: every annotation of the outermost Link element
        # gets the whole link text, each word once.
        done: set[tuple[int, int]] = set()
        for link in struct_elements(pdf.Root.StructTreeRoot, "/Link"):
            annots = [a for a in _annotations_under(link) if a.objgen not in done]
            done.update(a.objgen for a in annots)
            keys = sorted({key for a in annots for key in under.get(a.objgen, [])})
            whole = " ".join(words[page][i][4] for page, i in keys).strip() if words else ""
            for annot in annots:
                if whole:
                    annot.Contents = pikepdf.String(whole)
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") == "/Link" and not str(annot.get("/Contents", "")).strip():
                    action = annot.get("/A", {})
                    annot.Contents = pikepdf.String(str(action.get("/URI", "Verweis im Dokument")))
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["dc:language"] = [lang]
            meta["dc:creator"] = [author]
            if not meta.get("pdfuaid:part"):
                meta["pdfuaid:part"] = "1"
        pdf.docinfo[pikepdf.Name.Author] = pikepdf.String(author)
        target.parent.mkdir(parents=True, exist_ok=True)
        pdf.save(target, deterministic_id=True)


def _kids(element: Any) -> list[Any]:
    import pikepdf

    kids = element.get("/K")
    if isinstance(kids, pikepdf.Array):
        return [kid for kid in kids if isinstance(kid, pikepdf.Dictionary)]
    return [kids] if isinstance(kids, pikepdf.Dictionary) else []


def _annotations_under(element: Any) -> list[Any]:
    """The annotations referenced (``OBJR``) by a structure element and its descendants."""
    found, stack = [], [element]
    while stack:
        current = stack.pop()
        for kid in reversed(_kids(current)):
            if kid.get("/Type") == "/OBJR":
                if "/Obj" in kid:
                    found.append(kid.Obj)
            elif "/S" in kid:
                stack.append(kid)
    return found


def struct_elements(root: Any, tag: str | None = None) -> list[Any]:
    """The structure elements under ``root`` in document order (only ``tag`` if given).

    :param root: the ``/StructTreeRoot`` or any structure element
    :param tag: e.g. ``"/Figure"``
    """
    found, stack = [], [root]
    while stack:
        element = stack.pop()
        if "/S" in element and (tag is None or tag == element.S):
            found.append(element)
        stack.extend(reversed([kid for kid in _kids(element) if "/Type" not in kid or kid.Type == "/StructElem"]))
    return found


def report_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """The report's settings for the cover and the imprint of the PDF theme."""
    if app.builder.name == BnkPdfUaBuilder.name:
        from bnk.config import get_report

        context["bnk_report"] = get_report(app.env)


def setup_pdfua(app: Sphinx) -> None:
    """Register the PDF theme and the ``bnk-pdfua`` builder."""
    from bnk.boundary import connect

    app.add_html_theme(THEME, str(THEME_DIR))
    app.add_builder(BnkPdfUaBuilder)
    connect(app, "html-page-context", report_context)
