"""Coding units: the blocks of a full text's Findings section, with their provenance (page and line)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..extract.pages import FullText

_QUOTE = re.compile(r'^["“]')


@dataclass(frozen=True)
class Segment:
    record_id: str
    segment: int          # 1-based position among the finding segments
    heading: str          # the author's theme heading above it ('' if none)
    kind: str             # participant_quote | author_statement
    text: str
    line: int             # 1-based line in the full text (as read: `FullText.lines` for a PDF)
    page: int = 1         # the page the segment starts on

    @property
    def id(self) -> str:
        return f"{self.record_id}:{self.segment}"


def split_findings(record_id: str, text: str | FullText) -> list[Segment]:
    """Each non-empty block between blank lines under '## Findings', headings excluded.

    `text` is a plain text (one page) or a full text read page by page (`extract.pages`)."""
    lines = text.lines if isinstance(text, FullText) else [(1, ln) for ln in text.splitlines()]
    out: list[Segment] = []
    in_findings = False
    heading = ""
    block: list[str] = []
    start = page = 0

    def flush() -> None:
        if block:
            body = " ".join(s.strip() for s in block)
            kind = "participant_quote" if _QUOTE.match(body) else "author_statement"
            out.append(Segment(record_id, len(out) + 1, heading, kind, body, start, page))
            block.clear()

    for no, (page_no, line) in enumerate(lines, start=1):
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
                start, page = no, page_no
            block.append(s)
    flush()
    return out
