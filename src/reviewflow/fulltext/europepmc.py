"""Open-access full texts as JATS XML from Europe PMC, for reports with a PMCID or a DOI Europe PMC knows.

1. The PMCID: the queue row's `pmcid` when the record has one, else a search by DOI,
   `GET {base_url}/search?query=DOI:"<doi>"&format=json&resultType=lite`, whose result for that DOI
   gives `pmcid`, `isOpenAccess` and `inEPMC`.
2. The article: `GET {base_url}/<PMCID>/fullTextXML` (Europe PMC's RESTful service; it serves the
   open-access subset, and answers 404 for the rest). The body must be a JATS `<article>` parsed
   safely (no DTD loaded, no entity declared, nothing fetched: `article.jats.check_jats`); an HTML
   page is never saved, and a body cut short is asked for again by the HTTP client.
3. Saved as `<record id>.xml` in the full-text folder (written whole or not at all), where the
   retrieval stage finds it; the readers prefer XML to a PDF of the same report.

Each report tried gets one line in `<folder>/europepmc-log.jsonl` (the latest attempt): what was
asked (doi, pmcid and where it came from), what came back (outcome, isOpenAccess, url), the file,
its SHA-256 and size, and when. Requests go through the project's HTTP client (sources/http.py):
rate limit, retries with backoff on 429 (honouring Retry-After), 5xx, timeouts and cut-off bodies.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from ..article.jats import check_jats
from ..errors import InputFileError, SourceError
from ..fsio import atomic_write_bytes
from ..records import normalise_doi
from ..sources.base import load_json
from ..sources.http import BadBody, HttpClient, HttpError, Response, guard_urllib3_log, looks_like_html
from .fetchlog import FetchSummary, fetch_each, utc_now

DEFAULT_BASE_URL = "https://www.ebi.ac.uk/europepmc/webservices/rest"
LOG_NAME = "europepmc-log.jsonl"
_PMCID = re.compile(r"^PMC\d+$", re.I)

# Outcomes in the log.
SAVED = "saved"                       # the JATS XML was saved
NOT_IN_EPMC = "not_in_europepmc"      # the DOI search found no record with a PMCID
NOT_OPEN = "not_open_access"          # a PMCID, but Europe PMC has no open-access full text (404)
NOT_JATS = "not_jats"                 # an answer that is not a JATS article (HTML, another XML, entities)
NO_ID = "no_doi_or_pmcid"             # nothing to look the report up by

OUTCOMES = (SAVED, NOT_IN_EPMC, NOT_OPEN, NOT_JATS, NO_ID)


class NotJats(Exception):
    """An answer that is not a JATS article (not worth asking again)."""


def check_xml(resp: Response) -> bytes:
    """The body if it is a whole JATS article; NotJats for another kind of body, BadBody (asked again) if cut."""
    if looks_like_html(resp):
        raise NotJats(f"an HTML page, not JATS XML (content type {resp.content_type or 'none'})")
    try:
        check_jats(resp.body, "response")
    except InputFileError as exc:
        if "not well-formed" in str(exc):
            raise BadBody(f"XML cut short or broken ({len(resp.body)} bytes)") from None
        raise NotJats(exc.message) from None
    return resp.body


def _check_search(resp: Response) -> dict:
    data = load_json(resp, "Europe PMC")
    if not isinstance(data, dict) or not isinstance((data.get("resultList") or {}).get("result"), list):
        raise BadBody("Europe PMC: the answer has no resultList.result")
    return data


class EuropePmc:
    """Europe PMC's search and full-text XML services, through one HttpClient."""

    def __init__(self, *, base_url: str | None = None, client: HttpClient | None = None) -> None:
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.client = client or HttpClient(requests_per_second=5.0)
        guard_urllib3_log()

    def find(self, doi: str) -> dict | None:
        """The search result for this DOI that carries a PMCID, or None."""
        _, data = self.client.get(f"{self.base_url}/search",
                                  {"query": f'DOI:"{doi}"', "format": "json", "resultType": "lite"},
                                  check=_check_search)
        for r in data["resultList"]["result"]:
            if normalise_doi(str(r.get("doi") or "")) == doi and _PMCID.match(str(r.get("pmcid") or "")):
                return r
        return None

    def full_text(self, pmcid: str) -> bytes | None:
        """The JATS XML of an open-access article; None when Europe PMC has none (404)."""
        try:
            _, body = self.client.get(f"{self.base_url}/{pmcid}/fullTextXML", check=check_xml)
        except HttpError as exc:
            if exc.status == 404:
                return None
            raise
        return body


def _fetch_one(epmc: EuropePmc, row: Mapping[str, Any], folder: Path) -> dict:
    rid = str(row["record_id"])
    doi = normalise_doi(str(row.get("doi") or ""))
    pmcid = str(row.get("pmcid") or "").strip().upper()
    entry: dict[str, Any] = {"record_id": rid, "doi": doi}
    if _PMCID.match(pmcid):
        entry.update({"pmcid": pmcid, "pmcid_from": "record"})
    elif doi:
        found = epmc.find(doi)
        if found is None:
            return {**entry, "outcome": NOT_IN_EPMC}
        pmcid = str(found["pmcid"]).upper()
        entry.update({"pmcid": pmcid, "pmcid_from": "search by DOI",
                      "is_open_access": found.get("isOpenAccess") == "Y"})
    else:
        return {**entry, "outcome": NO_ID}
    url = f"{epmc.base_url}/{pmcid}/fullTextXML"
    try:
        body = epmc.full_text(pmcid)
    except NotJats as exc:
        return {**entry, "outcome": NOT_JATS, "url": url, "error": str(exc)}
    if body is None:
        return {**entry, "outcome": NOT_OPEN, "url": url}
    name = f"{rid}.xml"
    atomic_write_bytes(folder / name, body)
    return {**entry, "outcome": SAVED, "url": url, "file": name, "bytes": len(body),
            "sha256": hashlib.sha256(body).hexdigest()}


def fetch_xml(queue: Iterable[Mapping[str, Any]], folder: str | Path, epmc: EuropePmc, *,
              log_path: str | Path | None = None, limit: int | None = None,
              now: Callable[[], str] = utc_now) -> FetchSummary:
    """Fetch the JATS XML of every report sought without a full text in `folder`.

    A lookup that still fails after the client's retries stops the run with a SourceError; the log
    is written first and the files saved so far stay."""
    folder = Path(folder)

    def one(row: Mapping[str, Any]) -> dict:
        try:
            return _fetch_one(epmc, row, folder)
        except SourceError as exc:
            raise SourceError(f"Europe PMC lookup for record {row['record_id']} failed: {exc}") from None

    return fetch_each(queue, folder, Path(log_path) if log_path else folder / LOG_NAME, OUTCOMES, one,
                      limit=limit, now=now)
