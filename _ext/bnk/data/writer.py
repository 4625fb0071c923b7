"""The one safe writer for files an author owns (``bnk import``, ``bnk jahr``, ``bnk new``,
``bnk katalog``, ``bnk diff --markdown/--html``).

- :func:`inside` refuses a target outside the report folder, with ``..`` or behind a symbolic link
  that leads out of it (a link ``data/x.csv → /anywhere`` is never written through);
- :func:`check_name` refuses file names that are no names on every system: control characters (an
  id with a trailing newline), path separators and Windows device names (``con``, ``nul``, ``com1`` …);
- :func:`read_author_text` reads a file with its format (UTF-8 with or without BOM, CRLF or LF);
- :func:`write_author_text` writes atomically (a temporary file beside the target, then a rename):
  the file is either the old one or the new one, never half written, and it keeps the format of
  the file it replaces.

Callers never rewrite a file they could not fully parse: they read it first and stop with the
parser's located message. Refusals are :class:`~bnk.data.BnkDataError` in German.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bnk.data import BnkDataError

# Reserved names on Windows, with or without an extension ("con.csv" is the console there).
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)
_BAD_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


@dataclass(frozen=True)
class TextFormat:
    """How a text file is stored: its encoding (``utf-8`` or ``utf-8-sig`` with BOM) and line end."""

    encoding: str = "utf-8"
    newline: str = "\n"


def check_name(name: str, what: str = "Dateiname") -> str:
    """``name``, if it is a file name on every system; else a German refusal.

    :param what: what the name is, for the message (e.g. ``Kennung``)
    :raises BnkDataError: empty, a control character, a separator, a trailing dot or space, or a
        Windows device name
    """
    if not name or _BAD_NAME_CHARS.search(name) or name != name.strip() or name.endswith("."):
        raise BnkDataError(
            f"{what} {name!r} taugt nicht als Dateiname (Steuer- oder Sonderzeichen, Leerzeichen am Rand)."
        )
    if name.split(".", 1)[0].lower() in WINDOWS_DEVICES:
        raise BnkDataError(
            f"{what} {name!r} ist unter Windows ein Gerätename (wie con, nul, com1); bitte anders nennen."
        )
    return name


def inside(root: str | Path, target: str | Path) -> Path:
    """The resolved ``target``, if it lies inside the report folder ``root`` (links followed).

    :param target: absolute or relative to the current folder, like every file path (callers join
        it to the report folder: ``inside(report, report / "data" / "x.csv")``, also for ``bnk import
        --bericht bericht``)
    :raises BnkDataError: ``..`` in the path, or the path or a link on the way leads out
    """
    base = Path(root).resolve()
    full = Path(target).absolute()
    if ".." in full.parts:
        raise BnkDataError(f"{target}: Pfade mit „..“ werden nicht geschrieben.", str(target))
    resolved = full.resolve()
    if not resolved.is_relative_to(base):
        link = " (ein symbolischer Link führt dorthin)" if resolved != full.absolute() else ""
        raise BnkDataError(
            f"{target}: liegt außerhalb des Berichtsordners {base}{link} – nichts geschrieben.", str(target)
        )
    return resolved


def read_author_text(path: str | Path) -> tuple[str, TextFormat]:
    """The text of ``path`` exactly as stored (line ends untouched) and its format.

    :raises BnkDataError: not readable or not UTF-8 (with the line of the first bad byte)
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise BnkDataError(f"{path}: nicht lesbar ({exc.strerror}).", str(path)) from None
    bom = raw.startswith(codecs.BOM_UTF8)
    try:
        text = raw.decode("utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BnkDataError(
            f"{path}: Zeile {line} ist nicht UTF-8 (Byte 0x{raw[exc.start]:02x}); bitte als UTF-8 speichern.",
            str(path),
            line,
        ) from None
    first = text.find("\n")
    newline = "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"
    return text, TextFormat("utf-8-sig" if bom else "utf-8", newline)


def write_author_text(root: str | Path, target: str | Path, text: str, fmt: TextFormat | None = None) -> Path:
    """Write ``text`` to ``target`` inside ``root``, atomically, in the format of the file it replaces.

    Lone ``\\n`` in ``text`` become the file's line end (``\\r\\n`` for a CRLF file); text read with
    :func:`read_author_text` and edited in place is written back byte for byte where unchanged.

    :param fmt: the format to write (default: that of the existing file, else UTF-8 with ``\\n``)
    :returns: the path written
    :raises BnkDataError: the target is outside the report (see :func:`inside`) or not writable
    """
    path = inside(root, target)
    check_name(path.name)
    if fmt is None:
        fmt = read_author_text(path)[1] if path.is_file() else TextFormat()
    if fmt.newline == "\r\n":
        text = re.sub(r"(?<!\r)\n", "\r\n", text)
    data = text.encode(fmt.encoding)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise BnkDataError(f"{target}: kann nicht geschrieben werden ({exc.strerror}).", str(target)) from None
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp creates the file for the owner only; keep the mode of the file it replaces
        tmp.chmod(path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        tmp.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise BnkDataError(f"{target}: kann nicht geschrieben werden ({exc.strerror}).", str(target)) from None
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
