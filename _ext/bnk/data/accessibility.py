"""The Erklärung zur Barrierefreiheit as data: ``bnk_accessibility`` in conf.py, checked.

No Sphinx here. The statement follows the model of Implementing Decision (EU) 2018/1523 (BITV 2.0
§ 7, BITV NRW): conformance status, the parts that are not accessible (with reason and
alternative), how and when the statement was produced, a feedback contact and the
Durchsetzungsverfahren. What every report built with this toolkit shares — how it was checked,
in one sentence for citizens, what that does not cover, and the limits of the outputs — is kept
here once, so no report has to type it and no report can claim more than was checked. The
statement is dated from the report's Stand (or year of publication), not from a build or commit.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from babel.dates import format_date

from bnk.data import BnkDataError
from bnk.data.guards import check_email, check_url
from bnk.data.numbers import LOCALE

if TYPE_CHECKING:
    from bnk.data.report import Report

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

# How the statement was produced, in one sentence for citizens (EU model: "Selbstbewertung").
# Which tools the toolkit's tests run is technical documentation (README), not part of the
# statement. The sentence must stay true for every report built with this toolkit.
DEFAULT_METHOD = "Der Bericht wurde mit automatischen Prüfwerkzeugen und einer Selbstbewertung geprüft."
# What that method does not cover; said once, in plain words, so no report claims more.
METHOD_LIMITS = (
    "Eine Prüfung durch externe Sachverständige und ein Test mit Hilfsmitteln wie Screenreadern "
    "haben noch nicht stattgefunden. Automatische Prüfwerkzeuge finden nur einen Teil möglicher "
    "Barrieren."
)
# Limitations that every report built with this toolkit has, with reason and alternative. The
# accessible PDF is named by the directive (``ALTERNATIVE_PDF`` marks where its link goes).
ALTERNATIVE_PDF = "die barrierefreie PDF-Fassung"
TOOLKIT_LIMITATIONS = (
    {
        "what": "Die Druckfassung des Berichts (PDF) ist nicht barrierefrei.",
        "reason": "Sie ist für den Druck gestaltet und enthält keine Strukturinformationen "
        "(Überschriften, Tabellen, Alternativtexte) für Hilfsmittel wie Screenreader.",
        "alternative": ALTERNATIVE_PDF,
    },
    {
        "what": "In der barrierefreien PDF-Fassung ist eine Tabelle, die über mehrere Seiten reicht, "
        "auf jeder Seite als eigene Tabelle ausgezeichnet; die Kopfzeile wird auf jeder Seite wiederholt.",
        "reason": "Das Verfahren, mit dem die PDF-Fassung erzeugt wird, kann eine Tabelle nicht "
        "seitenübergreifend auszeichnen.",
        "alternative": "dieselbe Tabelle in der Webfassung",
    },
    {
        "what": "Diagramme sind als Bilder eingebunden; ihre einzelnen Werte lassen sich im Bild nicht ansteuern.",
        "reason": "Zeitliche Verläufe lassen sich grafisch am besten zeigen.",
        "alternative": "zu jedem Diagramm ein Text, der die Entwicklung beschreibt, und eine Tabelle mit allen Werten",
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
class StatementDate:
    """A date as precise as the report gives it: a day, a month or a year."""

    date: dt.date
    precision: str  # "day", "month" or "year"

    @property
    def text(self) -> str:
        """``am 1. Dezember 2024``, ``im Dezember 2024`` or ``im Jahr 2024``."""
        if self.precision == "day":
            return f"am {format_date(self.date, format='long', locale=LOCALE)}"
        if self.precision == "month":
            return f"im {format_date(self.date, format='MMMM y', locale=LOCALE)}"
        return f"im Jahr {self.date.year}"


_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def parse_date(raw: Any, key: str) -> StatementDate:
    """``2024``, ``"2024-11"``, ``"2024-11-30"`` or a date, as a :class:`StatementDate`.

    :param raw: the value from conf.py
    :param key: the setting's name for the message, e.g. ``bnk_report['stand']``
    :raises BnkDataError: for anything else
    """
    if isinstance(raw, dt.date):
        return StatementDate(raw, "day")
    match = _DATE.fullmatch(str(raw).strip()) if isinstance(raw, (str, int)) and not isinstance(raw, bool) else None
    try:
        if match is None:
            raise ValueError
        year, month, day = match.groups()
        date = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise BnkDataError(
            f"{key} muss ein Jahr oder Datum sein (JJJJ, JJJJ-MM oder JJJJ-MM-TT), nicht {raw!r}."
        ) from None
    return StatementDate(date, "day" if day else "month" if month else "year")


@dataclass(frozen=True)
class AccessibilityStatement:
    """Everything the Erklärung zur Barrierefreiheit says."""

    kommune: str
    website: str
    law: str
    status: str
    status_text: str
    date: StatementDate | None
    reviewed: StatementDate | None
    method: str
    method_limits: str
    pdf_url: str
    limitations: tuple[Limitation, ...]
    contact: Contact | None
    enforcement: Enforcement | None


def _email(address: str) -> str:
    """The contact address, if it passes the e-mail guard."""
    return check_email(address, "bnk_accessibility['contact']['email']")


def _text(value: Any, key: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BnkDataError(f"bnk_accessibility[{key!r}] muss ein Text sein, nicht {value!r}.")
    return value.strip()


def parse_statement(config: dict[str, Any], report: Report) -> AccessibilityStatement:
    """Check ``bnk_accessibility`` and combine it with the report model and the toolkit's facts.

    :param config: the ``bnk_accessibility`` dictionary of conf.py
    :param report: the report model (Kommune, website, contact)
    :raises BnkDataError: for a value that cannot be used, naming the key
    """
    if "date" in config:
        raise BnkDataError(
            "bnk_accessibility['date'] gibt es nicht mehr: Die Erklärung trägt den Stand des Berichts "
            "(bnk_report['stand'], sonst bnk_report['published']); ein späteres Prüfdatum steht in "
            "bnk_accessibility['reviewed']."
        )
    known = {"status", "reviewed", "method", "limitations", "contact", "land", "enforcement", "law", "pdf_url"}
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
    stand_key = "stand" if report.stand else "published"
    stand = report.stand or report.published
    date = parse_date(stand, f"bnk_report[{stand_key!r}]") if stand else None
    reviewed = parse_date(config["reviewed"], "bnk_accessibility['reviewed']") if config.get("reviewed") else None
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
    contact_raw = config.get("contact")
    if contact_raw is None and report.contact is not None:
        contact_raw = {k: getattr(report.contact, k) for k in ("name", "unit", "email", "phone")}
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
        kommune=report.kommune.name,
        website=report.kommune.website,
        law=law,
        status=status,
        status_text=STATUSES[status],
        date=date,
        reviewed=reviewed,
        method=_text(config.get("method"), "method") or DEFAULT_METHOD,
        method_limits=METHOD_LIMITS,
        pdf_url=check_url(config["pdf_url"], "bnk_accessibility['pdf_url']") if config.get("pdf_url") else "",
        limitations=tuple(limitations),
        contact=contact,
        enforcement=enforcement,
    )
