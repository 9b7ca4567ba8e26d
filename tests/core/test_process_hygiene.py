"""Process hygiene: the timers Snakemake's scheduler leaves behind, and the collector around record sets."""

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


def test_gc_paused_with_freeze_puts_what_was_built_out_of_reach() -> None:
    import gc

    from reviewflow.scripting import gc_paused

    assert gc.isenabled()
    before = gc.get_freeze_count()
    try:
        with gc_paused(freeze=True):
            assert not gc.isenabled()
            built = [[i] for i in range(1000)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= before + len(built)
    finally:
        gc.unfreeze()  # the rest of the test session as it was
