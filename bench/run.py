"""make bench: measure the build on the real report and on synthetic reports, in one run.

Prints one table and writes BENCHMARKS.md. Every number is a ratio or a per-indicator value
measured here, in this run, on this machine (see the machine line in the output).
"""

from __future__ import annotations

import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCES = ["conf.py", "kriterien", "handlungsfelder", "data", "bilder"]
RSS_WRAPPER = (
    "import resource, sys\n"
    "from sphinx.cmd.build import main as build_main\n"
    "code = build_main(sys.argv[1:])\n"
    "own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print('PEAK_RSS_KB', max(own, kids), file=sys.stderr)\n"
    "sys.exit(code)\n"
)


NOTES = [
    "",
    "Hinweise:",
    "",
    "- Die Zeiten schwanken auf dieser virtuellen Maschine zwischen Läufen um etwa ±10 %.",
    "- Nach der CSV-Änderung liest Sphinx eine Seite neu und schreibt drei: die geänderte Seite, die",
    "  Startseite (ihr Inhaltsverzeichnis enthält die Seite) und die Liste der Abweichungen (eine",
    "  berechnete Abweichungsnotiz nennt den geänderten Wert); BNK-Index, SDG-Index und Verzeichnis",
    "  der Indikatoren bleiben unberührt. Jede geschriebene Seite kostet vor allem die Navigation",
    "  (das PyData-Theme baut den Inhaltsbaum für jede Seite) und den Suchindex; ob das Ziel",
    "  erreicht ist, steht in der Tabelle.",
    "- `bnk check` liest die Seiten mit einem Prozess je Kern (höchstens vier) und überspringt die",
    "  letzte Speicherbereinigung von Python beim Beenden; die CPU-Zeit aller Prozesse steht zur",
    "  Information daneben.",
    "- Volle Bauten zeichnen die Diagramme in einem Prozesspool auf allen Kernen, während Sphinx die",
    "  Seiten schreibt; Diagramme, deren Datei (Name = Inhalts-Hash) schon existiert, werden nie neu",
    "  gezeichnet.",
    "- Der PDF-Bau ist `make pdf` (bnk pdf): LaTeX-Quelltext, zwei XeLaTeX-Durchläufe",
    "  ohne PDF-Ausgabe (latexmk -pdfxe, Stapelmodus), einmal xdvipdfmx, dann die Prüfung auf",
    "  abgeschnittene Inhalte (Protokoll und pdftotext -bbox). Kein Stichwortverzeichnis, also kein",
    "  xindy-Lauf. Seitenverweise haben eine feste Breite und die PDF-Seitenbezeichnungen entstehen im",
    "  selben Durchlauf, deshalb genügen zwei Durchläufe.",
    "- Die Last der Maschine (andere Prozesse) steht in der Zeile „Maschine“; sie verschiebt beide Zeiten.",
]


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def copy_report(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in SOURCES:
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, target / name)
    for page in REPO.glob("*.md"):
        if page.name not in ("README.md", "BENCHMARKS.md"):
            shutil.copy2(page, target / page.name)
    return target


