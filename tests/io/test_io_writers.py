"""Writers: what is written reads back with the same normalised fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewflow.io import read_export
from reviewflow.io.writers import (
    CSV_COLUMNS,
    read_jsonl,
    write_bibtex,
    write_csv,
    write_jsonl,
    write_ris,
)
from reviewflow.records import FIELDS, Author, Provenance, Record

WRITERS = {"ris": write_ris, "bib": write_bibtex, "csv": write_csv}


def _flat(value: object) -> object:
    """RIS and BibTeX hold one line per value: compare text with whitespace collapsed."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        return [_flat(v) for v in value]
    return value


def _same(a: Record, b: Record, flat: bool) -> list[str]:
    bad = []
    for f in FIELDS:
        va, vb = getattr(a, f), getattr(b, f)
        if flat:
            va, vb = _flat(va), _flat(vb)
        if f == "keywords" and any(";" in k for k in a.keywords):
            continue  # one cell or field holds the list: items with ';' split on reading
        if va != vb:
            bad.append(f"{f}: {va!r} != {vb!r}")
    return bad


def _tricky() -> list[Record]:
    prov = Provenance("db", "x.ris", 0, 1)
    return [
        Record(id="a1", provenance=prov, title="Braces {x} & 100% of_ $5 ~ \\ back",
               abstract="Line one\nline two", authors=[Author("van der Berg", "Anna Maria"),
                                                      Author("WHO Group", ""),
                                                      Author("Group ABC", "")],
               year=2020, journal="J. Stuff", volume="3", issue="2", pages="104-9",
               doi="10.1000/abc(1)x", pmid="123", issn=["1234-5678", "2345-678X"],
               language="eng", publication_type=["Journal Article", "Review"],
               keywords=["one, with comma"], url="https://x.org/a~b_c"),
        Record(id="a2", provenance=Provenance("db", "x.ris", 1, 9), title="Only a title"),
        Record(id="a3", provenance=Provenance("db", "x.ris", 2, 12), title="Same pages",
               pages="22-22", authors=[Author("Solo", "")], keywords=["k1", "k2"]),
    ]


@pytest.mark.parametrize("ext", sorted(WRITERS))
def test_round_trip_tricky_values(tmp_path: Path, ext: str) -> None:
    recs = _tricky()
    path = tmp_path / f"out.{ext}"
    WRITERS[ext](recs, path)
    back = read_export(path, "db").records
    assert len(back) == len(recs)
    for a, b in zip(recs, back, strict=True):
        assert _same(a, b, flat=ext != "csv") == []


def test_csv_columns_and_ids(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_csv(_tricky(), path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(CSV_COLUMNS)
    back = read_export(path, "db")
    assert back.dialect == "asreview"
    assert back.records[0].raw["record_id"] == ["a1"]


def test_writers_are_deterministic(tmp_path: Path) -> None:
    for ext, writer in WRITERS.items():
        writer(_tricky(), tmp_path / f"a.{ext}")
        writer(_tricky(), tmp_path / f"b.{ext}")
        assert (tmp_path / f"a.{ext}").read_bytes() == (tmp_path / f"b.{ext}").read_bytes()


def test_jsonl_lossless(tmp_path: Path) -> None:
    recs = _tricky()
    recs[0].raw = {"TI": ["x"], "KW": ["a", "b"]}
    write_jsonl(recs, tmp_path / "r.jsonl")
    assert [r.to_dict() for r in read_jsonl(tmp_path / "r.jsonl")] == \
        [r.to_dict() for r in recs]


# Every fixture through every writer and back: test_io_cli.py (through `reviewflow convert`).
