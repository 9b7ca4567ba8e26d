"""A run killed in the middle of a stage leaves no half-written output, and the next run (after
`snakemake --unlock`: a killed Snakemake leaves its lock) resumes and ends with the same files,
byte for byte, as a run that was never interrupted."""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..e2e.test_workflow import make_project, result_files, run_ok
from .hang import hang_env, kill_when_hung

pytestmark = pytest.mark.e2e

# Where to kill, in pipeline order; each is the last output its job writes after others:
# dedup has written groups.csv, ta_sheets the queue and reviewer A's sheet, report the rest.
KILL_AT = ("results/dedup/unique.jsonl",
           "results/sheets/title_abstract/reviewer_B.xlsx",
           "results/report/index.html")


def _env() -> dict[str, str]:
    return dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])


def _run_and_kill(root: Path, target: str, mark: Path) -> None:
    log = root.parent / f"{root.name}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "snakemake", "--directory", str(root)], cwd=root,
                                env=hang_env(root / target, mark, _env()), stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    kill_when_hung(proc, mark, log)


def _outputs(root: Path) -> dict[str, Path]:
    """Every file under results/ (logs aside) and the simulated people's sheets, hidden ones too."""
    files = result_files(root)
    files.update({str(p.relative_to(root)): p for p in sorted((root / "demo-review/decisions").rglob("*"))
                  if p.is_file()})
    return files


def test_killed_mid_stage_then_resumed_equals_an_uninterrupted_run(tmp_path: Path,
                                                                   small_demo_run: tuple[Path, str]) -> None:
    want = _outputs(small_demo_run[0])  # the uninterrupted run, shared with tests/e2e

    root = make_project(tmp_path / "killed")
    mark = tmp_path / "hung"
    for target in KILL_AT:
        _run_and_kill(root, target, mark)
        # Killed while the job was writing `target`: it is not there, not even in part...
        assert not (root / target).exists(), target
        assert list((root / target).parent.glob(f".{Path(target).name}.*.tmp")), "the kill missed the write"
        # ...and every output that is there is whole: the same bytes as the uninterrupted run's.
        have = {k: p for k, p in _outputs(root).items() if not p.name.startswith(".")}
        assert set(have) <= set(want), sorted(set(have) - set(want))
        assert [k for k in have if not filecmp.cmp(have[k], want[k], shallow=False)] == [], target
        run_ok(root, "--unlock")

    run_ok(root)
    got = _outputs(root)
    assert sorted(got) == sorted(want)  # no temp file of a killed writer is left either
    assert [k for k in got if not filecmp.cmp(got[k], want[k], shallow=False)] == []
    assert "Nothing to be done" in run_ok(root)
