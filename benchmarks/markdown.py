"""Each benchmark owns one section of BENCHMARKS.md, between its own markers."""

from __future__ import annotations

import platform
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS_MD = ROOT / "BENCHMARKS.md"
# The labelled title/abstract screening sets (records.csv per dataset), read where they lie.
SCREENING_SETS = ROOT.parent / "shared" / "bench" / "screening"
HEADER = ("# Benchmarks\n\nEvery figure here is written by a script in `benchmarks/`, which measures "
          "reviewflow and, where a peer runs here, the peer in the same run. Rerun a section with the "
          "command given in it.\n")


def machine() -> str:
    import os

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def write_section(name: str, body: str) -> None:
    """Replace (or append) the section `name` of BENCHMARKS.md with `body`."""
    text = BENCHMARKS_MD.read_text(encoding="utf-8") if BENCHMARKS_MD.exists() else HEADER
    start, end = f"<!-- section:{name} -->", f"<!-- /section:{name} -->"
    block = f"{start}\n{body.strip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _m: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    BENCHMARKS_MD.write_text(text, encoding="utf-8")
