"""Which study a record id stands for today: decisions belong to the study, not to one record.

A decision is written in a sheet against the record that represented its duplicate group when the
sheet was made. Groups change: a reviewer's duplicate decision merges or splits them, an update
search or a second export adds a member that sorts first and so represents the group. Every reader
of a record-keyed sheet maps the ids it finds through `aliases` (every record id of the review -> the
id of its group today), so a decision follows its study to whichever record represents it now.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from .fsio import read_csv


def load_aliases(*groups_files: str | Path | None) -> dict[str, str]:
    """record_id -> group_id from the dedup stage's groups.csv files (those given and present)."""
    out: dict[str, str] = {}
    for path in groups_files:
        if path is not None and Path(path).is_file():
            out.update({r["record_id"]: r["group_id"] for r in read_csv(path)})
    return out


class PartAliases(Mapping[str, str]):
    """`aliases` for keys made of a record id and a part ("<study id>:Q3", "<record id>:12").

    Appraisal items and coded segments are keyed by a study's or report's record id and a part of it;
    a key written for a record merged since maps to the same part of its group's id, so a returned
    appraisal or coding sheet follows the study as screening sheets do. `parts` are the parts the
    stage has, a finite set (appraisal items), or a pattern (a segment's number)."""

    def __init__(self, aliases: Mapping[str, str], parts: Iterable[str] | re.Pattern[str], sep: str = ":") -> None:
        self._aliases, self._sep = aliases, sep
        self._parts = parts if isinstance(parts, re.Pattern) else tuple(sorted(set(parts)))

    def _is_part(self, part: str) -> bool:
        if isinstance(self._parts, re.Pattern):
            return self._parts.fullmatch(part) is not None
        return part in self._parts

    def __getitem__(self, key: str) -> str:
        record, sep, part = key.rpartition(self._sep)
        if not sep or not self._is_part(part) or record not in self._aliases:
            raise KeyError(key)
        return f"{self._aliases[record]}{sep}{part}"

    def __iter__(self) -> Iterator[str]:
        if isinstance(self._parts, re.Pattern):
            raise TypeError("the keys of a pattern of parts cannot be listed")
        return (f"{r}{self._sep}{p}" for r in self._aliases for p in self._parts)

    def __len__(self) -> int:
        if isinstance(self._parts, re.Pattern):
            raise TypeError("the keys of a pattern of parts cannot be counted")
        return len(self._aliases) * len(self._parts)


def part_aliases(aliases: Mapping[str, str] | None, parts: Iterable[str] | re.Pattern[str]) -> PartAliases | None:
    """`PartAliases` over `parts` (None without aliases: no groups known, ids read as written)."""
    return None if aliases is None else PartAliases(aliases, parts)
