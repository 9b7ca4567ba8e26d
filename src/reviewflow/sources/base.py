"""What every search API client shares: the fetch/parse split and the cursor paging loop."""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reviewflow.errors import SourceError
from reviewflow.io.base import Parsed
from reviewflow.records import Provenance, Record
from reviewflow.sources.http import BadBody, HttpClient, HttpError, Response, looks_like_html
from reviewflow.sources.snapshot import Snapshot

Progress = Callable[[int, int | None], None]  # (records retrieved so far, reported or None)


def no_progress(done: int, total: int | None) -> None:
    """A progress callback that shows nothing."""


class Source:
    """A search API: `fetch` fills a snapshot from the network, `parse` turns a snapshot into records."""

    name = ""            # source id: pubmed, europepmc, openalex, crossref
    database = ""        # PRISMA-S: database searched
    interface = ""       # PRISMA-S: interface / platform
    default_base_url = ""
    requests_per_second = 5.0

    def __init__(self, query: str, *, base_url: str | None = None, filters: str | None = None) -> None:
        self.query = query
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        self.filters = filters

    def spec(self) -> dict[str, Any]:
        """What defines the results (hashed to find a matching snapshot): no URL, no secrets."""
        return {"source": self.name, "query": self.query, "filters": self.filters}

    def secrets(self) -> list[str]:
        return []

    def limits(self) -> dict[str, Any]:
        return {}

    def fetch(self, snap: Snapshot, client: HttpClient, progress: Progress = no_progress) -> None:
        raise NotImplementedError

    def parse(self, snap: Snapshot, source_id: str) -> Parsed:
        raise NotImplementedError


@dataclass
class PageData:
    """One parsed page of a cursor API."""

    reported: int
    items: list[dict[str, Any]]
    next_cursor: str | None
    extra: dict[str, Any] = field(default_factory=dict)


