"""``bnk-accessibility``: the Erklärung zur Barrierefreiheit, rendered from ``bnk_accessibility``.

The statement is checked with the rest of conf.py (``bnk.config``); the link to it on every
page is part of the footer (``bnk.html.identity``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes

from bnk.boundary import BnkDirective
from bnk.config import get_accessibility
from bnk.data.accessibility import ALTERNATIVE_PDF, AccessibilityStatement
from bnk.html.downloads import FOLDER, OFFERED_CLASS
from bnk.pdfua import pdf_filename

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

    from bnk.data.accessibility import AccessibilityStatement


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
        # Checked with the rest of conf.py on config-inited: an invalid bnk_accessibility is a
        # bnk.config warning on every build, not only when this page is read.
        statement = get_accessibility(self.env)
        return render_statement(statement, pdf_filename(self.config)) if statement is not None else []


# The article a Kommune's name takes as the subject of a sentence ("Der Kreis Beispiel ist …").
ARTICLES = {
    "Kreis": "Der",
    "Landkreis": "Der",
    "Markt": "Der",
    "Stadt": "Die",
    "Gemeinde": "Die",
    "Städteregion": "Die",
}


def _publisher(kommune: str) -> str:
    """The subject of the opening sentence: ``Der Kreis Beispiel``, ``Die Stadt Beispiel``."""
    article = ARTICLES.get(kommune.split(" ", 1)[0]) if kommune else None
    if article:
        return f"{article} {kommune}"
    # An apposition fits any other name without choosing an article.
    return f"Die Herausgeberin dieses Berichts, {kommune}," if kommune else "Die Herausgeberin dieses Berichts"


def render_statement(s: AccessibilityStatement, pdf_name: str) -> list[nodes.Node]:
    """The statement in the structure of the EU model statement (BITV 2.0 § 7) as doctree nodes.

    :param s: the checked statement
    :param pdf_name: file name of the accessible PDF, the alternative to the print version
    """
    out: list[nodes.Node] = [
        _para(
            f"{_publisher(s.kommune)} ist bemüht, diesen Nachhaltigkeitsbericht im Einklang mit {s.law} "
            "barrierefrei zugänglich zu machen. Diese Erklärung gilt für die Webfassung des Berichts "
            "und für seine PDF-Fassungen."
        )
    ]
    status = _section("Stand der Vereinbarkeit mit den Anforderungen", "stand-der-vereinbarkeit")
    verdict = nodes.strong(s.status_text, s.status_text)
    reasons = {
        "vollständig": ".",
        "teilweise": " – wegen der unten genannten Unvereinbarkeiten und Ausnahmen.",
        "nicht": ". Die Gründe stehen unten.",
    }
    status += _para(
        "Maßstab sind die Web Content Accessibility Guidelines (WCAG) 2.1, Stufe AA, nach der "
        "europäischen Norm EN 301 549 und für PDF-Dokumente die Norm PDF/UA (ISO 14289). Dieser "
        "Bericht ist mit diesen Anforderungen ",
        verdict,
        reasons[s.status],
    )
    out.append(status)
    if s.limitations:
        limits = _section("Nicht barrierefreie Inhalte", "nicht-barrierefreie-inhalte")
        limits += _para("Die folgenden Inhalte sind nicht oder nicht vollständig barrierefrei:")
        items = nodes.bullet_list()
        for limitation in s.limitations:
            item = nodes.list_item()
            para = _para(nodes.strong(limitation.what, limitation.what), f" Grund: {limitation.reason}")
            if limitation.alternative == ALTERNATIVE_PDF:
                # The accessible PDF is linked where the report publishes it (pdf_url), else where
                # the web edition offers it (a link only when it was built: html.downloads).
                para += nodes.Text(f" Barrierefreie Alternative: {ALTERNATIVE_PDF} (Datei ")
                if s.pdf_url:
                    para += _link(pdf_name, s.pdf_url)
                else:
                    para += nodes.reference(pdf_name, pdf_name, refuri=f"{FOLDER}/{pdf_name}", classes=[OFFERED_CLASS])
                para += nodes.Text(") und diese Webfassung mit demselben Inhalt.")
            elif limitation.alternative:
                para += nodes.Text(f" Barrierefreie Alternative: {limitation.alternative}.")
            item += para
            items += item
        limits += items
        out.append(limits)
    made = _section("Erstellung dieser Erklärung zur Barrierefreiheit", "erstellung-dieser-erklaerung")
    when = (
        f"Diese Erklärung wurde {s.date.text} erstellt."
        if s.date
        else "Das Datum dieser Erklärung ist noch nicht eingetragen."
    )
    if s.reviewed:
        when += f" Sie wurde zuletzt {s.reviewed.text} überprüft."
    made += _para(f"{when} {s.method}")
    made += _para(s.method_limits)
    out.append(made)
    feedback = _section("Feedback und Kontaktangaben", "feedback-und-kontakt")
    if s.contact:
        feedback += _para(
            "Ist Ihnen eine Barriere aufgefallen, oder benötigen Sie einen Inhalt in einer anderen "
            "Form? Dann wenden Sie sich bitte an:"
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
    mediation = _section("Durchsetzungsverfahren", "durchsetzungsverfahren")
    if s.enforcement:
        basis = f" ({s.enforcement.basis})" if s.enforcement.basis else ""
        mediation += _para(
            "Haben Sie auf Ihre Rückmeldung keine oder keine zufriedenstellende Antwort erhalten, "
            "können Sie sich an die ",
            _link(s.enforcement.name, s.enforcement.url),
            f" wenden{basis}. Sie vermittelt zwischen Ihnen und der öffentlichen Stelle, damit die "
            "Barriere beseitigt wird.",
        )
    else:
        mediation += _para("Die zuständige Schlichtungsstelle ist noch nicht eingetragen.")
    out.append(mediation)
    return out


def setup_accessibility(app: Sphinx) -> None:
    """Register the directive (the footer links are in ``bnk.html.identity``)."""
    app.add_directive("bnk-accessibility", AccessibilityDirective)
