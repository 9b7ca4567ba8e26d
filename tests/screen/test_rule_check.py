"""Issue 16: reviewers see the review-like titles rule's exclusions in a sheet and may overturn them."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewflow.errors import SheetError
from reviewflow.fsio import read_csv, read_json, write_jsonl
from reviewflow.records import Provenance, Record
from reviewflow.screen.run import run_eligibility
from tests.faults.people import fill, values

CONFIG = {"eligibility": {"publication_types": {"exclude": ["review", "scoping-review", "protocol"]}}}
TITLES = {
    "r1": "Peer workers in harm reduction services: a scoping review",
    "r2": "Study protocol for a trial of peer navigation; results of the trial",
    "r3": "Peer navigators and retention in treatment: a cohort study",
}


def _unique(tmp_path: Path) -> Path:
    recs = [Record(id=rid, provenance=Provenance("db", "f.ris", i, i + 1), title=t,
                   publication_type=["Journal Article"]) for i, (rid, t) in enumerate(TITLES.items())]
    path = tmp_path / "unique.jsonl"
    write_jsonl(path, [r.to_dict() for r in recs])
    return path


def _run(tmp_path: Path, returned: Path | None = None, aliases: dict[str, str] | None = None) -> dict:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    run_eligibility(CONFIG, _unique(tmp_path), out / "auto.csv", out / "summary.json", out / "check.xlsx",
                    returned, aliases)
    return {"auto": {r["record_id"]: r["rule"] for r in read_csv(out / "auto.csv")},
            "summary": {e["rule"]: e for e in read_json(out / "summary.json")}, "sheet": out / "check.xlsx"}


def test_the_rules_exclusions_are_listed_with_what_they_say(tmp_path: Path) -> None:
    got = _run(tmp_path)
    assert got["auto"] == {"r1": "review_title", "r2": "review_title", "r3": ""}
    rows = values(got["sheet"])
    assert sorted(rows) == ["r1", "r2"]
    assert rows["r1"]["says it is"] == "scoping review" and rows["r2"]["says it is"] == "protocol"
    assert rows["r1"]["decision"] is None
    assert got["summary"]["review_title"]["n"] == 2 and got["summary"]["review_title"]["overturned"] == 0


def test_a_reviewer_sends_a_record_on_to_screening_and_the_new_sheet_keeps_the_decision(tmp_path: Path) -> None:
    sheet = _run(tmp_path)["sheet"]
    back = fill(sheet, tmp_path / "decisions" / "check.xlsx", {"r2": {"decision": "screen"},
                                                               "r1": {"decision": "exclude"}})
    ids = {rid: rid for rid in TITLES}
    got = _run(tmp_path, back, ids)
    assert got["auto"] == {"r1": "review_title", "r2": "", "r3": ""}
    assert got["summary"]["review_title"]["n"] == 1 and got["summary"]["review_title"]["overturned"] == 1
    rows = values(got["sheet"])
    assert rows["r2"]["decision"] == "screen" and rows["r1"]["decision"] == "exclude"


def test_a_decision_follows_its_record_into_a_duplicate_group(tmp_path: Path) -> None:
    sheet = _run(tmp_path)["sheet"]
    # The sheet was returned when the study's record was r9; r9 has since been merged into r2's group.
    back = fill(sheet, tmp_path / "decisions" / "check.xlsx", {"r2": {"record_id": "r9", "decision": "screen"}})
    got = _run(tmp_path, back, {"r1": "r1", "r2": "r2", "r3": "r3", "r9": "r2"})
    assert got["auto"]["r2"] == "" and got["summary"]["review_title"]["overturned"] == 1
    assert values(got["sheet"])["r2"]["decision"] == "screen"
    # Without the groups, an id the review does not know is refused.
    with pytest.raises(SheetError):
        _run(tmp_path, back)


def test_a_bad_choice_is_refused_with_the_file_and_row(tmp_path: Path) -> None:
    sheet = _run(tmp_path)["sheet"]
    back = fill(sheet, tmp_path / "decisions" / "check.xlsx", {"r1": {"decision": "keep it"}})
    with pytest.raises(SheetError) as err:
        _run(tmp_path, back, {rid: rid for rid in TITLES})
    assert "check.xlsx" in str(err.value) and "2" in str(err.value)
