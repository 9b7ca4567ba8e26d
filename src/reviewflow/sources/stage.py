"""The workflow's search stage: one configured API database into the same files an export import writes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from reviewflow.fsio import write_dataclass_jsonl, write_json, write_jsonl
from reviewflow.sources import make_source
from reviewflow.sources.search import SearchResult, check_shortfall, run_search


def search_summary(result: SearchResult, db_id: str, allow_shortfall: bool) -> dict[str, Any]:
    """The import summary of a searched database: the snapshot as its one 'file', and the PRISMA-S log."""
    log = dict(result.log)
    log["shortfall_allowed"] = bool(allow_shortfall and result.shortfall)
    if result.snapshot.state.get("generated_by"):
        log["generated_by"] = result.snapshot.state["generated_by"]
    return {"source": db_id,
            "files": [{"file": str(result.snapshot.dir), "format": f"api:{log['source']}",
                       "dialect": log["interface"], "encoding": "utf-8", "records": len(result.records),
                       "rejected": len(result.rejects), "warnings": list(result.warnings)}],
            "search": log}


def run_search_stage(search: dict[str, Any], db_id: str, snapshots: str | Path, out_records: Path,
                     out_rejects: Path, out_summary: Path, out_log: Path, *, offline: bool = False,
                     allow_shortfall: bool = False) -> None:
    """Replay the database's snapshot (or search live the first time), check the count, write the records.

    A shortfall (fewer records than the API reported) fails the stage unless the config allows it; the
    PRISMA-S log then says it was accepted, and the report shows it.
    """
    source = make_source(search["source"], search["query"], base_url=search.get("base_url"),
                         filters=search.get("filters"))
    result = run_search(source, snapshots, database_id=db_id, offline=offline)
    # How it ran (live, resumed, replay) goes to the job's log, not the results: a rerun must match them.
    print(f"{db_id}: {result.mode} search, snapshot {result.snapshot.dir}", file=sys.stderr)
    allow = bool(allow_shortfall or search.get("allow_shortfall"))
    check_shortfall(result, allow)
    summary = search_summary(result, db_id, allow)
    write_dataclass_jsonl(out_records, result.records)
    write_jsonl(out_rejects, (r.to_dict() for r in result.rejects))
    write_json(out_summary, summary)
    write_json(out_log, summary["search"])
