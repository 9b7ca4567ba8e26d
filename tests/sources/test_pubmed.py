"""PubMed E-utilities against replayed esearch/efetch responses: batches, date splits, expired history."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewflow.errors import SourceError
from reviewflow.sources.http import Response
from reviewflow.sources.pubmed import PubMed, parse_esearch
from reviewflow.sources.search import run_search
from tests.sources.conftest import PubMedApp, ReplayServer, Reply, fast_client, fixture_path

SECRETS = ("KEY-ABC-123", "someone@uni.example")


def pubmed(server: ReplayServer, **kw) -> PubMed:
    return PubMed("peer support[tiab]", base_url=server.url, email=SECRETS[1], api_key=SECRETS[0], **kw)


def test_esearch_fixtures_parse() -> None:
    es = parse_esearch(Response("u", 200, "text/xml", fixture_path("ncbi-eutils_esearch_1.xml").read_bytes()))
    assert (es.count, len(es.ids), es.query_key) == (42249, 100, "1") and es.webenv.startswith("MCID_")
    none = parse_esearch(Response("u", 200, "text/xml", fixture_path("ncbi-eutils_esearch_3.xml").read_bytes()))
    assert none.count == 0 and none.ids == [] and "PhraseNotFound: abcXYZ" in none.warnings


def test_esearch_error_body_is_a_clear_error() -> None:
    body = fixture_path("ncbi-eutils_epost-error_1.xml").read_bytes()
    with pytest.raises(SourceError, match="Invalid db name"):
        parse_esearch(Response("u", 200, "text/xml", body))


def test_search_in_batches_through_history(server: ReplayServer, tmp_path: Path) -> None:
    app = PubMedApp()
    server.app = app
    res = run_search(pubmed(server, batch_size=2), tmp_path, client=fast_client())
    assert (res.reported, res.retrieved) == (5, 5)
    assert [r.pmid for r in res.records] == app.order
    efetches = [r for r in server.requests if r.path.endswith("efetch.fcgi")]
    assert len(efetches) == 3 and all("WebEnv" in r.query for r in efetches)
    assert [r.query["retstart"] for r in efetches] == ["0", "2", "4"]
    rec = next(r for r in res.records if r.pmid == "11748933")
    assert rec.journal and rec.year == 2001 and rec.provenance.source == "pubmed"
    assert res.log["query_translation"] is not None
    es = server.requests[0].query
    assert es["usehistory"] == "y" and es["tool"] == "reviewflow" and es["api_key"] == SECRETS[0]
    for f in res.snapshot.dir.iterdir():
        if f.suffix == ".json":
            assert not any(s in f.read_text() for s in SECRETS)


def test_rate_limits_follow_the_key() -> None:
    assert PubMed("x", api_key="k").requests_per_second == 10.0
    assert PubMed("x", api_key=None).requests_per_second in (3.0, 10.0)  # 10 only if NCBI_API_KEY is set


def test_over_the_id_limit_is_split_by_date(server: ReplayServer, tmp_path: Path) -> None:
    app = PubMedApp()
    server.app = app
    res = run_search(pubmed(server, max_ids=2), tmp_path, client=fast_client())
    assert (res.reported, res.retrieved) == (5, 5)
    assert sorted(r.pmid for r in res.records) == sorted(app.order)
    parts = res.snapshot.state["progress"]["parts"]
    assert len(parts) >= 3 and all(p["count"] <= 2 for p in parts)
    assert [p["mindate"] for p in parts] == sorted(p["mindate"] for p in parts)
    assert all("mindate" in r.query for r in server.requests[1:] if r.path.endswith("esearch.fcgi"))


def test_expired_history_falls_back_to_ids(server: ReplayServer, tmp_path: Path) -> None:
    app = PubMedApp()
    app.expired = True
    server.app = app
    res = run_search(pubmed(server, batch_size=3), tmp_path, client=fast_client())
    assert res.retrieved == 5
    posts = [r for r in server.requests if r.method == "POST"]
    assert len(posts) == 2 and posts[0].query["id"].count(",") == 2


def test_truncated_and_html_efetch_are_fetched_again(server: ReplayServer, tmp_path: Path) -> None:
    app = PubMedApp()
    server.app = app
    body = app.efetch_body(app.order[:5])
    is_efetch = lambda r: r.path.endswith("efetch.fcgi")  # noqa: E731
    server.fault(Reply(200, body, "text/xml", truncate_to=len(body) // 2, keep_length=False), when=is_efetch)
    server.fault(Reply(200, b"<html><body>Service unavailable</body></html>", "text/html"), when=is_efetch)
    res = run_search(pubmed(server), tmp_path, client=fast_client())
    assert res.retrieved == 5 and len({r.pmid for r in res.records}) == 5


def test_missing_articles_are_a_shortfall_not_silence(server: ReplayServer, tmp_path: Path) -> None:
    app = PubMedApp()
    server.app = app
    gone = app.order[1]
    real = app.__call__

    def drop(req):
        if req.path.endswith("efetch.fcgi"):
            ids = app.history[req.query["WebEnv"]] if "WebEnv" in req.query else req.query["id"].split(",")
            return Reply(200, app.efetch_body([p for p in ids if p != gone]), "text/xml")
        return real(req)

    server.app = drop
    res = run_search(pubmed(server), tmp_path, client=fast_client())
    assert (res.reported, res.retrieved, res.shortfall) == (5, 4, 1)
    assert [p["missing"] for p in res.snapshot.pages if p["kind"] == "efetch"] == [[gone]]


def test_zero_hits(server: ReplayServer, tmp_path: Path) -> None:
    server.app = lambda req: Reply(200, fixture_path("ncbi-eutils_esearch_3.xml").read_bytes(), "text/xml")
    res = run_search(pubmed(server), tmp_path, client=fast_client())
    assert (res.reported, res.retrieved) == (0, 0)
    assert "PhraseNotFound: abcXYZ" in res.log["warnings"]
