"""One record per group, saying which member gave each field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ..records import Record

_SCALARS = ("title", "abstract", "year", "journal", "volume", "issue", "pages", "doi", "pmid", "language", "url")
_LISTS = ("authors", "issn")
_ACCUMULATE = ("publication_type", "keywords")


def merge_group(members: Sequence[Record]) -> tuple[Record, dict[str, Any]]:
    """The merged record of a group (members in source order) and its provenance.

    The first member is the representative and keeps its id and raw fields; each empty field
    is filled from the first later member that has it. Publication types and keywords
    accumulate: databases index the same report differently (EBSCO calls nearly everything
    'Article'), and an automatic eligibility rule should see them all.

    Provenance: {"id", "members": every member id in source order, "sources": their
    databases, "fields": {field: id of the member that gave it}, "accumulated": {field:
    {value: id of the first member with it}}}.
    """
    rep = members[0]
    merged = replace(rep, raw=dict(rep.raw), publication_type=list(rep.publication_type),
                     keywords=list(rep.keywords), authors=list(rep.authors), issn=list(rep.issn))
    given: dict[str, str] = {}
    for name in _SCALARS + _LISTS:
        for m in members:
            value = getattr(m, name)
            if value not in (None, "", []):
                if m is not rep:
                    setattr(merged, name, list(value) if isinstance(value, list) else value)
                given[name] = m.id
                break
    accumulated: dict[str, dict[str, str]] = {}
    for name in _ACCUMULATE:
        have: list[str] = []
        origin: dict[str, str] = {}
        for m in members:
            for v in getattr(m, name):
                if v not in origin:
                    origin[v] = m.id
                    have.append(v)
        setattr(merged, name, have)
        if origin:
            accumulated[name] = origin
    provenance = {"id": rep.id, "members": [m.id for m in members], "sources": [m.source for m in members],
                  "fields": given, "accumulated": accumulated}
    return merged, provenance


def merge(members: Sequence[Record]) -> Record:
    """The merged record alone (see `merge_group`)."""
    return merge_group(members)[0]
