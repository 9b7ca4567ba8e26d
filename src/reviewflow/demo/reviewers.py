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
from ..screen.stages import reviewers_for, stage_for
from ..sheets import write_sheet
from .fulltext import EXTENSIONS, FORMAT_SHARES, fulltext_format
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
    if stage.endswith("title_abstract"):  # title_abstract, citations_title_abstract
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
    return stage_for(config, stage)


def simulate_reviewer(config: dict, stage: str, reviewer: str, queue: Path, unique: Path,
                      truth_dir: Path, out: Path) -> None:
    """Fill reviewer `reviewer`'s sheet for `stage` (title_abstract | full_text)."""
    st = _stage(config, stage)
    truth, recs = Truth.load(truth_dir), records_by_id(unique)
    seed = config["demo"]["seed"]
    rates = config["demo"].get("reviewers", {})
    error = (rates.get("error_rate", {}).get(reviewer, 0.0) if stage.endswith("title_abstract")
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


# Share of the reports that come as the publisher's PDF (the others as JATS XML, DOCX or plain text:
# fulltext.FORMAT_SHARES); the generator wrote each report in its form into the library.
PDF_SHARE = dict(FORMAT_SHARES)["pdf"]


def delivered_as_pdf(seed: int, doc_id: str) -> bool:
    """Whether this document's report comes as a PDF (seeded per document)."""
    return fulltext_format(seed, doc_id) == "pdf"


def library_file(library: Path, doc_id: str) -> Path | None:
    """The document's report in the demo's library, in the form the journal delivers it (None: none there)."""
    return next((p for p in (library / f"{doc_id}{ext}" for ext in EXTENSIONS.values()) if p.is_file()), None)


def simulate_retrieval(config: dict, queue: Path, unique: Path, truth_dir: Path,
                       library: Path, fulltext_dir: Path, out: Path) -> None:
    """The librarian: save each retrievable report in the full-text folder as `<record id>` with the extension
    of the form it comes in (`.pdf` journal PDF, `.xml` JATS, `.docx`, `.txt`): the library's file as it is."""
    from ..fulltext.retrieval import COLUMNS

    truth, recs = Truth.load(truth_dir), records_by_id(unique)
    fulltext_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for q in iter_jsonl(queue):
        rec = recs[q["record_id"]]
        doc = truth.doc_for(rec)
        src = library_file(library, doc["doc_id"])
        if doc["retrievable"] == "1" and src is not None:
            shutil.copyfile(src, fulltext_dir / f"{q['record_id']}{src.suffix}")
            status = "retrieved"
        elif doc["retrievable"] == "1":
            # Reached full text only through screening errors: the report is its abstract, pasted.
            (fulltext_dir / f"{q['record_id']}.txt").write_text(
                f"{rec.get('title') or ''}\n\nAbstract\n\n{rec.get('abstract') or ''}\n", encoding="utf-8")
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


def simulate_cerqual_reviewers(themes: Path, out: Path) -> None:
    """The reviewers accept the rules' CERQual proposal for every finding (empty judgement cells),
    saying so in the explanation: the demo has no view of its own on confidence."""
    from ..fsio import read_json
    from ..synthesis.cerqual import cerqual_columns

    rows = [{"finding": s["id"], "label": s["label"],
             "explanation": "Proposal accepted: the reviewers judged as the rules did (simulated)."}
            for t in read_json(themes)["themes"] for s in t["subthemes"] if s["studies"]]
    write_sheet(out, cerqual_columns(), rows, title="CERQual", key="finding")


def _demo_people(config: dict) -> dict:
    return config.get("demo_people") or {}


def simulate_coder(config: dict, queue: Path, unique: Path, truth_dir: Path, out: Path) -> None:
    """The coder: each segment's true codes (truth/findings.csv), with errors at the configured rate.

    An error is a slip a tired coder makes: confirming a wrong suggestion, or recoding a right one
    to a neighbouring code. Draws are seeded per segment.
    """
    from ..fsio import read_csv
    from ..synthesis.codebook import codes_from_config
    from ..synthesis.sheet import split_codes, write_coding_sheet

    truth, recs = Truth.load(truth_dir), records_by_id(unique)
    true_codes = {(r["doc_id"], int(r["segment"])): split_codes(r["codes"])
                  for r in read_csv(Path(truth_dir) / "findings.csv")}
    code_ids = [c.id for c in codes_from_config(config["codebook"])]
    seed = config["demo"]["seed"]
    error = float(_demo_people(config).get("coder_error_rate", 0.05))
    rows = []
    for q in iter_jsonl(queue):
        doc = truth.doc_for(recs[q["record_id"]])
        want = true_codes.get((doc["doc_id"], int(q["segment_id"].rsplit(":", 1)[1])), [])
        got = split_codes(q["suggested"])
        rng = _rng(seed, "coder", "coding", q["segment_id"])
        if rng.random() < error:
            if set(got) != set(want) and got:
                rows.append({**q, "decision": "confirm"})
                continue
            want = [rng.choice([c for c in code_ids if c not in want] or code_ids)]
        if set(got) == set(want):
            rows.append({**q, "decision": "confirm"})
        elif not want:
            rows.append({**q, "decision": "reject"})
        else:
            rows.append({**q, "decision": "recode", "recode_to": want[0], "more_codes": "; ".join(want[1:])})
    write_coding_sheet(out, code_ids, rows)


# Plausible appraisal profiles: most qualitative studies state their aims and fit the approach;
# the researcher-participant relationship (Q6) is the item most often missing (methods.md 4).
CASP_PROFILE = {"Q1": (0.95, 0.05, 0.0), "Q2": (0.95, 0.05, 0.0), "Q3": (0.8, 0.15, 0.05),
                "Q4": (0.75, 0.18, 0.07), "Q5": (0.85, 0.1, 0.05), "Q6": (0.3, 0.4, 0.3),
                "Q7": (0.8, 0.12, 0.08), "Q8": (0.7, 0.2, 0.1), "Q9": (0.9, 0.08, 0.02),
                "Q10": (0.85, 0.15, 0.0)}
CASP_COMMENT = {"no": "not addressed in the report", "can't tell": "reported too briefly to judge"}


def _casp_answer(rng: random.Random, item: str) -> str:
    yes, cant, _ = CASP_PROFILE.get(item, (0.8, 0.15, 0.05))
    r = rng.random()
    return "yes" if r < yes else "can't tell" if r < yes + cant else "no"


def demo_casp_answer(seed: int, study_id: str, item: str) -> str:
    """The study's 'true' answer to a CASP item: seeded, plausible (the demo texts say nothing on quality)."""
    return _casp_answer(random.Random(f"{seed}:casp:{study_id}:{item}"), item)


def simulate_appraiser(config: dict, appraiser: str, queue: Path, out: Path) -> None:
    """One appraiser's CASP sheet: the study's answer, or another at the configured error rate."""
    from ..extract.appraisal import ANSWERS, write_appraisal_sheet

    seed = config["demo"]["seed"]
    error = float(_demo_people(config).get("appraiser_error_rate", 0.08))
    rows = []
    for q in iter_jsonl(queue):
        answer = demo_casp_answer(seed, q["study_id"], q["item"])
        rng = _rng(seed, appraiser, "appraisal", q["appraisal_id"])
        if rng.random() < error:
            answer = rng.choice([a for a in ANSWERS if a != answer])
        rows.append({**q, "answer": answer, "comment": CASP_COMMENT.get(answer, "")})
    write_appraisal_sheet(out, rows, f"CASP - {appraiser}")


def simulate_appraisal_consensus(config: dict, conflicts: Path, out: Path) -> None:
    """The appraisers' consensus meeting: the study's answer on each item they disagreed on."""
    from ..extract.appraisal import write_consensus_sheet

    seed = config["demo"]["seed"]
    rows = [{**q, "consensus": demo_casp_answer(seed, q["study_id"], q["item"])} for q in iter_jsonl(conflicts)]
    write_consensus_sheet(out, rows)
