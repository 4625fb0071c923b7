"""Guards for everything that leaves the report: one function per kind of thing, used by every
output, so that a report's files (settings, data, pages) cannot attack its readers.

- :func:`check_url`: a URL that becomes a link – only ``https``, ``http``, ``mailto`` and links
  inside the site; anything else (``javascript:``, ``data:``, ``file:``, control characters) is
  refused with a German message;
- :func:`check_path`: a file named by the settings or the data (logo, catalogue, images) –
  resolved inside the report folder (no ``..``, no symbolic link out of it), of an allowed type,
  size and file name; otherwise refused, so nothing outside the report is ever copied;
- one escaping function per target: :func:`html_text` (HTML text and attribute values),
  :func:`svg_text` (XML text of an SVG), :func:`latex_text` (LaTeX text, never LaTeX code) and
  :func:`mpl_text` (matplotlib text, never mathtext).

A refusal is a :class:`~bnk.data.BnkDataError`; callers turn it into a located ``bnk`` warning
and leave the thing out. The guards are pure functions: no Sphinx application, no I/O beyond
``stat``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path, PurePath
from urllib.parse import urlsplit

from bnk.data import BnkDataError

ALLOWED_SCHEMES = frozenset({"https", "http", "mailto"})
MAX_URL_CHARS = 2_000
# Control characters (browsers silently drop tabs and newlines inside a URL, so
# "java\tscript:" would run) and the backslash (browsers read "/\evil" as "//evil").
_URL_FORBIDDEN = re.compile(r"[\x00-\x20\x7f-\x9f\\]")

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".svg", ".pdf"})
MAX_IMAGE_BYTES = 5 * 1024 * 1024
# File names that stay text in every output: HTML attributes, LaTeX \includegraphics{…} and URLs.
_SAFE_NAME = re.compile(r"[\w][\w .+()-]*")


def check_url(url: object, what: str) -> str:
    """The URL, if it may become a link; otherwise a German refusal.

    Allowed are absolute ``https``/``http`` URLs with a host, ``mailto:`` with an address, and
    relative links inside the site (``seite.html``, ``../bild.png``, ``#anker``).

    :param url: the value from the settings, data or a page
    :param what: where it comes from, for the message (e.g. ``bnk_footer_links[0]['url']``)
    :raises BnkDataError: the URL is not allowed
    """
    if not isinstance(url, str) or not url.strip():
        raise BnkDataError(f"{what}: eine Adresse (URL) als Text wird erwartet, nicht {url!r}.")
    text = url.strip()
    if len(text) > MAX_URL_CHARS:
        raise BnkDataError(f"{what}: die Adresse ist länger als {MAX_URL_CHARS} Zeichen.")
    if _URL_FORBIDDEN.search(text):
        raise BnkDataError(
            f"{what}: die Adresse {url!r} enthält Leer-, Steuerzeichen oder einen Rückwärtsschrägstrich; "
            "Leerzeichen bitte als %20 schreiben."
        )
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        raise BnkDataError(f"{what}: die Adresse {url!r} ist ungültig ({exc}).") from None
    scheme = parts.scheme.lower()
    if scheme and scheme not in ALLOWED_SCHEMES:
        raise BnkDataError(
            f"{what}: die Adresse {url!r} beginnt mit „{parts.scheme}:“; erlaubt sind nur "
            "https:, http:, mailto: und Verweise innerhalb des Berichts."
        )
    if scheme in {"https", "http"} and not parts.hostname:
        raise BnkDataError(f"{what}: der Adresse {url!r} fehlt der Server (z. B. https://www.example.de/).")
    if scheme == "mailto" and "@" not in parts.path:
        raise BnkDataError(f"{what}: {url!r} nennt keine E-Mail-Adresse (mailto:name@example.de).")
    if not scheme and parts.netloc:
        raise BnkDataError(f"{what}: die Adresse {url!r} nennt einen Server ohne https:; bitte vollständig angeben.")
    return text


def check_email(address: str, what: str) -> str:
    """An e-mail address that becomes a ``mailto:`` link: it passes the URL guard and smuggles in
    no query (``?subject=…``) or quotes.

    :raises BnkDataError: not a plain address
    """
    if address:
        check_url(f"mailto:{address}", what)
        if any(c in address for c in "?&\"'<>"):
            raise BnkDataError(f"{what}: {address!r} ist keine E-Mail-Adresse.")
    return address


def check_path(
    value: object,
    root: str | Path,
    what: str,
    suffixes: frozenset[str] = IMAGE_SUFFIXES,
    max_bytes: int = MAX_IMAGE_BYTES,
) -> Path:
    """The resolved path of a file the report names, if it may be read and published.

    :param value: the path as written in the settings or data (relative to ``root``)
    :param root: the report folder (the folder of ``conf.py``)
    :param what: where the path comes from, for the message (e.g. ``bnk_report['logo']``)
    :param suffixes: allowed file types (lower-case, with dot)
    :param max_bytes: the largest allowed file
    :raises BnkDataError: outside the report, not a file, wrong type, too large or unsafe name
    """
    if not isinstance(value, (str, PurePath)) or not str(value).strip() or "\x00" in str(value):
        raise BnkDataError(f"{what}: ein Dateipfad als Text wird erwartet, nicht {value!r}.")
    given = Path(value)
    base = Path(root).resolve()
    outside = (
        f"{what}: {str(value)!r} liegt außerhalb des Berichtsordners; nur Dateien im Berichtsordner "
        "werden veröffentlicht."
    )
    if ".." in given.parts:
        raise BnkDataError(outside + " Bitte ohne „..“ angeben.")
    full = given if given.is_absolute() else base / given
    resolved = full.resolve()
    if not resolved.is_relative_to(base):
        raise BnkDataError(outside + (" (Er ist ein symbolischer Link dorthin.)" if full.is_symlink() else ""))
    if not resolved.is_file():
        raise BnkDataError(f"{what}: die Datei {str(value)!r} gibt es nicht.")
    if resolved.suffix.lower() not in suffixes:
        raise BnkDataError(f"{what}: {str(value)!r} hat nicht den erlaubten Dateityp ({', '.join(sorted(suffixes))}).")
    if not _SAFE_NAME.fullmatch(given.name):
        raise BnkDataError(
            f"{what}: der Dateiname {given.name!r} enthält Zeichen, die in HTML oder LaTeX nicht sicher "
            "sind (erlaubt: Buchstaben, Ziffern, Leerzeichen und . _ - + ( )); bitte die Datei umbenennen."
        )
    size = resolved.stat().st_size
    if size > max_bytes:
        raise BnkDataError(
            f"{what}: {str(value)!r} ist {size / 1024 / 1024:.1f} MB groß; erlaubt sind höchstens "
            f"{max_bytes / 1024 / 1024:.0f} MB."
        )
    return resolved


def html_text(text: object) -> str:
    """Text for HTML, safe as element content and inside a quoted attribute value."""
    return html.escape(str(text), quote=True)


def svg_text(text: object) -> str:
    """Text for an SVG (XML) element or attribute."""
    return html.escape(str(text), quote=True)


def latex_text(text: object, engine: str = "xelatex") -> str:
    """Text for LaTeX: every special character escaped, so it is never LaTeX code.

    Uses Sphinx's own escape tables (the same as its LaTeX writer); no application involved.
    """
    from sphinx.util import texescape

    if not texescape._tex_escape_map:  # filled by init(), which the LaTeX builder calls (idempotent)
        texescape.init()
    return texescape.escape(str(text), engine)


def mpl_text(text: object) -> str:
    """Text for matplotlib: every ``$`` escaped, so data never switches on mathtext.

    Matplotlib treats a text with an even number of unescaped ``$`` as mathtext (and fails on
    what is no formula); with each ``$`` as ``\\$`` it draws the text as written.
    """
    return str(text).replace("$", r"\$")
