"""Open-access copies of the reports sought, found by DOI through Unpaywall and saved as PDFs.

`GET {base_url}/{doi}?email=...` (Unpaywall REST API v2) answers with a DOI object: `is_oa`,
`oa_status`, `best_oa_location` and `oa_locations` (each with `url_for_pdf`, `host_type`, `license`,
`version`, `evidence`...). For every report sought that has a DOI and no full text in the folder yet,
the PDF of the best location is downloaded (then the other locations' PDFs, in Unpaywall's order),
checked (a PDF content type or none, a `%PDF-` header, an `%%EOF` at the end) and saved as
`<record id>.pdf` in the full-text folder, where the retrieval stage finds it (files.py).

What was done for each report goes to a retrieval log (JSON Lines, one line per report tried,
latest attempt kept): doi, outcome, is_oa, oa_status, host_type, license, version, evidence,
url, landing page, file, sha256, bytes, the locations that failed and why, and when.

The e-mail Unpaywall asks for comes from the caller, UNPAYWALL_EMAIL, REVIEWFLOW_MAILTO or the
config (`retrieval.unpaywall_email`). It goes only into the request: our HTTP client masks it in
every URL and message it logs or raises, and nothing we write contains it.

Requests go through the project's HTTP client (sources/http.py): rate limit, retries with
backoff on 429 (honouring Retry-After), 5xx, timeouts and cut-off bodies.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import ConfigError, SourceError
from ..fsio import atomic_write_bytes
from ..records import normalise_doi
from ..sources.base import load_json
from ..sources.http import BadBody, HttpClient, HttpError, Response, guard_urllib3_log, looks_like_html
from .fetchlog import FetchSummary, fetch_each, utc_now
from .files import HEAD_BYTES, PDF_EOF, PDF_MAGIC, TAIL_BYTES

log = logging.getLogger("reviewflow.fulltext")

DEFAULT_BASE_URL = "https://api.unpaywall.org/v2"
EMAIL_ENV = ("UNPAYWALL_EMAIL", "REVIEWFLOW_MAILTO")
LOG_NAME = "unpaywall-log.jsonl"
# Content types a PDF arrives with (repositories often send a generic binary type); none is fine too.
PDF_TYPES = ("application/pdf", "application/x-pdf", "application/acrobat", "application/octet-stream",
             "binary/octet-stream", "application/download", "application/force-download",
             "application/x-download")
LOCATION_FIELDS = ("url", "url_for_pdf", "url_for_landing_page", "host_type", "license", "version", "evidence")

# Outcomes in the retrieval log.
SAVED = "saved"                      # an open-access PDF was saved
NOT_OA = "not_oa"                    # Unpaywall knows the DOI; no open-access copy (is_oa false)
NO_PDF = "no_pdf"                    # open access, but no location gave a PDF (landing pages only, HTML, errors)
NOT_FOUND = "not_in_unpaywall"       # 404: Unpaywall does not know the DOI
NO_DOI = "no_doi"                    # the record has no DOI to look up


def resolve_email(explicit: str | None = None, config: Mapping[str, Any] | None = None,
                  env: Mapping[str, str] | None = None) -> str:
    """The contact e-mail: given, else UNPAYWALL_EMAIL, REVIEWFLOW_MAILTO, else the config's
    `retrieval.unpaywall_email`; a ConfigError when there is none."""
    env = os.environ if env is None else env
    candidates = [explicit, *(env.get(k) for k in EMAIL_ENV),
                  ((config or {}).get("retrieval") or {}).get("unpaywall_email")]
    for c in candidates:
        if c and str(c).strip():
            return str(c).strip()
    raise ConfigError("Unpaywall needs a contact e-mail address: give --email, or set UNPAYWALL_EMAIL or "
                      "REVIEWFLOW_MAILTO, or retrieval.unpaywall_email in the config")


class NotPdf(Exception):
    """A location answered with something that is not a PDF (not worth asking again)."""


def check_pdf(resp: Response) -> bytes:
    """The body if it is a complete PDF; NotPdf for another kind of body, BadBody (retried) if cut short."""
    ctype = resp.content_type.split(";")[0].strip().lower()
    if looks_like_html(resp):
        raise NotPdf(f"an HTML page, not a PDF (content type {ctype or 'none'})")
    if ctype and ctype not in PDF_TYPES:
        raise NotPdf(f"content type {ctype}, not a PDF")
    if PDF_MAGIC not in resp.body[:HEAD_BYTES]:
        raise NotPdf("not a PDF (no %PDF- header)")
    if PDF_EOF not in resp.body[-TAIL_BYTES:]:
        raise BadBody(f"truncated PDF (no %%EOF at the end; {len(resp.body)} bytes)")
    return resp.body


def _check_doi_object(resp: Response) -> dict:
    data = load_json(resp, "Unpaywall")
    if not isinstance(data, dict) or "is_oa" not in data:
        raise BadBody("Unpaywall: the answer is not a DOI object (no is_oa)")
    return data


def pdf_locations(data: Mapping[str, Any]) -> list[dict]:
    """Locations with a PDF link: the best one first, then the others in Unpaywall's order, each once."""
    locs = [data.get("best_oa_location") or {}, *(data.get("oa_locations") or [])]
    out, seen = [], set()
    for loc in locs:
        url = (loc or {}).get("url_for_pdf")
        if url and url not in seen:
            seen.add(url)
            out.append({k: loc.get(k) for k in LOCATION_FIELDS})
    return out


