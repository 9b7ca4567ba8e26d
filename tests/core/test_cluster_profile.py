"""The SLURM profile: `snakemake --profile profiles/slurm -n` plans the demo review's jobs.

The dry run needs the executor plugin (snakemake-executor-plugin-slurm, the `cluster` extra) and no
SLURM: Snakemake plans with its own dry-run executor and submits nothing. The SLURM commands are
shadowed by stubs that record each call and fail, so the test passes the same on a laptop and on
a login node, and shows that nothing is submitted (with `sinfo` on PATH the plugin asks
`scontrol show config` once, for its help text; a failing answer does not matter).

Skips when the plugin is missing; under CI=true it fails instead.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ..conftest import ROOT, in_ci

SLURM_COMMANDS = ("sbatch", "srun", "sinfo", "squeue", "sacct", "scontrol", "scancel", "sacctmgr", "sshare")
SUBMITTING = ("sbatch", "srun")
JOB = re.compile(r"^(local)?rule (\w+):$")


def need_plugin() -> None:
    if importlib.util.find_spec("snakemake_executor_plugin_slurm") is None:
        msg = "snakemake-executor-plugin-slurm is not installed (pip install -c constraints.txt -e '.[cluster]')"
        if in_ci():
            pytest.fail(f"{msg} (CI=true: tests that need it must run)")
        pytest.skip(msg)


def jobs(out: str) -> list[tuple[str, bool, dict[str, str]]]:
    """(rule, runs locally, resources) of every job the dry run lists."""
    found: list[tuple[str, bool, dict[str, str]]] = []
    for line in out.splitlines():
        m = JOB.match(line)
        if m:
            found.append((m.group(2), bool(m.group(1)), {}))
        elif found and line.startswith("    resources: "):
            found[-1][2].update(kv.split("=", 1) for kv in line.split(": ", 1)[1].split(", "))
        elif found and line.startswith("    threads: "):
            found[-1][2]["threads"] = line.split(": ", 1)[1]
    return found


@pytest.fixture(scope="module")
def dry_run(tmp_path_factory) -> tuple[Path, str, list[str]]:
    need_plugin()
    root = tmp_path_factory.mktemp("cluster")
    for name in ("Snakefile", "workflow", "scripts", "profiles", "config"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / name)
    stubs = root / "slurm-stubs"
    stubs.mkdir()
    log = root / "slurm-calls.log"
    for cmd in SLURM_COMMANDS:
        (stubs / cmd).write_text(f'#!/bin/sh\necho "{cmd} $*" >> "{log}"\nexit 1\n')
        (stubs / cmd).chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLURM_")}
    env["PATH"] = os.pathsep.join([str(stubs), str(Path(sys.executable).parent), os.environ["PATH"]])
    proc = subprocess.run([sys.executable, "-m", "snakemake", "--profile", "profiles/slurm", "-n"], cwd=root,
                          env=env, capture_output=True, text=True)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    calls = log.read_text().splitlines() if log.exists() else []
    return root, out, calls


def test_profile_is_used_and_nothing_is_submitted(dry_run):
    _, out, calls = dry_run
    assert "Using profiles profiles/slurm" in out or "Using profile profiles/slurm" in out, out[:2000]
    assert "This was a dry-run" in out
    assert not [c for c in calls if c.split()[0] in SUBMITTING], calls


def test_dry_run_plans_the_review(dry_run):
    root, out, _ = dry_run
    planned = jobs(out)
    rules = [r for r, _, _ in planned]
    cfg = yaml.safe_load((root / "config/config.yaml").read_text(encoding="utf-8"))
    # Every database is read (from its export, or its search replayed) before dedup.
    assert rules.count("import_export") + rules.count("search_api") == len(cfg["databases"])
    for rule in ("demo_generate", "dedup", "eligibility", "ta_sheets", "ledger", "prisma", "report", "manifest"):
        assert rule in rules, (rule, rules)


def test_resources_come_from_the_profile(dry_run):
    root, out, _ = dry_run
    profile = yaml.safe_load((root / "profiles/slurm/config.yaml").read_text(encoding="utf-8"))
    assert profile["executor"] == "slurm"
    planned = {r: (local, res) for r, local, res in jobs(out)}
    # The heavy rules get their own memory, time and CPUs; the rest the defaults.
    for rule in ("dedup", "ta_sheets"):
        want = profile["set-resources"][rule]
        local, res = planned[rule]
        assert not local, rule
        assert int(res["mem_mb"]) == want["mem_mb"] and int(res["runtime"]) == want["runtime"], (rule, res)
        assert int(res["cpus_per_task"]) == want["cpus_per_task"], (rule, res)
    assert int(planned["dedup"][1]["threads"]) == profile["set-resources"]["dedup"]["cpus_per_task"]
    default = profile["default-resources"]
    local, res = planned["eligibility"]
    assert int(res["mem_mb"]) == default["mem_mb"] and int(res["runtime"]) == default["runtime"], res


def test_light_rules_run_on_the_submit_host(dry_run):
    # A dry run plans every job as local (its executor is), so read the directive itself; Snakemake
    # only warns about a name in it that is no rule, so the warning must not appear.
    root, out, _ = dry_run
    assert "localrules directive specifies rules that are not present" not in out, out[:3000]
    text = (root / "workflow/Snakefile").read_text(encoding="utf-8")
    block = re.search(r"^localrules:\n((?:    \w+,?\n)+)", text, re.M)
    assert block, "workflow/Snakefile has no localrules directive"
    local = set(re.findall(r"\w+", block.group(1)))
    assert {"ta_stopping", "retrieval_sheet", "retrieval", "prisma", "prisma2020_csv"} <= local, local
    assert not local & {"import_export", "dedup", "ta_sheets", "conflicts", "decisions", "ledger", "report"}, local
