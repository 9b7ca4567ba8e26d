"""What the review has done so far and what waits on whom, read from results/."""

from __future__ import annotations

from pathlib import Path

import yaml

from .fsio import read_json
from .screen.rule_check import CHECKED_RULE
from .screen.rule_check import SHEET as RULE_CHECK_SHEET

STAGES = ("title_abstract", "retrieval", "full_text", "citations_title_abstract", "citations_retrieval",
          "citations_full_text", "extraction", "appraisal", "coding", "cerqual")


def review_status(root: Path) -> dict:
    results = root / "results"
    counts_path = results / "prisma" / "counts.json"
    counts = read_json(counts_path) if counts_path.exists() else None
    waiting = []
    config = load_config(root)
    dedup = results / "dedup" / "summary.json"
    if dedup.exists():
        d = read_json(dedup)
        n = d.get("stats_uncertain_pairs_open", d.get("uncertain_pairs", 0))
        if n:
            waiting.append({"stage": "dedup", **awaits(n, "uncertain duplicate pairs", "a reviewer",
                                                       *sheet_paths(config, "dedup/uncertain_pairs.xlsx"),
                                                       also="kept apart until decided")})
    batches = results / "screen" / "title_abstract.batches.json"
    if batches.exists() and (open_batch := read_json(batches).get("open")):
        # Batched screening: the batch to return, not the merged sheets the stage reads.
        waiting.append({"stage": "title_abstract", "who": "reviewers", "n": open_batch["records"],
                        "file": "results/sheets/title_abstract/batch/",
                        "message": f"batch {open_batch['batch']} ({open_batch['records']} records) awaits the "
                                   "reviewers: results/sheets/title_abstract/batch/reviewer_<X>.xlsx, returned as "
                                   + ", ".join(open_batch["return_as"].values())})
    notes = _import_notes(results) + _rule_check_note(results, config) + _stray_notes(root, config)
    for stage in STAGES:
        p = results / "status" / f"{stage}.json"
        if p.exists():
            st = read_json(p)
            waiting += [{"stage": stage, **w} for w in st["waiting"]]
            notes += [{"stage": stage, **n} for n in st.get("notes", [])]
    failed = [read_json(p)["message"] for p in sorted((results / "status" / "failures").glob("*.json"))]
    ran = counts is not None
    return {"ran": ran, "complete": ran and not waiting and not failed, "counts": counts, "waiting": waiting,
            "notes": notes, "failed": failed, "databases": _database_order(config)}


def awaits(n: int, what: str, who: str, sheet: str, returned_to: str, also: str = "") -> dict:
    """One entry of a stage's `waiting` list: how many of what wait on whom, the sheet to fill and
    the exact path to return it to (status and snakemake's last lines print `message`); `also`: what
    else the person may do instead, said after the paths."""
    return {"who": who, "n": n, "file": sheet, "return_to": returned_to,
            "message": f"{n} {what} await {who}: {sheet}, returned to {returned_to}" + (f" ({also})" if also else "")}


def sheet_paths(config: dict, rel: str) -> tuple[str, str]:
    """(the blank sheet, where it is returned) for a sheet at `rel` under both results/sheets/ and
    `paths.decisions`: the two always share that part."""
    return f"results/sheets/{rel}", f"{decisions_dir(config)}/{rel}"


def sheet_of(returned_to: str, stage: str) -> str:
    """The blank sheet under results/sheets/ that a person returns as `returned_to`."""
    return f"results/sheets/{stage}/{Path(returned_to).name}"


def _rule_check_note(results: Path, config: dict) -> list[dict]:
    """The review-like titles rule's exclusions, which a reviewer may check (nothing waits on it)."""
    p = results / "eligibility" / "summary.json"
    entry = next((e for e in read_json(p) if e["rule"] == CHECKED_RULE), None) if p.exists() else None
    if not entry or not (entry["n"] or entry.get("overturned")):
        return []
    sheet, back = sheet_paths(config, RULE_CHECK_SHEET)
    said = f", {entry['overturned']} sent on to screening by a reviewer" if entry.get("overturned") else ""
    return [{"stage": "eligibility", "file": sheet,
             "message": f"{entry['n']} records excluded as review-like titles{said}; a reviewer may check them: "
                        f"{sheet}, returned to {back} (optional)"}]


def _import_notes(results: Path) -> list[dict]:
    """Every warning the import gave, per file: a truncated last record, records also in an earlier
    export of the same database, a file that is not in the format configured."""
    notes = []
    for p in sorted((results / "import").glob("*.summary.json")):
        for f in read_json(p).get("files", []):
            notes += [{"stage": "import", "file": f["file"], "message": f"{f['file']}: {w}"}
                      for w in f.get("warnings", [])]
    return notes


_SCREEN_FOLDERS = ("title_abstract", "full_text", "citations_title_abstract", "citations_full_text")


