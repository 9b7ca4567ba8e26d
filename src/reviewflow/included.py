"""The reports both PRISMA columns include, in one set of files for extraction, appraisal and synthesis."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .fsio import iter_jsonl, read_csv, write_csv, write_jsonl


def _rows(paths: Sequence[Path]) -> tuple[list[str], list[dict[str, str]]]:
    fields: list[str] = []
    rows: list[dict[str, str]] = []
    for p in paths:
        got = read_csv(p)
        rows += got
        for f in (list(got[0]) if got else []):
            if f not in fields:
                fields.append(f)
    return fields, rows


def run_included(uniques: Sequence[Path], full_texts: Sequence[Path], retrievals: Sequence[Path], out_unique: Path,
                 out_full_text: Path, out_retrieval: Path) -> None:
    """The databases' files followed by citation searching's (record ids never clash: each branch hashes
    its own source into them)."""
    seen: set[str] = set()
    records = []
    for p in uniques:
        for d in iter_jsonl(p):
            if d["id"] in seen:
                raise ValueError(f"record {d['id']} is in both branches ({p})")
            seen.add(d["id"])
            records.append(d)
    write_jsonl(out_unique, records)
    for paths, out, default in ((full_texts, out_full_text, ["record_id", "decision", "reason", "basis"]),
                                (retrievals, out_retrieval, ["record_id", "status", "file"])):
        fields, rows = _rows(paths)
        write_csv(out, fields or default, rows)
