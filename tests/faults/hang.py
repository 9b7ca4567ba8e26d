"""Killing a process at a known point of a write: the `hook/sitecustomize.py` start-up hook."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

HOOK = Path(__file__).resolve().parent / "hook"


def hang_env(target: Path, mark: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """An environment in which a process about to rename its temp file onto `target` stops and
    writes its pid to `mark` (see hook/sitecustomize.py)."""
    env = dict(os.environ if base is None else base)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(HOOK), env.get("PYTHONPATH", "")) if p)
    env["REVIEWFLOW_HANG_AT"] = str(Path(target).resolve())
    env["REVIEWFLOW_HANG_MARK"] = str(mark)
    return env


def kill_when_hung(proc: subprocess.Popen, mark: Path, log: Path | None = None) -> int:
    """Wait until the hook reports the hang, then SIGKILL the process group; the hung pid.

    Fails (with the tail of `log`, the process's output) if it ends without reaching the point."""
    try:
        while not (mark.exists() and mark.read_text(encoding="utf-8").strip()):
            if proc.poll() is not None:
                tail = log.read_text(encoding="utf-8", errors="replace")[-3000:] if log else ""
                raise AssertionError(f"the process ended (exit {proc.returncode}) before the write to kill "
                                     f"in:\n{tail}")
            time.sleep(0.05)  # polling only: nothing here asserts on time
        pid = int(mark.read_text(encoding="utf-8").split()[0])
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    try:
        os.kill(pid, signal.SIGKILL)  # in the group already; in case a job started its own session
    except ProcessLookupError:
        pass
    mark.unlink()
    return pid