class Unpaywall:
    """Unpaywall's API and the PDF hosts it points to, through one HttpClient."""

    def __init__(self, email: str, *, base_url: str | None = None, client: HttpClient | None = None) -> None:
        if not email:
            raise ConfigError("Unpaywall needs a contact e-mail address")
        self.email = email
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.client = client or HttpClient(requests_per_second=5.0)
        self.client.add_secret(email)
        guard_urllib3_log()

    def lookup(self, doi: str) -> dict | None:
        """The DOI object, or None when Unpaywall does not know the DOI (404)."""
        url = f"{self.base_url}/{quote(doi, safe='/')}"
        try:
            _, data = self.client.get(url, {"email": self.email}, check=_check_doi_object)
        except HttpError as exc:
            if exc.status == 404:
                return None
            if exc.status == 422:
                raise SourceError(f"Unpaywall refused the request (HTTP 422): check the contact e-mail address "
                                  f"({self.client.redact(str(exc))})") from None
            raise
        return data

    def download(self, url: str) -> bytes:
        """A complete PDF from `url`; NotPdf, HttpError or SourceError otherwise."""
        _, body = self.client.get(url, check=check_pdf)
        return body


def _fetch_one(up: Unpaywall, record_id: str, doi: str, folder: Path) -> dict:
    entry: dict[str, Any] = {"record_id": record_id, "doi": doi}
    data = up.lookup(doi)
    if data is None:
        return {**entry, "outcome": NOT_FOUND}
    entry.update({"is_oa": bool(data.get("is_oa")), "oa_status": data.get("oa_status") or ""})
    if not data.get("is_oa"):
        return {**entry, "outcome": NOT_OA}
    failed = []
    for loc in pdf_locations(data):
        try:
            body = up.download(loc["url_for_pdf"])
        except (NotPdf, SourceError) as exc:
            failed.append({"url": loc["url_for_pdf"], "error": str(exc)})
            log.info("%s: %s: %s", record_id, loc["url_for_pdf"], up.client.redact(str(exc)))
            continue
        name = f"{record_id}.pdf"
        atomic_write_bytes(folder / name, body)
        return {**entry, "outcome": SAVED, "host_type": loc["host_type"] or "", "license": loc["license"] or "",
                "version": loc["version"] or "", "evidence": loc["evidence"] or "", "url": loc["url_for_pdf"],
                "landing_page": loc["url_for_landing_page"] or "", "file": name, "bytes": len(body),
                "sha256": hashlib.sha256(body).hexdigest(), "failed": failed}
    best = data.get("best_oa_location") or {}
    return {**entry, "outcome": NO_PDF, "host_type": best.get("host_type") or "", "license": best.get("license") or "",
            "version": best.get("version") or "", "landing_page": best.get("url_for_landing_page") or "",
            "failed": failed}


OUTCOMES = (SAVED, NOT_OA, NO_PDF, NOT_FOUND, NO_DOI)


def fetch_open_access(queue: Iterable[Mapping[str, str]], folder: str | Path, unpaywall: Unpaywall, *,
                      log_path: str | Path | None = None, limit: int | None = None,
                      now: Callable[[], str] = utc_now) -> FetchSummary:
    """Look up every report sought without a full text in `folder`; save the open-access PDFs found.

    The retrieval log (default `<folder>/unpaywall-log.jsonl`) keeps one line per report tried, the
    latest attempt. A lookup that fails after the client's retries stops the run with a SourceError
    (Unpaywall itself is failing); the log is written first, and the PDFs saved so far stay."""
    folder = Path(folder)

    def one(row: Mapping[str, Any]) -> dict:
        rid = str(row["record_id"])
        doi = normalise_doi(str(row.get("doi") or ""))
        if not doi:
            return {"record_id": rid, "doi": "", "outcome": NO_DOI}
        try:
            return _fetch_one(unpaywall, rid, doi, folder)
        except SourceError as exc:
            raise SourceError(f"Unpaywall lookup of {doi} (record {rid}) failed: "
                              f"{unpaywall.client.redact(str(exc))}") from None

    return fetch_each(queue, folder, Path(log_path) if log_path else folder / LOG_NAME, OUTCOMES, one,
                      limit=limit, now=now, clean=lambda e: _redacted(e, unpaywall.client.redact))


def _redacted(obj: Any, redact: Callable[[str], str]) -> Any:
    """Every string in a log entry through the client's redaction (the e-mail never reaches the log)."""
    if isinstance(obj, str):
        return redact(obj)
    if isinstance(obj, dict):
        return {k: _redacted(v, redact) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_redacted(v, redact) for v in obj]
    return obj
