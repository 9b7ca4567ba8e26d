"""`reviewflow dedup INPUT -o OUT.csv [--jobs N]`: group duplicate records of one file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputFileError, ReviewflowError
from ..fsio import write_csv
from ..io import read_export
from ..io.tables import read_rows
from ..io.text import decode
from ..records import Record

if TYPE_CHECKING:
    from .engine import DedupResult

ID_COLUMN = "record_id"


def load_input(path: Path) -> tuple[list[Record], list[str], list[str]]:
    """(records, their keys, every input id in file order) of one importable file.

    A CSV with a `record_id` column keeps those ids verbatim, rows the reader rejected (no
    title, no DOI, nothing usable) included, so that every input row is in the output. Other
    files use the records' stable ids, rejected records their reject ids."""
    result = read_export(path, source=path.stem, display_path=str(path))
    if result.format == "csv" and result.records and ID_COLUMN in result.records[0].raw:
        header, rows = read_rows(decode(path.read_bytes(), str(path)).text, str(path))
        col = header.index(ID_COLUMN)
        all_ids = []
        seen: dict[str, int] = {}
        for row in rows:
            rid = row.cells[col].strip() if col < len(row.cells) else ""
            if not rid:
                raise InputFileError(f"empty {ID_COLUMN}", file=str(path), line=row.line, column=ID_COLUMN)
            if rid in seen:
                raise InputFileError(f"{ID_COLUMN} {rid!r} repeats line {seen[rid]}", file=str(path), line=row.line,
                                     column=ID_COLUMN)
            seen[rid] = row.line
            all_ids.append(rid)
        keys = [r.raw[ID_COLUMN][0].strip() for r in result.records]
        return result.records, keys, all_ids
    keys = [r.id for r in result.records]
    ids_by_index = {r.provenance.index: r.id for r in result.records}
    ids_by_index.update({j.index: j.id for j in result.rejects})
    return result.records, keys, [ids_by_index[i] for i in sorted(ids_by_index)]


def group_ids(result: DedupResult, all_ids: list[str]) -> dict[str, str]:
    """record id -> group id (the smallest record id of the group: independent of row order)."""
    out = {rid: rid for rid in all_ids}
    for members in result.groups:
        ids = [result.keys[i] for i in members]
        gid = min(ids)
        for rid in ids:
            out[rid] = gid
    return out


def cmd_dedup(args: argparse.Namespace) -> int:
    """Run the command; user errors raise ReviewflowError (exit 2 with one line)."""
    from .engine import deduplicate
    from .review import read_review_decisions, write_review_sheet

    if args.review_sheet and any(Path(d).resolve() == Path(args.review_sheet).resolve()
                                 for d in args.decisions or []):
        raise ReviewflowError("--review-sheet names a filled sheet given as --decisions: a person's sheet is never "
                              "written over (the new sheet keeps their decisions; write it elsewhere)",
                              file=str(args.review_sheet))
    records, keys, all_ids = load_input(Path(args.input))
    decisions: dict[tuple[str, str], str] = {}
    for sheet in args.decisions or []:
        got, _pending = read_review_decisions(sheet, keys)
        decisions.update(got)
    result = deduplicate(records, keys, jobs=args.jobs, decisions=decisions)
    gid = group_ids(result, all_ids)
    write_csv(args.output, ["record_id", "group_id"], ({"record_id": rid, "group_id": gid[rid]} for rid in all_ids))
    if args.review_sheet:
        write_review_sheet(args.review_sheet, result.uncertain, dict(zip(keys, records, strict=True)), decisions)
    n_groups = len(set(gid.values()))
    print(f"{len(all_ids)} records, {n_groups} groups, {len(all_ids) - n_groups} duplicates removed, "
          f"{len(result.uncertain)} uncertain pairs left unmerged")
    return 0


def register_dedup(sub: argparse._SubParsersAction) -> None:
    """Add the `dedup` command to the `reviewflow` parser."""
    p = sub.add_parser("dedup", help="group duplicate records of one file (record_id,group_id CSV)")
    p.add_argument("input", type=Path, help="an export (RIS, MEDLINE, BibTeX, CSV, ...) or a CSV with record_id")
    p.add_argument("-o", "--output", type=Path, required=True, help="record_id,group_id CSV to write")
    p.add_argument("--jobs", type=int, default=1, help="worker processes (the groups do not depend on it)")
    p.add_argument("--review-sheet", type=Path, help="write the uncertain pairs to this XLSX for a reviewer")
    p.add_argument("--decisions", type=Path, action="append",
                   help="a filled review sheet; its decisions win (repeatable)")
    p.set_defaults(func=cmd_dedup)
