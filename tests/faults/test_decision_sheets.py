"""People's filled sheets are never written by the pipeline, and a regenerated sheet (more records,
another order) keeps every decision already made, each in its own person's sheet only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from reviewflow.cli import main as cli_main
from reviewflow.config import load_config
from reviewflow.dedup.review import read_review_decisions
from reviewflow.dedup.run import run_dedup
from reviewflow.errors import ConfigError
from reviewflow.extract.appraisal import write_appraisal_sheet
from reviewflow.fsio import read_csv, read_json, write_jsonl
from reviewflow.fulltext.retrieval import make_retrieval_sheet
from reviewflow.records import Provenance, Record
from reviewflow.screen.dual import read_decisions
from reviewflow.screen.stages import full_text_stage, make_conflicts, make_decisions, make_sheets, title_abstract_stage
from reviewflow.synthesis.cerqual import write_cerqual_sheet
from reviewflow.synthesis.sheet import read_coding_sheet, write_coding_sheet

from ..conftest import ROOT
from ..e2e.test_workflow import make_project
from .people import digest, fill, values

CONFIG = {"eligibility": {"highlight_terms": ["peer*"]},
          "screening": {"reviewers": ["A", "B"], "adjudicator": "C"},
          "full_text_exclusion_reasons": [{"code": "X1_pubtype", "label": "not a primary study"},
                                          {"code": "X2_population", "label": "not peer workers"}]}
TA = title_abstract_stage(CONFIG)


def _rows(ids: list[str]) -> list[dict]:
    return [{"record_id": i, "title": f"Peer work study {i}", "abstract": "Interviews with peers.",
             "authors": "Lee, K", "year": "2020", "journal": "Harm Reduct J", "doi": ""} for i in ids]


@pytest.fixture
def review(tmp_path: Path) -> dict[str, Path]:
    out, dec = tmp_path / "results", tmp_path / "decisions" / "title_abstract"
    return {"queue": out / "queue.jsonl", "A": out / "reviewer_A.xlsx", "B": out / "reviewer_B.xlsx",
            "adj": out / "adjudication.xlsx", "conflicts": out / "conflicts.jsonl", "agree": out / "agreement.json",
            "dec": dec, "csv": out / "final.csv", "status": out / "status.json"}


def _display(p: dict[str, Path]) -> dict[str, str]:
    return {r: f"decisions/title_abstract/reviewer_{r}.xlsx" for r in ("A", "B")}


def test_regenerated_screening_sheet_keeps_each_reviewers_own_decisions(review: dict[str, Path]) -> None:
    p = review
    make_sheets(TA, _rows(["r1", "r2", "r3", "r4"]), p["queue"], {"A": p["A"], "B": p["B"]})
    a = fill(p["A"], p["dec"] / "reviewer_A.xlsx", {"r1": {"Decision": "include"},
                                                    "r2": {"Decision": "exclude", "Note": "off topic"},
                                                    "r3": {"Note": "ask C"}})
    before = digest(a)
    # More records arrive and the order changes; B has returned nothing yet.
    make_sheets(TA, _rows(["r5", "r3", "r2", "r1", "r4"]), p["queue"], {"A": p["A"], "B": p["B"]},
                returned=[a, p["dec"] / "reviewer_B.xlsx"])
    assert digest(a) == before  # the returned sheet is read, never written
    got = values(p["A"])
    assert list(got) == ["r5", "r3", "r2", "r1", "r4"]
    assert (got["r1"]["Decision"], got["r2"]["Decision"], got["r2"]["Note"]) == ("include", "exclude", "off topic")
    assert (got["r3"]["Decision"], got["r3"]["Note"]) == (None, "ask C")  # a note without a decision, too
    assert got["r5"]["Decision"] is None and got["r4"]["Decision"] is None
    assert all(v["Decision"] is None and v["Note"] is None for v in values(p["B"]).values())
    # Until A returns the new sheet, the old one still counts: what it lacks waits on A (no error).
    make_decisions(TA, p["queue"], {"A": a, "B": None}, _display(p), "C", None, "adjudication.xlsx", p["csv"],
                   p["status"])
    assert {w["who"]: w["n"] for w in read_json(p["status"])["waiting"]} == {"reviewer A": 3, "reviewer B": 5}
    # A fills the rest of the regenerated sheet and saves it over the old one: nothing was lost.
    fill(p["A"], a, {k: {"Decision": "exclude"} for k in ("r3", "r4", "r5")})
    read = read_decisions(TA, a, ["r5", "r3", "r2", "r1", "r4"], "A")
    assert read is not None and read.pending == []
    assert {k: v["decision"] for k, v in read.rows.items()} == {
        "r1": "include", "r2": "exclude", "r3": "exclude", "r4": "exclude", "r5": "exclude"}
    assert read.rows["r2"]["note"] == "off topic"


def test_regenerated_adjudication_sheet_keeps_the_adjudicators_decisions(review: dict[str, Path]) -> None:
    p = review
    make_sheets(TA, _rows(["r1", "r2", "r3"]), p["queue"], {"A": p["A"], "B": p["B"]})
    a = fill(p["A"], p["dec"] / "reviewer_A.xlsx", {k: {"Decision": "include"} for k in ("r1", "r2", "r3")})
    b = fill(p["B"], p["dec"] / "reviewer_B.xlsx", {"r1": {"Decision": "exclude"}, "r2": {"Decision": "exclude"},
                                                    "r3": {"Decision": "include"}})
    mine = {"A": a, "B": b}
    make_conflicts(TA, p["queue"], mine, _display(p), p["adj"], p["conflicts"], p["agree"])
    assert list(values(p["adj"])) == ["r1", "r2"]
    adj = fill(p["adj"], p["dec"] / "adjudication.xlsx", {"r1": {"Decision": "include", "Note": "meets all"}})
    before = digest(adj)
    # B changes their mind on r3: a new conflict; the adjudicator's r1 decision must stay on the sheet.
    fill(b, b, {"r3": {"Decision": "exclude"}})
    make_conflicts(TA, p["queue"], mine, _display(p), p["adj"], p["conflicts"], p["agree"], adj)
    got = values(p["adj"])
    assert list(got) == ["r1", "r2", "r3"]
    assert (got["r1"]["Decision"], got["r1"]["Note"]) == ("include", "meets all")
    assert got["r2"]["Decision"] is None and got["r3"]["Decision"] is None
    assert digest(adj) == before
    make_decisions(TA, p["queue"], mine, _display(p), "C", adj, "decisions/title_abstract/adjudication.xlsx",
                   p["csv"], p["status"])
    final = {r["record_id"]: (r["decision"], r["basis"]) for r in read_csv(p["csv"])}
    assert final == {"r1": ("include", "adjudicated"), "r2": ("pending", "pending"), "r3": ("pending", "pending")}
    assert [(w["who"], w["n"]) for w in read_json(p["status"])["waiting"]] == [("adjudicator C", 2)]


def test_full_text_reasons_are_carried_too(tmp_path: Path) -> None:
    ft = full_text_stage(CONFIG)
    sheets = {"A": tmp_path / "A.xlsx", "B": tmp_path / "B.xlsx"}
    rows = [{**r, "fulltext": f"{r['record_id']}.pdf"} for r in _rows(["r1", "r2"])]
    make_sheets(ft, rows, tmp_path / "q.jsonl", sheets)
    back = fill(sheets["B"], tmp_path / "dec" / "reviewer_B.xlsx",
                {"r1": {"Decision": "exclude", "Exclusion reason": "X2_population"}})
    make_sheets(ft, [*rows, {**_rows(["r0"])[0], "fulltext": "r0.pdf"}], tmp_path / "q.jsonl", sheets, [back])
    got = values(sheets["B"])
    assert (got["r1"]["Decision"], got["r1"]["Exclusion reason"]) == ("exclude", "X2_population")
    assert values(sheets["A"])["r1"]["Decision"] is None


def test_regenerated_retrieval_sheet_keeps_the_teams_statuses(tmp_path: Path) -> None:
    sheet, queue = tmp_path / "retrieval.xlsx", tmp_path / "q.jsonl"
    make_retrieval_sheet(_rows(["r1", "r2"]), queue, sheet)
    back = fill(sheet, tmp_path / "dec" / "retrieval.xlsx",
                {"r1": {"Status": "not_retrieved", "Note": "author did not answer"}, "r2": {"Note": "asked ILL"}})
    before = digest(back)
    make_retrieval_sheet(_rows(["r0", "r1", "r2"]), queue, sheet, back)
    got = values(sheet)
    assert (got["r1"]["Status"], got["r1"]["Note"]) == ("not_retrieved", "author did not answer")
    assert (got["r2"]["Status"], got["r2"]["Note"]) == (None, "asked ILL")
    assert got["r0"]["Status"] is None and digest(back) == before


def _record(i: int, title: str, year: int) -> Record:
    return Record(f"r{i:02d}", Provenance("db", "f.ris", i, i + 1), title=title, year=year,
                  journal="Harm Reduction Journal" if i % 2 else None)


def test_regenerated_duplicate_sheet_keeps_decided_pairs(tmp_path: Path) -> None:
    t1 = "Peer workers at overdose prevention sites: a qualitative study"
    t2 = "Recovery coaches in emergency departments: experiences of peers"
    first = tmp_path / "import" / "db.jsonl"
    write_jsonl(first, [_record(0, t1, 2020).to_dict(), _record(1, t1, 2021).to_dict()])
    out = {k: tmp_path / f"{k}.out" for k in ("groups", "unique", "summary")}
    sheet = tmp_path / "results" / "uncertain_pairs.xlsx"
    run_dedup([first], out["groups"], out["unique"], out["summary"], review_sheet=sheet)
    assert list(values(sheet)) == ["r00 | r01"]
    back = fill(sheet, tmp_path / "decisions" / "dedup" / "uncertain_pairs.xlsx",
                {"r00 | r01": {"decision": "duplicate"}})
    before = digest(back)
    # A new database brings another uncertain pair; the decided one stays on the sheet, decided.
    second = tmp_path / "import" / "db2.jsonl"
    write_jsonl(second, [_record(2, t2, 2019).to_dict(), _record(3, t2, 2020).to_dict()])
    run_dedup([first, second], out["groups"], out["unique"], out["summary"], review_sheet=sheet, decisions=[back])
    assert digest(back) == before
    got = values(sheet)
    assert {k: v["decision"] for k, v in got.items()} == {"r00 | r01": "duplicate", "r02 | r03": None}
    # Saved over the returned one, the regenerated sheet still holds the first decision.
    fill(sheet, back, {"r02 | r03": {"decision": "different"}})
    assert read_review_decisions(back, [f"r{i:02d}" for i in range(4)]) == (
        {("r00", "r01"): "duplicate", ("r02", "r03"): "different"}, [])


def test_dedup_command_never_writes_over_a_filled_sheet(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    ris = tmp_path / "in.ris"
    ris.write_text("TY  - JOUR\nTI  - Peer work\nPY  - 2020\nER  - \n\nTY  - JOUR\nTI  - Peer work\nPY  - 2021\n"
                   "ER  - \n", encoding="utf-8")
    filled = tmp_path / "pairs.xlsx"
    assert cli_main(["dedup", str(ris), "-o", str(tmp_path / "a.csv"), "--review-sheet", str(filled)]) == 0
    before = digest(filled)
    capsys.readouterr()
    rc = cli_main(["dedup", str(ris), "-o", str(tmp_path / "b.csv"), "--review-sheet", str(filled),
                   "--decisions", str(filled)])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and err[0].startswith(f"{filled}: ") and "never written over" in err[0]
    assert digest(filled) == before and not (tmp_path / "b.csv").exists()


CODES = ["BEN.CLIENT", "BEN.ORG"]


def _segments(ids: list[str]) -> list[dict]:
    return [{"segment_id": i, "record_id": i.split(":")[0], "study": "Lee 2019", "heading": "", "kind": "quote",
             "text": f"text {i}", "suggested": "BEN.ORG", "basis": ""} for i in ids]


def test_regenerated_coding_appraisal_and_cerqual_sheets_keep_decisions(tmp_path: Path) -> None:
    # Coding: more segments arrive (another included study).
    sheet, back = tmp_path / "coding.xlsx", tmp_path / "dec" / "coding.xlsx"
    write_coding_sheet(sheet, CODES, _segments(["r1:1", "r1:2"]))
    fill(sheet, back, {"r1:1": {"Decision": "recode", "Recode to": "BEN.CLIENT", "Comment": "client side"}})
    queue = _segments(["r0:1", "r1:1", "r1:2"])
    write_coding_sheet(sheet, CODES, queue, back)
    got = values(sheet)
    assert (got["r1:1"]["Decision"], got["r1:1"]["Recode to"], got["r1:1"]["Comment"]) == (
        "recode", "BEN.CLIENT", "client side")
    assert got["r0:1"]["Decision"] is None
    assert read_coding_sheet(back, CODES, queue)["r1:1"]["codes"] == ["BEN.CLIENT"]  # old sheet: others pending

    # Appraisal: the appraiser's answers, comment and page.
    rows = [{"appraisal_id": f"s1:Q{i}", "study_id": "s1", "study": "Lee 2019", "title": "T", "item": f"Q{i}"}
            for i in (1, 2)]
    sheet, back = tmp_path / "casp.xlsx", tmp_path / "dec" / "appraiser_A.xlsx"
    write_appraisal_sheet(sheet, rows, "CASP appraisal")
    fill(sheet, back, {"s1:Q2": {"Answer": "no", "Comment (supporting quote)": "not reported", "Page": 4}})
    write_appraisal_sheet(sheet, [*rows, {**rows[0], "appraisal_id": "s2:Q1", "study_id": "s2"}], "CASP appraisal",
                          back)
    got = values(sheet)
    assert (got["s1:Q2"]["Answer"], got["s1:Q2"]["Comment (supporting quote)"], got["s1:Q2"]["Page"]) == (
        "no", "not reported", "4")
    assert got["s1:Q1"]["Answer"] is None and got["s2:Q1"]["Answer"] is None

    # CERQual: the reviewers' judgements win over the proposals on the regenerated sheet too.
    finding = {"n_studies": 2, "explanation": {"adequacy": "two studies"}, "proposed": {"adequacy": "moderate"}}
    sheet, back = tmp_path / "cerqual.xlsx", tmp_path / "dec" / "cerqual.xlsx"
    write_cerqual_sheet(sheet, [{"finding": "F1", "label": "Trust", **finding}])
    fill(sheet, back, {"F1": {"Adequacy": "minor", "Overall confidence": "moderate"}})
    write_cerqual_sheet(sheet, [{"finding": "F0", "label": "New", **finding}, {"finding": "F1", "label": "Trust",
                                                                               **finding}], back)
    got = values(sheet)
    assert (got["F1"]["Adequacy"], got["F1"]["Overall confidence"]) == ("minor", "moderate")
    assert got["F0"]["Adequacy"] is None


# ----------------------------------------------------------------- the workflow's wiring


DECISION_FILES = {  # a filled sheet -> the rule that regenerates the sheet it came from
    "title_abstract/reviewer_A.xlsx": "ta_sheets", "title_abstract/reviewer_B.xlsx": "ta_sheets",
    "title_abstract/adjudication.xlsx": "conflicts", "retrieval/retrieval.xlsx": "retrieval_sheet",
    "full_text/reviewer_A.xlsx": "ft_sheets", "full_text/reviewer_B.xlsx": "ft_sheets",
    "full_text/adjudication.xlsx": "conflicts", "extraction/extraction.xlsx": "extraction_sheet",
    "appraisal/appraiser_A.xlsx": "appraisal_sheets", "appraisal/appraiser_B.xlsx": "appraisal_sheets",
    "appraisal/consensus.xlsx": "appraisal_conflicts", "coding/coding.xlsx": "coding",
    "cerqual/cerqual.xlsx": "cerqual", "dedup/uncertain_pairs.xlsx": "dedup",
}


def _dry_run(root: Path) -> list[dict[str, object]]:
    """The jobs of a dry run: rule, input and output files."""
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    proc = subprocess.run([sys.executable, "-m", "snakemake", "--directory", str(root), "-n"], cwd=root, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    jobs: list[dict[str, object]] = []
    for line in proc.stdout.splitlines():
        if line.startswith(("rule ", "localrule ")) and line.endswith(":"):
            jobs.append({"rule": line.split()[1].rstrip(":"), "input": [], "output": []})
        elif jobs and line.strip().startswith(("input:", "output:")):
            what, _, files = line.strip().partition(": ")
            jobs[-1][what.rstrip(":")] = files.split(", ")
    assert jobs, proc.stdout[-2000:]
    return jobs


def _real_review(tmp_path: Path) -> tuple[Path, Path]:
    root = make_project(tmp_path / "real", demo=False)
    cfg = yaml.safe_load((root / "config/config.yaml").read_text(encoding="utf-8"))
    for db in cfg["databases"]:
        if "search" not in db:
            folder = root / cfg["paths"]["exports"] / db["id"]
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "export.ris").write_text("TY  - JOUR\nTI  - T\nER  - \n", encoding="utf-8")
    return root, root / cfg["paths"]["decisions"]


def test_in_a_real_review_no_job_writes_decisions_and_sheet_jobs_read_the_returned_ones(tmp_path: Path) -> None:
    root, decisions = _real_review(tmp_path)
    for rel in DECISION_FILES:
        (decisions / rel).parent.mkdir(parents=True, exist_ok=True)
        (decisions / rel).write_bytes(b"a filled sheet")
    jobs = _dry_run(root)
    folder = decisions.relative_to(root).as_posix() + "/"
    assert [(j["rule"], o) for j in jobs for o in j["output"] if str(o).startswith(folder)] == []
    for rel, rule in DECISION_FILES.items():
        readers = {j["rule"] for j in jobs if folder + rel in j["input"]}
        assert rule in readers, (rel, readers)


def _demo_config(tmp_path: Path, **paths: str) -> Path:
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    cfg["paths"].update(paths)
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(("paths", "key"), [
    ({"decisions": "decisions"}, "paths.decisions"),  # the demo's people would write a real review's sheets
    ({"fulltext": "fulltext"}, "paths.fulltext"),
    ({"decisions": "results/sheets"}, "paths.decisions"),  # the workflow writes its sheets there
])
def test_configs_that_would_let_the_workflow_write_peoples_files_are_refused(tmp_path: Path, paths: dict,
                                                                            key: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(_demo_config(tmp_path, **paths), ROOT)
    assert err.value.line is not None and key in str(err.value)
