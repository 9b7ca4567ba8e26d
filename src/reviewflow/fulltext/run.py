"""Full-text stages as the workflow calls them: retrieval sheet, assessment sheets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ..fsio import iter_jsonl, read_csv
from ..records import Record
from ..screen.stages import make_sheets, record_row, stage_for
from .retrieval import make_retrieval_sheet


def _by_id(unique: Path) -> dict[str, Record]:
    return {d["id"]: Record.from_dict(d) for d in iter_jsonl(unique)}


def run_retrieval_sheet(unique: Path, ta_decisions: Path, queue: Path, sheet: Path,
                        returned: Path | None = None, aliases: Mapping[str, str] | None = None) -> None:
    """Every record included at title/abstract is a report sought for retrieval (the team's
    returned sheet, if any, has its statuses carried into the new one)."""
    recs = _by_id(unique)
    rows = [record_row(recs[r["record_id"]]) for r in read_csv(ta_decisions)
            if r["decision"] == "include"]
    make_retrieval_sheet(sorted(rows, key=lambda r: r["record_id"]), queue, sheet, returned, aliases)


def run_ft_sheets(config: dict, unique: Path, retrieval: Path, queue: Path,
                  sheets: dict[str, Path], returned: Sequence[Path] = (),
                  stage_name: str = "full_text", aliases: Mapping[str, str] | None = None) -> None:
    """Blinded full-text sheets for the retrieved reports (decisions already returned carried)."""
    recs = _by_id(unique)
    rows = []
    for r in read_csv(retrieval):
        if r["status"] == "retrieved":
            rows.append({**record_row(recs[r["record_id"]]), "fulltext": r["file"]})
    make_sheets(stage_for(config, stage_name, aliases), rows, queue, sheets, returned)
