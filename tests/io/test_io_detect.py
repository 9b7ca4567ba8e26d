"""Format detection from content, and the shared-fixtures rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import locate_shared

from reviewflow.errors import InputFileError
from reviewflow.io import detect_format, read_export


def test_locate_shared_skips_or_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        locate_shared(tmp_path / "nowhere")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        locate_shared(tmp_path / "nowhere")
    (tmp_path / "fixtures" / "exports").mkdir(parents=True)
    assert locate_shared(tmp_path) == tmp_path


@pytest.mark.shared
@pytest.mark.parametrize(("name", "fmt"), [
    ("pubmed_medline_2.txt", "medline"), ("wos_plaintext_1.txt", "wos_tagged"),
    ("scopus_csv_1.csv", "scopus_csv"), ("ovid-psycinfo_ris_1.ris", "ris"),
])
def test_extension_is_not_trusted(exports: Path, tmp_path: Path, name: str, fmt: str) -> None:
    wrong = tmp_path / "export.xml"
    shutil.copy(exports / name, wrong)
    assert detect_format(wrong)[0] == fmt
    assert read_export(wrong, "db").format == fmt


def test_loose_ris_separator(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("TY - JOUR\nTI - One space before the dash\nER -\n")
    res = read_export(path, "db")
    assert res.format == "ris" and res.records[0].title == "One space before the dash"


def test_detect_format_encoding(tmp_path: Path) -> None:
    path = tmp_path / "a.ris"
    path.write_bytes("TY  - JOUR\nTI  - x\nER  - \n".encode("utf-16"))
    assert detect_format(path) == ("ris", None, "utf-16")


@pytest.mark.parametrize(("data", "said"), [
    (b"foo;bar;baz\n1;2;3\n", "nearest: a table (delimiter ';'), but none"),
    (b"AA  - x\nBB  - y\nCC  - z\n", "nearest: tagged text ('XX  - value' lines: AA, BB, CC)"),
    (b'<?xml version="1.0"?>\n<!-- made by hand -->\n<library><item/></library>\n', "its root 'library'"),
])
def test_a_refused_file_is_told_the_nearest_format_and_what_did_not_fit(tmp_path, data, said):
    path = tmp_path / "export.txt"
    path.write_bytes(data)
    with pytest.raises(InputFileError) as err:
        read_export(path, "db")
    assert "unrecognised export format" in str(err.value) and said in str(err.value)
