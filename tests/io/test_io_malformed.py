"""Malformed inputs: huge fields, truncation, binary data, wrong encodings, empty files.
Each gives a correct read or one clear error with file and line; nothing is dropped silently."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pytest

from reviewflow.errors import InputFileError
from reviewflow.io import read_export

BIG = ("abcdefghij " * 1_000_000)[:10_000_000]  # 10 MB, one line


@pytest.mark.parametrize(("name", "text", "fmt"), [
    ("a.ris", f"TY  - JOUR\nTI  - T\nAB  - {BIG}\nER  - \n", "ris"),
    ("a.bib", f"@article{{k,\n title = {{T}},\n abstract = {{{BIG}}}\n}}\n", "bibtex"),
    ("a.csv", f'title,abstract\nT,"{BIG}"\n', "csv"),
    ("s.csv", f'Authors,Title,Year,Source title,DOI,Abstract,EID\nDoe J.,T,2020,J,10.1/a,"{BIG}",2-s2.0-1\n',
     "scopus_csv"),
    ("a.nbib", f"PMID- 1\nTI  - T\nAB  - {BIG}\n", "medline"),
    ("w.txt", f"FN Clarivate\nVR 1.0\nPT J\nAU Doe, J\nTI T\nAB {BIG}\nUT WOS:1\nER\nEF\n", "wos_tagged"),
])
def test_ten_megabyte_field(tmp_path: Path, name: str, text: str, fmt: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    res = read_export(path, "db")
    assert (res.format, len(res.records), res.rejects) == (fmt, 1, [])
    assert res.records[0].title == "T"
    assert res.records[0].abstract == BIG.strip()


def test_ten_megabyte_ris_abstract_among_others(tmp_path: Path) -> None:
    small = "TY  - JOUR\nTI  - Small {i}\nER  - \n"
    text = "".join(small.format(i=i) for i in range(3)) + f"TY  - JOUR\nTI  - Big\nAB  - {BIG}  \n" \
        + "".join(small.format(i=i) for i in range(3, 6))  # the big one has no ER
    path = tmp_path / "big.ris"
    path.write_text(text, encoding="utf-8")
    res = read_export(path, "db")
    assert [r.title for r in res.records] == ["Small 0", "Small 1", "Small 2", "Big"] + \
        [f"Small {i}" for i in range(3, 6)]
    assert len(res.records[3].abstract) == len(BIG.strip())
    assert res.records[4].provenance.line == 13
    assert any("no ER" in w for w in res.warnings)


@pytest.mark.shared
def test_every_fixture_truncated_reads_or_fails_cleanly(exports: Path, tmp_path: Path) -> None:
    """Cut anywhere, a file is read (its last record kept or rejected) or stops with one line."""
    rnd = random.Random(5)
    for src in sorted(exports.iterdir()):
        data = src.read_bytes()
        full = read_export(src, "db")
        for cut in sorted({len(data) // 2, len(data) - 7, rnd.randrange(1, len(data))}):
            path = tmp_path / src.name
            path.write_bytes(data[:cut])
            try:
                res = read_export(path, "db")
            except InputFileError as exc:
                assert exc.file == str(path) and exc.line >= 1, (src.name, cut)
                assert "\n" not in str(exc)
                continue
            assert res.format == full.format, (src.name, cut)
            assert len(res.records) + len(res.rejects) >= 1, (src.name, cut)
            assert len(res.records) <= len(full.records), (src.name, cut)


def test_truncated_bibtex_entry_is_a_reject(tmp_path: Path) -> None:
    path = tmp_path / "t.bib"
    path.write_text("@article{a,\n title = {One}\n}\n\n@article{b,\n title = {Tw", encoding="utf-8")
    res = read_export(path, "db")
    assert [r.title for r in res.records] == ["One"]
    assert [(j.line, j.reason, j.text) for j in res.rejects] == [
        (5, "BibTeX entry without its closing brace", "@article{b,\n title = {Tw")]


@pytest.mark.parametrize(("data", "what"), [
    (random.Random(1).randbytes(5000), "binary file"),
    (gzip.compress(b"TY  - JOUR\nTI  - x\nER  - \n"), "binary file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\nstream\n" + bytes(range(256)) * 4, "binary file"),
    (b"\xef\xbb\xbf", "empty file"),
    (b"\xff\xfe\r\x00\n\x00", "empty file"),
    (b"  \n\t\r\n", "empty file"),
])
def test_binary_and_empty(tmp_path: Path, data: bytes, what: str) -> None:
    path = tmp_path / "x.ris"
    path.write_bytes(data)
    with pytest.raises(InputFileError) as info:
        read_export(path, "db")
    assert what in info.value.message and info.value.line >= 1 and info.value.file == str(path)


def test_utf32_and_utf16_without_bom(tmp_path: Path) -> None:
    text = "TY  - JOUR\nTI  - Caf\u00e9 \u65e5\u672c\nER  - \n"
    for enc, name in (("utf-32", "utf-32"), ("utf-16-be", "utf-16-be")):
        path = tmp_path / f"{enc}.ris"
        path.write_bytes(text.encode(enc))
        res = read_export(path, "db")
        assert (res.encoding, [r.title for r in res.records]) == (name, ["Caf\u00e9 \u65e5\u672c"])


def test_utf8_with_some_cp1252_is_not_garbled(tmp_path: Path) -> None:
    path = tmp_path / "mixed.ris"
    path.write_bytes("TY  - JOUR\nTI  - caf\u00e9 \u2013 \u65e5\nER  - \n".encode()
                     + "TY  - JOUR\nTI  - na\u00efve \u2013 r\u00e9sum\u00e9\nER  - \n".encode("cp1252"))
    res = read_export(path, "db")
    assert [r.title for r in res.records] == ["caf\u00e9 \u2013 \u65e5", "na\u00efve \u2013 r\u00e9sum\u00e9"]
    assert res.encoding == "utf-8+cp1252"
    assert any("line 5" in w and "Windows-1252" in w for w in res.warnings)


def test_ris_numbers_at_the_end_are_not_dropped(tmp_path: Path) -> None:
    path = tmp_path / "ovid.ris"
    path.write_text("1. \nTY  - JOUR\nTI  - x\nER  - \n\n2. \n", encoding="utf-8")
    res = read_export(path, "db")
    assert [r.title for r in res.records] == ["x"]
    assert [(j.line, j.text, j.reason) for j in res.rejects] == [(6, "2. ", "text outside any RIS record")]
