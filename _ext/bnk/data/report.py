"""The report model: the Kommune, its report year, its editions and its look, in one typed place.

Built once per build from ``conf.py`` (``bnk_report`` with the report year and BNK edition) by
:func:`parse_report`, which never raises: every problem is a :class:`ReportProblem` naming the
``bnk_report`` key it concerns (the extension turns it into a located ``bnk.config`` warning),
and the model keeps a usable value (the default, or the nearest passing colour). HTML, LaTeX,
charts, the accessible PDF, the export and the command line read this model and nothing else;
no Kommune, year or edition is written into the toolkit.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bnk.data import BnkDataError
from bnk.data.colours import contrast, parse_hex
from bnk.data.guards import check_email, check_path, check_url

DEFAULT_PRIMARY = "#1F5F8B"
# WCAG 2.1 SC 1.4.3 (AA): text and links in the primary colour on white, white on the cover.
MIN_TEXT_CONTRAST = 4.5
# The site header shows it as <img>, the cover with \includegraphics (SVG only on the web: XeLaTeX
# needs PNG, JPEG or PDF for the cover).
LOGO_SUFFIXES = frozenset({".png", ".svg", ".jpg", ".jpeg"})
_HEX = re.compile(r"^#([0-9A-Fa-f]{6})$")
_AGS = re.compile(r"^\d{2,8}$")

# key -> what it must be (German, for the message); the order is the order of the guide.
KEYS: dict[str, str] = {
    "kommune": "ein Text (der Name der Kommune)",
    "kind": "ein Text (z. B. „Kreis“, „Stadt“, „Gemeinde“)",
    "ags": "der Amtliche Gemeindeschlüssel als Text aus Ziffern",
    "website": "eine Adresse mit https://",
    "title": "ein Text",
    "short_title": "ein Text",
    "period": "ein Text (z. B. „2021“ oder „2019–2021“)",
    "published": "ein Text (z. B. „2024“)",
    "stand": "ein Text",
    "population": "eine ganze Zahl",
    "population_date": "ein Datum als Text (JJJJ-MM-TT)",
    "bnk_variant": "ein Text",
    "boundaries": "ein Text",
    "dnk": "ein Text",
    "contact": "eine Zuordnung mit name, role, unit, email, phone",
    "publisher": "ein Text",
    "address": "ein Text oder eine Liste von Texten",
    "editor": "ein Text",
    "image_credits": "ein Text oder eine Liste von Texten",
    "imprint": "eine Adresse mit https:// oder der Name einer Seite des Berichts",
    "privacy": "eine Adresse mit https:// oder der Name einer Seite des Berichts",
    "feedback": "eine Adresse mit https:// oder mailto:",
    "reference": "eine Zuordnung mit title und year (die Ausgabe, mit der die Abweichungen vergleichen)",
    "colour": "eine Farbe #RRGGBB",
    "secondary_colour": "eine Farbe #RRGGBB",
    "cover_colour": "eine Farbe #RRGGBB",
    "logo": "ein Pfad zu einer PNG-, SVG- oder JPEG-Datei im Berichtsordner",
}
CONTACT_KEYS = ("name", "role", "unit", "email", "phone")
# Keys of other tools and earlier versions: the message says what to write instead.
RENAMED = {"color": "colour", "design": "colour, secondary_colour, cover_colour und logo", "printed": "reference"}


@dataclass(frozen=True)
class ReportProblem:
    """Something wrong in ``bnk_report``: a German message and the key it concerns."""

    message: str
    key: str = ""


@dataclass(frozen=True)
class Kommune:
    """The Kommune that publishes the report."""

    name: str
    kind: str = ""
    ags: str = ""
    website: str = ""


@dataclass(frozen=True)
class Edition:
    """An earlier edition of the report, e.g. the printed one the errata compare with."""

    title: str
    year: int

    @property
    def label(self) -> str:
        """``Nachhaltigkeitsbericht 2021`` – the title, with the year if the title lacks it."""
        return self.title if str(self.year) in self.title else f"{self.title} {self.year}"


@dataclass(frozen=True)
class Contact:
    """The editorial contact (imprint, Erklärung zur Barrierefreiheit)."""

    name: str = ""
    role: str = ""
    unit: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Links:
    """Web links every page shows: a URL, or a page name of the report (``doc``)."""

    imprint: str = ""
    privacy: str = ""
    feedback: str = ""


@dataclass(frozen=True)
class Design:
    """The Kommune's look: colours as ``#RRGGBB``, the logo relative to the report folder."""

    primary: str = DEFAULT_PRIMARY
    secondary: str = ""
    cover: str = ""
    logo: str = ""

    @property
    def cover_colour(self) -> str:
        return self.cover or self.primary


