"""The loop both open-access fetchers share (Europe PMC's XML, Unpaywall's PDFs): every report
sought without a full text in the folder is tried once, and each attempt is one line of the
fetcher's log (JSON Lines, the latest attempt per report kept)."""

from __future__ import annotations

import datetime as _dt
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..fsio import iter_jsonl, write_jsonl
from .files import match_folder, reports_from_queue

log = logging.getLogger("reviewflow.fulltext")


def utc_now() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class FetchSummary:
    """What one fetcher did: reports tried, by outcome (`names`, in the order reported), and those
    that already had a full text."""

    names: tuple[str, ...]
    tried: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    had_fulltext: int = 0
    log: Path | None = None

    def as_dict(self) -> dict:
        return {"tried": self.tried, "had_fulltext": self.had_fulltext,
                **{k: self.outcomes.get(k, 0) for k in self.names}}


def fetch_each(queue: Iterable[Mapping[str, Any]], folder: Path, log_path: Path, names: tuple[str, ...],
               fetch_one: Callable[[Mapping[str, Any]], dict], *, limit: int | None = None,
               now: Callable[[], str] = utc_now, clean: Callable[[dict], dict] = lambda e: e) -> FetchSummary:
    """Run `fetch_one(row)` for every row without a full text in `folder`, at most `limit` times.

    A SourceError from `fetch_one` (the service failing after the client's retries) stops the run:
    the log is written first (each entry through `clean`), and the files saved so far stay."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = list(queue)
    found = match_folder(folder, reports_from_queue(rows))
    previous = {e["record_id"]: e for e in iter_jsonl(log_path)} if log_path.exists() else {}
    summary = FetchSummary(names, log=log_path)
    entries: dict[str, dict] = {}
    failure: SourceError | None = None
    for row in rows:
        rid = str(row["record_id"])
        if found.chosen(rid) is not None:
            summary.had_fulltext += 1
            continue
        if limit is not None and summary.tried >= limit:
            continue  # still counting the reports that have a full text
        try:
            entry = fetch_one(row)
        except SourceError as exc:
            failure = exc
            break
        summary.tried += 1
        entry["checked"] = now()
        entries[rid] = entry
        summary.outcomes[entry["outcome"]] = summary.outcomes.get(entry["outcome"], 0) + 1
        log.info("%s: %s", rid, entry["outcome"])
    merged = {**previous, **entries}
    write_jsonl(log_path, (clean(merged[k]) for k in sorted(merged)))
    if failure is not None:
        raise failure
    return summary