def read_paths(config: dict) -> set[str]:
    """Every file under `paths.decisions` that a stage reads, relative to it (with the config's names)."""
    scr = config.get("screening") or {}
    ta = [str(r) for r in scr.get("reviewers") or []]
    ft = [str(r) for r in scr.get("full_text_reviewers") or ta]
    appraisers = [str(a) for a in (config.get("appraisal") or {}).get("appraisers") or ft]
    paths = {"dedup/uncertain_pairs.xlsx", RULE_CHECK_SHEET, "retrieval/retrieval.xlsx",
             "citations_retrieval/retrieval.xlsx", "extraction/extraction.xlsx", "appraisal/consensus.xlsx",
             "coding/coding.xlsx", "cerqual/cerqual.xlsx", "previous_version.json"}
    for folder in _SCREEN_FOLDERS:
        paths.add(f"{folder}/adjudication.xlsx")
        paths |= {f"{folder}/reviewer_{r}.xlsx" for r in (ft if folder.endswith("full_text") else ta)}
    return paths | {f"appraisal/appraiser_{a}.xlsx" for a in appraisers}


def _stray_notes(root: Path, config: dict) -> list[dict]:
    """Files in the decisions folder that no stage reads (`reviewer_Ben (1).xlsx`, a PDF saved there)."""
    folder = root / decisions_dir(config)
    if not folder.is_dir():
        return []
    wanted = read_paths(config)
    batch = {f"reviewer_{r}.xlsx" for r in (config.get("screening") or {}).get("reviewers") or []}
    notes = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if not p.is_file() or p.name.startswith((".", "~$")) or rel in wanted:
            continue      # hidden files and the lock files Excel and LibreOffice leave are not the team's
        if rel.startswith("title_abstract/batch_") and rel.count("/") == 2 and p.name in batch:
            continue
        near = _nearest(rel, wanted)
        notes.append({"stage": "decisions", "file": f"{decisions_dir(config)}/{rel}",
                      "message": f"{decisions_dir(config)}/{rel}: not read by any stage ({_looks_like(p)})"
                                 + (f"; did you mean {decisions_dir(config)}/{near}?" if near else "")})
    exports = root / str(((config.get("paths") or {}).get("exports")) or "exports")
    known = set(_database_order(config))
    if exports.is_dir() and known:
        for p in sorted(exports.iterdir()):
            if not p.name.startswith(".") and p.name not in known:
                notes.append({"stage": "import", "file": str(p.relative_to(root)),
                              "message": f"{p.relative_to(root)}: not read (no database in the config has the "
                                         f"id {p.name!r}; the ids are {', '.join(sorted(known))})"})
    return notes


def _looks_like(path: Path) -> str:
    """What a stray file seems to be: a workbook's data sheet names whose sheet it is."""
    if path.suffix.lower() != ".xlsx":
        return f"a {path.suffix.lstrip('.').upper() or 'file without extension'} file"
    try:
        from openpyxl import load_workbook

        from .sheets import CHOICES_TITLE, INSTRUCTIONS_TITLE

        wb = load_workbook(path, read_only=True)
        titles = [t for t in wb.sheetnames if t not in (INSTRUCTIONS_TITLE, CHOICES_TITLE)]
        wb.close()
    except Exception:  # a damaged or foreign file is still reported, only not described
        return "an XLSX file that cannot be read"
    return f"a sheet '{titles[0]}'" if titles else "an XLSX file without a data sheet"


def _nearest(rel: str, wanted: set[str]) -> str | None:
    """The file a stray one was probably meant to be: same folder, a name that starts the same."""
    import difflib

    same_folder = [w for w in sorted(wanted) if w.rsplit("/", 1)[0] == rel.rsplit("/", 1)[0]]
    got = difflib.get_close_matches(rel, same_folder, n=1, cutoff=0.6)
    return got[0] if got else None


def load_config(root: Path) -> dict:
    """The project's config as written ({} when it cannot be read: status still reports)."""
    try:
        cfg = yaml.safe_load((root / "config" / "config.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return cfg if isinstance(cfg, dict) else {}


def decisions_dir(config: dict) -> str:
    """Where people return their sheets (`paths.decisions`), as the workflow reads it."""
    return str(((config.get("paths") or {}).get("decisions")) or "decisions").rstrip("/")


def _database_order(config: dict) -> list[str]:
    """The config's database order, for display ([] if the config cannot be read)."""
    try:
        return [db["id"] for db in config["databases"]]
    except (KeyError, TypeError):
        return []


def format_status(st: dict) -> str:
    failed = [f"  {line}" for m in st.get("failed") or [] for line in m.splitlines()]
    if failed:
        failed.insert(0, "The last run failed (fix this, then run `snakemake` again):")
    if not st["ran"]:
        return "\n".join([*failed, "Nothing has run yet: run `snakemake` (or `reviewflow demo`) "
                                   "in the project folder."])
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
    prev, total = c.get("previous"), c.get("total") or {}
    if prev:
        # An updated review: the column above is the update's; the previous version's studies beside it.
        lines[0] = lines[0].replace("Identified:          ", "Identified (update): ", 1)
        lines[-1] = lines[-1].replace("Included:            ", "New studies:         ", 1)
        lines += [f"Previous version:    {prev['studies']:>7,}   studies ({prev['reports']:,} reports)"
                  + (f": {prev['label']}" if prev.get("label") else ""),
                  f"Total included:      {total.get('studies', 0):>7,}   studies ({total.get('reports', 0):,} reports)"]
    if st.get("notes"):
        lines.append("Check:")
        lines += [f"  {n['message']}" for n in st["notes"]]
    lines += failed
    if st["waiting"]:
        lines.append("Waiting:")
        lines += [f"  {w['message']}" for w in st["waiting"]]
    elif not failed:
        lines.append("Nothing waits on people: the review is complete.")
    return "\n".join(lines)
