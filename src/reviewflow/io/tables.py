"""Delimited text tables (CSV, TSV): rows with their first line number, header checks."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from reviewflow.errors import InputFileError
from reviewflow.io.base import Parsed, new_record, unusable
from reviewflow.records import Record, Reject

# The csv module refuses cells over 128 KiB by default; an abstract or a list of cited
# references can be longer, and a record must never be lost for it.
csv.field_size_limit(2**31 - 1)


@dataclass
class Row:
    """One data row: 1-based first line, its cells, and its original text."""

    line: int
    cells: list[str]
    text: str


def sniff_delimiter(first_line: str) -> str:
    """The delimiter of a header line: tab, comma or semicolon, whichever splits it most."""
    counts = {d: first_line.count(d) for d in ("\t", ",", ";")}
    best = max(("\t", ",", ";"), key=lambda d: counts[d])
    return best if counts[best] else ","


# How far down a preamble (a database's search strategy, date, result counts) may push the header.
PREAMBLE_LINES = 200


def line_cells(line: str, delimiter: str | None = None) -> list[str]:
    """The cells of one physical line read as a table row (lenient: a preamble line is no table)."""
    delimiter = delimiter or sniff_delimiter(line)
    return [c.strip() for c in next(csv.reader([line.lstrip("\ufeff")], delimiter=delimiter), [])]


def header_line(lines: Sequence[str], is_header: Callable[[list[str], bool], bool]) -> int | None:
    """Index of the table's header among the first lines: the first that `is_header` (cells, is it
    the very first line) accepts; None if none does. Lines above it are a preamble, not rows."""
    seen = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if is_header(line_cells(line), seen == 0):
            return i
        seen += 1
        if seen >= PREAMBLE_LINES:
            break
    return None


def read_rows(text: str, file: str, delimiter: str | None = None,
              quoting: int = csv.QUOTE_MINIMAL) -> tuple[list[str], list[Row]]:
    """(header, rows) of a delimited table; an unterminated quote raises InputFileError."""
    header, rows, _start = _read_table(text, file, delimiter, quoting)
    return header, rows


def read_headed_rows(text: str, file: str, is_header: Callable[[list[str], bool], bool],
                     delimiter: str | None = None) -> tuple[list[str], list[Row], list[str]]:
    """`read_rows` of a table whose header may sit below a preamble (see `header_line`), and the
    reader's warning about the preamble, if there is one."""
    header, rows, start = _read_table(text, file, delimiter, csv.QUOTE_MINIMAL, is_header)
    said = [] if not start else [f"lines 1-{start} are a preamble above the header (a search strategy, "
                                 "date or database name), not records: skipped"]
    return header, rows, said


def _read_table(text: str, file: str, delimiter: str | None, quoting: int,
                is_header: Callable[[list[str], bool], bool] | None = None) -> tuple[list[str], list[Row], int]:
    """(header, rows, index of the header line): the text split into lines once for both the header
    search and the rows' own text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    start = (header_line(lines, is_header) or 0) if is_header is not None else 0
    if start:
        text = "\n".join(lines[start:])
    if delimiter is None:
        delimiter = sniff_delimiter(next((ln for ln in lines[start:] if ln.strip()), ""))
    rows = list(_iter_rows(text, lines, file, delimiter, quoting, start))
    if not rows:
        raise InputFileError("empty table: no header row", file=file, line=1)
    header = [h.strip() for h in rows[0].cells]
    return header, rows[1:], start


def _iter_rows(text: str, lines: list[str], file: str, delimiter: str,
               quoting: int, offset: int = 0) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True,
                        quoting=quoting)
    prev = offset
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputFileError(f"malformed table ({exc}); is the file truncated?",
                                 file=file, line=prev + 1) from None
        start = prev + 1
        prev = offset + reader.line_num
        if not cells or not any(c.strip() for c in cells):
            continue
        yield Row(start, cells, "\n".join(lines[start - 1:prev]))


def row_problem(header: list[str], cells: list[str]) -> str | None:
    """Why a row does not fit its header, or None (trailing empty cells are tolerated)."""
    if len(cells) > len(header) and not any(c.strip() for c in cells[len(header):]):
        return None
    if len(cells) != len(header):
        return f"row has {len(cells)} fields, the header has {len(header)}"
    return None


def as_raw(header: list[str], cells: list[str]) -> dict[str, list[str]]:
    """Column -> [value] for every column (empty ones too); repeated headers keep all values."""
    raw: dict[str, list[str]] = {}
    for i, name in enumerate(header):
        raw.setdefault(name or f"column_{i + 1}", []).append(cells[i] if i < len(cells) else "")
    for i in range(len(header), len(cells)):
        if cells[i].strip():
            raw.setdefault(f"column_{i + 1}", []).append(cells[i])
    return raw


def add_rows(out: Parsed, header: list[str], rows: Sequence[Row], source: str, file: str,
             normalise: Callable[[Record], None], key: Callable[[dict[str, list[str]]], str | None],
             what: str = "row") -> None:
    """Each row a record, or a reject with its text: a malformed row, or one with nothing usable."""
    for index, row in enumerate(rows):
        problem = row_problem(header, row.cells)
        if problem:
            out.rejects.append(Reject(source, file, index, row.line, problem, row.text))
            continue
        raw = as_raw(header, row.cells)
        rec = new_record(source, file, index, row.line, raw)
        normalise(rec)
        if unusable(rec):
            out.rejects.append(Reject(source, file, index, row.line,
                                      f"{what} with no title and no other usable field", row.text))
            continue
        out.add(rec, key(raw))
