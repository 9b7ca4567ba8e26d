"""Blocking: the candidate pairs worth comparing, from several keys per record.

Each record gets a handful of keys (DOI, PMID, title prefix and suffix, pairs of its rarest title
words, first author with year, journal position); records sharing a key become candidate pairs.
A key shared by very many records (a common surname and year in a large corpus) is not
compared all-against-all: its records are sorted by title and each is paired with its next few
neighbours, so candidate pairs grow about linearly with the corpus.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from .features import Feat

# Blocks up to this size are compared all-against-all (at most MAX_BLOCK^2/2 pairs each).
MAX_BLOCK = 60
# In a larger block each record meets this many title-sorted neighbours.
WINDOW = 8
TITLE_AFFIX = 24
_STOP = frozenset("""a an and are as at be by for from has in into is it its of on or that the their this to
was were with without within between among after before during under over versus vs via using use used based
study studies""".split())


def _rare_words(f: Feat, df: Counter[str]) -> list[str]:
    words = {w for w in f.title.split() if len(w) > 2 and w not in _STOP}
    return sorted(words, key=lambda w: (df[w], w))[:3]


def record_keys(f: Feat, df: Counter[str]) -> list[str]:
    """The blocking keys of one record (document frequencies `df` of title words)."""
    keys = []
    if f.doi:
        keys.append("d" + f.doi)
    if f.pmid:
        keys.append("p" + f.pmid)
    if len(f.tkey) >= 12:
        keys.append("t" + f.tkey[:TITLE_AFFIX])
        keys.append("e" + f.tkey[-TITLE_AFFIX:])
        rare = _rare_words(f, df)
        for i in range(len(rare)):
            for j in range(i + 1, len(rare)):
                keys.append(f"w{rare[i]} {rare[j]}")
    if f.first and f.year:
        # Year and year+1: records one year apart (online vs print) share the second key.
        keys.append(f"a{f.first} {f.year}")
        keys.append(f"a{f.first} {f.year + 1}")
    if f.jinit and f.volume and f.fpage:
        keys.append(f"j{f.jinit} {f.volume} {f.fpage}")
    return keys


def candidate_pairs(feats: Sequence[Feat]) -> list[tuple[int, int]]:
    """Sorted (i, j), i < j, of records sharing a key; indexes into `feats`.

    `feats` must already be in canonical order (sorted by key): then the pairs, and everything
    decided from them, do not depend on the input's row order."""
    df: Counter[str] = Counter()
    for f in feats:
        df.update(set(f.title.split()))
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        for k in record_keys(f, df):
            blocks[k].append(i)
    pairs: set[int] = set()
    n = len(feats)
    for members in blocks.values():
        m = len(members)
        if m < 2:
            continue
        if m <= MAX_BLOCK:
            for x in range(m):
                i = members[x]
                for j in members[x + 1:]:
                    pairs.add(i * n + j)
        else:
            ordered = sorted(members, key=lambda i: (feats[i].tkey, feats[i].key))
            for x in range(m):
                i = ordered[x]
                for j in ordered[x + 1:x + 1 + WINDOW]:
                    pairs.add(min(i, j) * n + max(i, j))
    return [divmod(p, n) for p in sorted(pairs)]
