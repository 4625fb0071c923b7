"""Warning type and subtypes of the ``bnk`` extension, and the one helper that emits them."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any, TypeAlias

from docutils import nodes
from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

Location: TypeAlias = nodes.Node | tuple[str, int | None] | str | None

WARNING_TYPE = "bnk"

logger = logging.getLogger(__name__)


class BnkWarning(Enum):
    """Subtypes of ``bnk`` warnings; ``suppress_warnings = ["bnk.<value>"]`` silences one."""

    ASPECT_MISSING = "aspect-missing"
    """An aspect of the catalogue is neither reported nor explained."""
    ASPECT_DUPLICATE = "aspect-duplicate"
    """An aspect is declared more than once."""
    ASPECT_UNKNOWN = "aspect-unknown"
    """An aspect number that the selected catalogue does not know."""
    ASPECT_MISPLACED = "aspect-misplaced"
    """An aspect declared inside another aspect (aspects may stand on any page, side by side)."""
    ASPECT_EMPTY = "aspect-empty"
    """An aspect without content and without being marked as not reported."""
    REASON_MISSING = "reason-missing"
    """An aspect or chapter marked as not reported, without a reason."""
    CORE_INDICATOR_MISSING = "core-indicator-missing"
    """A Kernindikator of the catalogue neither shown by an indicator nor explained."""
    CORE_INDICATOR = "core-indicator"
    """A Kernindikator code the catalogue does not know, or one placed twice."""
    CHAPTER_MISSING = "chapter-missing"
    """A chapter of the catalogue with no page and none of its aspects anywhere in the report."""
    CHAPTER_DUPLICATE = "chapter-duplicate"
    """Two pages declare the same chapter, or one page declares two."""
    CHAPTER_EMPTY = "chapter-empty"
    """A chapter whose catalogue lists no aspects, with neither content nor a reason."""
    CHAPTER_UNKNOWN = "chapter-unknown"
    """A chapter number that the selected catalogue does not know."""
    EXAMPLE = "example"
    """A Praxisbeispiel outside a chapter page or without a title."""
    REF = "ref"
    """A cross-reference to an aspect, chapter or Praxisbeispiel that does not exist."""
    VALUE = "value"
    """A ``bnk:wert`` figure whose reference does not resolve (unknown indicator, series, year)."""
    SDG = "sdg"
    """An SDG number outside 1–17."""
    INDICATOR = "indicator"
    """An indicator directive that names an unknown indicator, or one without data and reason."""
    CSV = "csv"
    """An indicator CSV file that is malformed (located at file, line and column)."""
    META = "meta"
    """Indicator metadata (YAML) that is malformed or incomplete."""
    TABLE = "table"
    """A data table (``bnk-table``) whose CSV or description is missing or malformed."""
    CONFIG = "config"
    """A ``bnk_*`` value in conf.py that is invalid."""
    TARGET_PAST = "target-past"
    """An indicator target whose year lies before the report year (or the last data year)."""
    YEAR_MISSING = "year-missing"
    """An indicator without a value for the report year (only with bnk_warn_missing_year)."""
    CATALOGUE = "catalogue"
    """A catalogue file that cannot be read or is malformed."""
    INTERNAL = "internal"
    """An unexpected error inside the extension (a bug: please report it)."""
    LANG = "lang"
    """A ``bnk-lang`` role without a known language tag before its text."""
    MEDIUM = "medium"
    """A ``bnk-medium`` block naming a medium other than ``screen`` or ``print``."""
    ENCODING = "encoding"
    """A page that is not saved as UTF-8 (e.g. Latin-1 from an older editor)."""
    PDF = "pdf"
    """A problem WeasyPrint reports while typesetting the accessible PDF (e.g. a broken link)."""


def warn(
    msg: str,
    subtype: BnkWarning,
    location: Location,
    **kwargs: Any,
) -> None:
    """Emit a located ``bnk`` warning.

    :param msg: the message, in German (authors read it)
    :param subtype: the warning subtype
    :param location: a node, ``(docname, lineno)`` or a path
    """
    logger.warning(msg, type=WARNING_TYPE, subtype=subtype.value, location=location, **kwargs)


def note(env: BuildEnvironment, msg: str, subtype: BnkWarning, location: Location) -> None:
    """Record a problem found while reading a page: the one route for author-facing problems.

    The domain keeps it with the page and emits it on every build (``write-started``), so an
    unchanged page does not hide it on an incremental build, and it is emitted exactly once.

    :param location: a node, ``(docname, lineno)``, ``"path:line"`` or None (the page itself)
    """
    from bnk.domain import get_bnk_domain  # the domain module emits through this one

    if isinstance(location, nodes.Node):
        location = logging.get_node_location(location)
    if location is None or location == "":
        location = (env.docname, None)
    get_bnk_domain(env).note_problem(env.docname, msg, subtype, location)
