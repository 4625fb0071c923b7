"""The report in Leichter Sprache: the mechanical rules of the page and what it must tell.

The rules checked here are the ones the page states in its source comment: short main clauses
(at most 12 words), no subordinate clause (no opener from a list, no question word that opens a
clause before a comma), one convention for long compounds (a hyphen followed by a capital letter,
never a Mediopunkt) and so never a split verb ("heraus-gegeben").
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest

MAX_WORDS = 12
# Conjunctions that open a subordinate clause: not at a sentence's start, not after a comma.
SUBORDINATE = (
    "dass",
    "weil",
    "wenn",
    "obwohl",
    "nachdem",
    "falls",
    "sodass",
    "indem",
    "bevor",
    "ob",
    "sobald",
    "solange",
    "damit",
    "während",
    "als",
    "da",
    "wie",
    "wer",
    "was",
    "wo",
    "welche",
    "welcher",
    "welches",
    "der",
    "die",
    "das",
)
# Question words: fine as a question ("Wie ist der Bericht aufgebaut?"), a clause before a comma.
QUESTION_WORDS = ("wie", "wer", "was", "wo", "warum", "welche", "welcher", "welches", "wann")
SPLIT_WORD = re.compile(r"\b\w+-[a-zäöüß]\w*")
BLOCKS = {"p", "li", "h1", "h2", "h3", "dt", "dd"}


class _Sentences(HTMLParser):
    """Text of the article's blocks; a block end and a line break end a sentence. The site's
    footer (links to Impressum, Datenschutz …, the same on every page) is not the page's text."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._current: list[str] = []
        self._in_article = 0
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "article":
            self._in_article += 1
        if tag == "footer" and self._in_article:
            self._in_article -= 1
            self._footer = True
        if "headerlink" in classes:
            self._skip += 1
        if tag == "br" or tag in BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag == "a" and self._skip:
            self._skip -= 1
        if tag in BLOCKS:
            self._flush()
        if tag == "article":
            self._in_article -= 1
        if tag == "footer" and getattr(self, "_footer", False):
            self._in_article += 1
            self._footer = False

    def handle_data(self, data):
        if self._in_article and not self._skip:
            self._current.append(data)

    def _flush(self):
        text = re.sub(r"\s+", " ", unescape("".join(self._current))).strip()
        if text:
            self.parts.append(text)
        self._current = []


def sentences(html: str) -> list[str]:
    """The page's sentences: each block and line split at ``.``, ``?``, ``!`` and ``:``."""
    parser = _Sentences()
    parser.feed(html)
    out = []
    for part in parser.parts:
        # A dot inside a number (1.000) does not end a sentence: only a dot before a space.
        for sentence in re.split(r"(?<=[?!:])\s+|\.\s+|\.$", part):
            if sentence.strip(" .:"):
                out.append(sentence.strip())
    return out


def problems(html: str) -> list[str]:
    """Every sentence that breaks a rule, with the rule."""
    found = []
    for sentence in sentences(html):
        words = re.findall(r"[\w€%,.-]+", sentence)
        if len(words) > MAX_WORDS:
            found.append(f"zu lang ({len(words)} Wörter): {sentence}")
        lowered = [w.lower().strip(",.") for w in sentence.split()]
        if lowered and lowered[0] in SUBORDINATE[:15]:
            found.append(f"Nebensatz am Anfang: {sentence}")
        if lowered and lowered[0] in QUESTION_WORDS and "," in sentence:
            found.append(f"Nebensatz am Anfang: {sentence}")
        for match in re.finditer(r",\s*(\w+)", sentence):
            if match.group(1).lower() in SUBORDINATE:
                found.append(f"Nebensatz nach Komma: {sentence}")
        for match in SPLIT_WORD.finditer(sentence):
            found.append(f"getrenntes Wort mit Kleinbuchstaben nach dem Bindestrich ({match.group()}): {sentence}")
        if "·" in sentence:
            found.append(f"Mediopunkt statt Bindestrich: {sentence}")
    return found


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ("<article><p>Der Kreis hat den Bericht heraus-gegeben.</p></article>", "getrenntes Wort"),
        ("<article><p>Wir leben so, dass alle gut leben.</p></article>", "Nebensatz nach Komma"),
        ("<article><p>Wenn Sie Fragen haben, schreiben Sie uns.</p></article>", "Nebensatz am Anfang"),
        ("<article><p>Wer Ihre Fragen beantwortet, steht auf der Seite.</p></article>", "Nebensatz am Anfang"),
        (
            "<article><p>Das ist ein Satz mit viel zu vielen Wörtern für die Leichte Sprache hier.</p></article>",
            "zu lang",
        ),
        ("<article><p>Der Nachhaltigkeits·Bericht ist da.</p></article>", "Mediopunkt"),
    ],
)
def test_the_rules_find_what_they_forbid(html, problem):
    assert any(found.startswith(problem) for found in problems(html)), problems(html)


def test_a_page_in_easy_language_passes():
    html = (
        "<article><h2>Was ist der BNK?</h2><p>Der Nachhaltigkeits-Bericht ist da.<br/>"
        "Im Jahr 2018 waren es 1.595 Tausend Tonnen.</p><ul><li>Wie ist der Bericht aufgebaut?</li></ul></article>"
    )
    assert problems(html) == []
    assert sentences(html) == [
        "Was ist der BNK?",
        "Der Nachhaltigkeits-Bericht ist da",
        "Im Jahr 2018 waren es 1.595 Tausend Tonnen",
        "Wie ist der Bericht aufgebaut?",
    ]


def test_the_report_in_easy_language_keeps_the_rules_and_tells_the_report(site):
    root, _ = site
    html = (root / "leichte-sprache.html").read_text(encoding="utf-8")
    assert problems(html) == []
    text = " ".join(sentences(html))
    # It tells the report: the strategy, its Maßnahmen, the climate target, Fairtrade, the
    # cooperation with the Kommunen, what went well and what not.
    for told in (
        "Der Plan heißt Nachhaltigkeits-Strategie",
        "Im Plan stehen 79 Maßnahmen",
        "Im Jahr 2035 soll der Kreis klimaneutral sein",
        "Klimaneutral heißt",
        "Die Auszeichnung heißt Fairtrade-Town",
        "Der Kreis Heinsberg arbeitet mit den Städten und Gemeinden im Kreis zusammen",
        "Diese Sachen haben gut geklappt",
        "Diese Sachen haben noch nicht gut geklappt",
    ):
        assert told in text, told
    # Figures from the data come through the value role (linked to their indicator or table).
    for figure in ("2.220", "1.595"):
        link = r'<a class="reference internal" href="[^"]*#indikator-co2-bilanz"[^>]*><span class="bnk-value">'
        assert re.search(link + re.escape(figure), html), figure
    # No claim that every indicator has a table and a chart.
    assert "Zu jedem Indikator" not in text
