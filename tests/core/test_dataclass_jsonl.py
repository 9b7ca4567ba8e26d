"""Records written straight from their fields (msgspec) give the standard library's bytes."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reviewflow.fsio import dataclass_jsonl_lines, jsonl_lines
from reviewflow.io import read_export
from reviewflow.records import Author, Provenance, Record
from tests.io.conftest import locate_shared

# Every character but lone surrogates (no UTF-8 file can hold one), control characters included.
_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


def _old(records: list[Record]) -> list[bytes]:
    return list(jsonl_lines(r.to_dict() for r in records))


def test_every_character_and_key_order() -> None:
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    # Keys from three planes: the standard library sorts them by code point.
    raw = {"\U0001f600": ["astral"], "\ufffd": [every], "\ue000": [], "": [""], "a\x00": ["x"], "TI": ["t"]}
    rec = Record(id="x", provenance=Provenance("db", "f.ris", 3, 7), title=every, year=2020,
                 authors=[Author("Ünal", "Ş."), Author("Group", "")], issn=[], raw=raw)
    assert list(dataclass_jsonl_lines([rec])) == _old([rec])


@settings(max_examples=300, deadline=None)
@given(title=st.none() | _TEXT, year=st.none() | st.integers(-10**18, 10**18),
       authors=st.lists(st.builds(Author, _TEXT, _TEXT), max_size=3),
       raw=st.dictionaries(_TEXT, st.lists(_TEXT, max_size=3), max_size=5),
       keywords=st.lists(_TEXT, max_size=3))
def test_generated_records(title: str | None, year: int | None, authors: list[Author],
                           raw: dict[str, list[str]], keywords: list[str]) -> None:
    rec = Record(id="r", provenance=Provenance("s", "f", 0, 1), title=title, year=year,
                 authors=authors, raw=raw, keywords=keywords)
    assert list(dataclass_jsonl_lines([rec])) == _old([rec])


def test_every_export_fixture() -> None:
    exports = locate_shared() / "fixtures" / "exports"
    files = sorted(p for p in exports.iterdir() if p.is_file() and p.suffix.lower() != ".md")
    read = 0
    for path in files:
        records = read_export(path, "db").records
        read += len(records)
        assert list(dataclass_jsonl_lines(records)) == _old(records), path.name
    assert read > 900


def test_written_file(tmp_path: Path) -> None:
    from reviewflow.io.writers import write_jsonl

    recs = [Record(id=str(i), provenance=Provenance("s", "f", i, i + 1), title=f"t{i}") for i in range(3)]
    write_jsonl(recs, tmp_path / "r.jsonl")
    assert (tmp_path / "r.jsonl").read_bytes() == b"".join(_old(recs))
