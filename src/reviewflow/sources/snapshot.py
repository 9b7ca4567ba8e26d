"""Frozen searches: raw API responses (deterministic gzip) plus a resumable state and a PRISMA-S log.

Layout, one folder per search run (the search id sorts by time; the suffix is the spec hash):

    <snapshots>/<source>/<YYYYMMDDTHHMMSSZ>-<spec hash>/
        00001-page.json.gz ...   every response body, byte for byte, gzip with mtime=0
        state.json               progress: pages so far (sha256, redacted URL), cursor, done
        search_log.json          the PRISMA-S log, written when paging has ended
        changes.json             on --refresh: records new and gone against the previous snapshot
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reviewflow.errors import SourceError
from reviewflow.fsio import atomic_write_bytes, read_json, write_json
from reviewflow.sources.http import Response

STATE = "state.json"
LOG = "search_log.json"
CHANGES = "changes.json"
FORMAT = "reviewflow.snapshot/1"


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def spec_hash(spec: dict[str, Any]) -> str:
    """Hash of what defines a search's results (source, query, filters): not URLs, not secrets."""
    return hashlib.sha256(json.dumps(spec, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]


def gzip_bytes(data: bytes) -> bytes:
    """Deterministic gzip: no timestamp, no file name, fixed level."""
    return gzip.compress(data, compresslevel=6, mtime=0)


@dataclass
class Snapshot:
    """One search run on disk; `state` is saved atomically after every page, so a crash loses nothing stored."""

    dir: Path
    state: dict[str, Any]
    # When each response arrived; the demo generator fixes it so its snapshots are reproducible.
    clock: Callable[[], str] = field(default=utc_now, repr=False)
    # Save the state after every page (what makes a search resumable); the demo generator saves once.
    autosave: bool = field(default=True, repr=False)

    @property
    def name(self) -> str:
        return self.dir.name

    @property
    def done(self) -> bool:
        return bool(self.state.get("done"))

    @property
    def pages(self) -> list[dict[str, Any]]:
        return self.state["pages"]

    def save(self) -> None:
        write_json(self.dir / STATE, self.state)

    def add_page(self, kind: str, ext: str, resp: Response, records: int, **meta: Any) -> dict[str, Any]:
        """Store one response body and register it in the state (file first, then state: both atomic)."""
        seq = len(self.pages) + 1
        name = f"{seq:05d}-{kind}.{ext}.gz"
        atomic_write_bytes(self.dir / name, gzip_bytes(resp.body))
        page = {"file": name, "kind": kind, "url": resp.url, "status": resp.status,
                "content_type": resp.content_type, "sha256": hashlib.sha256(resp.body).hexdigest(),
                "bytes": len(resp.body), "records": records, "fetched_at": self.clock(), **meta}
        self.pages.append(page)
        if self.autosave:
            self.save()
        return page

    def read(self, page: dict[str, Any]) -> bytes:
        """A stored body, checked against its hash (a changed snapshot is an error, not a new truth)."""
        path = self.dir / page["file"]
        try:
            body = gzip.decompress(path.read_bytes())
        except (OSError, EOFError) as exc:
            raise SourceError(f"snapshot page unreadable: {exc}", file=str(path)) from None
        if hashlib.sha256(body).hexdigest() != page["sha256"]:
            raise SourceError("snapshot page does not match the hash in state.json (changed or corrupt)",
                              file=str(path))
        return body

    def path_of(self, page: dict[str, Any]) -> str:
        return str(self.dir / page["file"])

    def log(self) -> dict[str, Any] | None:
        p = self.dir / LOG
        return read_json(p) if p.exists() else None


class SnapshotStore:
    """The snapshots of one source: `<root>/<source>/<search id>/`."""

    def __init__(self, root: str | Path, source: str) -> None:
        self.root = Path(root) / source

    def all(self, spec_hash_: str | None = None) -> list[Snapshot]:
        """Snapshots (optionally of one spec), oldest first."""
        out = []
        if self.root.is_dir():
            for d in sorted(p for p in self.root.iterdir() if p.is_dir() and (p / STATE).exists()):
                try:
                    state = read_json(d / STATE)
                except (OSError, ValueError) as exc:
                    raise SourceError(f"unreadable snapshot state: {exc}", file=str(d / STATE)) from None
                if state.get("format") != FORMAT:
                    raise SourceError(f"not a reviewflow snapshot (format {state.get('format')!r})",
                                      file=str(d / STATE))
                if spec_hash_ is None or state.get("spec_hash") == spec_hash_:
                    out.append(Snapshot(d, state))
        return out

    def latest(self, spec_hash_: str, complete: bool | None = None) -> Snapshot | None:
        snaps = [s for s in self.all(spec_hash_) if complete is None or s.done == complete]
        return snaps[-1] if snaps else None

    def create(self, spec: dict[str, Any], base_url: str, now: str | None = None) -> Snapshot:
        """A new, empty snapshot folder for `spec`."""
        now = now or utc_now()
        h = spec_hash(spec)
        stamp = now.replace("-", "").replace(":", "")
        d = self.root / f"{stamp}-{h}"
        n = 1
        while d.exists():  # two runs in the same second: keep both
            n += 1
            d = self.root / f"{stamp}-{h}-{n}"
        d.mkdir(parents=True)
        snap = Snapshot(d, {"format": FORMAT, "spec": spec, "spec_hash": h, "base_url": base_url,
                            "started_at": now, "pages": [], "done": False, "progress": {}})
        snap.save()
        return snap
