"""`reviewflow simulate RECORDS.csv -o ORDER.csv --seed N [--prior ID]... [--stop-json FILE]`.

Replays a title/abstract screening with known labels: the prior records first, then the order in
which the active-learning ranker would show the others, retrained as decisions come in. Writes
every record_id in that order, and with --stop-json where the stopping rule says stop.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import InputFileError, ReviewflowError
from ..fsio import write_csv, write_json
from ..io.tables import read_rows
from ..io.text import decode

_TRUE = {"1", "1.0", "true", "yes", "include", "included"}
_FALSE = {"0", "0.0", "false", "no", "exclude", "excluded"}


def load_labelled(path: Path, label_column: str = "label_included") -> tuple[list[str], list[str], list[str],
                                                                             dict[str, int]]:
    """(ids, titles, abstracts, labels) of a labelled records CSV; a bad file raises InputFileError."""
    file = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read: {exc.strerror or exc}", file=file) from None
    header, rows = read_rows(decode(data, file).text, file)
    for col in ("record_id", label_column):
        if col not in header:
            raise InputFileError(f"no {col!r} column (columns: {', '.join(header)})", file=file, line=1)
    c_id, c_lab = header.index("record_id"), header.index(label_column)
    c_ti = header.index("title") if "title" in header else None
    c_ab = header.index("abstract") if "abstract" in header else None
    if c_ti is None and c_ab is None:
        raise InputFileError("neither a 'title' nor an 'abstract' column: nothing to rank on", file=file, line=1)
    ids: list[str] = []
    titles: list[str] = []
    abstracts: list[str] = []
    labels: dict[str, int] = {}
    seen: dict[str, int] = {}

    def cell(row, i):
        return row.cells[i].strip() if i is not None and i < len(row.cells) else ""

    for row in rows:
        if not any(c.strip() for c in row.cells):
            continue
        rid = cell(row, c_id)
        if not rid:
            raise InputFileError("empty record_id", file=file, line=row.line, column="record_id")
        if rid in seen:
            raise InputFileError(f"record_id {rid!r} repeats line {seen[rid]}", file=file, line=row.line,
                                 column="record_id")
        seen[rid] = row.line
        lab = cell(row, c_lab).lower()
        if lab in _TRUE:
            labels[rid] = 1
        elif lab in _FALSE:
            labels[rid] = 0
        else:
            raise InputFileError(f"label {cell(row, c_lab)!r} is not 1 or 0", file=file, line=row.line,
                                 column=label_column)
        ids.append(rid)
        titles.append(cell(row, c_ti))
        abstracts.append(cell(row, c_ab))
    if not ids:
        raise InputFileError("no records", file=file, line=1)
    return ids, titles, abstracts, labels


def cmd_simulate(args: argparse.Namespace) -> int:
    from .priority import draw_priors, simulate
    from .stopping import check, stop_point

    ids, titles, abstracts, labels = load_labelled(Path(args.records), args.label_column)
    file = str(args.records)
    if args.prior:
        unknown = [p for p in args.prior if p not in labels]
        if unknown:
            raise ReviewflowError(f"--prior {unknown[0]!r} is not a record_id of the file", file=file)
        priors = list(dict.fromkeys(args.prior))
    else:
        try:
            priors = draw_priors(ids, labels, args.seed)
        except ValueError as exc:
            raise ReviewflowError(str(exc), file=file) from None
    res = simulate(ids, titles, abstracts, labels, priors, seed=args.seed)
    write_csv(args.output, ["record_id"], ({"record_id": rid} for rid in res.order))
    k = stop_point(res.labels_in_order, len(ids), args.recall_target, args.confidence, args.bias)
    k = len(ids) if k is None else k
    found = sum(res.labels_in_order[:k])
    total = sum(labels.values())
    if args.stop_json:
        verdict = check(res.labels_in_order[:k], len(ids), args.recall_target, args.confidence, args.bias)
        write_json(args.stop_json, {"stop_after": k, "relevant_found": found, "relevant_total": total,
                                    "recall": found / total if total else None, **{
                                        key: v for key, v in verdict.as_dict().items()
                                        if key not in ("stop", "n_screened", "n_total", "relevant_found")}})
    print(f"{len(ids)} records, {total} relevant; priors {', '.join(priors)}; stopping rule: stop after {k} "
          f"({found}/{total} relevant found)")
    return 0


def register_screen(sub: argparse._SubParsersAction) -> None:
    """Add the `simulate` command to the `reviewflow` parser."""
    p = sub.add_parser("simulate", help="replay prioritised screening of a labelled records CSV (order + stop)")
    p.add_argument("records", type=Path, help="CSV with record_id, title, abstract and a 0/1 label column")
    p.add_argument("-o", "--output", type=Path, required=True, help="CSV to write: record_id in screening order")
    p.add_argument("--seed", type=int, required=True, help="seed of the ranker and of drawn priors")
    p.add_argument("--prior", action="append", metavar="ID",
                   help="a record known before screening, shown first (repeatable); default: one relevant "
                        "and one irrelevant record drawn with the seed")
    p.add_argument("--stop-json", type=Path, help='write {"stop_after": k, ...}: where the stopping rule says stop')
    p.add_argument("--label-column", default="label_included", help="column with 1 (relevant) / 0")
    p.add_argument("--recall-target", type=float, default=0.95)
    p.add_argument("--confidence", type=float, default=0.95)
    p.add_argument("--bias", type=float, default=1.0,
                   help="assumed odds that the ranker shows a relevant record over chance (1 = buscar default)")
    p.set_defaults(func=cmd_simulate)
