"""Citation searching's records: matched against the databases' records, grouped, ruled on."""

from reviewflow.citations.candidates import run_candidates
from reviewflow.fsio import iter_jsonl, read_csv, read_json, write_jsonl
from reviewflow.records import Author, Provenance, Record

CONFIG = {"eligibility": {"publication_years": {"from": 2000, "to": 2022}, "languages": ["en"]}}


def rec(rid, source, title, year, doi=None, authors=("Smith", "Jones")):
    return Record(id=rid, provenance=Provenance(source, f"{source}.json", 0, 1), title=title, year=year, doi=doi,
                  authors=[Author(a, "A") for a in authors], journal="Int J Drug Policy", language="en").to_dict()


def test_found_again_is_a_duplicate_of_the_database_record_and_the_rest_is_new(tmp_path):
    db = [rec("db1", "pubmed", "Peer workers in harm reduction services: a qualitative study", 2015,
              "10.5555/a.1"),
          rec("db2", "scopus", "Recovery coaches in emergency departments", 2018, "10.5555/b.2")]
    chased = [
        # The same work as db1 (DOI in another case, title with different punctuation).
        rec("c1", "citation_searching", "Peer workers in harm reduction services - a qualitative study", 2015,
            "10.5555/A.1"),
        # A new work, and the same new work again without its DOI.
        rec("c2", "citation_searching", "Naloxone distribution by peers in rural Kentucky", 2012, "10.5555/c.3",
            ("Brown", "Lee")),
        rec("c3", "citation_searching", "Naloxone distribution by peers in rural Kentucky", 2012, None,
            ("Brown", "Lee")),
        # Too old for the protocol's years.
        rec("c4", "citation_searching", "Methadone maintenance and HIV risk behaviour", 1991, "10.5555/d.4",
            ("Ward", "Hall")),
    ]
    write_jsonl(tmp_path / "db.jsonl", db)
    write_jsonl(tmp_path / "chased.jsonl", chased)
    out = {k: tmp_path / f"{k}.out" for k in ("groups", "unique", "auto", "summary")}
    run_candidates(CONFIG, tmp_path / "chased.jsonl", tmp_path / "db.jsonl", out["groups"], out["unique"],
                   out["auto"], out["summary"])
    groups = {r["record_id"]: r["group_id"] for r in read_csv(out["groups"])}
    assert groups == {"c1": "db1", "c2": "c2", "c3": "c2", "c4": "c4"}
    unique = list(iter_jsonl(out["unique"]))
    assert [u["id"] for u in unique] == ["c2", "c4"]
    assert unique[0]["doi"] == "10.5555/c.3"
    assert {r["record_id"]: r["rule"] for r in read_csv(out["auto"])} == {"c2": "", "c4": "year"}
    summary = read_json(out["summary"])
    assert (summary["records"], summary["duplicates_of_database_records"], summary["duplicates_within_citations"],
            summary["new"], summary["automation_excluded"]["year"]) == (4, 1, 1, 2, 1)
