"""What the review has done so far and what waits on whom, read from results/."""

from __future__ import annotations

from pathlib import Path

from .fsio import read_json

STAGES = ("title_abstract", "retrieval", "full_text")


def review_status(root: Path) -> dict:
    results = root / "results"
    counts_path = results / "prisma" / "counts.json"
    counts = read_json(counts_path) if counts_path.exists() else None
    waiting = []
    for stage in STAGES:
        p = results / "status" / f"{stage}.json"
        if p.exists():
            waiting += [{"stage": stage, **w} for w in read_json(p)["waiting"]]
    ran = counts is not None
    return {"ran": ran, "complete": ran and not waiting, "counts": counts, "waiting": waiting}


def format_status(st: dict) -> str:
    if not st["ran"]:
        return "Nothing has run yet: run `snakemake` (or `reviewflow demo`) in the project folder."
    c = st["counts"]
    lines = [
        f"Identified:          {sum(c['identified'].values()):>7,}  "
        f"({', '.join(f'{k} {v:,}' for k, v in c['identified'].items())})",
        f"Duplicates removed:  {c['duplicates_removed']:>7,}",
        f"Automation excluded: {c['automation_excluded']:>7,}",
        f"Other removed:       {c['other_removed']:>7,}",
        f"Screened:            {c['screened']:>7,}   excluded {c['screen_excluded']:,}",
        f"Sought:              {c['sought']:>7,}   not retrieved {c['not_retrieved']:,}",
        f"Assessed:            {c['assessed']:>7,}   excluded {sum(c['fulltext_excluded'].values()):,}",
        f"Included:            {c['included']:>7,}   studies ({c['reports_included']:,} reports)",
    ]
    if st["waiting"]:
        lines.append("Waiting:")
        lines += [f"  {w['message']}" for w in st["waiting"]]
    else:
        lines.append("Nothing waits on people: the review is complete.")
    return "\n".join(lines)
