"""The two dual-review stages as the workflow runs them: sheets, conflicts, final decisions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from ..fsio import iter_jsonl, write_csv, write_json, write_jsonl
from ..records import Record
from ..sheets import Column, SheetRead, carry_over, read_returned, write_sheet
from ..status import awaits, sheet_of
from .dual import (
    Stage,
    adjudication_columns,
    adjudication_rows,
    adjudication_title,
    apply_adjudication,
    compare,
    read_decisions,
    write_reviewer_sheets,
)

TA_DECISIONS = ("include", "exclude")

# Terms highlighted in titles and abstracts when the config gives none.
DEFAULT_HIGHLIGHT = ("peer*", "lived experience", "recovery coach*", "harm reduction", "drug*",
                     "substance use*", "overdose*", "qualitative", "interview*", "focus group*")


def prioritised(config: dict) -> bool:
    """Whether title/abstract rows go in priority order with a relevance column (screening.prioritise)."""
    return bool(config.get("screening", {}).get("prioritise", False))


def order_criteria(config: dict, stage: Stage) -> list[str]:
    """The protocol's words that order title/abstract records before any decision: the stage's
    highlight terms and the review question."""
    return [*stage.highlight_terms, str((config.get("review") or {}).get("question") or "")]


def title_abstract_stage(config: dict) -> Stage:
    terms = tuple(config.get("eligibility", {}).get("highlight_terms", DEFAULT_HIGHLIGHT))
    relevance = (Column("relevance", "Relevance", width=10),) if prioritised(config) else ()
    return Stage(
        name="title_abstract",
        label="Title/abstract screening",
        context=(
            Column("record_id", "Record ID", width=18),
            *relevance,
            Column("title", "Title", width=60, wrap=True, highlight=True),
            Column("abstract", "Abstract", width=90, wrap=True, highlight=True),
            Column("authors", "Authors", width=30, wrap=True),
            Column("year", "Year", width=7),
            Column("journal", "Journal", width=28, wrap=True),
            Column("doi", "DOI", width=30, link=True),
        ),
        decision=(
            Column("decision", "Decision", width=12, choices=TA_DECISIONS, editable=True,
                   required=True),
            Column("note", "Note", width=30, editable=True),
        ),
        instructions=(
            "Decide include or exclude for every row from the title and abstract alone.",
            "Include when the record may meet all criteria or you are unsure (conservative at this stage).",
            "Your sheet is blinded: you do not see the other reviewer's decisions.",
            "Return the filled file to the decisions folder under the same name.",
        ),
        highlight_terms=terms,
    )


# A report's bibliographic context, as the retrieval and full-text sheets show it.
REPORT_COLUMNS = (
    Column("record_id", "Record ID", width=18),
    Column("title", "Title", width=60, wrap=True),
    Column("authors", "Authors", width=30, wrap=True),
    Column("year", "Year", width=7),
    Column("journal", "Journal", width=28, wrap=True),
    Column("doi", "DOI", width=30, link=True),
)


def full_text_stage(config: dict) -> Stage:
    reasons = tuple(r["code"] for r in config["full_text_exclusion_reasons"])
    return Stage(
        name="full_text",
        label="Full-text assessment",
        context=(
            *REPORT_COLUMNS,
            Column("fulltext", "Full text", width=40),
        ),
        decision=(
            Column("decision", "Decision", width=12, choices=TA_DECISIONS, editable=True,
                   required=True),
            Column("reason", "Exclusion reason", width=18, choices=reasons, editable=True),
            Column("note", "Note", width=30, editable=True),
        ),
        instructions=(
            "Read the full text and decide include or exclude.",
            "For an exclusion give ONE primary reason: the first that applies in this order:",
            *(f"  {r['code']}: {r['label']}" for r in config["full_text_exclusion_reasons"]),
        ),
    )


def record_row(rec: Record) -> dict:
    """The bibliographic context people see for a record."""
    authors = "; ".join(a.display() for a in rec.authors[:6])
    if len(rec.authors) > 6:
        authors += "; et al."
    return {"record_id": rec.id, "title": rec.title or "", "abstract": rec.abstract or "",
            "authors": authors, "year": str(rec.year or ""), "journal": rec.journal or "",
            "doi": f"https://doi.org/{rec.doi}" if rec.doi else ""}


def returned_by_person(paths: Iterable[str | Path], prefix: str = "reviewer_") -> dict[str, Path]:
    """Returned sheets (`<prefix><name>.xlsx`, those that exist) by the person's name."""
    return {Path(p).stem.removeprefix(prefix): Path(p) for p in paths if Path(p).exists()}


def make_sheets(stage: Stage, rows: Sequence[dict], queue_path: Path,
                sheet_paths: Mapping[str, Path], returned: Iterable[str | Path] = ()) -> None:
    """The stage's queue (records to decide, in order) and one blinded sheet per reviewer.

    returned: the reviewers' filled sheets that exist (`reviewer_<X>.xlsx`): a regenerated sheet
    keeps the decisions its reviewer already made."""
    cols = [c.key for c in stage.context]
    queue = [{k: r.get(k, "") for k in cols} for r in rows]
    write_jsonl(queue_path, queue)
    write_reviewer_sheets(stage, queue, sheet_paths, returned_by_person(returned))


