"""A loopback HTTP server that replays the real API responses in ../shared/fixtures/api and injects faults."""

from __future__ import annotations

import copy
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from reviewflow.sources.http import HttpClient
from tests.conftest import SHARED, need

API = SHARED / "fixtures" / "api"


def fixture_path(name: str) -> Path:
    return need(API / name, f"API fixture {name}")


def load_fixture(name: str) -> Any:
    return json.loads(fixture_path(name).read_text(encoding="utf-8"))


@dataclass
class Req:
    method: str
    path: str
    query: dict[str, str]
    raw_url: str
    body: str


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    truncate_to: int | None = None      # send only this many bytes of the body
    keep_length: bool = True            # with truncate_to: announce the full Content-Length (else none)


def as_json(obj: Any, status: int = 200) -> Reply:
    return Reply(status, json.dumps(obj).encode())


class ReplayServer:
    """Routes requests to `app(req) -> Reply`; queued faults replace the next matching responses."""

    def __init__(self) -> None:
        self.app: Callable[[Req], Reply] = lambda req: Reply(404, b"no app")
        self.faults: list[tuple[Callable[[Req], bool], Reply]] = []
        self.requests: list[Req] = []
        self.lock = threading.Lock()
        self.stopped = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                if body:
                    query.update({k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()})
                req = Req(method, parts.path, query, self.path, body)
                with server.lock:
                    server.requests.append(req)
                    fault = next((f for f in server.faults if f[0](req)), None)
                    if fault:
                        server.faults.remove(fault)
                reply = fault[1] if fault else server.app(req)
                if reply.delay:
                    time.sleep(reply.delay)
                data = reply.body
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    if reply.truncate_to is not None:
                        if reply.keep_length:
                            self.send_header("Content-Length", str(len(data)))
                        self.send_header("Connection", "close")
                        self.end_headers()
                        self.wfile.write(data[:reply.truncate_to])
                        self.close_connection = True
                        return
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self) -> None:  # noqa: N802
                self._handle("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._handle("POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def fault(self, reply: Reply, when: Callable[[Req], bool] = lambda r: True, times: int = 1) -> None:
        with self.lock:
            self.faults += [(when, reply)] * times

    def stop(self) -> None:
        if not self.stopped:
            self.stopped = True
            self.httpd.shutdown()
            self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    s = ReplayServer()
    yield s
    s.stop()


def fast_client(**kw: Any) -> HttpClient:
    """Our client with no waiting: retries immediately (the waits asked for are recorded)."""
    session = requests.Session()
    session.trust_env = False  # a proxy from the environment must not intercept loopback
    waits: list[float] = []
    opts = {"requests_per_second": 0, "attempts": 4, "backoff": 0.0, "timeout": (2.0, 2.0),
            "sleep": waits.append, "session": session, **kw}
    client = HttpClient(**opts)
    client.waits = waits  # type: ignore[attr-defined]
    return client


# ---- apps: the real fixture responses, paged the way each API pages ----

class OpenAlexApp:
    """/works over the 25 works of openalex_works-cursor_3.json, `size` per page, cursors c<offset>."""

    def __init__(self, size: int = 10, works: list[dict] | None = None) -> None:
        self.base = load_fixture("openalex_works-cursor_3.json")
        self.works = works if works is not None else self.base["results"]
        self.size = size
        self.count: int | None = None  # override the reported count

    def page(self, offset: int) -> dict:
        body = copy.deepcopy({k: v for k, v in self.base.items() if k != "results"})
        items = self.works[offset:offset + self.size]
        body["results"] = items
        body["meta"]["count"] = len(self.works) if self.count is None else self.count
        body["meta"]["next_cursor"] = f"c{offset + self.size}" if items else None
        return body

    def __call__(self, req: Req) -> Reply:
        if req.path != "/works":
            return Reply(404, b'{"error": "not found"}')
        cur = req.query.get("cursor", "*")
        return as_json(self.page(0 if cur == "*" else int(cur[1:])))


class EuropePMCApp:
    """/search over the 25 core results of europepmc_search-core_1.json; the last page echoes its cursor."""

    def __init__(self, size: int = 10) -> None:
        self.base = load_fixture("europepmc_search-core_1.json")
        self.results = self.base["resultList"]["result"]
        self.size = size

    def __call__(self, req: Req) -> Reply:
        if req.path != "/search":
            return Reply(404, b"<html>not found</html>", "text/html")
        cur = req.query.get("cursorMark", "*")
        offset = 0 if cur == "*" else int(cur[1:])
        body = copy.deepcopy({k: v for k, v in self.base.items() if k != "resultList"})
        body["hitCount"] = len(self.results)
        items = self.results[offset:offset + self.size]
        body["resultList"] = {"result": items}
        body["nextCursorMark"] = f"m{offset + len(items)}" if offset + len(items) < len(self.results) else cur
        return as_json(body)


class CrossrefApp:
    """/works: the two real cursor pages (total adjusted to 40), then an empty page; one scroll per cursor."""

    def __init__(self) -> None:
        self.pages = [load_fixture("crossref_works-cursor_1.json"), load_fixture("crossref_works-cursor_2.json")]
        for p in self.pages:
            p["message"]["total-results"] = 40
        self.cursor = self.pages[0]["message"]["next-cursor"]
        self.served = 0

    def __call__(self, req: Req) -> Reply:
        cur = req.query.get("cursor")
        if cur == "*":
            self.served = 0
        elif cur != self.cursor:
            return Reply(404, fixture_path("crossref_works-cursor-error_1.json").read_bytes())
        i = self.served
        self.served += 1
        if i < len(self.pages):
            return as_json(self.pages[i])
        empty = copy.deepcopy(self.pages[1])
        empty["message"]["items"] = []
        return as_json(empty)


_ART = re.compile(r"<PubmedArticle>.*?</PubmedArticle>", re.S)
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


def _pubdate(article: str) -> tuple[int, int, int]:
    m = re.search(r"<PubDate>(.*?)</PubDate>", article, re.S)
    text = m.group(1) if m else ""
    year = int(re.search(r"<Year>(\d{4})</Year>", text).group(1))
    mo = re.search(r"<Month>(\w+)</Month>", text)
    month = (int(mo.group(1)) if mo.group(1).isdigit() else _MONTHS[mo.group(1)[:3].lower()]) if mo else 1
    day = re.search(r"<Day>(\d+)</Day>", text)
    return year, month, int(day.group(1)) if day else 1


class PubMedApp:
    """esearch/efetch over the 5 real articles of the efetch fixtures (esearch_1's envelope, Count adjusted)."""

    def __init__(self) -> None:
        self.articles: dict[str, str] = {}
        self.dates: dict[str, tuple[int, int, int]] = {}
        for n in (1, 2, 3):
            text = fixture_path(f"ncbi-eutils_efetch-pubmed_{n}.xml").read_text(encoding="utf-8")
            if n == 1:
                self.head = text[:text.index("<PubmedArticleSet>")]
            for art in _ART.findall(text):
                pmid = re.search(r"<PMID[^>]*>(\d+)</PMID>", art).group(1)
                self.articles[pmid] = art
                self.dates[pmid] = _pubdate(art)
        self.order = sorted(self.articles, key=lambda p: self.dates[p], reverse=True)  # most recent first
        self.esearch_tpl = fixture_path("ncbi-eutils_esearch_1.xml").read_text(encoding="utf-8")
        self.history: dict[str, list[str]] = {}
        self.expired = False

    def _esearch(self, q: dict[str, str]) -> Reply:
        ids = list(self.order)
        if "mindate" in q:
            lo = tuple(int(x) for x in q["mindate"].split("/"))
            hi = tuple(int(x) for x in q["maxdate"].split("/"))
            ids = [p for p in ids if lo <= self.dates[p] <= hi]
        webenv = f"MCID_test{len(self.history)}"
        self.history[webenv] = ids
        retmax = int(q.get("retmax", 20))
        idlist = "".join(f"\n<Id>{p}</Id>" for p in ids[:retmax])
        body = re.sub(r"<Count>\d+</Count>", f"<Count>{len(ids)}</Count>", self.esearch_tpl, count=1)
        body = re.sub(r"<WebEnv>[^<]*</WebEnv>", f"<WebEnv>{webenv}</WebEnv>", body)
        body = re.sub(r"<IdList>.*?</IdList>", f"<IdList>{idlist}\n</IdList>", body, flags=re.S)
        body = re.sub(r"<RetMax>\d+</RetMax>", f"<RetMax>{min(retmax, len(ids))}</RetMax>", body)
        return Reply(200, body.encode(), "text/xml; charset=UTF-8")

    def efetch_body(self, ids: list[str]) -> bytes:
        arts = "\n".join(self.articles[p] for p in ids if p in self.articles)
        return (self.head + "<PubmedArticleSet>\n" + arts + "\n</PubmedArticleSet>").encode()

    def __call__(self, req: Req) -> Reply:
        q = req.query
        if req.path.endswith("/esearch.fcgi"):
            return self._esearch(q)
        if req.path.endswith("/efetch.fcgi"):
            if "id" in q:
                ids = q["id"].split(",")
            else:
                if self.expired or q.get("WebEnv") not in self.history:
                    return Reply(200, b'<?xml version="1.0" encoding="UTF-8" ?>\n<eFetchResult>\n\t<ERROR>Unable '
                                 b'to obtain query #1</ERROR>\n</eFetchResult>', "text/xml")
                start, n = int(q.get("retstart", 0)), int(q.get("retmax", 20))
                ids = self.history[q["WebEnv"]][start:start + n]
            return Reply(200, self.efetch_body(ids), "text/xml; charset=UTF-8")
        return Reply(404, b"not found", "text/plain")
