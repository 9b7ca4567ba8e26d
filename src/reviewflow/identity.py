"""Which study a record id stands for today: decisions belong to the study, not to one record.

A decision is written in a sheet against the record that represented its duplicate group when the
sheet was made. Groups change: a reviewer's duplicate decision merges or splits them, an update
search or a second export adds a member that sorts first and so represents the group. Every reader
of a record-keyed sheet maps the ids it finds through `aliases` (every record id of the review -> the
id of its group today), so a decision follows its study to whichever record represents it now.
"""

from __future__ import annotations

from pathlib import Path

from .fsio import read_csv


def load_aliases(*groups_files: str | Path | None) -> dict[str, str]:
    """record_id -> group_id from the dedup stage's groups.csv files (those given and present)."""
    out: dict[str, str] = {}
    for path in groups_files:
        if path is not None and Path(path).is_file():
            out.update({r["record_id"]: r["group_id"] for r in read_csv(path)})
    return out
