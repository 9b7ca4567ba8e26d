"""Citation chasing through OpenAlex against replayed /works responses."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from reviewflow.sources.citations import LINK_FIELD, METHOD, OpenAlexCitations, seed_path
from reviewflow.sources.search import run_search
from tests.sources.conftest import ReplayServer, Reply, as_json, fast_client, load_fixture


class CitationApp:
    """Seeds are the two works of openalex_works-cursor_1.json; cited/citing works come from cursor_3's 25."""

    def __init__(self) -> None:
        self.page1 = load_fixture("openalex_works-cursor_1.json")
        self.seeds = {w["id"].rsplit("/", 1)[1]: w for w in self.page1["results"]}
        self.pool = load_fixture("openalex_works-cursor_3.json")["results"]
        self.end = load_fixture("openalex_works-cursor_2.json")
        for seed in self.seeds.values():  # the seeds cite pool works (adjusted: the real ids are not in the pool)
            seed["referenced_works"] = [w["id"] for w in self.pool[:12]] + ["https://openalex.org/W404"]
        self.citing = {k: self.pool[12 + i * 6: 18 + i * 6] for i, k in enumerate(sorted(self.seeds))}

    def listing(self, items: list[dict], cursor: str) -> Reply:
        if cursor != "*":
            return as_json(self.end)
        body = copy.deepcopy({k: v for k, v in self.page1.items() if k != "results"})
        body["results"] = items
        body["meta"]["count"] = len(items)
        return as_json(body)

    def __call__(self, req) -> Reply:
        if req.path.startswith("/works/"):
            key = req.path[len("/works/"):]  # a DOI path has a slash of its own
            if key in self.seeds:
                return as_json(self.seeds[key])
            if key.startswith("doi:"):
                doi = key[4:].lower()
                hit = [w for w in self.seeds.values() if (w.get("doi") or "").lower().endswith(doi)]
                if hit:
                    return as_json(hit[0])
            return Reply(404, b'{"error": "NotFoundError", "message": "not found"}')
        f = req.query.get("filter", "")
        cursor = req.query.get("cursor", "*")
        if f.startswith("openalex_id:"):
            ids = {i for i in f.split(":", 1)[1].split("|")}
            return self.listing([w for w in self.pool if w["id"].rsplit("/", 1)[1] in ids], cursor)
        if f.startswith("cites:"):
            return self.listing(self.citing.get(f.split(":", 1)[1], []), cursor)
        return Reply(400, b'{"error": "bad filter"}')


def test_seed_forms() -> None:
    assert seed_path("https://openalex.org/W2755950973") == "W2755950973"
    assert seed_path("https://doi.org/10.1000/XYZ") == "doi:10.1000/xyz"
    with pytest.raises(ValueError):
        seed_path("not an id")


def test_backward_and_forward(server: ReplayServer, tmp_path: Path) -> None:
    app = CitationApp()
    server.app = app
    seeds = sorted(app.seeds)
    src = OpenAlexCitations(seeds + ["W1"], base_url=server.url, mailto="me@uni.example")
    res = run_search(src, tmp_path, database_id=METHOD, client=fast_client())
    back = [r for r in res.records if r.raw[LINK_FIELD][0].startswith("backward")]
    fwd = [r for r in res.records if r.raw[LINK_FIELD][0].startswith("forward")]
    assert len(back) == 12 and len(fwd) == 12
    assert all(r.provenance.source == METHOD for r in res.records)
    assert back[0].raw[LINK_FIELD] == [f"backward:{s}" for s in seeds]
    assert {r.raw[LINK_FIELD][0] for r in fwd} == {f"forward:{s}" for s in seeds}
    assert (res.reported, res.retrieved) == (24, 24)
    assert "seed W1 not found in OpenAlex" in res.log["warnings"]
    assert "1 referenced works not found in OpenAlex: W404" in res.log["warnings"]
    assert any(r.query.get("filter", "").startswith("cites:") for r in server.requests)
    url = server.url
    server.stop()
    again = run_search(OpenAlexCitations(seeds + ["W1"], base_url=url), tmp_path, database_id=METHOD, offline=True)
    assert [r.id for r in again.records] == [r.id for r in res.records]


def test_forward_only(server: ReplayServer, tmp_path: Path) -> None:
    server.app = CitationApp()
    seed = sorted(server.app.seeds)[0]
    res = run_search(OpenAlexCitations([seed], direction="forward", base_url=server.url), tmp_path,
                     database_id=METHOD, client=fast_client())
    assert res.retrieved == 6 and all(r.raw[LINK_FIELD] == [f"forward:{seed}"] for r in res.records)


def test_workflow_stage_chases_each_included_report_once(server: ReplayServer, tmp_path: Path) -> None:
    """run_chase: one snapshot per included report with an identifier; a work found twice is one record."""
    from reviewflow.citations.chase import run_chase
    from reviewflow.fsio import iter_jsonl, read_json, write_csv, write_jsonl

    app = CitationApp()
    server.app = app
    dois = sorted(w["doi"] for w in app.seeds.values())
    write_jsonl(tmp_path / "unique.jsonl", [{"id": "r1", "doi": dois[0].upper()}, {"id": "r2", "doi": dois[1]},
                                            {"id": "r3", "doi": None, "url": None}, {"id": "r4", "doi": dois[1]}])
    write_csv(tmp_path / "ft.csv", ["record_id", "decision", "reason", "basis"],
              [{"record_id": r, "decision": d, "reason": "", "basis": "agreed"}
               for r, d in (("r1", "include"), ("r2", "include"), ("r3", "include"), ("r4", "exclude"))])
    out = [tmp_path / "out" / n for n in ("records.jsonl", "rejects.jsonl", "searches.json")]
    settings = {"direction": "both", "base_url": server.url}
    run_chase(settings, tmp_path / "snaps", tmp_path / "unique.jsonl", tmp_path / "ft.csv", *out)
    records = list(iter_jsonl(out[0]))
    log = read_json(out[2])
    assert len(log["searches"]) == 2 and log["included_without_identifier"] == ["r3"]
    assert len(list((tmp_path / "snaps" / METHOD).iterdir())) == 2
    # Both seeds cite the same 12 works: 12 records, each with both routes, plus 12 citing works.
    assert len(records) == len({r["id"] for r in records}) == 24
    both = [r for r in records if len(r["raw"][LINK_FIELD]) == 2]
    assert len(both) == 12 and all(h.startswith("backward:") for r in both for h in r["raw"][LINK_FIELD])
    first = out[0].read_bytes()
    server.stop()
    run_chase(settings, tmp_path / "snaps", tmp_path / "unique.jsonl", tmp_path / "ft.csv", *out, offline=True)
    assert out[0].read_bytes() == first  # replayed, byte for byte
