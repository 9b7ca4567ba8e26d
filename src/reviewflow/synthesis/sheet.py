"""The coding sheet: one row per finding segment with the suggested codes; people's decisions win.

A reviewer confirms the suggestion, recodes the segment (a codebook id from the dropdown, more
ids in 'Further codes' separated by ';'), or rejects it (no codebook code fits: the segment joins
the inductive pool). Suggestions and decisions are stored apart; rows without a decision keep
their suggestions, marked as such.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..errors import SheetError
from ..identity import part_aliases
from ..sheets import Column, carry_over, read_returned, read_sheet, write_sheet

DECISIONS = ("confirm", "recode", "reject")
KEY = "segment_id"
SEGMENT_NUMBER = re.compile(r"[0-9]+")


def coding_columns(code_ids: Sequence[str]) -> list[Column]:
    return [
        Column(KEY, "Segment ID", width=16),
        Column("study", "Study", width=18),
        Column("heading", "Author theme", width=22, wrap=True),
        Column("kind", "Kind", width=14),
        Column("text", "Finding segment", width=70, wrap=True),
        Column("page", "Page", width=7),
        Column("attribution", "Speaker (as printed)", width=16, wrap=True),
        Column("basis", "Read from", width=16, wrap=True),
        Column("suggested", "Suggested codes", width=20, wrap=True),
        Column("why", "Why suggested", width=24, wrap=True),
        Column("decision", "Decision", width=12, choices=DECISIONS, editable=True, required=True),
        Column("recode_to", "Recode to", width=16, choices=tuple(code_ids), editable=True),
        Column("more_codes", "Further codes (id; id)", width=22, editable=True),
        Column("comment", "Comment", width=30, wrap=True, editable=True),
    ]


INSTRUCTIONS = [
    "One row per finding segment of the included studies (Thomas & Harden's line-by-line coding).",
    "Decision: 'confirm' keeps the suggested codes; 'recode' replaces them with 'Recode to' plus any "
    "ids in 'Further codes' (separated by ';'); 'reject' means no codebook code fits (the segment "
    "goes to the inductive clustering for new codes).",
    "Your decisions win over the suggestions. Rows left without a decision keep the suggestions, "
    "shown as unconfirmed in the report.",
]


def segment_aliases(aliases: Mapping[str, str] | None) -> Mapping[str, str] | None:
    """`aliases` for segment ids ("<record id>:12"): a report's segments keep their numbers when its
    record id changes (the same file is read again)."""
    return part_aliases(aliases, SEGMENT_NUMBER)


def write_coding_sheet(path: Path, code_ids: Sequence[str], rows: list[dict], returned: Path | None = None,
                       notes: Sequence[str] = (), aliases: Mapping[str, str] | None = None) -> None:
    """The coding sheet; decisions from the coder's returned sheet (`returned`), if any, are carried
    (to the report each segment id's record stands for today: `aliases`, see `identity`).
    `notes` name the studies whose findings could not be read as such (they head the sheet)."""
    cols = coding_columns(code_ids)
    rows = carry_over(rows, cols, read_returned(returned, cols, key=KEY, aliases=segment_aliases(aliases)),
                      key=KEY)
    head = [f"Check: {n}" for n in notes]
    write_sheet(path, cols, rows, title="Coding", instructions=[*head, *INSTRUCTIONS], key=KEY)


def split_codes(text: str) -> list[str]:
    return [c for c in (p.strip() for p in re.split(r"[;,\n]", text or "")) if c]


def read_coding_sheet(path: Path, code_ids: Sequence[str], queue: Sequence[Mapping],
                      aliases: Mapping[str, str] | None = None) -> dict[str, dict]:
    """segment id -> {decision, codes, comment} for every decided row; unknown codes are errors."""
    cols = coding_columns(code_ids)
    rows_of = {r[KEY]: i + 2 for i, r in enumerate(queue)}
    read = read_sheet(path, cols, key=KEY, expected_keys=list(rows_of), allow_missing=True,
                      aliases=segment_aliases(aliases))
    known = {c.casefold(): c for c in code_ids}
    suggested = {r[KEY]: split_codes(r.get("suggested", "")) for r in queue}
    out: dict[str, dict] = {}
    for sid, cells in read.rows.items():
        decision = cells["decision"]
        more = []
        for c in split_codes(cells.get("more_codes", "")):
            if c.casefold() not in known:
                raise SheetError(f"segment {sid}: {c!r} is not a codebook id ({', '.join(code_ids)})",
                                 file=str(path), line=rows_of.get(sid), column="Further codes (id; id)")
            more.append(known[c.casefold()])
        if decision == "confirm":
            codes = suggested[sid]
        elif decision == "reject":
            codes = []
        else:
            codes = list(dict.fromkeys(([cells["recode_to"]] if cells.get("recode_to") else []) + more))
            if not codes:
                raise SheetError(f"segment {sid}: 'recode' needs a code in 'Recode to' or 'Further codes'",
                                 file=str(path), line=rows_of.get(sid), column="Recode to")
        out[sid] = {"decision": decision, "codes": codes, "comment": cells.get("comment", "")}
    return out
