"""``bnk import tabelle|genesis|sdg``: bring a department's workbook, a GENESIS flat file or an
SDG-Portal chart into ``data/<id>.csv`` (machine format) with a metadata skeleton."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from bnk.commands import CliError, say

FORMATS = {
    "tabelle": "Excel-Arbeitsmappe (.xlsx) oder CSV aus deutschem Excel, lang (Jahr;Wert) oder breit (Jahre je Spalte)",
    "genesis": "GENESIS-Flatfile (ffcsv als ZIP oder CSV, auch das ältere Format): Regionalstatistik, IT.NRW, Destatis",
    "sdg": "Diagrammdaten des SDG-Portals (JSON mit graphs/points)",
}


def _pairs(values: list[str], option: str) -> dict[str, str]:
    out = {}
    for value in values:
        key, sep, name = value.partition("=")
        if option == "--filter" and not sep:
            raise CliError(f"{option} erwartet MERKMAL=AUSPRÄGUNG, z. B. GES=GESW (gefunden: „{value}“).")
        out[key.strip()] = (name or key).strip()
    return out


def cmd_import(args: argparse.Namespace) -> int:
    from bnk.data import BnkDataError
    from bnk.importers import BnkImportError, check_values
    from bnk.importers.output import apply, check_id, make_plan

    source = Path(args.file)
    if not source.is_file():
        raise CliError(f"Datei nicht gefunden: {source}")
    problem = check_id(args.id)
    if problem:
        raise CliError(problem)
    report = Path(args.report)
    if not (report / "conf.py").is_file():
        raise CliError(f"Kein Bericht in {report.resolve()}: conf.py fehlt (Ordner mit --bericht angeben).")
    try:
        retrieved = date.fromisoformat(args.retrieved) if args.retrieved else date.today()
    except ValueError as exc:
        raise CliError(f"--abgerufen erwartet ein Datum wie 2024-05-31 (gefunden: „{args.retrieved}“).") from exc
    try:
        if args.format == "tabelle":
            from bnk.importers.sheets import import_sheet, read_csv, read_xlsx

            grid = read_xlsx(source, args.sheet) if source.suffix.lower() in {".xlsx", ".xlsm"} else read_csv(source)
            imported = import_sheet(grid, str(source), args.row, _pairs(args.compare, "--vergleich"), args.column)
        elif args.format == "genesis":
            from bnk.importers.genesis import import_genesis

            if not args.ags or not args.ags.isdigit():
                raise CliError("Bitte mit --ags den Gemeindeschlüssel der Kommune angeben, z. B. --ags 05370.")
            imported = import_genesis(
                source, args.ags, args.land, args.land_name, args.variable, _pairs(args.filter, "--filter")
            )
        else:
            from bnk.importers.sdgportal import import_sdg_portal

            imported = import_sdg_portal(source, args.average_name)
        check_values(imported, str(source))
    except BnkImportError as exc:
        for line in exc.lines():
            print(line)
        say(f"{len(exc.problems)} Problem(e) in der Eingabe – nichts geschrieben.")
        return 1
    if args.table:
        imported.table = args.table
    overrides = {
        "title": args.title or "",
        "unit": args.unit or "",
        "source": args.source or "",
        "direction": args.direction or "",
        "definition": args.definition or "",
        "sdgs": args.sdgs or "",
    }
    command = f"bnk import {args.format}"
    try:
        plan = make_plan(report, args.id, imported, source.name, retrieved, command, overrides, args.force, source)
    except BnkDataError as exc:
        raise CliError(exc.msg) from None
    for line in plan.changes:
        print(line)
    if plan.blocked:
        return 1
    if args.dry_run:
        say("Probelauf (--probe): nichts geschrieben.")
        return 0
    try:
        apply(plan, report)
    except BnkDataError as exc:
        raise CliError(exc.msg) from None
    say(f"Fertig. Auf einer Seite einbinden mit: ```{{indicator}} {args.id}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``bnk import`` to the parser."""
    parser = sub.add_parser(
        "import",
        help="Daten aus Excel, GENESIS oder dem SDG-Portal als Indikator übernehmen",
        description=(
            "Liest eine Datei, wie Ämter und Statistikportale sie liefern, und schreibt data/<KENNUNG>.csv "
            "im Maschinenformat und ein Gerüst der Metadaten (data/<KENNUNG>.yaml). Zeigt vorher, was sich "
            "ändert; überschreibt nur mit --force; meldet jedes Problem der Eingabe auf einmal mit Zeile und Spalte. "
            "Fehlende Werte und Qualitätszeichen werden Lücken mit Hinweis, nie Nullen."
        ),
    )
    parser.add_argument(
        "format", choices=list(FORMATS), metavar="FORMAT", help="; ".join(f"{k}: {v}" for k, v in FORMATS.items())
    )
    parser.add_argument("file", metavar="DATEI", help="die gelieferte Datei")
    parser.add_argument(
        "--id", required=True, metavar="KENNUNG", help="Kennung des Indikators, z. B. arbeitslosenquote"
    )
    parser.add_argument(
        "--bericht", dest="report", default=".", metavar="ORDNER", help="Ordner des Berichts (Standard: .)"
    )
    parser.add_argument("--force", action="store_true", help="eine vorhandene CSV-Datei überschreiben")
    parser.add_argument("--probe", dest="dry_run", action="store_true", help="nur zeigen, was sich ändern würde")
    group = parser.add_argument_group("Tabellen (xlsx/CSV)")
    group.add_argument(
        "--blatt", dest="sheet", metavar="NAME", help="Tabellenblatt der Arbeitsmappe (Standard: das erste)"
    )
    group.add_argument("--reihe", dest="row", metavar="NAME", help="breit: Zeile mit den Werten der Kommune")
    group.add_argument(
        "--vergleich",
        dest="compare",
        action="append",
        default=[],
        metavar="ZEILE[=NAME]",
        help='breit: Zeile als Vergleichsreihe, z. B. --vergleich "Nordrhein-Westfalen=NRW" (mehrfach möglich)',
    )
    group.add_argument("--spalte", dest="column", metavar="NAME", help="lang: Überschrift der Wertspalte")
    group = parser.add_argument_group("GENESIS")
    group.add_argument("--ags", metavar="SCHLÜSSEL", help="Amtlicher Gemeindeschlüssel der Kommune, z. B. 05370")
    group.add_argument("--land", action="store_true", help="das Land (erste zwei Stellen des AGS) als Vergleichsreihe")
    group.add_argument("--land-name", metavar="NAME", help="Name der Vergleichsreihe des Landes, z. B. NRW")
    group.add_argument("--merkmal", dest="variable", metavar="CODE", help="Wertmerkmal, wenn die Tabelle mehrere hat")
    group.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="MERKMAL=AUSPRÄGUNG",
        help="weitere Merkmale festlegen, z. B. GES=GESW",
    )
    group.add_argument("--tabelle", dest="table", metavar="CODE", help="Tabellencode, falls nicht im Dateinamen")
    group = parser.add_argument_group("SDG-Portal")
    group.add_argument("--durchschnitt-name", dest="average_name", metavar="NAME", help="Name der Durchschnittsreihe")
    group = parser.add_argument_group("Metadaten (sonst aus der Datei oder leer zum Ergänzen)")
    group.add_argument("--titel", dest="title", metavar="TEXT")
    group.add_argument("--definition", metavar="TEXT")
    group.add_argument(
        "--einheit", dest="unit", metavar="EINHEIT", help="z. B. %%, Personen, Euro je Einwohnerin/Einwohner"
    )
    group.add_argument("--quelle", dest="source", metavar="TEXT")
    group.add_argument("--richtung", dest="direction", choices=["higher", "lower", "none"])
    group.add_argument("--sdgs", metavar="LISTE", help="z. B. 8,10")
    group.add_argument("--abgerufen", dest="retrieved", metavar="DATUM", help="Datum des Abrufs (Standard: heute)")
    parser.set_defaults(func=cmd_import)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("bitte „bnk import …“ aufrufen")