@dataclass(frozen=True)
class Report:
    """Everything the outputs say about the report itself."""

    kommune: Kommune
    title: str
    short_title: str = ""
    year: int | None = None
    period: str = ""
    published: str = ""
    stand: str = ""
    edition: str = ""
    reference: Edition | None = None
    contact: Contact | None = None
    publisher: str = ""
    address: tuple[str, ...] = ()
    editor: str = ""
    image_credits: tuple[str, ...] = ()
    links: Links = Links()
    design: Design = Design()
    population: int | None = None
    population_date: str = ""
    bnk_variant: str = ""
    boundaries: str = ""
    dnk: str = ""
    # The valid keys as written in conf.py, for the export (JSON types only).
    fields: tuple[tuple[str, Any], ...] = field(default=(), compare=False)

    @property
    def year_line(self) -> str:
        """The line under the title on the cover: ``Berichtsjahr 2021`` (or the period)."""
        return f"Berichtsjahr {self.year}" if self.year else self.period

    @property
    def running_head(self) -> str:
        """The short title of running heads: the short title, or Kommune and period."""
        return self.short_title or " ".join(p for p in (self.kommune.name, self.period) if p)

    @property
    def errata_heading(self) -> str:
        """``Abweichungen von „<reference edition>“`` – or a neutral heading for a first report."""
        if self.reference is None:
            return "Abweichungen"
        return f"Abweichungen von „{self.reference.label}“"

    @property
    def erratum_title(self) -> str:
        """The title of one deviation note: ``Abweichung von der Ausgabe <year>``."""
        if self.reference is None:
            return "Abweichung von einer früheren Ausgabe"
        return f"Abweichung von der Ausgabe {self.reference.year}"

    def imprint(self) -> list[tuple[str, list[str]]]:
        """The imprint (print and web): Herausgeber, Redaktion und Kontakt, Stand, Bildnachweis."""
        blocks: list[tuple[str, list[str]]] = []
        website = self.kommune.website
        blocks.append(
            ("Herausgeber", [self.publisher or self.kommune.name, *self.address, *([website] if website else [])])
        )
        contact = self.contact
        lines = [self.editor] if self.editor else []
        if contact is not None:
            name = ", ".join(part for part in (contact.name, contact.role) if part)
            lines += [line for line in (name, contact.unit) if line]
            if contact.email:
                lines.append(f"E-Mail: {contact.email}")
            if contact.phone:
                lines.append(f"Telefon: {contact.phone}")
        if lines:
            blocks.append(("Redaktion und Kontakt", lines))
        if self.stand or self.published:
            blocks.append(("Stand", [self.stand or self.published]))
        if self.image_credits:
            blocks.append(("Bildnachweis", list(self.image_credits)))
        blocks.append(
            ("Berichtsrahmen", [f"Erstellt nach dem Berichtsrahmen Nachhaltige Kommune (BNK), Ausgabe {self.edition}."])
        )
        return blocks

    @property
    def file_stem(self) -> str:
        """A file name for downloads: ``nachhaltigkeitsbericht-<kommune>-<year>``."""
        words = ["Nachhaltigkeitsbericht", self.kommune.name, str(self.year or self.period)]
        return slug(" ".join(w for w in words if w))


def slug(text: str) -> str:
    """``Kreis Düren 2021`` → ``kreis-dueren-2021`` (file names, anchors)."""
    text = text.lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


# -- colours ----------------------------------------------------------------------------------


def passing_shade(colour: str, background: str = "#FFFFFF", minimum: float = MIN_TEXT_CONTRAST) -> str:
    """The nearest shade of ``colour`` (same hue, darker) with ``minimum`` contrast to white.

    Mixes with black in steps of 1 %, so the shade keeps the Kommune's hue.
    """
    r, g, b = parse_hex(colour)
    for step in range(101):
        f = 1 - step / 100
        shade = "#{:02X}{:02X}{:02X}".format(*(round(c * f * 255) for c in (r, g, b)))
        if contrast(shade, background) >= minimum:
            return shade
    return "#000000"


