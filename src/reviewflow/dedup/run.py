"""Dedup stage: group all imported records, write groups and merged unique records."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..fsio import iter_jsonl, write_csv, write_dataclass_jsonl, write_json, write_jsonl
from ..records import Record
from ..scripting import gc_paused
from .engine import METHOD, deduplicate
from .merge import merge_group
from .review import read_review_decisions, write_review_sheet


def run_dedup(record_files: Sequence[Path], out_groups: Path, out_unique: Path, out_summary: Path, *,
              out_provenance: Path | None = None, review_sheet: Path | None = None,
              decisions: Sequence[Path] = (), jobs: int = 1) -> None:
    """record_files in configured database order; groups.csv lists every record once.

    group_id is the id of the group's representative, its first member in source order.
    Optional: out_provenance (one JSON line per group: members and which one gave each field),
    review_sheet (the uncertain pairs for a reviewer; written even when empty, so a rule can
    declare it) and decisions (filled review sheets that exist; later files win).
    """
    # The stage is a process of its own (rule dedup: `script:`), so it may put the record set and
    # what deduplicate builds from it out of the collector's reach.
    with gc_paused(freeze=True):
        records = [Record.from_dict(d) for f in record_files for d in iter_jsonl(f)]
        keys = [r.id for r in records]
        verdicts: dict[tuple[str, str], str] = {}
        pending = 0
        for sheet in decisions:
            got, waiting = read_review_decisions(sheet, keys)
            verdicts.update(got)
            pending += len(waiting)
        result = deduplicate(records, keys, jobs=jobs, decisions=verdicts)
    groups = [[records[i] for i in members] for members in result.groups]
    rep_of = {r.id: members[0].id for members in groups for r in members}
    write_csv(out_groups, ["record_id", "group_id"], ({"record_id": r.id, "group_id": rep_of[r.id]} for r in records))
    merged = [merge_group(members) for members in groups]
    write_dataclass_jsonl(out_unique, (m for m, _ in merged))
    if out_provenance is not None:
        write_jsonl(out_provenance, (p for _, p in merged))
    if review_sheet is not None:
        write_review_sheet(review_sheet, result.uncertain, dict(zip(keys, records, strict=True)), verdicts)
    write_json(out_summary, {"method": METHOD, "records": len(records), "groups": len(groups),
                             "duplicates_removed": len(records) - len(groups),
                             "uncertain_pairs": len(result.uncertain), "reviewer_decisions": len(verdicts),
                             "reviewer_pending": pending, **{f"stats_{k}": v for k, v in result.stats.items()}})
