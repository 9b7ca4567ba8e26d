"""Accuracy of each stage against the demo's truth (the only pipeline output that reads it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..fsio import iter_jsonl, read_csv, write_json
from .truth import Truth


def _pairs(sizes: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def dedup_accuracy(doc_of_record: dict[str, str], group_of_record: dict[str, str]) -> dict:
    """Pairwise precision/recall of the duplicate groups, and clusters merged or split."""
    cells = Counter((group_of_record[r], d) for r, d in doc_of_record.items())
    tp = _pairs(cells.values())
    predicted = _pairs(Counter(group_of_record[r] for r in doc_of_record).values())
    true = _pairs(Counter(doc_of_record.values()).values())
    docs_per_group = Counter(g for g, _ in cells)
    groups_per_doc = Counter(d for _, d in cells)
    return {
        "unique records found": len(docs_per_group),
        "unique records (truth)": len(groups_per_doc),
        "pairwise precision": _ratio(tp, predicted),
        "pairwise recall": _ratio(tp, true),
        "false merges (groups holding >1 document)": sum(1 for n in docs_per_group.values() if n > 1),
        "missed merges (documents split over >1 group)": sum(1 for n in groups_per_doc.values() if n > 1),
    }


def _binary(pred: dict[str, bool], truth: dict[str, bool]) -> dict:
    tp = sum(1 for k, v in pred.items() if v and truth[k])
    fp = sum(1 for k, v in pred.items() if v and not truth[k])
    fn = sum(1 for k, v in pred.items() if not v and truth[k])
    tn = len(pred) - tp - fp - fn
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "sensitivity": _ratio(tp, tp + fn),
            "specificity": _ratio(tn, tn + fp)}


def run_accuracy(config: dict, truth_dir: Path, imports: Sequence[Path], groups: Path, auto: Path,
                 title_abstract: Path, full_text: Path, ledger: Path, segments: Path, codes: Path,
                 out: Path, extraction_queue: Path | None = None, extraction_suggestions: Path | None = None,
                 citation_records: Path | None = None, citation_groups: Path | None = None) -> None:
    truth = Truth.load(truth_dir)
    records = {d["id"]: d for p in imports for d in iter_jsonl(p)}
    doc_of = {rid: truth.doc_for(rec)["doc_id"] for rid, rec in records.items()}
    group_of = {r["record_id"]: r["group_id"] for r in read_csv(groups)}
    report = []

    d = dedup_accuracy(doc_of, group_of)
    report.append({"stage": "Deduplication", "metrics": d,
                   "note": "pairs of records of the same document, against the generator's truth"})
    # Records citation searching found: the document behind each, and whether matching them against the
    # databases' records was right (same document), for both branches' included studies below.
    doc_any = dict(doc_of)
    records_any = dict(records)
    if citation_records and citation_groups:
        chased = {d["id"]: d for d in iter_jsonl(citation_records)}
        records_any.update(chased)
        cited = {rid: truth.doc_for(d)["doc_id"] for rid, d in chased.items()}
        doc_any.update(cited)
        pairs = [(r["record_id"], r["group_id"]) for r in read_csv(citation_groups) if r["group_id"] != r["record_id"]]
        known = {doc_of[g] for g in doc_of}
        missed = sum(1 for rid, doc in cited.items() if doc in known and all(rid != a for a, _ in pairs))
        right = sum(1 for a, g in pairs if doc_any.get(g) == cited[a])
        report.append({"stage": "Citation searching (matched to records already found)", "metrics": {
            "records found": len(cited), "matched": len(pairs), "matched to the same document": right,
            "same document as a database record but not matched": missed},
            "note": "a chased record is a duplicate of the record (database or chased) it is matched to"})

    reps = sorted(set(group_of.values()))
    auto_rule = {r["record_id"]: r["rule"] for r in read_csv(auto)}
    true_rule = {g: truth.documents[doc_of[g]]["auto_rule"] for g in reps}
    a = _binary({g: bool(auto_rule.get(g)) for g in reps}, {g: bool(true_rule[g]) for g in reps})
    a["same rule as truth"] = sum(1 for g in reps if auto_rule.get(g) and auto_rule[g] == true_rule[g])
    report.append({"stage": "Automatic eligibility rules", "metrics": a,
                   "note": "positive = removed before screening"})

    ta = {r["record_id"]: r["decision"] for r in read_csv(title_abstract) if r["decision"] != "pending"}
    t = _binary({k: v == "include" for k, v in ta.items()},
                {k: truth.documents[doc_of[k]]["ta_include"] == "1" for k in ta})
    report.append({"stage": "Title/abstract screening (final decisions)", "metrics": t,
                   "note": "positive = include; truth is what a correct screener decides"})

    ft = {r["record_id"]: r for r in read_csv(full_text) if r["decision"] != "pending"}
    f = _binary({k: r["decision"] == "include" for k, r in ft.items()},
                {k: truth.documents[doc_of[k]]["ft_decision"] == "include" for k in ft})
    excluded = [k for k, r in ft.items() if r["decision"] == "exclude"
                and truth.documents[doc_of[k]]["ft_decision"] == "exclude"]
    f["same exclusion reason as truth"] = sum(
        1 for k in excluded if ft[k]["reason"] == truth.documents[doc_of[k]]["ft_reason"])
    f["excluded in both"] = len(excluded)
    report.append({"stage": "Full-text assessment (final decisions)", "metrics": f,
                   "note": "positive = include"})

    true_studies = {doc["study_id"] for doc in truth.documents.values() if doc["kind"] == "included"}
    found = {}
    for row in read_csv(ledger):
        if row["state"] == "included":
            doc = truth.documents[doc_any[row["record_id"]]]
            found.setdefault(doc["study_id"] or doc["doc_id"], []).append(row["record_id"])
    lost = sorted(true_studies - set(found))
    titles = {doc["study_id"]: doc["title"] for doc in truth.documents.values() if doc["kind"] == "included"}
    note = "lost = a study that meets the protocol but did not reach the synthesis"
    if lost:
        note += ". Lost: " + "; ".join(f"{s} ({titles[s]})" for s in lost)
    report.append({"stage": "Included studies", "metrics": {
        "included (truth)": len(true_studies),
        "found": len(set(found) & true_studies),
        "lost": len(lost),
        "false inclusions": len(set(found) - true_studies),
        "studies included more than once": sum(1 for s, v in found.items() if len(v) > 1),
    }, "note": note})

    report.append({"stage": "Coding (suggested codes vs the truth of each finding)",
                   "metrics": coding_accuracy(truth_dir, doc_any, segments, codes),
                   "note": "micro-averaged over finding segments of included studies"})
    if extraction_queue and extraction_suggestions:
        from .extraction_accuracy import extraction_accuracy

        ex = extraction_accuracy(config, Path(truth_dir), records_any, Path(extraction_queue),
                                 Path(extraction_suggestions))
        report.append({k: ex[k] for k in ("stage", "metrics", "note")})
    write_json(out, report)


def coding_accuracy(truth_dir: Path, doc_of: dict[str, str], segments: Path, codes: Path) -> dict:
    true_codes: dict[tuple[str, int], set[str]] = {}
    for r in read_csv(Path(truth_dir) / "findings.csv"):
        true_codes[(r["doc_id"], int(r["segment"]))] = {c for c in r["codes"].split(";") if c}
    suggested: dict[str, set[str]] = {}
    for r in read_csv(codes):
        suggested.setdefault(r["segment_id"], set()).add(r["code"])
    tp = fp = fn = 0
    exact = n = 0
    for s in read_csv(segments):
        key = (doc_of[s["record_id"]], int(s["segment"]))
        if key not in true_codes:
            continue
        want, got = true_codes[key], suggested.get(s["segment_id"], set())
        tp += len(want & got)
        fp += len(got - want)
        fn += len(want - got)
        exact += want == got
        n += 1
    p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = round(2 * p * r / (p + r), 4) if p and r else None
    return {"segments": n, "precision": p, "recall": r, "F1": f1, "exactly right": _ratio(exact, n)}
