"""Deduplication end to end on records in memory: features, blocking, comparison, clustering.

Determinism: records are put in a canonical order (by their stable key) before anything else,
pairs are decided one by one by pure functions, and groups are joined strongest pair first with
ties broken by the records' keys. The groups therefore do not depend on the input's row order
or on `jobs` (worker processes only split the list of pairs; their results are put back in order).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..records import Record
from .block import candidate_pairs
from .compare import DUPLICATE, UNCERTAIN, classify, veto
from .features import Feat, features

METHOD = ("blocking on DOI, PMID, title prefix/suffix, rare title words, first author + year and journal "
          "position; rapidfuzz title similarity with rules on authors, year, journal, volume and pages; hard "
          "vetoes (DOI, PMID, kind of report, year, volume/issue/pages in one journal); groups joined "
          "strongest pair first, never across a veto; uncertain pairs left to a reviewer")

# Below these sizes worker processes cost more than they save. Measured on 100,000 records
# (benchmarks/scale_100k.py, 2 cores): forked workers for the features and the pairs saved no wall
# time (24.0 s against 24.1-24.6 s) and added 0.9 GB, the pages of the record set they touch.
PARALLEL_MIN_PAIRS = 1_000_000
# Reviewer decisions (see review.py).
SAME, DIFFERENT = "duplicate", "different"


@dataclass(frozen=True)
class Pair:
    """One decided candidate pair, by record key (a < b)."""

    a: str
    b: str
    decision: str
    strength: float
    reason: str


@dataclass
class DedupResult:
    """Groups as lists of input indexes (each ascending; groups ordered by first member)."""

    groups: list[list[int]]
    keys: list[str]
    uncertain: list[Pair] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)

    def group_index(self) -> list[int]:
        """For each input record, the input index of its group's first member."""
        rep = [0] * len(self.keys)
        for members in self.groups:
            for i in members:
                rep[i] = members[0]
        return rep


_FEATS: Sequence[Feat] = ()


def _classify_chunk(chunk: Sequence[tuple[int, int]]) -> list[tuple[int, int, str, float, str]]:
    """Decide a slice of the pairs (in a worker, `_FEATS` is inherited from the parent)."""
    out = []
    feats = _FEATS
    for i, j in chunk:
        decision, strength, reason = classify(feats[i], feats[j])
        if decision != "distinct":
            out.append((i, j, decision, strength, reason))
    return out


