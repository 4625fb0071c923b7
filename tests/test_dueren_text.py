"""The Kreis Düren example is written in its own words: no run of 12 words from its source.

The source (seed ``004_b59ecb3745b2e9a5.txt``, the Handlungskonzept kommunale
Entwicklungszusammenarbeit) is not part of the repository. The test compares against a
fingerprint of it, ``tests/fixtures/dueren-seed-shingles.txt``: the truncated SHA-256 of every
run of 12 words of the seed, so it always runs and reveals no text. When the seed is at hand
(``BNK_SEEDS`` or ``../shared/seeds``), the fingerprint is also checked against it; regenerate it
with ``BNK_REGENERATE_FINGERPRINT=1 pytest tests/test_dueren_text.py``.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples/kreis-dueren"
FINGERPRINT = Path(__file__).parent / "fixtures/dueren-seed-shingles.txt"
SEED_NAME = "004_b59ecb3745b2e9a5.txt"
RUN = 12  # words
DIGITS = 12  # hex digits kept of each hash: collisions are negligible at this size


def words(text: str, *, seed: bool = False) -> list[str]:
    """Lower-case words; ``*`` stays in the word (``Akteur*innen``).

    :param seed: also join words hyphenated across lines (the seed is extracted from a PDF)
    """
    if seed:
        text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    return re.findall(r"[\w*]+", text.lower())


def shingle(run: list[str]) -> str:
    return hashlib.sha256(" ".join(run).encode("utf-8")).hexdigest()[:DIGITS]


def shingles(text: str, *, seed: bool = False) -> set[str]:
    ws = words(text, seed=seed)
    return {shingle(ws[i : i + RUN]) for i in range(len(ws) - RUN + 1)}


def copied_runs(text: str, fingerprint: set[str]) -> list[str]:
    """Every run of 12 words of ``text`` that is also in the seed."""
    ws = words(text)
    return [" ".join(ws[i : i + RUN]) for i in range(len(ws) - RUN + 1) if shingle(ws[i : i + RUN]) in fingerprint]


def load_fingerprint() -> set[str]:
    return set(FINGERPRINT.read_text(encoding="ascii").split())


def example_files() -> list[Path]:
    """Every data file and page of the example (pages, CSV, YAML), not the build."""
    return sorted(
        p
        for p in EXAMPLE.rglob("*")
        if p.suffix in (".md", ".csv", ".yaml", ".yml") and "_build" not in p.parts and ".venv" not in p.parts
    )


def seed_path() -> Path | None:
    for folder in (os.environ.get("BNK_SEEDS"), REPO.parent / "shared/seeds", Path("/work/shared/seeds")):
        if folder and (Path(folder) / SEED_NAME).is_file():
            return Path(folder) / SEED_NAME
    return None


def test_no_run_of_12_words_from_the_seed_in_any_duren_file():
    fingerprint = load_fingerprint()
    files = example_files()
    assert len([p for p in files if p.parent.name == "massnahmen" and p.suffix == ".csv"]) == 4
    copied = {str(p.relative_to(REPO)): runs for p in files if (runs := copied_runs(p.read_text("utf-8"), fingerprint))}
    assert copied == {}


def test_the_check_catches_a_copied_sentence():
    # A sentence of the seed's evaluation plan (its chapter 5), as the old example had pasted it.
    pasted = (
        "Eine Evaluation soll drei Jahre nach Beschluss des Konzeptes erfolgen, um nachvollziehen zu können, "
        "welche Maßnahmen bereits umgesetzt wurden"
    )
    assert copied_runs(pasted, load_fingerprint())[0] == (
        "eine evaluation soll drei jahre nach beschluss des konzeptes erfolgen um nachvollziehen"
    )
    # The same facts in other words pass.
    own = "Drei Jahre nach dem Beschluss des Konzepts soll eine Evaluation zeigen, was umgesetzt ist."
    assert copied_runs(own, load_fingerprint()) == []


def test_fingerprint_matches_the_seed():
    seed = seed_path()
    if seed is None:
        pytest.skip(f"Quelle {SEED_NAME} nicht vorhanden (BNK_SEEDS); der Fingerabdruck allein genügt dem Test oben")
    expected = shingles(seed.read_text(encoding="utf-8"), seed=True)
    if os.environ.get("BNK_REGENERATE_FINGERPRINT"):
        FINGERPRINT.write_text("\n".join(sorted(expected)) + "\n", encoding="ascii")
    assert load_fingerprint() == expected
