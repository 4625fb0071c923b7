"""Data files: reading, caching and physical line numbers for every file type the report reads.

One module does what every parser needs, so that each file type behaves the same:

- :func:`read_text` reads UTF-8 with a size limit; a decoding error names its line;
- :func:`read_csv` reads CSV with the ``csv`` module; every row carries the physical line it
  starts on, so a quoted newline in a cell does not shift later line numbers, and an unclosed
  quote is reported where it opens;
- :func:`load_yaml` reads YAML with a safe loader that rejects duplicate keys, tags, anchors and
  aliases and too deep nesting, each with its line;
- :func:`cached` caches a parser by the path, size and modification time of its files.

Every problem is a :class:`~bnk.data.BnkDataError` with path and line; nothing else escapes.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import yaml

from bnk.data import BnkDataError

if TYPE_CHECKING:
    from collections.abc import Callable

P = ParamSpec("P")
R = TypeVar("R")

MAX_CSV_BYTES = 16 * 1024 * 1024
MAX_YAML_BYTES = 256 * 1024
MAX_COLUMNS = 100  # an indicator or data table has a handful; a million columns is no table
MAX_FIELD_CHARS = 10_000
# Nesting of YAML (metadata, table descriptions) and of imported JSON (SDG-Portal): 20 levels;
# the deepest real file has 5.
MAX_NESTING = 20
# Bidi embeddings, overrides and isolates ("Trojan Source"): they reorder what a reader sees.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


# -- caching -------------------------------------------------------------------------------------


def stamp(path: str | Path | None) -> tuple[str, int, int] | None:
    """``(path, size, mtime_ns)`` of a file: the cache key of everything parsed from it.

    :raises BnkDataError: the file does not exist or cannot be read
    """
    if path is None:
        return None
    try:
        info = Path(path).stat()
    except OSError as exc:
        raise BnkDataError(f"Datei nicht gefunden: {path}", str(path), 1) from exc
    return str(path), info.st_size, info.st_mtime_ns


def cached(files: int = 1, maxsize: int = 512) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Cache a parser whose first ``files`` arguments are file paths (or None).

    The key is each file's path, size and mtime plus the other arguments, so an edited file is
    read again and an unchanged one never twice in a process.
    """

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @functools.lru_cache(maxsize=maxsize)
        def by_stamp(stamps: tuple[Any, ...], *args: Any, **kwargs: Any) -> R:
            return func(*args, **kwargs)

        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            paths = [None if a is None else str(a) for a in args[:files]]
            stamps = tuple(stamp(p) for p in paths)
            return by_stamp(stamps, *paths, *args[files:], **kwargs)  # type: ignore[arg-type]

        wrapper.cache_clear = by_stamp.cache_clear  # type: ignore[attr-defined]
        return wrapper

    return decorate


# -- text ----------------------------------------------------------------------------------------


