"""Imported by Python at start-up when this folder is on PYTHONPATH (the fault tests set it).

A process about to rename its finished temp file onto the path in `REVIEWFLOW_HANG_AT` writes its
pid to `REVIEWFLOW_HANG_MARK` and waits there, so a test can kill it in the middle of a stage at a
known point: the stage's earlier outputs written, this one not yet.
"""

import os

_TARGET = os.environ.get("REVIEWFLOW_HANG_AT")
_MARK = os.environ.get("REVIEWFLOW_HANG_MARK")

if _TARGET and _MARK:
    import signal

    _replace = os.replace

    def _hang_before(src, dst, *args, **kwargs):
        if os.path.abspath(os.fspath(dst)) == os.path.abspath(_TARGET):
            tmp = _MARK + ".tmp"
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(f"{os.getpid()} {os.fspath(src)}\n")
            _replace(tmp, _MARK)
            while True:
                signal.pause()
        return _replace(src, dst, *args, **kwargs)

    os.replace = _hang_before
