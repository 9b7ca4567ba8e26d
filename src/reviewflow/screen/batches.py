"""Title/abstract screening in batches, each one sorted by a model retrained on the batches returned.

In a large review the title/abstract sheets go out in batches (`screening.batch_size` records).
When both reviewers have returned a batch, the model is retrained on the decisions so far and the
next batch is the `batch_size` most likely relevant records not yet issued, most likely first, each
with its relevance score. Decided records are never issued again; ties are broken by record id; the
same queue, decisions, batch size and seed always give the same batch.

`BatchPlanner` (features built once) and `next_batch` (one call) are the library's core.
`run_ta_batches` is the stage as the workflow would run it: a returned batch is a folder
`<decisions>/title_abstract/batch_001/reviewer_<X>.xlsx` (the reviewer's filled copy of the batch
sheet), and the records in a returned file *are* that batch, so a batch never changes once anyone has
returned it, whatever happens to later decisions. It writes

- the open batch's sheets (one per reviewer, fixed paths: the batch number is in the sheet),
- every record in screening order (returned batches, the open batch, then the records not yet
  issued in the current model's order), for the stopping rule,
- one merged sheet per reviewer holding every record with that reviewer's decisions from all
  returned batches, in the layout the dual-review stages read (`conflicts`, `decisions`),
- a summary (batch size, batches returned, the open batch, records left).

Training labels come from complete batches: the reviewers' shared decision, and *include* where
they disagree (title/abstract screening includes when unsure; the adjudicator's later decision is
not waited for, so a batch can go out as soon as both reviewers are done). `known_relevant`
records train the model from the start but are screened like any other.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import SheetError
from ..fsio import iter_jsonl, write_json, write_jsonl
from ..sheets import Column, SheetRead, read_sheet, write_sheet
from .dual import Stage, write_reviewer_sheets
from .priority import Ranker, RankerSettings, _prior_scores, describe_order, order_basis
from .stages import order_criteria

__all__ = ["Batch", "BatchPlanner", "next_batch", "to_label", "batch_folder", "ReturnedBatch", "read_returned_batches",
           "run_ta_batches"]

_INCLUDE = {"1", "include", "included", "true", "yes", "relevant"}
_EXCLUDE = {"0", "exclude", "excluded", "false", "no", "irrelevant"}
_BATCH_DIR = re.compile(r"^batch_(\d+)$")


def to_label(value: object) -> int | None:
    """1 (relevant), 0 (not relevant) or None (no decision yet: pending, blank) from a decision value."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | np.integer) and int(value) in (0, 1):
        return int(value)
    text = str(value if value is not None else "").strip().lower()
    if text in _INCLUDE:
        return 1
    if text in _EXCLUDE:
        return 0
    return None


def batch_folder(number: int) -> str:
    """`batch_001`: the folder of a batch under <decisions>/title_abstract/."""
    return f"batch_{number:03d}"


@dataclass
class Batch:
    """One batch: its rows in priority order (each with its relevance score) and how it was ordered."""

    number: int
    rows: list[dict]
    basis: str                    # "model" (trained on decisions), "query" (protocol terms) or "record id"
    trained_on: tuple[int, int]   # (relevant, not relevant) labels the model learnt from
    remaining: int                # records neither decided nor issued after this batch

    @property
    def ids(self) -> list[str]:
        return [r["record_id"] for r in self.rows]


