"""``bnk katalog``: a Kommune's own catalogue edition (e.g. BNK 2.0 typed from the Handreichung).

- ``bnk katalog import TABELLE [TABELLE] --ausgabe ID`` reads the table (``.xlsx`` with the sheets
  ``Aspekte`` and ``Kernindikatoren``, or one or two CSV files), checks everything at once and
  writes ``katalog/<ID>.toml`` with its JSON Schema into the report — or nothing at all;
- ``bnk katalog prüfen DATEI`` checks a catalogue file the same way and lists every problem;
- ``bnk katalog umstellen --nach ID --zuordnung TABELLE`` moves the report to another edition
  (columns ``alt``, ``neu``): aspect blocks renumbered, text kept, no counterpart = a section
  "Nicht mehr im Katalog" (:mod:`bnk.data.renumber`).
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
    move = actions.add_parser(
        "umstellen",
        help="den Bericht auf einen anderen Katalog umstellen: Aspekte umnummerieren, nichts löschen",
    )
    move.add_argument("--nach", required=True, metavar="ID", help="Kennung (katalog/<ID>.toml) oder Katalogdatei")
    move.add_argument("--zuordnung", required=True, metavar="TABELLE", help="CSV oder xlsx mit den Spalten alt, neu")
    move.add_argument("--von", metavar="DATEI", help="bisheriger Katalog (Standard: der aus conf.py)")
    move.add_argument("--bericht", default=".", metavar="ORDNER", help="Ordner des Berichts (Standard: .)")
    move.set_defaults(func=cmd_move)
    for name in ("prüfen", "pruefen"):
        check = actions.add_parser(name, help="eine Katalogdatei (TOML) prüfen und alle Probleme nennen")
        check.add_argument("file", metavar="DATEI")
        check.set_defaults(func=cmd_check)


def read_mapping(path: Path) -> list[tuple[str, str, str]]:
    """Rows ``(where, alt, neu)`` of the mapping table (CSV or xlsx with the columns alt, neu)."""
    import csv
    import io

    from bnk.importers import BnkImportError
    from bnk.importers.sheets import decode

    if not path.is_file():
        raise CliError(f"{path} gibt es nicht.")
    rows: list[tuple[int, list[str]]] = []
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            sheet = book.worksheets[0]
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > 5000:
                    raise CliError(f"{path.name}: mehr als 5000 Zeilen; das ist keine Zuordnungstabelle.")
                rows.append((number, ["" if c is None else str(c).strip() for c in row[:10]]))
            book.close()
        except CliError:
            raise
        except Exception as exc:  # openpyxl raises many types for a damaged or wrong file
            raise CliError(f"{path.name}: die Arbeitsmappe lässt sich nicht lesen: {exc}") from exc
    else:
        try:
            text = decode(path.read_bytes()[: 2 * 1024 * 1024], path.name)
        except BnkImportError as exc:
            raise CliError("\n".join(exc.lines())) from exc
        first = next((line for line in text.splitlines() if line.strip()), "")
        sep = ";" if first.count(";") >= first.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
        rows = [(number, [c.strip() for c in row]) for number, row in enumerate(reader, start=1)]
    rows = [(n, r) for n, r in rows if any(r)]
    if not rows:
        raise CliError(f"{path.name} ist leer.")
    header = [c.lower() for c in rows[0][1]]
    if "alt" not in header or "neu" not in header:
        raise CliError(f"{path.name}, Zeile {rows[0][0]}: die Kopfzeile braucht die Spalten „alt“ und „neu“.")
    a, n = header.index("alt"), header.index("neu")
    return [
        (f"{path.name}, Zeile {number}", row[a] if a < len(row) else "", row[n] if n < len(row) else "")
        for number, row in rows[1:]
    ]


def _report_catalogue(report: Path) -> Path:
    """The catalogue file the report uses now (``bnk_catalogue_file`` or ``bnk_edition`` in conf.py)."""
    import re

    from bnk.data.catalogue import edition_path

    conf = (report / "conf.py").read_text(encoding="utf-8")
    own = re.search(r"^bnk_catalogue_file\s*=\s*[\"']([^\"']+)[\"']", conf, re.M)
    if own:
        return report / own[1]
    edition = re.search(r"^bnk_edition\s*=\s*[\"']([^\"']+)[\"']", conf, re.M)
    return edition_path(edition[1] if edition else "2021")


PAGE_SKIP = {"_build", "build", ".venv", "venv", "node_modules", "katalog", "data", "anleitung", "tests", "_ext"}


def cmd_move(args: argparse.Namespace) -> int:
    import re

    from bnk.data.catalogue import code_key
    from bnk.data.renumber import renumber_page
    from bnk.scaffold import CATALOGUE_FOLDER

    report = Path(args.bericht)
    if not (report / "conf.py").is_file():
        raise CliError(f"{report} ist kein Berichtsordner (conf.py fehlt); bitte --bericht ORDNER angeben.")
    target = Path(args.nach) if args.nach.endswith(".toml") else report / CATALOGUE_FOLDER / f"{args.nach}.toml"
    old_path = Path(args.von) if args.von else _report_catalogue(report)
    catalogues = []
    for path in (old_path, target):
        catalogue, _, _ = read_catalogue_source([path], None)
        catalogues.append(catalogue)
    old, new = catalogues
    problems: list[str] = []
    mapping: dict[str, str] = {}
    for where, alt, neu in read_mapping(Path(args.zuordnung)):
        if old.aspect(alt) is None:
            problems.append(f"{where}, Spalte alt: Aspekt {alt!r} gibt es im bisherigen Katalog nicht.")
            continue
        if neu and new.aspect(neu) is None:
            problems.append(f"{where}, Spalte neu: Aspekt {neu!r} gibt es im Katalog {new.edition} nicht.")
            continue
        key = code_key(alt)
        if key in mapping:
            problems.append(f"{where}, Spalte alt: Aspekt {alt} steht zweimal in der Zuordnung.")
            continue
        if neu and new.aspect(neu).code in mapping.values():  # type: ignore[union-attr]
            problems.append(f"{where}, Spalte neu: Aspekt {neu} ist schon einem anderen alten Aspekt zugeordnet.")
            continue
        mapping[key] = new.aspect(neu).code if neu else ""  # type: ignore[union-attr,assignment]
    if problems:
        raise CliError(f"{len(problems)} Problem(e) in der Zuordnung; nichts geändert:\n" + "\n".join(problems))
    titles = {a.key: a.title for a in old.aspects}
    headings = {c.key: c.heading for c in old.chapters}
    pages = sorted(
        p for p in report.rglob("*.md") if p.name != "README.md" and not (PAGE_SKIP & set(p.relative_to(report).parts))
    )
    changes: list[tuple[Path, str]] = []
    moved: list[str] = []
    dropped: list[str] = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        result = renumber_page(text, mapping, titles, headings)
        moved += [f"{o} → {n}" for o, n in result.moved]
        dropped += [f"Aspekt {o} ({page.relative_to(report).as_posix()})" for o in result.dropped]
        if result.text != text:
            changes.append((page, result.text))
    conf = (report / "conf.py").read_text(encoding="utf-8")
    rel = (
        target.resolve().relative_to(report.resolve()).as_posix()
        if target.resolve().is_relative_to(report.resolve())
        else str(target)
    )
    line = f'bnk_catalogue_file = "{rel}"'
    if re.search(r"^bnk_catalogue_file\s*=.*$", conf, re.M):
        conf = re.sub(r"^bnk_catalogue_file\s*=.*$", line, conf, count=1, flags=re.M)
    else:
        conf = conf.rstrip("\n") + f"\n\n# Katalog nach „bnk katalog umstellen“\n{line}\n"
    for page, text in [*changes, (report / "conf.py", conf)]:
        write_text_safely(report, page.resolve().relative_to(report.resolve()).as_posix(), text, True)
    placed = {code_key(n.split(" → ")[1]) for n in moved}
    missing = [a.code for a in new.aspects if a.key not in placed]
    say(f"Umgestellt auf {new.title}: {len(moved)} Aspekte umnummeriert, {len(changes)} Seiten geändert.")
    if dropped:
        say(f"Ohne Entsprechung (als Abschnitt „Nicht mehr im Katalog“ behalten): {', '.join(dropped)}")
    say(f"Neu im Katalog, noch offen: {', '.join(missing) or '–'}")
    return 0
