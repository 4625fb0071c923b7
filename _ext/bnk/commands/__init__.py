"""Subcommands of the ``bnk`` command line, one module each, and what they share: the German
argparse texts, the error type for author-facing problems and the one way to talk to the author."""

from __future__ import annotations

import argparse
import sys

# argparse's own texts (usage, error, help headings), in German. argparse looks them up through
# its module-level ``_``/``ngettext`` at call time; a Windows author sees no English line.
GERMAN = {
    "usage: ": "Aufruf: ",
    "positional arguments": "Argumente",
    "options": "Optionen",
    "optional arguments": "Optionen",
    "show this help message and exit": "diese Hilfe zeigen und beenden",
    "show program's version number and exit": "Version zeigen und beenden",
    "%(prog)s: error: %(message)s\n": "%(prog)s: Fehler: %(message)s\n",
    "the following arguments are required: %s": "diese Angaben fehlen: %s",
    "unrecognized arguments: %s": "unbekannte Angaben: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ungültige Wahl: %(value)r (möglich: %(choices)s)",
    "invalid %(type)s value: %(value)r": "ungültiger Wert (%(type)s): %(value)r",
    "expected one argument": "erwartet einen Wert",
    "expected at most one argument": "erwartet höchstens einen Wert",
    "expected at least one argument": "erwartet mindestens einen Wert",
    "argument %(argument_name)s: %(message)s": "Angabe %(argument_name)s: %(message)s",
    "ambiguous option: %(option)s could match %(matches)s": "mehrdeutige Option: %(option)s passt zu %(matches)s",
    "not allowed with argument %s": "nicht zusammen mit %s erlaubt",
    "one of the arguments %s is required": "eine dieser Angaben ist nötig: %s",
    "ignored explicit argument %r": "Wert %r wird nicht erwartet",
}
GERMAN_PLURAL = {"expected %s argument": ("erwartet %s Wert", "erwartet %s Werte")}


def _gettext(message: str) -> str:
    return GERMAN.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    if singular in GERMAN_PLURAL:
        one, many = GERMAN_PLURAL[singular]
        return one if n == 1 else many
    return singular if n == 1 else plural


def germanize_argparse() -> None:
    """Let argparse speak German (idempotent)."""
    argparse._ = _gettext  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]


class CliError(Exception):
    """A problem to report to the user (exit code 2), in German, without a traceback."""


def say(message: str) -> None:
    """A line for the author on stderr (stdout stays for results that can be piped)."""
    print(message, file=sys.stderr, flush=True)


def add_path_argument(parser: argparse.ArgumentParser) -> None:
    """The optional positional ``ORDNER`` (the report folder) that the report commands take."""
    parser.add_argument("path", nargs="?", default=".", metavar="ORDNER", help="Ordner des Berichts (Standard: .)")
