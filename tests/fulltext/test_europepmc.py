"""JATS XML from Europe PMC, against a loopback server that replays Europe PMC's real answers:
the search responses in ../shared/fixtures/api and a real JATS article from ../shared/fixtures/fulltext."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import unquote

import pytest

from reviewflow.article.read import read_article
from reviewflow.cli import main
from reviewflow.errors import SourceError
from reviewflow.fsio import iter_jsonl, write_jsonl
from reviewflow.fulltext.europepmc import EuropePmc, fetch_xml
from tests.conftest import SHARED, need
from tests.fulltext.conftest import PDF, queue_row
from tests.sources.conftest import ReplayServer, Reply, fast_client

API = SHARED / "fixtures" / "api"
NOW = "2024-06-01T12:00:00Z"
# Records of the real search answer (europepmc_search-core_1.json): one open access with a PMCID, one
# with a PMCID but no open-access text, one without a PMCID.
OPEN, CLOSED, NO_PMC = "10.1002/hpja.70059", "10.1016/s0140-6736(24)02716-8", "10.1111/bjhp.12807"
OPEN_PMC, CLOSED_PMC = "PMC12120539", "PMC12124214"


class EuropePmcApp:
    """/rest/search answers from the real search response, narrowed to the DOI asked for (or the real
    empty answer); /rest/<PMCID>/fullTextXML gives a real JATS article for the open-access one."""

    def __init__(self) -> None:
        self.search = json.loads(need(API / "europepmc_search-core_1.json", "shared API fixture").read_text())
        self.empty = need(API / "europepmc_search-empty_1.json", "shared API fixture").read_bytes()
        self.xml = need(SHARED / "fixtures" / "fulltext" / "gallacher2013-pmed.xml", "shared JATS fixture").read_bytes()

    def __call__(self, req) -> Reply:
        path = unquote(req.path)
        if path == "/rest/search":
            assert req.query["format"] == "json" and req.query["resultType"] == "lite"
            doi = req.query["query"].removeprefix('DOI:"').removesuffix('"')
            hits = [r for r in self.search["resultList"]["result"] if (r.get("doi") or "").lower() == doi]
            if not hits:
                return Reply(200, self.empty)
            answer = {**self.search, "hitCount": len(hits), "resultList": {"result": hits}}
            return Reply(200, json.dumps(answer).encode())
        if path == f"/rest/{OPEN_PMC}/fullTextXML":
            return Reply(200, self.xml, "application/xml")
        return Reply(404, b"<html><body>Not found</body></html>", "text/html")


@pytest.fixture
def app(server: ReplayServer) -> EuropePmcApp:
    server.app = EuropePmcApp()
    return server.app


def _epmc(server: ReplayServer, **kw) -> EuropePmc:
    return EuropePmc(base_url=f"{server.url}/rest", client=fast_client(**kw))


def _xml_requests(server: ReplayServer) -> list[str]:
    return [r.path for r in server.requests if r.path.endswith("/fullTextXML")]


def test_doi_found_open_access_xml_saved_and_logged(tmp_path: Path, server: ReplayServer, app: EuropePmcApp):
    queue = [queue_row("r1", OPEN), queue_row("r2", CLOSED), queue_row("r3", NO_PMC), queue_row("r4")]
    s = fetch_xml(queue, tmp_path, _epmc(server), now=lambda: NOW)
    assert s.as_dict() == {"tried": 4, "had_fulltext": 0, "saved": 1, "not_in_europepmc": 1,
                           "not_open_access": 1, "not_jats": 0, "no_doi_or_pmcid": 1}
    assert (tmp_path / "r1.xml").read_bytes() == app.xml
    assert sorted(p.name for p in tmp_path.iterdir()) == ["europepmc-log.jsonl", "r1.xml"]
    log = {e["record_id"]: e for e in iter_jsonl(tmp_path / "europepmc-log.jsonl")}
    assert log["r1"] == {"record_id": "r1", "doi": OPEN, "pmcid": OPEN_PMC, "pmcid_from": "search by DOI",
                         "is_open_access": True, "outcome": "saved", "url": f"{server.url}/rest/{OPEN_PMC}/fullTextXML",
                         "file": "r1.xml", "bytes": len(app.xml), "sha256": hashlib.sha256(app.xml).hexdigest(),
                         "checked": NOW}
    assert log["r2"]["outcome"] == "not_open_access" and log["r2"]["pmcid"] == CLOSED_PMC
    assert log["r3"]["outcome"] == "not_in_europepmc" and log["r4"]["outcome"] == "no_doi_or_pmcid"
    # The saved file is what the readers take for this report.
    assert read_article(tmp_path / "r1.xml").format == "jats"


def test_a_pmcid_on_the_record_needs_no_search(tmp_path: Path, server: ReplayServer, app: EuropePmcApp):
    row = {**queue_row("r1"), "pmcid": OPEN_PMC.lower()}
    s = fetch_xml([row], tmp_path, _epmc(server), now=lambda: NOW)
    assert s.outcomes == {"saved": 1}
    assert [r.path for r in server.requests] == [f"/rest/{OPEN_PMC}/fullTextXML"]
    assert next(iter_jsonl(tmp_path / "europepmc-log.jsonl"))["pmcid_from"] == "record"


def test_reports_with_a_full_text_are_not_looked_up(tmp_path: Path, server: ReplayServer, app: EuropePmcApp):
    (tmp_path / "r1.pdf").write_bytes(PDF)
    s = fetch_xml([queue_row("r1", OPEN)], tmp_path, _epmc(server), now=lambda: NOW)
    assert (s.tried, s.had_fulltext) == (0, 1) and server.requests == []


@pytest.mark.parametrize("reply, why", [
    (Reply(200, b"<!DOCTYPE html><html><head><title>Europe PMC</title></head><body>Sign in</body></html>",
           "text/html"), "HTML page"),
    (Reply(200, b'<?xml version="1.0"?><!DOCTYPE article [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
                b"<article><body><p>&b;</p></body></article>", "application/xml"), "declares its own entities"),
    (Reply(200, b'<?xml version="1.0"?><responseWrapper><error>none</error></responseWrapper>', "application/xml"),
     "not a JATS <article>"),
])
def test_an_answer_that_is_not_a_jats_article_is_never_saved(tmp_path: Path, server: ReplayServer,
                                                             app: EuropePmcApp, reply: Reply, why: str):
    server.fault(reply, when=lambda r: r.path.endswith("/fullTextXML"))
    s = fetch_xml([queue_row("r1", OPEN)], tmp_path, _epmc(server), now=lambda: NOW)
    assert s.outcomes == {"not_jats": 1} and not (tmp_path / "r1.xml").exists()
    assert why in next(iter_jsonl(tmp_path / "europepmc-log.jsonl"))["error"]


def test_429_5xx_timeouts_and_cut_bodies_are_asked_again(tmp_path: Path, server: ReplayServer, app: EuropePmcApp):
    server.fault(Reply(429, b'{"error": "too many requests"}', headers={"Retry-After": "2"}),
                 when=lambda r: r.path == "/rest/search")
    server.fault(Reply(503, b"<html>Service Unavailable</html>", "text/html"),
                 when=lambda r: r.path.endswith("/fullTextXML"))
    server.fault(Reply(200, app.xml, "application/xml", truncate_to=len(app.xml) // 2),
                 when=lambda r: r.path.endswith("/fullTextXML"))
    server.fault(Reply(200, app.xml, "application/xml", delay=1.5), when=lambda r: r.path.endswith("/fullTextXML"))
    epmc = _epmc(server, timeout=(0.5, 0.5), attempts=5)
    s = fetch_xml([queue_row("r1", OPEN)], tmp_path, epmc, now=lambda: NOW)
    assert s.outcomes == {"saved": 1} and (tmp_path / "r1.xml").read_bytes() == app.xml
    assert epmc.client.waits[0] == 2.0
    assert len(_xml_requests(server)) == 4


def test_a_body_always_cut_stops_the_run_keeping_the_log_and_files(tmp_path: Path, server: ReplayServer,
                                                                   app: EuropePmcApp):
    server.fault(Reply(200, app.xml, "application/xml", truncate_to=1000),
                 when=lambda r: r.path.endswith(f"{OPEN_PMC}/fullTextXML"), times=99)
    queue = [{**queue_row("r0"), "pmcid": CLOSED_PMC}, queue_row("r1", OPEN)]
    with pytest.raises(SourceError, match="Europe PMC lookup for record r1 failed"):
        fetch_xml(queue, tmp_path, _epmc(server), now=lambda: NOW)
    assert [e["outcome"] for e in iter_jsonl(tmp_path / "europepmc-log.jsonl")] == ["not_open_access"]
    assert not (tmp_path / "r1.xml").exists()


def test_cli_fetch_from_europepmc_only(tmp_path: Path, server: ReplayServer, app: EuropePmcApp, capsys):
    queue = tmp_path / "retrieval.queue.jsonl"
    write_jsonl(queue, [queue_row("r1", OPEN), queue_row("r3", NO_PMC)])
    folder = tmp_path / "fulltext"
    assert main(["fulltext", "fetch", "--queue", str(queue), "--folder", str(folder), "--source", "europepmc",
                 "--europepmc-url", f"{server.url}/rest"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out == {"europepmc": {"tried": 2, "had_fulltext": 0, "saved": 1, "not_in_europepmc": 1,
                                 "not_open_access": 0, "not_jats": 0, "no_doi_or_pmcid": 0}}
    assert main(["fulltext", "match", "--queue", str(queue), "--folder", str(folder), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["files"] == {"r1": str(folder / "r1.xml")}
