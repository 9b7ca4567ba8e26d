"""How workflow jobs run. Most run in Snakemake's own process (`scripting.run_script`); `dedup`, and every
job on a cluster, is a fresh Python process, and the first job of a run pays for what it imports.

scikit-learn and scipy.stats take over a second to import, openpyxl a fifth; only the jobs that rank, code, test
for stopping or write a sheet use them, and they import them where they do (issue 17)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sklearn", "scipy.stats", "pandas", "openpyxl")


def _script_modules() -> list[str]:
    found = set()
    for script in sorted((ROOT / "scripts").glob("*.py")):
        found.update(re.findall(r"^from (reviewflow[\w.]*) import", script.read_text(encoding="utf-8"), re.M))
    return sorted(found)


def test_scripts_import_no_heavy_library_at_start() -> None:
    modules = _script_modules()
    assert len(modules) > 10, modules   # the scripts were found
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules)
            + f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "", f"imported when a job starts: {out.stdout.strip()}"


def test_a_job_keeps_its_timings_when_asked(tmp_path: Path, monkeypatch) -> None:
    import json

    from reviewflow.scripting import JOB_TIMES_ENV, guard

    out = tmp_path / "times.jsonl"
    guard(lambda: None)                    # not asked: nothing written
    assert not out.exists()
    monkeypatch.setenv(JOB_TIMES_ENV, str(out))

    def stage() -> None:
        sum(range(10_000))

    guard(stage)
    (line,) = [json.loads(t) for t in out.read_text(encoding="utf-8").splitlines()]
    assert line["stage"] == "stage"
    if sys.platform.startswith("linux"):
        assert line["process"] <= line["began"] <= line["ended"]
        assert line["cpu"] > 0


def _run_job(tmp_path: Path, body: str, monkeypatch, **kwargs) -> Path:
    """scripts/<x>.py-like file run by `run_script` with a `run:` block's locals; returns the timings file."""
    from snakemake.iocontainers import InputFiles, Log, OutputFiles, Params, ResourceList, Wildcards

    from reviewflow.scripting import JOB_TIMES_ENV, run_script

    script = tmp_path / "stage_x.py"
    script.write_text(body, encoding="utf-8")
    out = tmp_path / "times.jsonl"
    monkeypatch.setenv(JOB_TIMES_ENV, str(out))
    job = {"input": InputFiles([str(tmp_path / "in.txt")]), "output": OutputFiles([str(tmp_path / "out.txt")]),
           "params": Params(), "wildcards": Wildcards(), "threads": 1, "resources": ResourceList(), "log": Log(),
           "rule": "x"}
    run_script(script, job, {"k": 1}, **kwargs)
    return out


def test_a_job_in_snakemakes_process_runs_its_script_with_the_snakemake_object(tmp_path: Path,
                                                                                 monkeypatch) -> None:
    import json

    (tmp_path / "in.txt").write_text("in", encoding="utf-8")
    body = ("from pathlib import Path\nfrom reviewflow.scripting import guard\nsm = snakemake  # noqa: F821\n"
            "def copy(a, b, k):\n    Path(b).write_text(Path(a).read_text() + str(k))\n"
            "guard(copy, sm.input[0], sm.output[0], sm.config['k'])\n")
    times = _run_job(tmp_path, body, monkeypatch)
    assert (tmp_path / "out.txt").read_text() == "in1"
    (line,) = [json.loads(t) for t in times.read_text(encoding="utf-8").splitlines()]
    # The script's own name, and a start-up counted from the script's start, not the process's.
    assert line["script"] == "stage_x" and line["stage"] == "copy"
    assert line["process"] <= line["began"] <= line["ended"] and line["cpu"] >= 0


def test_a_user_error_in_snakemakes_process_fails_the_job_without_exiting(tmp_path: Path, monkeypatch,
                                                                          capsys) -> None:
    import pytest

    from reviewflow.errors import ReviewflowError
    from reviewflow.scripting import StageFailed, guard

    body = ("from reviewflow.errors import ReviewflowError\nfrom reviewflow.scripting import guard\n"
            "def bad():\n    raise ReviewflowError('sheet.xlsx:3: no decision')\nguard(bad)\n")
    with pytest.raises(StageFailed, match="sheet.xlsx:3: no decision"):
        _run_job(tmp_path, body, monkeypatch)
    assert "reviewflow: error: sheet.xlsx:3: no decision" in capsys.readouterr().err

    def bad() -> None:
        raise ReviewflowError("x.csv:1: bad")

    with pytest.raises(SystemExit) as stop:     # a script run by `script:` (its own process) still exits 2
        guard(bad)
    assert stop.value.code == 2


def test_a_job_with_big_inputs_runs_in_a_python_of_its_own(tmp_path: Path, monkeypatch, capfd) -> None:
    import json
    import os
    import tempfile

    import pytest

    from reviewflow import scripting

    (tmp_path / "in.txt").write_text("in", encoding="utf-8")
    body = ("import os\nfrom pathlib import Path\nfrom reviewflow.scripting import guard\n"
            "sm = snakemake  # noqa: F821\ndef copy(a, b, k):\n"
            "    Path(b).write_text(Path(a).read_text() + str(k) + ' ' + str(os.getpid()))\n"
            "guard(copy, sm.input[0], sm.output[0], sm.config['k'])\n")
    monkeypatch.setattr(scripting, "BIG_INPUT_MB", 1e-6)      # 2 bytes are "big" here
    times = _run_job(tmp_path, body, monkeypatch, big_in_own_process=True)
    text, pid = (tmp_path / "out.txt").read_text().split()
    assert text == "in1" and int(pid) != os.getpid()
    (line,) = [json.loads(t) for t in times.read_text(encoding="utf-8").splitlines()]
    assert line["script"] == "stage_x" and line["stage"] == "copy"
    # Below the size, or without the flag: in this process.
    monkeypatch.setattr(scripting, "BIG_INPUT_MB", 1.0)
    _run_job(tmp_path, body, monkeypatch, big_in_own_process=True)
    assert int((tmp_path / "out.txt").read_text().split()[1]) == os.getpid()
    # A user's mistake in the child: its one-line message, and the job fails without a traceback of ours.
    monkeypatch.setattr(scripting, "BIG_INPUT_MB", 1e-6)
    bad = ("from reviewflow.errors import ReviewflowError\nfrom reviewflow.scripting import guard\n"
           "def bad():\n    raise ReviewflowError('sheet.xlsx:3: no decision')\nguard(bad)\n")
    capfd.readouterr()
    with pytest.raises(scripting.StageFailed, match="exit status 2"):
        _run_job(tmp_path, bad, monkeypatch, big_in_own_process=True)
    err = capfd.readouterr().err
    assert "reviewflow: error: sheet.xlsx:3: no decision" in err and "Traceback" not in err
    assert not list(Path(tempfile.gettempdir()).glob("reviewflow-job-*.pickle"))
