"""Search APIs (PubMed, Europe PMC, OpenAlex, Crossref) with snapshot record/replay, and citation chasing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reviewflow.errors import SourceError

if TYPE_CHECKING:
    from reviewflow.sources.base import Source

# The clients are imported when one is made: the HTTP stack is not every command's business.
SOURCES = ("crossref", "europepmc", "openalex", "pubmed")


def make_source(name: str, query: str, *, base_url: str | None = None, filters: str | None = None,
                email: str | None = None, api_key: str | None = None) -> Source:
    """A client for `name`; email/api_key go where each API takes them (else from the environment)."""
    from reviewflow.sources.crossref import Crossref
    from reviewflow.sources.europepmc import EuropePMC
    from reviewflow.sources.openalex import OpenAlex
    from reviewflow.sources.pubmed import PubMed

    if name == "pubmed":
        return PubMed(query, base_url=base_url, filters=filters, email=email, api_key=api_key)
    if name == "openalex":
        return OpenAlex(query, base_url=base_url, filters=filters, mailto=email, api_key=api_key)
    if name == "crossref":
        return Crossref(query, base_url=base_url, filters=filters, mailto=email)
    if name == "europepmc":
        if filters:
            raise SourceError("europepmc: put filters in the query itself (e.g. PUB_YEAR:[2000 TO 2022])")
        return EuropePMC(query, base_url=base_url)
    raise SourceError(f"unknown source {name!r} (one of {', '.join(sorted(SOURCES))})")


def register_sources(sub: Any) -> None:
    """Add the `search` command to the CLI's subparsers."""
    from reviewflow.sources.cli import add_search_command

    add_search_command(sub)


__all__ = ["SOURCES", "make_source", "register_sources"]
