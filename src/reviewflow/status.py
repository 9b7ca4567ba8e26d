"""What the review has done so far and what waits on whom, read from results/."""

from __future__ import annotations

from pathlib import Path

import yaml

from .fsio import read_json

STAGES = ("title_abstract", "retrieval", "full_text", "citations_title_abstract", "citations_retrieval",
          "citations_full_text", "appraisal", "coding")


def review_status(root: Path) -> dict:
    results = root / "results"
    counts_path = results / "prisma" / "counts.json"
    counts = read_json(counts_path) if counts_path.exists() else None
    waiting = []
    config = _config(root)
    dedup = results / "dedup" / "summary.json"
    if dedup.exists():
        d = read_json(dedup)
        n = d.get("stats_uncertain_pairs_open", d.get("uncertain_pairs", 0))
        if n:
            back = f"{_decisions_dir(config)}/dedup/uncertain_pairs.xlsx"
            waiting.append({"stage": "dedup", "who": "a reviewer", "n": n,
                            "file": "results/sheets/dedup/uncertain_pairs.xlsx", "return_to": back,
                            "message": f"{n} uncertain duplicate pairs await a reviewer (kept apart until "
                                       f"decided): results/sheets/dedup/uncertain_pairs.xlsx, returned to {back}"})
    batches = results / "screen" / "title_abstract.batches.json"
    if batches.exists() and (open_batch := read_json(batches).get("open")):
        # Batched screening: the batch to return, not the merged sheets the stage reads.
        waiting.append({"stage": "title_abstract", "who": "reviewers", "n": open_batch["records"],
                        "file": "results/sheets/title_abstract/batch/",
                        "message": f"batch {open_batch['batch']} ({open_batch['records']} records) awaits the "
                                   "reviewers: results/sheets/title_abstract/batch/reviewer_<X>.xlsx, returned as "
                                   + ", ".join(open_batch["return_as"].values())})
    notes = _import_notes(results)
    for stage in STAGES:
        p = results / "status" / f"{stage}.json"
        if p.exists():
            st = read_json(p)
            waiting += [{"stage": stage, **w} for w in st["waiting"]]
            notes += [{"stage": stage, **n} for n in st.get("notes", [])]
    ran = counts is not None
    return {"ran": ran, "complete": ran and not waiting, "counts": counts, "waiting": waiting,
            "notes": notes, "databases": _database_order(config)}


def _import_notes(results: Path) -> list[dict]:
    """Every warning the import gave, per file: a truncated last record, records also in an earlier
    export of the same database, a file that is not in the format configured."""
    notes = []
    for p in sorted((results / "import").glob("*.summary.json")):
        for f in read_json(p).get("files", []):
            notes += [{"stage": "import", "file": f["file"], "message": f"{f['file']}: {w}"}
                      for w in f.get("warnings", [])]
    return notes


def _config(root: Path) -> dict:
    """The project's config as written ({} when it cannot be read: status still reports)."""
    try:
        cfg = yaml.safe_load((root / "config" / "config.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return cfg if isinstance(cfg, dict) else {}


def _decisions_dir(config: dict) -> str:
    """Where people return their sheets (`paths.decisions`), as the workflow reads it."""
    return str(((config.get("paths") or {}).get("decisions")) or "decisions").rstrip("/")


def _database_order(config: dict) -> list[str]:
    """The config's database order, for display ([] if the config cannot be read)."""
    try:
        return [db["id"] for db in config["databases"]]
    except (KeyError, TypeError):
        return []


def format_status(st: dict) -> str:
    if not st["ran"]:
        return "Nothing has run yet: run `snakemake` (or `reviewflow demo`) in the project folder."
    c = st["counts"]
    order = {db: i for i, db in enumerate(st.get("databases") or [])}
    ident = sorted(c["identified"].items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    lines = [
        f"Identified:          {sum(c['identified'].values()):>7,}  "
        f"({', '.join(f'{k} {v:,}' for k, v in ident)})",
        f"Duplicates removed:  {c['duplicates_removed']:>7,}",
        f"Automation excluded: {c['automation_excluded']:>7,}",
        f"Other removed:       {c['other_removed']:>7,}",
        f"Screened:            {c['screened']:>7,}   excluded {c['screen_excluded']:,}",
        f"Sought:              {c['sought']:>7,}   not retrieved {c['not_retrieved']:,}",
        f"Assessed:            {c['assessed']:>7,}   excluded {sum(c['fulltext_excluded'].values()):,}",
        f"Included:            {c['included']:>7,}   studies ({c['reports_included']:,} reports)",
    ]
    o = c.get("other_methods")
    if o:
        lines.insert(-1, f"Other methods:       {sum(o['identified'].values()):>7,}   "
                         f"({', '.join(f'{k} {v:,}' for k, v in o['identified'].items())}): duplicates "
                         f"{o.get('duplicates_removed', 0):,}, automation {o.get('automation_excluded', 0):,}, "
                         f"screened {o.get('screened', 0):,}, sought {o['sought']:,}, assessed {o['assessed']:,}, "
                         f"included {o.get('reports_included', 0):,} reports")
    if st.get("notes"):
        lines.append("Check:")
        lines += [f"  {n['message']}" for n in st["notes"]]
    if st["waiting"]:
        lines.append("Waiting:")
        lines += [f"  {w['message']}" for w in st["waiting"]]
    else:
        lines.append("Nothing waits on people: the review is complete.")
    return "\n".join(lines)
