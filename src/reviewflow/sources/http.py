"""One HTTP session for every search API: rate limit, retries, timeouts, and secrets kept out of logs."""

from __future__ import annotations

import email.utils
import logging
import os
import random
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import requests
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from reviewflow import __version__
from reviewflow.errors import SourceError

log = logging.getLogger("reviewflow.sources")

# Query parameters whose values identify a person or unlock an account: never logged or stored.
SECRET_PARAMS = ("api_key", "email", "mailto")
MASK = "REDACTED"
USER_AGENT = f"reviewflow/{__version__} (systematic-review pipeline)"

_SECRET_RE = re.compile(r"(?i)\b(" + "|".join(SECRET_PARAMS) + r")=([^&\s\"'<>]*)")

LOOPBACK_ONLY = "REVIEWFLOW_LOOPBACK_ONLY"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
T = TypeVar("T")


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with secret query values and every known secret string (also URL-encoded) masked."""
    out = _SECRET_RE.sub(lambda m: f"{m.group(1)}={MASK}", text)
    for s in secrets:
        if s and len(s) >= 3:
            for form in {s, quote(s, safe=""), quote(s), quote(s, safe="").replace("%20", "+")}:
                out = out.replace(form, MASK)
    return out


def redact_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of request parameters with the secret ones masked."""
    return {k: (MASK if k.lower() in SECRET_PARAMS else v) for k, v in params.items()}


def redact_url(url: str) -> str:
    """The URL with secret query parameters masked (everything else exactly as sent)."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = [(k, MASK if k.lower() in SECRET_PARAMS else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(query=urlencode(pairs, safe="*:/,")))


class HttpError(SourceError):
    """An HTTP error status that retrying will not fix (404, 400, ...)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Response:
    """A response as far as we keep it: the redacted URL, status, content type and body bytes."""

    url: str
    status: int
    content_type: str
    body: bytes

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Transient(Exception):
    """A failure worth retrying: rate limit, server error, timeout, truncated or unexpected body."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class BadBody(Transient):
    """A body that does not parse or is not what the API sends (truncated, HTML error page)."""


def looks_like_html(resp: Response) -> bool:
    """True for an HTML page (proxies and maintenance pages answer 200 with HTML)."""
    head = resp.body[:512].lstrip().lower()
    return "html" in resp.content_type.lower() or head.startswith((b"<!doctype html", b"<html"))


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class _RedactQueryFilter(logging.Filter):
    """Masks secret query values (email=, mailto=, api_key=) in a logger's messages.

    urllib3 logs every request line, query string included, at DEBUG level: with debug logging on,
    an e-mail or key would reach the log. Installed on urllib3's connection-pool logger by every client."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        clean = redact_text(msg)
        if clean != msg:
            record.msg, record.args = clean, ()
        return True


_URLLIB3_FILTER = _RedactQueryFilter()


def guard_urllib3_log() -> None:
    logger = logging.getLogger("urllib3.connectionpool")
    if _URLLIB3_FILTER not in logger.filters:
        logger.addFilter(_URLLIB3_FILTER)


