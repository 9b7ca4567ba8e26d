"""PRISMA 2020 counts from the ledger, and the invariants an auditor checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def _column(rows: Iterable[Mapping[str, str]], sources: list[str], reasons: list[str], *,
            strict: bool) -> tuple[dict, set[str]]:
    """One column of the diagram from its ledger rows, and the study ids it includes."""
    identified = dict.fromkeys(sources, 0)
    ft_excluded = dict.fromkeys(reasons, 0)
    n: dict[str, int] = {}
    studies: set[str] = set()
    for r in rows:
        src = r["source"]
        if src not in identified:
            if strict:
                raise ValueError(f"ledger source {src!r} is not a configured database")
            identified[src] = 0
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
        "reports_included": reports_included,
        # Records still waiting on people; all zero once every decision is in.
        "awaiting": {
            "title_abstract": g("ta_pending", 0),
            "retrieval": g("retrieval_pending", 0),
            "full_text": g("ft_pending", 0),
        },
    }, studies


def update_rows(rows: Iterable[Mapping[str, str]], previous: Mapping) -> list[dict]:
    """The ledger rows of an update: records the previous version had not identified. A new record of
    a study the previous version already held (its duplicate group has a record identified then) is a
    duplicate removed, whichever record represents the group today."""
    rows = list(rows)
    before = set(previous.get("identified") or [])
    known = {r.get("duplicate_of") or r["record_id"] for r in rows if r["record_id"] in before}
    out = []
    for r in rows:
        if r["record_id"] in before:
            continue
        if (r.get("duplicate_of") or r["record_id"]) in known and r["state"] != "rejected":
            r = {**r, "state": "duplicate"}
        out.append(dict(r))
    return out


def prisma_counts(rows: Iterable[Mapping[str, str]], databases: list[str],
                  reasons: list[str], methods: list[str] | None = None, previous: Mapping | None = None) -> dict:
    """counts.json exactly as the design's contract says (plus `awaiting`, by addition).

    Rows of the ledger's `other` branch (citation searching) make `other_methods`, present when
    `methods` are configured or such rows exist: the contract's keys plus, by addition, the records
    removed before screening and the screening counts, so that its boxes reconcile too.

    previous: the previous version of an updated review (`reviewflow version save`). The columns are
    then the update's (PRISMA 2020's template for updated reviews): only records it identified, and
    `included` / `reports_included` are its new studies and reports; `previous` holds what the
    previous version included and `total` the review's studies and reports now.
    """
    rows = list(rows)
    if previous is not None:
        all_rows, rows = rows, update_rows(rows, previous)
    main, studies = _column([r for r in rows if r.get("branch", "databases") != "other"], databases, reasons,
                            strict=True)
    other_rows = [r for r in rows if r.get("branch") == "other"]
    counts = {k: v for k, v in main.items() if k not in ("reports_included", "awaiting")}
    if methods or other_rows:
        other, more = _column(other_rows, list(methods or []), reasons, strict=False)
        studies |= more
        counts["other_methods"] = other
    counts["included"] = len(studies)
    counts["reports_included"] = main["reports_included"] + counts.get("other_methods", {}).get("reports_included", 0)
    aw = main["awaiting"]
    if "other_methods" in counts:
        aw = {**aw, **{f"citations_{k}": v for k, v in counts["other_methods"]["awaiting"].items()}}
    counts["awaiting"] = aw
    if previous is not None:
        had = set(previous.get("studies") or [])
        counts["included"] = len(studies - had)
        now = [r for r in all_rows if r["state"] == "included"]
        counts["previous"] = {"label": str(previous.get("label") or ""), "studies": len(had),
                              "reports": len(previous.get("reports") or [])}
        counts["total"] = {"studies": len(had | {r["study_id"] for r in now}),
                           "reports": len(set(previous.get("reports") or []) | {r["record_id"] for r in now})}
    return counts


def check_invariants(c: Mapping) -> list[dict]:
    """Each PRISMA box reconciles with the next, in both columns; returns [{name, ok, detail}]."""
    aw = c.get("awaiting", {})
    om = c.get("other_methods")
    other_reports = om["reports_included"] if om else 0
    checks = [
        *_column_checks(c, aw, c["reports_included"] - other_reports, "", " (databases)"),
        ("reports included ≥ studies included", c["reports_included"] >= c["included"],
         f"{c['reports_included']} ≥ {c['included']}"),
        *(_column_checks(om, om.get("awaiting", {}), other_reports, "other methods: ", "") if om else []),
        ("nothing awaits people", not any(aw.values()),
         ", ".join(f"{k}: {v}" for k, v in sorted(aw.items()))),
    ]
    return [{"name": n, "ok": bool(ok), "detail": d} for n, ok, d in checks]


def _column_checks(o: Mapping, aw: Mapping, reports: int, prefix: str, suffix: str) -> list[tuple[str, bool, str]]:
    """One column's boxes, top to bottom: what enters each box leaves it by one of its arrows."""
    total = sum(o["identified"].values())
    removed = o["duplicates_removed"] + o["automation_excluded"] + o["other_removed"]
    ft_sum = sum(o["fulltext_excluded"].values())
    return [
        (f"{prefix}identified = removed before screening + screened",
         total == removed + o["screened"], f"{total} = {removed} + {o['screened']}"),
        (f"{prefix}screened = excluded + sought (+ awaiting)",
         o["screened"] == o["screen_excluded"] + o["sought"] + aw.get("title_abstract", 0),
         f"{o['screened']} = {o['screen_excluded']} + {o['sought']} + {aw.get('title_abstract', 0)}"),
        (f"{prefix}sought = not retrieved + assessed (+ awaiting)",
         o["sought"] == o["not_retrieved"] + o["assessed"] + aw.get("retrieval", 0),
         f"{o['sought']} = {o['not_retrieved']} + {o['assessed']} + {aw.get('retrieval', 0)}"),
        (f"{prefix}assessed − excluded (− awaiting) = reports included{suffix}",
         o["assessed"] - ft_sum - aw.get("full_text", 0) == reports,
         f"{o['assessed']} − {ft_sum} − {aw.get('full_text', 0)} = {reports}"),
    ]
