"""Helpers for a report in the making: draft mode, the missing-report-year check and a safe title.

* **Draft mode** (``bnk_draft = True``, or ``-D bnk_draft=1`` in the pull-request check): every
  open aspect appears on its chapter page as a visible placeholder ("Noch offen – zuständig: …"),
  and the build lists open aspects as notes instead of warnings, so a strict build of an
  unfinished report passes. The release build (``bnk_draft = False``) stays strict.
* ``bnk_warn_missing_year = True``: a ``bnk.year-missing`` warning for each indicator on a page
  that has no value for the report year (opt-in: many series lag a year or two).
* The HTML theme prints ``project`` unescaped in places; a Kommune named ``<b>…`` must not become
  markup, so the page context gets the escaped text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from markupsafe import Markup, escape
from sphinx import addnodes
from sphinx.util import logging

from bnk.config import get_bnk_config
from bnk.domain import get_bnk_domain
from bnk.warnings_ import BnkWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from bnk.coverage import AspectRow

logger = logging.getLogger(__name__)

# Problems that mean "not written yet": in draft mode they are shown, not failed on.
OPEN_SUBTYPES = {
    BnkWarning.ASPECT_MISSING,
    BnkWarning.ASPECT_EMPTY,
    BnkWarning.CHAPTER_EMPTY,
    BnkWarning.CORE_INDICATOR_MISSING,
}
NOBODY = "noch nicht festgelegt"


def is_draft(env: Any) -> bool:
    """Whether this build is a draft build."""
    return bool(get_bnk_config(env).draft)


def note_open(message: str, location: tuple[str, int | None] | str, env: Any) -> None:
    """Draft mode: an open aspect is reported as a note with its place, not as a warning."""
    where = str(location)
    if isinstance(location, tuple):
        where = f"{env.doc2path(location[0], False)}:{location[1] or 1}"
    logger.info(f"{where}: Entwurf – noch offen: {message}")


def responsible_for(aspect: AspectRow, responsible: dict[str, str]) -> str:
    """Who writes an open aspect: ``bnk_responsible`` by aspect, then by chapter."""
    from bnk.data.catalogue import code_key

    by_key = {code_key(key): who for key, who in responsible.items()}
    return by_key.get(code_key(aspect.number)) or by_key.get(aspect.chapter) or NOBODY


def check_responsible(app: Sphinx, builder: Any) -> None:
    """``write-started``: every key of ``bnk_responsible`` names a chapter or aspect of the catalogue
    (a typo such as ``"10.9"`` otherwise assigned nobody, silently)."""
    from pathlib import Path

    from bnk.config import get_catalogue, line_in
    from bnk.data.catalogue import code_key

    responsible = get_bnk_config(app.env).responsible
    catalogue = get_catalogue(app.env)
    if not responsible or catalogue is None:
        return
    known = {c.key for c in catalogue.chapters} | {a.key for c in catalogue.chapters for a in c.aspects}
    conf_py = Path(app.confdir) / "conf.py"
    line = line_in(conf_py, "bnk_responsible")
    for key in responsible:
        if code_key(key) not in known:
            warn(
                f"bnk_responsible nennt „{key}“, das der Katalog weder als Kapitel noch als Aspekt kennt; "
                "diese Zuständigkeit gilt für nichts.",
                BnkWarning.CONFIG,
                f"{conf_py}:{line}" if line else None,
            )


def open_aspects(env: Any) -> dict[str, list[AspectRow]]:
    """Open (missing) aspects by the docname of their chapter page, from the domain's coverage."""
    from bnk.coverage import STATUS_MISSING

    coverage = get_bnk_domain(env).coverage(env)
    if coverage is None:
        return {}
    out: dict[str, list[AspectRow]] = {}
    for chapter in coverage.chapters:
        if chapter.docname is None:
            continue
        for aspect in chapter.aspects:
            if aspect.status == STATUS_MISSING:
                out.setdefault(chapter.docname, []).append(aspect)
    return out


def insert_placeholders(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: in draft mode, one visible placeholder per open aspect of the page."""
    env = app.env
    if not is_draft(env):
        return
    missing = open_aspects(env)
    # The LaTeX builder resolves one assembled tree; each page in it starts with start_of_file.
    pages: dict[str, nodes.Element] = {n["docname"]: n for n in doctree.findall(addnodes.start_of_file)}
    pages.setdefault(docname, doctree)
    responsible = get_bnk_config(env).responsible
    for page, container in pages.items():
        aspects = missing.get(page)
        if not aspects:
            continue
        section = next(iter(container.findall(nodes.section)), None)
        parent = section if section is not None else container
        for aspect in aspects:
            box = nodes.admonition(classes=["bnk-draft", "attention"])
            box += nodes.title("", f"Aspekt {aspect.number}: {aspect.title}")
            box += nodes.paragraph("", f"Noch offen – zuständig: {responsible_for(aspect, responsible)}")
            parent += box


def summarize_draft(app: Sphinx, builder: Any = None) -> None:
    """``write-started``: one line that says how many aspects the draft leaves open."""
    if not is_draft(app.env):
        return
    count = sum(len(v) for v in open_aspects(app.env).values())
    if count:
        logger.info(
            f"Entwurf: {count} offene Aspekte als Platzhalter gezeigt – "
            "der strenge Bau für die Veröffentlichung (bnk_draft = False) meldet sie als Fehler."
        )


def warn_missing_year(app: Sphinx, builder: Any = None) -> None:
    """``write-started`` (opt-in): each indicator on a page without a value for the report year."""
    env = app.env
    cfg = get_bnk_config(env)
    if not cfg.warn_missing_year or cfg.report_year is None:
        return
    domain = get_bnk_domain(env)
    for docname in sorted(domain.data.get("indicators", {})):
        for record in domain.data["indicators"][docname]:
            series = record.get("series") or {}
            own = series.get("") or next(iter(series.values()), None)
            if own is None or record.get("no_data_reason"):
                continue
            if cfg.report_year not in own["years"]:
                last = max(own["years"]) if own["years"] else None
                since = f" (letzter Wert: {last})" if last else ""
                warn(
                    f"Indikator „{record['id']}“ hat keinen Wert für das Berichtsjahr {cfg.report_year}{since}.",
                    BnkWarning.YEAR_MISSING,
                    (docname, record.get("line")),
                )


def escape_project(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``: the titles as text, never as markup (themes print some unescaped)."""
    # Markup: templates that escape (|e) leave it alone, templates that do not print text.
    for key in ("project", "docstitle", "shorttitle", "titlesuffix"):
        value = context.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            context[key] = escape(value)


def setup_authoring(app: Sphinx) -> None:
    """Register draft mode, the report-year check and the escaped page title."""
    from bnk.boundary import connect

    connect(app, "doctree-resolved", insert_placeholders)
    connect(app, "write-started", summarize_draft, priority=600)
    connect(app, "write-started", warn_missing_year, priority=600)
    connect(app, "write-started", check_responsible, priority=600)
    connect(app, "html-page-context", escape_project)