class HttpClient:
    """A requests Session with our retry policy and a per-client rate limit."""

    def __init__(self, *, requests_per_second: float = 3.0, timeout: float | tuple[float, float] = (10.0, 120.0),
                 attempts: int = 6, backoff: float = 1.0, backoff_max: float = 60.0,
                 max_retry_after: float = 600.0, secrets: Iterable[str] = (),
                 session: requests.Session | None = None, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic, offline: bool = False) -> None:
        guard_urllib3_log()
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.interval = 1.0 / requests_per_second if requests_per_second > 0 else 0.0
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.max_retry_after = max_retry_after
        self.secrets = [s for s in secrets if s]
        self.offline = offline
        self._sleep = sleep
        self._clock = clock
        self._next_at = 0.0
        self.requests_sent = 0

    def add_secret(self, value: str | None) -> None:
        if value:
            self.secrets.append(value)

    def redact(self, text: str) -> str:
        return redact_text(text, self.secrets)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _throttle(self) -> None:
        """Space request starts at least `interval` apart (NCBI: 3/s, 10/s with a key)."""
        now = self._clock()
        if self._next_at > now:
            self._sleep(self._next_at - now)
            now = self._next_at
        self._next_at = now + self.interval

    def _wait(self, state: RetryCallState) -> float:
        """Retry-After when the server gives one, else exponential backoff with jitter."""
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, Transient) and exc.retry_after is not None:
            return exc.retry_after
        base = min(self.backoff_max, self.backoff * 2 ** (state.attempt_number - 1))
        return base * (0.75 + 0.5 * random.random())

    def _before_sleep(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        wait = state.next_action.sleep if state.next_action else 0
        log.warning("retrying in %.1f s (attempt %d of %d): %s", wait, state.attempt_number, self.attempts,
                    self.redact(str(exc)))

    def request(self, method: str, url: str, params: Mapping[str, Any] | None = None,
                data: Mapping[str, Any] | None = None, *, check: Callable[[Response], T]) -> tuple[Response, T]:
        """Send with retries; `check` parses the body and raises BadBody to have it fetched again."""
        if self.offline:
            raise SourceError(f"network access refused (offline): {self.redact(redact_url(url))}")
        if os.environ.get(LOOPBACK_ONLY) and urlsplit(url).hostname not in LOOPBACK:
            # Set by the test suite (and available to anyone who wants a guarantee): only local servers.
            raise SourceError(f"network access refused ({LOOPBACK_ONLY} is set): {_short(redact_url(url))}")
        retrying = Retrying(stop=stop_after_attempt(self.attempts), wait=self._wait,
                            retry=retry_if_exception_type(Transient), sleep=self._sleep,
                            before_sleep=self._before_sleep, reraise=True)
        try:
            for attempt in retrying:
                with attempt:
                    resp = self._once(method, url, params, data)
                    return resp, check(resp)
        except Transient as exc:
            target = _short(self.redact(redact_url(_full_url(url, params))))
            raise SourceError(f"{target}: gave up after {self.attempts} attempts: {self.redact(exc.reason)}") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def get(self, url: str, params: Mapping[str, Any] | None = None, *,
            check: Callable[[Response], T]) -> tuple[Response, T]:
        return self.request("GET", url, params, check=check)

    def post(self, url: str, data: Mapping[str, Any], *, check: Callable[[Response], T]) -> tuple[Response, T]:
        return self.request("POST", url, None, data, check=check)

    def _once(self, method: str, url: str, params: Mapping[str, Any] | None,
              data: Mapping[str, Any] | None) -> Response:
        self._throttle()
        self.requests_sent += 1
        try:
            r = self.session.request(method, url, params=params, data=data, timeout=self.timeout)
            body = r.content  # reads it all: a short body with a Content-Length raises here
        except requests.Timeout as exc:
            raise Transient(f"timed out ({type(exc).__name__})") from None
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError) as exc:
            # urllib3 reports a body cut short of its Content-Length as a broken connection.
            raise Transient(f"connection failed or body truncated ({type(exc).__name__}: {self.redact(str(exc))})") \
                from None
        except requests.RequestException as exc:
            raise SourceError(self.redact(f"request failed: {exc}")) from None
        resp = Response(url=self.redact(redact_url(r.url)), status=r.status_code,
                        content_type=r.headers.get("Content-Type", ""), body=body)
        if r.status_code == 429:
            wait = _retry_after(r.headers.get("Retry-After"))
            if wait is not None and wait > self.max_retry_after:
                raise SourceError(f"{resp.url}: rate limited; the server asks to wait {wait:.0f} s "
                                  f"(more than {self.max_retry_after:.0f} s); try again later")
            raise Transient(f"HTTP 429 rate limited ({_snippet(resp, self)})", retry_after=wait)
        if r.status_code in (408, 500, 502, 503, 504):
            raise Transient(f"HTTP {r.status_code} ({_snippet(resp, self)})",
                            retry_after=_retry_after(r.headers.get("Retry-After")))
        if r.status_code >= 400:
            raise HttpError(f"{resp.url}: HTTP {r.status_code}: {_snippet(resp, self)}", r.status_code)
        return resp


def _short(url: str, n: int = 200) -> str:
    """A URL cut for a one-line message (a PubMed query can be kilobytes long)."""
    return url if len(url) <= n else url[:n] + f"... ({len(url)} characters)"


def _full_url(url: str, params: Mapping[str, Any] | None) -> str:
    return f"{url}?{urlencode(params, doseq=True)}" if params else url


def _snippet(resp: Response, client: HttpClient, n: int = 300) -> str:
    """The start of a body, on one line, for an error message."""
    text = " ".join(resp.text()[:n * 2].split())
    return client.redact(text[:n]) or "empty body"
