"""``bnk pdf --druckerei``: the print edition as a file for a print shop (PDF/X-3).

The LaTeX build sets the sheet 3 mm larger than A4 on every side (``bnk_print_shop``; what runs
to the edge of the page – the cover's colour block, the dividers' bars – runs on into the bleed).
Then Ghostscript converts the PDF to CMYK with an output intent (PDF/X-3, the CMYK profile of a
Debian package, see :data:`PROFILES`), fonts embedded; last, pikepdf sets every page's TrimBox
(the A4 page) and BleedBox (the sheet). :func:`check_print_shop_pdf` reads the result back.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bnk.latex.package import BLEED_MM, TEMPLATES

MM = 72 / 25.4  # PDF points per millimetre


@dataclass(frozen=True)
class Profile:
    """A CMYK output profile: where Debian installs it and how PDF/X names its condition."""

    path: str
    identifier: str  # OutputConditionIdentifier (a characterisation in the ICC registry)
    condition: str  # OutputCondition, in words
    package: str  # the Debian package that ships it


# The CMYK profiles a Debian machine has (in order of preference). Debian's main archive ships no
# FOGRA39 (ISO Coated v2) profile; Ghostscript's own default CMYK profile (package libgs-common,
# installed with ghostscript) characterises US web offset printing (SWOP, CGATS TR 001).
PROFILES = (
    Profile(
        "/usr/share/color/icc/ghostscript/default_cmyk.icc",
        "CGATS TR 001",
        "Offsetdruck, gestrichenes Papier (SWOP, CGATS TR 001)",
        "ghostscript",
    ),
)


class PrintShopError(Exception):
    """The print-shop file could not be made (the message is German, for the author)."""


def find_profile() -> Profile | None:
    """The first CMYK profile of :data:`PROFILES` that is installed."""
    return next((p for p in PROFILES if Path(p.path).is_file()), None)


def _ps_string(text: str) -> str:
    """Text for a PostScript string literal: backslashes and parentheses escaped, ASCII only."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return escaped.encode("ascii", "backslashreplace").decode("ascii")


def _hex_utf16(text: str) -> str:
    """A PDF text string as a hex string (UTF-16BE with byte order mark): any text, no escaping."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def pdfx_prefix(title: str, profile: Profile) -> str:
    """The PostScript prefix with the document info and the output intent (PDF/X-3)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        undefined=StrictUndefined,
        autoescape=False,  # PostScript, not HTML: every value is escaped above
        keep_trailing_newline=True,
    )
    return env.get_template("pdfx_def.ps.jinja").render(
        title_hex=_hex_utf16(title),
        profile_path=_ps_string(profile.path),
        identifier=_ps_string(profile.identifier),
        condition=_ps_string(profile.condition),
        info=_ps_string(Path(profile.path).name),
    )


def to_pdfx(source: Path, target: Path, title: str, profile: Profile) -> None:
    """Ghostscript: ``source`` (RGB, with bleed) → ``target`` (CMYK, output intent, PDF/X-3).

    :raises PrintShopError: Ghostscript is missing or fails
    """
    gs = shutil.which("gs")
    if gs is None:
        raise PrintShopError("Ghostscript fehlt (Programm gs); tools/ensure-deps pdf installiert es.")
    prefix = target.with_suffix(".pdfx.ps")
    prefix.write_text(pdfx_prefix(title, profile), encoding="ascii")
    command = [
        gs,
        "-q",
        "-dBATCH",
        "-dNOPAUSE",
        "-dSAFER",
        f"--permit-file-read={profile.path}",
        "-sDEVICE=pdfwrite",
        "-dPDFX",
        "-dPDFSETTINGS=/prepress",
        "-dEmbedAllFonts=true",
        "-sColorConversionStrategy=CMYK",
        "-sProcessColorModel=DeviceCMYK",
        f"-sOutputICCProfile={profile.path}",
        f"-sOutputFile={target}",
        str(prefix),
        str(source),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False, errors="replace")
    prefix.unlink(missing_ok=True)
    if result.returncode != 0 or not target.is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise PrintShopError("Ghostscript konnte das PDF/X nicht schreiben: " + " ".join(detail))


