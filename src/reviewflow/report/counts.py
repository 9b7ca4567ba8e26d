"""PRISMA 2020 counts from the ledger, and the invariants an auditor checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def prisma_counts(rows: Iterable[Mapping[str, str]], databases: list[str],
                  reasons: list[str]) -> dict:
    """counts.json exactly as the design's contract says (plus `awaiting`, by addition)."""
    identified = dict.fromkeys(databases, 0)
    ft_excluded = dict.fromkeys(reasons, 0)
    n: dict[str, int] = {}
    studies: set[str] = set()
    for r in rows:
        src = r["source"]
        if src not in identified:
            raise ValueError(f"ledger source {src!r} is not a configured database")
        identified[src] += 1
        n[r["state"]] = n.get(r["state"], 0) + 1
        if r["state"] == "ft_excluded":
            if r["reason"] not in ft_excluded:
                raise ValueError(f"full-text reason {r['reason']!r} is not in the config")
            ft_excluded[r["reason"]] += 1
        if r["state"] == "included":
            studies.add(r["study_id"])
    g = n.get
    reports_included = g("included", 0)
    assessed = g("ft_pending", 0) + g("ft_excluded", 0) + reports_included
    sought = g("retrieval_pending", 0) + g("not_retrieved", 0) + assessed
    screened = g("ta_pending", 0) + g("ta_excluded", 0) + sought
    return {
        "identified": identified,
        "duplicates_removed": g("duplicate", 0),
        "automation_excluded": g("auto_excluded", 0),
        "other_removed": g("rejected", 0),
        "screened": screened,
        "screen_excluded": g("ta_excluded", 0),
        "sought": sought,
        "not_retrieved": g("not_retrieved", 0),
        "assessed": assessed,
        "fulltext_excluded": ft_excluded,
        "included": len(studies),
        "reports_included": reports_included,
        # Records still waiting on people; all zero once every decision is in.
        "awaiting": {
            "title_abstract": g("ta_pending", 0),
            "retrieval": g("retrieval_pending", 0),
            "full_text": g("ft_pending", 0),
        },
    }


def check_invariants(c: Mapping) -> list[dict]:
    """Each PRISMA box reconciles with the next; returns [{name, ok, detail}]."""
    aw = c.get("awaiting", {})
    total = sum(c["identified"].values())
    removed = c["duplicates_removed"] + c["automation_excluded"] + c["other_removed"]
    ft_sum = sum(c["fulltext_excluded"].values())
    checks = [
        ("identified = removed before screening + screened",
         total == removed + c["screened"], f"{total} = {removed} + {c['screened']}"),
        ("screened = excluded + sought (+ awaiting)",
         c["screened"] == c["screen_excluded"] + c["sought"] + aw.get("title_abstract", 0),
         f"{c['screened']} = {c['screen_excluded']} + {c['sought']} + {aw.get('title_abstract', 0)}"),
        ("sought = not retrieved + assessed (+ awaiting)",
         c["sought"] == c["not_retrieved"] + c["assessed"] + aw.get("retrieval", 0),
         f"{c['sought']} = {c['not_retrieved']} + {c['assessed']} + {aw.get('retrieval', 0)}"),
        ("assessed − excluded (− awaiting) = reports included",
         c["assessed"] - ft_sum - aw.get("full_text", 0) == c["reports_included"],
         f"{c['assessed']} − {ft_sum} − {aw.get('full_text', 0)} = {c['reports_included']}"),
        ("reports included ≥ studies included", c["reports_included"] >= c["included"],
         f"{c['reports_included']} ≥ {c['included']}"),
        ("nothing awaits people", not any(aw.values()),
         ", ".join(f"{k}: {v}" for k, v in sorted(aw.items()))),
    ]
    return [{"name": n, "ok": bool(ok), "detail": d} for n, ok, d in checks]