def _ratio(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _colour(raw: dict[str, Any], key: str, problems: list[ReportProblem]) -> str:
    value = raw.get(key)
    if value is None:
        return ""
    if not isinstance(value, str) or not _HEX.match(value.strip()):
        problems.append(
            ReportProblem(
                f"Ungültige Farbe in bnk_report[{key!r}]: {value!r} (erwartet #RRGGBB, z. B. "
                f'"{DEFAULT_PRIMARY}"). Es gilt {DEFAULT_PRIMARY if key == "colour" else "die Hauptfarbe"}.',
                key,
            )
        )
        return ""
    colour = value.strip().upper()
    ratio = contrast(colour)
    if ratio < MIN_TEXT_CONTRAST:
        shade = passing_shade(colour)
        use = "weiße Schrift auf dieser Farbe" if key == "cover_colour" else "Schrift in dieser Farbe auf Weiß"
        problems.append(
            ReportProblem(
                f"Die Farbe bnk_report[{key!r}] = {colour} ist zu hell: {use} hat einen Kontrast von "
                f"{_ratio(ratio)}:1, WCAG 2.1 AA verlangt {_ratio(MIN_TEXT_CONTRAST)}:1. Die nächste "
                f"dunklere Farbe, die genügt: {shade} (diese wird verwendet).",
                key,
            )
        )
        return shade
    return colour


# -- values -----------------------------------------------------------------------------------


def _text(raw: dict[str, Any], key: str, problems: list[ReportProblem]) -> str:
    value = raw.get(key)
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()  # a Stand or publication date written as datetime.date
    if isinstance(value, bool) or not isinstance(value, str | int):
        problems.append(ReportProblem(f"bnk_report[{key!r}] muss {KEYS[key]} sein, nicht {value!r}.", key))
        return ""
    return str(value).strip()


def _texts(raw: dict[str, Any], key: str, problems: list[ReportProblem]) -> tuple[str, ...]:
    value = raw.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    problems.append(ReportProblem(f"bnk_report[{key!r}] muss {KEYS[key]} sein, nicht {value!r}.", key))
    return ()


def _url(raw: dict[str, Any], key: str, problems: list[ReportProblem], pages: bool = False) -> str:
    """A link of the report: an absolute URL that passes the URL guard, or (``pages``) the name of
    a page of the report (checked against the pages by the HTML side)."""
    text = _text(raw, key, problems)
    if not text:
        return ""
    if key == "website" and re.match(r"^[\w-]+(\.[\w-]+)+(/\S*)?$", text):
        text = f"https://{text}"  # "www.kreis.de" as the author writes it
    if pages and re.match(r"^[\w][\w/-]*$", text):
        return text  # a page of the report (its document name)
    try:
        url = check_url(text, f"bnk_report[{key!r}]")
    except BnkDataError as exc:
        problems.append(ReportProblem(exc.msg, key))
        return ""
    scheme = url.split(":", 1)[0].lower()
    if scheme not in ("https", "http") and not (key == "feedback" and scheme == "mailto"):
        problems.append(ReportProblem(f"bnk_report[{key!r}] muss {KEYS[key]} sein, nicht {text!r}.", key))
        return ""
    return url


def _contact(raw: dict[str, Any], problems: list[ReportProblem]) -> Contact | None:
    value = raw.get("contact")
    if value is None:
        return None
    if not isinstance(value, dict):
        problems.append(ReportProblem(f"bnk_report['contact'] muss {KEYS['contact']} sein.", "contact"))
        return None
    unknown = sorted(set(value) - set(CONTACT_KEYS), key=str)
    if unknown:
        problems.append(
            ReportProblem(
                f"Unbekannte Angabe in bnk_report['contact']: {', '.join(map(str, unknown))} "
                f"(bekannt: {', '.join(CONTACT_KEYS)}).",
                "contact",
            )
        )
    parts = {}
    for key in CONTACT_KEYS:
        item = value.get(key)
        if item is not None and not isinstance(item, str):
            problems.append(ReportProblem(f"bnk_report['contact'][{key!r}] muss ein Text sein.", "contact"))
            item = None
        parts[key] = (item or "").strip()
    try:
        check_email(parts["email"], "bnk_report['contact']['email']")
    except BnkDataError as exc:
        problems.append(ReportProblem(exc.msg, "contact"))
        parts["email"] = ""
    return Contact(**parts)


def _reference(raw: dict[str, Any], problems: list[ReportProblem]) -> Edition | None:
    value = raw.get("reference")
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("title"), str) or not value["title"].strip():
        problems.append(
            ReportProblem(
                "bnk_report['reference'] braucht einen Titel, z. B. "
                '{"title": "Nachhaltigkeitsbericht, gedruckte Fassung", "year": 2019}.',
                "reference",
            )
        )
        return None
    year = value.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2200:
        problems.append(
            ReportProblem(
                f"bnk_report['reference'] ({value['title'].strip()!r}) nennt kein Jahr: bitte "
                '"year": JJJJ (als Zahl) ergänzen – Überschriften und Hinweise nennen die Ausgabe mit Jahr.',
                "reference",
            )
        )
        return None
    unknown = sorted(set(value) - {"title", "year"}, key=str)
    if unknown:
        problems.append(
            ReportProblem(
                f"Unbekannte Angabe in bnk_report['reference']: {', '.join(map(str, unknown))} (bekannt: title, year).",
                "reference",
            )
        )
    return Edition(value["title"].strip(), year)


