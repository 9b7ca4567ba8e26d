"""PubMed through NCBI E-utilities: esearch (usehistory) then efetch in batches, split by date past 10,000.

Responses are parsed with defusedxml (no DTD or entity is ever fetched) and the records with the
project's PubMed XML reader, so searched and imported PubMed records normalise the same way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from reviewflow.errors import SourceError
from reviewflow.io.base import Parsed
from reviewflow.io.xml_readers import read_pubmed_xml
from reviewflow.sources.base import Progress, Source, no_progress
from reviewflow.sources.http import BadBody, HttpClient, Response, looks_like_html
from reviewflow.sources.snapshot import Snapshot

# esearch returns at most 10,000 ids per query (retstart + retmax <= 10,000): bigger sets are split by date.
MAX_IDS = 10_000
FIRST_DAY = date(1700, 1, 1)
LAST_DAY = date(3000, 12, 31)


class HistoryExpired(Exception):
    """The history server no longer has our WebEnv: fetch the batch by its ids instead."""


@dataclass
class ESearch:
    count: int
    ids: list[str]
    webenv: str | None
    query_key: str | None
    translation: str | None = None
    warnings: list[str] = field(default_factory=list)


def _xml(resp: Response, what: str) -> Element:
    if looks_like_html(resp):
        raise BadBody(f"pubmed {what}: got an HTML page instead of XML (status {resp.status})")
    try:
        return fromstring(resp.body)
    except ParseError as exc:
        raise BadBody(f"pubmed {what}: body is not complete XML ({exc}; {len(resp.body)} bytes)") from None
    except DefusedXmlException as exc:
        raise SourceError(f"pubmed {what}: XML refused for safety ({type(exc).__name__})") from None


def _errors(root: Element) -> list[str]:
    return [" ".join("".join(e.itertext()).split()) for e in root.findall("ERROR")]


def parse_esearch(resp: Response) -> ESearch:
    """Count, ids, history keys and messages of an esearch response."""
    root = _xml(resp, "esearch")
    errors = _errors(root)
    if root.tag != "eSearchResult" or root.findtext("Count") is None:
        if errors:
            raise SourceError(f"pubmed esearch: {'; '.join(errors)}")
        raise BadBody(f"pubmed esearch: unexpected response <{root.tag}>")
    if errors:
        raise SourceError(f"pubmed esearch: {'; '.join(errors)}")
    warnings = []
    for lst in ("ErrorList", "WarningList"):
        for el in root.findall(f"{lst}/*"):
            text = " ".join("".join(el.itertext()).split())
            if text:
                warnings.append(f"{el.tag}: {text}")
    return ESearch(count=int(root.findtext("Count") or 0), ids=[i.text or "" for i in root.findall("IdList/Id")],
                   webenv=root.findtext("WebEnv"), query_key=root.findtext("QueryKey"),
                   translation=root.findtext("QueryTranslation"), warnings=warnings)


def parse_efetch_pmids(resp: Response) -> list[str]:
    """PMIDs of the articles of an efetch response, in order; checks it is a complete article set."""
    root = _xml(resp, "efetch")
    if root.tag != "PubmedArticleSet":
        errors = _errors(root)
        msg = "; ".join(errors)
        if errors and any(w in msg.lower() for w in ("query", "webenv", "history")):
            raise HistoryExpired(msg)
        if errors:
            raise SourceError(f"pubmed efetch: {msg}")
        raise BadBody(f"pubmed efetch: unexpected response <{root.tag}>")
    out = []
    for art in root:
        if art.tag in ("PubmedArticle", "PubmedBookArticle"):
            out.append(art.findtext("MedlineCitation/PMID") or art.findtext("BookDocument/PMID") or "")
    return out


class PubMed(Source):
    name = "pubmed"
    database = "PubMed"
    interface = "NCBI E-utilities (esearch with usehistory, efetch XML)"
    default_base_url = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"

    def __init__(self, query: str, *, base_url: str | None = None, filters: str | None = None,
                 email: str | None = None, api_key: str | None = None, tool: str = "reviewflow",
                 batch_size: int = 500, max_ids: int = MAX_IDS) -> None:
        if filters:
            raise SourceError("pubmed: put limits in the query itself (e.g. 2000:2022[dp]); --filter is for "
                              "openalex and crossref")
        super().__init__(query, base_url=base_url)
        self.email = email or os.environ.get("NCBI_EMAIL")
        self.api_key = api_key or os.environ.get("NCBI_API_KEY")
        self.tool = tool
        self.batch_size = batch_size
        self.max_ids = max_ids
        # NCBI's limits: 3 requests a second, 10 with an API key.
        self.requests_per_second = 10.0 if self.api_key else 3.0

    def secrets(self) -> list[str]:
        return [s for s in (self.email, self.api_key) if s]

    def limits(self) -> dict[str, Any]:
        return {"efetch_batch": self.batch_size, "max_ids_per_esearch": self.max_ids, "date_split": "pdat"}

    def _common(self) -> dict[str, Any]:
        p: dict[str, Any] = {"db": "pubmed", "tool": self.tool}
        if self.email:
            p["email"] = self.email
        if self.api_key:
            p["api_key"] = self.api_key
        return p

    def _esearch(self, client: HttpClient, snap: Snapshot, lo: date | None = None,
                 hi: date | None = None) -> tuple[dict[str, Any], ESearch]:
        params = {**self._common(), "term": self.query, "usehistory": "y", "retmax": self.max_ids,
                  "retmode": "xml"}
        meta: dict[str, Any] = {}
        if lo and hi:
            meta = {"mindate": lo.strftime("%Y/%m/%d"), "maxdate": hi.strftime("%Y/%m/%d")}
            params.update(datetype="pdat", **meta)
        resp, es = client.get(f"{self.base_url}/esearch.fcgi", params, check=parse_esearch)
        page = snap.add_page("esearch", "xml", resp, 0, count=es.count, **meta)
        return page, es

    def _part(self, page: dict[str, Any], es: ESearch) -> dict[str, Any]:
        return {"esearch": page["file"], "count": es.count, "ids": len(es.ids), "webenv": es.webenv,
                "query_key": es.query_key, "mindate": page.get("mindate"), "maxdate": page.get("maxdate"),
                "fetched": 0}

    def _split(self, client: HttpClient, snap: Snapshot, total: int) -> list[dict[str, Any]]:
        """Bisect the publication-date range until every part holds at most `max_ids` records."""
        todo = [(FIRST_DAY, LAST_DAY)]
        parts = []
        while todo:
            lo, hi = todo.pop()
            page, es = self._esearch(client, snap, lo, hi)
            if es.count == 0:
                continue
            if es.count <= self.max_ids:
                parts.append(self._part(page, es))
                continue
            if lo == hi:
                raise SourceError(f"pubmed: {es.count} records have publication date {lo:%Y/%m/%d}, more than "
                                  f"the {self.max_ids} E-utilities can return for one query; narrow the query")
            mid = lo + timedelta(days=(hi - lo).days // 2)
            todo += [(mid + timedelta(days=1), hi), (lo, mid)]
        parts.sort(key=lambda p: p["mindate"])
        in_parts = sum(p["count"] for p in parts)
        if in_parts != total:
            snap.state["progress"].setdefault("warnings", []).append(
                f"date ranges hold {in_parts} records, the whole search {total} (records without a publication "
                f"date, or PubMed changed while splitting)")
        return parts

    def _ids(self, snap: Snapshot, part: dict[str, Any]) -> list[str]:
        page = next(p for p in snap.pages if p["file"] == part["esearch"])
        return parse_esearch(Response(page["url"], 200, "text/xml", snap.read(page))).ids

    def _efetch(self, client: HttpClient, part: dict[str, Any], start: int,
                ids: list[str]) -> tuple[Response, list[str], str]:
        url = f"{self.base_url}/efetch.fcgi"
        if part.get("webenv") and part.get("query_key"):
            try:
                resp, got = client.get(url, {**self._common(), "query_key": part["query_key"],
                                             "WebEnv": part["webenv"], "retstart": start, "retmax": len(ids),
                                             "retmode": "xml"}, check=parse_efetch_pmids)
                if sorted(got) == sorted(ids):
                    return resp, got, "history"
            except HistoryExpired:
                pass
        # Expired history, or a batch that is not the expected ids: fetch exactly those ids (POST: long lists).
        try:
            resp, got = client.post(url, {**self._common(), "id": ",".join(ids), "retmode": "xml"},
                                    check=parse_efetch_pmids)
        except HistoryExpired as exc:
            raise SourceError(f"pubmed efetch: {exc}") from None
        return resp, got, "id"

    def fetch(self, snap: Snapshot, client: HttpClient, progress: Progress = no_progress) -> None:
        st = snap.state.setdefault("progress", {})
        if "parts" not in st:
            page, es = self._esearch(client, snap)
            snap.state["reported"] = es.count
            st["query_translation"] = es.translation
            st["warnings"] = list(es.warnings)
            st["parts"] = [self._part(page, es)] if es.count <= self.max_ids else self._split(client, snap, es.count)
            snap.save()
        reported = snap.state["reported"]
        retrieved = sum(p["fetched"] for p in st["parts"])
        for part in st["parts"]:
            ids = self._ids(snap, part)
            if len(ids) < part["count"]:
                raise SourceError(f"pubmed esearch returned {len(ids)} ids of {part['count']} "
                                  f"({part.get('mindate') or 'all dates'}); the id list is incomplete")
            while part["fetched"] < len(ids):
                start = part["fetched"]
                batch = ids[start:start + self.batch_size]
                resp, got, how = self._efetch(client, part, start, batch)
                missing = sorted(set(batch) - set(got))
                part["fetched"] = start + len(batch)
                retrieved += len(got)
                snap.add_page("efetch", "xml", resp, len(got), retstart=start, ids=len(batch), via=how,
                              missing=missing)
                progress(retrieved, reported)
        snap.state["done"] = True
        snap.save()

    def parse(self, snap: Snapshot, source_id: str) -> Parsed:
        out = Parsed(dialect="pubmed")
        for page in snap.pages:
            if page["kind"] != "efetch":
                continue
            p = read_pubmed_xml(snap.read(page).decode("utf-8"), source_id, snap.path_of(page))
            out.records += p.records
            out.keys += p.keys
            out.rejects += p.rejects
            out.warnings += p.warnings
        return out
