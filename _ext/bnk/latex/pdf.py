"""The typesetting of ``bnk pdf`` (and so ``make pdf``): XeLaTeX via latexmk on the LaTeX sources
Sphinx wrote, and the guard that reads the LaTeX log.

Quiet and fast: the LaTeX log goes to files (``<name>.log`` and ``latexmk.log`` beside the PDF),
the console shows one line per step and at the end the path of the finished PDF. XeLaTeX runs
in batch mode and writes XDV only; ``xdvipdfmx`` makes the PDF once at the end (latexmk ``-pdfxe``).

The guard: content pushed off the page (``Overfull \\vbox``), a float too large for a page and
an indicator unit taller than a page fail the build with a located message (source file of the
page and the PDF page). Exit codes: 0 fine, 1 failed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

LATEXMK = ["latexmk", "-r", "latexmkrc", "-pdfxe", "-interaction=batchmode", "-halt-on-error", "-file-line-error"]
PAGE_RE = re.compile(r"\[(\d+)(?=[\s\]<{])")
OVERFULL_VBOX_RE = re.compile(r"^Overfull \\vbox \(([\d.]+)pt too high\)(.*)$")
UNIT_RE = re.compile(
    r"Package bnkreport Warning: BNK unit too tall \(([\d.]+)pt\)\s*(?:\(bnkreport\)\s*)?on input line (\d+)"
)
FLOAT_RE = re.compile(r"LaTeX Warning: Float too large for page by ([\d.]+)pt on input line (\d+)")
DOC_LABEL_RE = re.compile(r"\\label\{\\detokenize\{([^}]*)::doc\}\}")
AUX_DOC_RE = re.compile(r"\\newlabel\{([^}]*)::doc\}\{\{[^}]*\}\{([^}]*)\}")


@dataclass(frozen=True)
class Problem:
    """One located problem of the PDF build."""

    docname: str | None
    page: str | None
    message: str


def _doc_at_line(tex_lines: list[str], line: int) -> str | None:
    for text in reversed(tex_lines[: max(line, 1)]):
        match = DOC_LABEL_RE.search(text)
        if match:
            return match.group(1)
    return None


def _doc_pages(aux: Path) -> list[tuple[int, str]]:
    """(first page, docname) of every document that starts on an arabic-numbered page."""
    if not aux.exists():
        return []
    result = []
    for docname, page in AUX_DOC_RE.findall(aux.read_text(encoding="utf-8", errors="replace")):
        if page.isdigit():
            result.append((int(page), docname))
    return sorted(result)


def _doc_on_page(pages: list[tuple[int, str]], page: int) -> str | None:
    found = None
    for first, docname in pages:
        if first <= page:
            found = docname
    return found


def check_log(log_path: Path, tex_path: Path) -> list[Problem]:
    """Problems in the LaTeX log that mean content is lost or pushed off the page."""
    log = log_path.read_text(encoding="utf-8", errors="replace")
    # Continuation lines of a package warning start with "(bnkreport)"; TeX does not wrap the log
    # (max_print_line is raised in typeset).
    joined = re.sub(r"\n\(bnkreport\)\s*", " ", log)
    tex_lines = tex_path.read_text(encoding="utf-8").splitlines() if tex_path.exists() else []
    pages = _doc_pages(tex_path.with_suffix(".aux"))
    problems: list[Problem] = []
    shipped = 0
    for line in log.splitlines():
        for match in PAGE_RE.finditer(line):
            shipped = int(match.group(1))
        vbox = OVERFULL_VBOX_RE.match(line)
        if vbox:
            page = shipped + 1
            problems.append(
                Problem(
                    _doc_on_page(pages, page),
                    str(page),
                    f"Inhalt ragt über den unteren Seitenrand hinaus (Overfull \\vbox, {vbox.group(1)} pt zu hoch).",
                )
            )
    for match in UNIT_RE.finditer(joined):
        problems.append(
            Problem(
                _doc_at_line(tex_lines, int(match.group(2))),
                None,
                f"Ein Indikator (Überschrift bis Diagramm) ist höher als eine Seite ({match.group(1)} pt).",
            )
        )
    for match in FLOAT_RE.finditer(log):
        problems.append(
            Problem(
                _doc_at_line(tex_lines, int(match.group(2))),
                None,
                f"Ein Bild ist um {match.group(1)} pt zu groß für die Seite.",
            )
        )
    return problems


BOTTOM_MARGIN = 32 * 72 / 25.4  # pt, as in bnkreport.sty
WORD_RE = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
PAGE_BOX_RE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
FOLIO_RE = re.compile(r"^(\d+|[ivxlc]+)$")


def check_pdf(pdf_path: Path, aux: Path) -> list[Problem]:
    """Text below the type area (other than the page number) or outside the sheet: content that
    LaTeX pushed off the page without an overfull-box message (e.g. a too tall table row)."""
    if shutil.which("pdftotext") is None:
        return []
    result = subprocess.run(["pdftotext", "-bbox", str(pdf_path), "-"], capture_output=True, text=True, check=False)
    pages = _doc_pages(aux)
    problems = []
    for number, (width, height, body) in enumerate(PAGE_BOX_RE.findall(result.stdout), 1):
        w, h = float(width), float(height)
        words = [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in WORD_RE.findall(body)]
        low = [x for x in words if x[1] > h - BOTTOM_MARGIN + 4]
        folios = [x for x in low if FOLIO_RE.match(x[4]) and x[1] > h - BOTTOM_MARGIN + 20]
        outside = [x for x in words if x[0] < 0 or x[1] < 0 or x[2] > w or x[3] > h]
        lost = [x for x in low if x not in folios[-1:]] + outside
        if lost:
            folio = folios[-1][4] if folios else str(number)
            doc = _doc_on_page(pages, int(folio)) if folio.isdigit() else None
            sample = " ".join(x[4] for x in lost[:8])
            problems.append(
                Problem(
                    doc,
                    f"{number}, Seitenzahl {folio}",
                    f"Text unter dem Satzspiegel oder außerhalb des Blatts: „{sample} …“.",
                )
            )
    return problems


def _say(text: str) -> None:
    print(text, flush=True)  # noqa: T201 - the console progress of make pdf


def _latex_error(log_path: Path) -> str:
    if not log_path.exists():
        return ""
    lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    for i, line in enumerate(lines):
        if line.startswith("!") or re.match(r"^[^:\s]+\.(tex|sty|cls):\d+: ", line):
            return "\n".join(lines[i : i + 6])
    return ""


def source_date(srcdir: Path) -> dict[str, str]:
    """The date written into the PDF, so that the same sources give a byte-identical PDF.

    ``SOURCE_DATE_EPOCH`` as given (reproducible-builds.org); otherwise the time of the report's
    last Git commit. Without Git (e.g. a ZIP download) TeX takes the current time.
    """
    if "SOURCE_DATE_EPOCH" in os.environ:
        return {}
    try:
        stamp = subprocess.run(
            ["git", "-C", str(srcdir), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return {}
    return {"SOURCE_DATE_EPOCH": stamp, "FORCE_SOURCE_DATE": "1"} if re.fullmatch(r"[0-9]+", stamp) else {}


def typeset(srcdir: Path, latexdir: Path, documents: list[str]) -> tuple[int, list[Path]]:
    """latexmk/XeLaTeX for the named documents in ``latexdir`` (file names without ``.tex``),
    then the guard; (exit code, PDFs)."""
    texfiles = [latexdir / f"{name}.tex" for name in documents if (latexdir / f"{name}.tex").is_file()]
    if not (latexdir / "latexmkrc").exists():
        texfiles = []
    if not texfiles:
        _say(f"PDF: kein LaTeX-Dokument in {latexdir}.")
        return 1, []
    if shutil.which("latexmk") is None:
        _say("PDF: latexmk fehlt (tools/ensure-deps pdf installiert TeX Live).")
        return 1, []
    code = 0
    result: list[Path] = []
    for tex in texfiles:
        name = tex.stem
        log_file = latexdir / "latexmk.log"
        _say(f"Setze mit XeLaTeX (Protokoll: {latexdir / (name + '.log')}) …")
        passes = 0
        with log_file.open("w", encoding="utf-8") as out:
            proc = subprocess.Popen(
                [*LATEXMK, tex.name],
                cwd=latexdir,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                text=True,
                errors="replace",
                env=os.environ
                | source_date(srcdir)
                | {"max_print_line": "100000", "error_line": "254", "half_error_line": "238"},
            )
            assert proc.stdout is not None
            for line in proc.stdout:
                out.write(line)
                if line.startswith("Running 'xelatex"):
                    passes += 1
                    _say(f"  XeLaTeX-Durchlauf {passes} …")
                elif line.startswith("Running 'xdvipdfmx"):
                    _say("  PDF schreiben (xdvipdfmx) …")
            proc.wait()
        if proc.returncode != 0:
            _say(f"PDF: XeLaTeX meldet einen Fehler (Protokoll: {latexdir / (name + '.log')}):")
            _say(_latex_error(latexdir / f"{name}.log"))
            code = 1
            continue
        _say("Prüfe auf abgeschnittene Inhalte …")
        problems = check_log(latexdir / f"{name}.log", tex) + check_pdf(
            latexdir / f"{name}.pdf", tex.with_suffix(".aux")
        )
        for problem in problems:
            where = f"{srcdir / problem.docname}.md" if problem.docname else str(tex)
            page = f" (PDF-Seite {problem.page})" if problem.page else ""
            print(f"{where}{page}: WARNING: {problem.message} [bnk.pdf]", file=sys.stderr)  # noqa: T201
        if problems:
            _say(f"PDF: {len(problems)} Stelle(n) mit abgeschnittenem Inhalt; das PDF gilt als fehlerhaft.")
            code = 1
            continue
        result.append(latexdir / f"{name}.pdf")
    return code, result