class BatchPlanner:
    """The records of one screening queue, and the next batch for any set of decisions."""

    def __init__(self, rows: Sequence[Mapping[str, str]], *, seed: int = 0, query: Sequence[str] = (),
                 settings: RankerSettings | None = None, id_key: str = "record_id",
                 cache_dir: Path | None = None) -> None:
        # Sorted by id: the batches depend on the set of records and decisions, not on their order
        # (the solver visits the training records in order, so order could move a score's last digits).
        self.rows = sorted((dict(r) for r in rows), key=lambda r: str(r[id_key]))
        self.id_key = id_key
        self.ids = [str(r[id_key]) for r in self.rows]
        self.pos = {rid: i for i, rid in enumerate(self.ids)}
        if len(self.pos) != len(self.ids):
            raise ValueError("record ids in the queue must be unique")
        self.seed = seed
        self.query = tuple(t for t in query if t.strip())
        self.settings = settings
        self.cache_dir = cache_dir   # the ranker's features, kept by content hash (see priority.Ranker)
        self._ranker: Ranker | None = None
        self._prior: dict[tuple[int, ...], np.ndarray] = {}

    def _model(self) -> Ranker:
        if self._ranker is None:  # features once, for every batch
            self._ranker = Ranker([r.get("title", "") or "" for r in self.rows],
                                  [r.get("abstract", "") or "" for r in self.rows],
                                  seed=self.seed, settings=self.settings, cache_dir=self.cache_dir)
        return self._ranker

    def scores(self, labels: Mapping[str, int]) -> tuple[np.ndarray, str, tuple[int, int]]:
        """Relevance (0-1) of every record, what it rests on, and the labels it was trained on."""
        known = sorted((self.pos[k], v) for k, v in labels.items() if k in self.pos)
        n_pos = sum(v for _, v in known)
        trained = (n_pos, len(known) - n_pos)
        basis = order_basis([v for _, v in known], self.query)
        if basis == "model":
            model = self._model()
            return model.relevance(model.scores([i for i, _ in known], [v for _, v in known])), "model", trained
        positives = tuple(i for i, v in known if v == 1)
        if basis == "prior":
            # Before decisions of both kinds: the protocol's words and the known includes (as order_rows).
            if positives not in self._prior:
                self._prior[positives] = _prior_scores(self.rows, self.query, positives)
            return self._prior[positives], "query", trained
        return np.zeros(len(self.rows)), "record id", trained

    def batch(self, decisions: Mapping[str, object], size: int, *, issued: Collection[str] = (),
              prior: Mapping[str, object] | None = None, within: Collection[str] | None = None,
              number: int = 0, score_key: str = "relevance") -> Batch:
        """The next `size` records, most likely relevant first.

        `decisions`: record id -> include/exclude (1/0; pending or blank values are ignored); these
        records train the model and are never in a batch again, nor are the `issued` ones (sent
        out, not yet decided). `prior`: labels that train the model without taking the record out
        (known relevant studies that still go to the reviewers). `within`: the batch's records
        are given (a batch already returned): only their order and scores are computed."""
        if size < 0:
            raise ValueError("batch size must be at least 0")
        decided = {str(k): lab for k, v in decisions.items() if (lab := to_label(v)) is not None}
        labels = {**{str(k): lab for k, v in (prior or {}).items() if (lab := to_label(v)) is not None}, **decided}
        score, basis, trained = self.scores(labels)
        if within is not None:
            unknown = sorted(set(within) - self.pos.keys())
            if unknown:
                raise ValueError(f"not in the queue: {', '.join(unknown[:5])}")
            candidates = [self.pos[k] for k in dict.fromkeys(within)]
        else:
            taken = decided.keys() | set(issued)
            candidates = [i for i, rid in enumerate(self.ids) if rid not in taken]
        candidates.sort(key=lambda i: (-round(float(score[i]), 6), self.ids[i]))
        chosen = candidates if within is not None else candidates[:size]
        rows = []
        for i in chosen:
            row = dict(self.rows[i])
            row[score_key] = "" if basis == "record id" else f"{float(score[i]):.3f}"
            rows.append(row)
        taken_after = set(decided) | set(issued) | {self.ids[i] for i in chosen}
        remaining = sum(rid not in taken_after for rid in self.ids)
        return Batch(number, rows, basis, trained, remaining)


def next_batch(rows: Sequence[Mapping[str, str]], decisions: Mapping[str, object], batch_size: int, seed: int = 0,
               *, issued: Collection[str] = (), prior: Mapping[str, object] | None = None,
               query: Sequence[str] = (), settings: RankerSettings | None = None, number: int = 0) -> Batch:
    """The next batch of the queue `rows` (record_id, title, abstract...): see `BatchPlanner.batch`."""
    planner = BatchPlanner(rows, seed=seed, query=query, settings=settings)
    return planner.batch(decisions, batch_size, issued=issued, prior=prior, number=number)


# --------------------------------------------------------------------------- returned sheets


@dataclass
class ReturnedBatch:
    """A batch as the reviewers returned it: its records (fixed by the files) and each one's sheet."""

    number: int
    keys: list[str]
    sheets: dict[str, SheetRead | None] = field(default_factory=dict)   # reviewer -> sheet (None: not back)
    files: dict[str, str] = field(default_factory=dict)                 # reviewer -> file name

    @property
    def complete(self) -> bool:
        return all(s is not None and not s.pending for s in self.sheets.values())

    def labels(self, decision_key: str = "decision") -> dict[str, int]:
        """Training labels: the shared decision; include where the reviewers disagree."""
        out = {}
        for k in self.keys:
            votes = [to_label(s.rows[k][decision_key]) for s in self.sheets.values() if s and k in s.rows]
            votes = [v for v in votes if v is not None]
            if votes:
                out[k] = 1 if any(votes) else 0
        return out


