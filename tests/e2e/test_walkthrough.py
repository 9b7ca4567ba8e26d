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

from reviewflow.cli import main
from reviewflow.fsio import read_csv
from reviewflow.status import format_status, review_status

from ..conftest import ROOT, SHARED, need
from .test_workflow import make_project, run_ok, snakemake

pytestmark = pytest.mark.e2e

EXPORTS = SHARED / "fixtures" / "exports"
FIRST = {"scopus": "scopus_csv_2.csv", "wos": "wos-zoologicalrecord_plaintext_1.txt"}
UPDATE = ("scopus", "scopus_csv_1.csv")   # shares about 30 works with the Web of Science file
ARTICLE = SHARED / "fixtures" / "fulltext" / "agyemanduah2014-bmchsr.pdf"   # a qualitative study


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


def _fill_column(src: Path, dest: Path, header: str, decide) -> int:
    """A person fills the empty cells of column `header` of sheet `src`, row by row (`decide` gets the
    row as {header: value}; None leaves the cell), and saves it as `dest`; returns how many."""
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    head = [c.value for c in ws[1]]
    col, n = head.index(header), 0
    for row in ws.iter_rows(min_row=2):
        cells = dict(zip(head, (c.value for c in row), strict=False))
        if not any(cells.values()) or row[col].value:
            continue
        if (value := decide(cells)) is not None:
            row[col].value = value
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


