"""The stopping statement the workflow can write after title/abstract decisions, and prioritised sheets."""

from __future__ import annotations

from pathlib import Path

from reviewflow.fsio import read_json, write_csv, write_jsonl
from reviewflow.screen.run import run_stopping
from reviewflow.screen.stages import title_abstract_stage


def test_stopping_reads_decisions_in_queue_order_up_to_the_first_pending(tmp_path: Path) -> None:
    ids = [f"r{i:04d}" for i in range(1000)]
    write_jsonl(tmp_path / "q.jsonl", [{"record_id": r} for r in ids])
    decisions = [{"record_id": r, "decision": "include" if i < 20 else "exclude", "reason": "", "basis": "agreed"}
                 for i, r in enumerate(ids)]
    decisions[950]["decision"] = "pending"
    decisions[960]["decision"] = "include"  # after the first pending one: not counted
    write_csv(tmp_path / "d.csv", ["record_id", "decision", "reason", "basis"], decisions)
    run_stopping({"screening": {}}, tmp_path / "q.jsonl", tmp_path / "d.csv", tmp_path / "s.json")
    got = read_json(tmp_path / "s.json")
    assert got["n_screened"] == 950 and got["relevant_found"] == 20 and got["n_total"] == 1000
    assert got["stop"] is True and 20 < got["stop_after"] <= 950
    assert "may stop" in got["statement"] and got["assumptions"]


def test_relevance_column_only_when_prioritised() -> None:
    assert "relevance" not in [c.key for c in title_abstract_stage({}).columns]
    cols = [c.key for c in title_abstract_stage({"screening": {"prioritise": True}}).columns]
    assert cols[:2] == ["record_id", "relevance"]
