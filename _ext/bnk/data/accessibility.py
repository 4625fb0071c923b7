"""The Erklärung zur Barrierefreiheit as data: ``bnk_accessibility`` in conf.py, checked.

No Sphinx here. The statement follows the model of Implementing Decision (EU) 2018/1523 (BITV 2.0
§ 7, BITV NRW): conformance status, the parts that are not accessible (with reason and
alternative), how and when the statement was produced, a feedback contact and the
Schlichtungsverfahren. What every report built with this toolkit shares — which checks the
tests run and what they do not cover — is kept here once, so no report has to type it and no
report can claim more than the tests measure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bnk.data import BnkDataError
from bnk.data.guards import check_url

STATUSES = {
    "vollständig": "vollständig vereinbar",
    "teilweise": "teilweise vereinbar",
    "nicht": "nicht vereinbar",
}

# Schlichtungs-/Ombudsstellen by Land (the body a reader turns to when the Kommune does not help).
ENFORCEMENT = {
    "NRW": {
        "name": "Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen",
        "url": "https://www.lbbp.nrw.de/ombudsstelle",
        "basis": "§§ 10d, 10e BGG NRW und §§ 9 ff. BITV NRW",
        "law": "BGG NRW und BITV NRW",
    },
}

# What the tests of this toolkit check on every build of a report (``make test``).
TOOLKIT_CHECKS = (
    "axe-core (WCAG 2.1 A und AA, automatisch prüfbarer Teil) in Chromium auf jeder Seite, "
    "bei 1366 × 900 und 375 × 812 Pixeln",
    "Nu Html Checker (gültiges HTML) auf jeder Seite",
    "barrierefreies PDF: Strukturbaum mit pikepdf geprüft – Überschriften ohne übersprungene "
    "Ebene, Tabellen mit Kopfzellen, jedes Diagramm als Abbildung mit Alternativtext, Links mit "
    "Beschreibung, Sprache de-DE, PDF/UA-Kennung, Struktur auf jeder Seite – und sein Text "
    "vollständig gegen den Bericht abgeglichen",
)
# What they do not check.
TOOLKIT_NOT_TESTED = (
    "keine Prüfung des PDF mit dem Referenzprüfprogramm veraPDF (auf den Prüfrechnern nicht "
    "verfügbar) und kein PDF/UA-Prüfbericht (Matterhorn-Protokoll)",
    "kein Test mit Screenreadern (z. B. NVDA, JAWS, VoiceOver) und keine Prüfung durch Menschen mit Behinderungen",
    "keine manuelle Prüfung nach dem BITV-Test; automatische Werkzeuge finden nur einen Teil der "
    "Barrieren (z. B. nicht, ob ein Alternativtext verständlich ist)",
)
# Limitations that every report built with this toolkit has, with reason and alternative.
TOOLKIT_LIMITATIONS = (
    {
        "what": "Die Druckfassung (PDF aus LaTeX) ist nicht getaggt.",
        "reason": "Sie ist für den Druck gesetzt; das Tagging von LaTeX ist in der eingesetzten "
        "TeX-Live-Version noch im Versuchsstadium.",
        "alternative": "das barrierefreie PDF (PDF/UA) und diese Webfassung mit demselben Inhalt",
    },
    {
        "what": "Im barrierefreien PDF ist eine Tabelle, die über mehrere Seiten läuft, je Seite "
        "eine eigene Tabelle (die Kopfzeile wird wiederholt).",
        "reason": "So erzeugt das Satzprogramm WeasyPrint die Struktur; seine PDF/UA-Ausgabe gilt als experimentell.",
        "alternative": "dieselbe Tabelle in der Webfassung",
    },
    {
        "what": "Diagramme sind Bilder.",
        "reason": "Verläufe lassen sich am besten grafisch zeigen.",
        "alternative": "zu jedem Diagramm ein Alternativtext mit der Entwicklung und eine Tabelle mit den Werten",
    },
)


@dataclass(frozen=True)
class Limitation:
    """A part that is not accessible, why, and what to use instead."""

    what: str
    reason: str
    alternative: str


@dataclass(frozen=True)
class Contact:
    """Where readers report barriers."""

    name: str
    unit: str
    email: str
    phone: str


@dataclass(frozen=True)
class Enforcement:
    """The Schlichtungs- or Ombudsstelle."""

    name: str
    url: str
    basis: str


@dataclass(frozen=True)
class AccessibilityStatement:
    """Everything the Erklärung zur Barrierefreiheit says."""

    kommune: str
    website: str
    law: str
    status: str
    status_text: str
    date: dt.date | None
    method: str
    checks: tuple[str, ...]
    not_tested: tuple[str, ...]
    limitations: tuple[Limitation, ...]
    contact: Contact | None
    enforcement: Enforcement | None


def _email(address: str) -> str:
    """The contact address, if ``mailto:`` + it passes the URL guard (no ``?``/quotes smuggled in)."""
    if address:
        check_url(f"mailto:{address}", "bnk_accessibility['contact']['email']")
        if any(c in address for c in "?&\"'<>"):
            raise BnkDataError(f"bnk_accessibility['contact']['email']: {address!r} ist keine E-Mail-Adresse.")
    return address


def _text(value: Any, key: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BnkDataError(f"bnk_accessibility[{key!r}] muss ein Text sein, nicht {value!r}.")
    return value.strip()


def parse_statement(config: dict[str, Any], report: dict[str, Any]) -> AccessibilityStatement:
    """Check ``bnk_accessibility`` and combine it with ``bnk_report`` and the toolkit's facts.

    :param config: the ``bnk_accessibility`` dictionary of conf.py
    :param report: the ``bnk_report`` dictionary (Kommune, website, contact)
    :raises BnkDataError: for a value that cannot be used, naming the key
    """
    known = {"status", "date", "method", "limitations", "contact", "land", "enforcement", "law"}
    unknown = sorted(set(config) - known)
    if unknown:
        raise BnkDataError(
            f"Unbekannte Angabe in bnk_accessibility: {', '.join(unknown)} (bekannt: {', '.join(sorted(known))})."
        )
    status = _text(config.get("status", "teilweise"), "status")
    if status not in STATUSES:
        raise BnkDataError(
            f"bnk_accessibility['status'] muss {', '.join(repr(s) for s in STATUSES)} sein, nicht {status!r}."
        )
    date = None
    if config.get("date") is not None:
        raw = config["date"]
        try:
            date = raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw))
        except ValueError:
            raise BnkDataError(
                f"bnk_accessibility['date'] muss ein Datum im Format JJJJ-MM-TT sein, nicht {raw!r}."
            ) from None
    limitations = []
    raw_limits = config.get("limitations", [])
    if not isinstance(raw_limits, list):
        raise BnkDataError("bnk_accessibility['limitations'] muss eine Liste sein.")
    for number, item in enumerate([*raw_limits, *TOOLKIT_LIMITATIONS], start=1):
        if not isinstance(item, dict) or not _text(item.get("what"), f"limitations[{number}].what"):
            raise BnkDataError(
                f"bnk_accessibility['limitations'][{number - 1}] braucht 'what' (was nicht barrierefrei ist)."
            )
        if not _text(item.get("reason"), "reason"):
            raise BnkDataError(f"bnk_accessibility['limitations'][{number - 1}] braucht 'reason' (Begründung).")
        limitations.append(
            Limitation(
                _text(item["what"], "what"), _text(item["reason"], "reason"), _text(item.get("alternative"), "alt")
            )
        )
    contact_raw = config.get("contact", report.get("contact"))
    contact = None
    if isinstance(contact_raw, dict) and contact_raw.get("email"):
        contact = Contact(
            _text(contact_raw.get("name"), "contact.name"),
            _text(contact_raw.get("unit"), "contact.unit"),
            _email(_text(contact_raw.get("email"), "contact.email")),
            _text(contact_raw.get("phone"), "contact.phone"),
        )
    elif contact_raw is not None and not isinstance(contact_raw, dict):
        raise BnkDataError("bnk_accessibility['contact'] muss eine Zuordnung mit 'email' sein.")
    land = _text(config.get("land"), "land")
    enforcement_raw = config.get("enforcement") or ENFORCEMENT.get(land)
    if land and land not in ENFORCEMENT and not config.get("enforcement"):
        raise BnkDataError(
            f"Für das Land {land!r} kennt die Erweiterung die Schlichtungsstelle nicht; bitte "
            "bnk_accessibility['enforcement'] = {'name': …, 'url': …} angeben."
        )
    enforcement = None
    if enforcement_raw:
        if not isinstance(enforcement_raw, dict) or not enforcement_raw.get("name") or not enforcement_raw.get("url"):
            raise BnkDataError("bnk_accessibility['enforcement'] braucht 'name' und 'url'.")
        enforcement = Enforcement(
            _text(enforcement_raw["name"], "enforcement.name"),
            check_url(_text(enforcement_raw["url"], "enforcement.url"), "bnk_accessibility['enforcement']['url']"),
            _text(enforcement_raw.get("basis"), "enforcement.basis"),
        )
    law = _text(config.get("law"), "law") or (ENFORCEMENT.get(land, {}).get("law") if land else "") or "BITV 2.0"
    return AccessibilityStatement(
        kommune=str(report.get("kommune", "")),
        website=str(report.get("website", "")),
        law=law,
        status=status,
        status_text=STATUSES[status],
        date=date,
        method=_text(config.get("method"), "method") or "Selbstbewertung mit den automatischen Prüfungen der Tests",
        checks=TOOLKIT_CHECKS,
        not_tested=TOOLKIT_NOT_TESTED,
        limitations=tuple(limitations),
        contact=contact,
        enforcement=enforcement,
    )
