"""What citation searching adds: chased records matched against the databases' records, then the rules.

A chased record that is the same work as a record the databases found is a duplicate of it (PRISMA counts
it once, in the databases' branch); the rest are grouped among themselves, merged, and put through the
same automatic eligibility rules before people screen them.
"""

from __future__ import annotations

from pathlib import Path

from reviewflow.dedup.engine import deduplicate
from reviewflow.dedup.merge import merge_group
from reviewflow.fsio import iter_jsonl, write_csv, write_dataclass_jsonl, write_json
from reviewflow.records import Record
from reviewflow.screen.rules import RULE_ORDER, Rules


def run_candidates(config: dict, chased: Path, db_unique: Path, out_groups: Path, out_unique: Path,
                   out_auto: Path, out_summary: Path, *, jobs: int = 1) -> None:
    """groups.csv: every chased record once, with the record it duplicates (a database record or another
    chased one) or itself; unique.jsonl: the new works, merged; auto.csv: the rules' verdict on them."""
    known = [Record.from_dict(d) for d in iter_jsonl(db_unique)]
    found = [Record.from_dict(d) for d in iter_jsonl(chased)]
    result = deduplicate(known + found, jobs=jobs)
    group_of: dict[str, str] = {}
    new_groups: list[list[Record]] = []
    from_databases = within = 0
    for members in result.groups:
        db_members = [i for i in members if i < len(known)]
        chased_members = sorted((found[i - len(known)] for i in members if i >= len(known)), key=lambda r: r.id)
        if not chased_members:
            continue
        if db_members:
            rep = known[min(db_members, key=lambda i: known[i].id)].id
            from_databases += len(chased_members)
        else:
            rep = chased_members[0].id
            within += len(chased_members) - 1
            new_groups.append(chased_members)
        for r in chased_members:
            group_of[r.id] = rep
    write_csv(out_groups, ["record_id", "group_id"],
              ({"record_id": r.id, "group_id": group_of[r.id]} for r in sorted(found, key=lambda r: r.id)))
    merged = sorted((merge_group(g)[0] for g in new_groups), key=lambda r: r.id)
    write_dataclass_jsonl(out_unique, merged)
    rules = Rules.from_config(config.get("eligibility", {}))
    auto = [{"record_id": r.id, "rule": rules.apply(r)} for r in merged]
    write_csv(out_auto, ["record_id", "rule"], auto)
    write_json(out_summary, {"records": len(found), "duplicates_of_database_records": from_databases,
                             "duplicates_within_citations": within, "new": len(merged),
                             "automation_excluded": {name: sum(1 for a in auto if a["rule"] == name)
                                                     for name in RULE_ORDER}})