def _logo(raw: dict[str, Any], root: Path | None, problems: list[ReportProblem]) -> str:
    """The logo's path relative to the report folder, if the path guard lets it pass (inside the
    folder, also after resolving links; an image type; a size limit; a safe file name)."""
    text = _text(raw, "logo", problems)
    if not text or root is None:
        return text
    try:
        path = check_path(text, root, "bnk_report['logo']", LOGO_SUFFIXES)
    except BnkDataError as exc:
        problems.append(ReportProblem(f"{exc.msg} Es wird keine Datei verwendet.", "logo"))
        return ""
    return path.relative_to(root.resolve()).as_posix()


def parse_report(
    raw: Any, year: int | None = None, edition: str = "", root: Path | None = None, project: str = ""
) -> tuple[Report, tuple[ReportProblem, ...]]:
    """The report model from ``bnk_report`` and the other settings, and what is wrong with them.

    :param raw: the ``bnk_report`` value of conf.py
    :param year: ``bnk_report_year``
    :param edition: ``bnk_edition`` (the BNK edition of the catalogue)
    :param root: the report folder (conf.py's folder); the logo must lie inside it
    :param project: Sphinx's ``project``, the title when ``bnk_report`` names none
    """
    problems: list[ReportProblem] = []
    if not isinstance(raw, dict):
        problems.append(ReportProblem(f"bnk_report muss eine Zuordnung sein, nicht {type(raw).__name__}."))
        raw = {}
    for key in raw:
        if key in KEYS:
            continue
        hint = f" – sie heißt {RENAMED[key]}" if key in RENAMED else ""
        problems.append(
            ReportProblem(f"Unbekannte Angabe in bnk_report: {key!r}{hint}. Bekannt sind: {', '.join(KEYS)}.", str(key))
        )
    name = _text(raw, "kommune", problems)
    if raw and not name:
        problems.append(
            ReportProblem(
                "bnk_report nennt keine „kommune“ (den Namen der Kommune, z. B. "
                '"kommune": "Stadt Beispiel"); Titel, Tabellen und Export brauchen ihn.',
                "kommune",
            )
        )
    ags = _text(raw, "ags", problems)
    if ags and not _AGS.match(ags):
        problems.append(ReportProblem(f"bnk_report['ags'] muss {KEYS['ags']} sein, nicht {ags!r}.", "ags"))
        ags = ""
    population = raw.get("population")
    if population is not None and (isinstance(population, bool) or not isinstance(population, int) or population < 0):
        problems.append(
            ReportProblem(
                f"bnk_report['population'] muss {KEYS['population']} sein, nicht {population!r}.", "population"
            )
        )
        population = None
    population_date = _text(raw, "population_date", problems)
    try:
        dt.date.fromisoformat(population_date or "2000-01-01")
    except ValueError:
        problems.append(
            ReportProblem(
                f"bnk_report['population_date'] muss {KEYS['population_date']} sein, nicht {population_date!r}.",
                "population_date",
            )
        )
        population_date = ""
    primary = _colour(raw, "colour", problems) or DEFAULT_PRIMARY
    report = Report(
        kommune=Kommune(name, _text(raw, "kind", problems), ags, _url(raw, "website", problems)),
        title=_text(raw, "title", problems) or project or "Nachhaltigkeitsbericht",
        short_title=_text(raw, "short_title", problems),
        year=year,
        period=_text(raw, "period", problems),
        published=_text(raw, "published", problems),
        stand=_text(raw, "stand", problems),
        edition=edition,
        reference=_reference(raw, problems),
        contact=_contact(raw, problems),
        publisher=_text(raw, "publisher", problems),
        address=_texts(raw, "address", problems),
        editor=_text(raw, "editor", problems),
        image_credits=_texts(raw, "image_credits", problems),
        links=Links(
            _url(raw, "imprint", problems, pages=True),
            _url(raw, "privacy", problems, pages=True),
            _url(raw, "feedback", problems),
        ),
        design=Design(
            primary,
            _colour(raw, "secondary_colour", problems),
            _colour(raw, "cover_colour", problems),
            _logo(raw, root, problems),
        ),
        population=population,
        population_date=population_date,
        bnk_variant=_text(raw, "bnk_variant", problems),
        boundaries=_text(raw, "boundaries", problems),
        dnk=_text(raw, "dnk", problems),
    )
    valid = {k: v for k, v in raw.items() if k in KEYS and not any(p.key == k for p in problems)}
    return replace(report, fields=tuple(sorted(valid.items()))), tuple(dict.fromkeys(problems))
