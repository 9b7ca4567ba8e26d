"""Atomic, deterministic file writing and JSON Lines helpers."""

from __future__ import annotations

import csv
import glob
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import msgspec
import orjson


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# mkstemp makes its file private (0600); the renamed file gets the mode any new file would get.
FILE_MODE = 0o666 & ~_current_umask()


def _remove_stale_temps(path: Path) -> None:
    """Temp files a killed writer of `path` left behind (`.name.XXXX.tmp`): the rename never
    happened, so they hold nothing anyone reads; a resumed run must end with the same files."""
    mine = re.compile(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.tmp")  # mkstemp's names, below
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        if mine.fullmatch(stale.name):
            stale.unlink(missing_ok=True)


_DURABLE = [True]


@contextmanager
def regenerable() -> Iterator[None]:
    """Writes of files that can be made again (the demo's generated inputs): still atomic, no fsync."""
    _DURABLE.append(False)
    try:
        yield
    finally:
        _DURABLE.pop()


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write to a temp file beside `path`, then rename: a crash never leaves half a file."""
    atomic_write_chunks(path, (data,))


class WritesItself(Protocol):
    """A chunk for atomic_write_chunks that writes its own bytes (another process, the kernel)."""

    def write_to(self, fd: int) -> None:
        """Write at `fd`'s position; the file's end is where the next chunk goes."""


def atomic_write_chunks(path: str | os.PathLike, chunks: Iterable[bytes | WritesItself]) -> None:
    """atomic_write_bytes of the chunks joined, written as they come (a large file is never whole in memory)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                if isinstance(chunk, bytes | bytearray | memoryview):
                    fh.write(chunk)
                else:
                    fh.flush()
                    chunk.write_to(fh.fileno())
                    fh.seek(0, os.SEEK_END)
            fh.flush()
            os.fchmod(fh.fileno(), FILE_MODE)
            if _DURABLE[-1]:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def dumps_json(obj: Any) -> str:
    """Canonical JSON: sorted keys, two-space indent, trailing newline."""
    return json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_json(path: str | os.PathLike, obj: Any) -> None:
    atomic_write_text(path, dumps_json(obj))


def read_json(path: str | os.PathLike) -> Any:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


# What json.dumps(row, sort_keys=True, ensure_ascii=False) gives, from one encoder made once. Rows
# are trees of fresh dicts and lists, so the check for reference cycles (a set of every container
# seen) is only cost: about a sixth of writing 100,000 records.
_LINE = json.JSONEncoder(sort_keys=True, ensure_ascii=False, check_circular=False).encode


def jsonl_lines(rows: Iterable[dict]) -> Iterator[bytes]:
    """One canonical JSON line per row (sorted keys, UTF-8), as bytes."""
    line = _LINE
    for row in rows:
        yield (line(row) + "\n").encode("utf-8")


def write_jsonl(path: str | os.PathLike, rows: Iterable[dict]) -> None:
    atomic_write_chunks(path, jsonl_lines(rows))


# Dataclasses (records) as the same canonical lines, encoded by msgspec straight from their fields: no
# dict per row, and over twice the standard library's speed. msgspec's sorted order and its one-line
# layout (", " and ": ") give the standard library's bytes for every string (tests), but it writes
# floats otherwise (1e16 against 1e+16), so only rows without floats may come this way.
_FIELDS_LINE = msgspec.json.Encoder(order="sorted").encode


def dataclass_jsonl_lines(items: Iterable[Any]) -> Iterator[bytes]:
    """jsonl_lines of each dataclass's fields as a dict (nested dataclasses too); no floats anywhere."""
    line, layout = _FIELDS_LINE, msgspec.json.format
    for item in items:
        yield layout(line(item), indent=0) + b"\n"


def write_dataclass_jsonl(path: str | os.PathLike, items: Iterable[Any]) -> None:
    atomic_write_chunks(path, dataclass_jsonl_lines(items))


def iter_jsonl(path: str | os.PathLike) -> Iterator[dict]:
    with open(path, "rb") as fh:
        for line in fh:
            if line.strip():
                try:
                    yield orjson.loads(line)
                except orjson.JSONDecodeError:
                    # What orjson refuses and the standard library reads (NaN), or a real error,
                    # which the standard library reports the way every reader here does.
                    yield json.loads(line.decode("utf-8"))


def write_csv(path: str | os.PathLike, fieldnames: list[str], rows: Iterable[dict]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fieldnames, lineterminator="\n",
                            extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    atomic_write_text(path, buf.getvalue())


def read_csv(path: str | os.PathLike) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
