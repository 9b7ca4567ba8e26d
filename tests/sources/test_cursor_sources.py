"""Europe PMC, OpenAlex and Crossref against replayed real responses, with faults in the middle of paging."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from reviewflow.errors import SourceError
from reviewflow.sources.crossref import Crossref
from reviewflow.sources.europepmc import EuropePMC
from reviewflow.sources.openalex import OpenAlex, rebuild_abstract
from reviewflow.sources.search import ShortfallError, check_shortfall, run_search
from tests.sources.conftest import (
    CrossrefApp,
    EuropePMCApp,
    OpenAlexApp,
    ReplayServer,
    Reply,
    as_json,
    fast_client,
    load_fixture,
)


def second_page(req) -> bool:
    return req.query.get("cursor") == "c10" or req.query.get("cursorMark") == "m10"


def openalex(server: ReplayServer, **kw) -> OpenAlex:
    return OpenAlex("sustainability", base_url=server.url, mailto="me@uni.edu", **kw)


def test_openalex_pages_to_the_end(server: ReplayServer, tmp_path: Path) -> None:
    server.app = OpenAlexApp(size=10)
    res = run_search(openalex(server), tmp_path, client=fast_client())
    assert (res.reported, res.retrieved, res.mode) == (25, 25, "live")
    works = load_fixture("openalex_works-cursor_3.json")["results"]
    assert [r.raw["id"][0] for r in res.records] == [w["id"] for w in works]
    first = res.records[0]
    assert first.title.startswith("Problem")
    assert first.doi == "10.1111/j.1936-704x.2009.00057.x"
    assert first.year == 2009 and first.volume == "142" and first.pages == "76-82"
    assert first.authors[0].family == "Smith"
    assert first.provenance.source == "openalex"
    assert first.provenance.file.endswith("00001-page.json.gz") and first.provenance.index == 0
    assert res.records[12].provenance.file.endswith("00002-page.json.gz") and res.records[12].provenance.index == 2
    with_abstract = [w for w in works if w.get("abstract_inverted_index")]
    rec = next(r for r in res.records if r.raw["id"][0] == with_abstract[0]["id"])
    assert rec.abstract == rebuild_abstract(with_abstract[0]["abstract_inverted_index"])
    assert len(res.records) == len({r.id for r in res.records})
    # every request carried per-page 200 and the cursor
    assert all(r.query["per-page"] == "200" and "cursor" in r.query for r in server.requests)


def test_rebuild_abstract_orders_by_position() -> None:
    assert rebuild_abstract({"world": [1], "Hello": [0], "again": [3], "hello": [2]}) == "Hello world hello again"
    assert rebuild_abstract(None) is None


@pytest.mark.parametrize("fault", [
    Reply(429, b"{}", headers={"Retry-After": "1"}),
    Reply(500, b"{}"), Reply(502, b"bad gateway", "text/html"), Reply(503, b""),
    Reply(200, b"<html><body>Proxy error</body></html>", "text/html"),
    Reply(200, json.dumps({"meta": {"count": 25}, "results": [1, 2, 3]}).encode(), truncate_to=30),
    Reply(200, json.dumps({"meta": {"count": 25}, "results": []}).encode(), truncate_to=20, keep_length=False),
    Reply(200, json.dumps({"meta": {"count": 25}}).encode()),
], ids=["429", "500", "502", "503", "html200", "truncated", "truncated-nolength", "wrong-shape"])
def test_faults_mid_paging_end_complete(server: ReplayServer, tmp_path: Path, fault: Reply) -> None:
    app = OpenAlexApp(size=10)
    app.works = app.works[:12]  # two pages are enough to put a fault in the middle
    server.app = app
    server.fault(fault, when=second_page)
    res = run_search(openalex(server), tmp_path, client=fast_client())
    assert (res.reported, res.retrieved) == (12, 12)
    assert len({r.id for r in res.records}) == 12


def test_slow_page_past_timeout(server: ReplayServer, tmp_path: Path) -> None:
    app = OpenAlexApp(size=10)
    app.works = app.works[:12]
    server.app = app
    server.fault(Reply(200, json.dumps(app.page(10)).encode(), delay=0.5), when=second_page)
    res = run_search(openalex(server), tmp_path, client=fast_client(timeout=(1.0, 0.15)))
    assert res.retrieved == 12


def test_empty_page_mid_paging_once_is_asked_again(server: ReplayServer, tmp_path: Path) -> None:
    app = OpenAlexApp(size=10)
    server.app = app
    empty = app.page(10)
    empty["results"], empty["meta"]["next_cursor"] = [], None
    server.fault(as_json(empty), when=second_page)
    res = run_search(openalex(server), tmp_path, client=fast_client())
    assert res.retrieved == 25


def test_empty_page_mid_paging_for_good_is_a_shortfall(server: ReplayServer, tmp_path: Path) -> None:
    app = OpenAlexApp(size=10)
    server.app = app
    empty = app.page(10)
    empty["results"], empty["meta"]["next_cursor"] = [], None
    server.fault(as_json(empty), when=second_page, times=5)
    res = run_search(openalex(server), tmp_path, client=fast_client())
    assert (res.reported, res.retrieved, res.shortfall) == (25, 10, 15)
    with pytest.raises(ShortfallError, match="retrieved 10 of 25"):
        check_shortfall(res, allow=False)
    check_shortfall(res, allow=True)
    assert res.log["shortfall"] == 15


def test_cursor_that_repeats_a_page_stops(server: ReplayServer, tmp_path: Path) -> None:
    app = OpenAlexApp(size=10)
    app.count = 10_000  # the API claims many more
    server.app = lambda req: as_json({**app.page(0), "meta": {**app.page(0)["meta"], "count": 10_000,
                                                               "next_cursor": "again"}})
    with pytest.raises(SourceError, match="already retrieved"):
        run_search(openalex(server), tmp_path, client=fast_client())


def test_cursor_that_never_ends_with_new_records_stops(server: ReplayServer, tmp_path: Path) -> None:
    app = OpenAlexApp(size=2)
    works = app.works
    n = [0]

    def endless_page(req) -> dict:
        n[0] += 1
        page = app.page(0)
        page["results"] = [{**w, "id": f"https://openalex.org/W9{n[0]:04d}{i:02d}"} for i, w in enumerate(works[:2])]
        page["meta"].update(count=6, next_cursor=f"x{n[0]}")
        return page

    server.app = lambda req: as_json(endless_page(req))
    src = openalex(server)
    src.ended = lambda page, cursor: False  # make the count the only end signal...
    res = run_search(src, tmp_path, client=fast_client())  # ...and the count ends it
    assert res.retrieved == 6
    server.app = lambda req: as_json({**endless_page(req), "meta": {"count": 10**9, "next_cursor": "y"}})
    with pytest.raises(SourceError, match="paging does not end"):
        run_search(openalex(server, max_pages=5), tmp_path / "b", client=fast_client())


def test_europepmc_pages_until_the_cursor_is_echoed(server: ReplayServer, tmp_path: Path) -> None:
    server.app = EuropePMCApp(size=10)
    res = run_search(EuropePMC("cancer", base_url=server.url), tmp_path, client=fast_client())
    assert (res.reported, res.retrieved) == (25, 25)
    assert len(server.requests) == 3
    assert all(r.query["resultType"] == "core" and r.query["pageSize"] == "1000" for r in server.requests)
    r0 = res.records[0]
    assert r0.pmid == "39709209" and r0.doi == "10.1016/s0140-6736(24)02600-x"
    assert r0.journal == "Lancet (London, England)" and r0.year == 2025 and r0.issn == ["0140-6736", "1474-547X"]
    assert r0.authors[0].family == "Schoenfeld"
    assert json.loads(r0.raw["journalInfo"][0])["volume"] == "404"


def test_europepmc_empty_result(server: ReplayServer, tmp_path: Path) -> None:
    server.app = lambda req: as_json(load_fixture("europepmc_search-empty_1.json"))
    res = run_search(EuropePMC("zzzxq", base_url=server.url), tmp_path, client=fast_client())
    assert (res.reported, res.retrieved) == (0, 0)


def test_europepmc_truncated_page_is_fetched_again(server: ReplayServer, tmp_path: Path) -> None:
    app = EuropePMCApp(size=10)
    server.app = app
    from tests.sources.conftest import Req

    body = app(Req("GET", "/search", {"cursorMark": "m10"}, "", "")).body
    server.fault(Reply(200, body, truncate_to=len(body) - 100), when=second_page)
    res = run_search(EuropePMC("cancer", base_url=server.url), tmp_path, client=fast_client())
    assert res.retrieved == 25


def test_crossref_same_cursor_each_page_ends_with_empty_page(server: ReplayServer, tmp_path: Path) -> None:
    app = CrossrefApp()
    server.app = app
    src = Crossref("widget", base_url=server.url, mailto="me@uni.edu")
    src.page_size = 20
    res = run_search(src, tmp_path, client=fast_client())
    assert (res.reported, res.retrieved) == (40, 40)
    cursors = [r.query["cursor"] for r in server.requests]
    assert cursors[0] == "*" and set(cursors[1:]) == {app.cursor}
    assert res.records[0].doi == "10.1007/978-1-4302-0197-7_9" and res.records[0].title.startswith("Widget Mania")
    assert res.records[0].year == 2007  # issued is [[null]]: the next date that has a year
    assert all(r.query["query.bibliographic"] == "widget" for r in server.requests)


def test_crossref_invalid_cursor_is_a_clear_error(server: ReplayServer, tmp_path: Path) -> None:
    server.app = lambda req: Reply(404, Path(load_fixture.__globals__["API"] /
                                             "crossref_works-cursor-error_1.json").read_bytes())
    with pytest.raises(SourceError, match="cursor-invalid"):
        run_search(Crossref("widget", base_url=server.url), tmp_path, client=fast_client())


def test_snapshot_is_deterministic_gzip_without_secrets(server: ReplayServer, tmp_path: Path) -> None:
    server.app = OpenAlexApp(size=10)
    res = run_search(OpenAlex("x", base_url=server.url, mailto="me@uni.edu", api_key="KEY-SECRET-1"), tmp_path,
                     client=fast_client())
    files = sorted(res.snapshot.dir.iterdir())
    gz = [f for f in files if f.suffix == ".gz"]
    assert gz and all(f.read_bytes()[4:8] == b"\0\0\0\0" for f in gz)  # gzip mtime field is zero
    assert gzip.decompress(gz[0].read_bytes()) == json.dumps(server.app.page(0)).encode()
    for f in files:
        text = f.read_text(encoding="utf-8") if f.suffix == ".json" else ""
        assert "uni.edu" not in text and "KEY-SECRET-1" not in text
    assert "mailto=REDACTED" in res.log["query_sent"] and "api_key=REDACTED" in res.log["query_sent"]
    assert any(r.query.get("mailto") == "me@uni.edu" for r in server.requests)  # it was sent, just not kept
