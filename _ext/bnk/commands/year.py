"""``bnk jahr 2024``: a new report year in one step.

It sets ``bnk_report_year`` in ``conf.py``; everything else that names the year (title, period,
PDF file name, copyright, the start page via ``{{berichtsjahr}}``) is computed from it there. It
then lists each indicator without a value for the new year, and any line of ``conf.py`` that still
names the old year literally (the place to check by hand)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from bnk.commands import CliError, add_path_argument, say

YEAR_LINE = re.compile(r"^(bnk_report_year\s*=\s*)(\d{4})\b", re.MULTILINE)


def set_report_year(conf: Path, year: int) -> tuple[int, list[tuple[int, str]]]:
    """Rewrite the report year in ``conf.py``.

    :returns: the old year and the lines (number, text) that still name it literally
    """
    text = conf.read_text(encoding="utf-8")
    match = YEAR_LINE.search(text)
    if match is None:
        raise CliError(f"In {conf} steht keine Zeile „bnk_report_year = JJJJ“.")
    old = int(match[2])
    new_text = text[: match.start(2)] + str(year) + text[match.end(2) :]
    conf.write_text(new_text, encoding="utf-8", newline="")
    stale = [
        (number, line.strip())
        for number, line in enumerate(new_text.splitlines(), start=1)
        if re.search(rf"(?<!\d){old}(?!\d)", line) and not line.lstrip().startswith("#")
    ]
    return old, stale


def indicators_without(root: Path, year: int) -> tuple[list[str], int]:
    """(German lines for the indicators that have no value for ``year``, number of indicators)."""
    from bnk.data import BnkDataError
    from bnk.data.csvdata import load_indicator_csv

    lines = []
    paths = sorted((root / "data").glob("*.csv"))
    for path in paths:
        try:
            own = load_indicator_csv(path).headline
        except BnkDataError as exc:
            lines.append(f"  {path.stem}: Daten fehlerhaft ({exc.msg}) – bitte „bnk check“")
            continue
        if year not in own.years:
            last = max(own.years) if own.years else None
            lines.append(f"  {path.stem}: kein Wert für {year}" + (f" (letzter Wert: {last})" if last else ""))
    return lines, len(paths)


def cmd_year(args: argparse.Namespace) -> int:
    root = Path(args.path).resolve()
    conf = root / "conf.py"
    if not conf.is_file():
        raise CliError(f"Kein Bericht in {root}: conf.py fehlt.")
    if not 1900 <= args.year <= 2199:
        raise CliError(f"{args.year} ist kein plausibles Berichtsjahr.")
    old, stale = set_report_year(conf, args.year)
    print(f"Berichtsjahr: {old} → {args.year} (conf.py). Titel, Zeitraum und PDF-Dateiname folgen daraus.")
    for number, line in stale:
        print(f"  Bitte prüfen: conf.py Zeile {number} nennt noch {old}: {line}")
    missing, total = indicators_without(root, args.year)
    if missing:
        print(f"{len(missing)} von {total} Indikatoren ohne Wert für {args.year}:")
        for line in missing:
            print(line)
    else:
        print(f"Alle {total} Indikatoren haben einen Wert für {args.year}.")
    say("Als Warnung im Bau: bnk_warn_missing_year = True in conf.py.")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``bnk jahr``."""
    parser = sub.add_parser(
        "jahr",
        help="neues Berichtsjahr in einem Schritt setzen und fehlende Werte auflisten",
        description=(
            "Setzt bnk_report_year in conf.py; Titel, Zeitraum, PDF-Dateiname und alle anderen Jahresangaben "
            "leiten sich daraus ab. Listet jeden Indikator ohne Wert für das neue Jahr."
        ),
    )
    parser.add_argument("year", type=int, metavar="JAHR", help="das neue Berichtsjahr, z. B. 2024")
    add_path_argument(parser)
    parser.set_defaults(func=cmd_year)
