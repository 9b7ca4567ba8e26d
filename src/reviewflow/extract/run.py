"""Extraction stage: a sheet per included study, pre-filled with suggestions; its reading back.

Suggestions come from the full text read into one model whatever its format (`article/`: PDF,
JATS XML, DOCX, text, Markdown); each suggested value has the page it came from (where the format
has pages) and the sentence that supports it in a read-only column beside it, and all suggestions
are kept apart in `suggestions.csv` (`SUGGESTION_COLUMNS`). A full text that cannot be read gets
its reason in the sheet instead of suggestions; the rest of the review goes on."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..article.read import read_article
from ..errors import InputFileError
from ..fsio import iter_jsonl, read_csv, write_csv, write_json, write_jsonl
from ..records import Record
from ..sheets import Column, carry_over, read_returned, read_sheet, write_sheet
from ..status import awaits, sheet_paths
from .prefill import FIELDS as SUGGESTED
from .prefill import Suggestion, suggest_values

# Fields filled from the record itself rather than by the extractor.
BIBLIOGRAPHIC = ("study_id", "first_author", "year")
SUGGESTION_COLUMNS = ["record_id", "study_id", "field", "value", "page", "section", "format", "snippet"]


def source_key(field: str) -> str:
    return f"{field}_source"


def source_text(s: Suggestion) -> str:
    """'p. 3: “the sentence”' - where a suggested value was read ('Methods: …' for a file without pages)."""
    if not s.page or s.page == "0":
        return f"{s.section.capitalize()}: \u201c{s.snippet}\u201d"
    pages = "pp." if "," in s.page else "p."
    return f"{pages} {s.page}: \u201c{s.snippet}\u201d"


def columns(fields: list[str]) -> list[Column]:
    cols = [Column("record_id", "Record ID", width=18), Column("title", "Title", width=50, wrap=True)]
    for f in fields:
        if f in BIBLIOGRAPHIC:
            cols.append(Column(f, f.replace("_", " ").capitalize(), width=16))
        else:
            cols.append(Column(f, f.replace("_", " ").capitalize(), width=30, wrap=True, editable=True))
            if f in SUGGESTED:
                cols.append(Column(source_key(f), f"{f.replace('_', ' ').capitalize()}: page and source",
                                   width=40, wrap=True))
    cols.append(Column("checked", "Checked by extractor", width=12, choices=("yes",), editable=True,
                       required=True))
    return cols


def run_extraction_sheet(config: dict, unique: Path, assessment: Path, retrieval: Path,
                         queue: Path, sheet: Path, returned: Path | None = None,
                         suggestions: Path | None = None, aliases: Mapping[str, str] | None = None) -> None:
    """One row per included study; suggestions from the full text fill the editable cells, and
    the extractor's own values from their returned sheet (`returned`), if any, win over them
    (read for the study each row's id stands for today: `aliases`)."""
    fields = config.get("extraction", {}).get("fields", list(BIBLIOGRAPHIC))
    recs = {d["id"]: Record.from_dict(d) for d in iter_jsonl(unique)}
    files = {r["record_id"]: r["file"] for r in read_csv(retrieval)}
    rows, found = [], []
    for r in read_csv(assessment):
        if r["decision"] != "include":
            continue
        rec = recs[r["record_id"]]
        row = {"record_id": rec.id, "title": rec.title or "", "study_id": r.get("study_id") or rec.id,
               "first_author": rec.first_author_family(), "year": str(rec.year or "")}
        try:
            full = read_article(files[rec.id])
        except InputFileError as exc:
            first = next((f for f in fields if f in SUGGESTED), None)
            if first:
                row[source_key(first)] = f"the full text cannot be read: {exc}"
            suggested, fmt = {}, ""
        else:
            suggested, fmt = suggest_values(full), full.format
        for f in fields:
            if f in suggested and f not in row:
                row[source_key(f)] = source_text(suggested[f])
            row.setdefault(f, suggested[f].value if f in suggested else "")
        rows.append(row)
        found += [{"record_id": rec.id, "study_id": row["study_id"], "field": s.field, "value": s.value,
                   "page": s.page, "section": s.section, "format": fmt, "snippet": s.snippet}
                  for s in suggested.values()]
    cols = columns(fields)
    write_jsonl(queue, rows)
    if suggestions is not None:
        write_csv(suggestions, SUGGESTION_COLUMNS, sorted(found, key=lambda d: (d["record_id"], d["field"])))
    write_sheet(sheet, cols, carry_over(rows, cols, read_returned(returned, cols, aliases=aliases)), title="Extraction",
                instructions=["One row per included study. Values in editable columns are suggestions "
                              "read from the full text: confirm or correct each, then set "
                              "'Checked by extractor' to yes.",
                              "Beside each suggested value: the page of the full text it was read from "
                              "(the PDF's page, or a plain text's page between form feeds) and the "
                              "sentence that says it."])


def run_extraction_read(config: dict, queue: Path, decisions: Path | None, out_csv: Path,
                        aliases: Mapping[str, str] | None = None, out_status: Path | None = None) -> None:
    """The extraction table: checked rows from the extractor's sheet; unchecked rows are pending.
    With `aliases` (`identity`), a row follows its study to the record that represents it today."""
    fields = config.get("extraction", {}).get("fields", list(BIBLIOGRAPHIC))
    cols = columns(fields)
    rows = list(iter_jsonl(queue))
    done = {}
    if decisions is not None and Path(decisions).exists():
        done = read_sheet(decisions, cols, expected_keys=[r["record_id"] for r in rows], allow_missing=True,
                          aliases=aliases).rows
    out = []
    for r in rows:
        filled = done.get(r["record_id"])
        out.append({"record_id": r["record_id"], "status": "checked" if filled else "pending",
                    **{f: (filled or r).get(f, "") for f in fields}})
    write_csv(out_csv, ["record_id", "status", *fields], out)
    if out_status is not None:
        pending = sum(1 for r in out if r["status"] == "pending")
        waiting = [awaits(pending, "included studies", "the extractor (confirm each value, set 'Checked by "
                          "extractor' to yes)", *sheet_paths(config, "extraction/extraction.xlsx"))] if pending else []
        write_json(out_status, {"stage": "extraction", "complete": not waiting, "waiting": waiting})
