"""OpenAlex /works: search and filter, cursor paging (200 per page), mailto; abstracts rebuilt."""

from __future__ import annotations

import os
from typing import Any

from reviewflow.io.normalise import dedup, issns, pages
from reviewflow.records import Author, Record, normalise_doi, parse_year
from reviewflow.sources.base import CursorSource, PageData, as_int, first_str
from reviewflow.sources.http import BadBody


def rebuild_abstract(index: dict[str, list[int]] | None) -> str | None:
    """The abstract from OpenAlex's inverted index {word: [positions]}."""
    if not index:
        return None
    slots: dict[int, str] = {}
    for word, positions in index.items():
        for p in positions or []:
            slots[int(p)] = word
    return " ".join(slots[p] for p in sorted(slots)) or None


def split_display_name(name: str) -> Author:
    """'William J. Smith' -> Author('Smith', 'William J.'); OpenAlex gives display names only."""
    parts = name.split()
    if len(parts) < 2:
        return Author(name.strip(), "")
    return Author(parts[-1], " ".join(parts[:-1]))


def short_id(value: str | None) -> str | None:
    """'https://openalex.org/W123' -> 'W123'."""
    if not value:
        return None
    return value.rstrip("/").rsplit("/", 1)[-1]


class OpenAlex(CursorSource):
    name = "openalex"
    database = "OpenAlex"
    interface = "OpenAlex API (/works)"
    default_base_url = "https://api.openalex.org"
    requests_per_second = 10.0
    page_size = 200

    def __init__(self, query: str, *, base_url: str | None = None, filters: str | None = None,
                 mailto: str | None = None, api_key: str | None = None, max_pages: int | None = None) -> None:
        super().__init__(query, base_url=base_url, filters=filters, max_pages=max_pages)
        self.mailto = mailto or os.environ.get("OPENALEX_MAILTO") or os.environ.get("REVIEWFLOW_MAILTO")
        self.api_key = api_key or os.environ.get("OPENALEX_API_KEY")

    def secrets(self) -> list[str]:
        return [s for s in (self.mailto, self.api_key) if s]

    def url(self) -> str:
        return f"{self.base_url}/works"

    def params(self, cursor: str) -> dict[str, Any]:
        p: dict[str, Any] = {}
        if self.query:
            p["search"] = self.query
        if self.filters:
            p["filter"] = self.filters
        p.update({"per-page": self.page_size, "cursor": cursor})
        if self.mailto:
            p["mailto"] = self.mailto
        if self.api_key:
            p["api_key"] = self.api_key
        return p

    def read_page(self, data: Any) -> PageData:
        if not isinstance(data, dict) or not isinstance(data.get("meta"), dict) or \
                not isinstance(data.get("results"), list):
            raise BadBody("openalex: not a /works list (no meta and results)")
        meta = data["meta"]
        if as_int(meta.get("count")) is None:
            raise BadBody("openalex: meta.count missing")
        return PageData(reported=int(meta["count"]), items=data["results"], next_cursor=meta.get("next_cursor"))

    def item_key(self, item: dict[str, Any]) -> str | None:
        return short_id(item.get("id"))

    def to_record(self, item: dict[str, Any], rec: Record) -> None:
        fill_record(item, rec)


def fill_record(item: dict[str, Any], rec: Record) -> None:
    """Normalised fields of an OpenAlex Work."""
    rec.title = first_str(item.get("title")) or first_str(item.get("display_name"))
    rec.abstract = rebuild_abstract(item.get("abstract_inverted_index"))
    rec.authors = [split_display_name(a["author"]["display_name"]) for a in item.get("authorships") or []
                   if (a.get("author") or {}).get("display_name")]
    rec.year = as_int(item.get("publication_year")) or parse_year(item.get("publication_date"))
    loc = item.get("primary_location") or {}
    src = loc.get("source") or {}
    rec.journal = first_str(src.get("display_name"))
    biblio = item.get("biblio") or {}
    rec.volume = first_str(biblio.get("volume"))
    rec.issue = first_str(biblio.get("issue"))
    rec.pages = pages(biblio.get("first_page"), biblio.get("last_page"))
    ids = item.get("ids") or {}
    rec.doi = normalise_doi(item.get("doi") or ids.get("doi"))
    rec.pmid = short_id(ids.get("pmid"))
    rec.issn = issns(*(src.get("issn") or []), src.get("issn_l"))
    rec.language = first_str(item.get("language"))
    rec.publication_type = dedup([t for t in (item.get("type"), item.get("type_crossref")) if t])
    rec.keywords = dedup([k.get("display_name") for k in item.get("keywords") or []
                          if isinstance(k, dict) and k.get("display_name")])
    rec.url = loc.get("landing_page_url") or item.get("id")