def test_decisions_follow_their_study_through_an_update_search(tmp_path: Path, capsys):
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

    # 2a. B's first return has two cells that are no decision: the run fails naming both rows at once,
    # and every blank sheet stays where it was (a typo of one person takes nobody's sheet away).
    typos = iter(["maybe", "inclde"])
    assert _fill(sheets / "reviewer_A.xlsx", back / "reviewer_A.xlsx", lambda k: _vote(k, "A")) == queue
    _fill(sheets / "reviewer_B.xlsx", back / "reviewer_B.xlsx", lambda k: next(typos, None) or _vote(k, "B"))
    proc = snakemake(root)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "2 problems, all listed" in out and "row 2, Decision: 'maybe'" in out and "row 3, Decision: 'inclde'" in out
    assert all((sheets / f"reviewer_{r}.xlsx").is_file() for r in ("A", "B"))
    st, text = _status(root)
    assert not st["complete"] and "The last run failed" in text and "row 3, Decision: 'inclde'" in text
    assert text.splitlines()[-1] in out                     # the run's last lines say what status says

    # 2b. B fills the regenerated sheet, which carries B's good rows and A's carries all of A's: only
    # the two bad cells are blank. The conflicts await the adjudicator, nobody else at this stage.
    assert _fill(sheets / "reviewer_A.xlsx", back / "reviewer_A.xlsx", lambda k: _vote(k, "A")) == 0
    assert _fill(sheets / "reviewer_B.xlsx", back / "reviewer_B.xlsx", lambda k: _vote(k, "B")) == 2
    run_ok(root)
    assert not review_status(root)["failed"]
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

    # 4. The team saves this as the previous version (refused while retrieval awaits, unless forced: the
    # scripted team has not fetched full texts) and runs an update search: a new Scopus export, part of it
    # works already screened from Web of Science.
    assert main(["-C", str(root), "version", "save", "--label", "First searches"]) == 2
    assert "not complete" in capsys.readouterr().err
    assert main(["-C", str(root), "version", "save", "--label", "First searches", "--force"]) == 0
    identified_before = len(read_csv(root / "results/ledger/ledger.csv"))
    db, name = UPDATE
    shutil.copy(need(EXPORTS / name, "shared export fixture"), root / "exports" / db / name)
    run_ok(root)
    st, text = _status(root)
    # PRISMA's counts are now the update's: only the new file's records, and a record of a study the
    # previous version held is a duplicate removed in the update, whichever record represents it now.
    c = st["counts"]
    added = len(read_csv(root / "results/ledger/ledger.csv")) - identified_before
    assert c["identified"] == {"scopus": added, "wos": 0} and c["previous"]["label"] == "First searches"
    assert "Identified (update):" in text and "Previous version:" in text
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
    assert c["screened"] == len(new_ones) and c["awaiting"]["title_abstract"] == len(new_ones)
    assert c["duplicates_removed"] >= len(moved) and c["included"] == 0
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
    if ("title_abstract", "adjudicator C") in waiting:
        _fill(sheets / "adjudication.xlsx", back / "adjudication.xlsx", lambda k: "include")
        run_ok(root)
        st, _ = _status(root)

    # 6. Retrieval: one report is found (a real qualitative article, saved by its record id), the rest
    # are marked not retrieved. Status named the retrieval sheet and where it goes back.
    waiting, text = _waiting(st), _status(root)[1]
    # (All reports sought, the previous version's too: PRISMA's "sought" box counts the update's only.)
    sought = waiting[("retrieval", "retrieval by the review team")]
    assert sought >= st["counts"]["sought"] and "decisions/retrieval/retrieval.xlsx" in text
    found = read_csv(root / "results/screen/title_abstract.csv")
    found = sorted(r["record_id"] for r in found if r["decision"] == "include")[0]
    (root / "fulltext").mkdir(exist_ok=True)
    shutil.copy(need(ARTICLE, "shared full-text fixture"), root / "fulltext" / f"{found}.pdf")
    assert _fill_column(root / "results/sheets/retrieval/retrieval.xlsx", root / "decisions/retrieval/retrieval.xlsx",
                        "Status", lambda row: None if row["Record ID"] == found else "not_retrieved") == sought - 1
    run_ok(root)
    st, text = _status(root)
    assert _waiting(st) == {("full_text", "reviewer A"): 1, ("full_text", "reviewer B"): 1}, text

    # 7. Both full-text reviewers include it; then the extractor, the two appraisers, the coder and the
    # CERQual judgement are awaited in turn, each named with its sheet and the path to return it.
    for r in ("A", "B"):
        assert _fill_column(root / f"results/sheets/full_text/reviewer_{r}.xlsx",
                            root / f"decisions/full_text/reviewer_{r}.xlsx", "Decision", lambda row: "include") == 1
    run_ok(root)
    st, text = _status(root)
    assert st["counts"]["total"]["studies"] == 1
    waiting = {w["stage"]: w["return_to"] for w in st["waiting"]}
    assert waiting == {"extraction": "decisions/extraction/extraction.xlsx",
                       "appraisal": "decisions/appraisal/appraiser_B.xlsx",
                       "coding": "decisions/coding/coding.xlsx",
                       "cerqual": "decisions/cerqual/cerqual.xlsx"} or \
        {w["return_to"] for w in st["waiting"]} == {"decisions/extraction/extraction.xlsx",
                                                  "decisions/appraisal/appraiser_A.xlsx",
                                                  "decisions/appraisal/appraiser_B.xlsx",
                                                  "decisions/coding/coding.xlsx",
                                                  "decisions/cerqual/cerqual.xlsx"}, text
    for w in st["waiting"]:
        assert f"{w['file']}, returned to {w['return_to']}" in text
    segments = len(read_csv(root / "results/synthesis/segments.csv"))
    assert segments > 5                       # the real article's findings, not an empty sheet
    _fill_column(root / "results/sheets/extraction/extraction.xlsx", root / "decisions/extraction/extraction.xlsx",
                 "Checked by extractor", lambda row: "yes")
    for a in ("A", "B"):
        _fill_column(root / f"results/sheets/appraisal/appraiser_{a}.xlsx",
                     root / f"decisions/appraisal/appraiser_{a}.xlsx", "Answer", lambda row: "yes")
    assert _fill_column(root / "results/sheets/coding/coding.xlsx", root / "decisions/coding/coding.xlsx",
                        "Decision", lambda row: "confirm" if row.get("Suggested codes") else "reject") == segments
    run_ok(root)
    st, text = _status(root)
    assert [w["stage"] for w in st["waiting"]] == ["cerqual"], text
    (root / "decisions/cerqual").mkdir()
    shutil.copy(root / "results/sheets/cerqual/cerqual.xlsx", root / "decisions/cerqual/cerqual.xlsx")
    out = run_ok(root)

    # 8. Nothing waits; the run's last lines and status say so, and the report is there.
    st, text = _status(root)
    assert st["complete"] and text.splitlines()[-1] == "Nothing waits on people: the review is complete."
    assert text.splitlines()[-1] in out
    assert (root / "results/report/index.html").is_file()
    c = st["counts"]
    assert c["total"] == {"studies": 1, "reports": 1} and c["previous"]["studies"] == 0
    ledger = read_csv(root / "results/ledger/ledger.csv")
    assert sum(r["state"] == "not_retrieved" for r in ledger) == sought - 1


def test_the_project_has_the_fixture_files():
    """The walkthrough reads these real exports; under CI=true their absence fails, never skips."""
    for name in (*FIRST.values(), UPDATE[1]):
        need(EXPORTS / name, "shared export fixture")
    need(ARTICLE, "shared full-text fixture")
    assert (ROOT / "Snakefile").is_file()