def _files(decisions: Mapping[str, Path | None], display: Mapping[str, str]) -> dict[str, str]:
    return {r: display[r] for r in decisions}


def make_conflicts(stage: Stage, queue_path: Path, decisions: Mapping[str, Path | None],
                   display: Mapping[str, str], adjudication_sheet: Path,
                   conflicts_queue: Path, agreement_path: Path,
                   returned_adjudication: Path | None = None) -> None:
    """Compare the two reviewers; write the adjudicator's sheet and the agreement statistics.

    returned_adjudication: the adjudicator's filled sheet, if any: its decisions are carried."""
    queue = list(iter_jsonl(queue_path))
    keys = [q["record_id"] for q in queue]
    reviewers = list(decisions)
    sheets = {r: read_decisions(stage, p, keys, r) for r, p in decisions.items()}
    res = compare(stage, keys, reviewers, sheets, _files(decisions, display))
    rows = adjudication_rows(stage, {q["record_id"]: q for q in queue}, res.conflicts, reviewers, sheets)
    write_jsonl(conflicts_queue, rows)
    cols = adjudication_columns(stage, reviewers)
    done = read_returned(returned_adjudication, cols, sheet_title=adjudication_title(stage),
                         aliases=stage.aliases)
    write_sheet(adjudication_sheet, cols, carry_over(rows, cols, done),
                title=adjudication_title(stage),
                instructions=[f"Adjudication of {stage.label.lower()} conflicts.",
                              "Both reviewers' decisions are shown; record the final decision."])
    write_json(agreement_path, res.agreement or {"stage": stage.name, "n": 0})


def make_decisions(stage: Stage, queue_path: Path, decisions: Mapping[str, Path | None],
                   display: Mapping[str, str], adjudicator: str, adjudication: Path | None,
                   adjudication_display: str, out_csv: Path, status_path: Path) -> None:
    """Final decision per record (agreed, adjudicated or pending) and what waits on whom."""
    queue = list(iter_jsonl(queue_path))
    keys = [q["record_id"] for q in queue]
    reviewers = list(decisions)
    sheets = {r: read_decisions(stage, p, keys, r) for r, p in decisions.items()}
    res = compare(stage, keys, reviewers, sheets, _files(decisions, display))
    if sheets[reviewers[0]] is not None and sheets[reviewers[1]] is not None:
        adj_cols = adjudication_columns(stage, reviewers)
        from ..sheets import read_sheet  # local: only needed once conflicts exist

        # Not strict about keys: a reviewer may revise a decision after adjudication.
        adj = (read_sheet(adjudication, adj_cols, sheet_title=adjudication_title(stage), aliases=stage.aliases)
               if adjudication is not None and Path(adjudication).exists() else None)
        apply_adjudication(stage, res, reviewers, adjudicator, adj, adjudication_display)
    rows = []
    for k in keys:
        f = res.final.get(k, {"decision": "pending", "reason": "", "basis": "pending"})
        rows.append({"record_id": k, **f})
    write_csv(out_csv, ["record_id", "decision", "reason", "basis"], rows)
    what = "records" if stage.name == "title_abstract" else "reports"
    write_json(status_path, {"stage": stage.name, "complete": not res.waiting,
                             "waiting": [awaits(w.n, what, w.who, sheet_of(w.file, stage.name), w.file)
                                         for w in res.waiting],
                             "notes": merge_notes(sheets, display)})


def merge_notes(sheets: Mapping[str, SheetRead | None], display: Mapping[str, str]) -> list[dict]:
    """Rows of one person's sheet whose records were found to be one study since, and disagreed."""
    notes = []
    for person, sheet in sheets.items():
        if sheet is not None and sheet.conflicting:
            n = len(sheet.conflicting)
            notes.append({"file": display[person], "n": n,
                          "message": f"{display[person]}: {n} {'study has' if n == 1 else 'studies have'} two rows "
                                     "that disagree (their records were found to be one study since): decided "
                                     "again in the new sheet, whose note says which rows"})
    return notes


CITATIONS = "citations_"  # prefix of the citation-searching branch's stages


def stage_for(config: dict, name: str, aliases: Mapping[str, str] | None = None) -> Stage:
    """The stage `name` as the config sets it; with `aliases` (`identity.load_aliases`), its sheets are
    read for the study each record id stands for today."""
    if aliases is not None:
        return replace(stage_for(config, name), aliases=aliases)
    if name.startswith(CITATIONS):
        # The same screening for records found by citation searching, as a stage of its own: its
        # sheets cannot be mistaken for the databases' ones.
        base = stage_for(config, name[len(CITATIONS):])
        return replace(base, name=name, label=f"{base.label} (citation searching)")
    if name == "title_abstract":
        return title_abstract_stage(config)
    if name == "full_text":
        return full_text_stage(config)
    raise ValueError(f"unknown dual-review stage {name!r}")


def reviewers_for(config: dict, name: str) -> list[str]:
    scr = config["screening"]
    if name.endswith("full_text"):
        return list(scr.get("full_text_reviewers") or scr["reviewers"])
    return list(scr["reviewers"])
