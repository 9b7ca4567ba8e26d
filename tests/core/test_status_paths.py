"""Issue 15, blocker 3 (part): `reviewflow status` names the path a sheet goes back to, under the
review's own `paths.decisions`, not a path of the demo's layout."""

from __future__ import annotations

from pathlib import Path

import yaml

from reviewflow.fsio import write_json
from reviewflow.status import review_status
from tests.conftest import ROOT


def _project(tmp: Path, decisions: str) -> Path:
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    cfg["paths"]["decisions"] = decisions
    (tmp / "config").mkdir()
    (tmp / "config" / "config.yaml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    return tmp


def test_uncertain_duplicates_go_back_under_paths_decisions(tmp_path: Path):
    root = _project(tmp_path, "team/returned-sheets")
    write_json(root / "results" / "dedup" / "summary.json", {"stats_uncertain_pairs_open": 4})
    write_json(root / "results" / "prisma" / "counts.json", {})
    w = review_status(root)["waiting"]
    assert [x["return_to"] for x in w] == ["team/returned-sheets/dedup/uncertain_pairs.xlsx"]
    assert "returned to team/returned-sheets/dedup/uncertain_pairs.xlsx" in w[0]["message"]



def test_files_nothing_reads_are_named_with_what_they_look_like(tmp_path: Path):
    from reviewflow.sheets import Column, write_sheet

    root = _project(tmp_path, "returned")
    write_json(root / "results" / "prisma" / "counts.json", {})
    ta = root / "returned" / "title_abstract"
    ta.mkdir(parents=True)
    cols = [Column("record_id", "Record ID"), Column("decision", "Decision", editable=True)]
    write_sheet(ta / "reviewer_A.xlsx", cols, [], title="Title/abstract screening - A")
    write_sheet(ta / "reviewer_Ben (1).xlsx", cols, [], title="Title/abstract screening - B")
    (ta / "~$reviewer_A.xlsx").write_bytes(b"lock")          # Excel's lock file: not the team's
    (root / "returned" / "full_text").mkdir()
    (root / "returned" / "full_text" / "smith2019.pdf").write_bytes(b"%PDF-1.4")
    (root / "returned" / "title_abstract" / "batch_001").mkdir()
    write_sheet(ta / "batch_001" / "reviewer_B.xlsx", cols, [], title="Title/abstract screening - B")
    (root / "exports" / "embase_2019").mkdir(parents=True)
    cfg = yaml.safe_load((root / "config" / "config.yaml").read_text(encoding="utf-8"))
    cfg["paths"]["exports"] = "exports"
    (root / "config" / "config.yaml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    notes = {n["file"]: n["message"] for n in review_status(root)["notes"]}
    assert set(notes) == {"returned/title_abstract/reviewer_Ben (1).xlsx", "returned/full_text/smith2019.pdf",
                          "exports/embase_2019"}
    assert notes["returned/title_abstract/reviewer_Ben (1).xlsx"] == (
        "returned/title_abstract/reviewer_Ben (1).xlsx: not read by any stage (a sheet 'Title_abstract "
        "screening - B'); did you mean returned/title_abstract/reviewer_B.xlsx?")
    assert "(a PDF file)" in notes["returned/full_text/smith2019.pdf"]
    assert "no database in the config has the id 'embase_2019'" in notes["exports/embase_2019"]
