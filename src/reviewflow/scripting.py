"""What the workflow's scripts share: user errors become one line on stderr and exit 2."""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import ReviewflowError

ERROR_PREFIX = "reviewflow: error: "
# The run's failures, one file per failed job, for `reviewflow status` (the workflow's onstart
# empties the folder, so it holds the last run's failures only). Relative: jobs run at the project root.
FAILURES = Path("results") / "status" / "failures"


def batch_gc() -> None:
    """Collect reference cycles less often, for a process that builds a whole record set at once.

    Reading 100,000 records makes tens of millions of dicts, lists and strings that all stay alive;
    the collector's default (a pass every 700 new containers) spends most of a load re-scanning them.
    The records hold no cycles (reference counting frees them), so rarer passes lose nothing:
    reading a JSON Lines file of 17,000 records went from 0.9 s to 0.3 s."""
    gc.set_threshold(50_000, 20, 10)


# Set to a file path, every job appends one line of timings to it (benchmarks/demo_runtime.py's profile).
JOB_TIMES_ENV = "REVIEWFLOW_JOB_TIMES"


def _since_boot() -> float | None:
    """Seconds since boot on the clock /proc's process start times count on (None off Linux)."""
    try:
        return time.clock_gettime(time.CLOCK_BOOTTIME)
    except (AttributeError, OSError):
        return None


def _process_start() -> float | None:
    """When this process started, in seconds since boot (None where /proc does not say)."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[19]) / os.sysconf("SC_CLK_TCK")     # field 22, starttime, in clock ticks
    except (OSError, ValueError, IndexError):
        return None


def _keep_times(func: Callable[..., Any], began: float | None) -> None:
    """One JSON line: the job's script, when its process started, when the stage began and ended
    (seconds since boot) and its CPU seconds; start-up is `began - process`, the stage's work `ended - began`."""
    out = os.environ.get(JOB_TIMES_ENV)
    if not out or began is None:
        return
    import json

    # Snakemake runs a copy named tmpXXXX.<script>.py: the script's own name is the stem's last part.
    line = {"script": Path(sys.argv[0]).stem.rsplit(".", 1)[-1] if sys.argv and sys.argv[0] else "",
            "stage": getattr(func, "__name__", ""), "process": _process_start(), "began": began,
            "ended": _since_boot(), "cpu": time.process_time()}
    with open(out, "a", encoding="utf-8") as fh:       # one short append per job: lines do not interleave
        fh.write(json.dumps(line, sort_keys=True) + "\n")


def guard(func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run a stage; a user's mistake prints `file:line: what is wrong`, not a traceback, and is
    kept for `reviewflow status`."""
    batch_gc()
    began = _since_boot()
    try:
        func(*args, **kwargs)
        _keep_times(func, began)
    except ReviewflowError as exc:
        print(f"{ERROR_PREFIX}{exc}", file=sys.stderr, flush=True)
        _keep_failure(str(exc))
        sys.exit(2)


def _keep_failure(message: str) -> None:
    if not FAILURES.parent.parent.is_dir():     # not run inside a project (a test calling a stage)
        return
    import hashlib
    import json

    FAILURES.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(message.encode("utf-8")).hexdigest()[:16]
    (FAILURES / f"{name}.json").write_text(json.dumps({"message": message}, ensure_ascii=False) + "\n",
                                           encoding="utf-8")


def optional(path: str | Path | None) -> Path | None:
    """A decisions file people may not have returned yet."""
    return Path(path) if path and Path(path).exists() else None


def returned(named_input: Any) -> list[Path]:
    """The people's filled sheets a sheet-writing rule lists as its `returned` input (none in the
    demo, and none for a rule without that input)."""
    return [Path(p) for p in getattr(named_input, "returned", None) or []]


def returned_one(named_input: Any) -> Path | None:
    """The one filled sheet of `returned(named_input)`, if any."""
    return next(iter(returned(named_input)), None)


def aliases(named_input: Any) -> dict[str, str] | None:
    """Record id -> its duplicate group's id today, from the rule's `groups` input (None without one)."""
    files = getattr(named_input, "groups", None)
    if files is None:
        return None
    from .identity import load_aliases

    return load_aliases(*([files] if isinstance(files, str) else files))
