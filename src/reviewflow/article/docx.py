"""DOCX full texts (an author's manuscript, a repository's Word file) as an `Article`.

Read with python-docx, paragraph by paragraph in document order (tables are furniture, kept out):

- **Headings** by style: 'Title' is the title, 'Heading N' a heading of level N. Manuscripts often
  set headings by hand instead, so a short paragraph that is all bold (or all caps), without a
  sentence's ending, is a heading too: level 1 when it names a section ('Results'), else level 2.
- **Block quotes**: the 'Quote', 'Intense Quote' and 'Block Text' styles, or a paragraph indented
  on the left by at least 0.4 inch that is not a list item.
- What comes between the title and the first heading (authors, affiliations, correspondence) is
  front matter and not body; so is a 'Keywords:' line. An 'Abstract' heading's paragraphs go to
  `abstract`, References and the like to `back` (the same arrangement as plain text).

DOCX has no pages: every block has page 0, and `line` is the paragraph's position (1-based).
"""

from __future__ import annotations

import io
import re
import zipfile

from ..errors import InputFileError
from .model import HEADING, PARAGRAPH, QUOTE, Article, Block
from .quotes import attach_attributions
from .sections import heading_role
from .text import _arrange

_QUOTE_STYLES = {"quote", "intense quote", "block text", "quotation", "block quote", "blockquote"}
_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.I)
_INDENT_EMU = 365760            # 0.4 inch
_KEYWORDS = re.compile(r"^\s*(?:key\s*words?|keywords)\s*[:.]", re.I)
_SENTENCE_END = (".", "!", "?", ";", ",")


def _open(data: bytes, name: str):  # type: ignore[no-untyped-def]
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputFileError(f"not a readable DOCX ({type(exc).__name__}: {exc}): open it in a word processor "
                             "and save it again as .docx, or use the PDF", file=name) from None


def _style_chain(paragraph) -> list[str]:  # type: ignore[no-untyped-def]
    """The paragraph's style and the styles it is based on, lower-cased."""
    out: list[str] = []
    style = paragraph.style
    while style is not None and len(out) < 8:
        out.append((style.name or "").strip().lower())
        style = style.base_style
    return out


def _hand_heading(paragraph, text: str) -> bool:  # type: ignore[no-untyped-def]
    """A short paragraph set all in bold (or capitals) by hand, without a sentence's ending."""
    if not text or len(text) > 100 or len(text.split()) > 12 or text.rstrip().endswith(_SENTENCE_END):
        return False
    runs = [r for r in paragraph.runs if r.text.strip()]
    if not runs:
        return False
    bold = all(r.bold or (r.bold is None and paragraph.style.font.bold) for r in runs)
    caps = text.isupper() and len(text) > 3
    return bool(bold or caps)


def read_docx(data: bytes, name: str) -> Article:
    """The Article of a DOCX file (see the module's rules); InputFileError for one it cannot read."""
    document = _open(data, name)
    blocks: list[Block] = []
    title_found = False
    for no, paragraph in enumerate(document.paragraphs, start=1):
        text = " ".join(paragraph.text.split())
        if not text:
            continue
        styles = _style_chain(paragraph)
        m = next((_HEADING_STYLE.match(s) for s in styles if _HEADING_STYLE.match(s)), None)
        if "title" in styles[:1] and not title_found:
            title_found = True
            blocks.append(Block(HEADING, text, 0, no, 1))
        elif m:
            blocks.append(Block(HEADING, text.rstrip(":"), 0, no, int(m.group(1))))
        elif any(s in _QUOTE_STYLES for s in styles):
            blocks.append(Block(QUOTE, text, 0, no))
        elif _hand_heading(paragraph, text):
            level = 1 if heading_role(text.rstrip(":")) is not None else 2
            blocks.append(Block(HEADING, text.rstrip(":"), 0, no, level))
        else:
            indent = paragraph.paragraph_format.left_indent
            listed = "list" in " ".join(styles) or paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
            kind = QUOTE if indent is not None and indent >= _INDENT_EMU and not listed else PARAGRAPH
            blocks.append(Block(kind, text, 0, no))
    blocks = _without_front(blocks, title_found)
    article = _arrange(blocks, name, "docx", 0)
    body = attach_attributions(list(article.body))
    return Article("docx", name, 0, article.title, article.abstract, tuple(body), article.back)


def _without_front(blocks: list[Block], titled: bool) -> list[Block]:
    """Authors, affiliations and keyword lines out: what stands between the title and the first
    heading after it, and every 'Keywords:' line."""
    out = [b for b in blocks if not (b.kind == PARAGRAPH and _KEYWORDS.match(b.text))]
    start = 1 if titled and out and out[0].kind == HEADING else 0
    first_heading = next((i for i in range(start, len(out)) if out[i].kind == HEADING), None)
    if first_heading is None:
        return out
    return out[:start] + out[first_heading:]
