"""``bnk jahr 2024``: a new report year in one step.

It sets ``bnk_report_year`` in ``conf.py``; everything else that names the year (title, period,
PDF file name, copyright, the start page via ``{{berichtsjahr}}``) is computed from it there. It
then lists each indicator without a value for the new year, and any line of ``conf.py`` that still
names the old year literally (the place to check by hand)."""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

from bnk.commands import CliError, add_path_argument, say

NAME = "bnk_report_year"


def year_assignment(text: str, conf: Path) -> ast.Constant:
    """The one literal ``bnk_report_year = JJJJ`` of ``conf.py``, found by Python's own parser
    (so a docstring or comment that looks like one does not count).

    :raises CliError: a syntax error, no assignment, several (with their lines), or no literal year
    """
    try:
        tree = ast.parse(text, filename=str(conf))
    except SyntaxError as exc:
        raise CliError(f"{conf}:{exc.lineno}: conf.py ist kein gültiges Python ({exc.msg}); nichts geändert.") from None
    found = []
    for node in ast.walk(tree):
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, (ast.AnnAssign, ast.AugAssign))
            else []
        )
        if any(isinstance(t, ast.Name) and t.id == NAME for t in targets):
            found.append(node)
    if not found:
        raise CliError(f"In {conf} steht keine Zeile „{NAME} = JJJJ“.")
    if len(found) > 1:
        lines = ", ".join(str(n.lineno) for n in sorted(found, key=lambda n: n.lineno))
        raise CliError(
            f"{conf}: {NAME} wird mehrfach gesetzt (Zeilen {lines}); welche gilt, ist nicht eindeutig. "
            "Bitte nur eine Zuweisung stehen lassen – nichts geändert."
        )
    value = found[0].value
    if not isinstance(value, ast.Constant) or type(value.value) is not int or value.end_lineno != value.lineno:
        raise CliError(
            f"{conf}:{found[0].lineno}: {NAME} ist keine feste Jahreszahl (z. B. {NAME} = 2024); "
            "bitte von Hand ändern – nichts geändert."
        )
    return value


def set_report_year(conf: Path, year: int, root: Path | None = None) -> tuple[int, list[tuple[int, str]]]:
    """Rewrite the report year in ``conf.py`` (through the safe writer: line ends, encoding and
    every other byte stay as they were).

    :returns: the old year and the lines (number, text) that still name it literally
    """
    from bnk.data import BnkDataError
    from bnk.data.writer import read_author_text, write_author_text

    try:
        text, fmt = read_author_text(conf)
    except BnkDataError as exc:
        raise CliError(exc.msg) from None
    node = year_assignment(text, conf)
    old = int(node.value)
    lines = re.split(r"(?<=\n)", text)
    line = lines[node.lineno - 1]
    # ast counts columns in UTF-8 bytes
    start = len(line.encode("utf-8")[: node.col_offset].decode("utf-8"))
    end = len(line.encode("utf-8")[: node.end_col_offset].decode("utf-8"))
    lines[node.lineno - 1] = line[:start] + str(year) + line[end:]
    new_text = "".join(lines)
    try:
        write_author_text(root or conf.parent, conf, new_text, fmt)
    except BnkDataError as exc:
        raise CliError(exc.msg) from None
    stale = [
        (number, line.strip())
        for number, line in enumerate(new_text.splitlines(), start=1)
        if re.search(rf"(?<!\d){old}(?!\d)", line) and not line.lstrip().startswith("#")
    ]
    return old, stale


def year_argument(text: str) -> int:
    """argparse type: a year in ASCII digits (``int()`` would also take ``٢٠٢٤``)."""
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"„{text}“ ist keine Jahreszahl aus vier Ziffern (z. B. 2024)")
    return int(text)


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
    old, stale = set_report_year(conf, args.year, root)
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
    parser.add_argument("year", type=year_argument, metavar="JAHR", help="das neue Berichtsjahr, z. B. 2024")
    add_path_argument(parser)
    parser.set_defaults(func=cmd_year)
