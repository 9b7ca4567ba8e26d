"""The review-like titles rule's exclusions as a sheet a reviewer may check, and the overturns read back.

The year, language and publication-type rules read a field the database filled in; the
review-like titles rule reads words (`review_titles.py`), and words can mislead ('a protocol for
a trial' in a trial's own report). So its exclusions are listed, with what the record says it is,
and a reviewer may send any of them on to title/abstract screening. The sheet is optional: without
a decision the rule stands, so the review never waits on it.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping, Sequence

from ..records import Record
from ..sheets import Column, read_sheet, write_sheet

CHECKED_RULE = "review_title"
EXCLUDE, SCREEN = "exclude", "screen"
SHEET = "eligibility/review_titles.xlsx"

INSTRUCTIONS = (
    "Records the rule 'review-like titles' excluded before screening: their title or abstract says they "
    "are a review, a protocol, an editorial or a commentary, a type the protocol excludes, although the "
    "database typed them otherwise.",
    "Checking them is optional: a row left empty stays excluded (as 'exclude' does).",
    "Choose 'screen' where the record is not what its words suggest (e.g. a trial whose title names its "
    "protocol): it goes on to title/abstract screening like any other record.",
    "Do not change the 'record_id' column.",
)


def columns() -> list[Column]:
    return [Column("record_id", "record_id", width=14),
            Column("decision", "decision", width=12, choices=(EXCLUDE, SCREEN), editable=True),
            Column("says", "says it is", width=20), Column("title", "title", width=60, wrap=True),
            Column("abstract", "abstract", width=80, wrap=True), Column("year", "year", width=7),
            Column("journal", "journal", width=25), Column("doi", "DOI", width=22, link=True)]


def write_check_sheet(path: str | os.PathLike, marked: Sequence[tuple[Record, str]],
                      decided: Mapping[str, str]) -> None:
    """One row per record the rule excluded (with what it says it is, in words); `decided` carries a returned
    sheet's decisions into the new one, so saving it over the returned sheet loses nothing."""
    rows = [{"record_id": r.id, "decision": decided.get(r.id, ""), "says": says, "title": r.title or "",
             "abstract": r.abstract or "", "year": str(r.year or ""), "journal": r.journal or "", "doi": r.doi or ""}
            for r, says in sorted(marked, key=lambda m: m[0].id)]
    write_sheet(path, columns(), rows, title="review-like titles", instructions=INSTRUCTIONS)


def read_check_decisions(path: str | os.PathLike, marked: Collection[str],
                         aliases: Mapping[str, str] | None = None) -> dict[str, str]:
    """Record id (as the review knows it today) -> 'exclude' | 'screen', for the rows decided.

    `marked`: the records the rule marks now. With `aliases` (every record id -> its group today) a
    row of a record merged into another group follows it, and a row of a record the rule no longer
    marks is set aside; without, such a row is an error."""
    read = read_sheet(path, columns(), expected_keys=marked, allow_missing=True, aliases=aliases)
    return {k: row["decision"] for k, row in sorted(read.rows.items()) if row.get("decision")}
