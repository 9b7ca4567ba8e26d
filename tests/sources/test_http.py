"""The retry policy against a loopback server: every fault ends in a good response or a clear SourceError."""

from __future__ import annotations

import json

import pytest

from reviewflow.errors import SourceError
from reviewflow.sources.base import load_json
from reviewflow.sources.http import HttpClient, HttpError, redact_text, redact_url
from tests.sources.conftest import ReplayServer, Reply, as_json, fast_client

OK = {"meta": {"count": 1}, "results": [{"id": "W1"}]}


def ok_app(req):
    return as_json(OK)


def get(client: HttpClient, server: ReplayServer, **params):
    return client.get(f"{server.url}/works", params, check=lambda r: load_json(r, "test"))


def test_redaction_of_urls_and_text() -> None:
    url = "https://x.org/e?db=pubmed&term=a+b&api_key=SECRET123&email=me%40uni.edu&mailto=me@uni.edu&tool=rf"
    red = redact_url(url)
    assert "SECRET123" not in red and "uni.edu" not in red
    assert "term=a+b" in red and "tool=rf" in red and "api_key=REDACTED" in red
    text = "failed: /e?API_KEY=SECRET123 contact me@uni.edu or me%40uni.edu"
    out = redact_text(text, ["me@uni.edu"])
    assert "SECRET123" not in out and "uni.edu" not in out


def test_429_honours_retry_after(server: ReplayServer) -> None:
    server.app = ok_app
    server.fault(Reply(429, b'{"error":"API rate limit exceeded","count":"4","limit":"3"}',
                       headers={"Retry-After": "7"}))
    client = fast_client()
    _, data = get(client, server)
    assert data == OK
    assert client.waits == [7.0]
    assert len(server.requests) == 2


def test_retry_after_too_long_is_a_clear_error(server: ReplayServer) -> None:
    server.app = ok_app
    server.fault(Reply(429, b"slow down", "text/plain", headers={"Retry-After": "86400"}))
    with pytest.raises(SourceError, match="wait 86400 s"):
        get(fast_client(), server)


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retried(server: ReplayServer, status: int) -> None:
    server.app = ok_app
    server.fault(Reply(status, b"<html><body>Bad gateway</body></html>", "text/html"), times=2)
    _, data = get(fast_client(), server)
    assert data == OK
    assert len(server.requests) == 3


def test_persistent_server_error_gives_up_clearly(server: ReplayServer) -> None:
    server.app = lambda req: Reply(503, b"Service Unavailable", "text/plain")
    with pytest.raises(SourceError, match=r"gave up after 4 attempts: HTTP 503"):
        get(fast_client(), server, api_key="SECRET123")
    assert len(server.requests) == 4


def test_slow_response_past_timeout_is_retried(server: ReplayServer) -> None:
    server.app = ok_app
    server.fault(Reply(200, json.dumps(OK).encode(), delay=0.6))
    _, data = get(fast_client(timeout=(1.0, 0.2)), server)
    assert data == OK


@pytest.mark.parametrize("keep_length", [True, False])
def test_truncated_body_is_detected_and_retried(server: ReplayServer, keep_length: bool) -> None:
    body = json.dumps(OK).encode()
    server.app = ok_app
    server.fault(Reply(200, body, truncate_to=len(body) // 2, keep_length=keep_length))
    _, data = get(fast_client(), server)
    assert data == OK
    assert len(server.requests) == 2


def test_html_error_page_with_status_200(server: ReplayServer) -> None:
    page = b"<!DOCTYPE html><html><head><title>Maintenance</title></head><body>Back soon</body></html>"
    server.app = lambda req: Reply(200, page, "text/html")
    with pytest.raises(SourceError, match="HTML page instead of JSON"):
        get(fast_client(), server)
    server.app = ok_app
    server.fault(Reply(200, page, "text/html"))
    assert get(fast_client(), server)[1] == OK


def test_client_errors_are_not_retried_and_name_the_status(server: ReplayServer) -> None:
    server.app = lambda req: Reply(404, b"Resource not found.", "text/plain")
    with pytest.raises(HttpError, match="HTTP 404: Resource not found") as info:
        get(fast_client(), server, mailto="me@uni.edu")
    assert info.value.status == 404
    assert "uni.edu" not in str(info.value)
    assert len(server.requests) == 1


def test_connection_refused_is_retried_then_clear(server: ReplayServer) -> None:
    url = server.url
    server.stop()
    client = fast_client(attempts=2)
    with pytest.raises(SourceError, match="gave up after 2 attempts") as info:
        client.get(f"{url}/works", {"api_key": "SECRET123"}, check=lambda r: r)
    assert "SECRET123" not in str(info.value)


def test_rate_limit_spaces_requests() -> None:
    now = [100.0]
    waits: list[float] = []

    def sleep(s: float) -> None:
        waits.append(round(s, 6))
        now[0] += s

    client = HttpClient(requests_per_second=3, sleep=sleep, clock=lambda: now[0])
    for _ in range(3):
        client._throttle()
    assert waits == [pytest.approx(1 / 3), pytest.approx(1 / 3)]
    now[0] += 5  # idle time is not saved up for a burst beyond the rate
    client._throttle()
    assert len(waits) == 2


def test_offline_client_refuses() -> None:
    with pytest.raises(SourceError, match="offline"):
        HttpClient(offline=True).get("http://127.0.0.1:9/x", {"api_key": "K"}, check=lambda r: r)


def test_contact_email_and_key_never_reach_debug_logs(server: ReplayServer, caplog: pytest.LogCaptureFixture) -> None:
    """urllib3 logs each request line at DEBUG: the client masks mailto=/api_key= there too."""
    server.app = lambda req: as_json({"ok": True})
    client = fast_client(secrets=["team@example.org", "k3y-secret"])
    with caplog.at_level("DEBUG"):
        client.get(f"{server.url}/works", {"search": "peer", "mailto": "team@example.org", "api_key": "k3y-secret"},
                   check=lambda r: load_json(r, "test"))
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "/works?" in text  # the request line was logged...
    assert "team@example.org" not in text and "team%40example.org" not in text and "k3y-secret" not in text
