"""The author guide builds on its own and explains every warning subtype."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bnk.warnings_ import BnkWarning

GUIDE = Path(__file__).resolve().parent.parent / "_ext" / "bnk" / "templates" / "anleitung"


def test_guide_builds_strictly(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", str(GUIDE), str(tmp_path / "html")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "html/warnungen.html").is_file()


def test_every_warning_subtype_has_an_explanation():
    text = (GUIDE / "warnungen.md").read_text(encoding="utf-8")
    missing = [w.value for w in BnkWarning if f"bnk.{w.value}" not in text]
    assert missing == []
