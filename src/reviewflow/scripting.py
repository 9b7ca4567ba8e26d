"""What the workflow's scripts share: user errors become one line on stderr and exit 2."""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
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


def end_idle_timers() -> None:
    """Cancel the timers Snakemake's scheduler leaves behind once every job is done (the workflow's
    onsuccess and onerror): each reopens the job queue when its job rate limit's timespan (1 s) is
    over, and the interpreter waited for the last of them before it could exit."""
    for thread in threading.enumerate():
        if isinstance(thread, threading.Timer):
            thread.cancel()


@contextmanager
def gc_paused(*, freeze: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector while a step builds its records.

    A reader creates millions of small lists and dicts and frees none of them, which makes the
    collector run again and again over everything built so far (over half the time of reading
    100,000 RIS records). Records hold no reference cycles, so reference counting frees all
    the step's temporary objects without it; it is switched back on at the end.

    Wrapped around a whole step whose records die before it ends (a conversion, an import), no
    collection goes over them at all: the first one after a pause takes everything made meanwhile.
    `freeze`, for a step whose records live to the end of a process of its own (the dedup stage): what
    was built is put out of the collector's reach (gc.freeze) before it is back on, so no collection
    goes over it again (collections took 12 s of 65 s deduplicating 300,000 records). Never in
    Snakemake's process: that would take Snakemake's objects too.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


# Set for a Snakemake run whose caller prints the review's status itself (`reviewflow demo`): the
# workflow's onsuccess then leaves it out, so that it is not printed twice.
STATUS_BY_CALLER_ENV = "REVIEWFLOW_STATUS_BY_CALLER"

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


class StageFailed(Exception):
    """A stage run inside Snakemake's process stopped on a user's mistake (its message is already on stderr)."""


# The job a thread of Snakemake's process runs (`run_script`): its script, when it began, the thread's CPU then.
_JOB = threading.local()


# A job whose input files add up to more than this runs in a Python of its own (`run_script`'s
# `big_in_own_process`): its start-up (about half a second) is then small beside its work, and two such
# jobs use two cores instead of taking turns at Snakemake's interpreter. The demo's inputs are far below it.
BIG_INPUT_MB = 8.0


def run_script(script: Path, job: Mapping[str, Any], config: dict, *, big_in_own_process: bool = False) -> None:
    """Run a workflow script in Snakemake's own process, as its `script:` directive would in a new one.

    `job` is a `run:` block's locals (input, output, params, ...). A job then costs no interpreter start
    and no import of the library or of its dependencies, which the process keeps from job to job: on the
    demo's chain of ~75 small jobs that was over a third of the time (BENCHMARKS.md, "Whole workflow").
    The workflow profile sets `force-use-threads`: without it Snakemake spawns a whole Snakemake per job.
    `big_in_own_process`: inputs over BIG_INPUT_MB run the script in a new Python instead (`_run_in_child`)."""
    import runpy

    from snakemake.script import Snakemake

    sm = Snakemake(job["input"], job["output"], job["params"], job["wildcards"], job["threads"],
                   job["resources"], job["log"], config, job["rule"], None, str(script.parent))
    if big_in_own_process and is_big_input(sm.input):
        _run_in_child(script, sm)
        return
    _JOB.script, _JOB.began, _JOB.cpu = script.stem, _since_boot(), time.thread_time()
    try:
        runpy.run_path(str(script), init_globals={"snakemake": sm}, run_name="__main__")
    finally:
        del _JOB.script


def is_big_input(files: Any) -> bool:
    """Whether the files add up to more than BIG_INPUT_MB (a job that gets a Python of its own)."""
    return sum(os.path.getsize(f) for f in files if os.path.isfile(f)) / 1e6 > BIG_INPUT_MB


def _run_in_child(script: Path, sm: Any) -> None:
    """The script in a new Python, given the job as Snakemake's `script:` gives it (a pickled Snakemake
    object). The thread that waits holds no lock, so Snakemake's other job threads go on meanwhile."""
    import pickle
    import subprocess
    import tempfile

    fd, job_file = tempfile.mkstemp(prefix="reviewflow-job-", suffix=".pickle")
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(sm, fh)
        code = subprocess.run([sys.executable, "-m", "reviewflow.scripting", str(script), job_file]).returncode
    finally:
        os.unlink(job_file)
    if code:
        # The child printed what went wrong (a user's mistake in one line, anything else as a traceback).
        raise StageFailed(f"{script.stem} stopped (exit status {code}); its message is above")


def _child_main(argv: Sequence[str]) -> None:
    """`python -m reviewflow.scripting SCRIPT JOB.pickle`: what `_run_in_child` starts."""
    import pickle
    import runpy

    script, job_file = argv
    with open(job_file, "rb") as fh:
        sm = pickle.load(fh)
    runpy.run_path(script, init_globals={"snakemake": sm}, run_name="__main__")


def _in_process() -> bool:
    return getattr(_JOB, "script", None) is not None


def _keep_times(func: Callable[..., Any], began: float | None) -> None:
    """One JSON line: the job's script, when its process started, when the stage began and ended
    (seconds since boot) and its CPU seconds; start-up is `began - process`, the stage's work `ended - began`.
    A job in Snakemake's process (`run_script`) starts when its script does, and counts its thread's CPU."""
    out = os.environ.get(JOB_TIMES_ENV)
    if not out or began is None:
        return
    import json

    if _in_process():
        script, process, cpu = _JOB.script, _JOB.began, time.thread_time() - _JOB.cpu
    else:
        # Snakemake runs a copy named tmpXXXX.<script>.py: the script's own name is the stem's last part.
        script = Path(sys.argv[0]).stem.rsplit(".", 1)[-1] if sys.argv and sys.argv[0] else ""
        process, cpu = _process_start(), time.process_time()
    line = {"script": script, "stage": getattr(func, "__name__", ""), "process": process, "began": began,
            "ended": _since_boot(), "cpu": cpu}
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
        if _in_process():       # SystemExit in a thread of Snakemake's would stop no job: fail this one
            raise StageFailed(str(exc)) from None
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


if __name__ == "__main__":
    _child_main(sys.argv[1:])
