"""Which databases export which documents: exact per-database counts, every document at least once."""

from __future__ import annotations

import random

from reviewflow.demo.corpus import Doc
from reviewflow.demo.plan import largest_remainder
from reviewflow.errors import ConfigError

# Relevant documents are indexed by more databases than stray hits of a broad search.
KIND_WEIGHT = {"included": 6.0, "conference_abstract": 3.0, "erratum": 2.0, "review": 3.0,
               "commentary": 2.5, "out_of_range_year": 2.0, "other_language": 1.0,
               "irrelevant": 1.0}
NEAR_MISS_WEIGHT = {1: 4.0, 0: 2.5}


def weight(doc: Doc) -> float:
    if doc.kind.startswith("near_miss_"):
        return NEAR_MISS_WEIGHT[doc.ta_include]
    return KIND_WEIGHT.get(doc.kind, 1.0)


def _allowed(doc: Doc, family: str) -> bool:
    return doc.allowed is None or family in doc.allowed


def assign(docs: list[Doc], identified: dict[str, int], families: dict[str, str],
           seed: int) -> dict[str, list[Doc]]:
    """Each database's exported documents, in export order."""
    rng = random.Random(f"{seed}:assign")
    dbs = sorted(identified)
    total = sum(identified.values())
    # Phase 1: every document gets one home database; quotas proportional to export sizes.
    quota = largest_remainder(len(docs), {d: float(identified[d]) for d in dbs})
    members: dict[str, set[str]] = {d: set() for d in dbs}
    by_id = {doc.doc_id: doc for doc in docs}
    constrained = [d for d in docs if d.needs is not None or d.allowed is not None]
    free = [d for d in docs if d.needs is None and d.allowed is None]
    rng.shuffle(free)
    for doc in constrained + free:
        ok = [d for d in dbs if _allowed(doc, families[d])
              and (doc.needs is None or families[d] in doc.needs)]
        if not ok:
            ok = [d for d in dbs if _allowed(doc, families[d])] or dbs
        with_quota = [d for d in ok if quota[d] > 0]
        if with_quota:
            home = rng.choices(with_quota, weights=[quota[d] for d in with_quota])[0]
        else:
            room = [d for d in ok if len(members[d]) < identified[d]]
            if not room:
                raise ConfigError("demo.shape: per-database counts leave no room for "
                                  f"document kind {doc.kind}")
            home = room[0]
            donor = max((d for d in dbs if quota[d] > 0), key=lambda d: (quota[d], d))
            quota[donor] -= 1
            quota[home] += 1
        quota[home] -= 1
        members[home].add(doc.doc_id)
    # Phase 2: fill each database up to its exact count, favouring relevant documents
    # (weighted sampling without replacement, Efraimidis-Spirakis keys).
    for d in dbs:
        need = identified[d] - len(members[d])
        cands = [doc for doc in docs if doc.doc_id not in members[d]
                 and _allowed(doc, families[d])]
        if need > len(cands):
            raise ConfigError(f"demo.shape: database {d} cannot hold {identified[d]} records")
        keyed = sorted(cands, key=lambda doc: -(rng.random() ** (1.0 / weight(doc))))
        members[d].update(doc.doc_id for doc in keyed[:need])
    out: dict[str, list[Doc]] = {}
    for d in dbs:
        ids = sorted(members[d])
        rng.shuffle(ids)
        out[d] = [by_id[i] for i in ids]
    assert sum(len(v) for v in out.values()) == total
    return out
