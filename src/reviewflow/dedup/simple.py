"""The foundation's deduplication, in three passes over the records in source order.

1. Exact DOI.  2. Same normalised title, years at most one apart (online vs print).
3. Near-identical titles (rapidfuzz) within blocks of first author and year.
Passes 2 and 3 merge only pairs that no field proves different (dedup/compare.py): another
DOI, an erratum or conference abstract beside an article, other pages, volume or journal.
The representative of a group is its first member in source order (configured database
order, then file, then record index).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from rapidfuzz import fuzz

from ..records import Record
from .compare import Features, compatible
from .normalise import fold, title_key

METHOD = ("exact DOI; normalised title with year ±1; near-identical title (rapidfuzz ≥ 96) "
          "within first-author blocks; vetoed by conflicting DOI, kind, pages, volume or journal")
FUZZY_MIN = 96.0


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {i: [i] for i in range(n)}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller index (earlier in source order) stays the root.
            lo, hi = min(ra, rb), max(ra, rb)
            self.parent[hi] = lo
            self.members[lo] += self.members.pop(hi)

    def union_if(self, a: int, b: int, feats: list[Features]) -> None:
        """Merge two groups only if every pair across them is compatible (no chaining)."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb and all(compatible(feats[x], feats[y])
                            for x in self.members[ra] for y in self.members[rb]):
            self.union(ra, rb)


def group_records(records: Sequence[Record]) -> list[int]:
    """For records in source order, the index of each one's group representative."""
    uf = _UnionFind(len(records))
    feats = [Features.of(r) for r in records]

    by_doi: dict[str, int] = {}
    for i, r in enumerate(records):
        if r.doi:
            j = by_doi.setdefault(r.doi, i)
            if j != i:
                uf.union(i, j)

    by_title: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        key = title_key((r.title or "").replace("&", " and "))
        if len(key) >= 10:  # very short titles ('Editorial') say nothing
            by_title[key].append(i)
    for members in by_title.values():
        _link_compatible(uf, members, feats)

    blocks: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        if f.author and records[i].title:
            blocks[f.author].append(i)
    titles = [fold((r.title or "").replace("&", " and ")) for r in records]
    for members in blocks.values():
        if len(members) < 2:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                if uf.find(i) != uf.find(j) and fuzz.ratio(titles[i], titles[j], score_cutoff=FUZZY_MIN):
                    uf.union_if(i, j, feats)
    return [uf.find(i) for i in range(len(records))]


def _link_compatible(uf: _UnionFind, members: list[int], feats: list[Features]) -> None:
    for x, i in enumerate(members):
        for j in members[x + 1:]:
            uf.union_if(i, j, feats)


def merge(members: Sequence[Record]) -> Record:
    """The representative, with empty fields filled from the other members in order.

    Publication types and keywords accumulate: databases index the same report differently
    (EBSCO calls nearly everything 'Article'), and an automatic rule should see them all.
    """
    rep = members[0]
    merged = replace(rep, raw=dict(rep.raw), publication_type=list(rep.publication_type),
                     keywords=list(rep.keywords))
    for other in members[1:]:
        for name in ("title", "abstract", "year", "journal", "volume", "issue", "pages", "doi",
                     "pmid", "language", "url"):
            if getattr(merged, name) in (None, ""):
                setattr(merged, name, getattr(other, name))
        for name in ("authors", "issn"):
            if not getattr(merged, name):
                setattr(merged, name, list(getattr(other, name)))
        for name in ("publication_type", "keywords"):
            have = getattr(merged, name)
            have += [v for v in getattr(other, name) if v not in have]
    return merged
