"""Reports sought for retrieval: a sheet for the team, the full-text folder, and their reading back.

A report is *retrieved* when the team marks it so on the retrieval sheet (its file must then be in
the folder) or, where the sheet says nothing yet, when its full text is in the folder (named by
record id or DOI: `files.py`). It is *not retrieved* only when the team says so: a report nobody
has found yet is still pending.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..errors import SheetError
from ..fsio import iter_jsonl, write_csv, write_json, write_jsonl
from ..screen.stages import REPORT_COLUMNS
from ..sheets import Column, carry_over, read_returned, read_sheet, write_sheet
from ..status import awaits, sheet_of
from .files import doi_filename, match_folder, reports_from_queue

STATUSES = ("retrieved", "not_retrieved")

COLUMNS = [
    *REPORT_COLUMNS,
    Column("file", "Save full text as", width=24),
    Column("doi_file", "or (by DOI)", width=30),
    Column("status", "Status", width=14, choices=STATUSES, editable=True, required=True),
    Column("note", "Note", width=30, editable=True),
]

INSTRUCTIONS = [
    "Retrieve each report's full text and save it in the full-text folder as a PDF (or as UTF-8 "
    "plain text, .txt), named by its record id or by its DOI as given (the DOI in lower case with / "
    "as _). A full text in the folder counts as retrieved.",
    "Mark each row retrieved or not_retrieved; not_retrieved is the PRISMA box "
    "'reports not retrieved', so mark it only when the report cannot be obtained.",
]

OUT_COLUMNS = ["record_id", "status", "file", "basis"]


def make_retrieval_sheet(rows: Sequence[dict], queue_path: Path, sheet_path: Path,
                         returned: Path | None = None, aliases: Mapping[str, str] | None = None) -> None:
    """Rows: records included at title/abstract, with their bibliographic context; the statuses
    and notes of the team's returned sheet (`returned`), if any, are carried into the new one."""
    queue = [{**{c.key: r.get(c.key, "") for c in COLUMNS if not c.editable},
              "file": f"{r['record_id']}.pdf", "doi_file": doi_filename(r.get("doi") or "")} for r in rows]
    write_jsonl(queue_path, queue)
    write_sheet(sheet_path, COLUMNS, carry_over(queue, COLUMNS, read_returned(returned, COLUMNS, aliases=aliases)),
                title="Full-text retrieval", instructions=INSTRUCTIONS)


def read_retrieval(queue_path: Path, decisions: Path | None, display: str, fulltext_dir: Path,
                   out_csv: Path, status_path: Path, aliases: Mapping[str, str] | None = None) -> None:
    """Final retrieval status per report (`basis`: the sheet, or the file found in the folder).

    A row marked retrieved whose full text is not in the folder is an error; files in the folder
    that match no report, match two, or are not a usable full text are reported (stderr and the
    status file's `notes`), never silently used. With `aliases` (`identity`), a row or a file named
    for another record of the same study counts for the record that represents it today."""
    queue = list(iter_jsonl(queue_path))
    keys = [q["record_id"] for q in queue]
    fulltext_dir = Path(fulltext_dir)
    found = match_folder(fulltext_dir, reports_from_queue(queue), aliases)
    notes = found.messages()
    done: dict[str, dict] = {}
    if decisions is not None and Path(decisions).exists():
        # A sheet returned before more reports were sought lacks them: they are pending.
        done = read_sheet(decisions, COLUMNS, expected_keys=keys, allow_missing=True, aliases=aliases).rows
    rows = []
    for q in queue:
        k = q["record_id"]
        row, path = done.get(k), found.chosen(k)
        if row and row["status"] == "retrieved" and path is None:
            names = " or ".join(n for n in (f"{k}.pdf", q.get("doi_file") or doi_filename(q.get("doi") or "")) if n)
            why = "; ".join(found.problems_for(k))
            raise SheetError(f"record {k} is marked retrieved but its full text is not in {fulltext_dir} "
                             f"(expected {names})" + (f": {why}" if why else ""), file=display, column="Status")
        if row and row["status"] == "not_retrieved" and path is not None:
            notes.append(f"record {k} is marked not_retrieved but {path} exists; counted as not retrieved")
        if row:
            status, basis = row["status"], "sheet"
        elif path is not None:
            status, basis = "retrieved", "file"
        else:
            status, basis = "pending", ""
        rows.append({"record_id": k, "status": status, "basis": basis,
                     "file": str(path) if status == "retrieved" and path is not None else ""})
    write_csv(out_csv, OUT_COLUMNS, rows)
    pending = sum(r["status"] == "pending" for r in rows)
    stage = Path(display).parent.name            # retrieval, or citations_retrieval
    waiting = ([awaits(pending, "reports", "retrieval by the review team", sheet_of(display, stage), display,
                       f"a full text saved in {fulltext_dir} counts as retrieved")] if pending else [])
    for n in notes:
        print(f"warning: {n}", file=sys.stderr)
    write_json(status_path, {"stage": "retrieval", "complete": not pending, "waiting": waiting, "notes": notes})
