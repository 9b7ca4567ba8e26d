"""Reading one big RIS export in two processes, half of the file each, into JSON Lines.

Only a file that decode() takes as UTF-8 is split (text.utf8_start), at a line break: each process
decodes its own half, and if either half is not UTF-8 (so the file is not), or the first half is not
RIS, the file is read the usual way. The second process starts at a TY line that follows an ER line
and blank lines only. A pass over the whole file is outside any record there, with nothing pending,
so each half reads exactly as that pass would, given what the halves swap afterwards: the first
half's number of positions (the second half's record indexes follow on from them) and every
record's own key (a key seen twice anywhere in the file falls back to a position id). A file with
Ovid's record numbers before the middle is read in one pass (the reader takes other keys after
them): the first 64 KB are looked at before the split, the rest of the first half as it is read.
The second process encodes its lines while the first encodes and writes its own; it is then handed
the output file and writes them after them. If it fails before the first line is given out, the
whole file is read the usual way; after, the conversion fails."""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing import reduction
from multiprocessing.connection import Connection

from reviewflow.errors import InputFileError, ReviewflowError
from reviewflow.fsio import WritesItself, dataclass_jsonl_lines
from reviewflow.io.base import Parsed
from reviewflow.io.detect import sniff
from reviewflow.io.ris import PartReader
from reviewflow.io.text import check_text, utf8_start
from reviewflow.records import Reject, assign_ids, key_counts

# Below this many bytes a second process costs more than it saves.
MIN_BYTES = 4_000_000
# An ER line, blank lines, then the start of a TY line (the split point is the match's end).
_ER_THEN_TY = re.compile(rb"^ER  -(?: [^\r\n]*)?(?:\r\n|\n|\r)(?:[ \t]*(?:\r\n|\n|\r))*(?=TY  -(?: |\r|\n|$))",
                         re.M)
# A line that is an Ovid record number ('12.'), as ris._PREAMBLE sees one (ASCII digits and spaces
# here; others are caught as the first half is read).
_NUMBER_LINE = re.compile(rb"(?:^|(?<=[\r\n]))[0-9]+\.[ \t\x0b\x0c\x1c-\x1f]*(?=[\r\n]|$)")
_HEAD = 1 << 16
# What the format detector looks at (detect.head_lines).
_SNIFFED_CHARS = 200_000


