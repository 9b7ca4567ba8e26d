"""An included study whose full text has no findings section, or cannot be read, is named, never silent."""

from __future__ import annotations

import json

import yaml

from reviewflow.fsio import write_csv, write_jsonl
from reviewflow.status import format_status, review_status
from reviewflow.synthesis.run import run_coding, run_themes

from ..conftest import ROOT

WITH_RESULTS = """Peer support in a drug service

Methods

We interviewed twelve peer workers in Toronto, Canada, and used reflexive thematic analysis.

Results

Trust built on shared experience

Peers said clients trusted them because they had been there themselves, and said so often.

    "They know I have been where they are." (P3, peer worker)

Discussion

Peers matter.
"""
NO_RESULTS = """Peer work: a commentary

Peer workers bring what no training gives: they have lived what their clients live, every day.

Services that employ them should pay them fairly and support them when the work weighs on them.
"""
METHODS_ONLY = "A protocol\n\nMethods\n\nWe will interview twenty peers in two cities over one year.\n"


def _review(tmp_path):
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    ft = tmp_path / "fulltext"
    ft.mkdir()
    files = {"a1": ("a1.txt", WITH_RESULTS.encode()), "b2": ("b2.txt", NO_RESULTS.encode()),
             "c3": ("c3.txt", METHODS_ONLY.encode()), "d4": ("d4.pdf", b"%PDF-1.4 broken")}
    for name, data in files.values():
        (ft / name).write_bytes(data)
    res = tmp_path / "results"
    write_csv(res / "included/full_text.csv", ["record_id", "decision"],
              [{"record_id": k, "decision": "include"} for k in files])
    write_csv(res / "included/retrieval.csv", ["record_id", "file"],
              [{"record_id": k, "file": str(ft / n)} for k, (n, _) in files.items()])
    write_jsonl(res / "included/unique.jsonl",
                [{"id": k, "title": f"Study {k}", "authors": [{"family": f"Author{k.upper()}", "given": "A."}],
                  "year": 2020} for k in files])
    return cfg, res


def test_studies_without_findings_are_named_in_status_and_themes(tmp_path):
    cfg, res = _review(tmp_path)
    syn = res / "synthesis"
    run_coding(cfg, res / "included/full_text.csv", res / "included/retrieval.csv", syn / "segments.csv",
               syn / "suggested_codes.csv", syn / "coding.queue.jsonl", res / "sheets/coding/coding.xlsx",
               res / "included/unique.jsonl", None, syn / "findings.json")
    studies = {s["record_id"]: s for s in json.loads((syn / "findings.json").read_text())["studies"]}
    assert studies["a1"]["findings_heading"] == "Results" and studies["a1"]["segments"] == 2
    assert not studies["a1"]["problem"]
    assert studies["b2"]["segments"] == 2 and studies["b2"]["basis"] == "no findings section"
    assert "no Results or Findings section" in studies["b2"]["problem"]
    assert studies["c3"]["segments"] == 0
    assert studies["d4"]["problem"].startswith("the full text cannot be read")
    run_themes(cfg, syn / "segments.csv", syn / "coding.queue.jsonl", None, syn / "coded.csv",
               syn / "themes.json", syn / "candidate_codes.csv", res / "status/coding.json", syn / "findings.json")
    status = json.loads((res / "status/coding.json").read_text())
    assert not status["complete"]
    waiting = {w["file"].rsplit("/", 1)[-1]: w["message"] for w in status["waiting"] if w["who"] == "the team"}
    assert set(waiting) == {"c3.txt", "d4.pdf"}
    assert "code the study's findings by hand" in waiting["c3.txt"]
    assert [n["file"].rsplit("/", 1)[-1] for n in status["notes"]] == ["b2.txt"]
    themes = json.loads((syn / "themes.json").read_text())
    assert len(themes["unread_studies"]) == 2 and len(themes["no_findings_section"]) == 1
    # `reviewflow status` reads the same files and names them.
    (res / "prisma").mkdir()
    (res / "prisma/counts.json").write_text(json.dumps({
        "identified": {"db": 4}, "duplicates_removed": 0, "automation_excluded": 0, "other_removed": 0,
        "screened": 4, "screen_excluded": 0, "sought": 4, "not_retrieved": 0, "assessed": 4,
        "fulltext_excluded": {}, "included": 4, "reports_included": 4}))
    st = review_status(tmp_path)
    text = format_status(st)
    assert not st["complete"] and "the review is complete" not in text
    assert "b2.txt" in text and "c3.txt" in text and "d4.pdf" in text
    label_b2 = next(iter(themes["no_findings_section"]))
    assert label_b2 in text


def test_methods_text_names_studies_without_findings():
    from reviewflow.report.methods import methods_text

    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    paras = {p["heading"]: p["text"] for p in methods_text(cfg, "0", unread=["Lee 2019"], no_findings=["Ng 2020"])}
    assert "every included study" not in paras["Synthesis"]
    assert "Ng 2020" in paras["Synthesis"] and "Lee 2019" in paras["Synthesis"]
    plain = {p["heading"]: p["text"] for p in methods_text(cfg, "0")}
    assert "every included study" in plain["Synthesis"]
