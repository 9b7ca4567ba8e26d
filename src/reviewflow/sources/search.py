"""Run one search: replay a complete snapshot, resume an interrupted one, or search live (first time, --refresh)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewflow import __version__
from reviewflow.errors import SourceError
from reviewflow.fsio import write_json
from reviewflow.io.base import Parsed
from reviewflow.records import Record, Reject, assign_ids
from reviewflow.sources.base import Progress, Source, no_progress
from reviewflow.sources.http import HttpClient, redact_text, redact_url
from reviewflow.sources.snapshot import CHANGES, LOG, Snapshot, SnapshotStore, spec_hash

LOG_FORMAT = "reviewflow.prisma_s/1"


class ShortfallError(SourceError):
    """The API reported more records than were retrieved (a failed check: exit 1)."""


@dataclass
class SearchResult:
    """Records of one search and what the auditor needs to know about it."""

    records: list[Record]
    rejects: list[Reject]
    keys: list[str | None]
    reported: int
    retrieved: int
    snapshot: Snapshot
    mode: str                     # live, resumed or replay
    log: dict[str, Any]
    changes: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def shortfall(self) -> int:
        return max(0, self.reported - self.retrieved)


def run_search(source: Source, snapshots: str | Path, *, database_id: str | None = None, refresh: bool = False,
               offline: bool = False, client: HttpClient | None = None,
               progress: Progress = no_progress) -> SearchResult:
    """The search's records; the network is used only when no complete snapshot exists, or on `refresh`."""
    db = database_id or source.name
    store = SnapshotStore(snapshots, db)
    spec = source.spec()
    h = spec_hash(spec)
    latest = store.latest(h)
    previous = store.latest(h, complete=True)
    if latest is not None and not latest.done:
        snap, mode = latest, "resumed"
    elif latest is not None and not refresh:
        snap, mode = latest, "replay"
    else:
        if offline:
            raise SourceError(f"{db}: no complete snapshot of this search under {store.root} and offline: "
                              f"run the search once with network access")
        snap, mode = store.create(spec, redact_text(redact_url(source.base_url), source.secrets())), "live"
    if mode != "replay":
        if offline:
            raise SourceError(f"{db}: the snapshot {snap.dir} is incomplete and offline: rerun with network access "
                              f"to resume it")
        if mode == "resumed":
            snap.state["resumes"] = snap.state.get("resumes", 0) + 1
        own = client is None
        client = client or HttpClient(requests_per_second=source.requests_per_second)
        for s in source.secrets():
            client.add_secret(s)
        try:
            source.fetch(snap, client, progress)
        finally:
            if own:
                client.close()
    parsed = source.parse(snap, db)
    assign_ids(parsed.records, parsed.keys)
    retrieved = len(parsed.records) + len(parsed.rejects)
    log = snap.log()
    if log is None:
        log = prisma_s_log(source, db, snap, parsed, retrieved)
        write_json(snap.dir / LOG, log)
    changes = None
    if refresh and previous is not None and previous.dir != snap.dir:
        changes = compare(source, db, previous, snap, parsed)
        write_json(snap.dir / CHANGES, changes)
    return SearchResult(parsed.records, parsed.rejects, parsed.keys, int(snap.state["reported"]), retrieved, snap,
                        mode, log, changes, parsed.warnings)


def prisma_s_log(source: Source, db: str, snap: Snapshot, parsed: Parsed, retrieved: int) -> dict[str, Any]:
    """PRISMA-S items of one search: where, how, exactly what was asked, when, and what came back."""
    st = snap.state
    pages = [p for p in snap.pages if p["kind"] != "discarded"]
    reported = int(st["reported"])
    progress = st.get("progress", {})
    return {
        "format": LOG_FORMAT,
        "database": source.database,
        "database_id": db,
        "source": source.name,
        "interface": source.interface,
        "base_url": st.get("base_url"),
        "query": source.query,
        "filters": source.filters,
        "limits": source.limits(),
        "query_sent": pages[0]["url"] if pages else None,
        "query_translation": progress.get("query_translation"),
        "searched_at": st["started_at"],
        "completed_at": pages[-1]["fetched_at"] if pages else st["started_at"],
        "reported": reported,
        "retrieved": retrieved,
        "shortfall": max(0, reported - retrieved),
        "rejected": len(parsed.rejects),
        "requests_stored": len(pages),
        "resumed": st.get("resumes", 0),
        "snapshot": snap.name,
        "spec_hash": st["spec_hash"],
        "warnings": list(progress.get("warnings", [])),
        "reviewflow_version": __version__,
    }


def compare(source: Source, db: str, old: Snapshot, new: Snapshot, new_parsed: Parsed) -> dict[str, Any]:
    """Update search: records (by the source's own key, else id) new since, and gone since, the old snapshot."""
    old_parsed = source.parse(old, db)
    assign_ids(old_parsed.records, old_parsed.keys)

    def keyset(p: Parsed) -> set[str]:
        return {k or r.id for r, k in zip(p.records, p.keys, strict=True)}

    a, b = keyset(old_parsed), keyset(new_parsed)
    return {"previous": old.name, "current": new.name, "new": sorted(b - a), "gone": sorted(a - b),
            "previous_searched_at": old.state["started_at"], "current_searched_at": new.state["started_at"]}


def check_shortfall(result: SearchResult, allow: bool) -> None:
    """Fail when fewer records came back than the API reported, unless the protocol allows it."""
    if result.shortfall and not allow:
        raise ShortfallError(f"{result.log['database_id']}: retrieved {result.retrieved} of {result.reported} "
                             f"records the API reported ({result.shortfall} missing; snapshot {result.snapshot.dir}); "
                             f"search again with --refresh, or accept it with --allow-shortfall")