def split_point(data: bytes) -> int | None:
    """Where the second half may start (a byte offset), or None to read in one pass."""
    if len(data) < max(MIN_BYTES, 2) or utf8_start(data) is None:
        return None
    m = _ER_THEN_TY.search(data, len(data) // 2)
    if m is None:
        return None
    if _NUMBER_LINE.search(data, 0, _HEAD):
        return None  # Ovid numbers every record: no need to read half of it to find out
    return m.end()


def lines_before(data: bytes, offset: int) -> int:
    """Lines (LF, CRLF or bare CR) that end before `offset`, itself at the start of a line."""
    lf, cr = data.count(b"\n", 0, offset), data.count(b"\r", 0, offset)
    return lf + cr - data.count(b"\r\n", 0, offset) if cr else lf


def _first_half_text(data: bytes, cut: int, file: str) -> str | None:
    """The first half decoded, if the whole file reads as RIS in UTF-8 as far as this half can say."""
    start = utf8_start(data)
    try:
        text = data[start:cut].decode("utf-8")
        if text.startswith("\ufeff"):
            text = text[1:]  # a second mark: decode() drops it too
        # The detector and the binary check look at the start: with a short first half, at more.
        head = text if len(text) >= _SNIFFED_CHARS else \
            text + data[cut:cut + 4 * _SNIFFED_CHARS].decode("utf-8", "ignore")
        check_text(head, "utf-8", file)
    except (UnicodeDecodeError, InputFileError):
        return None
    found = sniff(head)
    return text if found is not None and found[0] == "ris" else None


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


def _whole_file_counts(a: list[str | None], b: list[str | None]) -> dict[str, int]:
    counts = key_counts(a)
    for k, n in key_counts(b).items():
        counts[k] = counts.get(k, 0) + n
    return counts


def _second_half(data: bytes, cut: int, source: str, file: str, conn: Connection) -> None:
    """The second process: decode and read `data[cut:]`, learn the first half's positions and keys,
    encode the lines, then write them where the first process says, into the file it hands over."""
    try:
        text = data[cut:].decode("utf-8")
        reader = PartReader(source, file, lines_before(data, cut))
        parsed = reader.read(text)
        del text
        conn.send(HalfRead(parsed.keys, len(parsed.records), parsed.rejects, parsed.warnings))
        offset, first_keys = conn.recv()
        for rec in parsed.records:
            rec.provenance.index += offset
        assign_ids(parsed.records, parsed.keys, _whole_file_counts(first_keys, parsed.keys))
        lines = list(dataclass_jsonl_lines(parsed.records))
        del parsed
        conn.send("encoded")
        fd = reduction.recv_handle(conn)
        conn.send(("written", _pwrite_all(fd, lines, conn.recv())))
        os.close(fd)
    except BaseException as exc:  # noqa: BLE001 - told to the first process, which decides
        conn.send(f"failed: {exc!r}")
    finally:
        conn.close()
        # Out at once: freeing the half's records one by one would only keep the first process
        # waiting at join (0.3 s for 50,000 records); nothing of this process is left to flush.
        os._exit(0)


def _pwrite_all(fd: int, lines: list[bytes], pos: int) -> int:
    """Write the lines at `pos` (a thousand per system call); the number of bytes written."""
    start = pos
    for i in range(0, len(lines), 1024):  # IOV_MAX on Linux
        group = lines[i:i + 1024]
        want = sum(map(len, group))
        done = os.pwritev(fd, group, pos)
        if done < want:  # a short write: the rest of the group piece by piece
            rest = memoryview(b"".join(group))[done:]
            at = pos + done
            while rest:
                k = os.pwrite(fd, rest, at)
                rest, at = rest[k:], at + k
        pos += want
    return pos - start


class _SecondHalfLines:
    """The second half's lines, as a chunk for atomic_write_chunks: the second process writes them."""

    def __init__(self, conn: Connection, pid: int, file: str) -> None:
        self.conn, self.pid, self.file = conn, pid, file
        # The first half's records, dropped while the second process writes (freeing them takes a while).
        self.first: Parsed | None = None

    def _stopped(self, said: object) -> ReviewflowError:
        return ReviewflowError(f"the second process reading this file stopped ({said}); nothing was written",
                               file=self.file)

    def write_to(self, fd: int) -> None:
        try:
            ready = self.conn.recv()
            if ready != "encoded":
                raise self._stopped(ready)
            pos = os.lseek(fd, 0, os.SEEK_CUR)
            reduction.send_handle(self.conn, fd, self.pid)
            self.conn.send(pos)
            self.first = None
            done = self.conn.recv()
        except (EOFError, OSError) as exc:  # it died (killed, out of memory): no word from it
            raise self._stopped(f"it ended without a word: {exc!r}") from None
        if not (isinstance(done, tuple) and done[0] == "written"):
            raise self._stopped(done)
        os.lseek(fd, pos + done[1], os.SEEK_SET)


def split_lines(data: bytes, cut: int, source: str, file: str,
                result: SplitResult) -> Iterator[bytes | WritesItself] | None:
    """The file's JSON lines, read in two processes; `result` is complete once they have all been
    given out. None when the file is to be read the usual way after all (not UTF-8, not RIS, Ovid's
    record numbers in the first half), or the second process failed before any line was given out."""
    ctx = multiprocessing.get_context("fork")
    conn, child_conn = ctx.Pipe()
    # A daemon: should this process stop without reaching _stop, the second one goes with it.
    proc = ctx.Process(target=_second_half, args=(data, cut, source, file, child_conn), daemon=True)
    try:
        proc.start()
        child_conn.close()
        text = _first_half_text(data, cut, file)
        if text is None:
            raise EOFError("not RIS in UTF-8")
        reader = PartReader(source, file, 0)
        first = reader.read(text)
        del text
        if reader.ovid_numbers:
            raise EOFError("Ovid's record numbers in the first half")
        second = conn.recv()
        if not isinstance(second, HalfRead):
            raise EOFError(second)
        conn.send((reader.positions, first.keys))
    except (EOFError, OSError):
        _stop(proc, conn, at_once=True)
        return None
    except BaseException:
        _stop(proc, conn, at_once=True)
        raise
    return _lines(first, reader, second, _SecondHalfLines(conn, proc.pid, file), proc, result)


def _lines(first: Parsed, reader: PartReader, second: HalfRead, second_lines: _SecondHalfLines,
           proc: multiprocessing.process.BaseProcess, result: SplitResult) -> Iterator[bytes | WritesItself]:
    try:
        assign_ids(first.records, first.keys, _whole_file_counts(first.keys, second.keys))
        for rej in second.rejects:
            rej.index += reader.positions
        result.records = len(first.records) + second.records
        result.rejects = first.rejects + second.rejects
        result.warnings = first.warnings + second.warnings
        yield from dataclass_jsonl_lines(first.records)
        second_lines.first = first
        del first, reader
        yield second_lines
    finally:
        _stop(proc, second_lines.conn, at_once=False)


def _stop(proc: multiprocessing.process.BaseProcess, conn: Connection, at_once: bool) -> None:
    """Close the pipe and reap the second process: at once (its half is not wanted), or once it has
    left (it leaves as soon as it has written, or when the closed pipe ends its wait)."""
    conn.close()
    if proc.pid is None:
        return
    if at_once:
        proc.kill()
    proc.join(timeout=5)
    if proc.is_alive():
        proc.kill()
        proc.join()
