"""Title/abstract screening in batches through the workflow: each batch re-sorted by what came back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from tests.e2e.test_workflow import make_project, run_ok
from tests.faults.people import fill, values

pytestmark = pytest.mark.e2e
BATCH = 40


def test_batches_are_issued_as_reviewers_return_them(small_demo_run, tmp_path: Path) -> None:
    demo_root, _ = small_demo_run
    root = make_project(tmp_path / "batched", demo=False)
    for folder in ("exports", "snapshots"):
        shutil.copytree(demo_root / "demo-review/generated" / folder, root / "demo-review/generated" / folder)
    cfg = yaml.safe_load((root / "config/config.yaml").read_text(encoding="utf-8"))
    cfg["screening"]["batch_size"] = BATCH
    cfg["citation_chasing"] = {"enabled": False}
    (root / "config/config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    run_ok(root, "results/prisma/counts.json")

    sheets = root / "results/sheets/title_abstract/batch"
    first = {r: values(sheets / f"reviewer_{r}.xlsx") for r in ("A", "B")}
    assert len(first["A"]) == BATCH and first["A"].keys() == first["B"].keys()
    # Both reviewers return batch 1: peer studies included, the rest excluded.
    for r in ("A", "B"):
        decisions = {k: {"Decision": "include" if "peer" in str(v["Title"]).lower() else "exclude"}
                     for k, v in first[r].items()}
        fill(sheets / f"reviewer_{r}.xlsx", root / f"demo-review/decisions/title_abstract/batch_001/reviewer_{r}.xlsx",
             decisions)
    run_ok(root, "results/prisma/counts.json")

    second = values(sheets / "reviewer_A.xlsx")
    assert len(second) == BATCH and not second.keys() & first["A"].keys()
    relevance = [float(v["Relevance"]) for v in second.values()]
    assert relevance == sorted(relevance, reverse=True)  # most likely relevant first
    summary = json.loads((root / "results/screen/title_abstract.batches.json").read_text(encoding="utf-8"))
    assert [b["batch"] for b in summary["returned"]] == [1] and summary["returned"][0]["complete"]
    assert summary["open"]["batch"] == 2 and summary["open"]["records"] == BATCH
    # The model behind batch 2 learnt from batch 1's decisions (both kinds were made).
    trained = summary["open"]["trained_on"]
    assert trained["relevant"] > 0 and trained["irrelevant"] > 0
    # Its features were kept for the next rerun, by the records' content.
    assert len(list((root / "results/cache/ranker").glob("features-*.npz"))) == 1
    assert summary["open"]["return_as"]["A"].endswith("title_abstract/batch_002/reviewer_A.xlsx")
    decided = [row for row in _csv(root / "results/screen/title_abstract.csv") if row["decision"] != "pending"]
    assert {row["record_id"] for row in decided} == set(first["A"])
    counts = json.loads((root / "results/prisma/counts.json").read_text(encoding="utf-8"))
    assert counts["awaiting"]["title_abstract"] == counts["screened"] - counts["screen_excluded"] - counts["sought"]
    assert counts["screen_excluded"] + counts["sought"] == BATCH


def _csv(path: Path) -> list[dict[str, str]]:
    import csv

    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
