"""The ledger follows each record to one final state; counts come from it and reconcile."""

from reviewflow.fsio import write_csv, write_jsonl
from reviewflow.ledger import StageInputs, build_ledger
from reviewflow.report.counts import check_invariants, prisma_counts


def rec(source, i):
    return {"id": f"{source}{i}", "provenance": {"source": source, "file": f"{source}.ris",
                                                 "index": i, "line": 1 + 5 * i}}


def stage_files(tmp_path, ta_done=True):
    write_jsonl(tmp_path / "a.jsonl", [rec("a", i) for i in range(6)])
    write_jsonl(tmp_path / "b.jsonl", [rec("b", i) for i in range(3)])
    write_jsonl(tmp_path / "a.rej.jsonl", [{"id": "ra", "source": "a", "file": "a.ris", "index": 6,
                                            "line": 31, "reason": "no TY line", "text": "x"}])
    write_jsonl(tmp_path / "b.rej.jsonl", [])
    # b0 duplicates a0, b1 duplicates a1.
    groups = [(f"a{i}", f"a{i}") for i in range(6)] + [("b0", "a0"), ("b1", "a1"), ("b2", "b2")]
    write_csv(tmp_path / "groups.csv", ["record_id", "group_id"],
              [{"record_id": r, "group_id": g} for r, g in groups])
    write_csv(tmp_path / "auto.csv", ["record_id", "rule"],
              [{"record_id": r, "rule": "year" if r == "a5" else ""}
               for r in ["a0", "a1", "a2", "a3", "a4", "a5", "b2"]])
    ta = {"a0": "include", "a1": "include", "a2": "include", "a3": "exclude",
          "a4": "include" if ta_done else "pending", "b2": "include"}
    write_csv(tmp_path / "ta.csv", ["record_id", "decision", "reason", "basis"],
              [{"record_id": k, "decision": v, "reason": "", "basis": "agreed"} for k, v in ta.items()])
    write_csv(tmp_path / "ret.csv", ["record_id", "status", "file"],
              [{"record_id": k, "status": s, "file": ""} for k, s in
               [("a0", "retrieved"), ("a1", "retrieved"), ("a2", "not_retrieved"),
                ("a4", "retrieved"), ("b2", "retrieved")] if k in ta and ta[k] == "include"])
    write_csv(tmp_path / "ft.csv", ["record_id", "decision", "reason", "basis"],
              [{"record_id": "a0", "decision": "include", "reason": "", "basis": "agreed"},
               {"record_id": "a1", "decision": "exclude", "reason": "X6_design", "basis": "agreed"},
               {"record_id": "a4", "decision": "include", "reason": "", "basis": "adjudicated"},
               {"record_id": "b2", "decision": "pending", "reason": "", "basis": "pending"}])
    return StageInputs([tmp_path / "a.jsonl", tmp_path / "b.jsonl"],
                       [tmp_path / "a.rej.jsonl", tmp_path / "b.rej.jsonl"], tmp_path / "groups.csv",
                       tmp_path / "auto.csv", tmp_path / "ta.csv", tmp_path / "ret.csv",
                       tmp_path / "ft.csv")


def test_every_record_reaches_one_final_state(tmp_path):
    entries = build_ledger(stage_files(tmp_path), ["a", "b"])
    states = {e.record_id: e.state for e in entries}
    assert states == {"a0": "included", "a1": "ft_excluded", "a2": "not_retrieved", "a3": "ta_excluded",
                      "a4": "included", "a5": "auto_excluded", "ra": "rejected", "b0": "duplicate",
                      "b1": "duplicate", "b2": "ft_pending"}
    by_id = {e.record_id: e for e in entries}
    assert by_id["b0"].duplicate_of == "a0"
    assert by_id["a1"].reason == "X6_design"
    assert by_id["a0"].path == ["identified", "unique", "screened", "sought", "assessed", "included"]


def test_counts_reconcile_box_by_box(tmp_path):
    rows = [e.row() for e in build_ledger(stage_files(tmp_path), ["a", "b"])]
    c = prisma_counts(rows, ["a", "b"], ["X6_design", "X7_focus"])
    assert c["identified"] == {"a": 7, "b": 3}
    assert c["duplicates_removed"] == 2
    assert c["automation_excluded"] == 1
    assert c["other_removed"] == 1
    assert c["screened"] == 6
    assert c["screen_excluded"] == 1
    assert c["sought"] == 5
    assert c["not_retrieved"] == 1
    assert c["assessed"] == 4
    assert c["fulltext_excluded"] == {"X6_design": 1, "X7_focus": 0}
    assert c["reports_included"] == 2 and c["included"] == 2
    assert c["awaiting"] == {"title_abstract": 0, "retrieval": 0, "full_text": 1}
    inv = {i["name"]: i["ok"] for i in check_invariants(c)}
    assert all(ok for name, ok in inv.items() if name != "nothing awaits people")
    assert inv["nothing awaits people"] is False


