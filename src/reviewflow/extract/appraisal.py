"""Quality appraisal with the CASP qualitative checklist (Critical Appraisal Skills Programme,
CASP Qualitative Studies Checklist, 2018, casp-uk.net), in duplicate with consensus.

The ten items are labelled in our own short words; the checklist's own wording stays with CASP.
CASP gives no score: the per-study summary counts the answers and proposes a level of concern
by a stated rule, which feeds the CERQual 'methodological limitations' component.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..fsio import iter_jsonl, read_csv, write_csv, write_json, write_jsonl
from ..identity import part_aliases
from ..records import Record
from ..sheets import Column, carry_over, read_returned, read_sheet, write_sheet
from ..status import awaits, sheet_paths

TOOL = "CASP Qualitative Studies Checklist (Critical Appraisal Skills Programme, 2018)"
ITEMS: tuple[tuple[str, str], ...] = (
    ("Q1", "aims stated"),
    ("Q2", "qualitative approach fits"),
    ("Q3", "design fits the aims"),
    ("Q4", "recruitment fits the aims"),
    ("Q5", "data collection fits the question"),
    ("Q6", "researcher\u2013participant relationship"),
    ("Q7", "ethics considered"),
    ("Q8", "rigour of analysis"),
    ("Q9", "findings clearly stated"),
    ("Q10", "value of the research"),
)
ITEM_LABEL = {q: f"{q} {label}" for q, label in ITEMS}
ANSWERS = ("yes", "no", "can't tell")
CONCERNS = ("no or very minor", "minor", "moderate", "serious")
CONCERN_RULE = ("Items Q1\u2013Q9: no 'no' and at most one 'can't tell' = no or very minor concerns; "
                "at most one 'no' and at most three 'no'/'can't tell' = minor; at most two 'no' and at most "
                "five 'no'/'can't tell' = moderate; otherwise serious. Q10 (value) is reported, not counted.")
KEY = "appraisal_id"


def appraisal_columns() -> list[Column]:
    return [Column(KEY, "Appraisal ID", width=22), Column("study", "Study", width=18),
            Column("title", "Title", width=40, wrap=True), Column("item", "Item", width=34),
            Column("answer", "Answer", width=12, choices=ANSWERS, editable=True, required=True),
            Column("comment", "Comment (supporting quote)", width=40, wrap=True, editable=True),
            Column("page", "Page", width=8, editable=True)]


def consensus_columns(appraisers: Sequence[str]) -> list[Column]:
    return [Column(KEY, "Appraisal ID", width=22), Column("study", "Study", width=18),
            Column("item", "Item", width=34),
            *[Column(f"answer_{a}", f"Answer {a}", width=12) for a in appraisers],
            Column("consensus", "Consensus answer", width=14, choices=ANSWERS, editable=True, required=True),
            Column("comment", "Comment", width=40, wrap=True, editable=True)]


def write_appraisal_sheet(path: Path, rows: list[dict], title: str, returned: Path | None = None,
                          aliases: Mapping[str, str] | None = None) -> None:
    """An appraiser's sheet; answers from their returned sheet (`returned`), if any, are carried
    (to the study each row's id stands for today: `aliases`, see `identity`)."""
    cols = appraisal_columns()
    rows = carry_over(rows, cols, read_returned(returned, cols, key=KEY, aliases=_keyed(aliases)), key=KEY)
    write_sheet(path, cols, rows, title=title, key=KEY, instructions=[
        f"Appraise each included study with the {TOOL}; see the checklist itself for each item's question.",
        "One row per study and item: answer yes, no or can't tell; give a supporting quote or reason and "
        "the page. Appraise independently: the other appraiser fills the same sheet."])


def write_consensus_sheet(path: Path, rows: list[dict], appraisers: Sequence[str] = ("A", "B"),
                          returned: Path | None = None, aliases: Mapping[str, str] | None = None) -> None:
    """The consensus sheet; answers agreed in the returned one (`returned`), if any, are carried."""
    if rows:
        appraisers = [k.removeprefix("answer_") for k in rows[0] if k.startswith("answer_")]
    cols = consensus_columns(appraisers)
    rows = carry_over(rows, cols, read_returned(returned, cols, key=KEY, aliases=_keyed(aliases)), key=KEY)
    write_sheet(path, cols, rows, title="CASP consensus", key=KEY, instructions=[
        "Items on which the appraisers disagreed: agree on one answer by discussion."])


def _keyed(aliases: Mapping[str, str] | None) -> Mapping[str, str] | None:
    """`aliases` for appraisal ids ("<study id>:Q3")."""
    return part_aliases(aliases, (q for q, _ in ITEMS))


def appraisers_for(config: dict) -> list[str]:
    a = (config.get("appraisal") or {}).get("appraisers")
    return list(a or config["screening"].get("full_text_reviewers") or config["screening"]["reviewers"])


def run_appraisal_sheets(config: dict, unique: Path, assessment: Path, out_queue: Path,
                         out_sheets: Sequence[Path], returned: Sequence[Path] = (),
                         aliases: Mapping[str, str] | None = None) -> None:
    """One row per included study and CASP item; the same sheet per appraiser, with the answers
    each already gave in their own returned sheet (`returned`: `appraiser_<X>.xlsx` that exist)."""
    recs = {d["id"]: Record.from_dict(d) for d in iter_jsonl(unique)}
    studies: dict[str, Record] = {}
    for r in sorted(read_csv(assessment), key=lambda r: r["record_id"]):
        if r["decision"] == "include":
            studies.setdefault(r.get("study_id") or r["record_id"], recs[r["record_id"]])
    rows = [{KEY: f"{sid}:{q}", "study_id": sid, "item": ITEM_LABEL[q],
             "study": f"{rec.first_author_family() or 'Anon'} {rec.year or 'n.d.'}", "title": rec.title or ""}
            for sid, rec in sorted(studies.items()) for q, _ in ITEMS]
    write_jsonl(out_queue, rows)
    theirs = {Path(p).name: Path(p) for p in returned if Path(p).exists()}
    for path in out_sheets:
        write_appraisal_sheet(Path(path), rows, "CASP appraisal", theirs.get(Path(path).name), aliases)


def _read(path: Path | None, queue: list[dict], aliases: Mapping[str, str] | None = None) -> dict[str, dict]:
    if path is None or not Path(path).exists():
        return {}
    return read_sheet(path, appraisal_columns(), key=KEY, expected_keys=[q[KEY] for q in queue],
                      allow_missing=True, aliases=_keyed(aliases)).rows


def _appraiser_files(config: dict, decisions: Sequence[Path]) -> dict[str, Path]:
    by_name = {Path(p).stem.removeprefix("appraiser_"): Path(p) for p in decisions}
    return {a: by_name[a] for a in appraisers_for(config) if a in by_name and by_name[a].exists()}


def run_appraisal_conflicts(config: dict, queue: Path, decisions: Sequence[Path], out_conflicts: Path,
                            out_sheet: Path, returned_consensus: Path | None = None,
                            aliases: Mapping[str, str] | None = None) -> None:
    """Items on which the two appraisers' answers differ, for their consensus meeting (answers
    already agreed in the returned consensus sheet carried)."""
    rows = list(iter_jsonl(queue))
    files = _appraiser_files(config, decisions)
    answers = {a: _read(p, rows, aliases) for a, p in files.items()}
    conflicts = []
    if len(answers) == 2:
        (a, ra), (b, rb) = sorted(answers.items())
        for q in rows:
            x, y = ra.get(q[KEY]), rb.get(q[KEY])
            if x and y and x["answer"] != y["answer"]:
                conflicts.append({KEY: q[KEY], "study_id": q["study_id"], "study": q["study"], "item": q["item"],
                                  f"answer_{a}": x["answer"], f"answer_{b}": y["answer"]})
    write_jsonl(out_conflicts, conflicts)
    write_consensus_sheet(out_sheet, conflicts, sorted(answers) or appraisers_for(config), returned_consensus,
                          aliases)


def concern_level(answers: dict[str, str]) -> str:
    """A proposed level of concern from the answers to Q1-Q9 (see CONCERN_RULE)."""
    counted = [answers.get(q) for q, _ in ITEMS[:9]]
    no = counted.count("no")
    weak = no + counted.count("can't tell")
    if no == 0 and weak <= 1:
        return CONCERNS[0]
    if no <= 1 and weak <= 3:
        return CONCERNS[1]
    if no <= 2 and weak <= 5:
        return CONCERNS[2]
    return CONCERNS[3]


def run_appraisal(config: dict, queue: Path, decisions: Sequence[Path], conflicts: Path,
                  consensus: Path | None, out_items: Path, out_studies: Path, out_status: Path,
                  aliases: Mapping[str, str] | None = None) -> None:
    """Final answers (agreed, or the consensus answer), per-study summaries and what waits on whom."""
    rows = list(iter_jsonl(queue))
    appraisers = appraisers_for(config)
    files = _appraiser_files(config, decisions)
    answers = {a: _read(p, rows, aliases) for a, p in files.items()}
    conflict_rows = list(iter_jsonl(conflicts))
    agreed_later: dict[str, dict] = {}
    if consensus is not None and Path(consensus).exists() and conflict_rows:
        names = [k.removeprefix("answer_") for k in conflict_rows[0] if k.startswith("answer_")]
        agreed_later = read_sheet(consensus, consensus_columns(names), key=KEY,
                                  expected_keys={c[KEY] for c in conflict_rows},
                                  aliases=_keyed(aliases)).rows
    items = []
    for q in rows:
        given = [answers[a][q[KEY]] for a in sorted(answers) if q[KEY] in answers[a]]
        if len(given) == len(appraisers) and len({g["answer"] for g in given}) == 1:
            final, basis = given[0]["answer"], "agreed"
        elif q[KEY] in agreed_later:
            final, basis = agreed_later[q[KEY]]["consensus"], "consensus"
        else:
            final, basis = "", "pending"
        comment = next((g["comment"] for g in given if g["answer"] == final and g.get("comment")), "")
        page = next((g["page"] for g in given if g["answer"] == final and g.get("page")), "")
        items.append({KEY: q[KEY], "study_id": q["study_id"], "item": q["item"], "answer": final,
                      "basis": basis, "comment": comment, "page": page})
    write_csv(out_items, [KEY, "study_id", "item", "answer", "basis", "comment", "page"], items)
    studies = []
    for sid in sorted({i["study_id"] for i in items}):
        mine = {i[KEY].rsplit(":", 1)[1]: i["answer"] for i in items if i["study_id"] == sid}
        done = all(mine.values())
        tally = Counter(mine.values())
        studies.append({"study_id": sid, **{q: mine.get(q, "") for q, _ in ITEMS},
                        "yes": tally["yes"], "no": tally["no"], "cant_tell": tally["can't tell"],
                        "concerns": concern_level(mine) if done else "pending"})
    write_csv(out_studies, ["study_id", *[q for q, _ in ITEMS], "yes", "no", "cant_tell", "concerns"], studies)
    waiting = []
    for a in appraisers:
        if a not in answers and rows:
            waiting.append(awaits(len(rows), "CASP items", f"appraiser {a}",
                                  *sheet_paths(config, f"appraisal/appraiser_{a}.xlsx")))
    open_conflicts = [c for c in conflict_rows if c[KEY] not in agreed_later]
    if open_conflicts:
        waiting.append(awaits(len(open_conflicts), "CASP items", "the appraisers' consensus",
                              *sheet_paths(config, "appraisal/consensus.xlsx")))
    write_json(out_status, {"stage": "appraisal", "complete": not waiting, "waiting": waiting})
