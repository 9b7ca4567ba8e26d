"""A full text read twice in one process (extraction and coding, both jobs in Snakemake's process) is parsed once."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from reviewflow.article import read as article_read
from reviewflow.errors import InputFileError


@pytest.fixture
def counted(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = article_read.read_article_bytes

    def parse(data: bytes, name: str):
        calls.append(name)
        time.sleep(0.05)           # long enough for a second thread to ask while the first parses
        return real(data, name)

    monkeypatch.setattr(article_read, "read_article_bytes", parse)
    monkeypatch.setattr(article_read, "_CACHE", type(article_read._CACHE)())
    monkeypatch.setattr(article_read, "_LOCKS", {})
    return calls


def test_same_bytes_are_parsed_once_even_by_two_threads_at_once(tmp_path: Path, counted: list[str]) -> None:
    f = tmp_path / "study.md"
    f.write_text("# Findings\n\nPeers were trusted.\n", encoding="utf-8")
    got = []
    threads = [threading.Thread(target=lambda: got.append(article_read.read_article(f))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert counted == [str(f)] and got[0] is got[1]
    assert "Peers were trusted." in got[0].text()

    f.write_text("# Findings\n\nPeers were not trusted.\n", encoding="utf-8")   # changed bytes: read again
    assert "not trusted" in article_read.read_article(f).text() and len(counted) == 2


def test_a_refused_file_is_refused_every_time(tmp_path: Path, counted: list[str]) -> None:
    f = tmp_path / "empty.pdf"
    f.write_bytes(b"  ")
    for _ in range(2):
        with pytest.raises(InputFileError, match="empty"):
            article_read.read_article(f)
    assert len(counted) == 2 and article_read._LOCKS == {}


def test_the_cache_keeps_only_the_latest_articles(tmp_path: Path, counted: list[str], monkeypatch) -> None:
    monkeypatch.setattr(article_read, "CACHE_SIZE", 2)
    files = []
    for i in range(3):
        files.append(tmp_path / f"s{i}.txt")
        files[-1].write_text(f"Study {i} text.\n", encoding="utf-8")
        article_read.read_article(files[-1])
    assert len(article_read._CACHE) == 2 and len(article_read._LOCKS) == 2
    article_read.read_article(files[0])            # dropped: parsed again
    assert counted == [str(files[0]), str(files[1]), str(files[2]), str(files[0])]
