"""The `reviewflow` command.

Each command imports what it needs when it runs (here and in the stage packages' cli modules), so
that `reviewflow convert` or `inspect` does not wait for scikit-learn, requests or jsonschema to load.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from . import __version__
from .audit_cli import register_audit
from .dedup.cli import register_dedup
from .errors import ReviewflowError
from .fulltext.cli import register_fulltext
from .io.cli import register_io
from .screen.cli import register_screen
from .scripting import ERROR_PREFIX, STATUS_BY_CALLER_ENV, batch_gc
from .sources import register_sources
from .versions import register as register_version


def _run_snakemake(root: Path, extra: list[str], status_by_caller: bool = False) -> int:
    """Run the workflow in `root`; a user error from a stage becomes our one-line error."""
    cmd = [sys.executable, "-m", "snakemake", "--directory", str(root), *extra]
    env = dict(os.environ)
    if status_by_caller:
        env[STATUS_BY_CALLER_ENV] = "1"
    # Scripts run with this interpreter; its bin folder goes first for any helper tools.
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    proc = subprocess.run(cmd, cwd=root, env=env, stderr=subprocess.PIPE, text=True)
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        errors = [ln[len(ERROR_PREFIX):] for ln in proc.stderr.splitlines() if ln.startswith(ERROR_PREFIX)]
        if errors:
            raise ReviewflowError(errors[-1])
    return proc.returncode


def cmd_demo(args: argparse.Namespace) -> int:
    from .config import find_root, load_config
    from .status import format_status, review_status

    root = find_root(args.directory)
    load_config(root / "config" / "config.yaml", root)
    extra = ["--config", f"demo_seed={args.seed}"] if args.seed is not None else []
    rc = _run_snakemake(root, extra, status_by_caller=True)
    if rc != 0:
        print("reviewflow: the workflow failed (see the messages above)", file=sys.stderr)
        return 1
    report = root / "results" / "report" / "index.html"
    print(format_status(review_status(root)))
    print(f"\nPRISMA flow diagram: {root / 'results' / 'prisma' / 'flow.svg'}")
    print(f"Report: {report}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from .config import find_root
    from .status import format_status, review_status

    root = find_root(args.directory)
    st = review_status(root)
    if args.json:
        print(json.dumps(st, indent=2, sort_keys=True))
    else:
        print(format_status(st))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="reviewflow", description="A reproducible systematic-review pipeline.")
    p.add_argument("--version", action="version", version=f"reviewflow {__version__}")
    p.add_argument("-C", "--directory", default=".", help="the review project folder (default: here)")
    sub = p.add_subparsers(dest="command", required=True)
    d = sub.add_parser("demo", help="generate the demo review's inputs and run the workflow on them")
    d.add_argument("--seed", type=int, help="seed of the demo generator and simulated reviewers")
    d.set_defaults(func=cmd_demo)
    s = sub.add_parser("status", help="counts so far and what waits on whom")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    s.set_defaults(func=cmd_status)
    # Commands of the stage packages register themselves here, one line each.
    register_audit(sub)
    register_sources(sub)
    register_dedup(sub)
    register_io(sub)
    register_screen(sub)
    register_fulltext(sub)
    register_version(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if argv is None:   # a command of its own process (tests call main in theirs)
        batch_gc()
    try:
        return args.func(args)
    except ReviewflowError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except BrokenPipeError:
        # Output piped into `head` and closed: not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
