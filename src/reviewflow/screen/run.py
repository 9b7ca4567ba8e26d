"""Screening stages as the workflow calls them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from ..fsio import iter_jsonl, read_csv, write_csv, write_json
from ..records import Record
from .priority import describe_order, order_rows
from .rule_check import CHECKED_RULE, SCREEN, read_check_decisions, write_check_sheet
from .rules import RULE_ORDER, Rules
from .stages import make_sheets, order_criteria, prioritised, record_row, stage_for
from .stopping import check, stop_point


def run_eligibility(config: dict, unique: Path, out_csv: Path, out_summary: Path, check_sheet: Path | None = None,
                    returned: Path | None = None, aliases: Mapping[str, str] | None = None) -> None:
    """The automatic rules' verdict on every unique record ('' = goes on to people).

    The review-like titles rule's exclusions go to `check_sheet`; a returned one (`returned`) sends
    the records a reviewer marked 'screen' on to people (`rule_check.py`)."""
    rules = Rules.from_config(config.get("eligibility", {}))
    records = [Record.from_dict(d) for d in iter_jsonl(unique)]
    found = {r.id: rules.verdict(r) for r in records}
    verdicts = {rid: rule for rid, (rule, _) in found.items()}
    marked = [r for r in records if verdicts[r.id] == CHECKED_RULE]
    decided = read_check_decisions(returned, {r.id for r in marked}, aliases) if returned else {}
    overturned = {rid for rid, d in decided.items() if d == SCREEN}
    rows = [{"record_id": r.id, "rule": "" if r.id in overturned else verdicts[r.id]} for r in records]
    write_csv(out_csv, ["record_id", "rule"], rows)
    if check_sheet is not None:
        # What each says it is: the most specific of its kinds that the protocol excludes.
        write_check_sheet(check_sheet, [(r, found[r.id][1].replace("-", " ")) for r in marked], decided)
    desc = rules.describe()
    summary = [{"rule": name, "description": desc[name], "n": sum(1 for r in rows if r["rule"] == name)}
               for name in RULE_ORDER]
    for entry in summary:
        if entry["rule"] == CHECKED_RULE:
            entry["overturned"] = len(overturned)
    write_json(out_summary, summary)


def run_ta_sheets(config: dict, unique: Path, auto: Path, queue: Path,
                  sheets: dict[str, Path], returned: Sequence[Path] = (),
                  stage_name: str = "title_abstract", aliases: Mapping[str, str] | None = None) -> None:
    """Blinded title/abstract sheets for the records no automatic rule removed; a reviewer's
    returned sheet (`returned`, those that exist) has its decisions carried into their new one,
    for the study each of its record ids stands for today (`aliases`)."""
    excluded = {r["record_id"] for r in read_csv(auto) if r["rule"]}
    rows = [record_row(Record.from_dict(d)) for d in iter_jsonl(unique)]
    rows = sorted((r for r in rows if r["record_id"] not in excluded), key=lambda r: r["record_id"])
    stage = stage_for(config, stage_name, aliases)
    if prioritised(config):
        scr = config.get("screening", {})
        known = {(aliases or {}).get(str(k), str(k)): 1 for k in scr.get("known_relevant", [])}
        # Before any decision: the protocol's words (highlight terms and the review question) and the
        # known includes give the first order.
        criteria = order_criteria(config, stage)
        rows = order_rows(rows, known, query=criteria, seed=int(scr.get("seed", 0)))
        in_rows = {r["record_id"] for r in rows}
        note = describe_order([v for k, v in known.items() if k in in_rows], criteria)
        stage = replace(stage, instructions=(*stage.instructions, note))
    make_sheets(stage, rows, queue, sheets, returned)


def run_stopping(config: dict, queue: Path, decisions: Path, out_json: Path) -> None:
    """The stopping rule on the title/abstract decisions, read in the sheet's (priority) order.

    Only the records decided before the first pending one count, so the sequence is the order in
    which people screened. Writes the verdict, the statement for the report, and `stop_after`:
    the first number screened at which the rule would have said stop (null if not yet)."""
    order = [q["record_id"] for q in iter_jsonl(queue)]
    final = {r["record_id"]: r["decision"] for r in read_csv(decisions)}
    labels: list[int] = []
    for rid in order:
        d = final.get(rid, "pending")
        if d == "pending":
            break
        labels.append(1 if d == "include" else 0)
    scr = config.get("screening", {}).get("stopping", {})
    target, conf, bias = (float(scr.get("recall_target", 0.95)), float(scr.get("confidence", 0.95)),
                          float(scr.get("bias", 1.0)))
    verdict = check(labels, len(order), target, conf, bias) if order else None
    k = stop_point(labels, len(order), target, conf, bias) if order else None
    out = {"stage": "title_abstract", "prioritised": prioritised(config), "stop_after": k,
           **(verdict.as_dict() if verdict else {"n_total": 0})}
    if verdict is not None and k is not None and k < len(order):
        out["statement"] += (f" In the order screened, the rule would have allowed stopping after {k:,} records "
                             f"({sum(labels[:k])} relevant found by then).")
    write_json(out_json, out)