def _sheet_keys(sheet: SheetRead) -> list[str]:
    return [*sheet.rows, *sheet.pending]


def read_returned_batches(stage: Stage, decisions_dir: str | Path, reviewers: Sequence[str],
                  queue_keys: Collection[str]) -> list[ReturnedBatch]:
    """The batches returned so far (`batch_001/`, `batch_002/`, ... each with one file per reviewer).

    Bad files raise SheetError: a record not in the queue or in two batches, the reviewers'
    files of one batch holding different records, a batch folder missing in the sequence."""
    decisions_dir = Path(decisions_dir)
    numbers = sorted(int(m.group(1)) for p in (decisions_dir.iterdir() if decisions_dir.is_dir() else ())
                     if p.is_dir() and (m := _BATCH_DIR.match(p.name)))
    numbers = [n for n in numbers if any((decisions_dir / batch_folder(n) / f"reviewer_{r}.xlsx").exists()
                                          for r in reviewers)]
    for i, n in enumerate(numbers, 1):
        if n != i:
            raise SheetError(f"{batch_folder(n)} is returned but {batch_folder(i)} is not: batches are "
                             "numbered from 1 without gaps", file=str(decisions_dir / batch_folder(n)))
    queue = set(queue_keys)
    seen: dict[str, int] = {}
    out = []
    for n in numbers:
        files = {r: decisions_dir / batch_folder(n) / f"reviewer_{r}.xlsx" for r in reviewers}
        sheets: dict[str, SheetRead | None] = {}
        keys: list[str] | None = None
        first = ""
        for r, path in files.items():
            if not path.exists():
                sheets[r] = None
                continue
            sheet = read_sheet(path, stage.columns, aliases=stage.aliases)
            # With aliases, a record that has left the queue since (excluded by a rule, merged into
            # another study) is set aside; its batch keeps the rest.
            these = [k for k in _sheet_keys(sheet) if stage.aliases is None or k in queue]
            for k in these:
                if k not in queue:
                    raise SheetError(f"record {k!r} is not in the title/abstract queue", file=str(path),
                                     column="Record ID")
                if seen.get(k, n) != n:
                    raise SheetError(f"record {k!r} is also in {batch_folder(seen[k])}", file=str(path),
                                     column="Record ID")
            if keys is None:
                keys, first = these, str(path)
            elif set(these) != set(keys):
                diff = sorted(set(these) ^ set(keys))
                raise SheetError(f"holds other records than {first} ({len(diff)} differ, e.g. {diff[0]}): "
                                 "both reviewers screen the same batch", file=str(path), column="Record ID")
            seen.update(dict.fromkeys(these, n))
            sheets[r] = sheet
        assert keys is not None
        out.append(ReturnedBatch(n, keys, sheets, {r: str(p) for r, p in files.items()}))
    return out


def _with_relevance(stage: Stage) -> Stage:
    """The stage's columns with the relevance column (batches are always sorted by relevance)."""
    if any(c.key == "relevance" for c in stage.context):
        return stage
    ctx = list(stage.context)
    at = next((i + 1 for i, c in enumerate(ctx) if c.key == "record_id"), 0)
    ctx.insert(at, Column("relevance", "Relevance", width=10))
    return dataclasses.replace(stage, context=tuple(ctx))


