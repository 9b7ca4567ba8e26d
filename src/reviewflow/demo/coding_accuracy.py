"""Per-code precision and recall of the coding against the demo's truth (truth/findings.csv).

Measured twice: the machine's suggestions, and the codes that count after the (simulated)
coder's decisions. Only the demo has a truth; the pipeline proper never reads it.
"""

from __future__ import annotations

from pathlib import Path

from ..fsio import iter_jsonl, read_csv, write_json
from ..synthesis.codebook import codes_from_config
from .truth import Truth


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _prf(pairs: list[tuple[set[str], set[str]]], code: str | None) -> dict:
    tp = fp = fn = 0
    for want, got in pairs:
        if code is not None:
            want, got = want & {code}, got & {code}
        tp += len(want & got)
        fp += len(got - want)
        fn += len(want - got)
    p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = round(2 * p * r / (p + r), 4) if p and r else None
    return {"precision": p, "recall": r, "F1": f1, "true": tp + fn, "coded": tp + fp}


def coding_accuracy_by_code(config: dict, truth_dir: Path, unique: Path, segments: Path, suggested: Path,
                            coded: Path) -> dict:
    truth = Truth.load(truth_dir)
    recs = {d["id"]: d for d in iter_jsonl(unique)}
    true_codes = {(r["doc_id"], int(r["segment"])): {c for c in r["codes"].split(";") if c}
                  for r in read_csv(Path(truth_dir) / "findings.csv")}
    sugg: dict[str, set[str]] = {}
    for r in read_csv(suggested):
        sugg.setdefault(r["segment_id"], set()).add(r["code"])
    final = {r["segment_id"]: {c for c in r["codes"].split(";") if c} for r in read_csv(coded)}
    pairs_s, pairs_f = [], []
    for s in read_csv(segments):
        key = (truth.doc_for(recs[s["record_id"]])["doc_id"], int(s["segment"]))
        if key not in true_codes:
            continue
        pairs_s.append((true_codes[key], sugg.get(s["segment_id"], set())))
        pairs_f.append((true_codes[key], final.get(s["segment_id"], set())))
    rows = []
    for theme in config["codebook"]["themes"]:
        ids = {c.id for c in codes_from_config({"themes": [theme]})}
        tp_s = [(w & ids, g & ids) for w, g in pairs_s]
        tp_f = [(w & ids, g & ids) for w, g in pairs_f]
        rows.append({"code": theme["id"], "label": theme["label"], "level": "theme",
                     "suggested": _prf(tp_s, None), "final": _prf(tp_f, None)})
        for sub in theme["subthemes"]:
            rows.append({"code": sub["id"], "label": sub["label"], "level": "subtheme",
                         "suggested": _prf(pairs_s, sub["id"]), "final": _prf(pairs_f, sub["id"])})
    return {"segments": len(pairs_s), "overall": {"suggested": _prf(pairs_s, None), "final": _prf(pairs_f, None)},
            "by_code": rows,
            "note": "precision and recall per code against the generator's hidden truth; 'suggested' = the "
                    "machine's suggestions, 'final' = codes after the coder's decisions"}


def run_coding_accuracy(config: dict, truth_dir: Path, unique: Path, segments: Path, suggested: Path,
                        coded: Path, out: Path) -> None:
    write_json(out, coding_accuracy_by_code(config, truth_dir, unique, segments, suggested, coded))