def sphinx(args: list[str], cwd: Path | None = None) -> tuple[float, str, int]:
    """Run a Sphinx build; return seconds, its output and its peak RSS in KiB."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", RSS_WRAPPER, *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"Bau fehlgeschlagen: {' '.join(args)}\n{result.stderr[-3000:]}")
    rss = int(re.search(r"PEAK_RSS_KB (\d+)", result.stderr).group(1))
    return seconds, result.stdout + result.stderr, rss


def median_cold(args_for: callable, repeat: int = 3) -> tuple[float, int]:
    """Median time (and the largest peak RSS) of ``repeat`` cold builds into fresh folders."""
    times, peak = [], 0
    for i in range(repeat):
        seconds, _, rss = sphinx(args_for(i))
        times.append(seconds)
        peak = max(peak, rss)
    return sorted(times)[len(times) // 2], peak


def charts_in(folder: Path) -> set[str]:
    return {p.name for p in folder.glob("bnk-chart-*")} if folder.exists() else set()


def synthetic_report(target: Path, n: int) -> Path:
    """A report with every aspect and ``n`` indicators spread over the 18 chapters."""
    from bnk.data.catalogue import edition_path, load_catalogue
    from bnk.scaffold import create_report

    create_report(target, "Beispielstadt", "2021", 2023, package="bnk-bericht")
    catalogue = load_catalogue(str(edition_path("2021")))
    rng = random.Random(n)
    data = target / "data"
    pages = sorted((target / "kriterien").glob("*.md")) + sorted((target / "handlungsfelder").glob("*.md"))
    per_page: dict[int, list[str]] = {c.number: [] for c in catalogue.chapters}
    for i in range(n):
        chapter = catalogue.chapters[i % len(catalogue.chapters)].number
        ident = f"indikator-{i:04d}"
        per_page[chapter].append(ident)
        base = rng.uniform(10, 1000)
        rows = "".join(
            f"{year},{base * (1 + 0.03 * (year - 2014) + rng.uniform(-0.05, 0.05)):.1f}\n" for year in range(2014, 2024)
        )
        (data / f"{ident}.csv").write_text("year,value\n" + rows, encoding="utf-8")
        (data / f"{ident}.yaml").write_text(
            f"title: Indikator {i}\ndefinition: Synthetischer Indikator {i}\nunit: Anzahl\nsource: Benchmark\n"
            "indicator_set: eigene\ndirection: higher\ntargets:\n  - {direction: higher}\n",
            encoding="utf-8",
        )
    for page in pages:
        number = int(page.name[:2])
        chapter = catalogue.chapter(number)
        lines = [f"# {{bnk-heading}}`{number:02d}`", ""]
        if not chapter.aspects:
            lines += ["```{bnk-chapter-omitted}", "Im Benchmark nicht berichtet.", "```", ""]
        for aspect in chapter.aspects:
            lines += [f"```{{bnk-aspect}} {aspect.number}", "Synthetischer Text für den Benchmark.", "```", ""]
        lines += ["## Indikatoren", ""]
        for ident in per_page[number]:
            lines += [f"```{{indicator}} {ident}", "Aussage.", "```", ""]
        page.write_text("\n".join(lines), encoding="utf-8")
    return target


def cold_pdf(src: Path, out: Path) -> tuple[float, bool]:
    """A cold PDF build the way ``make pdf`` runs it: (wall seconds, succeeded)."""
    say("Kalter PDF-Bau (wie make pdf) …")
    start = time.perf_counter()
    built = subprocess.run(
        [sys.executable, "-m", "bnk", "pdf", str(src), "--ausgabe", str(out)], capture_output=True, check=False
    )
    return time.perf_counter() - start, built.returncode == 0


def cold_pdfua(src: Path, out: Path) -> tuple[float, bool, dict[str, str]]:
    """A cold build of the accessible PDF (``bnk pdf-barrierefrei``): (wall seconds, succeeded,
    the steps its progress lines report: ``pages``, ``typeset`` and ``write`` seconds)."""
    say("Kalter Bau des barrierefreien PDFs (bnk pdf-barrierefrei) …")
    start = time.perf_counter()
    built = subprocess.run(
        [sys.executable, "-m", "bnk", "pdf-barrierefrei", str(src), "--ausgabe", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    output = built.stdout + built.stderr
    steps = {}
    if match := re.search(r"(\d+) Seiten gesetzt \(([\d,]+) s\); schreibe", output):
        steps["pages"], steps["typeset"] = match[1], match[2]
    if match := re.search(r"Barrierefreies PDF: geschrieben \(([\d,]+) s\)", output):
        steps["write"] = match[1]
    return seconds, built.returncode == 0, steps


def bench_check(src: Path, repeat: int = 3) -> list[tuple[str, str, str, str]]:
    """``bnk check`` (the build's read phase) on the real report: cold, median of ``repeat``.

    Cold = without the check's doctrees (``_build/bnk-check``); the process is started anew each
    time, so imports count. Wall time and CPU time (user + system of the check process) are both
    shown: on a shared machine the wall time also measures the other processes.
    """
    say("bnk check (kalt) …")
    walls, cpus = [], []
    for _ in range(repeat):
        shutil.rmtree(src / "_build" / "bnk-check", ignore_errors=True)
        before = os.times()
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "bnk", "check", str(src)], capture_output=True, check=False)
        walls.append(time.perf_counter() - start)
        after = os.times()
        cpus.append((after.children_user - before.children_user) + (after.children_system - before.children_system))
        if result.returncode not in (0, 1) or "Traceback" in result.stderr.decode("utf-8", "replace"):
            say(result.stderr.decode("utf-8", "replace"))
    wall, cpu = sorted(walls)[len(walls) // 2], sorted(cpus)[len(cpus) // 2]
    return [
        (
            "bnk check kalt (Heinsberg, Median aus 3), Wanduhr",
            f"{de(wall)} s",
            "≤ 2 s",
            "erfüllt" if wall <= 2 else "verfehlt",
        ),
        # For information: the read phase uses every core (at most four), so CPU time can exceed
        # the wall time; the goal is what the author waits for.
        ("bnk check kalt, CPU-Zeit aller Prozesse", f"{de(cpu)} s", "–", "–"),
    ]


def machine() -> str:
    cpu = "unbekannt"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import sphinx

    return (
        f"{os.cpu_count()} Kerne ({cpu}), {mem:.0f} GiB RAM, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, Sphinx {sphinx.__version__}"
    )


def de(value: float, digits: int = 2) -> str:
    """German number format with ``digits`` decimals (Babel, as the report itself)."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale="de_DE")


def main() -> int:
    rows: list[tuple[str, str, str, str]] = []  # measurement, value, goal, verdict
    tmp = Path(tempfile.mkdtemp(prefix="bnk-bench-"))
    try:
        src = copy_report(tmp / "report")
        say("Kalter HTML-Bau des Heinsberg-Berichts …")
        cold, _, _ = sphinx(["-b", "html", "-q", str(src), str(tmp / "html")])
        say("Kalter HTML-Bau ohne Diagramme …")
        nochart, _, _ = sphinx(["-b", "html", "-q", "-D", "bnk_charts=0", str(src), str(tmp / "html-nochart")])
        ratio = cold / nochart
        export = json.loads((tmp / "html" / "bnk-report.json").read_text(encoding="utf-8"))
        count = len(export["indicators"])
        rows.append((f"Kalter HTML-Bau (Heinsberg, {count} Indikatoren)", f"{de(cold)} s", "–", "–"))
        rows.append(
            (
                "… ohne Diagramme (Verhältnis mit/ohne)",
                f"{de(nochart)} s ({de(ratio)}×)",
                "≤ 1,50×",
                "erfüllt" if ratio <= 1.5 else f"verfehlt um {de((ratio - 1.5) * 100, 0)} Prozentpunkte",
            )
        )
        say("Leerer Neubau (nichts geändert), dreimal …")
        noops = sorted(sphinx(["-b", "html", str(src), str(tmp / "html")])[0] for _ in range(3))
        noop = noops[1]
        rows.append(("Neubau ohne Änderung (Median aus 3)", f"{de(noop)} s", "–", "–"))
        say("Neubau nach Änderung einer CSV-Datei, dreimal …")
        csv = src / "data/strom-windkraft.csv"
        edits, pages_seen, drawn_seen = [], set(), set()
        for value in (356, 357, 358):
            before = charts_in(tmp / "html/_images")
            text = re.sub(r"2018,\d+", f"2018,{value}", csv.read_text(encoding="utf-8"))
            csv.write_text(text, encoding="utf-8")
            seconds, output, _ = sphinx(["-b", "html", str(src), str(tmp / "html")])
            edits.append(seconds)
            reread = re.search(r"(\d+) added, (\d+) changed, (\d+) removed", output)
            pages_seen.add(int(reread.group(1)) + int(reread.group(2)) if reread else -1)
            drawn_seen.add(len(charts_in(tmp / "html/_images") - before))
            # Settle: a no-op build in between, as an author would see it.
            sphinx(["-b", "html", str(src), str(tmp / "html")])
        edit = sorted(edits)[1]
        pages = max(pages_seen)
        drawn = max(drawn_seen)
        edit_ratio = edit / noop
        rows.append(
            (
                "Neubau nach 1 CSV-Änderung: Seiten neu gelesen",
                str(pages),
                "1",
                "erfüllt" if pages_seen == {1} else "verfehlt",
            )
        )
        rows.append(("… Diagramme neu gezeichnet", str(drawn), "1", "erfüllt" if drawn_seen == {1} else "verfehlt"))
        rows.append(
            (
                "… Zeit (Median aus 3) im Verhältnis zum leeren Neubau",
                f"{de(edit)} s ({de(edit_ratio)}×)",
                "≤ 1,30×",
                "erfüllt" if edit_ratio <= 1.3 else f"verfehlt um {de((edit_ratio - 1.3) * 100, 0)} Prozentpunkte",
            )
        )
        if shutil.which("latexmk") and shutil.which("xelatex"):
            pdf, built = cold_pdf(src, tmp / "pdf")
            ratio = pdf / cold
            rows.append(
                (
                    "Kalter PDF-Bau wie `make pdf` (Verhältnis zu kaltem HTML)",
                    f"{de(pdf)} s ({de(ratio)}×)" if built else "fehlgeschlagen",
                    "≤ 3,00×",
                    "erfüllt" if built and ratio <= 3 else "verfehlt",
                )
            )
        else:
            rows.append(("Kalter PDF-Bau", "übersprungen (TeX Live fehlt)", "–", "–"))
        rows += bench_check(src)

        say("Synthetischer Bericht ohne Indikatoren (Grundkosten) …")
        base_report = synthetic_report(tmp / "syn-0", 0)
        base, _ = median_cold(lambda i: ["-b", "html", "-q", str(base_report), str(tmp / f"syn-0-html-{i}")])
        rows.append(("Synthetisch N = 0 (alle Aspekte, keine Indikatoren)", f"{de(base)} s", "–", "–"))
        per: dict[int, float] = {}
        for n in (100, 300, 1000):
            say(f"Synthetischer Bericht mit {n} Indikatoren …")
            syn = synthetic_report(tmp / f"syn-{n}", n)
            seconds, rss = median_cold(
                lambda i, syn=syn, n=n: ["-b", "html", "-q", str(syn), str(tmp / f"syn-{n}-html-{i}")]
            )
            # Time per indicator: what the indicators add to the same report without indicators.
            per[n] = (seconds - base) / n
            rows.append(
                (f"Synthetisch N = {n}: Bauzeit {de(seconds)} s, je Indikator", f"{de(per[n] * 1000, 1)} ms", "–", "–")
            )
            if n == 1000:
                rows.append(
                    (
                        f"Synthetisch N = {n}: Spitzen-RSS",
                        f"{de(rss / 1024, 0)} MiB",
                        "< 1.024 MiB",
                        "erfüllt" if rss < 1024 * 1024 else "verfehlt",
                    )
                )
        spread = max(per.values()) / min(per.values()) - 1
        rows.append(
            (
                "Zeit je Indikator, Spannweite 100 → 1000",
                f"{de(spread * 100, 1)} %",
                "≤ 20 %",
                "erfüllt" if spread <= 0.2 else f"verfehlt um {de((spread - 0.2) * 100, 1)} Prozentpunkte",
            )
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    header = ("Messung", "Ergebnis", "Ziel", "Bewertung")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    table = "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False))
        for r in [header, tuple("-" * w for w in widths), *rows]
    )
    print(table)
    md = [
        "# Benchmarks",
        "",
        "Gemessen mit `make bench` (bench/run.py) in einem Lauf; Zeiten sind Wanduhrzeiten einzelner",
        "Sphinx-Läufe, die Ziele werden als Verhältnisse innerhalb dieses Laufs bewertet.",
        "Die synthetischen Berichte werden je dreimal kalt gebaut; gezeigt ist der Median.",
        "„Zeit je Indikator“ ist, was die Indikatoren zur Bauzeit desselben synthetischen Berichts ohne",
        "Indikatoren hinzufügen: (T(N) − T(0)) / N – so zeigt die Spannweite, ob die Kosten je",
        "Indikator mit N wachsen, statt die festen Startkosten von Sphinx auf N zu verteilen.",
        "",
        f"Maschine: {machine()}; Last (1/5/15 min) am Ende: {'; '.join(de(x, 1) for x in os.getloadavg())}",
        "",
        "| " + " | ".join(header) + " |",
        "|---|---|---|---|",
        *("| " + " | ".join(r) + " |" for r in rows),
        *NOTES,
        "",
    ]
    # The sections of --pdf and --tests (own runs) stay below this one.
    old = (REPO / "BENCHMARKS.md").read_text(encoding="utf-8") if (REPO / "BENCHMARKS.md").exists() else ""
    kept = old[old.index("\n## ") :] if "\n## " in old else ""
    (REPO / "BENCHMARKS.md").write_text("\n".join(md).rstrip() + "\n" + kept, encoding="utf-8")
    say("Ergebnisse in BENCHMARKS.md geschrieben.")
    return 0


PDF_SECTION = "## Druckfassung gegen HTML (`make bench-pdf`)"


def main_pdf() -> int:
    """``make bench-pdf``: cold HTML against cold ``make pdf``, and the accessible PDF against ``make pdf``, in
    one run, into its own section."""
    tmp = Path(tempfile.mkdtemp(prefix="bnk-bench-pdf-"))
    try:
        src = copy_report(tmp / "src")
        say("Kalter HTML-Bau …")
        cold, _, _ = sphinx(["-b", "html", "-q", str(src), str(tmp / "html")])
        pdf, built = cold_pdf(src, tmp / "pdf")
        passes = (tmp / "pdf/latex/latexmk.log").read_text(encoding="utf-8").count("Running 'xelatex")
        pdfua, pdfua_built, steps = cold_pdfua(src, tmp / "pdfua")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    ratio = pdf / cold
    verdict = "erfüllt" if built and ratio <= 3 else "verfehlt"
    # The accessible PDF against make pdf (issue: at most 3 × make pdf).
    ua_ratio = pdfua / pdf
    ua_verdict = "erfüllt" if pdfua_built and ua_ratio <= 3 else "verfehlt"
    load = "; ".join(de(x, 1) for x in os.getloadavg())
    lines = [
        PDF_SECTION,
        "",
        f"Maschine: {machine()}; Last (1/5/15 min) am Ende: {load}",
        "",
        "| Messung | Ergebnis | Ziel | Bewertung |",
        "|---|---|---|---|",
        f"| Kalter HTML-Bau (Heinsberg) | {de(cold)} s | – | – |",
        f"| Kalter PDF-Bau wie `make pdf`, {passes} XeLaTeX-Durchläufe | {de(pdf)} s ({de(ratio)}×) | ≤ 3,00× | {verdict} |",
        f"| Kaltes barrierefreies PDF (`bnk pdf-barrierefrei`) | {de(pdfua)} s ({de(ua_ratio)}× `make pdf`) "
        f"| ≤ 3,00× `make pdf` | {ua_verdict} |",
        f"| … davon WeasyPrint: {steps.get('pages', '?')} Seiten setzen | {steps.get('typeset', '?')} s | – | – |",
        f"| … davon WeasyPrint: PDF mit Strukturbaum schreiben | {steps.get('write', '?')} s | – | – |",
        "",
        "Das barrierefreie PDF: Den Rest der Zeit brauchen Sphinx (Lesen, eine HTML-Datei), die Diagramme und",
        "pikepdf (Strukturbaum verbinden, Linkbeschreibungen). Ein Profil (cProfile) des Setzens zeigte, wo",
        "WeasyPrint die Zeit ließ: zwei Drittel in der automatischen Tabellenbreite (`auto_table_layout` →",
        "Mindestbreite jeder Zelle, je Trennstelle ein Pango-Layout). Seit die Tabellen die Spaltenbreiten",
        "der Druckfassung mitbringen (`table-layout: fixed`) und die Karten von sphinx-design einfache Blöcke",
        "sind, fällt das weg. Die Last der Maschine verschiebt beide Zeiten; bewertet wird das Verhältnis.",
        "",
    ]
    write_section(PDF_SECTION, lines)
    return 0 if verdict == ua_verdict == "erfüllt" else 1


def write_section(title: str, lines: list[str]) -> None:
    """Print ``lines`` and put them into BENCHMARKS.md as the section ``title`` (replacing it).

    A section ends at the next heading of the same level, so the sections of ``--pdf`` and
    ``--tests`` keep each other."""
    print("\n".join(lines))
    target = REPO / "BENCHMARKS.md"
    text = target.read_text(encoding="utf-8") if target.exists() else "# Benchmarks\n"
    if title in text:
        start = text.index(title)
        following = text.find("\n## ", start + len(title))
        text = text[:start].rstrip() + ("\n\n" + text[following + 1 :] if following != -1 else "\n")
    target.write_text(text.rstrip() + "\n\n" + "\n".join(lines), encoding="utf-8")


TESTS_SECTION = "## Testschichten (`make bench-tests`)"
# (make target, goal in seconds): the fast layer without TeX and browser, and the whole suite.
TEST_LAYERS = (("test-schnell", 60), ("test", 600))


def main_tests(only: list[str] | None = None) -> int:
    """``make bench-tests``: wall time of ``make test-schnell`` and ``make test`` in this checkout
    (``--tests test-schnell`` measures only the fast layer)."""
    rows, ok = [], True
    for target, goal in TEST_LAYERS:
        if only and target not in only:
            continue
        say(f"make {target} …")
        start = time.perf_counter()
        result = subprocess.run(["make", target], cwd=REPO, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        summary = next(
            (line.strip("= ") for line in reversed(result.stdout.splitlines()) if " passed" in line), "kein Ergebnis"
        )
        met = result.returncode == 0 and seconds <= goal
        ok = ok and met
        verdict = "erfüllt" if met else ("verfehlt" if result.returncode == 0 else "Tests fehlgeschlagen")
        rows.append(f"| `make {target}` ({summary}) | {de(seconds, 0)} s | ≤ {goal} s | {verdict} |")
    load = "; ".join(de(x, 1) for x in os.getloadavg())
    write_section(
        TESTS_SECTION,
        [
            TESTS_SECTION,
            "",
            f"Maschine: {machine()}; Last (1/5/15 min) am Ende: {load}",
            "",
            "| Messung | Ergebnis | Ziel | Bewertung |",
            "|---|---|---|---|",
            *rows,
            "",
        ],
    )
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--pdf"]:
        sys.exit(main_pdf())
    sys.exit(main_tests(sys.argv[2:]) if sys.argv[1:2] == ["--tests"] else main())
