"""Screening stages as the workflow calls them."""

from __future__ import annotations

from pathlib import Path

from ..fsio import iter_jsonl, read_csv, write_csv, write_json
from ..records import Record
from .rules import RULE_ORDER, Rules
from .stages import make_sheets, record_row, title_abstract_stage


def run_eligibility(config: dict, unique: Path, out_csv: Path, out_summary: Path) -> None:
    """The automatic rules' verdict on every unique record ('' = goes on to people)."""
    rules = Rules.from_config(config.get("eligibility", {}))
    rows = [{"record_id": r.id, "rule": rules.apply(r)}
            for r in (Record.from_dict(d) for d in iter_jsonl(unique))]
    write_csv(out_csv, ["record_id", "rule"], rows)
    desc = rules.describe()
    write_json(out_summary, [{"rule": name, "description": desc[name],
                              "n": sum(1 for r in rows if r["rule"] == name)} for name in RULE_ORDER])


def run_ta_sheets(config: dict, unique: Path, auto: Path, queue: Path,
                  sheets: dict[str, Path]) -> None:
    """Blinded title/abstract sheets for the records no automatic rule removed."""
    excluded = {r["record_id"] for r in read_csv(auto) if r["rule"]}
    rows = [record_row(Record.from_dict(d)) for d in iter_jsonl(unique)]
    rows = sorted((r for r in rows if r["record_id"] not in excluded), key=lambda r: r["record_id"])
    make_sheets(title_abstract_stage(config), rows, queue, sheets)
