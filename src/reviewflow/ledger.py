"""The ledger: every record's path through the stages, with the reason at each step.

PRISMA counts are computed from this file and nowhere else (see report/counts.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .fsio import iter_jsonl, read_csv, write_csv

# Final states, in the order of the PRISMA diagram.
STATES = (
    "rejected",          # could not be read: PRISMA "removed for other reasons"
    "duplicate",         # duplicate_of another record
    "auto_excluded",     # an automatic eligibility rule
    "ta_pending",        # awaiting title/abstract decisions
    "ta_excluded",
    "retrieval_pending", # sought, retrieval not yet recorded
    "not_retrieved",
    "ft_pending",        # retrieved, awaiting full-text decisions
    "ft_excluded",
    "included",
)

LEDGER_COLUMNS = ["record_id", "source", "file", "index", "line", "state", "reason", "duplicate_of",
                  "study_id", "path", "branch"]
# PRISMA's two columns: records from the databases, and those from other methods (citation searching).
DATABASES, OTHER = "databases", "other"


@dataclass
class Entry:
    record_id: str
    source: str
    file: str
    index: int
    line: int
    state: str = ""
    reason: str = ""
    duplicate_of: str = ""
    study_id: str = ""
    path: list[str] = field(default_factory=list)
    branch: str = DATABASES

    def row(self) -> dict:
        return {"record_id": self.record_id, "source": self.source, "file": self.file,
                "index": self.index, "line": self.line, "state": self.state, "reason": self.reason,
                "duplicate_of": self.duplicate_of, "study_id": self.study_id,
                "path": ";".join(self.path), "branch": self.branch}


@dataclass
class StageInputs:
    """The stage outputs the ledger is built from (paths under results/)."""

    imports: list[Path]            # results/import/<db>.jsonl
    rejects: list[Path]            # results/import/<db>.rejects.jsonl
    groups: Path                   # results/dedup/groups.csv: record_id,group_id
    auto: Path                     # results/eligibility/auto.csv: record_id,rule
    title_abstract: Path           # results/screen/title_abstract.csv: record_id,decision,basis
    retrieval: Path                # results/fulltext/retrieval.csv: record_id,status
    full_text: Path                # results/fulltext/assessment.csv: record_id,decision,reason,study_id


def _decisions(path: Path) -> dict[str, dict]:
    return {row["record_id"]: row for row in read_csv(path)} if Path(path).exists() else {}


def build_ledger(inputs: StageInputs, source_order: Iterable[str], other: StageInputs | None = None) -> list[Entry]:
    """Follow every identified record (read or rejected) to its final state; `other`: the records found
    by other methods (citation searching), through their own screening, after the databases' records."""
    entries = _branch(inputs, source_order, DATABASES)
    if other is None:
        return entries
    ids = {e.record_id for e in entries}
    more = _branch(other, [], OTHER)
    for e in more:
        if e.record_id in ids:
            raise ValueError(f"record id {e.record_id} appears in both branches ({e.file}:{e.line})")
    return entries + more


def _branch(inputs: StageInputs, source_order: Iterable[str], branch: str) -> list[Entry]:
    order = {s: i for i, s in enumerate(source_order)}
    entries: dict[str, Entry] = {}
    for p in inputs.imports:
        for rec in iter_jsonl(p):
            prov = rec["provenance"]
            e = Entry(rec["id"], prov["source"], prov["file"], prov["index"], prov["line"], branch=branch)
            e.path.append("identified")
            _add(entries, e)
    for p in inputs.rejects:
        for rej in iter_jsonl(p):
            e = Entry(rej["id"], rej["source"], rej["file"], rej["index"], rej["line"],
                      state="rejected", reason=rej["reason"], branch=branch)
            e.path += ["identified", "rejected"]
            _add(entries, e)

    groups = {row["record_id"]: row["group_id"] for row in read_csv(inputs.groups)}
    auto = {row["record_id"]: row["rule"] for row in read_csv(inputs.auto)}
    ta = _decisions(inputs.title_abstract)
    retrieval = _decisions(inputs.retrieval)
    ft = _decisions(inputs.full_text)

    for e in entries.values():
        if e.state == "rejected":
            continue
        group = groups.get(e.record_id)
        if group is None:
            raise ValueError(f"record {e.record_id} missing from dedup groups")
        if group != e.record_id:
            e.state, e.duplicate_of = "duplicate", group
            e.path.append(f"duplicate_of:{group}")
            continue
        e.path.append("unique")
        rule = auto.get(e.record_id, "")
        if rule:
            e.state, e.reason = "auto_excluded", rule
            e.path.append(f"auto_excluded:{rule}")
            continue
        e.path.append("screened")
        d = ta.get(e.record_id, {}).get("decision", "pending")
        if d == "pending":
            e.state = "ta_pending"
            continue
        if d == "exclude":
            e.state = "ta_excluded"
            e.path.append("ta_excluded")
            continue
        e.path.append("sought")
        status = retrieval.get(e.record_id, {}).get("status", "pending")
        if status == "pending":
            e.state = "retrieval_pending"
            continue
        if status == "not_retrieved":
            e.state = "not_retrieved"
            e.path.append("not_retrieved")
            continue
        e.path.append("assessed")
        row = ft.get(e.record_id, {})
        d = row.get("decision", "pending")
        if d == "pending":
            e.state = "ft_pending"
        elif d == "exclude":
            e.state, e.reason = "ft_excluded", row["reason"]
            e.path.append(f"ft_excluded:{row['reason']}")
        else:
            e.state, e.study_id = "included", row.get("study_id") or e.record_id
            e.path.append("included")
    return sorted(entries.values(), key=lambda e: (order.get(e.source, len(order)), e.file, e.index))


def _add(entries: dict[str, Entry], e: Entry) -> None:
    if e.record_id in entries:
        raise ValueError(f"record id {e.record_id} appears twice ({e.file}:{e.line})")
    entries[e.record_id] = e


def write_ledger(path: Path, entries: Iterable[Entry]) -> None:
    write_csv(path, LEDGER_COLUMNS, (e.row() for e in entries))


def read_ledger(path: Path) -> list[dict]:
    return read_csv(path)


def state_counts(rows: Iterable[Mapping[str, str]]) -> dict[str, int]:
    out = dict.fromkeys(STATES, 0)
    for r in rows:
        out[r["state"]] += 1
    return out
