"""Ledger, PRISMA counts and diagram, and the HTML report, as the workflow calls them."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from pathlib import Path

from .. import __version__
from ..config import other_methods
from ..fsio import atomic_write_text, iter_jsonl, read_csv, read_json, write_json
from ..ledger import StageInputs, build_ledger, read_ledger, write_ledger
from ..studies import study_labels
from ..versions import read_previous_version
from .counts import check_invariants, prisma_counts
from .flow import flow_svg
from .html import render_report
from .methods import methods_text
from .prisma2020 import prisma2020_csv


def run_ledger(config: dict, inputs: StageInputs, out_ledger: Path, other: StageInputs | None = None) -> None:
    write_ledger(out_ledger, build_ledger(inputs, [d["id"] for d in config["databases"]], other))


def labels(config: dict, automation: list[dict] | None = None) -> dict:
    return {"databases": {d["id"]: d["name"] for d in config["databases"]},
            "reasons": {r["code"]: r["label"] for r in config["full_text_exclusion_reasons"]},
            "automation_rules": {a["rule"]: a["n"] for a in (automation or []) if a["n"]}}


def run_prisma(config: dict, ledger: Path, automation: Path, out_counts: Path, out_svg: Path,
               out_invariants: Path, previous: Path | None = None) -> None:
    """counts.json from the ledger alone (and, in an updated review, the previous version's file);
    the flow diagram and the invariants from counts.json."""
    counts = prisma_counts(read_ledger(ledger), [d["id"] for d in config["databases"]],
                           [r["code"] for r in config["full_text_exclusion_reasons"]], other_methods(config),
                           read_previous_version(previous) if previous else None)
    write_json(out_counts, counts)
    write_json(out_invariants, check_invariants(counts))
    shown = {**counts, "fulltext_excluded": {k: v for k, v in counts["fulltext_excluded"].items() if v}}
    if "other_methods" in counts:
        om = counts["other_methods"]
        shown["other_methods"] = {**om, "fulltext_excluded": {k: v for k, v in om["fulltext_excluded"].items() if v}}
    atomic_write_text(out_svg, flow_svg(shown, labels(config, read_json(automation))))


def run_prisma2020(config: dict, counts: Path, out_csv: Path) -> None:
    """The counts in the PRISMA2020 app's CSV layout, to redraw the diagram there."""
    lab = labels(config)
    atomic_write_text(out_csv, prisma2020_csv(read_json(counts), lab["databases"], lab["reasons"]))


def collect_status(status_files: list[Path]) -> list[dict]:
    """What waits on whom, stage by stage."""
    out = []
    for p in status_files:
        if Path(p).exists():
            st = read_json(p)
            out += [{"stage": st["stage"], "message": w["message"]} for w in st["waiting"]]
    return out


def _search_row(name: str, log: dict) -> dict:
    """One PRISMA-S row: what was asked where and when, and what came back."""
    return {"name": name, "interface": log.get("interface", ""), "query": log.get("query", ""),
            "filters": log.get("filters") or "", "searched_at": log.get("searched_at", ""),
            "reported": log.get("reported"), "retrieved": log.get("retrieved"), "shortfall": log.get("shortfall", 0),
            "shortfall_allowed": bool(log.get("shortfall_allowed")), "snapshot": log.get("snapshot", ""),
            "generated": bool(log.get("generated_by"))}


def _plain(text: str | None) -> str:
    """Text without the HTML tags and entities some databases put in titles."""
    return " ".join(html.unescape(re.sub(r"<[^>]{0,200}>", "", text or "")).split())


def _citation(rec: dict) -> str:
    authors = rec.get("authors") or []
    first = authors[0]["family"] if authors else "Anon."
    etal = " et al." if len(authors) > 1 else ""
    return f"{first}{etal} ({rec.get('year') or 'n.d.'}). {_plain(rec.get('title'))} {rec.get('journal') or ''}".strip()


def run_report(config: dict, config_path: Path, p: dict[str, Path], out_html: Path) -> None:
    """Gather every stage's outputs into the report context and render it."""
    counts = read_json(p["counts"])
    unique = {d["id"]: d for d in iter_jsonl(p["unique"])}
    imports = [read_json(s) for s in p["import_summaries"]]
    rejects = {s["source"]: 0 for s in imports}
    sources = []
    for db, summ in zip(config["databases"], imports, strict=True):
        for f in summ["files"]:
            sources.append({"id": db["id"], "name": db["name"], "platform": db.get("platform", ""),
                            "export": f["format"] + (f" ({f['dialect']})" if f.get("dialect") else ""),
                            "file": f["file"], "records": f["records"], "rejected": f["rejected"]})
            rejects[db["id"]] += f["rejected"]
    searches = [_search_row(db["name"], summ["search"]) for db, summ in zip(config["databases"], imports, strict=True)
                if summ.get("search")]
    chase_log = _first(p.get("citation_searches"))
    if chase_log:
        chase = read_json(chase_log)
        searches += [_search_row(f"Citation searching ({s['seed']})", s) for s in chase["searches"]]
    dedup = read_json(p["dedup_summary"])
    agreement = [a for a in (read_json(f) for f in p["agreement"]) if a.get("n")]
    if p.get("stopping"):
        # The stopping rule's statement goes with the title/abstract agreement row.
        stop = read_json(p["stopping"])
        for a in agreement:
            if a.get("stage") == stop.get("stage"):
                a["stopping_statement"] = stop.get("statement", "")
    reasons = {r["code"]: r["label"] for r in config["full_text_exclusion_reasons"]}
    extraction_rows = read_csv(p["extraction"])
    fields = config.get("extraction", {}).get("fields", [])
    extraction_by_id = {r["record_id"]: r for r in extraction_rows}
    ledger_rows = read_csv(p["ledger"])
    label = study_labels({r["study_id"]: unique[r["record_id"]] for r in ledger_rows if r["state"] == "included"})
    included = []
    for row in ledger_rows:
        if row["state"] == "included":
            rec = unique[row["record_id"]]
            ex = extraction_by_id.get(row["record_id"], {})
            included.append({"study_id": label[row["study_id"]], "record_id": row["record_id"],
                             "citation": _citation(rec), "doi": rec.get("doi") or "",
                             "year": rec.get("year") or "", "country": ex.get("country", ""),
                             "setting": ex.get("setting", "")})
    themes = read_json(p["themes"])
    cite_themes(themes, label)
    stage_status = collect_status(list(p.get("stage_status") or []))
    for r in extraction_rows:
        r["study_id"] = label.get(r.get("study_id", ""), r.get("study_id", ""))
    context = {
        "review": config["review"],
        "counts": counts,
        "flow_svg": Path(p["flow_svg"]).read_text(encoding="utf-8"),
        "status": collect_status(p["status"]) + stage_status,
        "stage_status": stage_status,
        "sources": sources,
        "searches": searches,
        "dedup": {"method": dedup["method"], "groups": dedup["groups"],
                  "duplicates_removed": dedup["duplicates_removed"]},
        "automation": read_json(p["automation"]),
        "agreement": agreement,
        "fulltext": {"assessed": counts["assessed"], "not_retrieved": counts["not_retrieved"],
                     "excluded": [{"code": c, "label": reasons[c], "n": n}
                                  for c, n in counts["fulltext_excluded"].items() if n]},
        "included": sorted(included, key=lambda r: (str(r["year"]), r["citation"])),
        "extraction": {"fields": fields, "rows": extraction_rows},
        "themes": themes["themes"],
        "invariants": read_json(p["invariants"]),
        "provenance": {"reviewflow_version": __version__,
                       "config_sha256": hashlib.sha256(Path(config_path).read_bytes()).hexdigest()},
    }
    context.update(synthesis_context(p, label, themes))
    context["methods"] = methods_text(config, __version__, dedup.get("method", ""),
                                      unread=context["coding"]["unread"],
                                      no_findings=context["coding"]["no_findings_section"])
    if p.get("prisma2020"):
        data = Path(p["prisma2020"]).read_bytes()
        context["prisma2020_href"] = "data:text/csv;base64," + base64.b64encode(data).decode("ascii")
    coding_acc = _first(p.get("coding_accuracy"))
    if coding_acc:
        context["coding_accuracy"] = read_json(coding_acc)
    accuracy = _first(p.get("accuracy"))  # demo only
    if accuracy:
        context["accuracy"] = read_json(accuracy)
    atomic_write_text(out_html, render_report(context))


def _first(value: object) -> str | None:
    """A path from a named input that may be a path, a one-item list, or empty."""
    if not value:
        return None
    if isinstance(value, str | Path):
        return str(value)
    items = list(value)  # type: ignore[call-overload]
    return str(items[0]) if items else None


def cite_themes(themes: dict, label: dict[str, str]) -> None:
    """Studies in the theme table cited by their labels ('Surname Year'), in place."""
    for theme in themes["themes"]:
        theme["studies"] = [label.get(x, x) for x in theme.get("studies", [])]
        for sub in theme["subthemes"]:
            sub["studies"] = [label.get(x, x) for x in sub["studies"]]
            sub["segments_per_study"] = {label.get(k, k): v for k, v in (sub.get("segments_per_study") or {}).items()}
            for q in sub["quotes"]:
                q["study_id"] = label.get(q["study_id"], q["study_id"])


def synthesis_context(p: dict, label: dict[str, str], themes: dict) -> dict:
    """CASP table, heat map, candidate codes and the CERQual table, with studies cited by label."""
    from ..extract.appraisal import CONCERN_RULE, ITEMS, TOOL

    out: dict = {"coding": {"segments": themes.get("segments"), "coded": themes.get("coded_segments"),
                            "decisions": themes.get("decisions") or {},
                            "uncoded": themes.get("uncoded_segments"),
                            "unread": [label.get(x, x) for x in themes.get("unread_studies") or []],
                            "no_findings_section": [label.get(x, x) for x in themes.get("no_findings_section") or []]}}
    if p.get("appraisal_studies"):
        rows = read_csv(p["appraisal_studies"])
        comments = {}
        for it in read_csv(p["appraisal_items"]) if p.get("appraisal_items") else []:
            if it.get("comment") and it["answer"] != "yes":
                comments.setdefault(it["study_id"], []).append(f"{it['item'].split(' ', 1)[0]}: {it['comment']}")
        for r in rows:
            r["notes"] = "; ".join(comments.get(r["study_id"], []))
            r["study_id"] = label.get(r["study_id"], r["study_id"])
        out["casp"] = {"tool": TOOL, "items": [{"id": q, "label": f"{q} {t}"} for q, t in ITEMS],
                       "rule": CONCERN_RULE, "rows": sorted(rows, key=lambda r: r["study_id"])}
    if p.get("candidates"):
        cands = read_csv(p["candidates"])
        for c in cands:
            c["studies"] = len({sid.rsplit(":", 1)[0] for sid in c["segment_ids"].split(";") if sid})
        out["candidates"] = cands
    if p.get("cerqual"):
        cq = read_json(p["cerqual"])
        for f in cq["findings"]:
            f["studies"] = sorted(label.get(x, x) for x in f["studies"])
        out["cerqual"] = cq
    return out
