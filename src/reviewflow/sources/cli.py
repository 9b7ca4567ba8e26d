"""`reviewflow search`: one source, one query; records to OUT.jsonl, the PRISMA-S log beside it."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewflow.fsio import write_dataclass_jsonl, write_json, write_jsonl

if TYPE_CHECKING:
    from reviewflow.sources.search import SearchResult


def output_paths(out: str | Path) -> dict[str, Path]:
    """Files beside OUT.jsonl: OUT.prisma-s.json (the log), OUT.rejects.jsonl, and the default snapshots folder."""
    out = Path(out)
    stem = out.name[:-len(".jsonl")] if out.name.endswith(".jsonl") else out.name
    return {"records": out, "log": out.with_name(f"{stem}.prisma-s.json"),
            "rejects": out.with_name(f"{stem}.rejects.jsonl"), "snapshots": out.parent / "snapshots"}


def write_outputs(result: SearchResult, out: str | Path, allow_shortfall: bool) -> None:
    """Records, rejects and the PRISMA-S log (with where the snapshot is and whether a shortfall was accepted)."""
    paths = output_paths(out)
    write_dataclass_jsonl(paths["records"], result.records)
    write_jsonl(paths["rejects"], (r.to_dict() for r in result.rejects))
    log = dict(result.log)
    log["snapshot_dir"] = str(result.snapshot.dir)
    log["shortfall_allowed"] = bool(allow_shortfall and result.shortfall)
    write_json(paths["log"], log)


def _progress_bar(desc: str) -> tuple[Callable[[int, int | None], None], Callable[[], None]]:
    """A tqdm bar on stderr (shown only on a terminal) and its closer."""
    try:
        from tqdm import tqdm
    except ImportError:  # progress is a nicety, never a reason to fail
        return (lambda done, total: None), (lambda: None)
    bar = tqdm(total=None, desc=desc, unit="rec", file=sys.stderr, disable=None, leave=False)

    def update(done: int, total: int | None) -> None:
        if total is not None and bar.total != total:
            bar.total = total
        bar.n = done
        bar.refresh()

    return update, bar.close


def cmd_search(args: argparse.Namespace) -> int:
    from reviewflow.sources import make_source
    from reviewflow.sources.search import ShortfallError, check_shortfall, run_search

    source = make_source(args.source, args.query, base_url=args.base_url, filters=args.filter,
                         email=args.email, api_key=None)
    snapshots = Path(args.snapshots) if args.snapshots else output_paths(args.output)["snapshots"]
    update, close = _progress_bar(args.database_id or args.source)
    try:
        result = run_search(source, snapshots, database_id=args.database_id, refresh=args.refresh,
                            offline=args.offline, progress=update)
    finally:
        close()
    print(f"{result.log['database_id']}: {result.mode} search, snapshot {result.snapshot.dir}", file=sys.stderr)
    for w in result.log.get("warnings", []):
        print(f"warning: {w}", file=sys.stderr)
    if result.changes is not None:
        print(json.dumps({"new": len(result.changes["new"]), "gone": len(result.changes["gone"]),
                          "previous": result.changes["previous"]}))
    summary: dict[str, Any] = {"reported": result.reported, "retrieved": result.retrieved}
    try:
        check_shortfall(result, args.allow_shortfall)
    except ShortfallError as exc:
        print(f"reviewflow: {exc}", file=sys.stderr)
        print(json.dumps(summary))
        return 1
    if result.shortfall:
        print(f"warning: shortfall accepted: retrieved {result.retrieved} of {result.reported}", file=sys.stderr)
    write_outputs(result, args.output, args.allow_shortfall)
    print(json.dumps(summary))
    return 0


def add_search_command(sub: Any) -> None:
    p = sub.add_parser("search", help="search one database's API (or replay its snapshot) into records")
    p.add_argument("--source", required=True, choices=["pubmed", "europepmc", "openalex", "crossref"])
    p.add_argument("--query", required=True, help="the query exactly as the database takes it")
    p.add_argument("--filter", help="openalex/crossref `filter` parameter, e.g. publication_year:2000-2022")
    p.add_argument("--base-url", help="the service root (default: the public API)")
    p.add_argument("--database-id", help="database id in the review (default: the source name); names the "
                                         "snapshot folder and the records' source")
    p.add_argument("--email", help="contact e-mail (NCBI email / OpenAlex and Crossref mailto); default from "
                                   "NCBI_EMAIL, OPENALEX_MAILTO, CROSSREF_MAILTO or REVIEWFLOW_MAILTO. API keys "
                                   "come only from the environment (NCBI_API_KEY, OPENALEX_API_KEY)")
    p.add_argument("--snapshots", help="snapshot root (default: OUT's folder/snapshots); the snapshot goes to "
                                       "<root>/<database id>/<search id>/")
    p.add_argument("--refresh", action="store_true", help="search again even if a snapshot exists; keeps the old "
                                                          "one and reports records new and gone")
    p.add_argument("--offline", action="store_true", help="never use the network: replay a snapshot or fail")
    p.add_argument("--allow-shortfall", action="store_true",
                   help="accept fewer records retrieved than the API reported (recorded in the log)")
    p.add_argument("-o", "--output", required=True, help="OUT.jsonl: one record per line")
    p.set_defaults(func=cmd_search)
