"""Accuracy of the extraction suggestions (results/extract/suggestions.csv) against the demo's truth.

The true study characteristics are those the generator wrote each included study's Methods from
(its documents' `ctx`): the corpus is rebuilt from the config and seed, and checked against
truth/documents.csv (same ids, same titles) before it is trusted. Per field:

- *correct*: the suggested value agrees with the truth (a suggested term is found in the true
  phrase: 'supervised consumption site' in 'two supervised consumption sites run by ...'; for the
  participants, the same numbers; the country, the same name);
- *page right*: the page cited holds the true value, on the generator's own page layout;
- precision = correct / suggested, recall = correct / included studies.

Only the demo has a truth; the pipeline proper never reads it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..errors import ConfigError
from ..extract.prefill import term_pattern
from ..fsio import iter_jsonl, read_csv, write_json
from .truth import Truth

PAGED = ("pdf", "text", "markdown")     # the formats whose suggestions cite a page
FIELDS = ("country", "setting", "peer_role_titles", "participant_groups", "sample_size", "data_collection",
          "analysis_method")


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def true_characteristics(config: dict, truth: Truth) -> dict[str, dict]:
    """doc_id -> the included study's true characteristics and its pages (as the generator lays them out)."""
    from .corpus import build_documents
    from .formats import family_of
    from .fulltext import paginate, render
    from .plan import make_plan

    seed = int(config["demo"]["seed"])
    families = {str(db["id"]): family_of(db.get("export") or (db.get("search") or {}).get("source", ""),
                                         str(db.get("platform", "")))
                for db in config.get("databases") or []}
    out = {}
    for doc in build_documents(make_plan(config), seed, families):
        if doc.kind != "included":
            continue
        row = truth.documents.get(doc.doc_id)
        if row is None or row["title"] != doc.title:
            raise ConfigError(f"the demo corpus rebuilt from the config does not match {truth.dir}/documents.csv "
                              f"(document {doc.doc_id}): regenerate the demo")
        c = doc.ctx
        text, _ = render(doc, seed)
        pages = [" ".join(" ".join(b) for b in page) for page in paginate(text)]
        out[doc.doc_id] = {
            "country": c["country"], "setting": c["setting_methods"], "peer_role_titles": c["roles"],
            "data_collection": c["collection"], "analysis_method": c["analysis"],
            "participant_groups": sorted(int(c[k]) for k in ("n_peers", "n_clients", "n_staff")),
            "sample_size": sum(int(c[k]) for k in ("n_peers", "n_clients", "n_staff")),
            "pages": [re.sub(r"\s+", " ", p) for p in pages],
        }
    return out


def _terms(value: str) -> list[str]:
    return [t.strip() for t in value.split(";") if t.strip()]


def is_correct(field: str, value: str, true: dict) -> bool:
    """Whether a suggested value agrees with the study's truth (see the module's rules)."""
    if field == "country":
        return value == true["country"]
    if field == "sample_size":
        return value.strip() == str(true["sample_size"])
    if field == "participant_groups":
        return sorted(int(n) for n in re.findall(r"(?<![\w.])(\d+)\s", value)) == true["participant_groups"]
    terms = _terms(value)
    return bool(terms) and all(term_pattern(t).search(true[field]) for t in terms)


def _page_right(field: str, page: str, true: dict) -> bool:
    """Whether the first page cited shows the true value (the participants: every true number)."""
    try:
        text = true["pages"][int(page.split(",")[0]) - 1]
    except (ValueError, IndexError):
        return False
    if field in ("participant_groups", "sample_size"):
        return all(re.search(rf"(?<!\d){n}(?!\d)", text) for n in true["participant_groups"])
    return true[field] in text


def extraction_accuracy(config: dict, truth_dir: Path, records: Mapping[str, dict], queue: Path,
                        suggestions: Path, fields: Sequence[str] = FIELDS) -> dict:
    """The metrics of the module's docstring, over the studies in the extraction queue.

    records: record id -> record (with its provenance), for at least the studies extracted."""
    truth = Truth.load(truth_dir)
    recs = records
    chars = true_characteristics(config, truth)
    sugg: dict[str, dict[str, dict]] = {}
    formats: dict[str, str] = {}
    for r in read_csv(suggestions):
        sugg.setdefault(r["record_id"], {})[r["field"]] = r
        formats[r["record_id"]] = r["format"]
    studies = {}
    for rid in sorted(r["record_id"] for r in iter_jsonl(queue)):
        doc = truth.doc_for(recs[rid])["doc_id"]
        if doc in chars:
            studies[rid] = chars[doc]
    # Pages are scored only where the format has them (PDF, text); JATS and DOCX cite no page.
    rows, totals = [], {"studies": 0, "suggested": 0, "correct": 0, "correct (paged)": 0, "page right": 0}
    by_format: dict[str, dict[str, int]] = {}
    for field in fields:
        n = s = ok = paged_ok = page_ok = 0
        for rid, true in studies.items():
            n += 1
            got = sugg.get(rid, {}).get(field)
            if not got or not got["value"]:
                continue
            s += 1
            right = is_correct(field, got["value"], true)
            paged = formats.get(rid, "text") in PAGED
            ok += right
            paged_ok += right and paged
            page_ok += right and paged and _page_right(field, got["page"], true)
            f = by_format.setdefault(formats.get(rid, "text"), {"suggested": 0, "correct": 0})
            f["suggested"] += 1
            f["correct"] += right
            if paged:
                f["page right"] = f.get("page right", 0) + (right and _page_right(field, got["page"], true))
        rows.append({"field": field, "studies": n, "suggested": s, "correct": ok, "page right": page_ok,
                     "precision": _ratio(ok, s), "recall": _ratio(ok, n),
                     "page right (of correct, paged formats)": _ratio(page_ok, paged_ok)})
        for k, v in (("studies", n), ("suggested", s), ("correct", ok), ("correct (paged)", paged_ok),
                     ("page right", page_ok)):
            totals[k] += v
    for name, f in by_format.items():
        f["precision"] = _ratio(f["correct"], f["suggested"])
        if name in PAGED:
            f["page right (of correct)"] = _ratio(f.get("page right", 0), f["correct"])
    n_pdf = sum(1 for rid in studies if formats.get(rid) == "pdf")
    metrics = {"studies": len(studies), "studies with a PDF full text": n_pdf,
               "values suggested": totals["suggested"], "values correct": totals["correct"],
               "precision": _ratio(totals["correct"], totals["suggested"]),
               "recall": _ratio(totals["correct"], totals["studies"]),
               "page right (of correct values, paged formats)": _ratio(totals["page right"],
                                                                      totals["correct (paged)"])}
    return {"stage": "Extraction suggestions (values read from the full texts)", "metrics": metrics,
            "note": "per included study and field (" + ", ".join(fields) + "), against the characteristics the "
                    "generator wrote each study from; page right = the page cited shows the true value",
            "by_field": rows, "by_format": dict(sorted(by_format.items()))}


def run_extraction_accuracy(config: dict, truth_dir: Path, unique: Path, queue: Path, suggestions: Path,
                            out: Path) -> None:
    records = {d["id"]: d for d in iter_jsonl(unique)}
    write_json(out, extraction_accuracy(config, Path(truth_dir), records, Path(queue), Path(suggestions)))