def load_json(resp: Response, what: str) -> Any:
    """The JSON body; an HTML page or a body that does not parse (truncated) is fetched again."""
    if looks_like_html(resp):
        raise BadBody(f"{what}: got an HTML page instead of JSON (status {resp.status})")
    try:
        return json.loads(resp.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadBody(f"{what}: body is not complete JSON ({exc}; {len(resp.body)} bytes)") from None


class CursorSource(Source):
    """Cursor paging with resume, an end check, and guards against paging that never ends."""

    page_size = 100
    first_cursor = "*"
    # Crossref's cursor is server state: a request in flight when we crashed may have used up a page.
    stateful_cursor = False
    empty_page_retries = 2

    def __init__(self, query: str, *, base_url: str | None = None, filters: str | None = None,
                 max_pages: int | None = None) -> None:
        super().__init__(query, base_url=base_url, filters=filters)
        self.max_pages = max_pages

    # To implement per API.
    def url(self) -> str:
        raise NotImplementedError

    def params(self, cursor: str) -> dict[str, Any]:
        raise NotImplementedError

    def read_page(self, data: Any) -> PageData:
        """Parse a page's JSON; raise BadBody when it is not the API's page structure."""
        raise NotImplementedError

    def item_key(self, item: dict[str, Any]) -> str | None:
        raise NotImplementedError

    def to_record(self, item: dict[str, Any], rec: Record) -> None:
        raise NotImplementedError

    def ended(self, page: PageData, cursor: str) -> bool:
        """True when this page says there is nothing after it."""
        return not page.items or not page.next_cursor

    def limits(self) -> dict[str, Any]:
        return {"page_size": self.page_size}

    def _check(self, resp: Response) -> PageData:
        return self.read_page(load_json(resp, self.name))

    def fetch(self, snap: Snapshot, client: HttpClient, progress: Progress = no_progress) -> None:
        st = snap.state.setdefault("progress", {})
        self.page_through(snap, client, st, None, progress)
        snap.state["reported"] = st["reported"]
        snap.state["done"] = True
        snap.save()

    def page_through(self, snap: Snapshot, client: HttpClient, st: dict[str, Any], task: str | None,
                     progress: Progress = no_progress) -> None:
        """Page until the end, resuming from `st` (this task's progress); each page is stored as it comes."""
        mine = [p for p in snap.pages if p["kind"] == "page" and p.get("task") == task]
        if self.stateful_cursor and st.get("in_flight"):
            # The server may have advanced its cursor for a page we never stored: start again, cleanly.
            for p in mine:
                p["kind"] = "discarded"
            mine = []
            st.clear()
            snap.save()
        seen: set[str] = set()
        retrieved = 0
        for page in mine:
            data = self.read_page(json.loads(snap.read(page)))
            seen.update(k for k in (self.item_key(i) for i in data.items) if k)
            retrieved += len(data.items)
        cursor = st.get("next_cursor", self.first_cursor)
        resuming = bool(mine)
        reported = st.get("reported")
        smallest = st.get("smallest_page")
        empty_tries = 0
        while not st.get("done"):
            limit = self.max_pages
            if limit is None and reported is not None:
                limit = math.ceil(reported / max(1, smallest or self.page_size)) + 5
            if limit is not None and len(mine) >= limit:
                raise SourceError(f"{self.name}: paging does not end: {len(mine)} pages, {retrieved} records "
                                  f"retrieved, {reported} reported; the cursor keeps returning more pages")
            if self.stateful_cursor:
                st["in_flight"] = True
                snap.save()
            try:
                resp, data = client.get(self.url(), self.params(cursor), check=self._check)
            except HttpError as exc:
                if not (self.stateful_cursor and resuming and cursor != self.first_cursor and exc.status in (400, 404)):
                    raise
                # A server-side cursor expired while we were stopped (Crossref keeps them ~5 min): start again.
                for p in mine:
                    p["kind"] = "discarded"
                mine, seen, retrieved, cursor, reported, smallest, resuming = [], set(), 0, self.first_cursor, None, \
                    None, False
                st.clear()
                snap.save()
                continue
            resuming = False
            st["in_flight"] = False
            if reported is None:
                reported = st["reported"] = data.reported
            keys = [self.item_key(i) for i in data.items]
            if data.items and all(k and k in seen for k in keys):
                raise SourceError(f"{self.name}: the cursor returned a page of records already retrieved "
                                  f"(after {retrieved} records of {reported}); paging does not advance")
            if not data.items and retrieved < reported and empty_tries < self.empty_page_retries:
                # An empty page before the reported count: ask again before concluding the paging ended.
                empty_tries += 1
                continue
            empty_tries = 0
            seen.update(k for k in keys if k)
            retrieved += len(data.items)
            if data.items:
                smallest = st["smallest_page"] = min(smallest or len(data.items), len(data.items))
            st["next_cursor"] = data.next_cursor
            st["retrieved"] = retrieved
            st["done"] = self.ended(data, cursor) or retrieved >= reported
            mine.append(snap.add_page("page", "json", resp, len(data.items), task=task, cursor=cursor,
                                      next_cursor=data.next_cursor, reported=data.reported))
            progress(retrieved, reported)
            cursor = data.next_cursor or cursor

    def parse(self, snap: Snapshot, source_id: str) -> Parsed:
        out = Parsed()
        for page in snap.pages:
            if page["kind"] != "page":
                continue
            data = self.read_page(json.loads(snap.read(page)))
            for index, item in enumerate(data.items):
                rec = Record(id="", provenance=Provenance(source_id, snap.path_of(page), index, 1),
                             raw=raw_from_json(item))
                self.to_record(item, rec)
                out.add(rec, self.item_key(item))
        return out


def raw_from_json(item: dict[str, Any]) -> dict[str, list[str]]:
    """Every top-level field: strings and numbers as text, lists of them item by item, others as JSON."""
    raw: dict[str, list[str]] = {}
    for k, v in item.items():
        if v is None:
            continue
        if isinstance(v, str | int | float | bool):
            raw[k] = [_scalar(v)]
        elif isinstance(v, list) and all(isinstance(x, str | int | float | bool) for x in v):
            raw[k] = [_scalar(x) for x in v]
        else:
            raw[k] = [json.dumps(v, sort_keys=True, ensure_ascii=False)]
    return raw


def _scalar(v: str | int | float | bool) -> str:
    return json.dumps(v) if isinstance(v, bool) else str(v)


_TAG = re.compile(r"<[^>]+>")


def strip_markup(text: str | None) -> str | None:
    """Plain text from HTML or JATS markup (abstracts come with <p>, <i>, <jats:p>)."""
    if not text:
        return None
    plain = " ".join(html.unescape(_TAG.sub(" ", text)).split())
    # Markup around punctuation leaves a space before it: 'word </i>.' -> 'word .'
    plain = re.sub(r" ([.,;:)])", r"\1", plain)
    return plain or None


def first_str(value: Any) -> str | None:
    """The first non-empty string of a value or list (Crossref wraps titles in lists)."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, str | int) and str(value).strip():
        return " ".join(str(value).split())
    return None


def as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
