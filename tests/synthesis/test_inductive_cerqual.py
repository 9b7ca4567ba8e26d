"""Candidate new codes from uncoded segments; CERQual proposals and reviewers' overrides; CASP levels."""

from __future__ import annotations

from reviewflow.extract.appraisal import ITEMS, concern_level
from reviewflow.synthesis.cerqual import assess, cerqual_table, overall
from reviewflow.synthesis.inductive import candidate_codes

SEGS = [{"segment_id": f"r{i % 3}:{i}", "record_id": f"r{i % 3}", "text": t} for i, t in enumerate([
    "Sites differed in opening hours and staffing levels.",
    "Opening hours at the sites varied with staffing.",
    "Staffing and hours of opening differed across sites.",
    "Participants had held their current position for two years.",
    "Most participants held a position for several years.",
    "Participants had been in the position for years.",
])]


def test_uncoded_segments_cluster_into_named_candidates():
    got = candidate_codes(SEGS, wanted=2)
    assert [c["candidate"] for c in got] == ["NEW1", "NEW2"]
    groups = sorted(sorted(c["segment_ids"]) for c in got)
    assert groups == [["r0:0", "r1:1", "r2:2"], ["r0:3", "r1:4", "r2:5"]]
    terms = {t for c in got for t in c["top_terms"]}
    assert {"staffing", "participants"} <= terms
    assert candidate_codes(SEGS, wanted=2) == got
    assert candidate_codes([]) == []


def _sub(studies, quotes=5, cross=0, per=None):
    return {"id": "BEN.CLIENT", "label": "Client-level benefits", "definition": "d", "studies": studies,
            "n_segments": sum((per or {s: 2 for s in studies}).values()), "n_participant_quotes": quotes,
            "n_cross_theme": cross, "segments_per_study": per or {s: 2 for s in studies}}


def test_cerqual_rules():
    studies = [f"s{i}" for i in range(6)]
    ext = {s: {"country": ["Canada", "USA"][i % 2], "setting": ["shelter", "clinic"][i % 2]}
           for i, s in enumerate(studies)}
    row = assess(_sub(studies), {s: "minor" for s in studies}, ext)
    assert row["proposed"] == {"limitations": "no or very minor", "coherence": "no or very minor",
                               "adequacy": "no or very minor", "relevance": "no or very minor", "overall": "high"}
    one = assess(_sub(["s0"], quotes=1), {"s0": "serious"}, ext)
    assert one["proposed"]["adequacy"] == "serious" and one["proposed"]["limitations"] == "serious"
    assert one["proposed"]["overall"] == "very low"
    assert overall({"a": "minor", "b": "minor"}) == "moderate"
    assert overall({"a": "minor", "b": "moderate"}) == "moderate"
    assert overall({"a": "minor", "b": "minor", "c": "moderate"}) == "low"


def test_reviewer_judgement_wins():
    themes = [{"label": "Benefits", "subthemes": [_sub(["s0", "s1"]), {**_sub([]), "id": "EMPTY"}]}]
    rows = cerqual_table(themes, {}, {}, {"BEN.CLIENT": {"adequacy": "serious", "explanation": "thin"}})
    assert [r["finding"] for r in rows] == ["BEN.CLIENT"]  # findings need >= 1 study
    r = rows[0]
    assert r["final"]["adequacy"] == "serious" and r["source"]["adequacy"] == "reviewer"
    assert r["source"]["coherence"] == "proposed"
    assert r["final"]["overall"] in ("low", "very low") and r["reviewer_explanation"] == "thin"
    given = cerqual_table(themes, {}, {}, {"BEN.CLIENT": {"overall": "high"}})[0]
    assert given["final"]["overall"] == "high" and given["source"]["overall"] == "reviewer"


def test_casp_concern_levels():
    all_yes = {q: "yes" for q, _ in ITEMS}
    assert concern_level(all_yes) == "no or very minor"
    assert concern_level({**all_yes, "Q6": "no"}) == "minor"
    assert concern_level({**all_yes, "Q6": "no", "Q4": "no", "Q8": "can't tell"}) == "moderate"
    assert concern_level({**all_yes, "Q3": "no", "Q4": "no", "Q6": "no"}) == "serious"
    assert concern_level({**all_yes, "Q10": "no"}) == "no or very minor"  # Q10 is not counted


def test_cerqual_waits_for_the_reviewers_until_they_return_the_sheet(tmp_path):
    """The rules only propose: status names the CERQual sheet and where it goes back until the
    reviewers return it; a finding new since then waits again, accepted ones do not."""
    from reviewflow.fsio import read_json, write_csv, write_json
    from reviewflow.synthesis.run import run_cerqual

    other = {**_sub(["s1"]), "id": "BEN.PEER", "label": "Peer-level benefits"}
    write_json(tmp_path / "themes.json", {"themes": [{"label": "Benefits", "subthemes": [_sub(["s0", "s1"])]}]})
    write_csv(tmp_path / "appraisal.csv", ["study_id", "concerns"], [{"study_id": "s0", "concerns": "minor"}])
    write_csv(tmp_path / "extraction.csv", ["record_id", "study_id", "country"],
              [{"record_id": "r0", "study_id": "s0", "country": "Canada"}])
    config = {"paths": {"decisions": "decisions"}}
    out = {"out_table": tmp_path / "cerqual.json", "out_sheet": tmp_path / "sheet.xlsx",
           "out_status": tmp_path / "status.json"}
    args = (config, tmp_path / "themes.json", tmp_path / "appraisal.csv", tmp_path / "extraction.csv")

    run_cerqual(*args, None, **out)
    st = read_json(tmp_path / "status.json")
    assert st["stage"] == "cerqual" and not st["complete"]
    assert st["waiting"][0]["message"] == ("1 review findings await the reviewers' CERQual judgement: "
                                           "results/sheets/cerqual/cerqual.xlsx, returned to "
                                           "decisions/cerqual/cerqual.xlsx")

    returned = tmp_path / "returned.xlsx"
    (tmp_path / "sheet.xlsx").rename(returned)   # returned with every proposal accepted (cells left empty)
    run_cerqual(*args, returned, **out)
    assert read_json(tmp_path / "status.json") == {"stage": "cerqual", "complete": True, "waiting": []}

    write_json(tmp_path / "themes.json", {"themes": [{"label": "Benefits", "subthemes": [_sub(["s0", "s1"]), other]}]})
    run_cerqual(*args, returned, **out)
    assert [w["n"] for w in read_json(tmp_path / "status.json")["waiting"]] == [1]
