"""A RIS file converted in two processes gives what one pass gives, byte for byte."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reviewflow.errors import ReviewflowError
from reviewflow.io import Converted, convert_to_jsonl, read_export, ris_split
from reviewflow.io.writers import write_jsonl


def _one_pass(path: Path, out: Path) -> tuple[bytes, Converted]:
    res = read_export(path, "db", display_path=str(path))
    write_jsonl(res.records, out)
    return out.read_bytes(), Converted(str(path), len(res.records), res.rejects, res.warnings)


@pytest.fixture
def halves(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Split every file that can be split; records for each conversion whether it was."""
    monkeypatch.setattr(ris_split, "MIN_BYTES", 0)
    split: list[bool] = []
    real = ris_split.split_lines

    def spy(*args, **kwargs):
        got = real(*args, **kwargs)
        split.append(got is not None)
        return got

    monkeypatch.setattr(ris_split, "split_lines", spy)
    return split


def _check(path: Path, tmp_path: Path) -> None:
    want, summary = _one_pass(path, tmp_path / "one.jsonl")
    got = convert_to_jsonl([(str(path), "db")], tmp_path / "two.jsonl")
    assert (tmp_path / "two.jsonl").read_bytes() == want, path.name
    assert got == [summary], path.name
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []


def test_every_ris_fixture(exports: Path, tmp_path: Path, halves: list[bool]) -> None:
    files = sorted(exports.glob("*.ris"))
    for path in files:
        _check(path, tmp_path)
    assert sum(halves) >= 10  # most fixtures split (Ovid's numbered ones do not)


def test_keys_seen_in_both_halves_fall_back_to_positions(exports: Path, tmp_path: Path,
                                                        halves: list[bool]) -> None:
    # The same export twice: every accession number (AN) occurs once in each half.
    text = (exports / "wos_ris_1.ris").read_text(encoding="utf-8")
    path = tmp_path / "twice.ris"
    path.write_text(text.rstrip("\n") + "\n\n" + text, encoding="utf-8")
    _check(path, tmp_path)
    assert halves == [True]


def _record(i: int, er: bool = True) -> str:
    return f"TY  - JOUR\nAN  - acc{i}\nTI  - Title {i}\nAU  - Doe, J.\nPY  - 2020\n" + ("ER  - \n\n" if er else "")


def test_rejects_warnings_and_crlf_in_the_second_half(tmp_path: Path, halves: list[bool]) -> None:
    body = "".join(_record(i) for i in range(40))
    tail = ("some text outside any record\n\n" + _record(40) + "TY  - JOUR\nPY  - 2020\nER  - \n\n"
            + "".join(_record(i) for i in range(41, 60)) + _record(60, er=False))
    path = tmp_path / "mixed.ris"
    path.write_bytes((body + tail).replace("\n", "\r\n").encode("utf-8"))
    _check(path, tmp_path)
    assert halves == [True]
    got = convert_to_jsonl([(str(path), "db")], tmp_path / "x.jsonl")[0]
    assert [(j.index, j.line) for j in got.rejects] == [(40, 281), (42, 290)]
    assert got.warnings == ["record at line 427 has no ER line at the end of the file"]


def test_ovid_numbers_after_the_first_64_kb_read_in_one_pass(tmp_path: Path, halves: list[bool]) -> None:
    head = "".join(_record(i) for i in range(1000))
    assert len(head) > 1 << 16
    path = tmp_path / "numbered.ris"
    path.write_text(head + "5.\n" + _record(1000) + "".join(_record(i) for i in range(1001, 3000)),
                    encoding="utf-8")
    _check(path, tmp_path)
    assert halves == [False]


def test_not_utf8_in_the_second_half_means_one_pass(tmp_path: Path, halves: list[bool]) -> None:
    # A Windows-1252 byte in the second half: decode() reads the file otherwise, with a warning.
    text = "".join(_record(i) for i in range(100)).replace("Title 90", "Caf\u00e9 90")
    path = tmp_path / "cp1252.ris"
    path.write_bytes(text.encode("cp1252"))
    _check(path, tmp_path)
    assert halves == [False]


def test_a_failing_second_process_means_one_pass(tmp_path: Path, halves: list[bool],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args) -> None:
        args[-1].send("failed: on purpose")

    monkeypatch.setattr(ris_split, "_second_half", broken)
    path = tmp_path / "plain.ris"
    path.write_text("".join(_record(i) for i in range(100)), encoding="utf-8")
    _check(path, tmp_path)
    assert halves == [False]


def test_a_second_process_failing_after_the_first_lines_writes_nothing(
        tmp_path: Path, halves: list[bool], monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(ris_split, "_pwrite_all", broken)  # in the second process, after encoding
    path = tmp_path / "plain.ris"
    path.write_text("".join(_record(i) for i in range(100)), encoding="utf-8")
    with pytest.raises(ReviewflowError, match="disk full"):
        convert_to_jsonl([(str(path), "db")], tmp_path / "out.jsonl")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.ris"]
    assert halves == [True]


def test_a_second_process_that_dies_is_a_one_line_error(tmp_path: Path, halves: list[bool],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def killed(*args) -> int:
        os._exit(9)  # as if killed after encoding: no message, the pipe just closes

    monkeypatch.setattr(ris_split, "_pwrite_all", killed)
    path = tmp_path / "plain.ris"
    path.write_text("".join(_record(i) for i in range(100)), encoding="utf-8")
    with pytest.raises(ReviewflowError, match="ended without a word"):
        convert_to_jsonl([(str(path), "db")], tmp_path / "out.jsonl")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.ris"]


def test_split_point_is_a_ty_after_an_er(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ris_split, "MIN_BYTES", 0)
    data = "".join(_record(i) for i in range(10)).encode()
    cut = ris_split.split_point(data)
    assert cut is not None and data[cut:].startswith(b"TY  - JOUR\nAN  - acc6\n")
    assert ris_split.lines_before(data, cut) == 42
    assert ris_split.lines_before(data.replace(b"\n", b"\r\n"), cut + 42) == 42
    assert ris_split.split_point(b"1.\n" + data) is None
    assert ris_split.split_point(data.replace(b"ER  - \n", b"")) is None
    assert ris_split.split_point(b"\xef\xbb\xbf" + data) == cut + 3  # UTF-8's byte-order mark
    assert ris_split.split_point(b"\xff\xfe" + data) is None  # UTF-16's: read the usual way
    monkeypatch.setattr(ris_split, "MIN_BYTES", len(data) + 1)
    assert ris_split.split_point(data) is None  # too small to be worth a second process
