"""The publications the site offers: print PDF, accessible PDF, the data (CSV zip) and the export.

Route, chosen for robustness: the web edition links only files that lie in the built site, with
the size and page count read from those very files. The PDFs are built *before* the HTML
(``bnk html --mit-pdf`` runs ``bnk pdf`` and ``bnk pdf-barrierefrei`` first, or the author ran
them) into ``_build/latex`` and ``_build/pdf-barrierefrei``; on ``write-started`` the HTML build
copies each one that is newer than every source of the report into ``downloads/``. A PDF that
is missing or older than the sources is not offered (one German line says why), so the site
never links a stale edition or a file that is not there. Links to hosting downloads (Read the
Docs' "Downloads" menu) would name no size and could point at a PDF of another build.

The data are written by every HTML build: ``downloads/<name>-daten.zip`` holds every CSV and
metadata file the report read (reproducible: sorted, fixed timestamps); ``bnk-report.json`` is
the export (``bnk.export``), written here already so that its size is known to the pages.

The list is shown by the ``bnk-downloads`` directive (the start page) and in the footer of
the ``bnk`` theme (``bnk-downloads.html``); print and the accessible PDF leave it out.
"""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from bnk.boundary import BnkDirective, add_node, connect
from bnk.data.numbers import format_number, format_size
from bnk.nodes import bnk_downloads

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

logger = logging.getLogger(__name__)

FOLDER = "downloads"
DATA_SUFFIXES = (".csv", ".yaml", ".yml")
# Builders that show the links: the web edition only (the accessible PDF is an HTML builder too).
WEB_BUILDERS = ("html", "dirhtml")


@dataclass(frozen=True)
class Download:
    """One offered file: what it is, where it lies in the site, and its label."""

    title: str  # "Druckfassung"
    href: str  # relative to the site's root, e.g. "downloads/bericht.pdf"
    label: str  # "PDF, 4,1 MB, 204 Seiten"

    @property
    def text(self) -> str:
        """The link text: title and label, so that a screen reader hears format and size."""
        return f"{self.title} ({self.label})"


def pdf_label(path: Path) -> str:
    """``PDF, 4,1 MB, 204 Seiten`` (the page count only when pikepdf is installed)."""
    label = f"PDF, {format_size(path.stat().st_size)}"
    try:
        import pikepdf
    except ImportError:
        return label
    with pikepdf.open(path) as pdf:
        pages = len(pdf.pages)
    return f"{label}, {format_number(Decimal(pages), 0)} {'Seite' if pages == 1 else 'Seiten'}"


def _sources(app: Sphinx) -> list[Path]:
    """Every file the report is built from: pages, data read by directives, conf.py."""
    env = app.env
    files = {Path(env.doc2path(doc)) for doc in env.found_docs}
    for deps in env.dependencies.values():
        files.update(Path(app.srcdir, dep) for dep in deps)
    files.add(Path(app.confdir, "conf.py"))
    return sorted(f for f in files if f.is_file())


def data_files(app: Sphinx) -> list[Path]:
    """The data the report read (CSV and metadata), inside the report folder."""
    root = Path(app.srcdir).resolve()
    return [
        f
        for f in _sources(app)
        if f.suffix.lower() in DATA_SUFFIXES and f.resolve().is_relative_to(root) and f.name != "conf.py"
    ]


