"""Time the whole workflow on the demo review (install excluded), in a fresh copy of the project.

Run: .venv/bin/python -m benchmarks.demo_runtime [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .markdown import ROOT, machine, write_section


def run_once(workdir: Path) -> float:
    for name in ("Snakefile", "workflow", "scripts", "profiles", "config"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, workdir / name)
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "snakemake", "--directory", str(workdir), "--quiet", "all"],
                   cwd=workdir, env=env, check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    times = []
    counts = {}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as d:
            times.append(run_once(Path(d)))
            counts = json.loads((Path(d) / "results/prisma/counts.json").read_text())
    total = sum(counts["identified"].values())
    body = f"""## Whole workflow on the demo review

`python -m benchmarks.demo_runtime --repeat {args.repeat}`: a fresh copy of the project, `snakemake`
from generation of the demo's 15 exports to the report ({total:,} records identified,
{counts['screened']:,} screened, {counts['included']} included), simulated reviewers included,
install excluded. Machine: {machine()}. Snakemake runs up to 2 jobs at once (profile `cores: 2`).

| runs | median | min | max | goal |
|---:|---:|---:|---:|---|
| {args.repeat} | {statistics.median(times):.1f} s | {min(times):.1f} s | {max(times):.1f} s | under 60 s |
"""
    write_section("demo-runtime", body)
    print(body)


if __name__ == "__main__":
    main()