def _decide(feats: Sequence[Feat], pairs: list[tuple[int, int]], jobs: int) -> list[tuple[int, int, str, float, str]]:
    global _FEATS
    _FEATS = feats
    try:
        if jobs <= 1 or len(pairs) < PARALLEL_MIN_PAIRS or "fork" not in multiprocessing.get_all_start_methods():
            return _classify_chunk(pairs)
        size = -(-len(pairs) // (jobs * 4))
        chunks = [pairs[k:k + size] for k in range(0, len(pairs), size)]
        # fork: the workers inherit the features instead of receiving them pickled.
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            parts = pool.map(_classify_chunk, chunks)
        return [row for part in parts for row in part]
    finally:
        _FEATS = ()


_RECORDS: tuple[Sequence[Record], Sequence[str], Sequence[int]] = ((), (), ())
PARALLEL_MIN_RECORDS = 500_000


def _features_chunk(span: tuple[int, int]) -> list[Feat]:
    records, keys, order = _RECORDS
    return [features(records[i], keys[i]) for i in order[span[0]:span[1]]]


def _features(records: Sequence[Record], keys: Sequence[str], order: Sequence[int], jobs: int) -> list[Feat]:
    """Features of the records in canonical order (a pure function of each record)."""
    global _RECORDS
    n = len(order)
    if jobs <= 1 or n < PARALLEL_MIN_RECORDS or "fork" not in multiprocessing.get_all_start_methods():
        return [features(records[i], keys[i]) for i in order]
    _RECORDS = (records, keys, order)
    try:
        size = -(-n // (jobs * 2))
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            parts = pool.map(_features_chunk, [(k, min(n, k + size)) for k in range(0, n, size)])
        return [f for part in parts for f in part]
    finally:
        _RECORDS = ((), (), ())


class _Groups:
    """Union-find that keeps member lists, so a join can check every pair across two groups."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {i: [i] for i in range(n)}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, ra: int, rb: int) -> None:
        lo, hi = min(ra, rb), max(ra, rb)
        self.parent[hi] = lo
        self.members[lo] += self.members.pop(hi)


def deduplicate(records: Sequence[Record], keys: Sequence[str] | None = None, *, jobs: int = 1,
                decisions: Mapping[tuple[str, str], str] | None = None) -> DedupResult:
    """Group duplicate records.

    keys: the stable id of each record (default: `Record.id`); they order everything, so give
    ids that do not depend on the row order. decisions: reviewer decisions by (key, key) with
    the smaller key first, SAME or DIFFERENT; they win over the automatic ones, except that two
    different DOIs are never joined.
    """
    n = len(records)
    keys = [r.id for r in records] if keys is None else list(keys)
    if len(keys) != n:
        raise ValueError("one key per record")
    order = sorted(range(n), key=lambda i: (keys[i], i))
    feats = _features(records, keys, order, max(1, min(jobs, os.cpu_count() or 1)))
    pos_of_key = {f.key: p for p, f in enumerate(feats)}
    pairs = candidate_pairs(feats)
    decided = _decide(feats, pairs, max(1, min(jobs, os.cpu_count() or 1)))

    decisions = dict(decisions or {})
    cannot: set[tuple[int, int]] = set()
    forced: list[tuple[int, int]] = []
    for (ka, kb), verdict in sorted(decisions.items()):
        if ka not in pos_of_key or kb not in pos_of_key:
            continue
        pa, pb = sorted((pos_of_key[ka], pos_of_key[kb]))
        if verdict == DIFFERENT:
            cannot.add((pa, pb))
        elif verdict == SAME:
            forced.append((pa, pb))

    forced_set = set(forced)
    edges = [(-1000.0, feats[i].key, feats[j].key, i, j) for i, j in forced]
    uncertain_pos: list[tuple[int, int, float, str]] = []
    for i, j, decision, strength, reason in decided:
        if (i, j) in cannot or (i, j) in forced_set:
            continue
        if decision == DUPLICATE:
            edges.append((-strength, feats[i].key, feats[j].key, i, j))
        elif decision == UNCERTAIN:
            uncertain_pos.append((i, j, strength, reason))
    edges.sort()

    groups = _Groups(n)
    refused = 0
    for _, _, _, i, j in edges:
        ra, rb = groups.find(i), groups.find(j)
        if ra == rb:
            continue
        if _joinable(groups.members[ra], groups.members[rb], feats, cannot, forced_set):
            groups.join(ra, rb)
        else:
            refused += 1

    uncertain = []
    for i, j, strength, reason in uncertain_pos:
        if groups.find(i) != groups.find(j):
            uncertain.append(Pair(feats[i].key, feats[j].key, UNCERTAIN, strength, reason))
    uncertain.sort(key=lambda p: (p.a, p.b))

    # Back to input indexes.
    by_root: dict[int, list[int]] = {}
    for p in range(n):
        by_root.setdefault(groups.find(p), []).append(order[p])
    out = sorted(sorted(m) for m in by_root.values())
    stats = {"records": n, "candidate_pairs": len(pairs),
             "duplicate_pairs": sum(1 for d in decided if d[2] == DUPLICATE),
             "uncertain_pairs_open": len(uncertain), "joins_refused": refused,
             "reviewer_decisions": len(decisions), "groups": len(out)}
    return DedupResult(out, keys, uncertain, stats)


def _joinable(ga: list[int], gb: list[int], feats: Sequence[Feat], cannot: set[tuple[int, int]],
              forced: set[tuple[int, int]]) -> bool:
    """Complete linkage on vetoes: no pair across the two groups may be proved different.

    A reviewer's 'duplicate' lifts the veto for that pair, except different DOIs (or PMIDs)."""
    for x in ga:
        fx = feats[x]
        for y in gb:
            pair = (x, y) if x < y else (y, x)
            if pair in cannot:
                return False
            why = veto(fx, feats[y])
            if why and (why in ("doi", "pmid") or pair not in forced):
                return False
    return True


def group_records(records: Sequence[Record], jobs: int = 1) -> list[int]:
    """For records in source order, the index of each one's group representative (its first
    member in source order)."""
    return deduplicate(records, jobs=jobs).group_index()
