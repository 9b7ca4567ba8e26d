"""Decoding export files: BOMs, UTF-16, cp1252 fallback, binary detection, line splitting."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from reviewflow.errors import InputFileError

# Control characters that never occur in a text export (tab, LF, FF, CR are allowed).
_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D}
_CONTROL_RE = re.compile("[" + "".join(chr(c) for c in sorted(_CONTROL)) + "]")
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class Decoded:
    """A decoded file: its text with line endings normalised to LF, and how it was decoded."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return split_lines(self.text)


def split_lines(text: str) -> list[str]:
    """Split on LF, CRLF and bare CR only (str.splitlines also splits on VT, FS, U+2028...)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def line_of_offset(data: bytes | str, offset: int) -> int:
    """1-based line number of a byte (or character) offset, counting LF, CRLF and bare CR."""
    head = data[:offset]
    if isinstance(head, bytes):
        head = head.decode("latin-1")
    return len(split_lines(head + "x"))


class LineCounter:
    """1-based line numbers of increasing offsets into one text (LF, CRLF and bare CR), each
    counted from the previous offset: linear in the text's length overall."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1

    def line_at(self, offset: int) -> int:
        """Same as line_of_offset(text, offset)."""
        t, a = self.text, self.pos
        if offset < a:
            a, self.line = 0, 1
        n = t.count("\n", a, offset) + t.count("\r", a, offset) - t.count("\r\n", a, offset)
        if 0 < a < offset and t[a - 1] == "\r" and t[a] == "\n":
            n -= 1  # a CRLF across the previous offset: its CR was counted then
        self.pos = offset
        self.line += n
        return self.line


def is_zip(data: bytes) -> bool:
    return data.startswith(_ZIP_MAGIC)


def _looks_utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII text then has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def check_text(text: str, encoding: str, file: str) -> None:
    """Reject decoded content that is binary: NULs or many control characters."""
    sample = text[:65536]
    if _CONTROL_RE.search(sample) is None:
        return
    nul = sample.find("\x00")
    if nul >= 0:
        raise InputFileError(f"binary file (NUL byte; decoded as {encoding})", file=file,
                             line=line_of_offset(sample, nul))
    bad = sum(1 for ch in sample if ord(ch) in _CONTROL)
    if bad and bad > max(8, len(sample) // 100):
        first = next(i for i, ch in enumerate(sample) if ord(ch) in _CONTROL)
        raise InputFileError(f"binary file ({bad} control characters in the first "
                             f"{len(sample)} characters)", file=file,
                             line=line_of_offset(sample, first))


def utf8_start(data: bytes) -> int | None:
    """Where the text starts (0, or 3 after a UTF-8 byte-order mark) if decode() takes `data` as UTF-8
    when it is valid UTF-8: not empty, no ZIP, no other byte-order mark, not UTF-16, no NUL in the
    first 64 KB; else None. Such a file cut at a line break decodes part by part."""
    if (not data or data.isspace() or is_zip(data) or _looks_utf16_without_bom(data) is not None
            or data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
            or b"\x00" in data[:65536]):
        return None
    return 3 if data.startswith(codecs.BOM_UTF8) else 0


def decode(data: bytes, file: str) -> Decoded:
    """Decode bytes of a text export; raise InputFileError for empty, binary or undecodable."""
    if not data or data.isspace():  # what `not data.strip()` says, without copying a big file
        raise InputFileError("empty file", file=file, line=1)
    if is_zip(data):
        raise InputFileError("binary file (a ZIP archive, not a text export)", file=file, line=1)

    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", "utf-8-sig", file, offset=3)
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return _strict(data, "utf-32", "utf-32", file)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", "utf-16", file)
    guessed = _looks_utf16_without_bom(data)
    if guessed:
        dec = _strict(data, guessed, guessed, file)
        dec.warnings.append(f"no byte-order mark: decoded as {guessed}")
        return dec
    if b"\x00" in data[:65536]:
        raise InputFileError("binary file (NUL byte)", file=file,
                             line=line_of_offset(data, data.index(b"\x00")))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            # Valid UTF-8 up to a character cut in half at the end: a truncated file.
            raise InputFileError("file is truncated: incomplete UTF-8 character at the end",
                                 file=file, line=line_of_offset(data, exc.start)) from None
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc2:
            raise InputFileError(
                f"undecodable: byte 0x{data[exc.start]:02x} is not UTF-8, and byte "
                f"0x{data[exc2.start]:02x} is not Windows-1252 either",
                file=file, line=line_of_offset(data, exc2.start)) from None
        check_text(text, "cp1252", file)
        where = f"byte 0x{data[exc.start]:02x} at line {line_of_offset(data, exc.start)}"
        mixed = data.decode("utf-8", errors=_CP1252_BYTES)
        if mixed != text:
            # UTF-8 with some Windows-1252 in it (records pasted together from two exports):
            # each part decoded as what it is, so that neither comes out garbled.
            return Decoded(mixed, "utf-8+cp1252", [
                f"not all UTF-8 (first {where}): the bytes that are not UTF-8 were decoded as "
                "Windows-1252 (cp1252), the rest as UTF-8"])
        return Decoded(text, "cp1252", [f"not UTF-8 ({where}): decoded as Windows-1252 (cp1252)"])
    check_text(text, "utf-8", file)
    return Decoded(text, "utf-8")


def _cp1252_bytes(exc: UnicodeError) -> tuple[str, int]:
    """Decoding error handler: bytes that are not UTF-8 are read as Windows-1252."""
    assert isinstance(exc, UnicodeDecodeError)
    return exc.object[exc.start:exc.end].decode("cp1252"), exc.end


_CP1252_BYTES = "reviewflow-cp1252"
codecs.register_error(_CP1252_BYTES, _cp1252_bytes)


def _strict(data: bytes, codec: str, name: str, file: str, offset: int = 0) -> Decoded:
    """Decode with a codec that must fit the whole file (a BOM says so)."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        what = "truncated" if exc.end >= len(data) else "undecodable"
        raise InputFileError(f"{what}: not valid {name} ({exc.reason} at byte "
                             f"{exc.start + offset})", file=file,
                             line=_line_in_partial(data, codec, exc.start)) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputFileError(f"empty file (only a {name} byte-order mark and blank space)",
                             file=file, line=1)
    check_text(text, name, file)
    return Decoded(text, name)


def _line_in_partial(data: bytes, codec: str, end: int) -> int:
    """Line number of a decoding failure: decode the good prefix and count its lines."""
    text = data[:end].decode(codec, errors="replace")
    return len(split_lines(text + "x"))
