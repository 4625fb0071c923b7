"""``bnk-accessibility``: the Erklärung zur Barrierefreiheit, rendered from ``bnk_accessibility``.

Also the link to it (and to the page in Leichter Sprache) at the end of every HTML page: added
to the page body on ``html-page-context``, so it works with any theme.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from babel.dates import format_date
from docutils import nodes

from bnk.boundary import BnkDirective, connect
from bnk.config import get_bnk_config
from bnk.data import BnkDataError
from bnk.data.accessibility import AccessibilityStatement, parse_statement
from bnk.data.guards import html_text
from bnk.data.numbers import LOCALE
from bnk.warnings_ import BnkWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

# The pages every report has (bnk new creates them); the footer links to them when they exist.
STATEMENT_PAGE = "barrierefreiheit"
EASY_LANGUAGE_PAGE = "leichte-sprache"
FOOTER_PAGES = ((STATEMENT_PAGE, "Erklärung zur Barrierefreiheit"), (EASY_LANGUAGE_PAGE, "Leichte Sprache"))


def _para(*children: nodes.Node | str) -> nodes.paragraph:
    para = nodes.paragraph()
    for child in children:
        para += nodes.Text(child) if isinstance(child, str) else child
    return para


def _section(title: str, ident: str) -> nodes.section:
    section = nodes.section(ids=[ident])
    section += nodes.title(title, title)
    return section


def _link(text: str, url: str) -> nodes.reference:
    return nodes.reference(text, text, refuri=url)


class AccessibilityDirective(BnkDirective):
    """The Erklärung zur Barrierefreiheit of the report."""

    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        cfg = get_bnk_config(self.env)
        try:
            statement = parse_statement(cfg.accessibility, cfg.report)
        except BnkDataError as exc:
            warn(exc.msg, BnkWarning.CONFIG, self.get_location())
            return []
        return render_statement(statement)


def render_statement(s: AccessibilityStatement) -> list[nodes.Node]:
    """The statement as doctree nodes (sections with headings, lists, links)."""
    # An apposition fits any name ("Kreis Heinsberg", "Stadt Beispiel") without choosing an article.
    who = f"Die Herausgeberin dieses Nachhaltigkeitsberichts, {s.kommune}," if s.kommune else "Die Herausgeberin"
    out: list[nodes.Node] = [
        _para(
            f"{who} ist bemüht, ihn im Einklang mit {s.law} barrierefrei zugänglich zu machen. Diese "
            "Erklärung gilt für die Webfassung des Berichts und sein barrierefreies PDF (PDF/UA)."
        )
    ]
    status = _section("Stand der Vereinbarkeit mit den Anforderungen", "stand-der-vereinbarkeit")
    verdict = nodes.strong(s.status_text, s.status_text)
    tail = "." if s.status == "vollständig" else " – wegen der unten genannten Ausnahmen."
    status += _para(
        "Maßstab sind die Web Content Accessibility Guidelines (WCAG) 2.1, Stufe AA, nach der Norm "
        "EN 301 549, für PDF-Dokumente PDF/UA (ISO 14289). Dieser Bericht ist mit diesen "
        "Anforderungen ",
        verdict,
        tail,
    )
    out.append(status)
    if s.limitations:
        limits = _section("Nicht barrierefreie Inhalte", "nicht-barrierefreie-inhalte")
        items = nodes.bullet_list()
        for limitation in s.limitations:
            item = nodes.list_item()
            para = _para(nodes.strong(limitation.what, limitation.what), f" Begründung: {limitation.reason}")
            if limitation.alternative:
                para += nodes.Text(f" Barrierefreie Alternative: {limitation.alternative}.")
            item += para
            items += item
        limits += items
        out.append(limits)
    made = _section("Erstellung dieser Erklärung", "erstellung-dieser-erklaerung")
    when = (
        f"Diese Erklärung wurde am {format_date(s.date, format='long', locale=LOCALE)} erstellt."
        if s.date
        else "Das Datum dieser Erklärung ist noch nicht eingetragen."
    )
    made += _para(f"{when} Sie beruht auf: {s.method}.")
    made += _para("Bei jedem Bau des Berichts prüfen die Tests automatisch:")
    checks = nodes.bullet_list()
    for check in s.checks:
        checks += nodes.list_item("", _para(check))
    made += checks
    made += _para("Nicht geprüft wurde:")
    gaps = nodes.bullet_list()
    for gap in s.not_tested:
        gaps += nodes.list_item("", _para(gap))
    made += gaps
    out.append(made)
    feedback = _section("Barrieren melden: Feedback und Kontakt", "feedback-und-kontakt")
    if s.contact:
        feedback += _para(
            "Ist Ihnen eine Barriere aufgefallen, oder brauchen Sie einen Inhalt in einer anderen "
            "Form? Schreiben Sie uns:"
        )
        lines = nodes.line_block()
        for text in (s.contact.name, s.contact.unit, s.kommune):
            if text:
                lines += nodes.line(text, text)
        line = nodes.line("", "E-Mail: ")
        line += _link(s.contact.email, f"mailto:{s.contact.email}")
        lines += line
        if s.contact.phone:
            lines += nodes.line("", f"Telefon: {s.contact.phone}")
        feedback += lines
    else:
        feedback += _para("Die Kontaktadresse für Rückmeldungen ist noch nicht eingetragen.")
    out.append(feedback)
    mediation = _section("Schlichtungsverfahren", "schlichtungsverfahren")
    if s.enforcement:
        basis = f" ({s.enforcement.basis})" if s.enforcement.basis else ""
        mediation += _para(
            "Haben Sie auf Ihre Rückmeldung keine oder keine zufriedenstellende Antwort erhalten, "
            "können Sie sich an die ",
            _link(s.enforcement.name, s.enforcement.url),
            f" wenden{basis}. Sie vermittelt zwischen Ihnen und der öffentlichen Stelle, um die "
            "Barriere zu beseitigen.",
        )
    else:
        mediation += _para("Die zuständige Schlichtungsstelle ist noch nicht eingetragen.")
    out.append(mediation)
    return out


def add_footer_links(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``: every page links to the statement and to the easy-language page.

    Appended to the page body, so the links are on every page whatever the report's theme (the
    ``bnk`` theme's footer slot ``bnk_footer_links`` stays free for the report's own links).
    """
    if app.builder.format != "html" or app.builder.name == "bnk-pdfua" or "body" not in context:
        return
    pages = [(docname, text) for docname, text in FOOTER_PAGES if docname in app.env.found_docs]
    links = [
        f'<a href="{html_text(context["pathto"](docname))}">{html_text(text)}</a>'
        for docname, text in pages
        if docname != pagename
    ]
    if links:
        context["body"] += '<footer class="bnk-page-footer"><p>' + " · ".join(links) + "</p></footer>"


def setup_accessibility(app: Sphinx) -> None:
    """Register the directive and the footer links."""
    app.add_directive("bnk-accessibility", AccessibilityDirective)
    connect(app, "html-page-context", add_footer_links)