def write_zip(files: list[Path], root: Path, target: Path) -> None:
    """A reproducible zip: sorted names relative to ``root``, a fixed date, fixed permissions."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(files, key=lambda f: f.relative_to(root).as_posix()):
            info = zipfile.ZipInfo(file.relative_to(root).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, file.read_bytes())
    if target.exists() and target.read_bytes() == tmp.read_bytes():
        tmp.unlink()
    else:
        tmp.replace(target)


def _offer_pdf(app: Sphinx, source: Path, title: str, command: str, newest: float) -> Download | None:
    if not source.is_file():
        logger.info("%s nicht angeboten: %s fehlt (bauen mit %s)", title, source, command)
        return None
    if source.stat().st_mtime < newest:
        logger.info("%s nicht angeboten: %s ist älter als die Quellen (neu bauen mit %s)", title, source, command)
        return None
    target = Path(app.outdir) / FOLDER / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.read_bytes() != source.read_bytes():
        shutil.copyfile(source, target)
    return Download(title, f"{FOLDER}/{source.name}", pdf_label(target))


def collect_downloads(app: Sphinx, builder: Any = None) -> None:
    """``write-started``: put the publications into the site and keep their list for the pages."""
    app.builder.bnk_downloads = []  # type: ignore[attr-defined]
    if app.builder.name not in WEB_BUILDERS:
        return
    from bnk.export import EXPORT_NAME, write_export
    from bnk.pdfua import pdf_filename

    sources = _sources(app)
    newest = max((f.stat().st_mtime for f in sources), default=0.0)
    build = Path(app.outdir).parent
    documents = app.config.latex_documents
    stem = Path(documents[0][1]).stem if documents else "bericht"
    found: list[Download | None] = [
        _offer_pdf(app, build / "latex" / f"{stem}.pdf", "Druckfassung", "bnk pdf", newest),
        _offer_pdf(
            app,
            build / "pdf-barrierefrei" / pdf_filename(app.config),
            "Barrierefreies PDF",
            "bnk pdf-barrierefrei",
            newest,
        ),
    ]
    data = data_files(app)
    if data:
        target = Path(app.outdir) / FOLDER / f"{stem}-daten.zip"
        write_zip(data, Path(app.srcdir), target)
        csvs = sum(1 for f in data if f.suffix.lower() == ".csv")
        label = f"ZIP, {format_size(target.stat().st_size)}, {format_number(Decimal(csvs), 0)} CSV-Dateien"
        found.append(Download("Daten des Berichts", f"{FOLDER}/{target.name}", label))
    # The export is written now (and again, unchanged, when the build finishes) for its size.
    write_export(app, None)
    export = Path(app.outdir) / EXPORT_NAME
    if export.is_file():
        found.append(Download("Maschinenlesbarer Bericht", EXPORT_NAME, f"JSON, {format_size(export.stat().st_size)}"))
    app.builder.bnk_downloads = [d for d in found if d is not None]  # type: ignore[attr-defined]


def downloads_of(builder: Any) -> list[Download]:
    """The publications of this build (empty before ``write-started`` and outside the web edition)."""
    return list(getattr(builder, "bnk_downloads", []))


def render_list(items: list[tuple[str, Download]], css: str) -> str:
    """``<ul>`` of download links; ``items`` are (relative URL, download)."""
    rows = "".join(
        f'<li><a href="{escape(url)}" download>{escape(d.title)}</a>'
        f' <span class="bnk-download-label">({escape(d.label)})</span></li>'
        for url, d in items
    )
    return f'<ul class="{css}">{rows}</ul>'


def html_visit_bnk_downloads(self: Any, node: bnk_downloads) -> None:
    """The list on a page (start page); nothing in the accessible PDF."""
    from docutils import nodes

    builder = self.builder
    if builder.name in WEB_BUILDERS:
        here = builder.get_target_uri(builder.current_docname)
        items = [(relative_uri(here, d.href), d) for d in downloads_of(builder)]
        if items:
            self.body.append(
                '<div class="bnk-downloads"><p>Diesen Bericht gibt es auch als Datei:</p>'
                f"{render_list(items, 'bnk-download-list')}</div>"
            )
    raise nodes.SkipNode


class DownloadsDirective(BnkDirective):
    """``bnk-downloads``: the publications of the report as links with format, size and pages."""

    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[Any]:
        node = bnk_downloads()
        self.set_source_info(node)
        return [node]


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """The footer's list (template ``bnk-downloads.html``)."""
    if app.builder.name not in WEB_BUILDERS:
        return
    context["bnk_downloads"] = [
        {"url": context["pathto"](d.href, resource=True), "title": d.title, "label": d.label}
        for d in downloads_of(app.builder)
    ]


# A reference in a page to a file the site may offer (e.g. the Erklärung's link to the accessible
# PDF): its ``refuri`` is the file's place in the site (``downloads/<name>``).
OFFERED_CLASS = "bnk-offered-download"


def resolve_offered_links(app: Sphinx, doctree: Any, docname: str) -> None:
    """``doctree-resolved``: a link to an offered file where the site offers it, else its text.

    So no page links a PDF that was not built (or is stale), and no PDF links a file beside it.
    """
    from docutils import nodes

    offered = {d.href for d in downloads_of(app.builder)} if app.builder.name in WEB_BUILDERS else set()
    for ref in list(doctree.findall(nodes.reference)):
        if OFFERED_CLASS not in ref.get("classes", []):
            continue
        if ref.get("refuri") in offered:
            ref["refuri"] = relative_uri(app.builder.get_target_uri(docname), ref["refuri"])
        else:
            ref.parent.replace(ref, nodes.Text(ref.astext()))


def setup_downloads(app: Sphinx) -> None:
    """Register the directive, its node and the events that fill the list."""
    app.add_directive("bnk-downloads", DownloadsDirective)
    add_node(app, bnk_downloads, html=html_visit_bnk_downloads)
    # After the coverage check (500): the export needs the domain's final state.
    connect(app, "write-started", collect_downloads, priority=600)
    connect(app, "html-page-context", page_context)
    connect(app, "doctree-resolved", resolve_offered_links)
