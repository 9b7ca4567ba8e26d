"""A retrieved full text, page by page: PDF through pypdf, plain text split at page breaks.

Extraction suggestions and coded quotes cite the page they come from, so every line of a full
text keeps its page number:

- **PDF** (`.pdf`, or any file starting with `%PDF-`): pypdf's layout-mode text of each page, in
  the file's page order (page 1 is the PDF's first page). Layout mode keeps a vertical gap between
  paragraphs as a blank line, which the coding stage uses to separate finding segments. A page
  without a text layer (a scan) reads as empty: run OCR on it first.
- **Plain text** (UTF-8): a form feed (`\\f`, what `pdftotext` writes between pages) starts the next
  page; so does a marker line `--- Page 7 ---` (any run of three or more `-` or `=` around it),
  `[Page 7]` or `[p. 7]`, which also gives the page its number (a journal's own page numbers).
  Marker lines are not part of the text. A text without breaks is one page.

`FullText.lines` joins the pages for readers that work line by line. Where a page ends mid-sentence
(its last line does not end a sentence or a heading) the paragraph goes on across the break;
otherwise a blank line separates the pages, so a page break never joins two paragraphs.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputFileError

_MARKER = re.compile(
    r"^\s*(?:(?:-{3,}|={3,})\s*(?:page|p\.)\s*(\d{1,6})\s*(?:-{3,}|={3,})"
    r"|\[\s*(?:page|p\.)\s*(\d{1,6})\s*\])\s*$", re.I)
_SPACES = re.compile(r"[ \t\u00a0]+")
_OTHER_BREAKS = re.compile("[\v\x1c\x1d\x1e\x85\u2028\u2029]")   # line breaks to str.splitlines
_BLOCK_END = ('.', '!', '?', ':', ';', ')', ']', '"', "'", '\u201d', '\u2019')


@dataclass(frozen=True)
class Page:
    number: int
    text: str


@dataclass(frozen=True)
class FullText:
    """A full text's pages; `kind` is 'pdf' or 'text'."""

    pages: tuple[Page, ...]
    kind: str = "text"

    @property
    def lines(self) -> list[tuple[int, str]]:
        """(page number, line) for every line of every page, pages joined as the module says."""
        out: list[tuple[int, str]] = []
        for page in self.pages:
            lines = page.text.split("\n")
            if out and lines and _ends_block(out):
                out.append((out[-1][0], ""))
            out += [(page.number, ln) for ln in lines]
        return out

    @property
    def text(self) -> str:
        return "\n".join(ln for _, ln in self.lines)

    @property
    def empty(self) -> bool:
        return not any(p.text.strip() for p in self.pages)


def _ends_block(lines: list[tuple[int, str]]) -> bool:
    """Whether the text so far ends a paragraph: a blank last line, a heading, a sentence's end."""
    last = lines[-1][1].strip()
    return not last or last.startswith("#") or last.endswith(_BLOCK_END)


def _tidy(lines: list[str]) -> str:
    """Lines without surrounding blanks or runs of spaces; runs of blank lines become one."""
    out: list[str] = []
    for raw in lines:
        line = _SPACES.sub(" ", raw).strip()
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def text_pages(text: str) -> FullText:
    """Pages of a plain text (see the module's rules for page breaks)."""
    text = _OTHER_BREAKS.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"))
    pages: list[Page] = []
    number, current = 1, []
    for chunk_no, chunk in enumerate(text.split("\f")):
        if chunk_no:                       # a form feed always starts the next page
            pages.append(Page(number, _tidy(current)))
            number, current = number + 1, []
        for line in chunk.split("\n"):
            m = _MARKER.match(line)
            if not m:
                current.append(line)
                continue
            if any(s.strip() for s in current):
                pages.append(Page(number, _tidy(current)))
            number, current = int(m.group(1) or m.group(2)), []
    pages.append(Page(number, _tidy(current)))
    while len(pages) > 1 and not pages[-1].text:
        pages.pop()
    return FullText(tuple(pages), "text")


def pdf_pages(data: bytes, name: str = "PDF") -> FullText:
    """Pages of a PDF given as bytes; a PDF pypdf cannot open is an InputFileError."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputFileError("the PDF is password-protected: save an unprotected copy", file=name)
        pages = [Page(i, _tidy(page.extract_text(extraction_mode="layout").splitlines()))
                 for i, page in enumerate(reader.pages, start=1)]
    except InputFileError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputFileError(f"pypdf cannot read this PDF ({type(exc).__name__}: {exc})", file=name) from None
    return FullText(tuple(pages), "pdf")


def read_fulltext(path: str | Path) -> FullText:
    """A full text file as pages: a PDF by its extension or its `%PDF-` header, else UTF-8 text."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read the full text ({exc.strerror})", file=str(path)) from None
    if path.suffix.lower() == ".pdf" or data.lstrip()[:5] == b"%PDF-":
        return pdf_pages(data, str(path))
    try:
        return text_pages(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputFileError(f"not UTF-8 text (byte {exc.start}): save it as UTF-8 or as a PDF",
                             file=str(path)) from None
