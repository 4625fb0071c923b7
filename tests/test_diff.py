"""``bnk diff``: reviewing two states of a report built from git revisions or JSON exports."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_report import copy_report

ROOTS = Path(__file__).parent / "roots"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def bnk(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bnk.cli", *args], cwd=repo, capture_output=True, text=True, check=False
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """Two commits of a small report: 2023, then 2025 with exactly five changes."""
    repo = tmp_path_factory.mktemp("diff") / "bericht"
    shutil.copytree(ROOTS / "test-indicators", repo)
    edit(repo / "conf.py", "bnk_report_year = 2021", "bnk_report_year = 2023")
    edit(repo / "data/emissionen.csv", "2024,1500\n", "")  # no data after 2023
    edit(
        repo / "katalog.toml",
        'title = "Kommunaler Klimaschutz"\n',
        'title = "Kommunaler Klimaschutz"\n\n[[chapter.aspect]]\ncode = "10.2"\ntitle = "Klimaschutz in der Verwaltung"\n',
    )
    edit(
        repo / "index.md",
        "```{bnk-aspect} 10.1\nKlimaschutz.\n```\n",
        "```{bnk-aspect} 10.1\nKlimaschutz.\n```\n\n```{bnk-aspect} 10.2\nDie Verwaltung spart Strom und Wärme.\n```\n",
    )
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Bericht 2023")
    git(repo, "tag", "v2023")
    # The 2025 report: report year, one revised historical value, one aspect explained instead of
    # reported, one text edit, one new indicator.
    edit(repo / "conf.py", "bnk_report_year = 2023", "bnk_report_year = 2025")
    edit(repo / "data/anteil-erneuerbar.csv", "2016,,22.0", "2016,,21.8")
    edit(
        repo / "index.md",
        "```{bnk-aspect} 10.1\nKlimaschutz.\n```",
        "```{bnk-aspect} 10.1\n:omitted:\n\nDas Klimaschutzkonzept wird neu aufgestellt.\n```",
    )
    edit(
        repo / "index.md",
        "Die Verwaltung spart Strom und Wärme.",
        "Die Verwaltung spart seit 2024 Strom, Wärme und Papier.",
    )
    (repo / "data/radwege.yaml").write_text(
        "title: Radwege\ndefinition: Länge der Radwege\nunit: km\nsource: Testamt\nindicator_set: eigene\ndirection: higher\n",
        encoding="utf-8",
    )
    (repo / "data/radwege.csv").write_text("year,value\n2022,120\n2023,131\n", encoding="utf-8")
    edit(
        repo / "index.md",
        "```{indicator} emissionen\n```",
        "```{indicator} emissionen\n```\n\n```{indicator} radwege\n```",
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Bericht 2025")
    git(repo, "tag", "v2025")
    return repo


EXPECTED = """# BNK-Review: v2023 → v2025

5 Änderungen (Bericht: 1, Aspekte: 2, Indikatoren: 2).

## Bericht

- Berichtsjahr: 2023 → 2025

## Aspekte

- **Aspekt 10.1** (Kommunaler Klimaschutz): Status berichtet → begründet; Begründung: „Das Klimaschutzkonzept wird neu aufgestellt.“
- **Aspekt 10.2** (Klimaschutz in der Verwaltung): Text geändert (+5 / −2 Wörter): Die Verwaltung spart [−Strom] [+seit 2024 Strom, Wärme] …

## Indikatoren