def set_boxes(pdf: Path, bleed_mm: float = BLEED_MM) -> None:
    """Every page: BleedBox = the sheet (MediaBox), TrimBox = the A4 page inside the bleed."""
    import pikepdf

    bleed = bleed_mm * MM
    with pikepdf.open(pdf, allow_overwriting_input=True) as doc:
        for page in doc.pages:
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            page.obj.BleedBox = pikepdf.Array([x0, y0, x1, y1])
            page.obj.TrimBox = pikepdf.Array([x0 + bleed, y0 + bleed, x1 - bleed, y1 - bleed])
        doc.save(pdf)


@dataclass(frozen=True)
class PrintShopReport:
    """What a print shop checks first: page boxes, output intent, fonts."""

    pages: int
    trim_mm: tuple[float, float]  # width, height of every TrimBox
    bleed_mm: float  # the smallest margin between TrimBox and BleedBox
    output_intent: str  # OutputConditionIdentifier ("" without one)
    intent_subtype: str  # /S of the output intent, /GTS_PDFX for PDF/X
    profile_components: int  # /N of the destination profile (4: CMYK)
    fonts_embedded: bool


def check_print_shop_pdf(pdf: Path) -> PrintShopReport:
    """Read the page boxes, the output intent and the fonts of a print-shop PDF."""
    import pikepdf

    with pikepdf.open(pdf) as doc:
        trims, bleeds, embedded = set(), [], True
        for page in doc.pages:
            trim = [float(v) for v in page.obj.get("/TrimBox", page.mediabox)]
            bleed = [float(v) for v in page.obj.get("/BleedBox", page.mediabox)]
            trims.add((round((trim[2] - trim[0]) / MM, 1), round((trim[3] - trim[1]) / MM, 1)))
            bleeds.append(min(trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]) / MM)
            resources: Any = page.obj.get("/Resources", {})
            fonts: Any = resources.get("/Font", {})
            for font in fonts.values():
                embedded &= _font_embedded(font)
        intents: Any = doc.Root.get("/OutputIntents", [])
        intent = intents[0] if len(intents) else {}
        profile = intent.get("/DestOutputProfile") if intent else None
        return PrintShopReport(
            pages=len(doc.pages),
            trim_mm=next(iter(trims)) if len(trims) == 1 else (0.0, 0.0),
            bleed_mm=round(min(bleeds), 2) if bleeds else 0.0,
            output_intent=str(intent.get("/OutputConditionIdentifier", "")) if intent else "",
            intent_subtype=str(intent.get("/S", "")) if intent else "",
            profile_components=int(profile.get("/N", 0)) if profile is not None else 0,
            fonts_embedded=embedded,
        )


def _font_embedded(font: object) -> bool:
    descriptor = font.get("/FontDescriptor")  # type: ignore[attr-defined]
    if descriptor is None:  # Type 0: the descendant font carries the descriptor
        descendants = font.get("/DescendantFonts", [])  # type: ignore[attr-defined]
        descriptor = descendants[0].get("/FontDescriptor") if len(descendants) else None
    if descriptor is None:
        return False
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def make_print_shop_pdf(pdf: Path, title: str) -> Path:
    """The print-shop file beside ``pdf`` (built with bleed): ``<name>-druckerei.pdf``.

    :raises PrintShopError: no CMYK profile, or Ghostscript fails
    """
    profile = find_profile()
    if profile is None:
        names = ", ".join(sorted({p.package for p in PROFILES}))
        raise PrintShopError(f"Kein CMYK-Farbprofil gefunden (Debian-Pakete: {names}; tools/ensure-deps pdf).")
    target = pdf.with_name(f"{pdf.stem}-druckerei.pdf")
    to_pdfx(pdf, target, title, profile)
    set_boxes(target)
    return target
