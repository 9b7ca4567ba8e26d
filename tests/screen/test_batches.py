"""Title/abstract sheets in batches: the next batch re-sorted by a model retrained on the batches returned."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from reviewflow.errors import SheetError
from reviewflow.fsio import iter_jsonl, read_csv, read_json, write_jsonl
from reviewflow.screen.batches import BatchPlanner, batch_folder, next_batch, run_ta_batches, to_label
from reviewflow.screen.stages import make_decisions, title_abstract_stage
from reviewflow.sheets import read_sheet, write_sheet
from tests.screen.test_priority import corpus

QUERY = ["peer*", "harm reduction", "lived experience"]


def _truth(rows: list[dict]) -> dict[str, int]:
    return {r["record_id"]: r["label"] for r in rows}


def test_to_label() -> None:
    assert [to_label(v) for v in ("include", "Exclude", 1, 0, True, "1", "pending", "", None, 2)] == \
        [1, 0, 1, 0, 1, 1, None, None, None, None]


def test_first_batch_without_decisions_follows_the_query_or_the_record_id() -> None:
    rows = corpus(120, 12, seed=3)
    truth = _truth(rows)
    plain = next_batch(rows, {}, 10, seed=1)
    assert plain.basis == "record id" and plain.trained_on == (0, 0)
    assert plain.ids == sorted(truth)[:10] and {r["relevance"] for r in plain.rows} == {""}
    by_query = next_batch(rows, {}, 10, seed=1, query=QUERY)
    assert by_query.basis == "query" and by_query.remaining == 110
    assert sum(truth[i] for i in by_query.ids) >= 8
    scores = [float(r["relevance"]) for r in by_query.rows]
    assert scores == sorted(scores, reverse=True)


def test_next_batch_retrains_leaves_out_decided_and_issued_and_is_deterministic() -> None:
    rows = corpus(120, 12, seed=3)
    truth = _truth(rows)
    rel = sorted(k for k, v in truth.items() if v)
    irr = sorted(k for k, v in truth.items() if not v)
    decisions = {rel[0]: "include", rel[1]: "include", irr[0]: "exclude", irr[1]: "exclude", irr[2]: "pending"}
    issued = {rel[2], irr[3]}
    b = next_batch(rows, decisions, 15, seed=7, issued=issued, number=2)
    assert b.basis == "model" and b.trained_on == (2, 2) and b.number == 2
    assert len(b.ids) == 15 and len(set(b.ids)) == 15
    assert not set(b.ids) & ({rel[0], rel[1], irr[0], irr[1]} | issued)
    assert b.remaining == 120 - 4 - 2 - 15          # irr[2] is pending: still to issue
    assert all(truth[i] for i in b.ids[:9])   # the nine relevant records left come first
    scores = [float(r["relevance"]) for r in b.rows]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    # Same inputs, any input order: the same batch, to the byte.
    assert next_batch(list(reversed(rows)), dict(reversed(decisions.items())), 15, seed=7, issued=issued,
                      number=2) == b


def test_ties_are_broken_by_record_id() -> None:
    base = {"title": "peer support worker", "abstract": "peer workers in harm reduction services"}
    other = {"title": "cardiac surgery trial", "abstract": "randomised stent trial mortality"}
    rows = [{"record_id": rid, **base} for rid in ("t9", "t3", "t5", "t1")]
    rows += [{"record_id": f"o{i}", **other} for i in range(6)]
    rows += [{"record_id": "p0", **base}, {"record_id": "n0", **other}]
    b = next_batch(rows, {"p0": 1, "n0": 0}, 6, seed=1)
    assert b.ids[:4] == ["t1", "t3", "t5", "t9"]           # identical texts, identical scores: by id
    assert b.ids[4:] == ["o0", "o1"]
    assert len({r["relevance"] for r in b.rows[:4]}) == 1


def test_known_relevant_trains_the_model_but_is_still_issued() -> None:
    rows = corpus(80, 8, seed=2)
    truth = _truth(rows)
    rel = sorted(k for k, v in truth.items() if v)
    irr = sorted(k for k, v in truth.items() if not v)
    b = next_batch(rows, {irr[0]: 0}, 8, seed=1, prior={rel[0]: 1})
    assert b.basis == "model" and b.trained_on == (1, 1)
    assert rel[0] in b.ids and sum(truth[i] for i in b.ids) >= 7


def test_batches_until_the_end_issue_every_record_once_relevant_first() -> None:
    rows = corpus(300, 20, seed=5)
    truth = _truth(rows)
    planner = BatchPlanner(rows, seed=1, query=QUERY)
    decided: dict[str, int] = {}
    batches = []
    while len(decided) < len(rows):
        b = planner.batch(decided, 40, number=len(batches) + 1)
        batches.append(b)
        decided.update({i: truth[i] for i in b.ids})
    assert [len(b.ids) for b in batches] == [40] * 7 + [20]
    every = [i for b in batches for i in b.ids]
    assert sorted(every) == sorted(truth)          # each record issued exactly once
    assert sum(truth[i] for i in batches[0].ids) == 20  # the query alone finds them here
    assert [b.basis for b in batches] == ["query"] + ["model"] * 7
    assert batches[-1].remaining == 0


# --------------------------------------------------------------------------- the stage with sheets

CONFIG = {"screening": {"reviewers": ["A", "B"], "adjudicator": "C", "prioritise": True, "seed": 1},
          "eligibility": {"highlight_terms": QUERY}}


@pytest.fixture
def review(tmp_path: Path) -> dict:
    rows = corpus(60, 8, seed=9)
    queue = tmp_path / "results" / "title_abstract.queue.jsonl"
    write_jsonl(queue, [{"record_id": r["record_id"], "title": r["title"], "abstract": r["abstract"],
                         "authors": "", "year": "2020", "journal": "", "doi": ""} for r in rows])
    d = {"truth": _truth(rows), "queue": queue, "decisions": tmp_path / "decisions" / "title_abstract",
         "stage": title_abstract_stage(CONFIG), "out": tmp_path / "results"}
    d["sheets"] = {r: d["out"] / "sheets" / f"reviewer_{r}.xlsx" for r in "AB"}
    d["merged"] = {r: d["out"] / "merged" / f"reviewer_{r}.xlsx" for r in "AB"}
    return d


def _run(d: dict, size: int = 20):
    return run_ta_batches(CONFIG, d["stage"], d["queue"], d["decisions"], ["A", "B"], size, d["sheets"],
                          d["merged"], d["out"] / "order.jsonl", d["out"] / "batches.json",
                          display_dir="decisions/title_abstract")


def _return(d: dict, reviewer: str, number: int, flip: str | None = None, leave: int = 0) -> None:
    """The reviewer fills the batch sheet with the truth (one record `flip`ped, `leave` rows blank)."""
    sheet = read_sheet(d["sheets"][reviewer], d["stage"].columns)
    keys = sheet.pending
    rows = []
    for i, k in enumerate(keys):
        lab = d["truth"][k] ^ (k == flip)
        dec = "" if i >= len(keys) - leave else ("include" if lab else "exclude")
        q = next(q for q in iter_jsonl(d["queue"]) if q["record_id"] == k)
        rows.append({**q, "decision": dec})
    write_sheet(d["decisions"] / batch_folder(number) / f"reviewer_{reviewer}.xlsx", d["stage"].columns, rows,
                title=f"Title/abstract screening - {reviewer}")


def test_run_issues_batches_as_reviewers_return_them(review: dict) -> None:
    d, truth = review, review["truth"]
    first = _run(d)
    assert first.number == 1 and first.basis == "query"
    s1 = read_sheet(d["sheets"]["A"], d["stage"].columns)
    assert len(s1.pending) == 20 and s1.pending == first.ids
    said = " ".join(str(c.value) for c in openpyxl.load_workbook(d["sheets"]["A"])["Instructions"]["A"])
    assert "before any decision: by likeness to the protocol's highlight terms" in said
    summary = read_json(d["out"] / "batches.json")
    assert summary["open"]["return_as"]["B"] == "decisions/title_abstract/batch_001/reviewer_B.xlsx"
    assert summary["returned"] == [] and summary["not_issued"] == 40

    flip = next(k for k in first.ids if not truth[k])      # B includes one irrelevant record: a conflict
    _return(d, "A", 1)
    again = _run(d)
    assert again.number == 1 and again.ids == first.ids    # B has not returned it: batch 1 stays open
    _return(d, "B", 1, flip=flip)
    second = _run(d)
    assert second.number == 2 and second.basis == "model"
    n_rel = sum(truth[k] for k in first.ids)
    assert second.trained_on == (n_rel + 1, 20 - n_rel - 1)  # the conflict trains as include
    assert not set(second.ids) & set(first.ids)
    order = list(iter_jsonl(d["out"] / "order.jsonl"))
    assert [o["record_id"] for o in order[:40]] == first.ids + second.ids
    assert [o["status"] for o in order] == ["returned"] * 20 + ["open"] * 20 + ["not issued"] * 20
    assert sorted(o["record_id"] for o in order) == sorted(truth)

    # The merged sheets feed the dual-review stage as they are: batch 1 decided, the rest pending.
    out = d["out"]
    make_decisions(d["stage"], d["out"] / "order.jsonl", d["merged"], {r: f"reviewer {r}" for r in "AB"}, "C",
                   None, "adjudication.xlsx", out / "title_abstract.csv", out / "status.json")
    final = {r["record_id"]: r["decision"] for r in read_csv(out / "title_abstract.csv")}
    assert {k: final[k] for k in first.ids if k != flip} == {
        k: ("include" if truth[k] else "exclude") for k in first.ids if k != flip}
    assert final[flip] == "pending"                      # waits for the adjudicator
    assert all(final[k] == "pending" for k in second.ids)

    # Determinism: a rerun writes the same files, to the byte.
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.suffix in (".jsonl", ".json", ".xlsx")}
    _run(d)
    assert {p: p.read_bytes() for p in before} == before


def test_last_batch_and_the_end(review: dict) -> None:
    d = review
    for n in (1, 2, 3):
        b = _run(d, size=25)
        assert b.number == n
        _return(d, "A", n)
        _return(d, "B", n)
    assert _run(d, size=25) is None
    assert read_sheet(d["sheets"]["A"], d["stage"].columns).pending == []
    summary = read_json(d["out"] / "batches.json")
    assert [b["records"] for b in summary["returned"]] == [25, 25, 10] and summary["open"] is None


def test_bad_batch_files_are_clear_errors(review: dict) -> None:
    d = review
    _run(d)
    _return(d, "A", 1)
    _return(d, "B", 1, leave=0)
    # B's file holds one record fewer than A's.
    path = d["decisions"] / batch_folder(1) / "reviewer_B.xlsx"
    sheet = read_sheet(path, d["stage"].columns)
    keep = [{"record_id": k, **v} for k, v in sheet.rows.items()][1:]
    write_sheet(path, d["stage"].columns, keep, title="Title/abstract screening - B")
    with pytest.raises(SheetError, match=r"reviewer_B\.xlsx:Record ID: holds other records than .*reviewer_A\.xlsx "
                                         r"\(1 differ, e\.g\. "):
        _run(d)
    # A batch folder out of sequence.
    _return(d, "B", 1)
    (d["decisions"] / batch_folder(3)).mkdir()
    (d["decisions"] / batch_folder(3) / "reviewer_A.xlsx").write_bytes(
        (d["decisions"] / batch_folder(1) / "reviewer_A.xlsx").read_bytes())
    with pytest.raises(SheetError, match="batch_003 is returned but batch_002 is not"):
        _run(d)
    # The same record in two batches.
    (d["decisions"] / batch_folder(3)).rename(d["decisions"] / batch_folder(2))
    with pytest.raises(SheetError, match=r"batch_002/reviewer_A\.xlsx:Record ID: record '.+' is also in batch_001"):
        _run(d)
