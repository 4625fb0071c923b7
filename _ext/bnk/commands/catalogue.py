"""``bnk katalog``: a Kommune's own catalogue edition (e.g. BNK 2.0 typed from the Handreichung).

- ``bnk katalog import TABELLE [TABELLE] --ausgabe ID`` reads the table (``.xlsx`` with the sheets
  ``Aspekte`` and ``Kernindikatoren``, or one or two CSV files), checks everything at once and
  writes ``katalog/<ID>.toml`` with its JSON Schema into the report — or nothing at all;
- ``bnk katalog prüfen DATEI`` checks a catalogue file the same way and lists every problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bnk.commands import CliError, say
from bnk.data import BnkDataError
from bnk.data.writer import TextFormat, write_author_text

if TYPE_CHECKING:
    import argparse

    from bnk.data.catalogue import Catalogue


def describe(catalogue: Catalogue) -> str:
    """E.g. "3 Gruppen, 10 Kapitel, 30 Aspekte, 6 Kernindikatoren"."""
    return (
        f"{len(catalogue.groups)} Gruppen, {len(catalogue.chapters)} Kapitel, {len(catalogue.aspects)} Aspekte, "
        f"{len(catalogue.core_indicators)} Kernindikatoren"
    )


def read_catalogue_source(paths: list[Path], edition: str | None, title: str = "") -> tuple[Catalogue, str, str]:
    """A catalogue from a table (imported) or a catalogue file (checked): catalogue, file name, TOML text.

    :raises CliError: every problem, located, in German
    """
    from bnk.data import BnkDataError
    from bnk.data.catalogue import check_catalogue_file
    from bnk.importers import BnkImportError
    from bnk.importers.catalogue import import_catalogue

    for path in paths:
        if not path.is_file():
            raise CliError(f"{path} gibt es nicht (oder es ist keine Datei).")
    if len(paths) == 1 and paths[0].suffix.lower() == ".toml":
        try:
            catalogue, errors = check_catalogue_file(str(paths[0]))
        except BnkDataError as exc:
            raise CliError(f"{paths[0]}: {exc.msg}") from exc
        if errors or catalogue is None:
            raise CliError(f"{len(errors)} Problem(e) im Katalog:\n" + "\n".join(_located(e) for e in errors))
        return catalogue, f"{catalogue.edition}.toml", paths[0].read_text(encoding="utf-8")
    if not edition:
        raise CliError("Bitte mit --ausgabe eine Kennung für den Katalog angeben, z. B. --ausgabe bnk-2024.")
    try:
        catalogue, text = import_catalogue(paths, edition, title)
    except BnkImportError as exc:
        raise CliError(
            f"{len(exc.problems)} Problem(e) in der Tabelle; nichts geschrieben:\n" + "\n".join(exc.lines())
        ) from exc
    return catalogue, f"{edition}.toml", text


def _located(error: object) -> str:
    path, line, msg = (getattr(error, k) for k in ("path", "line", "msg"))
    return f"{path}:{line}: {msg}" if line else f"{path}: {msg}"


def write_text_safely(report: Path, rel: str, text: str, force: bool) -> Path:
    """Write ``rel`` inside ``report`` atomically; never through a symbolic link out of the report."""
    base = report.resolve()
    target = base / rel
    if target.parent.exists() and not target.parent.resolve().is_relative_to(base):
        raise CliError(f"{target.parent} zeigt aus dem Berichtsordner heraus (symbolischer Link); nichts geschrieben.")
    if target.is_symlink():
        raise CliError(f"{target} ist ein symbolischer Link; nichts geschrieben.")
    if target.exists() and not force and target.read_text(encoding="utf-8", errors="replace") != text:
        raise CliError(f"{target} gibt es schon; mit --force wird die Datei ersetzt.")
    try:  # the one safe writer: inside the report, atomic
        write_author_text(base, target, text, TextFormat())
    except BnkDataError as exc:
        raise CliError(exc.msg) from None
    return target


def cmd_import(args: argparse.Namespace) -> int:
    from bnk.data.catalogue import SCHEMA_PATH
    from bnk.scaffold import CATALOGUE_FOLDER

    report = Path(args.bericht)
    if not (report / "conf.py").is_file():
        raise CliError(f"{report} ist kein Berichtsordner (conf.py fehlt); bitte --bericht ORDNER angeben.")
    catalogue, name, text = read_catalogue_source([Path(p) for p in args.tables], args.ausgabe, args.titel or "")
    schema = SCHEMA_PATH.read_text(encoding="utf-8")
    # Check both targets before writing either: on a refusal nothing is written.
    for rel, content in ((f"{CATALOGUE_FOLDER}/{SCHEMA_PATH.name}", schema), (f"{CATALOGUE_FOLDER}/{name}", text)):
        existing = report / rel
        if existing.exists() and not args.force and existing.read_text(encoding="utf-8", errors="replace") != content:
            raise CliError(f"{existing} gibt es schon; mit --force wird die Datei ersetzt. Nichts geschrieben.")
    write_text_safely(report, f"{CATALOGUE_FOLDER}/{SCHEMA_PATH.name}", schema, True)
    target = write_text_safely(report, f"{CATALOGUE_FOLDER}/{name}", text, args.force)
    say(f"Katalog {catalogue.edition} geschrieben: {target} ({describe(catalogue)}).")
    say(f'Damit der Bericht ihn nutzt, in conf.py: bnk_catalogue_file = "{CATALOGUE_FOLDER}/{name}"')
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    catalogue, _, _ = read_catalogue_source([Path(args.file)], None)
    say(f"{args.file}: in Ordnung – {catalogue.title} ({describe(catalogue)}).")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``bnk katalog`` with its subcommands."""
    katalog = sub.add_parser(
        "katalog",
        help="eigener Katalog einer BNK-Ausgabe: aus einer Tabelle übernehmen, prüfen",
        description="Der Katalog einer Ausgabe (z. B. BNK 2.0) aus der Tabelle der Kommune.",
    )
    actions = katalog.add_subparsers(dest="katalog_command", required=True, metavar="AKTION", title="Aktionen")
    imp = actions.add_parser(
        "import",
        help="Tabelle (xlsx mit den Blättern Aspekte und Kernindikatoren, oder CSV) als Katalog übernehmen",
    )
    imp.add_argument("tables", metavar="TABELLE", nargs="+", help="eine .xlsx-Datei oder eine bis zwei CSV-Dateien")
    imp.add_argument("--ausgabe", required=True, metavar="ID", help="Kennung des Katalogs, z. B. bnk-2024")
    imp.add_argument("--titel", help='Titel, z. B. "Berichtsrahmen Nachhaltige Kommune 2.0"')
    imp.add_argument("--bericht", default=".", metavar="ORDNER", help="Ordner des Berichts (Standard: .)")
    imp.add_argument("--force", action="store_true", help="eine vorhandene Katalogdatei ersetzen")
    imp.set_defaults(func=cmd_import)
    for name in ("prüfen", "pruefen"):
        check = actions.add_parser(name, help="eine Katalogdatei (TOML) prüfen und alle Probleme nennen")
        check.add_argument("file", metavar="DATEI")
        check.set_defaults(func=cmd_check)
