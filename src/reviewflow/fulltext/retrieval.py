"""Reports sought for retrieval: a sheet for the team, and its reading back."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import SheetError
from ..fsio import iter_jsonl, write_csv, write_json, write_jsonl
from ..screen.stages import REPORT_COLUMNS
from ..sheets import Column, read_sheet, write_sheet

STATUSES = ("retrieved", "not_retrieved")

COLUMNS = [
    *REPORT_COLUMNS,
    Column("file", "Save full text as", width=26),
    Column("status", "Status", width=14, choices=STATUSES, editable=True, required=True),
    Column("note", "Note", width=30, editable=True),
]


def make_retrieval_sheet(rows: Sequence[dict], queue_path: Path, sheet_path: Path) -> None:
    """Rows: records included at title/abstract, with their bibliographic context."""
    queue = [{**{c.key: r.get(c.key, "") for c in COLUMNS if not c.editable},
              "file": f"{r['record_id']}.txt"} for r in rows]
    write_jsonl(queue_path, queue)
    write_sheet(sheet_path, COLUMNS, queue, title="Full-text retrieval",
                instructions=["Retrieve each report's full text and save it in the full-text folder "
                              "under the name given (plain text).",
                              "Mark each row retrieved or not_retrieved."])


def read_retrieval(queue_path: Path, decisions: Path | None, display: str, fulltext_dir: Path,
                   out_csv: Path, status_path: Path) -> None:
    """Final retrieval status per report; a 'retrieved' row without its file is an error."""
    queue = list(iter_jsonl(queue_path))
    keys = [q["record_id"] for q in queue]
    done: dict[str, dict] = {}
    pending = len(keys)
    if decisions is not None and Path(decisions).exists():
        sheet = read_sheet(decisions, COLUMNS, expected_keys=set(keys))
        done = sheet.rows
        pending = len(sheet.pending)
        for k in keys:
            row = done.get(k)
            if row and row["status"] == "retrieved" and not (fulltext_dir / f"{k}.txt").is_file():
                raise SheetError(f"record {k} is marked retrieved but "
                                 f"{fulltext_dir / (k + '.txt')} does not exist",
                                 file=display, column="Status")
    rows = [{"record_id": k, "status": done[k]["status"] if k in done else "pending",
             "file": str(fulltext_dir / f"{k}.txt") if k in done and done[k]["status"] == "retrieved" else ""}
            for k in keys]
    write_csv(out_csv, ["record_id", "status", "file"], rows)
    waiting = ([{"who": "the review team", "file": display, "n": pending,
                 "message": f"{pending} reports await retrieval: {display}"}] if pending else [])
    write_json(status_path, {"stage": "retrieval", "complete": not pending, "waiting": waiting})
