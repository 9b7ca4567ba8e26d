"""Snapshots end to end: resume after interruption, replay without network, refresh, and the `search` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewflow.cli import main
from reviewflow.errors import SourceError
from reviewflow.fsio import iter_jsonl
from reviewflow.sources.crossref import Crossref
from reviewflow.sources.openalex import OpenAlex
from reviewflow.sources.search import run_search
from tests.sources.conftest import CrossrefApp, OpenAlexApp, ReplayServer, Reply, fast_client


def interrupt_at(server: ReplayServer, key: str, value: str) -> None:
    """A 400 on one page: a failure retries cannot fix, so the search stops halfway."""
    server.fault(Reply(400, b'{"error": "interrupted"}'), when=lambda r: r.query.get(key) == value)


def test_interrupted_search_resumes_without_loss_or_duplicates(server: ReplayServer, tmp_path: Path) -> None:
    server.app = OpenAlexApp(size=10)
    clean = run_search(OpenAlex("x", base_url=server.url), tmp_path / "clean", client=fast_client())
    interrupt_at(server, "cursor", "c20")
    with pytest.raises(SourceError, match="HTTP 400"):
        run_search(OpenAlex("x", base_url=server.url), tmp_path / "snaps", client=fast_client())
    server.requests.clear()
    res = run_search(OpenAlex("x", base_url=server.url), tmp_path / "snaps", client=fast_client())
    assert res.mode == "resumed"
    assert [r.query["cursor"] for r in server.requests] == ["c20"]  # continues from the stored cursor
    assert [r.id for r in res.records] == [r.id for r in clean.records]
    assert (res.reported, res.retrieved) == (25, 25) and res.log["resumed"] == 1
    assert len(list((tmp_path / "snaps" / "openalex").iterdir())) == 1


def test_stateful_cursor_in_flight_restarts_cleanly(server: ReplayServer, tmp_path: Path) -> None:
    app = CrossrefApp()
    server.app = app
    interrupt_at(server, "cursor", app.cursor)
    src = Crossref("widget", base_url=server.url)
    with pytest.raises(SourceError):
        run_search(src, tmp_path, client=fast_client())
    res = run_search(src, tmp_path, client=fast_client())
    assert (res.reported, res.retrieved, res.mode) == (40, 40, "resumed")
    assert len({r.id for r in res.records}) == 40
    assert sum(p["kind"] == "discarded" for p in res.snapshot.pages) == 1


def test_replay_never_touches_the_network(server: ReplayServer, tmp_path: Path) -> None:
    server.app = OpenAlexApp(size=10)
    first = run_search(OpenAlex("x", base_url=server.url), tmp_path, client=fast_client())
    url = server.url
    server.stop()
    again = run_search(OpenAlex("x", base_url=url), tmp_path, offline=True)
    assert again.mode == "replay"
    assert [r.to_dict() for r in again.records] == [r.to_dict() for r in first.records]
    assert again.log == first.log
    with pytest.raises(SourceError, match="no complete snapshot"):
        run_search(OpenAlex("another query", base_url=url), tmp_path, offline=True)


def test_changed_snapshot_is_refused(server: ReplayServer, tmp_path: Path) -> None:
    server.app = OpenAlexApp(size=10)
    res = run_search(OpenAlex("x", base_url=server.url), tmp_path, client=fast_client())
    page = res.snapshot.dir / res.snapshot.pages[0]["file"]
    import gzip

    page.write_bytes(gzip.compress(gzip.decompress(page.read_bytes()).replace(b"Problem", b"Pr0blem")))
    with pytest.raises(SourceError, match="does not match the hash"):
        run_search(OpenAlex("x", base_url=server.url), tmp_path, offline=True)


def search_cli(server_url: str, out: Path, *extra: str) -> list[str]:
    return ["search", "--source", "openalex", "--query", "peer work", "--base-url", server_url,
            "--email", "me@uni.example", "-o", str(out), *extra]


def test_search_command_writes_records_log_and_snapshot(server: ReplayServer, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    server.app = OpenAlexApp(size=10)
    out = tmp_path / "results" / "openalex.jsonl"
    assert main(search_cli(server.url, out)) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert json.loads(last) == {"reported": 25, "retrieved": 25}
    rows = list(iter_jsonl(out))
    assert len(rows) == 25 and rows[0]["provenance"]["source"] == "openalex"
    log = json.loads((tmp_path / "results" / "openalex.prisma-s.json").read_text())
    for key in ("database", "interface", "query", "filters", "limits", "searched_at", "reported", "retrieved",
                "reviewflow_version", "query_sent"):
        assert key in log
    assert log["query"] == "peer work" and log["searched_at"].endswith("Z")
    snap = Path(log["snapshot_dir"])
    assert snap.parent == tmp_path / "results" / "snapshots" / "openalex"
    records_before = out.read_bytes()
    log_before = (tmp_path / "results" / "openalex.prisma-s.json").read_bytes()
    # Rerun with the server gone: the snapshot is replayed and the outputs are identical, byte for byte.
    url = server.url
    server.stop()
    assert main(search_cli(url, out)) == 0
    assert out.read_bytes() == records_before
    assert (tmp_path / "results" / "openalex.prisma-s.json").read_bytes() == log_before
    for f in (tmp_path / "results").rglob("*"):
        if f.is_file() and f.suffix in (".json", ".jsonl"):
            assert "uni.example" not in f.read_text()


def test_shortfall_fails_unless_allowed(server: ReplayServer, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    app = OpenAlexApp(size=10)
    app.count = 30
    server.app = app
    out = tmp_path / "oa.jsonl"
    assert main(search_cli(server.url, out)) == 1
    captured = capsys.readouterr()
    assert "retrieved 25 of 30" in captured.err
    assert json.loads(captured.out.strip().splitlines()[-1]) == {"reported": 30, "retrieved": 25}
    assert not out.exists()
    assert main(search_cli(server.url, out, "--allow-shortfall")) == 0  # replayed, now accepted
    log = json.loads((tmp_path / "oa.prisma-s.json").read_text())
    assert log["shortfall"] == 5 and log["shortfall_allowed"] is True


def test_refresh_keeps_the_old_snapshot_and_reports_changes(server: ReplayServer, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    app = OpenAlexApp(size=10)
    server.app = app
    out = tmp_path / "oa.jsonl"
    assert main(search_cli(server.url, out)) == 0
    works = app.works
    app.works = works[2:] + [{**works[0], "id": "https://openalex.org/W999"}]
    capsys.readouterr()
    assert main(search_cli(server.url, out, "--refresh")) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert json.loads(lines[-2]) == {"new": 1, "gone": 2, "previous": json.loads(lines[-2])["previous"]}
    assert json.loads(lines[-1]) == {"reported": 24, "retrieved": 24}
    snaps = sorted((tmp_path / "snapshots" / "openalex").iterdir())
    assert len(snaps) == 2
    changes = json.loads((snaps[-1] / "changes.json").read_text())
    assert changes["new"] == ["W999"] and len(changes["gone"]) == 2


def test_unknown_filter_use_is_a_user_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["search", "--source", "pubmed", "--query", "x", "--filter", "y", "-o", str(tmp_path / "o.jsonl")]
    assert main(argv) == 2
    assert "put limits in the query" in capsys.readouterr().err


def test_expired_server_cursor_on_resume_starts_again(server: ReplayServer, tmp_path: Path) -> None:
    app = CrossrefApp()
    server.app = app
    src = Crossref("widget", base_url=server.url)
    src.page_size = 20
    interrupt_at(server, "cursor", app.cursor)
    with pytest.raises(SourceError):
        run_search(src, tmp_path, client=fast_client())
    snap = next((tmp_path / "crossref").iterdir())
    state = json.loads((snap / "state.json").read_text())
    state["progress"]["in_flight"] = False  # stopped between pages, not during a request
    (snap / "state.json").write_text(json.dumps(state))
    app.cursor = "a-new-scroll"  # the old cursor has expired: the server answers 404 cursor-invalid
    app.pages[0]["message"]["next-cursor"] = app.pages[1]["message"]["next-cursor"] = "a-new-scroll"
    res = run_search(src, tmp_path, client=fast_client())
    assert (res.retrieved, len({r.id for r in res.records})) == (40, 40)
