"""Shared pieces of the full-text tests: PDF bytes, a retrieval queue, the loopback server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sources.conftest import ReplayServer

DATA = Path(__file__).parent / "data"

# A small but complete PDF: the header, one object, a trailer and the end-of-file marker.
PDF = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
       b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")


def pdf(label: str = "") -> bytes:
    """A distinct complete PDF per label (so a test can tell which location it came from)."""
    return PDF.replace(b"<< /Type /Catalog >>", b"<< /Type /Catalog /Title (" + label.encode() + b") >>")


def queue_row(record_id: str, doi: str = "") -> dict:
    """A retrieval queue row as run_retrieval_sheet writes it (DOI as a doi.org link)."""
    return {"record_id": record_id, "title": f"Title of {record_id}", "authors": "Example A", "year": "2020",
            "journal": "J Test", "doi": f"https://doi.org/{doi}" if doi else "", "file": f"{record_id}.pdf"}


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    s = ReplayServer()
    yield s
    s.stop()
