"""The foundation's deduplication: exact DOI, else normalised title + year.

Groups are connected components over the two keys. The representative of a group is its
first member in source order (configured database order, then file, then record index).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..records import Record
from .normalise import title_key

METHOD = "exact DOI, else normalised title + year (reviewflow simple)"


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller index (earlier in source order) stays the root.
            self.parent[max(ra, rb)] = min(ra, rb)


def group_records(records: Sequence[Record]) -> list[int]:
    """For records in source order, the index of each one's group representative."""
    uf = _UnionFind(len(records))
    first_by_key: dict[str, int] = {}
    for i, r in enumerate(records):
        keys = []
        if r.doi:
            keys.append("doi:" + r.doi)
        t = title_key(r.title)
        if t and r.year:
            keys.append(f"ty:{t}:{r.year}")
        for k in keys:
            j = first_by_key.setdefault(k, i)
            if j != i:
                uf.union(i, j)
    return [uf.find(i) for i in range(len(records))]


def merge(members: Sequence[Record]) -> Record:
    """The representative, with empty fields filled from the other members in order."""
    rep = members[0]
    merged = replace(rep, raw=dict(rep.raw))
    for other in members[1:]:
        for name in ("title", "abstract", "year", "journal", "volume", "issue", "pages", "doi",
                     "pmid", "language", "url"):
            if getattr(merged, name) in (None, ""):
                setattr(merged, name, getattr(other, name))
        for name in ("authors", "issn", "publication_type", "keywords"):
            if not getattr(merged, name):
                setattr(merged, name, list(getattr(other, name)))
    return merged
