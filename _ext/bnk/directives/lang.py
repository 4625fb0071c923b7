"""``bnk-lang`` and ``bnk-en``: a word or phrase in another language than the report's.

``{bnk-en}`comply or explain``` and ``{bnk-lang}`fr:laissez-faire``` mark the text with its
language, so that a screen reader pronounces it in that language (WCAG 3.1.2, language of parts)
and hyphenation follows its rules. The node is an ``inline`` with the class ``language-<tag>``:
the HTML writers turn that class into ``lang="<tag>"`` (docutils), the accessible PDF takes the
``lang`` into its structure tree, the print edition sets the text as it is.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes

from bnk.boundary import BnkRole
from bnk.warnings_ import BnkWarning, note

if TYPE_CHECKING:
    from sphinx.application import Sphinx

# A BCP 47 language tag as authors write it: language, optionally a region ("en", "en-GB").
TAG_RE = re.compile(r"^(?P<lang>[a-z]{2,3})(?:-(?P<region>[A-Z]{2}))?$")
PREFIX_RE = re.compile(r"^\s*(?P<tag>[^\s:]+)\s*:\s*(?P<text>.+)$", re.DOTALL)


def known_language(tag: str) -> bool:
    """Whether ``tag`` is a well-formed tag of a language Babel (CLDR) knows."""
    from babel.core import get_global

    match = TAG_RE.match(tag)
    if match is None:
        return False
    languages = get_global("likely_subtags")
    return match["lang"] in languages


class LanguageRole(BnkRole):
    """Text in another language: ``lang`` fixed (``bnk-en``) or written first (``bnk-lang``)."""

    def __init__(self, lang: str | None = None) -> None:
        super().__init__()
        self.lang = lang

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        text, tag = self.text, self.lang
        if tag is None:
            match = PREFIX_RE.match(self.text)
            tag, text = (match["tag"], match["text"].strip()) if match else ("", self.text)
        if not known_language(tag):
            what = f"Unbekannte Sprache „{tag}“ vor „{text}“" if tag else f"Sprachkürzel fehlt vor „{text}“"
            note(
                self.env,
                f"{what}: erwartet wird ein Sprachkürzel und ein Doppelpunkt vor dem Text, "
                "z. B. {bnk-lang}`en:comply or explain` oder {bnk-lang}`fr:laissez-faire`.",
                BnkWarning.LANG,
                self.get_location(),
            )
            return [nodes.Text(text)], []
        node = nodes.inline(text, text, classes=[f"language-{tag}"])
        self.set_source_info(node)
        return [node], []


def setup_lang(app: Sphinx) -> None:
    """Register ``bnk-lang`` and its shortcut for English, ``bnk-en``."""
    app.add_role("bnk-lang", LanguageRole())
    app.add_role("bnk-en", LanguageRole("en"))
