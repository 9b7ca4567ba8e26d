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

