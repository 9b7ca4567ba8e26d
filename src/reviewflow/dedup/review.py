"""Uncertain pairs as an XLSX sheet for a reviewer, and the reviewer's decisions read back.

One row per pair: both records side by side, the fields that differ named in their own column
and marked in both records' cells. The reviewer picks `duplicate` or `different`; a decision
wins over the automatic one (except that two different DOIs never join, see engine.py). A pair
without a decision is not merged.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence

from ..errors import SheetError
from ..records import Record
from ..sheets import Column, read_sheet, write_sheet
from .engine import DIFFERENT, SAME, UNCERTAIN, Pair
from .normalise import fold, pages_key

SEPARATOR = " | "
MARK = "≠ "
_FIELDS = (("title", "title", 45), ("authors", "authors", 30), ("year", "year", 7), ("journal", "journal", 25),
           ("volume", "volume", 8), ("issue", "issue", 8), ("pages", "pages", 10), ("doi", "DOI", 22),
           ("source", "database", 12))

INSTRUCTIONS = (
    "Possible duplicates that the automatic rules could not decide. Each row shows two records, A and B.",
    "In the column 'decision' choose 'duplicate' (A and B report the same work: they are merged) or "
    "'different' (they stay apart).",
    "The column 'differs' names the fields whose values disagree; those cells start with '≠'.",
    "A pair left empty is not merged. Records with two different DOIs are never merged.",
    "Do not change the 'pair' column: it identifies the two records.",
)


def pair_id(a: str, b: str) -> str:
    """The sheet's key of a pair (record ids, smaller first)."""
    a, b = sorted((a, b))
    return f"{a}{SEPARATOR}{b}"


def columns() -> list[Column]:
    """The review sheet's columns: key, decision, what differs, then A's and B's fields."""
    cols = [Column("pair", "pair", width=28),
            Column("decision", "decision", width=12, choices=(SAME, DIFFERENT), editable=True, required=True),
            Column("differs", "differs", width=18), Column("reason", "why uncertain", width=24, wrap=True)]
    for side in ("a", "b"):
        cols += [Column(f"{side}_{key}", f"{side.upper()} {header}", width=width, wrap=key in ("title", "authors"),
                        link=key == "doi") for key, header, width in _FIELDS]
    return cols


def _values(r: Record) -> dict[str, str]:
    return {"title": r.title or "", "authors": "; ".join(a.display() for a in r.authors),
            "year": str(r.year or ""), "journal": r.journal or "", "volume": r.volume or "", "issue": r.issue or "",
            "pages": r.pages or "", "doi": r.doi or "", "source": r.source}


def _differs(key: str, a: str, b: str) -> bool:
    """Whether two values disagree, ignoring case, punctuation and page abbreviations."""
    if not a or not b:
        return False
    if key == "pages":
        return pages_key(a) != pages_key(b)
    return fold(a) != fold(b)


def review_rows(pairs: Iterable[Pair], records: Mapping[str, Record]) -> list[dict[str, str]]:
    """One sheet row per uncertain pair; `records` maps record keys to records."""
    rows = []
    for p in sorted(pairs, key=lambda p: (p.a, p.b)):
        va, vb = _values(records[p.a]), _values(records[p.b])
        differ = [key for key, _, _ in _FIELDS if key != "source" and _differs(key, va[key], vb[key])]
        row = {"pair": pair_id(p.a, p.b), "decision": "", "differs": ", ".join(differ), "reason": p.reason}
        for side, vals in (("a", va), ("b", vb)):
            for key, _, _ in _FIELDS:
                text = vals[key]
                row[f"{side}_{key}"] = MARK + text if key in differ else text
        rows.append(row)
    return rows


DECIDED = "decided by a reviewer"


def write_review_sheet(path: str | os.PathLike, pairs: Sequence[Pair], records: Mapping[str, Record],
                       decided: Mapping[tuple[str, str], str] | None = None) -> None:
    """Write the review sheet (deterministic to the byte, atomically).

    decided: the reviewer's decisions so far ({(a, b): verdict}); those pairs stay on the sheet with
    their decision, so a regenerated sheet saved over the returned one loses nothing."""
    decided = {tuple(sorted(k)): v for k, v in (decided or {}).items() if k[0] in records and k[1] in records}
    open_pairs = [p for p in pairs if (p.a, p.b) not in decided]
    rows = review_rows([*open_pairs, *(Pair(a, b, UNCERTAIN, 0.0, DECIDED) for a, b in decided)], records)
    for row in rows:
        a, _, b = row["pair"].partition(SEPARATOR)
        row["decision"] = decided.get((a, b), "")
    write_sheet(path, columns(), rows, title="uncertain pairs", instructions=INSTRUCTIONS, key="pair")


def read_review_decisions(path: str | os.PathLike,
                          known: Iterable[str] | None = None) -> tuple[dict[tuple[str, str], str], list[str]]:
    """Decisions from a filled sheet: ({(a, b): 'duplicate'|'different'}, pairs still pending).

    known: the record ids of this run; a pair naming another record is a bad sheet."""
    read = read_sheet(path, columns(), key="pair")
    ids = None if known is None else set(known)
    decisions: dict[tuple[str, str], str] = {}
    for key, row in sorted(read.rows.items()):
        a, sep, b = key.partition(SEPARATOR)
        if not sep or not a or not b or (ids is not None and (a not in ids or b not in ids)):
            raise SheetError(f"pair {key!r} does not name two records of this deduplication", file=str(path),
                             column="pair")
        decisions[tuple(sorted((a, b)))] = row["decision"]
    return decisions, sorted(read.pending)
