"""`reviewflow fulltext match|fetch`: the full-text folder against the reports sought.

- `match --queue Q --folder DIR [--json]`: which report each file in the folder is the full text of,
  and a message for every file that is not (matches nothing, matches two reports, not a PDF...).
- `fetch --queue Q --folder DIR [--source all|europepmc|unpaywall] [--email E] [--base-url URL]
  [--europepmc-url URL] [--log FILE] [--limit N]`: for the reports without a full text, JATS XML
  from Europe PMC (europepmc.py), then open-access PDFs through Unpaywall; the last line of stdout
  is JSON: Unpaywall's `{"tried", "saved", "not_oa", "no_pdf", "not_in_unpaywall", "no_doi",
  "had_fulltext"}` and, under `europepmc`, Europe PMC's `{"tried", "saved", "not_in_europepmc",
  "not_open_access", "not_jats", "no_doi_or_pmcid", "had_fulltext"}`.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from ..errors import InputFileError, ReviewflowError
from ..fsio import iter_jsonl


def _queue(path: str) -> list[dict]:
    p = Path(path)
    if not p.is_file():
        raise InputFileError("retrieval queue not found (the workflow writes it: "
                             "results/fulltext/retrieval.queue.jsonl)", file=str(p))
    try:
        rows = list(iter_jsonl(p))
    except ValueError as exc:
        raise InputFileError(f"not JSON Lines ({exc})", file=str(p)) from None
    for i, r in enumerate(rows, 1):
        if not isinstance(r, dict) or not r.get("record_id"):
            raise InputFileError("row has no record_id", file=str(p), line=i)
    return rows


def _config(directory: str) -> dict | None:
    """The project's config as written, when there is one (for retrieval.unpaywall_email)."""
    import yaml

    from ..config import find_root

    try:
        data = yaml.safe_load((find_root(directory) / "config" / "config.yaml").read_text(encoding="utf-8"))
    except (ReviewflowError, OSError, yaml.YAMLError):
        return None
    return data if isinstance(data, dict) else None


def cmd_match(args: argparse.Namespace) -> int:
    from .files import match_folder, reports_from_queue

    rows = _queue(args.queue)
    m = match_folder(args.folder, reports_from_queue(rows))
    matched = {r["record_id"]: str(m.chosen(r["record_id"])) for r in rows if m.chosen(r["record_id"])}
    if args.json:
        print(json.dumps({"sought": len(rows), "with_fulltext": len(matched), "files": matched,
                          "messages": m.messages()}, indent=2, sort_keys=True))
    else:
        for msg in m.messages():
            print(msg)
        print(f"{len(matched)} of {len(rows)} reports sought have a full text in {args.folder}")
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    from ..errors import ConfigError
    from .europepmc import EuropePmc, fetch_xml
    from .unpaywall import Unpaywall, fetch_open_access, resolve_email

    rows = _queue(args.queue)
    if args.verbose:
        logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    email = None
    if args.source in ("all", "unpaywall"):
        try:
            email = resolve_email(args.email, None if args.email else _config(args.directory))
        except ConfigError:
            if args.source == "unpaywall":
                raise
            print("Unpaywall skipped: no contact e-mail (give --email, or set UNPAYWALL_EMAIL or "
                  "retrieval.unpaywall_email); Europe PMC needs none", file=sys.stderr)
    out: dict[str, Any] = {}
    if args.source in ("all", "europepmc"):
        # Europe PMC first: its JATS XML is read better than any PDF, and a report it gives needs no PDF.
        epmc = EuropePmc(base_url=args.europepmc_url)
        try:
            xml = fetch_xml(rows, args.folder, epmc, limit=args.limit)
        finally:
            epmc.client.close()
        print(f"Europe PMC log: {xml.log}", file=sys.stderr)
        out["europepmc"] = xml.as_dict()
    if email is not None:
        up = Unpaywall(email, base_url=args.base_url)
        try:
            summary = fetch_open_access(rows, args.folder, up, log_path=args.log, limit=args.limit)
        finally:
            up.client.close()
        print(f"retrieval log: {summary.log}", file=sys.stderr)
        out.update(summary.as_dict())
    print(json.dumps(out, sort_keys=True))
    return 0


def register_fulltext(sub: Any) -> None:
    p = sub.add_parser("fulltext", help="the full-text folder: match files to reports, fetch open-access PDFs")
    fsub = p.add_subparsers(dest="fulltext_command", required=True)
    m = fsub.add_parser("match", help="which report each file in the full-text folder belongs to")
    m.add_argument("--queue", required=True, help="results/fulltext/retrieval.queue.jsonl")
    m.add_argument("--folder", required=True, help="the full-text folder (paths.fulltext)")
    m.add_argument("--json", action="store_true", help="machine-readable output")
    m.set_defaults(func=cmd_match)
    f = fsub.add_parser("fetch", help="open-access full texts for reports without one: JATS XML from Europe PMC, "
                                      "then PDFs by DOI through Unpaywall")
    f.add_argument("--source", choices=("all", "europepmc", "unpaywall"), default="all",
                   help="where to look (default: Europe PMC, then Unpaywall when a contact e-mail is set)")
    f.add_argument("--europepmc-url", help="Europe PMC's REST root (default: "
                                           "https://www.ebi.ac.uk/europepmc/webservices/rest)")
    f.add_argument("--queue", required=True, help="results/fulltext/retrieval.queue.jsonl")
    f.add_argument("--folder", required=True, help="the full-text folder (paths.fulltext); PDFs are saved as "
                                                   "<record id>.pdf")
    f.add_argument("--email", help="contact e-mail Unpaywall asks for (default: UNPAYWALL_EMAIL, REVIEWFLOW_MAILTO, "
                                   "or retrieval.unpaywall_email in the config); never logged. Prefer the environment: "
                                   "a value given here shows in the shell history and process list")
    f.add_argument("--base-url", help="the service root (default: https://api.unpaywall.org/v2)")
    f.add_argument("--log", help="the retrieval log (default: <folder>/unpaywall-log.jsonl)")
    f.add_argument("--limit", type=int, help="look up at most this many reports")
    f.add_argument("-v", "--verbose", action="store_true", help="one line per report on stderr")
    f.set_defaults(func=cmd_fetch)
    from ..article.inspect import register_inspect

    register_inspect(fsub)