def test_pending_screening_is_counted_as_awaiting(tmp_path):
    rows = [e.row() for e in build_ledger(stage_files(tmp_path, ta_done=False), ["a", "b"])]
    c = prisma_counts(rows, ["a", "b"], ["X6_design"])
    assert c["awaiting"]["title_abstract"] == 1
    assert all(i["ok"] for i in check_invariants(c)[:5])


def test_broken_invariant_is_reported():
    c = {"identified": {"a": 10}, "duplicates_removed": 2, "automation_excluded": 0, "other_removed": 0,
         "screened": 9, "screen_excluded": 4, "sought": 5, "not_retrieved": 0, "assessed": 5,
         "fulltext_excluded": {"X": 2}, "included": 3, "reports_included": 3,
         "awaiting": {"title_abstract": 0, "retrieval": 0, "full_text": 0}}
    inv = check_invariants(c)
    assert inv[0]["ok"] is False and "10 = 2 + 9" in inv[0]["detail"]


def other_branch(tmp_path):
    """Citation searching: c0 is a database record found again (a0), c1 twice (c2 = c1), c3 too old,
    c4 excluded on title, c5 excluded at full text, c6 included (a study of its own)."""
    d = tmp_path / "cit"
    d.mkdir()
    write_jsonl(d / "records.jsonl", [rec("citation_searching", i) for i in range(7)])
    write_jsonl(d / "rejects.jsonl", [])
    ids = [f"citation_searching{i}" for i in range(7)]
    groups = dict(zip(ids, ["a0", ids[1], ids[1], ids[3], ids[4], ids[5], ids[6]], strict=True))
    write_csv(d / "groups.csv", ["record_id", "group_id"], [{"record_id": k, "group_id": v} for k, v in groups.items()])
    write_csv(d / "auto.csv", ["record_id", "rule"],
              [{"record_id": r, "rule": "year" if r == ids[3] else ""} for r in ids[1:2] + ids[3:]])
    write_csv(d / "ta.csv", ["record_id", "decision", "reason", "basis"],
              [{"record_id": r, "decision": dec, "reason": "", "basis": "agreed"} for r, dec in
               ((ids[1], "exclude"), (ids[4], "exclude"), (ids[5], "include"), (ids[6], "include"))])
    write_csv(d / "ret.csv", ["record_id", "status", "file"],
              [{"record_id": r, "status": "retrieved", "file": ""} for r in (ids[5], ids[6])])
    write_csv(d / "ft.csv", ["record_id", "decision", "reason", "basis"],
              [{"record_id": ids[5], "decision": "exclude", "reason": "X6_design", "basis": "agreed"},
               {"record_id": ids[6], "decision": "include", "reason": "", "basis": "agreed"}])
    return StageInputs([d / "records.jsonl"], [d / "rejects.jsonl"], d / "groups.csv", d / "auto.csv",
                       d / "ta.csv", d / "ret.csv", d / "ft.csv")


def test_citation_searching_is_its_own_column_and_adds_its_studies(tmp_path):
    entries = build_ledger(stage_files(tmp_path), ["a", "b"], other_branch(tmp_path))
    rows = [e.row() for e in entries]
    assert {r["branch"] for r in rows} == {"databases", "other"}
    by_id = {r["record_id"]: r for r in rows}
    assert by_id["citation_searching0"]["state"] == "duplicate" and by_id["citation_searching0"]["duplicate_of"] == "a0"
    c = prisma_counts(rows, ["a", "b"], ["X6_design"], ["citation_searching"])
    # The databases' column is untouched by the other branch.
    assert c["identified"] == {"a": 7, "b": 3} and c["screened"] == 6 and c["assessed"] == 4
    o = c["other_methods"]
    assert o["identified"] == {"citation_searching": 7}
    assert (o["duplicates_removed"], o["automation_excluded"], o["screened"], o["screen_excluded"]) == (2, 1, 4, 2)
    assert (o["sought"], o["not_retrieved"], o["assessed"], o["fulltext_excluded"]) == (2, 0, 2, {"X6_design": 1})
    assert o["reports_included"] == 1
    # Studies and reports included come from both columns.
    assert c["reports_included"] == 3 and c["included"] == 3
    inv = {i["name"]: i["ok"] for i in check_invariants(c)}
    assert inv["other methods: identified = removed before screening + screened"]
    assert inv["assessed − excluded (− awaiting) = reports included (databases)"]
    assert all(ok for name, ok in inv.items() if name != "nothing awaits people")


def test_other_methods_configured_but_empty_is_shown_as_zero(tmp_path):
    rows = [e.row() for e in build_ledger(stage_files(tmp_path), ["a", "b"])]
    c = prisma_counts(rows, ["a", "b"], ["X6_design"], ["citation_searching"])
    assert c["other_methods"]["identified"] == {"citation_searching": 0}
    assert "other_methods" not in prisma_counts(rows, ["a", "b"], ["X6_design"])
