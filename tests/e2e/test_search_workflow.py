"""The workflow runs every configured API source against a loopback replay server of the real responses.

PubMed, Europe PMC, OpenAlex and Crossref are configured as databases with `base_url` pointing at one
local server; the run writes snapshots and PRISMA-S logs, the counts and diagram show each database, and a
rerun with the server gone replays the snapshots to byte-identical results.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from tests.e2e.test_workflow import make_project, result_files, snakemake
from tests.sources.conftest import CrossrefApp, EuropePMCApp, OpenAlexApp, PubMedApp, ReplayServer, Reply, Req

pytestmark = pytest.mark.e2e

QUERIES = {
    "pubmed": {"source": "pubmed", "query": "peer support[tiab] AND harm reduction[tiab]"},
    "europepmc": {"source": "europepmc", "query": '"peer support" AND "harm reduction"'},
    "openalex": {"source": "openalex", "query": "peer support harm reduction",
                 "filters": "publication_year:2000-2022"},
    "crossref": {"source": "crossref", "query": "peer support harm reduction"},
}


# Up to the PRISMA counts and diagram: what the searches feed (the rest of the review waits for people).
TARGET = "results/prisma/flow.svg"


class Router:
    """One server, one app per source under /<source>/ (each app sees paths as its API serves them)."""

    def __init__(self) -> None:
        self.apps = {"pubmed": PubMedApp(), "europepmc": EuropePMCApp(), "openalex": OpenAlexApp(),
                     "crossref": CrossrefApp()}

    def __call__(self, req: Req) -> Reply:
        _, source, *rest = req.path.split("/", 2)
        app = self.apps.get(source)
        if app is None:
            return Reply(404, b"no such source", "text/plain")
        return app(replace(req, path="/" + (rest[0] if rest else "")))


def run(root: Path, *args: str) -> str:
    # A proxy from the environment must not intercept loopback requests.
    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.lower().endswith("_proxy")}
    try:
        proc = snakemake(root, "--profile", "profiles/default", *args)
    finally:
        os.environ.update(saved)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    return out


@pytest.fixture(scope="module")
def searched(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("api") / "review", demo=False)
    server = ReplayServer()
    server.app = Router()
    try:
        cfg = yaml.safe_load((root / "config/config.yaml").read_text(encoding="utf-8"))
        cfg["databases"] = [{"id": k, "name": f"{k} (replay)", "platform": "API",
                             "search": {**q, "base_url": f"{server.url}/{k}"}} for k, q in QUERIES.items()]
        cfg["paths"]["snapshots"] = "snapshots"
        (root / "config/config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
        run(root, TARGET)
    finally:
        server.stop()
    assert server.requests, "the workflow never asked the replay server"
    return root


def test_every_source_searched_with_snapshot_and_prisma_s_log(searched: Path) -> None:
    counts = json.loads((searched / "results/prisma/counts.json").read_text(encoding="utf-8"))
    expected = {"pubmed": 5, "europepmc": 25, "openalex": 25, "crossref": 40}
    assert counts["identified"] == expected
    for db, n in expected.items():
        log = json.loads((searched / f"results/search/{db}.prisma-s.json").read_text(encoding="utf-8"))
        assert (log["reported"], log["retrieved"], log["shortfall"], log["shortfall_allowed"]) == (n, n, 0, False)
        assert log["query"] == QUERIES[db]["query"] and log["searched_at"].endswith("Z")
        assert log["query_sent"].startswith("http://127.0.0.1:")
        snaps = list((searched / "snapshots" / db).glob("*/state.json"))
        assert len(snaps) == 1
        state = json.loads(snaps[0].read_text(encoding="utf-8"))
        assert state["done"] and state["reported"] == n
        assert (snaps[0].parent / "search_log.json").is_file()
        assert all(p.name.endswith(".gz") for p in snaps[0].parent.iterdir() if p.name[:5].isdigit())
        # split on newlines only: titles may hold U+2028, which str.splitlines() also splits on
        records = (searched / f"results/import/{db}.jsonl").read_text(encoding="utf-8").rstrip("\n").split("\n")
        assert len(records) == n
    svg = (searched / "results/prisma/flow.svg").read_text(encoding="utf-8")
    for db, n in expected.items():
        assert f"{db} (replay) (n = {n})" in svg


def test_rerun_without_the_server_replays_byte_for_byte(searched: Path) -> None:
    before = {k: p.read_bytes() for k, p in result_files(searched).items()}
    out = run(searched, TARGET, "--forceall")
    assert "search_api" in out  # searched again: replayed, since the server is gone
    after = {k: p.read_bytes() for k, p in result_files(searched).items()}
    assert after.keys() == before.keys()
    changed = [k for k in before if before[k] != after[k]]
    assert changed == []
    for db in QUERIES:
        assert len(list((searched / "snapshots" / db).iterdir())) == 1


def test_offline_without_a_snapshot_fails_with_one_clear_line(tmp_path: Path) -> None:
    root = make_project(tmp_path / "offline", demo=False)
    cfg = yaml.safe_load((root / "config/config.yaml").read_text(encoding="utf-8"))
    cfg["databases"] = [{"id": "openalex", "name": "OpenAlex", "search": QUERIES["openalex"]}]
    cfg["searches"] = {"offline": True}
    (root / "config/config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    proc = snakemake(root, "--profile", "profiles/default", "results/import/openalex.jsonl")
    assert proc.returncode != 0
    assert "openalex: no complete snapshot of this search" in proc.stderr + proc.stdout


def test_search_interrupted_halfway_resumes_in_the_next_run(tmp_path: Path) -> None:
    """The stage fails on page 3 of 3; the next run asks only for page 3 and ends with every record once."""
    root = make_project(tmp_path / "resume", demo=False)
    server = ReplayServer()
    server.app = Router()
    try:
        cfg = yaml.safe_load((root / "config/config.yaml").read_text(encoding="utf-8"))
        cfg["databases"] = [{"id": "openalex", "name": "OpenAlex", "platform": "API",
                             "search": {**QUERIES["openalex"], "base_url": f"{server.url}/openalex"}}]
        cfg["citation_chasing"] = {"enabled": False}
        cfg["paths"]["snapshots"] = "snapshots"
        (root / "config/config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
        server.fault(Reply(400, b'{"error": "simulated failure"}'), when=lambda r: r.query.get("cursor") == "c20")
        proc = snakemake(root, "--profile", "profiles/default", "results/import/openalex.jsonl")
        assert proc.returncode != 0
        state = json.loads(next((root / "snapshots/openalex").glob("*/state.json")).read_text(encoding="utf-8"))
        assert not state["done"] and len(state["pages"]) == 2
        asked = len(server.requests)
        run(root, "results/import/openalex.jsonl")
        again = [r.query.get("cursor") for r in server.requests[asked:]]
    finally:
        server.stop()
    assert again == ["c20"]
    lines = (root / "results/import/openalex.jsonl").read_text(encoding="utf-8").rstrip("\n").split("\n")
    ids = [json.loads(x)["id"] for x in lines]
    assert len(ids) == len(set(ids)) == 25
    log = json.loads((root / "results/search/openalex.prisma-s.json").read_text(encoding="utf-8"))
    assert (log["reported"], log["retrieved"], log["resumed"]) == (25, 25, 1)
