"""Europe PMC REST search: cursorMark paging, resultType=core, 1000 records per page."""

from __future__ import annotations

from typing import Any

from reviewflow.io.normalise import dedup, issns
from reviewflow.records import Author, Record, normalise_doi, parse_year
from reviewflow.sources.base import CursorSource, PageData, as_int, first_str, strip_markup
from reviewflow.sources.http import BadBody


class EuropePMC(CursorSource):
    name = "europepmc"
    database = "Europe PMC"
    interface = "Europe PMC RESTful Web Service (search, resultType=core)"
    default_base_url = "https://www.ebi.ac.uk/europepmc/webservices/rest"
    requests_per_second = 10.0
    page_size = 1000

    def url(self) -> str:
        return f"{self.base_url}/search"

    def params(self, cursor: str) -> dict[str, Any]:
        return {"query": self.query, "resultType": "core", "pageSize": self.page_size, "format": "json",
                "cursorMark": cursor}

    def read_page(self, data: Any) -> PageData:
        if not isinstance(data, dict) or "hitCount" not in data:
            raise BadBody(f"europepmc: not a search result (keys {sorted(data)[:6] if isinstance(data, dict) else []})")
        items = (data.get("resultList") or {}).get("result")
        if not isinstance(items, list):
            raise BadBody("europepmc: search result without resultList.result")
        return PageData(reported=int(data["hitCount"]), items=items, next_cursor=data.get("nextCursorMark"))

    def ended(self, page: PageData, cursor: str) -> bool:
        # Europe PMC marks the last page by echoing the cursor it was sent (or leaving it out).
        return not page.items or not page.next_cursor or page.next_cursor == cursor

    def item_key(self, item: dict[str, Any]) -> str | None:
        src, ident = item.get("source"), item.get("id")
        return f"{src}:{ident}" if src and ident else None

    def to_record(self, item: dict[str, Any], rec: Record) -> None:
        rec.title = strip_markup(item.get("title"))
        rec.abstract = strip_markup(item.get("abstractText"))
        authors = []
        for a in (item.get("authorList") or {}).get("author") or []:
            if a.get("lastName"):
                authors.append(Author(a["lastName"], a.get("firstName") or a.get("initials") or ""))
            elif a.get("collectiveName") or a.get("fullName"):
                authors.append(Author(a.get("collectiveName") or a["fullName"], ""))
        rec.authors = authors
        ji = item.get("journalInfo") or {}
        journal = ji.get("journal") or {}
        rec.year = as_int(item.get("pubYear")) or as_int(ji.get("yearOfPublication")) or \
            parse_year(item.get("firstPublicationDate"))
        rec.journal = first_str(journal.get("title")) or first_str((item.get("bookOrReportDetails") or {})
                                                                   .get("publisher"))
        rec.volume = first_str(ji.get("volume"))
        rec.issue = first_str(ji.get("issue"))
        rec.pages = first_str(item.get("pageInfo"))
        rec.doi = normalise_doi(item.get("doi"))
        rec.pmid = first_str(item.get("pmid"))
        rec.issn = issns(journal.get("issn"), journal.get("essn"))
        rec.language = first_str(item.get("language"))
        rec.publication_type = dedup([t for t in (item.get("pubTypeList") or {}).get("pubType") or []
                                      if isinstance(t, str)])
        kws = list((item.get("keywordList") or {}).get("keyword") or [])
        kws += [m.get("descriptorName") for m in (item.get("meshHeadingList") or {}).get("meshHeading") or []
                if isinstance(m, dict)]
        rec.keywords = dedup([k for k in kws if isinstance(k, str) and k])
        src, ident = item.get("source"), item.get("id")
        rec.url = f"https://europepmc.org/article/{src}/{ident}" if src and ident else None