def run_ta_batches(config: dict, stage: Stage, queue: Path, decisions_dir: Path, reviewers: Sequence[str],
                   batch_size: int, sheets: Mapping[str, Path], merged: Mapping[str, Path], order_path: Path,
                   summary_path: Path, *, display_dir: str | None = None,
                   cache_dir: Path | None = None) -> Batch | None:
    """Read the returned batches, write the open batch's sheets, the screening order, the merged
    sheets and the summary. Returns the open batch (None when every record has been returned).
    `cache_dir` keeps the ranker's features between runs (a rerun after each batch loads them)."""
    if batch_size < 1:
        raise ValueError("batch size must be at least 1")
    stage = _with_relevance(stage)
    display_dir = display_dir or str(decisions_dir)
    rows = list(iter_jsonl(queue))
    by_id = {r["record_id"]: r for r in rows}
    scr = config.get("screening", {})
    seed = int(scr.get("seed", 0))
    known = {str(k): 1 for k in scr.get("known_relevant", [])}
    criteria = order_criteria(config, stage)
    planner = BatchPlanner(rows, seed=seed, query=criteria, cache_dir=cache_dir)
    returned = read_returned_batches(stage, decisions_dir, reviewers, by_id.keys())
    dk = stage.decision[0].key

    labels: dict[str, int] = {}
    order: list[dict] = []
    open_batch: Batch | None = None
    for rb in returned:
        b = planner.batch(labels, len(rb.keys), prior=known, within=rb.keys, number=rb.number)
        status = "returned" if rb.complete else "open"
        order += [{"record_id": r["record_id"], "batch": rb.number, "status": status,
                   "relevance": r["relevance"]} for r in b.rows]
        if open_batch is None:
            if rb.complete:
                labels.update(rb.labels(dk))
            else:
                open_batch = b   # the earliest batch not complete goes out again, as returned
    issued = {r["record_id"] for r in order}
    if open_batch is None and len(issued) < len(rows):
        open_batch = planner.batch(labels, batch_size, issued=issued, prior=known, number=len(returned) + 1)
        order += [{"record_id": r["record_id"], "batch": open_batch.number, "status": "open",
                   "relevance": r["relevance"]} for r in open_batch.rows]
        issued |= set(open_batch.ids)
    rest = planner.batch(labels, len(rows), issued=issued, prior=known)
    order += [{"record_id": r["record_id"], "batch": "", "status": "not issued", "relevance": r["relevance"]}
              for r in rest.rows]
    write_jsonl(order_path, order)

    cols = [c.key for c in stage.context]
    if open_batch is not None:
        where = f"{display_dir}/{batch_folder(open_batch.number)}/reviewer_<you>.xlsx"
        batch_stage = dataclasses.replace(stage, instructions=(
            f"Batch {open_batch.number} ({len(open_batch.rows)} records, most likely relevant first).",
            describe_order([1] * open_batch.trained_on[0] + [0] * open_batch.trained_on[1], criteria),
            *stage.instructions,
            f"Save the filled sheet as {where}; the next batch is issued when both reviewers have returned "
            "this one."))
        sheet_rows = [{k: r.get(k, "") for k in cols} for r in open_batch.rows]
    else:
        batch_stage = dataclasses.replace(stage, instructions=("Every record has been issued and returned: "
                                                               "nothing to screen.",))
        sheet_rows = []
    write_reviewer_sheets(batch_stage, sheet_rows, sheets)

    # Every record, each reviewer's decisions so far: the layout the dual-review stages read.
    dec_keys = [c.key for c in stage.decision]
    for r, path in merged.items():
        merged_rows = []
        for o in order:
            row = {**{k: by_id[o["record_id"]].get(k, "") for k in cols}, "relevance": o["relevance"]}
            sheet = next((rb.sheets.get(r) for rb in returned if rb.number == o["batch"]), None)
            got = sheet.rows.get(o["record_id"]) if sheet is not None else None
            row.update({k: (got or {}).get(k, "") for k in dec_keys})
            merged_rows.append(row)
        write_sheet(path, stage.columns, merged_rows, title=f"{stage.label} - {r}"[:31],
                    instructions=[f"Generated from reviewer {r}'s returned batches ({display_dir}/batch_*/): "
                                  "do not edit; edit the batch files instead."])

    write_json(summary_path, {
        "batch_size": batch_size, "records": len(rows),
        "returned": [{"batch": rb.number, "records": len(rb.keys), "complete": rb.complete,
                      "files": {r: rb.files[r] for r in reviewers if rb.sheets.get(r) is not None}}
                     for rb in returned],
        "open": None if open_batch is None else {
            "batch": open_batch.number, "records": len(open_batch.rows), "basis": open_batch.basis,
            "trained_on": {"relevant": open_batch.trained_on[0], "irrelevant": open_batch.trained_on[1]},
            "return_as": {r: f"{display_dir}/{batch_folder(open_batch.number)}/reviewer_{r}.xlsx"
                          for r in reviewers}},
        "not_issued": sum(o["status"] == "not issued" for o in order)})
    return open_batch
