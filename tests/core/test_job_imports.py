"""A workflow job is a fresh Python process: what its script imports, it pays for at every run.

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
