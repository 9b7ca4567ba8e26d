"""Chase the citations of the included studies through OpenAlex, one snapshotted search per study.

One search per seed (not one for all seeds) so that adding an included study later searches only that
study, and every seed's snapshot replays on its own. A work found from several seeds is one record
(same OpenAlex id, same record id) that lists every seed it was found from.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from reviewflow.errors import SourceError
from reviewflow.fsio import iter_jsonl, read_csv, write_dataclass_jsonl, write_json, write_jsonl
from reviewflow.records import Record, normalise_doi
from reviewflow.sources.citations import LINK_FIELD, METHOD, OpenAlexCitations, seed_path
from reviewflow.sources.search import check_shortfall, run_search


def seeds_of_included(unique: Path, full_text: Path) -> tuple[list[str], list[str]]:
    """Seeds (DOIs, else OpenAlex ids) of the reports included at full text, and included ids with neither.

    One seed per work (two reports with one DOI are one seed), in the order of their OpenAlex paths."""
    recs = {d["id"]: d for d in iter_jsonl(unique)}
    seeds: dict[str, str] = {}
    missing = []
    for row in read_csv(full_text):
        if row["decision"] != "include":
            continue
        rec = recs[row["record_id"]]
        doi = normalise_doi(rec.get("doi"))
        url = rec.get("url") or ""
        wid = url if "openalex.org/W" in url else None  # a record OpenAlex itself supplied
        if doi or wid:
            ident = doi or wid or ""
            seeds.setdefault(seed_path(ident), ident)
        else:
            missing.append(row["record_id"])
    return [seeds[k] for k in sorted(seeds)], sorted(missing)


def run_chase(settings: dict[str, Any], snapshots: str | Path, unique: Path, full_text: Path, out_records: Path,
              out_rejects: Path, out_log: Path, *, offline: bool = False, allow_shortfall: bool = False) -> None:
    """Backward/forward citations of every included report; records, rejects and the searches' logs."""
    seeds, missing = seeds_of_included(unique, full_text)
    direction = settings.get("direction", "both")
    records: dict[str, Record] = {}
    rejects: list[dict] = []
    logs = []
    for seed in seeds:
        source = OpenAlexCitations([seed], direction=direction, base_url=settings.get("base_url"))
        try:
            result = run_search(source, snapshots, database_id=METHOD, offline=offline)
        except SourceError as exc:
            raise SourceError(f"citations of {seed_path(seed)}: {exc}") from None
        print(f"{METHOD} {seed}: {result.mode} search, snapshot {result.snapshot.dir}", file=sys.stderr)
        check_shortfall(result, allow_shortfall or bool(settings.get("allow_shortfall")))
        log = dict(result.log)
        log["seed"] = seed_path(seed)
        if result.snapshot.state.get("generated_by"):
            log["generated_by"] = result.snapshot.state["generated_by"]
        logs.append(log)
        for rec in result.records:
            if rec.id in records:
                # Found again from another seed: one record, every route to it kept.
                have = records[rec.id].raw.setdefault(LINK_FIELD, [])
                have += [h for h in rec.raw.get(LINK_FIELD, []) if h not in have]
            else:
                records[rec.id] = rec
        rejects += [r.to_dict() for r in result.rejects]
    if missing:
        # Not a reason to stop the review: the log lists them, for the team to chase by hand.
        print(f"warning: {METHOD}: {len(missing)} included reports have no DOI or OpenAlex id to chase citations "
              f"from: {', '.join(missing)}", file=sys.stderr)
    for rec in records.values():
        rec.raw[LINK_FIELD] = sorted(rec.raw.get(LINK_FIELD, []))
    write_dataclass_jsonl(out_records, sorted(records.values(), key=lambda r: r.id))
    write_jsonl(out_rejects, rejects)
    write_json(out_log, {"method": METHOD, "direction": direction, "seeds": seeds,
                         "included_without_identifier": missing, "records": len(records),
                         "retrieved": sum(g["retrieved"] for g in logs), "searches": logs})
