"""Dedup stage: group all imported records, write groups and merged unique records."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..fsio import iter_jsonl, write_csv, write_json, write_jsonl
from ..records import Record
from .simple import METHOD, group_records, merge


def run_dedup(record_files: Sequence[Path], out_groups: Path, out_unique: Path,
              out_summary: Path) -> None:
    """record_files in configured database order; groups.csv lists every record once."""
    records = [Record.from_dict(d) for f in record_files for d in iter_jsonl(f)]
    reps = group_records(records)
    members: dict[int, list[Record]] = {}
    for i, rep in enumerate(reps):
        members.setdefault(rep, []).append(records[i])
    write_csv(out_groups, ["record_id", "group_id"],
              ({"record_id": r.id, "group_id": records[reps[i]].id} for i, r in enumerate(records)))
    write_jsonl(out_unique, (merge(members[rep]).to_dict() for rep in sorted(members)))
    write_json(out_summary, {"method": METHOD, "records": len(records), "groups": len(members),
                             "duplicates_removed": len(records) - len(members)})
