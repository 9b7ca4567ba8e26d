"""The whole review through Snakemake on a small generated demo: invariants, no-op rerun,
byte-identical results, and a real review (no simulated people) that waits cleanly."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ..conftest import ROOT

pytestmark = pytest.mark.e2e

# The demo's 15 databases and formats, at a size that runs in seconds.
SMALL_SHAPE = {"identified": {"pubmed": 30, "embase": 36, "psycinfo": 22, "cinahl": 24, "socindex": 12,
                              "swab": 6, "asc": 26, "pbsc": 8, "cja": 6, "scopus": 44, "wos": 34,
                              "socabs": 9, "ssa": 8, "assia": 10, "ibss": 5},
               "unique": 160, "included": 4, "not_retrieved": 1}


def make_project(dest: Path, *, demo: bool = True) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("Snakefile", "workflow", "scripts", "profiles"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dest / name)
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    cfg["demo"]["shape"] = SMALL_SHAPE
    cfg["demo"]["enabled"] = demo
    (dest / "config").mkdir()
    (dest / "config" / "config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    return dest


def snakemake(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    proc = subprocess.run([sys.executable, "-m", "snakemake", "--directory", str(root), *args],
                          cwd=root, env=env, capture_output=True, text=True)
    return proc


def run_ok(root: Path, *args: str) -> str:
    proc = snakemake(root, *args)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    return out


def result_files(root: Path) -> dict[str, Path]:
    return {str(p.relative_to(root)): p for p in sorted((root / "results").rglob("*"))
            if p.is_file() and "logs" not in p.parts}


@pytest.fixture(scope="module")
def demo_run(small_demo_run):
    """The small review run once (tests/conftest.py): shared with the fault tests, read only."""
    return small_demo_run


def test_counts_hold_every_key_and_invariant(demo_run):
    root, _ = demo_run
    counts = json.loads((root / "results/prisma/counts.json").read_text())
    for key in ("identified", "duplicates_removed", "automation_excluded", "other_removed", "screened",
                "screen_excluded", "sought", "not_retrieved", "assessed", "fulltext_excluded",
                "included", "reports_included"):
        assert key in counts, key
    assert counts["identified"] == SMALL_SHAPE["identified"]
    total = sum(counts["identified"].values())
    assert total == (counts["duplicates_removed"] + counts["automation_excluded"]
                     + counts["other_removed"] + counts["screened"])
    assert counts["screened"] == counts["screen_excluded"] + counts["sought"]
    assert counts["sought"] == counts["not_retrieved"] + counts["assessed"]
    assert counts["assessed"] - sum(counts["fulltext_excluded"].values()) == counts["reports_included"]
    assert counts["reports_included"] >= counts["included"] > 0
    assert not any(counts["awaiting"].values())
    inv = json.loads((root / "results/prisma/invariants.json").read_text())
    assert all(i["ok"] for i in inv), inv


def test_diagram_report_and_sheets_exist(demo_run):
    root, _ = demo_run
    svg = (root / "results/prisma/flow.svg").read_text()
    assert svg.startswith("<svg") or svg.startswith("<?xml")
    html = (root / "results/report/index.html").read_text()
    assert "PRISMA" in html
    for r in ("A", "B"):
        assert (root / f"results/sheets/title_abstract/reviewer_{r}.xlsx").is_file()
        assert (root / f"results/sheets/full_text/reviewer_{r}.xlsx").is_file()
    assert (root / "results/sheets/extraction/extraction.xlsx").is_file()


def test_ledger_traces_every_identified_record(demo_run):
    root, _ = demo_run
    lines = (root / "results/ledger/ledger.csv").read_text().splitlines()
    counts = json.loads((root / "results/prisma/counts.json").read_text())
    # Both of PRISMA's columns: the databases' records and those citation searching found.
    other = counts["other_methods"]
    assert other["identified"]["citation_searching"] > 0
    assert len(lines) - 1 == sum(counts["identified"].values()) + sum(other["identified"].values())


def test_second_run_does_no_work(demo_run):
    root, _ = demo_run
    out = run_ok(root)
    assert "Nothing to be done" in out


def test_fresh_run_is_byte_identical(demo_run, tmp_path):
    root, _ = demo_run
    other = make_project(tmp_path / "again")
    run_ok(other)
    a, b = result_files(root), result_files(other)
    assert sorted(a) == sorted(b)
    differ = [k for k in a if not filecmp.cmp(a[k], b[k], shallow=False)]
    assert differ == []
    # The simulated people's sheets are identical too.
    da = sorted((root / "demo-review/decisions").rglob("*.xlsx"))
    db = sorted((other / "demo-review/decisions").rglob("*.xlsx"))
    assert [p.relative_to(root) for p in da] == [p.relative_to(other) for p in db]
    assert all(filecmp.cmp(x, y, shallow=False) for x, y in zip(da, db, strict=True))


def test_real_review_waits_for_people(demo_run, tmp_path):
    """Without simulated people: sheets are written, nothing fails, status says who is awaited."""
    demo_root, _ = demo_run
    root = make_project(tmp_path / "real", demo=False)
    shutil.copytree(demo_root / "demo-review/generated/exports", root / "demo-review/generated/exports")
    # PubMed is searched through its API: the team's stored snapshot is replayed, never the network.
    shutil.copytree(demo_root / "demo-review/generated/snapshots", root / "demo-review/generated/snapshots")
    run_ok(root)
    log = json.loads((root / "results/search/pubmed.prisma-s.json").read_text())
    assert log["reported"] == log["retrieved"] == SMALL_SHAPE["identified"]["pubmed"]
    status = json.loads((root / "results/status/title_abstract.json").read_text())
    assert status["complete"] is False
    assert {w["who"] for w in status["waiting"]} == {"reviewer A", "reviewer B"}
    counts = json.loads((root / "results/prisma/counts.json").read_text())
    assert counts["awaiting"]["title_abstract"] == counts["screened"] > 0
    assert (root / "results/report/index.html").is_file()
    # Reviewer A returns a filled sheet: the changed input set reruns the stages that need it.
    shutil.copytree(demo_root / "demo-review/decisions/title_abstract",
                    root / "demo-review/decisions/title_abstract")
    (root / "demo-review/decisions/title_abstract/reviewer_B.xlsx").unlink()
    (root / "demo-review/decisions/title_abstract/adjudication.xlsx").unlink()
    run_ok(root)
    status = json.loads((root / "results/status/title_abstract.json").read_text())
    assert [w["who"] for w in status["waiting"]] == ["reviewer B"]


def test_bad_export_stops_with_one_line(demo_run, tmp_path):
    root = make_project(tmp_path / "bad", demo=False)
    folder = root / "demo-review/generated/exports"
    shutil.copytree(demo_run[0] / "demo-review/generated/exports", folder)
    shutil.copytree(demo_run[0] / "demo-review/generated/snapshots", root / "demo-review/generated/snapshots")
    (folder / "embase" / "embase.ris").write_bytes(b"\x00\x01\x02 binary junk \xff\xfe")
    proc = subprocess.run([sys.executable, "-m", "reviewflow.cli", "-C", str(root), "demo"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("demo-review/generated/exports/embase/embase.ris:"), last


def test_careless_reviewers_lose_studies_and_the_report_says_so(tmp_path):
    """With error rates far above real teams', some included studies are lost against the truth."""
    root = make_project(tmp_path / "careless")
    cfg = yaml.safe_load((root / "config/config.yaml").read_text())
    cfg["demo"]["shape"] = {**SMALL_SHAPE, "included": 8}
    cfg["demo"]["reviewers"] = {"error_rate": {"A": 0.5, "B": 0.5}, "adjudicator_error_rate": 0.5,
                                "full_text_error_rate": 0.3}
    (root / "config/config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False))
    run_ok(root)
    acc = {a["stage"]: a for a in json.loads((root / "results/demo/accuracy.json").read_text())}
    inc = acc["Included studies"]
    assert inc["metrics"]["lost"] > 0
    assert "Lost: " in inc["note"]
    counts = json.loads((root / "results/prisma/counts.json").read_text())
    assert counts["included"] == inc["metrics"]["found"] + inc["metrics"]["false inclusions"]
    assert "Lost: " in (root / "results/report/index.html").read_text()


def test_malformed_record_goes_to_rejects_and_other_removed(demo_run, tmp_path):
    """A broken record inside a readable export is kept in the rejects file and counted."""
    root = make_project(tmp_path / "rejects", demo=False)
    folder = root / "demo-review/generated/exports"
    shutil.copytree(demo_run[0] / "demo-review/generated/exports", folder)
    # PubMed is searched: its stored snapshot is replayed (tests never reach the network).
    shutil.copytree(demo_run[0] / "demo-review/generated/snapshots", root / "demo-review/generated/snapshots")
    ris = folder / "cinahl" / "cinahl.ris"
    ris.write_bytes(ris.read_bytes() + b"\r\nAU  - Nobody, A.\r\nT1  - A record that lost its TY line\r\nER  - \r\n")
    run_ok(root)
    rejects = [json.loads(x) for x in (root / "results/import/cinahl.rejects.jsonl").read_text().splitlines()]
    assert len(rejects) == 1 and "TY" in rejects[0]["reason"]
    assert "A record that lost its TY line" in rejects[0]["text"]
    counts = json.loads((root / "results/prisma/counts.json").read_text())
    assert counts["other_removed"] == 1
    assert counts["identified"]["cinahl"] == SMALL_SHAPE["identified"]["cinahl"] + 1
    total = sum(counts["identified"].values())
    assert total == (counts["duplicates_removed"] + counts["automation_excluded"]
                     + counts["other_removed"] + counts["screened"])


def audit(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reviewflow.cli", "-C", str(root), "audit", *args],
                          capture_output=True, text=True)


def test_audit_passes_and_rerun_is_identical(demo_run):
    root, _ = demo_run
    proc = audit(root, "--rerun")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "byte-identical" in proc.stdout


def test_audit_fails_after_a_change_to_counts_or_a_decision_sheet(demo_run, tmp_path):
    copy = tmp_path / "tampered"
    shutil.copytree(demo_run[0], copy, symlinks=True)
    counts_path = copy / "results/prisma/counts.json"
    counts = json.loads(counts_path.read_text())
    counts["included"] += 1
    counts_path.write_text(json.dumps(counts))
    proc = audit(copy)
    assert proc.returncode == 1
    assert "counts.json" in proc.stderr.strip().splitlines()[-1]

    copy2 = tmp_path / "tampered2"
    shutil.copytree(demo_run[0], copy2, symlinks=True)
    sheet = copy2 / "demo-review/decisions/title_abstract/reviewer_A.xlsx"
    sheet.write_bytes(sheet.read_bytes() + b"\0")
    proc = audit(copy2)
    assert proc.returncode == 1
    assert "reviewer_A.xlsx" in proc.stderr


def test_trace_follows_a_record_to_its_decisions(demo_run):
    root, _ = demo_run
    ledger = (root / "results/ledger/ledger.csv").read_text().splitlines()
    included = next(line.split(",")[0] for line in ledger if ",included," in line)
    proc = subprocess.run([sys.executable, "-m", "reviewflow.cli", "-C", str(root), "trace", included, "--json"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    t = json.loads(proc.stdout)
    assert t["state"] == "included" and t["line"] >= 1
    stages = {(d["stage"], d["who"]) for d in t["decisions"]}
    assert ("title_abstract", "reviewer A") in stages and ("full_text", "reviewer B") in stages


def test_demo_command_prints_the_status_once_and_plain_snakemake_prints_it_too(demo_run, tmp_path):
    root = tmp_path / "again"
    shutil.copytree(demo_run[0], root, symlinks=True)
    (root / "results/report/index.html").unlink()  # one job to run, so the workflow's onsuccess runs
    proc = subprocess.run([sys.executable, "-m", "reviewflow.cli", "-C", str(root), "demo"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.count("Identified:") == 1
    (root / "results/report/index.html").unlink()
    assert run_ok(root).count("Identified:") == 1  # plain snakemake: the onsuccess prints it
