"""One entry point for a full text of any format: the reader is chosen by what the file is.

A file's content decides, its extension only where content cannot (text vs Markdown): `%PDF-`
in its first 1,024 bytes is a PDF, a zip (`PK`) a DOCX, a file starting with `<` an XML (JATS),
anything else UTF-8 text (Markdown when named `.md`/`.markdown`). A file whose extension promises
one format and whose content is another is refused with what it is. Every refusal is an
`InputFileError` naming the file, what is wrong and what to do.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from pathlib import Path

from ..errors import InputFileError
from .model import Article

FORMATS = {".pdf": "pdf", ".xml": "jats", ".nxml": "jats", ".docx": "docx", ".txt": "text", ".text": "text",
           ".md": "markdown", ".markdown": "markdown"}
HEAD = 1024
# Articles already read in this process, by content and name: the workflow's jobs share Snakemake's process
# (scripting.run_script), and extraction and coding read the same included studies' full texts, often at the
# same time, so each file is parsed once (a PDF takes a fifth of a second). Articles are frozen: sharing is safe.
CACHE_SIZE = 256
_CACHE: OrderedDict[tuple[str, str], Article] = OrderedDict()
_LOCKS: dict[tuple[str, str], threading.Lock] = {}
_GUARD = threading.Lock()


def sniff(data: bytes) -> str:
    """'pdf' | 'docx' | 'xml' | 'text' | 'binary' by content."""
    head = data[:HEAD]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"                       # a Word 97-2003 .doc (or another Office binary)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        return "xml"
    if b"\x00" in head:
        return "binary"
    return "text"


def read_article_bytes(data: bytes, name: str) -> Article:
    """An Article from a file's bytes; `name` gives the extension and the messages' file."""
    ext = Path(name).suffix.lower()
    if not data.strip():
        raise InputFileError("the file is empty: save the full text again (PDF, JATS XML, DOCX or text)", file=name)
    kind = sniff(data)
    promised = FORMATS.get(ext)
    if kind == "pdf":
        from .pdf import read_pdf
        return read_pdf(data, name)
    if promised == "pdf":
        raise InputFileError(f"named .pdf but it is not a PDF (it looks like {_looks(kind, data)}): "
                             "download the PDF again", file=name)
    if kind == "docx":
        from .docx import read_docx
        return read_docx(data, name)
    if promised == "docx" or kind == "ole":
        raise InputFileError(f"not a DOCX (it looks like {_looks(kind, data)}): open it in a word processor and "
                             "save it as .docx or PDF", file=name)
    if kind == "xml":
        if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].lower().startswith((b"<!doctype html", b"<html")):
            raise InputFileError("an HTML page, not a full text (a login or error page saved instead of the "
                                 "article?): download the PDF or XML again", file=name)
        from .jats import read_jats
        return read_jats(data, name)
    if kind == "binary":
        raise InputFileError("a binary file that is not a PDF or DOCX: save the full text as PDF, JATS XML, "
                             "DOCX or UTF-8 text", file=name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"not UTF-8 text (byte {exc.start}): save it as UTF-8 or as a PDF", file=name) from None
    from .text import read_text
    return read_text(text, name, markdown=promised == "markdown")


def _looks(kind: str, data: bytes) -> str:
    head = data.lstrip()[:15].lower()
    if kind == "xml" and (head.startswith(b"<!doctype html") or head.startswith(b"<html")):
        return "an HTML page"
    return {"xml": "XML", "docx": "a zip file", "ole": "a Word 97-2003 .doc", "text": "text",
            "binary": "a binary file", "pdf": "a PDF"}[kind]


def read_article(path: str | Path) -> Article:
    """The Article of a full-text file (see the module's rules); a file read before in this process, with
    the same bytes, is not parsed again."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read the full text ({exc.strerror})", file=str(path)) from None
    key = (hashlib.sha256(data).hexdigest(), str(path))
    with _GUARD:
        lock = _LOCKS.setdefault(key, threading.Lock())
    with lock:             # a second job asking for the file while the first parses it waits for that parse
        with _GUARD:
            article = _CACHE.get(key)
            if article is not None:
                _CACHE.move_to_end(key)
                return article
        try:
            article = read_article_bytes(data, str(path))
        except BaseException:             # a refusal is not kept: it is raised again each time
            with _GUARD:
                _LOCKS.pop(key, None)
            raise
        with _GUARD:
            _CACHE[key] = article
            while len(_CACHE) > CACHE_SIZE:
                _LOCKS.pop(_CACHE.popitem(last=False)[0], None)
    return article
