"""The timers Snakemake's scheduler leaves behind are cancelled when the run ends."""

from __future__ import annotations

import threading

from reviewflow.scripting import end_idle_timers


def test_pending_timers_end_without_running() -> None:
    fired: list[int] = []
    timer = threading.Timer(60, lambda: fired.append(1))
    timer.start()
    other = threading.Event()
    worker = threading.Thread(target=other.wait, args=(60,))  # not a timer: left alone
    worker.start()
    end_idle_timers()
    timer.join(timeout=5)
    assert not timer.is_alive() and fired == []
    assert worker.is_alive()
    other.set()
    worker.join()
