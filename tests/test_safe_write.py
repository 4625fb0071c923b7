"""The safe writer (``bnk.data.writer``) and the commands that write an author's files through it:
``bnk import`` never writes through a symbolic link out of the report nor drops a row it could not
read; ``bnk jahr`` edits the one effective assignment and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from bnk.data import BnkDataError
from bnk.data.writer import TextFormat, check_name, inside, read_author_text, write_author_text
from test_import import FIXTURES, bnk, report_dir

# -- the writer ------------------------------------------------------------------------------------


def test_inside_refuses_dotdot_and_links_out(tmp_path):
    root = tmp_path / "bericht"
    (root / "data").mkdir(parents=True)
    (tmp_path / "draussen").mkdir()
    assert inside(root, root / "data/x.csv") == (root / "data/x.csv").resolve()
    with pytest.raises(BnkDataError, match=r"Pfade mit „\.\.“ werden nicht geschrieben"):
        inside(root, root / "data/../../x.csv")
    (root / "data/link.csv").symlink_to(tmp_path / "draussen/neu.csv")  # dangling: would be created
    with pytest.raises(BnkDataError) as info:
        inside(root, root / "data/link.csv")
    assert info.value.msg == (
        f"{root}/data/link.csv: liegt außerhalb des Berichtsordners {root} (ein symbolischer Link führt dorthin) "
        "– nichts geschrieben."
    )
    (root / "ordner").symlink_to(tmp_path / "draussen", target_is_directory=True)
    with pytest.raises(BnkDataError, match="außerhalb des Berichtsordners"):
        write_author_text(root, root / "ordner/x.csv", "x\n")
    assert list((tmp_path / "draussen").iterdir()) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("x\n", "Kennung 'x\\n' taugt nicht als Dateiname"),
        ("con", "Kennung 'con' ist unter Windows ein Gerätename"),
        ("COM1", "Kennung 'COM1' ist unter Windows ein Gerätename"),
        ("nul.csv", "Kennung 'nul.csv' ist unter Windows ein Gerätename"),
        ("a:b", "Kennung 'a:b' taugt nicht als Dateiname"),
        ("x.", "Kennung 'x.' taugt nicht als Dateiname"),
    ],
)
def test_names_that_are_no_file_names_everywhere(name, message):
    with pytest.raises(BnkDataError) as info:
        check_name(name, "Kennung")
    assert info.value.msg.startswith(message)


def test_write_keeps_crlf_and_bom_and_is_atomic(tmp_path):
    path = tmp_path / "conf.py"
    path.write_bytes(b"\xef\xbb\xbfa = 1\r\nb = 2\r\n")
    text, fmt = read_author_text(path)
    assert fmt == TextFormat("utf-8-sig", "\r\n")
    assert text == "a = 1\r\nb = 2\r\n"
    write_author_text(tmp_path, path, text.replace("1", "3") + "c = 4\n")
    assert path.read_bytes() == b"\xef\xbb\xbfa = 3\r\nb = 2\r\nc = 4\r\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["conf.py"]  # no temporary file left
    new = write_author_text(tmp_path, tmp_path / "neu.csv", "year,value\n")
    assert new.read_bytes() == b"year,value\n"


def test_a_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    import os

    path = tmp_path / "x.csv"
    path.write_text("alt\n", encoding="utf-8")

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(BnkDataError, match="kann nicht geschrieben werden"):
        write_author_text(tmp_path, path, "neu\n")
    assert path.read_text(encoding="utf-8") == "alt\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv"]


# -- bnk import --------------------------------------------------------------------------------------


def _import(root, *extra):
    return bnk("import", "sdg", str(FIXTURES / "sdg-portal-breitband.json"), "--bericht", str(root), *extra)


def test_import_never_writes_through_a_symlink_out_of_data(tmp_path):
    root = report_dir(tmp_path)
    outside = tmp_path / "anderswo.csv"
    (root / "data/breitband.csv").symlink_to(outside)
    result = _import(root, "--id", "breitband")
    assert result.returncode == 2
    assert "liegt außerhalb des Berichtsordners" in result.stderr
    assert "ein symbolischer Link führt dorthin" in result.stderr
    assert not outside.exists()
    outside.write_text("year,value\n2020,1\n", encoding="utf-8")
    assert _import(root, "--id", "breitband", "--force").returncode == 2
    assert outside.read_text(encoding="utf-8") == "year,value\n2020,1\n"


def test_import_with_a_relative_report_folder_writes_into_it(tmp_path):
    """``--bericht bericht`` (relative): the target is bericht/data/x.csv, not bericht/bericht/…"""
    import subprocess
    import sys

    root = report_dir(tmp_path)
    args = ["import", "sdg", str(FIXTURES / "sdg-portal-breitband.json"), "--bericht", "bericht", "--id", "breitband"]
    result = subprocess.run(
        [sys.executable, "-m", "bnk", *args], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "data/breitband.csv").is_file()
    assert not (root / "bericht").exists()


@pytest.mark.parametrize(
    ("ident", "message"),
    [
        ("breitband\n", "'breitband\\n' taugt nicht als Kennung"),
        ("con", "Die Kennung 'con' ist unter Windows ein Gerätename (wie con, nul, com1); bitte anders nennen."),
        ("com1", "Die Kennung 'com1' ist unter Windows ein Gerätename"),
    ],
)
def test_import_refuses_ids_with_newline_and_device_names(tmp_path, ident, message):
    root = report_dir(tmp_path)
    result = _import(root, "--id", ident)
    assert result.returncode == 2
    assert message in result.stderr
    assert list((root / "data").iterdir()) == []


def test_import_never_drops_a_row_it_could_not_parse(tmp_path):
    """Before: the row ``2019,x,7`` (one field too many) was skipped when comparing, the file judged
    "unverändert" and rewritten without it."""
    root = report_dir(tmp_path)
    assert _import(root, "--id", "breitband", "--durchschnitt-name", "NRW").returncode == 0
    path = root / "data/breitband.csv"
    good = path.read_text(encoding="utf-8")
    broken = good + "2019,NRW,7,8\n"
    path.write_text(broken, encoding="utf-8")
    for force in ((), ("--force",)):
        result = _import(root, "--id", "breitband", "--durchschnitt-name", "NRW", *force)
        assert result.returncode == 1
        assert "ist nicht vollständig lesbar – nichts geschrieben (auch nicht mit --force" in result.stdout
        assert (
            "\n  Zeile 11: Zeile hat 4 Felder, die Kopfzeile 3. Steht hier ein Dezimalkomma („7,8“)?" in result.stdout
        )
        assert path.read_text(encoding="utf-8") == broken


def test_an_unchanged_import_does_not_touch_the_file(tmp_path):
    root = report_dir(tmp_path)
    assert _import(root, "--id", "breitband").returncode == 0
    path = root / "data/breitband.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # saved again on Windows
    before = path.stat().st_mtime_ns, path.read_bytes()
    result = _import(root, "--id", "breitband")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "unverändert" in result.stdout
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before


# -- bnk jahr ----------------------------------------------------------------------------------------


def _conf(tmp_path, text: str | bytes):
    root = tmp_path / "bericht"
    root.mkdir()
    path = root / "conf.py"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return root, path


def test_jahr_keeps_crlf_and_every_other_byte(tmp_path):
    conf = b'"""Bericht."""\r\nextensions = ["bnk"]\r\nbnk_report_year = 2023  # Jahr\r\ntitle = "x"\r\n'
    root, path = _conf(tmp_path, conf)
    result = bnk("jahr", "2024", str(root))
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == conf.replace(b"2023", b"2024")
    assert "Berichtsjahr: 2023 → 2024 (conf.py)." in result.stdout


def test_jahr_ignores_a_docstring_that_looks_like_the_assignment(tmp_path):
    conf = '"""Beispiel:\nbnk_report_year = 2019\n"""\nbnk_report_year = 2023\n'
    root, path = _conf(tmp_path, conf)
    result = bnk("jahr", "2024", str(root))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Berichtsjahr: 2023 → 2024")
    assert path.read_text(encoding="utf-8") == '"""Beispiel:\nbnk_report_year = 2019\n"""\nbnk_report_year = 2024\n'


def test_jahr_refuses_several_assignments_with_their_lines(tmp_path):
    conf = "bnk_report_year = 2022\nx = 1\nif True:\n    bnk_report_year = 2023\n"
    root, path = _conf(tmp_path, conf)
    result = bnk("jahr", "2024", str(root))
    assert result.returncode == 2
    assert (
        f"{path}: bnk_report_year wird mehrfach gesetzt (Zeilen 1, 4); welche gilt, ist nicht eindeutig. "
        "Bitte nur eine Zuweisung stehen lassen – nichts geändert." in result.stderr
    )
    assert path.read_text(encoding="utf-8") == conf


def test_jahr_refuses_arabic_indic_digits_and_computed_years(tmp_path):
    root, path = _conf(tmp_path, "import datetime\nbnk_report_year = datetime.date.today().year - 1\n")
    result = bnk("jahr", "٢٠٢٤", str(root))
    assert result.returncode == 2
    assert "„٢٠٢٤“ ist keine Jahreszahl aus vier Ziffern (z. B. 2024)" in result.stderr
    result = bnk("jahr", "2024", str(root))
    assert result.returncode == 2
    assert f"{path}:2: bnk_report_year ist keine feste Jahreszahl (z. B. bnk_report_year = 2024)" in result.stderr


# -- bnk diff ----------------------------------------------------------------------------------------


def _git(repo, *args):
    import subprocess

    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_diff_of_a_commit_with_an_absolute_symlink_is_a_german_message(tmp_path):
    """Before: tarfile's AbsoluteLinkError escaped as a traceback."""
    import shutil

    repo = tmp_path / "bericht"
    shutil.copytree(Path(__file__).parent / "roots/test-basic", repo)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "-m", "1")
    (repo / "passwd").symlink_to("/etc/passwd")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "-m", "2")
    result = bnk("diff", "HEAD~1", "HEAD", "--repo", str(repo))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert (
        "Das Git-Archiv enthält einen unzulässigen Eintrag: passwd (symbolischer Link auf einen absoluten Pfad)"
        in result.stderr
    )


