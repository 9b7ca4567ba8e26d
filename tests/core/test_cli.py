import json
import shutil
import subprocess
import sys

import pytest

from reviewflow.cli import main

from ..conftest import ROOT


@pytest.fixture
def project(tmp_path):
    for name in ("Snakefile", "workflow", "config"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / name)
    return tmp_path


def test_status_before_any_run(project, capsys):
    assert main(["-C", str(project), "status"]) == 0
    assert "Nothing has run yet" in capsys.readouterr().out
    assert main(["-C", str(project), "status", "--json"]) == 0
    st = json.loads(capsys.readouterr().out)
    assert st["ran"] is False and st["waiting"] == []


def test_status_reports_what_waits(project, capsys):
    counts = {"identified": {"pubmed": 3, "embase": 2}, "duplicates_removed": 1, "automation_excluded": 0,
              "other_removed": 0, "screened": 4, "screen_excluded": 0, "sought": 0, "not_retrieved": 0,
              "assessed": 0, "fulltext_excluded": {}, "included": 0, "reports_included": 0,
              "awaiting": {"title_abstract": 4, "retrieval": 0, "full_text": 0}}
    (project / "results/prisma").mkdir(parents=True)
    (project / "results/status").mkdir()
    (project / "results/prisma/counts.json").write_text(json.dumps(counts))
    msg = "4 records await reviewer B: decisions/title_abstract/reviewer_B.xlsx"
    (project / "results/status/title_abstract.json").write_text(json.dumps(
        {"stage": "title_abstract", "complete": False,
         "waiting": [{"who": "reviewer B", "file": "decisions/title_abstract/reviewer_B.xlsx", "n": 4,
                      "message": msg}]}))
    assert main(["-C", str(project), "status"]) == 0
    out = capsys.readouterr().out
    assert msg in out
    assert "(pubmed 3, embase 2)" in out   # the config's order, not alphabetical
    main(["-C", str(project), "status", "--json"])
    st = json.loads(capsys.readouterr().out)
    assert st["complete"] is False and st["waiting"][0]["n"] == 4


def test_bad_config_is_one_line_and_exit_2(project):
    cfg = project / "config/config.yaml"
    cfg.write_text(cfg.read_text().replace("adjudicator: C", "adjudicator: A"))
    proc = subprocess.run([sys.executable, "-m", "reviewflow.cli", "-C", str(project), "demo"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "adjudicator" in lines[0] and "config.yaml:" in lines[0]
    assert "Traceback" not in proc.stderr


def test_outside_a_project(tmp_path, capsys):
    assert main(["-C", str(tmp_path), "status"]) == 2
    assert "no reviewflow project" in capsys.readouterr().err


def test_the_command_imports_no_heavy_library_until_a_command_needs_it():
    # `reviewflow convert` or `inspect` should not wait for scikit-learn, the HTTP stack or jsonschema.
    code = ("import sys, reviewflow.cli; print(','.join(m for m in ('sklearn', 'numpy', 'scipy', 'requests', "
            "'jsonschema', 'openpyxl', 'rapidfuzz', 'multiprocessing') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""