- **Anteil erneuerbarer Energien** (`anteil-erneuerbar`): Wert 2016 revidiert: 22 → 21,8
- **Radwege** (`radwege`): neu
"""


def test_diff_of_two_revisions_lists_exactly_the_changes(repo, tmp_path):
    status_before = git(repo, "status", "--porcelain")
    result = bnk(
        repo, "diff", "v2023", "v2025", "--markdown", str(repo / "_build/d.md"), "--html", str(repo / "_build/d.html")
    )
    assert result.returncode == 0, result.stderr
    assert (repo / "_build/d.md").read_text(encoding="utf-8") == EXPECTED
    page = (repo / "_build/d.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="de">' in page
    assert (
        "<li><strong>Anteil erneuerbarer Energien</strong> (<code>anteil-erneuerbar</code>): Wert 2016 revidiert: 22 → 21,8</li>"
        in page
    )
    assert "Baue Stand v2023" in result.stderr and "Baue Stand v2025" in result.stderr
    # The user's working tree is untouched: only the two outputs were written (into the repository).
    assert sorted(p.name for p in (repo / "_build").iterdir()) == ["d.html", "d.md"]
    shutil.rmtree(repo / "_build")
    assert git(repo, "status", "--porcelain") == status_before


def test_markdown_on_stdout_and_working_tree_as_new_side(repo):
    result = bnk(repo, "diff", "v2025")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "# BNK-Review: v2025 → Arbeitsverzeichnis\n\nKeine Änderungen.\n"


def test_json_mode_gives_the_same_review(repo, tmp_path):
    """Exports of full builds (with charts) give exactly the review bnk diff builds itself
    (without charts): the charts never change what is compared."""
    exports = []
    for tag in ("v2023", "v2025"):
        tree = tmp_path / tag
        tree.mkdir()
        subprocess.run(f"git -C {repo} archive {tag} | tar -x -C {tree}", shell=True, check=True)
        subprocess.run(
            [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(tree), str(tree / "_build")], check=True
        )
        target = tmp_path / f"{tag}.json"
        shutil.copy(tree / "_build/bnk-report.json", target)
        exports.append(target)
    result = bnk(repo, "diff", str(exports[0]), str(exports[1]))
    assert result.returncode == 0, result.stderr
    assert result.stdout == EXPECTED.replace("v2023 → v2025", "v2023.json → v2025.json")
    assert "Baue" not in result.stderr  # JSON files are not built


def test_fail_on_policies(repo):
    assert bnk(repo, "diff", "v2023", "v2025", "--fail-on", "aspect-missing").returncode == 0
    result = bnk(repo, "diff", "v2023", "v2025", "--fail-on", "revised-data", "--fail-on", "status-change")
    assert result.returncode == 1
    assert "Regel verletzt (--fail-on revised-data): ein historischer Wert wurde revidiert." in result.stderr
    assert "Regel verletzt (--fail-on status-change)" in result.stderr
    bad = bnk(repo, "diff", "v2023", "v2025", "--fail-on", "alles")
    assert bad.returncode == 2 and "Unbekannte Regel für --fail-on: alles" in bad.stderr


def test_unknown_revision_and_unbuildable_revision_give_clear_errors(repo, tmp_path):
    result = bnk(repo, "diff", "gibt-es-nicht")
    assert result.returncode == 2
    assert "Fehler: „gibt-es-nicht“ ist weder eine JSON-Datei noch eine Git-Revision" in result.stderr
    assert "Traceback" not in result.stderr
    clone = tmp_path / "clone"
    git(repo, "clone", "-q", str(repo), str(clone))
    (clone / "conf.py").write_text("extensions = [\n", encoding="utf-8")  # a syntax error
    git(clone, "commit", "-q", "-am", "kaputt")
    result = bnk(clone, "diff", "v2025", "HEAD")
    assert result.returncode == 2
    assert "Fehler: Stand HEAD (" in result.stderr and "lässt sich nicht bauen" in result.stderr
    assert "Traceback" not in result.stderr


def test_real_report_revision_and_explained_omission(tmp_path):
    repo = copy_report(tmp_path / "bericht")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "2023")
    edit(repo / "data/strom-windkraft.csv", "2015,311", "2015,305")
    page = repo / "handlungsfelder/10-klimaschutz-und-energie.md"
    edit(page, "```{bnk-aspect} 10.3\n:sdg: 11, 13\n", "```{bnk-aspect} 10.3\n:sdg: 11, 13\n:omitted:\n")
    git(repo, "commit", "-q", "-am", "revidiert")
    result = bnk(repo, "diff", "HEAD~1", "HEAD", "--html", str(repo / "_build/d.html"))
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("- ")]
    assert len(lines) == 3
    assert lines[0].startswith(
        "- **Aspekt 10.3** (Einbettung von Klimaschutz in die räumliche Planung und Entwicklung): Status berichtet → begründet"
    )
    assert lines[1] == (
        "- **Strom aus Windkraft** (`strom-windkraft`): Wert 2015 revidiert: 311 → 305; "
        "Veränderung dadurch +44 / +14,1\u00a0% → +50 / +16,4\u00a0%"
    )
    # the same revision changes the figure the text of Handlungsfeld 10 computes with bnk:wert
    assert lines[2] == (
        "- `strom-windkraft:change_rel` (handlungsfelder/10-klimaschutz-und-energie): +14,1\u00a0% → +16,4\u00a0%"
    )
    assert "Wert 2015 revidiert: 311 → 305" in (repo / "_build/d.html").read_text(encoding="utf-8")


def test_archive_extraction_without_the_tarfile_data_filter(tmp_path, monkeypatch):
    """Python < 3.11.4 (Debian bookworm's 3.11.2) has no extraction filters: same rules, no crash."""
    import io
    import tarfile

    from bnk.cli import CliError, extract_safely

    def archive(*members: tuple[str, str | None]) -> tarfile.TarFile:
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w") as tar:
            for name, link in members:
                info = tarfile.TarInfo(name)
                if link is None:
                    info.size = 2
                    tar.addfile(info, io.BytesIO(b"ok"))
                else:
                    info.type, info.linkname = tarfile.SYMTYPE, link
                    tar.addfile(info)
        buffer.seek(0)
        return tarfile.open(fileobj=buffer)

    monkeypatch.delattr(tarfile, "data_filter", raising=False)
    extract_safely(archive(("conf.py", None), ("tools/ensure-deps", "../conf.py")), tmp_path / "ok")
    assert (tmp_path / "ok/conf.py").read_text() == "ok"
    assert (tmp_path / "ok/tools/ensure-deps").resolve() == (tmp_path / "ok/conf.py").resolve()
    for bad in (("../evil", None), ("tools/x", "../../../etc/passwd")):
        with pytest.raises(CliError, match="unzulässigen Eintrag"):
            extract_safely(archive(bad), tmp_path / "bad")
