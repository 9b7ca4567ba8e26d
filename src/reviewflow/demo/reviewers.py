"""Simulated people for the demo: screeners, adjudicator, librarian, extractor.

Each decides from the demo's truth and errs at the rate the config sets. Every random draw
is seeded by (seed, person, stage, record), so decisions do not depend on sheet order.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from ..fsio import iter_jsonl
from ..screen.dual import adjudication_columns
from ..screen.stages import full_text_stage, reviewers_for, title_abstract_stage
from ..sheets import write_sheet
from .truth import Truth, records_by_id

# A full-text reason for documents the generator did not expect at full text
# (they reached it only through screening errors).
FALLBACK_REASON = {"irrelevant": "X4_population", "review": "X3_secondary",
                   "commentary": "X3_secondary", "erratum": "X1_pubtype",
                   "conference_abstract": "X1_pubtype", "other_language": "X2_language",
                   "out_of_range_year": "X8_date"}


# Real screeners disagree mostly on near misses and rarely on clearly irrelevant records:
# a record's error probability is the configured rate times its kind's difficulty.
DIFFICULTY = {"irrelevant": 0.2, "near_miss": 2.0}


def _difficulty(doc: dict) -> float:
    kind = doc["kind"]
    return DIFFICULTY.get("near_miss" if kind.startswith("near_miss") else kind, 1.0)


def _rng(seed: int, who: str, stage: str, record_id: str) -> random.Random:
    return random.Random(f"{seed}:{who}:{stage}:{record_id}")


def _true_ta(doc: dict) -> str:
    return "include" if doc["ta_include"] == "1" else "exclude"


def _true_ft(doc: dict, reasons: list[str]) -> tuple[str, str]:
    if doc["ft_decision"] == "include":
        return "include", ""
    reason = doc["ft_reason"] or FALLBACK_REASON.get(doc["kind"].split("_")[0], "")
    if reason not in reasons:
        reason = FALLBACK_REASON.get(doc["kind"], reasons[min(3, len(reasons) - 1)])
    return "exclude", reason


def _decide(stage: str, doc: dict, rng: random.Random, error: float,
            reasons: list[str]) -> dict[str, str]:
    """The right decision, or with probability `error` the wrong one."""
    error = min(1.0, error * _difficulty(doc))
    if stage == "title_abstract":
        d = _true_ta(doc)
        if rng.random() < error:
            d = "exclude" if d == "include" else "include"
        return {"decision": d}
    d, reason = _true_ft(doc, reasons)
    if rng.random() < error:
        if d == "include":
            d, reason = "exclude", rng.choice(reasons)
        elif rng.random() < 0.5:
            d, reason = "include", ""
        else:
            reason = rng.choice([r for r in reasons if r != reason] or reasons)
    return {"decision": d, "reason": reason}


def _stage(config: dict, stage: str):
    return title_abstract_stage(config) if stage == "title_abstract" else full_text_stage(config)


def simulate_reviewer(config: dict, stage: str, reviewer: str, queue: Path, unique: Path,
                      truth_dir: Path, out: Path) -> None:
    """Fill reviewer `reviewer`'s sheet for `stage` (title_abstract | full_text)."""
    st = _stage(config, stage)
    truth, recs = Truth.load(truth_dir), records_by_id(unique)
    seed = config["demo"]["seed"]
    rates = config["demo"].get("reviewers", {})
    error = (rates.get("error_rate", {}).get(reviewer, 0.0) if stage == "title_abstract"
             else rates.get("full_text_error_rate", 0.0))
    reasons = [r["code"] for r in config["full_text_exclusion_reasons"]]
    rows = []
    for q in iter_jsonl(queue):
        doc = truth.doc_for(recs[q["record_id"]])
        rows.append({**q, **_decide(stage, doc, _rng(seed, reviewer, stage, q["record_id"]),
                                    error, reasons)})
    write_sheet(out, st.columns, rows, title=f"{st.label} - {reviewer}"[:31])


def simulate_adjudicator(config: dict, stage: str, conflicts: Path, unique: Path,
                         truth_dir: Path, out: Path) -> None:
    """Settle each conflict listed in the stage's conflicts queue."""
    st = _stage(config, stage)
    reviewers = reviewers_for(config, stage)
    cols = adjudication_columns(st, reviewers)
    truth, recs = Truth.load(truth_dir), records_by_id(unique)
    seed = config["demo"]["seed"]
    error = config["demo"].get("reviewers", {}).get("adjudicator_error_rate", 0.0)
    reasons = [r["code"] for r in config["full_text_exclusion_reasons"]]
    who = config["screening"]["adjudicator"]
    rows = []
    for q in iter_jsonl(conflicts):
        doc = truth.doc_for(recs[q["record_id"]])
        rows.append({**q, **_decide(stage, doc, _rng(seed, who, stage, q["record_id"]), error, reasons)})
    write_sheet(out, cols, rows, title=f"{st.label} - conflicts"[:31])


def simulate_retrieval(config: dict, queue: Path, unique: Path, truth_dir: Path,
                       library: Path, fulltext_dir: Path, out: Path) -> None:
    """The librarian: copy each retrievable report's text into the full-text folder."""
    from ..fulltext.retrieval import COLUMNS

    truth, recs = Truth.load(truth_dir), records_by_id(unique)
    fulltext_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for q in iter_jsonl(queue):
        rec = recs[q["record_id"]]
        doc = truth.doc_for(rec)
        src = library / f"{doc['doc_id']}.txt"
        dest = fulltext_dir / f"{q['record_id']}.txt"
        if doc["retrievable"] == "1" and src.is_file():
            shutil.copyfile(src, dest)
            status = "retrieved"
        elif doc["retrievable"] == "1":
            # Reached full text only through screening errors: the report is its abstract.
            dest.write_text(f"# {rec.get('title') or ''}\n\n## Abstract\n{rec.get('abstract') or ''}\n",
                            encoding="utf-8")
            status = "retrieved"
        else:
            status = "not_retrieved"
        rows.append({**q, "status": status})
    write_sheet(out, COLUMNS, rows, title="Full-text retrieval")


def simulate_extractor(config: dict, queue: Path, out: Path) -> None:
    """The extractor confirms the suggested values (the demo's full texts state them plainly)."""
    from ..extract.run import columns

    cols = columns(config.get("extraction", {}).get("fields", []))
    rows = [{**q, "checked": "yes"} for q in iter_jsonl(queue)]
    write_sheet(out, cols, rows, title="Extraction")
