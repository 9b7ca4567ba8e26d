"""Issue 15: the uncertain-duplicates sheet returned after screening started (a real EndNote library).

The team's first run writes the screening sheets and the duplicates sheet. The reviewers screen
everything, both records of each uncertain pair included, before anyone looks at the duplicates.
Then the duplicates sheet comes back with every pair called a duplicate: the run must not refuse
the screening sheets (their rows of merged records are read for the merged group), no decision may
come back blank (a merged work whose records were decided differently waits for the reviewers
again, and only that), and the PRISMA counts move the merged records from screened to duplicates removed.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from reviewflow.fsio import read_csv
from reviewflow.status import format_status, review_status

from ..conftest import SHARED, need
from .test_walkthrough import _fill, _fill_column, _waiting
from .test_workflow import make_project, run_ok

pytestmark = pytest.mark.e2e

LIBRARY = SHARED / "fixtures" / "exports" / "endnote_xml_2.xml"   # holds pairs the rules cannot decide


def _vote(record_id: str) -> str:
    return "include" if int(hashlib.sha1(record_id.encode()).hexdigest(), 16) % 4 == 0 else "exclude"


def _project(tmp: Path) -> Path:
    root = make_project(tmp / "review", demo=False)
    cfg = yaml.safe_load((root / "config" / "config.yaml").read_text(encoding="utf-8"))
    cfg["paths"] = {"exports": "exports", "fulltext": "fulltext", "decisions": "decisions",
                    "snapshots": "snapshots"}
    cfg["databases"] = [{"id": "endnote", "name": "Team's EndNote library", "platform": "EndNote",
                         "export": "endnote_xml"}]
    cfg["citation_chasing"] = {"enabled": False}
    cfg["eligibility"] = {"publication_types": {"exclude": ["erratum"]}}
    (root / "config" / "config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    (root / "exports" / "endnote").mkdir(parents=True)
    shutil.copy(need(LIBRARY, "shared export fixture"), root / "exports" / "endnote" / LIBRARY.name)
    return root


def test_duplicate_decisions_returned_after_screening_keep_every_decision(tmp_path: Path) -> None:
    root = _project(tmp_path)
    sheets, back = root / "results/sheets", root / "decisions"
    run_ok(root)
    st = review_status(root)
    text = format_status(st)
    pairs = _waiting(st)[("dedup", "a reviewer")]
    assert pairs >= 2 and "decisions/dedup/uncertain_pairs.xlsx" in text
    queue = len(read_csv(root / "results/screen/title_abstract.csv"))

    # Both reviewers screen every record, the uncertain pairs' members too (they agree: no conflicts).
    for r in ("A", "B"):
        assert _fill(sheets / f"title_abstract/reviewer_{r}.xlsx", back / f"title_abstract/reviewer_{r}.xlsx",
                     _vote) == queue
    run_ok(root)
    before = {r["record_id"]: r["decision"] for r in read_csv(root / "results/screen/title_abstract.csv")}
    assert "pending" not in before.values()
    counts_before = review_status(root)["counts"]

    # Now the duplicates sheet comes back: every uncertain pair is one work.
    assert _fill_column(sheets / "dedup/uncertain_pairs.xlsx", back / "dedup/uncertain_pairs.xlsx", "decision",
                        lambda row: "duplicate") == pairs
    run_ok(root)
    st = review_status(root)
    assert not st["failed"]
    groups = {r["record_id"]: r["group_id"] for r in read_csv(root / "results/dedup/groups.csv")}
    after = {r["record_id"]: r["decision"] for r in read_csv(root / "results/screen/title_abstract.csv")}
    merged = {rid for rid in before if groups[rid] != rid}
    assert merged, "the returned pairs should merge records that were screened apart"
    assert set(after) == set(before) - merged
    # A merged group keeps its decision where its records' rows agree; where they disagree, the work
    # waits for both reviewers again (nothing is chosen for them), and for nothing else.
    members: dict[str, set[str]] = {}
    for rid in before:
        members.setdefault(groups[rid], set()).add(rid)
    expected = {g: ({before[m] for m in ms}.pop() if len({before[m] for m in ms}) == 1 else "pending")
                for g, ms in members.items()}
    assert after == expected
    again = sum(d == "pending" for d in after.values())
    waiting = {w: n for w, n in _waiting(st).items() if w[0] in ("dedup", "title_abstract")}
    assert waiting == ({("title_abstract", "reviewer A"): again, ("title_abstract", "reviewer B"): again}
                       if again else {}), format_status(st)
    c = st["counts"]
    assert c["duplicates_removed"] == counts_before["duplicates_removed"] + len(merged)
    assert c["screened"] == counts_before["screened"] - len(merged)
    assert c["identified"] == counts_before["identified"]

    # The reviewers' regenerated sheets hold each remaining record once, decided, and no merged one.
    ws = openpyxl.load_workbook(sheets / "title_abstract/reviewer_A.xlsx").worksheets[0]
    head = [cell.value for cell in ws[1]]
    rows = {r[head.index("Record ID")]: r[head.index("Decision")] for r in ws.iter_rows(min_row=2, values_only=True)
            if r[head.index("Record ID")]}
    assert set(rows) == set(after)
    assert all(rows[k] == after[k] for k in after if after[k] != "pending")
    assert sorted(k for k, v in rows.items() if not v) == sorted(k for k, d in after.items() if d == "pending")
