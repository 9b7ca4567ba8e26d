"""`reviewflow audit [--rerun]` and `reviewflow trace ID`."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path


def cmd_audit(args: argparse.Namespace) -> int:
    from .audit import audit, report_json, rerun_compare
    from .config import find_root, load_config

    root = find_root(args.directory)
    config = load_config(root / "config" / "config.yaml", root)
    findings = audit(root, config)
    if args.rerun:
        from .cli import _run_snakemake

        def run(workdir: Path) -> None:
            if _run_snakemake(workdir, ["--quiet"]) != 0:
                raise SystemExit("reviewflow: the rerun failed (see the messages above)")

        with tempfile.TemporaryDirectory(prefix="reviewflow-rerun-") as d:
            findings += rerun_compare(root, config, Path(d), run)
    if args.json:
        print(report_json(findings))
    else:
        for f in findings:
            detail = f"\n      {f.detail.strip()}" if f.detail.strip() else ""
            print(f"{'ok  ' if f.ok else 'FAIL'}  {f.name}{detail}")
    bad = [f for f in findings if not f.ok]
    if bad:
        print(f"audit failed: {bad[0].name}: {bad[0].detail.strip()}", file=sys.stderr)
        return 1
    print(f"audit passed: {len(findings)} checks agree", file=sys.stderr)
    return 0


def cmd_trace(args: argparse.Namespace) -> int:
    from .audit import format_trace, trace
    from .config import find_root, load_config

    root = find_root(args.directory)
    config = load_config(root / "config" / "config.yaml", root)
    t = trace(root, config, args.id)
    print(json.dumps(t, indent=2) if args.json else format_trace(t))
    return 0


def register_audit(sub: argparse._SubParsersAction) -> None:
    a = sub.add_parser("audit", help="recompute and reconcile every PRISMA count; --rerun: rerun and compare")
    a.add_argument("--rerun", action="store_true", help="rerun the workflow in a temporary copy and compare files")
    a.add_argument("--json", action="store_true", help="machine-readable output")
    a.set_defaults(func=cmd_audit)
    t = sub.add_parser("trace", help="one record's path from its source line to its final state")
    t.add_argument("id", help="a record id (or a unique prefix of one)")
    t.add_argument("--json", action="store_true", help="machine-readable output")
    t.set_defaults(func=cmd_trace)
