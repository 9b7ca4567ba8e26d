"""How a review cites its included studies: 'Surname Year', with a, b... where two share both."""

from __future__ import annotations

from collections.abc import Mapping


def study_labels(records: Mapping[str, dict]) -> dict[str, str]:
    """Study id -> label, from each study's record (a Record as a dict)."""
    base: dict[str, str] = {}
    for sid, rec in records.items():
        authors = rec.get("authors") or []
        base[sid] = f"{authors[0]['family'] if authors else 'Anon'} {rec.get('year') or 'n.d.'}"
    seen: dict[str, list[str]] = {}
    for sid in sorted(base):
        seen.setdefault(base[sid], []).append(sid)
    out = {}
    for name, sids in seen.items():
        for i, sid in enumerate(sids):
            out[sid] = name if len(sids) == 1 else f"{name}{chr(ord('a') + i)}"
    return out
