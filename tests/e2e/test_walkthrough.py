"""Issue 15: a real team's review through change, on real exports nobody here wrote.

Two databases (Scopus and Web of Science, real export files from ../shared/fixtures), two blinded
reviewers and an adjudicator played by scripts that fill the sheets the workflow writes, then an
update search whose Scopus export duplicates records already screened from Web of Science. Scopus
comes first in the config, so its records now represent those studies: every decision made must
follow its study, and `reviewflow status` must name exactly what waits on whom after each step.
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

from ..conftest import ROOT, SHARED, need
from .test_workflow import make_project, run_ok

pytestmark = pytest.mark.e2e

EXPORTS = SHARED / "fixtures" / "exports"
FIRST = {"scopus": "scopus_csv_2.csv", "wos": "wos-zoologicalrecord_plaintext_1.txt"}
UPDATE = ("scopus", "scopus_csv_1.csv")   # shares about 30 works with the Web of Science file


def _project(tmp: Path) -> Path:
    root = make_project(tmp / "review", demo=False)
    cfg = yaml.safe_load((root / "config" / "config.yaml").read_text(encoding="utf-8"))
    cfg["paths"] = {"exports": "exports", "fulltext": "fulltext", "decisions": "decisions",
                    "snapshots": "snapshots"}
    cfg["databases"] = [{"id": "scopus", "name": "Scopus", "platform": "Elsevier", "export": "scopus_csv"},
                        {"id": "wos", "name": "Web of Science", "platform": "Clarivate",
                         "export": "wos_plaintext"}]
    cfg["citation_chasing"] = {"enabled": False}
    cfg["eligibility"] = {"publication_types": {"exclude": ["erratum"]}}
    (root / "config" / "config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    for db, name in FIRST.items():
        (root / "exports" / db).mkdir(parents=True)
        shutil.copy(need(EXPORTS / name, "shared export fixture"), root / "exports" / db / name)
    return root


def _vote(record_id: str, reviewer: str) -> str:
    """A reviewer's decision, fixed by the record: B disagrees with A on about one record in six."""
    h = int(hashlib.sha1(record_id.encode()).hexdigest(), 16)
    include = h % 3 == 0
    if reviewer == "B" and h % 6 == 1:
        include = not include
    return "include" if include else "exclude"


def _fill(src: Path, dest: Path, decide) -> int:
    """A person fills the blank decisions of the sheet `src` and saves it as `dest`; returns how many."""
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    head = [c.value for c in ws[1]]
    key, col = head.index("Record ID"), head.index("Decision") + 1
    n = 0
    for row in ws.iter_rows(min_row=2):
        rid = row[key].value
        if rid and not row[col - 1].value:
            row[col - 1].value = decide(rid)
            n += 1
    dest.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dest)
    return n


def _status(root: Path) -> tuple[dict, str]:
    st = review_status(root)
    return st, format_status(st)


def _waiting(st: dict) -> dict[tuple[str, str], int]:
    return {(w["stage"], w["who"]): w["n"] for w in st["waiting"]}


def _decisions(root: Path) -> dict[str, str]:
    return {r["record_id"]: r["decision"] for r in read_csv(root / "results/screen/title_abstract.csv")}


def _groups(root: Path) -> dict[str, str]:
    return {r["record_id"]: r["group_id"] for r in read_csv(root / "results/dedup/groups.csv")}


def test_decisions_follow_their_study_through_an_update_search(tmp_path: Path):
    root = _project(tmp_path)
    sheets, back = root / "results/sheets/title_abstract", root / "decisions/title_abstract"

    # 1. The first searches: both reviewers are awaited, for every record no rule removed; the run's
    # last lines say so, as `reviewflow status` does.
    out = run_ok(root)
    st, text = _status(root)
    assert text.splitlines()[-1] in out and "Waiting:" in out
    queue = len(read_csv(root / "results/screen/title_abstract.csv"))
    assert queue > 100
    waiting = _waiting(st)
    assert waiting[("title_abstract", "reviewer A")] == waiting[("title_abstract", "reviewer B")] == queue
    assert "decisions/title_abstract/reviewer_A.xlsx" in text

    # 2. Both return their sheets: the conflicts await the adjudicator, nobody else at this stage.
    for r in ("A", "B"):
        assert _fill(sheets / f"reviewer_{r}.xlsx", back / f"reviewer_{r}.xlsx", lambda k, r=r: _vote(k, r)) == queue
    run_ok(root)
    st, text = _status(root)
    waiting = _waiting(st)
    assert ("title_abstract", "reviewer A") not in waiting and ("title_abstract", "reviewer B") not in waiting
    conflicts = waiting[("title_abstract", "adjudicator C")]
    assert conflicts > 0 and "decisions/title_abstract/adjudication.xlsx" in text

    # 3. The adjudicator settles them: every record has its final decision.
    assert _fill(root / "results/sheets/title_abstract/adjudication.xlsx", back / "adjudication.xlsx",
                 lambda k: "include") == conflicts
    run_ok(root)
    st, _ = _status(root)
    assert not [w for w in st["waiting"] if w["stage"] == "title_abstract"]
    before, groups_before = _decisions(root), _groups(root)
    assert "pending" not in before.values()

    # 4. The update search: a new Scopus export, part of it works already screened from Web of Science.
    db, name = UPDATE
    shutil.copy(need(EXPORTS / name, "shared export fixture"), root / "exports" / db / name)
    run_ok(root)
    st, text = _status(root)
    after, groups_after = _decisions(root), _groups(root)
    # A decided study whose group is now represented by a Scopus record of the update keeps its decision.
    moved = {old: groups_after[old] for old in before if groups_after[old] != old}
    assert len(moved) >= 10, "the update should make new records represent studies screened before"
    for old, new in moved.items():
        assert after[new] == before[old], (old, new)
    for old in before:
        if old in after:
            assert after[old] == before[old]
    new_ones = [k for k, d in after.items() if d == "pending"]
    assert new_ones and not set(new_ones) & {groups_after[k] for k in groups_before}
    waiting = _waiting(st)
    assert waiting[("title_abstract", "reviewer A")] == waiting[("title_abstract", "reviewer B")] == len(new_ones)
    assert ("title_abstract", "adjudicator C") not in waiting
    # The regenerated sheets carry the decisions to the new representatives (nothing comes back blank).
    ws = openpyxl.load_workbook(sheets / "reviewer_A.xlsx").worksheets[0]
    head = [c.value for c in ws[1]]
    rows = {r[head.index("Record ID")]: r[head.index("Decision")] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert all(rows[new] == _vote(old, "A") for old, new in moved.items())
    assert sorted(k for k, v in rows.items() if not v) == sorted(new_ones)

    # 5. As the team did: copy the regenerated sheets over the returned ones and fill the blanks.
    for r in ("A", "B"):
        assert _fill(sheets / f"reviewer_{r}.xlsx", back / f"reviewer_{r}.xlsx",
                     lambda k, r=r: _vote(k, r)) == len(new_ones)
    run_ok(root)
    st, _ = _status(root)
    final = _decisions(root)
    assert all(final[new] == before[old] for old, new in moved.items())
    waiting = _waiting(st)
    assert ("title_abstract", "reviewer A") not in waiting and ("title_abstract", "reviewer B") not in waiting


def test_the_project_has_the_fixture_files():
    """The walkthrough reads these real exports; under CI=true their absence fails, never skips."""
    for name in (*FIRST.values(), UPDATE[1]):
        need(EXPORTS / name, "shared export fixture")
    assert (ROOT / "Snakefile").is_file()
