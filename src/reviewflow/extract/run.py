"""Extraction stage: a sheet per included study, pre-filled with suggestions; its reading back."""

from __future__ import annotations

from pathlib import Path

from ..fsio import iter_jsonl, read_csv, write_csv, write_jsonl
from ..records import Record
from ..sheets import Column, read_sheet, write_sheet
from .prefill import prefill

# Fields filled from the record itself rather than by the extractor.
BIBLIOGRAPHIC = ("study_id", "first_author", "year")


def columns(fields: list[str]) -> list[Column]:
    cols = [Column("record_id", "Record ID", width=18), Column("title", "Title", width=50, wrap=True)]
    for f in fields:
        if f in BIBLIOGRAPHIC:
            cols.append(Column(f, f.replace("_", " ").capitalize(), width=16))
        else:
            cols.append(Column(f, f.replace("_", " ").capitalize(), width=30, wrap=True, editable=True))
    cols.append(Column("checked", "Checked by extractor", width=12, choices=("yes",), editable=True,
                       required=True))
    return cols


def run_extraction_sheet(config: dict, unique: Path, assessment: Path, retrieval: Path,
                         queue: Path, sheet: Path) -> None:
    """One row per included study; suggestions from the full text fill the editable cells."""
    fields = config.get("extraction", {}).get("fields", list(BIBLIOGRAPHIC))
    recs = {d["id"]: Record.from_dict(d) for d in iter_jsonl(unique)}
    files = {r["record_id"]: r["file"] for r in read_csv(retrieval)}
    rows = []
    for r in read_csv(assessment):
        if r["decision"] != "include":
            continue
        rec = recs[r["record_id"]]
        text = Path(files[rec.id]).read_text(encoding="utf-8")
        row = {"record_id": rec.id, "title": rec.title or "", "study_id": r.get("study_id") or rec.id,
               "first_author": rec.first_author_family(), "year": str(rec.year or "")}
        suggested = prefill(text)
        for f in fields:
            row.setdefault(f, suggested.get(f, ""))
        rows.append(row)
    cols = columns(fields)
    write_jsonl(queue, rows)
    write_sheet(sheet, cols, rows, title="Extraction",
                instructions=["One row per included study. Values in editable columns are suggestions "
                              "read from the full text: confirm or correct each, then set "
                              "'Checked by extractor' to yes."])


def run_extraction_read(config: dict, queue: Path, decisions: Path | None, out_csv: Path) -> None:
    """The extraction table: checked rows from the extractor's sheet; unchecked rows are pending."""
    fields = config.get("extraction", {}).get("fields", list(BIBLIOGRAPHIC))
    cols = columns(fields)
    rows = list(iter_jsonl(queue))
    done = {}
    if decisions is not None and Path(decisions).exists():
        done = read_sheet(decisions, cols, expected_keys={r["record_id"] for r in rows}).rows
    out = []
    for r in rows:
        filled = done.get(r["record_id"])
        out.append({"record_id": r["record_id"], "status": "checked" if filled else "pending",
                    **{f: (filled or r).get(f, "") for f in fields}})
    write_csv(out_csv, ["record_id", "status", *fields], out)
