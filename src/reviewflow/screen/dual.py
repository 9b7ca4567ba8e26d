"""Blinded dual review with adjudication, shared by title/abstract and full-text stages.

Each of two reviewers fills their own sheet, seeing nobody else's decisions. Where both have
decided and disagree, the pair goes to the adjudicator's sheet, which shows both decisions.
A record's final decision is the reviewers' shared one, else the adjudicator's, else pending.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..sheets import Column, SheetRead, carry_over, read_returned, read_sheet, write_sheet
from .agreement import agreement


@dataclass(frozen=True)
class Stage:
    """What differs between the two dual-review stages."""

    name: str                      # "title_abstract" | "full_text"
    label: str                     # for people: "title/abstract screening"
    context: tuple[Column, ...]    # read-only columns shown to reviewers
    decision: tuple[Column, ...]   # the reviewer's columns; the first is the decision itself
    instructions: tuple[str, ...] = ()
    highlight_terms: tuple[str, ...] = ()
    # Every record id of the review -> its duplicate group's id today (`identity`): sheets are read
    # for the study, whichever record represented it when they were written. None: ids as written.
    aliases: Mapping[str, str] | None = field(default=None, compare=False, repr=False)

    @property
    def columns(self) -> list[Column]:
        return [*self.context, *self.decision]

    def outcome(self, row: Mapping[str, str]) -> tuple[str, ...]:
        """The part of a decision that must agree between reviewers (decision, reason...)."""
        d = row[self.decision[0].key]
        if d == "exclude" and len(self.decision) > 1 and self.decision[1].choices:
            return (d, row.get(self.decision[1].key, ""))
        return (d,)


def reviewer_title(stage: Stage, reviewer: str) -> str:
    """The data sheet's name in a reviewer's sheet: it says whose sheet of which stage it is."""
    return f"{stage.label} - {reviewer}"[:31]


def adjudication_title(stage: Stage) -> str:
    return f"{stage.label} - conflicts"[:31]


def write_reviewer_sheets(stage: Stage, rows: Sequence[dict], paths: Mapping[str, Path],
                          returned: Mapping[str, Path | None] | None = None) -> None:
    """One sheet per reviewer; the same records, no other reviewer's columns.

    returned: each reviewer's filled sheet, if they returned one; the decisions they made there are
    carried into their own new sheet, and only into theirs (blinding)."""
    for reviewer, path in paths.items():
        mine = read_returned((returned or {}).get(reviewer), stage.columns,
                             sheet_title=reviewer_title(stage, reviewer), aliases=stage.aliases)
        write_sheet(path, stage.columns, carry_over(rows, stage.columns, mine),
                    title=reviewer_title(stage, reviewer),
                    instructions=[f"Reviewer {reviewer}: {stage.label}.", *stage.instructions],
                    highlight_terms=stage.highlight_terms)


@dataclass
class Waiting:
    who: str
    file: str
    n: int


@dataclass
class DualResult:
    final: dict[str, dict] = field(default_factory=dict)   # key -> {decision, reason, basis}
    conflicts: list[str] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)
    agreement: dict | None = None


def read_decisions(stage: Stage, path: Path | None, keys: Sequence[str],
                   reviewer: str | None = None) -> SheetRead | None:
    """A reviewer's returned sheet; records it does not have yet (they arrived after it was
    written) are pending. With `reviewer`, a sheet written for another person or stage is refused."""
    if path is None or not Path(path).exists():
        return None
    return read_sheet(path, stage.columns, expected_keys=keys, allow_missing=True,
                      sheet_title=None if reviewer is None else reviewer_title(stage, reviewer),
                      aliases=stage.aliases)


def compare(stage: Stage, keys: Sequence[str], reviewers: Sequence[str],
            sheets: Mapping[str, SheetRead | None], files: Mapping[str, str]) -> DualResult:
    """Agreed decisions, conflicts, and who still has to decide what."""
    res = DualResult()
    a_name, b_name = reviewers
    a, b = sheets.get(a_name), sheets.get(b_name)
    for name, sheet in ((a_name, a), (b_name, b)):
        n = len(keys) if sheet is None else len(sheet.pending)
        if n:
            res.waiting.append(Waiting(f"reviewer {name}", files[name], n))
    if a is None or b is None:
        return res
    for k in keys:
        ra, rb = a.rows.get(k), b.rows.get(k)
        if ra is None or rb is None:
            continue
        if stage.outcome(ra) == stage.outcome(rb):
            res.final[k] = {"decision": ra[stage.decision[0].key], "reason": _reason(stage, ra),
                            "basis": "agreed"}
        else:
            res.conflicts.append(k)
    dk = stage.decision[0].key
    both = [k for k in keys if k in a.rows and k in b.rows]
    ag = agreement({k: a.rows[k][dk] == "include" for k in both},
                   {k: b.rows[k][dk] == "include" for k in both})
    res.agreement = {"stage": stage.name, "reviewers": f"{a_name} vs {b_name}",
                     "conflicts": len(res.conflicts), **ag.__dict__}
    return res


def _reason(stage: Stage, row: Mapping[str, str]) -> str:
    if len(stage.decision) > 1 and stage.decision[1].choices and row[stage.decision[0].key] == "exclude":
        return row.get(stage.decision[1].key, "")
    return ""


def adjudication_columns(stage: Stage, reviewers: Sequence[str]) -> list[Column]:
    """Context, both reviewers' decisions (read-only), then the adjudicator's own columns."""
    shown = []
    for r in reviewers:
        for c in stage.decision:
            shown.append(Column(f"{c.key}_{r}", f"{c.header} ({r})", width=14))
    return [*stage.context, *shown, *stage.decision]


def adjudication_rows(stage: Stage, rows_by_key: Mapping[str, dict], conflicts: Sequence[str],
                      reviewers: Sequence[str], sheets: Mapping[str, SheetRead | None]) -> list[dict]:
    out = []
    for k in conflicts:
        row = dict(rows_by_key[k])
        for r in reviewers:
            sheet = sheets[r]
            assert sheet is not None
            for c in stage.decision:
                row[f"{c.key}_{r}"] = sheet.rows[k].get(c.key, "")
        out.append(row)
    return out


def apply_adjudication(stage: Stage, res: DualResult, reviewers: Sequence[str], adjudicator: str,
                       adj: SheetRead | None, adj_file: str) -> None:
    """Settle conflicts with the adjudicator's decisions; what remains waits on them."""
    waiting = 0
    for k in res.conflicts:
        row = adj.rows.get(k) if adj else None
        if row is None:
            waiting += 1
            continue
        res.final[k] = {"decision": row[stage.decision[0].key], "reason": _reason(stage, row),
                        "basis": "adjudicated"}
    if waiting:
        res.waiting.append(Waiting(f"adjudicator {adjudicator}", adj_file, waiting))
