"""Coding units: the blocks of a full text's Findings section, with their provenance."""

from __future__ import annotations

import re
from dataclasses import dataclass

_QUOTE = re.compile(r'^["“]')


@dataclass(frozen=True)
class Segment:
    record_id: str
    segment: int          # 1-based position among the finding segments
    heading: str          # the author's theme heading above it ('' if none)
    kind: str             # participant_quote | author_statement
    text: str
    line: int             # 1-based line in the full text

    @property
    def id(self) -> str:
        return f"{self.record_id}:{self.segment}"


def split_findings(record_id: str, text: str) -> list[Segment]:
    """Each non-empty block between blank lines under '## Findings', headings excluded."""
    out: list[Segment] = []
    in_findings = False
    heading = ""
    block: list[str] = []
    start = 0

    def flush() -> None:
        if block:
            body = " ".join(s.strip() for s in block)
            kind = "participant_quote" if _QUOTE.match(body) else "author_statement"
            out.append(Segment(record_id, len(out) + 1, heading, kind, body, start))
            block.clear()

    for no, line in enumerate(text.splitlines(), start=1):
        s = line.strip()
        if s.startswith("## "):
            flush()
            in_findings = s[3:].strip().lower() == "findings"
            continue
        if not in_findings:
            continue
        if s.startswith("### "):
            flush()
            heading = s[4:].strip()
        elif not s:
            flush()
        else:
            if not block:
                start = no
            block.append(s)
    flush()
    return out