def read_text(path: str | Path, what: str = "Die Datei", max_bytes: int = MAX_CSV_BYTES) -> str:
    """A UTF-8 file as text (line ends normalised to ``\\n``).

    :param what: names the file in messages, e.g. ``"Die Metadaten"``
    :raises BnkDataError: unreadable, too large, not UTF-8 (with the line of the first bad byte)
    """
    path = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise BnkDataError(f"{what} ist nicht lesbar: {exc.strerror or exc}.", path, 1) from exc
    if len(raw) > max_bytes:
        raise BnkDataError(f"{what} ist unplausibel groß (über {max_bytes // 1024} KiB).", path, 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BnkDataError(f"{what} ist nicht in UTF-8 kodiert; bitte als UTF-8 speichern.", path, line) from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = _BIDI_CONTROLS.search(text)
    if found:
        line = text[: found.start()].count("\n") + 1
        raise BnkDataError(
            f"{what} enthält ein unsichtbares Steuerzeichen für die Schreibrichtung (U+{ord(found[0]):04X}); "
            "es kann den angezeigten Text verfälschen. Bitte entfernen.",
            path,
            line,
        )
    return text


# -- CSV -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvTable:
    """The header and data rows of a CSV file, each row with the physical line it starts on."""

    path: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    delimiter: str = ","
    header_line: int = 1  # the physical line of the header (after blank lines, if any)


def _field_count_hint(row: list[str], header: list[str]) -> str:
    if len(row) != len(header) + 1:
        return ""
    whole, fraction = row[-2].strip().lstrip("+-"), row[-1].strip()
    if not (whole.isascii() and whole.isdigit() and fraction.isascii() and fraction.isdigit()):
        return ""
    number = f"{row[-2].strip()},{fraction}"
    return (
        f" Steht hier ein Dezimalkomma („{number}“)? In der CSV-Datei gilt der Dezimalpunkt, "
        f"z. B. „{number.replace(',', '.')}“."
    )


def read_csv(path: str | Path, max_rows: int | None = None, problems: list[BnkDataError] | None = None) -> CsvTable:
    """Read a comma-separated UTF-8 file; blank lines are skipped.

    :param max_rows: more data rows than this are an error (located at the first one too many)
    :param problems: if given, a BOM, a semicolon separator and rows with the wrong number of
        fields are collected here (reading goes on without the BOM, on ``;``, without those rows),
        so that an author gets every problem of the file at once
    :raises BnkDataError: located at the line (and column) of the first problem
    """
    path = str(path)
    text = read_text(path)
    collected: list[BnkDataError] = []

    def problem(error: BnkDataError) -> None:
        if problems is None:
            raise error
        collected.append(error)

    if text.startswith("\ufeff"):
        problem(
            BnkDataError(
                "Die Datei beginnt mit einer Byte-Order-Mark (BOM); bitte als UTF-8 ohne BOM speichern.", path, 1
            )
        )
        text = text[1:]
    if not text.strip():
        raise BnkDataError("Die CSV-Datei ist leer.", path, 1)
    first = text.split("\n", 1)[0]
    delimiter = ","
    if ";" in first and "," not in first:
        problem(
            BnkDataError(
                "Trennzeichen ist das Semikolon; bitte Komma als Trennzeichen verwenden. "
                f"Die Datei sieht aus wie aus deutschem Excel gespeichert. {import_hint(path)}.",
                path,
                1,
            )
        )
        delimiter = ";"  # read on, so that the rows' own problems come in the same round
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise BnkDataError("Die Datei enthält ein Nullzeichen (keine Textdatei?).", path, line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    header_line = 1
    rows: list[tuple[int, tuple[str, ...]]] = []
    while True:
        start = reader.line_num + 1  # the physical line this row starts on
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                message = f"Ein Feld ist unplausibel lang (über {MAX_FIELD_CHARS} Zeichen)."
            elif "end of data" in str(exc) or "EOF" in str(exc):
                message = 'Ein Anführungszeichen (") wird geöffnet, aber nicht geschlossen.'
            else:
                message = f"Die Zeile ist kein gültiges CSV: {exc}."
            raise BnkDataError(message, path, start) from exc
        if not any(cell.strip() for cell in row):
            continue
        if any(len(cell) > MAX_FIELD_CHARS for cell in row):
            raise BnkDataError(f"Ein Feld ist unplausibel lang (über {MAX_FIELD_CHARS} Zeichen).", path, start)
        if header is None:
            if len(row) > MAX_COLUMNS:
                raise BnkDataError(
                    f"Die Kopfzeile hat {len(row)} Spalten; mehr als {MAX_COLUMNS} sind keine Datentabelle.",
                    path,
                    start,
                )
            header, header_line = row, start
            continue
        if len(row) != len(header):
            hint = _field_count_hint(row, header)
            problem(BnkDataError(f"Zeile hat {len(row)} Felder, die Kopfzeile {len(header)}.{hint}", path, start))
            continue
        if max_rows is not None and len(rows) >= max_rows:
            raise BnkDataError(f"Mehr als {max_rows} Datenzeilen: das ist keine Indikatorzeitreihe.", path, start)
        rows.append((start, tuple(row)))
    if problems is not None:
        problems.extend(collected)
    if header is None:  # only separators and blanks, e.g. ";;;"
        raise BnkDataError("Die CSV-Datei hat keine Kopfzeile (nur leere Felder).", path, 1)
    return CsvTable(path, tuple(header), tuple(rows), delimiter, header_line)


def import_hint(path: str) -> str:
    """The command that turns a German-Excel CSV into the machine format (in place)."""
    file = Path(path)
    return f"Umwandeln ins Maschinenformat: bnk import tabelle data/{file.name} --id {file.stem} --force"


# -- YAML ----------------------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """``SafeLoader`` without the surprises: no duplicate keys, tags, anchors or deep nesting."""

    bnk_path = ""
    bnk_depth = 0

    def _fail(self, message: str, mark: Any) -> BnkDataError:
        return BnkDataError(message, self.bnk_path, mark.line + 1 if mark is not None else 1)

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise self._fail("YAML-Anker und -Aliase (&, *) sind in Metadaten nicht erlaubt.", event.start_mark)
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            raise self._fail(
                f"YAML-Tags wie „{tag}“ sind nicht erlaubt; bitte den Wert ohne Tag schreiben.", event.start_mark
            )
        self.bnk_depth += 1
        try:
            if self.bnk_depth > MAX_NESTING:
                raise self._fail(
                    f"Die YAML-Struktur ist tiefer als {MAX_NESTING} Ebenen verschachtelt.", event.start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self.bnk_depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                first = seen.get(key)
            except TypeError as exc:
                message = "Ein Schlüssel ist eine Liste oder Zuordnung; erlaubt ist Text."
                raise self._fail(message, key_node.start_mark) from exc
            if first is not None:
                raise self._fail(f"Schlüssel „{key}“ doppelt (zuerst in Zeile {first}).", key_node.start_mark)
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str, path: str) -> tuple[Any, dict[str, int]]:
    """Parse YAML strictly; also return the line of every top-level key.

    :raises BnkDataError: any YAML problem, with its line
    """
    try:
        loader = _StrictLoader(text)
    except yaml.reader.ReaderError as exc:
        # Control characters are refused before parsing starts; name the line they are on.
        line = text[: exc.position].count("\n") + 1
        raise BnkDataError(
            f"Die Datei enthält ein nicht erlaubtes Steuerzeichen (#x{exc.character:04x}).", path, line
        ) from exc
    loader.bnk_path = path
    try:
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise BnkDataError(
            f"Die Datei ist kein gültiges YAML: {exc.problem or exc}", path, mark.line + 1 if mark else 1
        ) from exc
    except yaml.YAMLError as exc:
        raise BnkDataError(f"Die Datei ist kein gültiges YAML: {exc}", path, 1) from exc
    except RecursionError as exc:
        raise BnkDataError("Die YAML-Struktur ist zu tief verschachtelt.", path, 1) from exc
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode) and isinstance(data, dict):
        # Keyed by the key as read ("?" alone is the key None, "true:" the key True), the way
        # callers name it in a message; the mapping keeps the order of its nodes.
        for (key_node, _), key in zip(node.value, data, strict=False):
            lines.setdefault(str(key), key_node.start_mark.line + 1)
    return data, lines
