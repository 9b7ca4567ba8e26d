"""Open-access PDFs through Unpaywall, against a loopback server that answers in Unpaywall's format."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from urllib.parse import unquote

import pytest

from reviewflow.cli import main
from reviewflow.errors import ConfigError, SourceError
from reviewflow.fsio import iter_jsonl, write_jsonl
from reviewflow.fulltext.unpaywall import Unpaywall, fetch_open_access, pdf_locations, resolve_email
from tests.fulltext.conftest import DATA, PDF, pdf, queue_row
from tests.sources.conftest import ReplayServer, Reply, fast_client

EMAIL = "reviewer.private@uni.example"
NOW = "2024-06-01T12:00:00Z"
GOLD, GREEN, CLOSED, LANDING, UNKNOWN = ("10.5555/rf.peer.2019.001", "10.5555/rf.peer.2020.002",
                                         "10.5555/rf.peer.2018.003", "10.5555/rf.peer.2021.004",
                                         "10.5555/rf.unknown.999")
FIXTURES = {GOLD: "unpaywall_gold.json", GREEN: "unpaywall_green.json", CLOSED: "unpaywall_closed.json",
            LANDING: "unpaywall_landing_only.json"}


class UnpaywallApp:
    """/v2/<doi> from tests/fulltext/data; the PDF hosts the responses point to."""

    def __init__(self, server: ReplayServer) -> None:
        self.server = server
        self.files = {"/pdf/gold.pdf": Reply(200, pdf("gold"), "application/pdf"),
                      "/pdf/gold-pmc.pdf": Reply(200, pdf("gold-pmc"), "application/pdf"),
                      "/repo/landing-then-html.pdf": Reply(200, b"<!DOCTYPE html><html><head><title>Repository"
                                                           b"</title></head><body>Download</body></html>",
                                                           "text/html; charset=utf-8"),
                      "/europepmc/green.pdf": Reply(200, pdf("green"), "application/octet-stream")}

    def __call__(self, req) -> Reply:
        path = unquote(req.path)
        if path.startswith("/v2/"):
            name = FIXTURES.get(path[len("/v2/"):])
            if name is None:
                return Reply(404, (DATA / "unpaywall_404.json").read_bytes())
            text = (DATA / name).read_text(encoding="utf-8").replace("__SERVER__", self.server.url)
            return Reply(200, text.encode(), "application/json")
        return self.files.get(path, Reply(404, b"<html><body>Not found</body></html>", "text/html"))


@pytest.fixture
def app(server: ReplayServer) -> UnpaywallApp:
    server.app = UnpaywallApp(server)
    return server.app


def _unpaywall(server: ReplayServer) -> Unpaywall:
    return Unpaywall(EMAIL, base_url=f"{server.url}/v2", client=fast_client())


def _lookups(server: ReplayServer) -> list:
    return [r for r in server.requests if r.path.startswith("/v2/")]


def test_fixtures_are_in_unpaywalls_documented_format() -> None:
    for name in FIXTURES.values():
        data = json.loads((DATA / name).read_text(encoding="utf-8"))
        assert {"doi", "is_oa", "oa_status", "best_oa_location", "oa_locations", "title", "year", "journal_name",
                "genre", "updated"} <= data.keys()
        for loc in [data["best_oa_location"], *data["oa_locations"]]:
            if loc is not None:
                assert {"url", "url_for_pdf", "url_for_landing_page", "host_type", "license", "version",
                        "evidence"} <= loc.keys()
                assert loc["host_type"] in ("publisher", "repository")
                assert loc["version"] in ("submittedVersion", "acceptedVersion", "publishedVersion")
    green = json.loads((DATA / "unpaywall_green.json").read_text(encoding="utf-8"))
    assert [loc["url_for_pdf"] for loc in pdf_locations(green)] == [
        "__SERVER__/repo/landing-then-html.pdf", "__SERVER__/europepmc/green.pdf"]


def test_fetch_saves_open_access_pdfs_and_logs_every_report(tmp_path: Path, server: ReplayServer,
                                                            app: UnpaywallApp, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    folder = tmp_path / "fulltext"
    folder.mkdir()
    (folder / "10.1000_have.pdf").write_bytes(PDF)    # already retrieved by the team (named by DOI)
    queue = [queue_row("r1", GOLD), queue_row("r2", GREEN), queue_row("r3", CLOSED), queue_row("r4", LANDING),
             queue_row("r5", UNKNOWN), queue_row("r6"), queue_row("r7", "10.1000/have")]
    up = _unpaywall(server)
    summary = fetch_open_access(queue, folder, up, now=lambda: NOW)
    assert summary.as_dict() == {"tried": 6, "had_fulltext": 1, "saved": 2, "not_oa": 1, "no_pdf": 1,
                                 "not_in_unpaywall": 1, "no_doi": 1}
    assert (folder / "r1.pdf").read_bytes() == pdf("gold")
    assert (folder / "r2.pdf").read_bytes() == pdf("green")
    assert sorted(p.name for p in folder.iterdir()) == ["10.1000_have.pdf", "r1.pdf", "r2.pdf",
                                                        "unpaywall-log.jsonl"]
    log = {e["record_id"]: e for e in iter_jsonl(folder / "unpaywall-log.jsonl")}
    assert sorted(log) == ["r1", "r2", "r3", "r4", "r5", "r6"]
    url = server.url
    assert log["r1"] == {"record_id": "r1", "doi": GOLD, "outcome": "saved", "is_oa": True, "oa_status": "gold",
                         "host_type": "publisher", "license": "cc-by", "version": "publishedVersion",
                         "evidence": "open (via page says license)", "url": f"{url}/pdf/gold.pdf",
                         "landing_page": f"https://doi.org/{GOLD}", "file": "r1.pdf", "bytes": len(pdf("gold")),
                         "sha256": __import__("hashlib").sha256(pdf("gold")).hexdigest(), "failed": [],
                         "checked": NOW}
    # The best location's PDF link gave an HTML page: not a PDF, not asked again; the next location had it.
    assert log["r2"]["outcome"] == "saved" and log["r2"]["url"] == f"{url}/europepmc/green.pdf"
    assert (log["r2"]["host_type"], log["r2"]["license"], log["r2"]["version"]) == (
        "repository", "cc-by-nc-nd", "acceptedVersion")
    assert log["r2"]["failed"] == [{"url": f"{url}/repo/landing-then-html.pdf",
                                    "error": "an HTML page, not a PDF (content type text/html)"}]
    assert sum(r.path == "/repo/landing-then-html.pdf" for r in server.requests) == 1
    assert log["r3"] == {"record_id": "r3", "doi": CLOSED, "outcome": "not_oa", "is_oa": False,
                         "oa_status": "closed", "checked": NOW}
    assert log["r4"]["outcome"] == "no_pdf" and log["r4"]["oa_status"] == "bronze"
    assert log["r4"]["landing_page"] == f"{url}/article/4" and log["r4"]["failed"] == []
    assert log["r5"] == {"record_id": "r5", "doi": UNKNOWN, "outcome": "not_in_unpaywall", "checked": NOW}
    assert log["r6"] == {"record_id": "r6", "doi": "", "outcome": "no_doi", "checked": NOW}
    # Every lookup carried the e-mail; the e-mail is nowhere in what we wrote or logged.
    lookups = _lookups(server)
    assert sorted(unquote(r.path) for r in lookups) == sorted(f"/v2/{d}" for d in (GOLD, GREEN, CLOSED, LANDING,
                                                                                  UNKNOWN))
    assert all(r.query == {"email": EMAIL} for r in lookups)
    assert all("email" not in r.query for r in server.requests if not r.path.startswith("/v2/"))
    assert EMAIL not in (folder / "unpaywall-log.jsonl").read_text(encoding="utf-8")
    assert "uni.example" not in caplog.text


def test_rerun_skips_what_is_there_and_keeps_the_log(tmp_path: Path, server: ReplayServer, app: UnpaywallApp) -> None:
    queue = [queue_row("r1", GOLD), queue_row("r3", CLOSED)]
    fetch_open_access(queue, tmp_path, _unpaywall(server), now=lambda: NOW)
    n = len(server.requests)
    summary = fetch_open_access(queue, tmp_path, _unpaywall(server), now=lambda: "2024-07-01T00:00:00Z")
    assert summary.as_dict()["had_fulltext"] == 1 and summary.tried == 1
    assert [unquote(r.path) for r in server.requests[n:]] == [f"/v2/{CLOSED}"]
    log = {e["record_id"]: e for e in iter_jsonl(tmp_path / "unpaywall-log.jsonl")}
    assert (log["r1"]["outcome"], log["r1"]["checked"]) == ("saved", NOW)
    assert log["r3"]["checked"] == "2024-07-01T00:00:00Z"


def test_429_with_retry_after_and_500_are_retried(tmp_path: Path, server: ReplayServer, app: UnpaywallApp) -> None:
    server.fault(Reply(429, b'{"error": "too many requests"}', headers={"Retry-After": "3"}),
                 when=lambda r: r.path.startswith("/v2/"))
    server.fault(Reply(500, b"<html><body>Internal Server Error</body></html>", "text/html"),
                 when=lambda r: r.path.startswith("/v2/"), times=2)
    up = _unpaywall(server)
    summary = fetch_open_access([queue_row("r1", GOLD)], tmp_path, up, now=lambda: NOW)
    assert summary.outcomes == {"saved": 1}
    assert len(_lookups(server)) == 4
    assert up.client.waits[0] == 3.0 and len(up.client.waits) == 3


def test_truncated_pdfs_are_fetched_again_then_given_up(tmp_path: Path, server: ReplayServer,
                                                        app: UnpaywallApp) -> None:
    gold = pdf("gold")
    # Cut off with the full Content-Length announced (a broken connection), then without one (no %%EOF).
    server.fault(Reply(200, gold, "application/pdf", truncate_to=30), when=lambda r: r.path == "/pdf/gold.pdf")
    server.fault(Reply(200, gold[:40], "application/pdf"), when=lambda r: r.path == "/pdf/gold.pdf")
    up = _unpaywall(server)
    fetch_open_access([queue_row("r1", GOLD)], tmp_path, up, now=lambda: NOW)
    assert (tmp_path / "r1.pdf").read_bytes() == gold
    assert sum(r.path == "/pdf/gold.pdf" for r in server.requests) == 3
    # Always cut short: the client gives up on that location and the next one's PDF is saved.
    server.fault(Reply(200, gold[:40], "application/pdf"), when=lambda r: r.path == "/pdf/gold.pdf", times=10)
    fetch_open_access([queue_row("r9", GOLD)], tmp_path, _unpaywall(server), now=lambda: NOW)
    log = {e["record_id"]: e for e in iter_jsonl(tmp_path / "unpaywall-log.jsonl")}
    assert log["r9"]["outcome"] == "saved" and log["r9"]["host_type"] == "repository"
    assert (tmp_path / "r9.pdf").read_bytes() == pdf("gold-pmc")
    [failed] = log["r9"]["failed"]
    assert failed["url"].endswith("/pdf/gold.pdf")
    assert "gave up after 4 attempts: truncated PDF (no %%EOF at the end; 40 bytes)" in failed["error"]


def test_unpaywall_failing_stops_the_run_after_writing_the_log(tmp_path: Path, server: ReplayServer,
                                                               app: UnpaywallApp) -> None:
    server.fault(Reply(500, b"<html><body>oops</body></html>", "text/html"),
                 when=lambda r: unquote(r.path) == f"/v2/{CLOSED}", times=10)
    queue = [queue_row("r1", GOLD), queue_row("r3", CLOSED), queue_row("r4", LANDING)]
    with pytest.raises(SourceError) as err:
        fetch_open_access(queue, tmp_path, _unpaywall(server), now=lambda: NOW)
    msg = str(err.value)
    assert msg.startswith(f"Unpaywall lookup of {CLOSED} (record r3) failed: ")
    assert "gave up after 4 attempts: HTTP 500" in msg and "email=REDACTED" in msg and EMAIL not in msg
    assert (tmp_path / "r1.pdf").exists()
    assert [e["record_id"] for e in iter_jsonl(tmp_path / "unpaywall-log.jsonl")] == ["r1"]
    assert not any(unquote(r.path) == f"/v2/{LANDING}" for r in server.requests)


def test_a_refused_email_is_a_clear_error(tmp_path: Path, server: ReplayServer) -> None:
    server.app = lambda req: Reply(422, json.dumps({"HTTP_status_code": 422, "error": True, "message":
                                                    f"Please use your own email address in API calls: {EMAIL}"})
                                   .encode())
    with pytest.raises(SourceError, match="Unpaywall refused the request \\(HTTP 422\\): check the contact") as err:
        fetch_open_access([queue_row("r1", GOLD)], tmp_path, _unpaywall(server), now=lambda: NOW)
    assert EMAIL not in str(err.value)


def test_email_from_argument_environment_or_config() -> None:
    cfg = {"retrieval": {"unpaywall_email": "cfg@uni.example"}}
    assert resolve_email("arg@uni.example", cfg, {"UNPAYWALL_EMAIL": "env@uni.example"}) == "arg@uni.example"
    assert resolve_email(None, cfg, {"REVIEWFLOW_MAILTO": "m@uni.example", "UNPAYWALL_EMAIL": "u@uni.example"}) \
        == "u@uni.example"
    assert resolve_email(None, cfg, {"REVIEWFLOW_MAILTO": "m@uni.example"}) == "m@uni.example"
    assert resolve_email(None, cfg, {}) == "cfg@uni.example"
    with pytest.raises(ConfigError, match="Unpaywall needs a contact e-mail address"):
        resolve_email(None, {}, {})


def test_cli_fetch_and_match(tmp_path: Path, server: ReplayServer, app: UnpaywallApp, monkeypatch, capsys) -> None:
    queue = tmp_path / "retrieval.queue.jsonl"
    write_jsonl(queue, [queue_row("r1", GOLD), queue_row("r3", CLOSED)])
    folder = tmp_path / "fulltext"
    for k in ("UNPAYWALL_EMAIL", "REVIEWFLOW_MAILTO"):
        monkeypatch.delenv(k, raising=False)
    assert main(["-C", str(tmp_path), "fulltext", "fetch", "--queue", str(queue), "--folder", str(folder),
                 "--source", "unpaywall", "--base-url", f"{server.url}/v2"]) == 2
    err = capsys.readouterr().err
    assert err.strip().endswith("Unpaywall needs a contact e-mail address: give --email, or set UNPAYWALL_EMAIL "
                                "or REVIEWFLOW_MAILTO, or retrieval.unpaywall_email in the config")
    monkeypatch.setenv("UNPAYWALL_EMAIL", EMAIL)
    assert main(["fulltext", "fetch", "--queue", str(queue), "--folder", str(folder), "--source", "unpaywall",
                 "--base-url", f"{server.url}/v2", "-v"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out.strip().splitlines()[-1]) == {"tried": 2, "had_fulltext": 0, "saved": 1, "not_oa": 1,
                                                        "no_pdf": 0, "not_in_unpaywall": 0, "no_doi": 0}
    assert EMAIL not in out + err and "uni.example" not in out + err
    assert (folder / "r1.pdf").read_bytes() == pdf("gold")
    assert main(["fulltext", "match", "--queue", str(queue), "--folder", str(folder), "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["files"] == {"r1": str(folder / "r1.pdf")} and res["messages"] == []
    assert (res["sought"], res["with_fulltext"]) == (2, 1)


def test_limit_bounds_the_lookups(tmp_path: Path, server: ReplayServer, app: UnpaywallApp) -> None:
    (tmp_path / "r0.pdf").write_bytes(PDF)
    queue = [queue_row("r1", CLOSED), queue_row("r0", GOLD), queue_row("r2", LANDING), queue_row("r3", GREEN)]
    summary = fetch_open_access(queue, tmp_path, _unpaywall(server), limit=1, now=lambda: NOW)
    assert summary.as_dict() == {"tried": 1, "had_fulltext": 1, "saved": 0, "not_oa": 1, "no_pdf": 0,
                                 "not_in_unpaywall": 0, "no_doi": 0}
    assert [unquote(r.path) for r in server.requests] == [f"/v2/{CLOSED}"]