def test_diff_output_is_not_written_through_a_symlink(tmp_path):
    from bnk import cli
    from bnk.commands import CliError

    repo = tmp_path / "repo"
    (repo / "out").mkdir(parents=True)
    secret = tmp_path / "geheim.txt"
    secret.write_text("alt\n", encoding="utf-8")
    (repo / "out/d.md").symlink_to(secret)
    with pytest.raises(CliError, match="außerhalb des Berichtsordners"):
        cli._write_output(repo / "out/d.md", "neu\n", repo)
    assert secret.read_text(encoding="utf-8") == "alt\n"
    cli._write_output(repo / "out/e.md", "neu\n", repo)
    assert (repo / "out/e.md").read_text(encoding="utf-8") == "neu\n"


def test_diff_output_outside_the_repository_is_refused(tmp_path):
    from bnk import cli
    from bnk.commands import CliError

    repo = tmp_path / "repo"
    repo.mkdir()
    with pytest.raises(CliError) as info:
        cli._write_output(tmp_path / "d.html", "neu\n", repo)
    assert info.value.args[0] == (
        f"{tmp_path / 'd.html'}: liegt außerhalb des Berichtsordners {repo} – nichts geschrieben."
    )
    assert not (tmp_path / "d.html").exists()


def test_diff_output_in_the_repository_never_leaves_it_through_a_linked_folder(tmp_path):
    """CI writes _build/diff/bnk-diff.md in a pull request's checkout: a committed link
    ``_build → elsewhere`` must not carry the review out of the repository."""
    from bnk import cli
    from bnk.commands import CliError

    repo, elsewhere = tmp_path / "repo", tmp_path / "anderswo"
    (elsewhere / "diff").mkdir(parents=True)
    repo.mkdir()
    (repo / "_build").symlink_to(elsewhere)
    with pytest.raises(CliError) as info:
        cli._write_output(repo / "_build/diff/bnk-diff.md", "neu\n", repo)
    assert info.value.args[0] == (
        f"{repo / '_build/diff/bnk-diff.md'}: liegt außerhalb des Berichtsordners {repo} "
        "(ein symbolischer Link führt dorthin) – nichts geschrieben."
    )
    assert list((elsewhere / "diff").iterdir()) == []
    (repo / "_build").unlink()
    cli._write_output(repo / "_build/diff/bnk-diff.md", "neu\n", repo)  # a real folder: written
    assert (repo / "_build/diff/bnk-diff.md").read_text(encoding="utf-8") == "neu\n"
