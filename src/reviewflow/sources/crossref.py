"""Crossref /works: query.bibliographic and filters, deep-paging cursor, mailto."""

from __future__ import annotations

import os
from typing import Any

from reviewflow.io.normalise import dedup, issns
from reviewflow.records import Author, Record, normalise_doi
from reviewflow.sources.base import CursorSource, PageData, as_int, first_str, strip_markup
from reviewflow.sources.http import BadBody


def crossref_year(item: dict[str, Any]) -> int | None:
    """The first year among issued, published-print, published-online, created (date-parts may be [[null]])."""
    for key in ("issued", "published", "published-print", "published-online", "created"):
        parts = (item.get(key) or {}).get("date-parts") or []
        if parts and parts[0] and as_int(parts[0][0]):
            return as_int(parts[0][0])
    return None


class Crossref(CursorSource):
    name = "crossref"
    database = "Crossref"
    interface = "Crossref REST API (/works)"
    default_base_url = "https://api.crossref.org"
    requests_per_second = 5.0
    page_size = 1000
    # Crossref's cursor is a server-side scroll: the same string on every page, advanced by each request.
    stateful_cursor = True

    def __init__(self, query: str, *, base_url: str | None = None, filters: str | None = None,
                 mailto: str | None = None, max_pages: int | None = None) -> None:
        super().__init__(query, base_url=base_url, filters=filters, max_pages=max_pages)
        self.mailto = mailto or os.environ.get("CROSSREF_MAILTO") or os.environ.get("REVIEWFLOW_MAILTO")

    def secrets(self) -> list[str]:
        return [self.mailto] if self.mailto else []

    def url(self) -> str:
        return f"{self.base_url}/works"

    def params(self, cursor: str) -> dict[str, Any]:
        p: dict[str, Any] = {}
        if self.query:
            p["query.bibliographic"] = self.query
        if self.filters:
            p["filter"] = self.filters
        p.update({"rows": self.page_size, "cursor": cursor})
        if self.mailto:
            p["mailto"] = self.mailto
        return p

    def read_page(self, data: Any) -> PageData:
        msg = data.get("message") if isinstance(data, dict) else None
        if not isinstance(msg, dict) or data.get("status") != "ok" or not isinstance(msg.get("items"), list):
            raise BadBody(f"crossref: not a work list (status {data.get('status') if isinstance(data, dict) else '?'})")
        if as_int(msg.get("total-results")) is None:
            raise BadBody("crossref: total-results missing")
        return PageData(reported=int(msg["total-results"]), items=msg["items"], next_cursor=msg.get("next-cursor"))

    def ended(self, page: PageData, cursor: str) -> bool:
        # The cursor string stays the same; an empty page is the end.
        return not page.items or not page.next_cursor

    def item_key(self, item: dict[str, Any]) -> str | None:
        return normalise_doi(item.get("DOI"))

    def to_record(self, item: dict[str, Any], rec: Record) -> None:
        rec.title = strip_markup(first_str(item.get("title")))
        subtitle = strip_markup(first_str(item.get("subtitle")))
        if rec.title and subtitle:
            rec.title = f"{rec.title}: {subtitle}"
        rec.abstract = strip_markup(item.get("abstract"))
        authors = []
        for a in item.get("author") or []:
            if a.get("family"):
                authors.append(Author(a["family"], a.get("given") or ""))
            elif a.get("name"):
                authors.append(Author(a["name"], ""))
        rec.authors = authors
        rec.year = crossref_year(item)
        rec.journal = first_str(item.get("container-title"))
        rec.volume = first_str(item.get("volume"))
        rec.issue = first_str(item.get("issue"))
        rec.pages = first_str(item.get("page"))
        rec.doi = normalise_doi(item.get("DOI"))
        rec.issn = issns(*(item.get("ISSN") or []))
        rec.language = first_str(item.get("language"))
        rec.publication_type = [item["type"]] if item.get("type") else []
        rec.keywords = dedup([s for s in item.get("subject") or [] if isinstance(s, str)])
        rec.url = item.get("URL")
