"""`reviewflow inspect` and `reviewflow convert`: look into export files, and convert them."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from reviewflow.errors import ReviewflowError
from reviewflow.fsio import write_jsonl as write_rows
from reviewflow.io import Converted, convert_to_jsonl, read_export
from reviewflow.io.writers import write_bibtex, write_csv, write_jsonl, write_ris
from reviewflow.records import FIELDS, Record

WRITERS: dict[str, Callable[[Iterable[Record], Path], None]] = {
    ".ris": write_ris, ".bib": write_bibtex, ".csv": write_csv, ".jsonl": write_jsonl,
}


def register_io(sub: argparse._SubParsersAction) -> None:
    """Add the `inspect` and `convert` commands to the `reviewflow` command."""
    i = sub.add_parser("inspect", help="format, dialect, encoding, record counts and field coverage "
                                       "of export files")
    i.add_argument("files", nargs="+", metavar="FILE", help="export files")
    i.add_argument("--json", action="store_true", help="a JSON array, one object per file")
    i.set_defaults(func=cmd_inspect)
    c = sub.add_parser("convert", help="read exports of any supported format and write their records "
                                       "as RIS, BibTeX, CSV or JSON Lines")
    c.add_argument("inputs", nargs="+", metavar="INPUT", help="export files (format detected)")
    c.add_argument("-o", "--output", required=True, metavar="OUTPUT",
                   help="output file; its extension picks the format: " + ", ".join(WRITERS))
    c.add_argument("--source", help="source id of the records (default: each input file's stem)")
    c.add_argument("--rejects", metavar="FILE.jsonl",
                   help="also write the records that could not be read, with their reasons")
    c.set_defaults(func=cmd_convert)


def field_shares(records: list[Record]) -> dict[str, float]:
    """Share of records (0..1, 4 places) that have each normalised field."""
    n = len(records)
    return {f: round(sum(1 for r in records if getattr(r, f) not in (None, "", [])) / n, 4) if n else 0.0
            for f in sorted(FIELDS)}


def inspect_file(path: str) -> dict[str, Any]:
    res = read_export(path, Path(path).stem, display_path=path)
    return {"file": path, "format": res.format, "dialect": res.dialect, "encoding": res.encoding,
            "records": len(res.records), "rejected": len(res.rejects),
            "fields": field_shares(res.records), "warnings": res.warnings}


def format_inspect(rows: list[dict[str, Any]]) -> str:
    """A table per file, then the field coverage of every file side by side."""
    head = ("file", "format", "dialect", "encoding", "records", "rejected")
    cells = [head] + [(r["file"], r["format"], r["dialect"] or "-", r["encoding"], str(r["records"]),
                       str(r["rejected"])) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(head))]
    lines = ["  ".join(c[i].rjust(widths[i]) if i >= 4 else c[i].ljust(widths[i])
                       for i in range(len(head))).rstrip() for c in cells]
    lines.append("")
    lines.append("share of records with each field")
    names = [Path(r["file"]).name for r in rows]
    w0 = max(len(f) for f in FIELDS)
    cols = [max(len(n), 5) for n in names]
    lines.append(" " * w0 + "".join("  " + n.rjust(w) for n, w in zip(names, cols, strict=True)))
    for f in sorted(FIELDS):
        lines.append(f.ljust(w0) + "".join(f"  {r['fields'][f] * 100:>{w - 1}.0f}%"
                                            for r, w in zip(rows, cols, strict=True)))
    for r in rows:
        lines += [f"{r['file']}: warning: {w}" for w in r["warnings"]]
    return "\n".join(lines)


def cmd_inspect(args: argparse.Namespace) -> int:
    rows = [inspect_file(f) for f in args.files]
    if args.json:
        print(json.dumps(rows, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        print(format_inspect(rows))
    return 0


def cmd_convert(args: argparse.Namespace) -> int:
    out = Path(args.output)
    writer = WRITERS.get(out.suffix.lower())
    if writer is None:
        raise ReviewflowError(f"cannot write '{out.suffix or out.name}' files: the output's extension "
                              "must be one of " + ", ".join(WRITERS), file=str(out))
    sources = [(f, args.source or Path(f).stem) for f in args.inputs]
    if writer is write_jsonl:
        results = convert_to_jsonl(sources, out)  # read and written file by file
    else:
        results = []
        records: list[Record] = []
        for f, source in sources:
            res = read_export(f, source, display_path=f)
            records += res.records
            results.append(Converted(f, len(res.records), res.rejects, res.warnings))
        writer(records, out)
    rejects = [j for res in results for j in res.rejects]
    if args.rejects:
        write_rows(args.rejects, (j.to_dict() for j in rejects))
    for res in results:
        for w in res.warnings:
            print(f"{res.file}: warning: {w}", file=sys.stderr)
        for j in res.rejects:
            print(f"{j.file}:{j.line}: not converted: {j.reason}", file=sys.stderr)
    print(f"{sum(res.records for res in results)} records from {len(results)} file(s) written to {out}"
          + (f"; {len(rejects)} could not be read" if rejects else ""))
    return 0
