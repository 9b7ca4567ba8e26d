"""Import readers: detect an export's format from its content and read every record."""

from __future__ import annotations

import io
import os
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reviewflow.errors import InputFileError
from reviewflow.fsio import WritesItself, atomic_write_chunks, dataclass_jsonl_lines
from reviewflow.io.base import Parsed
from reviewflow.io.bibtex import read_bibtex
from reviewflow.io.detect import FORMATS, nearest, sniff
from reviewflow.io.generic_table import read_csv_table, read_xlsx
from reviewflow.io.medline import read_medline
from reviewflow.io.ovid_tagged import read_ovid_tagged
from reviewflow.io.ris import read_ris_text
from reviewflow.io.scopus_csv import read_scopus_csv
from reviewflow.io.text import Decoded, decode, is_zip
from reviewflow.io.wos import read_wos, read_wos_tabdelimited
from reviewflow.io.xml_readers import read_endnote_xml, read_pubmed_xml
from reviewflow.records import Record, Reject, assign_ids
from reviewflow.scripting import gc_paused

__all__ = ["FORMATS", "ReadResult", "convert_to_jsonl", "detect_format", "read_export"]


@dataclass
class ReadResult:
    """Everything read from one export file."""

    records: list[Record]
    rejects: list[Reject]
    format: str
    dialect: str | None
    encoding: str
    warnings: list[str] = field(default_factory=list)


Reader = Callable[[Decoded, str, str], Parsed]

_READERS: dict[str, Reader] = {
    "ris": lambda d, s, f: read_ris_text(d.text, s, f),
    "medline": lambda d, s, f: read_medline(d.lines(), s, f),
    "wos_tagged": lambda d, s, f: read_wos(d.lines(), s, f),
    "scopus_csv": lambda d, s, f: read_scopus_csv(d.text, s, f),
    "pubmed_xml": lambda d, s, f: read_pubmed_xml(d.text, s, f),
    "endnote_xml": lambda d, s, f: read_endnote_xml(d.text, s, f),
    "bibtex": lambda d, s, f: read_bibtex(d.text, s, f),
    "csv": lambda d, s, f: read_csv_table(d.text, s, f),
    "ovid_tagged": lambda d, s, f: read_ovid_tagged(d.lines(), s, f),
    "wos_tabdelimited": lambda d, s, f: read_wos_tabdelimited(d.text, s, f),
}


def _load(path: str | Path, file: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except IsADirectoryError:
        raise InputFileError("is a directory, not an export file", file=file, line=1) from None
    except OSError as exc:
        raise InputFileError(f"cannot read file: {exc.strerror or exc}", file=file,
                             line=1) from None


def _unknown(file: str, text: str) -> InputFileError:
    return InputFileError(f"unrecognised export format ({nearest(text)}; tried: " + ", ".join(FORMATS) + ")",
                          file=file, line=1)


def _is_xlsx(data: bytes) -> bool:
    """A ZIP holding an Excel workbook part."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "xl/workbook.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False


def _detect(data: bytes, file: str) -> tuple[str, str | None, Decoded | None]:
    if is_zip(data):
        if _is_xlsx(data):
            return "xlsx", None, None
        raise InputFileError("binary file (a ZIP archive, not an export)", file=file, line=1)
    dec = decode(data, file)
    found = sniff(dec.text)
    if found is None:
        raise _unknown(file, dec.text)
    return found[0], found[1], dec


def detect_format(path: str | Path) -> tuple[str, str | None, str]:
    """(format, dialect, encoding) of an export, from its content."""
    file = str(path)
    fmt, dialect, dec = _detect(_load(path, file), file)
    return fmt, dialect, dec.encoding if dec else "binary"


def read_export(path: str | Path, source: str, display_path: str | None = None) -> ReadResult:
    """Detect the format from the content and read every record of one export file."""
    with gc_paused():
        return _read_export(path, source, display_path)


def _read_export(path: str | Path, source: str, display_path: str | None) -> ReadResult:
    file = display_path if display_path is not None else str(path)
    data = _load(path, file)
    fmt, dialect, dec = _detect(data, file)
    del data  # the decoded text is all that is needed from here on
    return _read_detected(path, file, source, fmt, dialect, dec)


def _read_detected(path: str | Path, file: str, source: str, fmt: str, dialect: str | None,
                   dec: Decoded | None) -> ReadResult:
    if fmt == "xlsx":
        parsed = read_xlsx(str(path), source, file)
        assign_ids(parsed.records, parsed.keys)
        return ReadResult(parsed.records, parsed.rejects, fmt, parsed.dialect, "binary",
                          parsed.warnings)
    if dec is None or fmt not in _READERS:
        raise InputFileError(f"{fmt} files are recognised but not supported yet",
                             file=file, line=1)
    parsed = _READERS[fmt](dec, source, file)
    assign_ids(parsed.records, parsed.keys)
    return ReadResult(records=parsed.records, rejects=parsed.rejects, format=fmt,
                      dialect=parsed.dialect if parsed.dialect is not None else dialect,
                      encoding=dec.encoding, warnings=dec.warnings + parsed.warnings)


@dataclass
class Converted:
    """One file of a conversion: how many records were written, and what could not be read."""

    file: str
    records: int
    rejects: list[Reject]
    warnings: list[str]


def convert_to_jsonl(files: list[tuple[str, str]], out: str | Path) -> list[Converted]:
    """Every record of the (path, source) files as JSON Lines in `out`, file after file: what
    read_export and writers.write_jsonl give, with a big RIS file read in two processes where
    there are two cores (ris_split)."""
    done: list[Converted] = []
    # Linux only: the second process is forked, and the cores this one may use are counted.
    two = sys.platform.startswith("linux") and len(os.sched_getaffinity(0)) >= 2

    def lines() -> Iterator[bytes | WritesItself]:
        for path, source in files:
            yield from _export_lines(path, source, two, done)

    # Paused for the whole conversion: each file's records are freed (reference counting) once its
    # lines are out, before the collector is back on, so no collection ever goes over them (one
    # would take 0.9 s after 100,000 RIS records).
    with gc_paused():
        atomic_write_chunks(out, lines())
    return done


def _export_lines(path: str, source: str, two: bool, done: list[Converted]) -> Iterator[bytes | WritesItself]:
    """One file's JSON lines; its Converted is added to `done` after the last."""
    from reviewflow.io import ris_split  # here: multiprocessing only where a file may be split

    data = _load(path, path)
    cut = ris_split.split_point(data) if two else None
    if cut is not None:
        split = ris_split.SplitResult()
        halves = ris_split.split_lines(data, cut, source, path, split)
        if halves is not None:
            del data
            yield from halves
            done.append(Converted(path, split.records, split.rejects, split.warnings))
            return
    fmt, dialect, dec = _detect(data, path)
    del data
    res = _read_detected(path, path, source, fmt, dialect, dec)
    yield from dataclass_jsonl_lines(res.records)
    done.append(Converted(path, len(res.records), res.rejects, res.warnings))
