"""Unreadable files raise InputFileError with file and line; malformed records are rejects."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewflow.errors import InputFileError
from reviewflow.io import FORMATS, read_export

RIS = (
    "TY  - JOUR\n"
    "TI  - A first title\n"
    "AU  - Smith, Jane\n"
    "PY  - 2020\n"
    "ER  - \n"
    "\n"
    "TY  - JOUR\n"
    "TI  - A second title caf\u00e9\n"
    "DO  - https://doi.org/10.1000/ABC.1\n"
    "ER  - \n"
)


def _write(tmp_path: Path, data: bytes, name: str = "export.ris") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _error(path: Path, display: str = "data/x.ris") -> InputFileError:
    with pytest.raises(InputFileError) as info:
        read_export(path, "db", display_path=display)
    assert info.value.file == display
    assert isinstance(info.value.line, int) and info.value.line >= 1
    return info.value


def test_empty_file(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, b""))
    assert "empty" in err.message and err.line == 1
    assert "empty" in _error(_write(tmp_path, b"\n \r\n\t\n")).message


def test_binary_file(tmp_path: Path) -> None:
    data = bytes(range(256)) * 40
    err = _error(_write(tmp_path, data))
    assert "binary" in err.message


def test_binary_with_nul_in_text(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, b"TY  - JOUR\nTI  - x\n\x00\x01\x02\x03rest\n"))
    assert "binary" in err.message and err.line == 3


def test_zip_that_is_not_xlsx(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, b"PK\x03\x04" + b"\x00" * 100, "a.zip"))
    assert "ZIP" in err.message


def test_unknown_format_names_formats_tried(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, b"just some prose\nthat is no export at all\n", "a.txt"))
    for fmt in FORMATS:
        assert fmt in err.message
    assert err.line == 1


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert _error(tmp_path / "nope.ris").line == 1
    assert _error(tmp_path).line == 1


def test_truncated_utf8_character(tmp_path: Path) -> None:
    data = RIS.encode("utf-8") + "TY  - JOUR\nTI  - caf\u00e9".encode()[:-1]
    err = _error(_write(tmp_path, data))
    assert "truncated" in err.message and err.line == 12


def test_truncated_utf16(tmp_path: Path) -> None:
    data = RIS.encode("utf-16")[:-1]
    err = _error(_write(tmp_path, data))
    assert "truncated" in err.message and err.line == 10


def test_undecodable(tmp_path: Path) -> None:
    # 0x81 is neither UTF-8 (a lone continuation byte) nor defined in Windows-1252.
    data = RIS.encode("utf-8").replace(b"A second", b"A \x81second")
    err = _error(_write(tmp_path, data))
    assert "undecodable" in err.message and err.line == 8


def test_bad_utf16_surrogate(tmp_path: Path) -> None:
    data = "TY  - JOUR\nTI  - x\n".encode("utf-16-le") + b"\x00\xd8\x41\x00" + b"\n\x00"
    err = _error(_write(tmp_path, b"\xff\xfe" + data))
    assert err.line == 3


def test_cp1252_fallback_warns(tmp_path: Path) -> None:
    res = read_export(_write(tmp_path, RIS.encode("cp1252")), "db")
    assert res.encoding == "cp1252"
    assert res.records[1].title == "A second title caf\u00e9"
    assert any("cp1252" in w for w in res.warnings)


@pytest.mark.parametrize(("encoding", "expected"), [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"),
    ("utf-16-le", "utf-16-le"),
])
def test_unicode_encodings(tmp_path: Path, encoding: str, expected: str) -> None:
    res = read_export(_write(tmp_path, RIS.encode(encoding)), "db")
    assert res.encoding == expected
    assert [r.title for r in res.records] == ["A first title", "A second title caf\u00e9"]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings(tmp_path: Path, newline: str) -> None:
    res = read_export(_write(tmp_path, RIS.replace("\n", newline).encode()), "db")
    assert [r.provenance.line for r in res.records] == [1, 7]
    assert res.records[1].doi == "10.1000/abc.1"
    assert res.records[0].authors[0].family == "Smith"


def test_ris_rejects_keep_exact_text(tmp_path: Path) -> None:
    text = (
        "TY  - JOUR\nTI  - Good one\nER  - \n\n"
        "TI  - Orphan without TY\nAU  - Doe, J\nER  - \n\n"
        "TY  - JOUR\nER  - \n\n"
        "%%% garbage line\nmore garbage\n\n"
        "TY  - JOUR\nTI  - Last good one, no ER\n"
    )
    res = read_export(_write(tmp_path, text.encode()), "db", display_path="d.ris")
    assert [r.title for r in res.records] == ["Good one", "Last good one, no ER"]
    assert [r.provenance.index for r in res.records] == [0, 4]
    assert [(j.index, j.line) for j in res.rejects] == [(1, 5), (2, 9), (3, 12)]
    assert res.rejects[0].text == "TI  - Orphan without TY\nAU  - Doe, J\nER  - "
    assert "TY" in res.rejects[0].reason
    assert res.rejects[1].text == "TY  - JOUR\nER  - "
    assert "usable" in res.rejects[1].reason
    assert res.rejects[2].text == "%%% garbage line\nmore garbage"
    assert all(j.file == "d.ris" and j.source == "db" for j in res.rejects)
    assert any("no ER" in w for w in res.warnings)
    assert len({j.id for j in res.rejects} | {r.id for r in res.records}) == 5


def test_ris_missing_er_before_next_ty(tmp_path: Path) -> None:
    text = "TY  - JOUR\nTI  - One\nTY  - BOOK\nTI  - Two\nER  - \n"
    res = read_export(_write(tmp_path, text.encode()), "db")
    assert [r.title for r in res.records] == ["One", "Two"]
    assert [r.provenance.line for r in res.records] == [1, 3]
    assert res.warnings


def test_ris_own_key_gives_stable_ids(tmp_path: Path) -> None:
    text = "TY  - JOUR\nAN  - 123\nTI  - One\nER  - \n"
    a = read_export(_write(tmp_path, text.encode(), "a.ris"), "db").records[0]
    b = read_export(_write(tmp_path, ("\n\n" + text).encode(), "b.ris"), "db").records[0]
    assert a.id == b.id
    c = read_export(_write(tmp_path, text.replace("AN  - 123\n", "").encode(), "c.ris"),
                    "db").records[0]
    assert c.id != a.id


def test_medline_rejects_and_continuations(tmp_path: Path) -> None:
    text = (
        "PMID- 1\nTI  - First title that wraps\n      onto a second line\nAU  - Doe J\n\n"
        "this is not a record\n\n"
        "OWN - NLM\nSTAT- MEDLINE\n\n"
        "PMID- 3\nTI  - Third\nLID - 10.1000/x [doi]\nDP  - 2001 Jan\n"
    )
    res = read_export(_write(tmp_path, text.encode(), "m.txt"), "pubmed")
    assert res.format == "medline"
    assert [r.pmid for r in res.records] == ["1", "3"]
    assert res.records[0].title == "First title that wraps onto a second line"
    assert res.records[0].authors[0].family == "Doe"
    assert res.records[1].doi == "10.1000/x" and res.records[1].year == 2001
    assert [(j.index, j.line, j.text) for j in res.rejects] == [
        (1, 6, "this is not a record"), (2, 8, "OWN - NLM\nSTAT- MEDLINE")]


def test_wos_tagged_rejects(tmp_path: Path) -> None:
    text = (
        "FN Clarivate Analytics Web of Science\nVR 1.0\n"
        "PT J\nAU Doe, J\n   Roe, R\nTI A long title\n   continued\nUT WOS:1\nER\n\n"
        "PT J\nZZ 1\nER\n\nEF\n"
    )
    res = read_export(_write(tmp_path, text.encode(), "w.txt"), "wos")
    assert res.format == "wos_tagged"
    rec = res.records[0]
    assert rec.title == "A long title continued"
    assert [a.family for a in rec.authors] == ["Doe", "Roe"]
    assert rec.provenance.line == 3
    assert [(j.index, j.line, j.text) for j in res.rejects] == [(1, 11, "PT J\nZZ 1\nER")]


def test_scopus_csv_truncated_and_bad_rows(tmp_path: Path) -> None:
    head = '\ufeffAuthors,Title,Year,Source title,DOI,EID\n'
    good = 'Doe J.,A title,2020,J Stuff,10.1/a,2-s2.0-1\n'
    bad = 'Doe J.,Too,many,cells,here,x,y\n'
    path = _write(tmp_path, (head + good + bad + ',,,,,2-s2.0-3\n').encode(), "s.csv")
    res = read_export(path, "scopus")
    assert res.format == "scopus_csv"
    assert [r.title for r in res.records] == ["A title"]
    assert [(j.index, j.line) for j in res.rejects] == [(1, 3), (2, 4)]
    assert res.rejects[0].text == bad.rstrip("\n")
    truncated = _write(tmp_path, (head + good + 'Doe J.,"An unfinished title').encode(),
                       "t.csv")
    err = _error(truncated, "t.csv")
    assert "truncated" in err.message and err.line == 3


def test_ris_header_like_garbage_is_not_skipped(tmp_path: Path) -> None:
    text = "Content: not a Cochrane header\nTY  - JOUR\nTI  - T\nER  - \n\n7.\nstray\n"
    res = read_export(_write(tmp_path, text.encode()), "db")
    assert [r.title for r in res.records] == ["T"]
    assert [(j.line, j.text) for j in res.rejects] == [
        (1, "Content: not a Cochrane header"), (6, "7.\nstray")]


def test_prose_with_commas_is_not_a_table(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, b"Dear team, here are the results, as promised.\nBye\n",
                        "notes.csv"))
    assert "unrecognised" in err.message
