"""Reading one big RIS export in two processes, half of the file each, into JSON Lines.

The second process starts at a TY line that follows an ER line and blank lines only. A pass over
the whole file is outside any record there, with nothing pending, so each half reads exactly as
that pass would, given what the halves swap afterwards: the first half's number of positions (the
second half's record indexes follow on from them) and every record's own key (a key seen twice
anywhere in the file falls back to a position id). A file with Ovid's record numbers before the
middle is read in one pass (the reader takes other keys after them): the first 64 KB are looked at
before the split, the rest of the first half as it is read. The second process writes its
lines to a file of its own, which the kernel appends after the first half's lines. If it fails before the
first line is given out, the whole file is read again in one process; after, the conversion fails.
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from reviewflow.fsio import FileContent, dataclass_jsonl_lines, temp_beside
from reviewflow.io.base import Parsed
from reviewflow.io.ris import PartReader
from reviewflow.io.text import Decoded
from reviewflow.records import Reject, assign_ids, key_counts

# Below this many characters a second process costs more than it saves.
MIN_CHARS = 4_000_000
# An ER line, blank lines, then the start of a TY line (the split point is the match's end).
_ER_THEN_TY = re.compile(r"^ER  -(?: [^\r\n]*)?(?:\r\n|\n|\r)(?:[ \t]*(?:\r\n|\n|\r))*(?=TY  -(?: |\r|\n|$))",
                         re.M)
# A line that is an Ovid record number ('12.'), as ris._PREAMBLE sees one.
_NUMBER_LINE = re.compile(r"(?:^|(?<=[\r\n]))\d+\.[^\S\r\n]*(?=[\r\n]|$)")
_HEAD = 1 << 16


def split_point(text: str) -> int | None:
    """Where the second half may start (a character offset), or None to read in one pass."""
    if len(text) < max(MIN_CHARS, 2):
        return None
    m = _ER_THEN_TY.search(text, len(text) // 2)
    if m is None:
        return None
    if _NUMBER_LINE.search(text, 0, _HEAD):
        return None  # Ovid numbers every record: no need to read half of it to find out
    return m.end()


def lines_before(text: str, offset: int) -> int:
    """Lines (LF, CRLF or bare CR) that end before `offset`, itself at the start of a line."""
    return text.count("\n", 0, offset) + text.count("\r", 0, offset) - text.count("\r\n", 0, offset)


@dataclass
class HalfRead:
    """What the second process tells the first once it has read its half."""

    keys: list[str | None]
    records: int
    rejects: list[Reject]
    warnings: list[str]


@dataclass
class SplitResult:
    """The whole file's reading, once every line has been given out."""

    records: int = 0
    rejects: list[Reject] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _second_half(text: str, cut: int, source: str, file: str, out: str, conn: Connection) -> None:
    """The second process: read `text[cut:]`, learn the first half's positions and keys, write the lines."""
    try:
        reader = PartReader(source, file, lines_before(text, cut))
        parsed = reader.read(text, cut, len(text))
        conn.send(HalfRead(parsed.keys, len(parsed.records), parsed.rejects, parsed.warnings))
        offset, first_keys = conn.recv()
        for rec in parsed.records:
            rec.provenance.index += offset
        counts = key_counts(first_keys)
        for k, n in key_counts(parsed.keys).items():
            counts[k] = counts.get(k, 0) + n
        assign_ids(parsed.records, parsed.keys, counts)
        with open(out, "wb") as fh:
            fh.writelines(dataclass_jsonl_lines(parsed.records))
        conn.send("written")
    except BaseException as exc:  # noqa: BLE001 - the first process reads the file again
        conn.send(f"failed: {exc!r}")
    finally:
        conn.close()


def split_lines(dec: Decoded, cut: int, source: str, file: str, result: SplitResult,
                out: Path) -> Iterator[bytes | FileContent] | None:
    """The file's JSON lines, read in two processes; `result` is complete once they have all been
    given out. None when the file is to be read in one pass after all (Ovid's record numbers in
    the first half), or the second process failed before any line was given out."""
    part = temp_beside(out)
    ctx = multiprocessing.get_context("fork")
    conn, child_conn = ctx.Pipe()
    proc = ctx.Process(target=_second_half, args=(dec.text, cut, source, file, part, child_conn))
    try:
        proc.start()
        child_conn.close()
        reader = PartReader(source, file, 0)
        first = reader.read(dec.text, 0, cut)
        if reader.ovid_numbers:
            raise EOFError("Ovid's record numbers in the first half")
        second = conn.recv()
        if not isinstance(second, HalfRead):
            raise EOFError(second)
        conn.send((reader.positions, first.keys))
    except (EOFError, OSError):
        _stop(proc, part)
        return None
    return _lines(first, reader, second, conn, proc, part, result)


def _lines(first: Parsed, reader: PartReader, second: HalfRead, conn: Connection,
           proc: multiprocessing.process.BaseProcess, part: str, result: SplitResult) -> Iterator[bytes | FileContent]:
    try:
        counts = key_counts(first.keys)
        for k, n in key_counts(second.keys).items():
            counts[k] = counts.get(k, 0) + n
        assign_ids(first.records, first.keys, counts)
        for rej in second.rejects:
            rej.index += reader.positions
        result.records = len(first.records) + second.records
        result.rejects = first.rejects + second.rejects
        result.warnings = first.warnings + second.warnings
        yield from dataclass_jsonl_lines(first.records)
        done = conn.recv()
        if done != "written":
            raise RuntimeError(f"the second reader of {part} stopped: {done}")
        yield FileContent(part)
    finally:
        _stop(proc, part)


def _stop(proc: multiprocessing.process.BaseProcess, part: str) -> None:
    if proc.pid is not None:
        proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()
            proc.join()
    Path(part).unlink(missing_ok=True)
