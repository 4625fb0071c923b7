"""Pages that are not UTF-8: a located ``bnk.encoding`` warning instead of Sphinx's traceback.

Sphinx reads every page with ``source_encoding`` and aborts the whole build (and ``bnk check``)
on the first byte that is not UTF-8 – a page saved as Latin-1 by an older editor. The extension
reads pages with its own codec ``bnk-utf-8``: UTF-8 with or without BOM, exactly as Sphinx's
default, except that an undecodable byte becomes U+FFFD; on ``source-read`` each page with such a
character is reported with its line, through the domain like every other problem of a page.
"""

from __future__ import annotations

import codecs
from encodings import utf_8_sig
from typing import TYPE_CHECKING

from bnk.warnings_ import BnkWarning, note

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

CODEC = "bnk-utf-8"
DEFAULTS = {"utf-8-sig", "utf-8", "utf8", "utf_8_sig", "utf_8"}


class _Decoder(utf_8_sig.IncrementalDecoder):
    def __init__(self, errors: str = "strict") -> None:
        super().__init__("replace")

    def _buffer_decode(self, input: bytes, errors: str, final: bool) -> tuple[str, int]:
        # utf-8-sig waits for the rest of a BOM even at the end of the file: a page of the single
        # byte 0xEF read as empty, without a warning. At the end, a partial BOM is an unreadable byte.
        if final and self.first and codecs.BOM_UTF8.startswith(input):
            self.first = 0
            return codecs.utf_8_decode(input, "replace", True)
        return super()._buffer_decode(input, errors, final)  # type: ignore[no-any-return]


def _decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
    return utf_8_sig.decode(data, "replace")  # type: ignore[no-any-return]


def _search(name: str) -> codecs.CodecInfo | None:
    if name != CODEC.replace("-", "_"):
        return None
    return codecs.CodecInfo(
        name=CODEC,
        encode=utf_8_sig.encode,
        decode=_decode,
        incrementalencoder=utf_8_sig.IncrementalEncoder,
        incrementaldecoder=_Decoder,
        streamreader=utf_8_sig.StreamReader,
        streamwriter=utf_8_sig.StreamWriter,
    )


def use_codec(app: Sphinx, config: Config) -> None:
    """``config-inited``: read pages with ``bnk-utf-8`` unless the report chose another encoding."""
    if str(config.source_encoding).lower() in DEFAULTS:
        config.source_encoding = CODEC


def check_page(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: a page with undecodable bytes is a located warning (first line named)."""
    text = source[0]
    at = text.find("\ufffd")
    if at < 0 or app.config.source_encoding != CODEC:
        return
    line = text.count("\n", 0, at) + 1
    note(
        app.env,
        f"Die Seite ist nicht als UTF-8 gespeichert (erstes unlesbares Zeichen in Zeile {line}, im Bericht "
        "als „\ufffd“); bitte im Editor mit der Kodierung UTF-8 speichern.",
        BnkWarning.ENCODING,
        (docname, line),
    )


def setup_encoding(app: Sphinx) -> None:
    """Register the codec and the page check."""
    from bnk.boundary import connect

    codecs.register(_search)
    # After Sphinx's check of source_encoding (priority 790), which warns about any encoding that
    # is not UTF-8: bnk-utf-8 is UTF-8, only its errors differ.
    connect(app, "config-inited", use_codec, priority=795)
    connect(app, "source-read", check_page)
