"""A journal PDF's text layer as an `Article`, read with pdfminer.six.

The reader works from the characters' positions, sizes and fonts; it is built for the kind of
layout, not for one journal. In order:

1. **Characters to fragments.** pdfminer's layout analysis (no box ordering) gives text lines;
   each is cut where two characters stand more than a font size apart (a column gutter, a table
   cell), or where a run of digits stands apart from the text (a margin line number). Rotated
   characters (vertical running heads, landscape table furniture) and text inside small figures
   are dropped. A fragment keeps its font size (the most common size of its letters, so that
   superscripts and drop caps do not count), its fonts' boldness and slant (from the font's name,
   weight and flags) and its box.
2. **Furniture.** Taken out before anything else: text repeated on many pages in the same place
   (digits counted as one: 'Page 3 of 10'), page numbers and 'Page x of y' in the top or bottom
   tenth of a page, lone URLs/DOIs there, running heads repeating the title or 'et al.', and
   margin line numbers (a column of bare numbers left or right of all the text on a page).
3. **Reading order.** A page is cut into columns at gutters: a column's left edge shared by
   several fragments with free space to its left. Fragments crossing the gutter (a title, an
   abstract, a full-width figure caption) cut the page into horizontal sections; each section is
   read left column first, then right; the cut is repeated inside each column (sidebars, three
   columns). The lines of a column are read top to bottom.
4. **Blocks.** Lines of a column form a block until a vertical gap larger than the line spacing,
   a change of font size or weight, a first-line indent, a short line that ends a sentence, a
   list bullet, or a change of indentation (a block quote's start or end).
5. **What each block is.** Title: the largest type on page 1. Headings: short lines without a
   sentence's ending set larger or bold, in capitals, in a font of their own on their own line, or
   numbered ('2.1 Data analysis'); their level comes from their style's rank (size, then bold,
   then capitals), numbering when there is one, and a named section ('Results') ranks above an
   unnamed heading of the same style when no deeper style exists. A bold lead-in ending with '.'
   or ':' ('Participants. We recruited ...') is a run-in heading one level below the heading
   before it; in an abstract, its labels ('Background:', 'Methods.') also without bold. Block
   quotes: indented against the column's text (not a list item), or set smaller or italic between
   paragraphs; a bracketed or dashed speaker label at the end becomes the attribution. Left out:
   captions ('Figure 2', 'Table 1' set small or bold, or next to an image) and what follows them
   in small type, table rows (several cells on one line), columns of table cells, number-heavy
   blocks, stray fragments of a figure's lettering, author lines and affiliations before the
   abstract, and front-matter and journal lines anywhere (correspondence and e-mail,
   keywords, received/accepted dates, copyright and licence, DOIs, 'Cite this article').
   A larger-type paragraph inside the body (a pull quote) is left out.
6. **Paragraphs** broken by a column or page break (or by a left-out figure) are joined when the
   first does not end a sentence or the second starts in lower case. Lines are joined with spaces;
   a hyphen ending a line is taken out when the next line starts in lower case ('partici-' +
   'pants'), unless the hyphenated word is printed elsewhere in the file with its hyphen, or the
   joined word is not and the first part is a word that starts compounds ('well-', 'semi-',
   'self-', 'non-' ...) or the second one that ends them ('-based', '-structured', '-term' ...).
7. **Where blocks go.** Before the abstract: left out, except the title. 'Abstract'/'Summary'
   starts `abstract` (its sub-heads kept as headings in it) until a heading of the abstract's
   rank or above, a keywords line, or a new page after a finished abstract. Without an abstract
   heading, a standfirst (a sentence paragraph between the title and the text) is the abstract.
   References, acknowledgements, funding, competing interests, contributions, abbreviations,
   data availability and the like go to `back`; after the reference list's heading everything
   does.

`page` is the PDF's 1-based page. `line` is the block's first line's 1-based position among its
page's text lines in reading order, counted after step 2's furniture (running heads, page
numbers, margin line numbers, rotated text) is taken out, and before captions, tables and front
matter are. Bad input raises `InputFileError` with what to do; pages without a text layer in an
otherwise readable file are named in `Article.notes`.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from ..errors import InputFileError
from .model import HEADING, PARAGRAPH, QUOTE, Article, Block
from .quotes import attach_attributions, split_attribution
from .sections import BACK, heading_role, normalise_heading

# ----------------------------------------------------------------------------------------------
# patterns

_CID = re.compile(r"\(cid:\d+\)")
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                            "\ufb05": "ft", "\ufb06": "st", "\u00a0": " ", "\u2010": "-", "\u2011": "-",
                            "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u200a": " ", "\u200b": ""})
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demibold|demi\b|extrabold|ultrabold|[.,-]b$|[.,-]bd$|-bd\b",
                        re.I)
_ITALIC_NAME = re.compile(r"italic|oblique|[.,-]i$|-it$|-ital|slanted", re.I)
_PAGE_NUMBER = re.compile(r"^\W*(?:page|p\.?|pp\.?)?\s*\d{1,4}\s*(?:(?:of|/|\|)\s*\d{1,4})?\W*$", re.I)
_URLISH = re.compile(r"^\W*(?:https?://|www\.|doi[:\s]|\S+@\S+\.\w+|\S+\.(?:org|com|net)\b)\S*\W*$", re.I)
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?(?:\s+\|?\s*|\s*\|\s*)(?=[A-Z\u00c0-\u00de])")
_BULLET = re.compile(r"^\s*(?:[\u2022\u25cf\u25e6\u25aa\u25a0\u2023\u2043\u2219\u00b7\u27a2\u2713\u2714\uf0b7*]|"
                     r"[-\u2013\u2014]\s|\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s|\([ivx]{1,4}\)\s)")
_MARK = re.compile(r"^\s*(?:[\u2022\u25cf\u25e6\u25aa\u25a0\u2023\u2043\u2219\u00b7\u27a2\u2713\u2714\uf0b7*]|"
                   r"\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s|\([ivx]{1,4}\)\s)")   # a list item's mark (dashes aside)
_CAPTION = re.compile(r"^(?:supplementary\s+|additional\s+|online\s+|extended\s+data\s+)?"
                      r"(?:fig(?:ure)?s?|table|tab|box|scheme|chart|plate|graph|map|exhibit|panel)\.?\s*"
                      r"(?:[A-Z]?\d+[A-Za-z]?|[IVX]+)\b\s*(?P<after>.?)", re.I)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_FRONT_FURNITURE = re.compile(       # journal and front-matter lines, wherever they stand
    r"^\W*(?:correspond(?:ence|ing authors?)\s*(?::|to\b|should|e-?mail|address|author)|e-?mail\s*(?::|address)|"
    r"tel(?:ephone)?[.:]|fax[.:]|phone[.:]|key\s*-?words?\b|index terms\b|mesh terms|subjects?\s+(?-i:[A-Z])|"
    r"(?:received|accepted|published|revised|submitted|available online)(?:\s+(?:online|in revised form|for "
    r"publication|in final form))?\s*(?::|\d|on\s+\d|" + _MONTH + r"\s*\d)|"
    r"academic editor|handling editor|edited by\b|reviewed by\b|citation:|cite this article|how to cite|"
    r"to cite this|doi[:\s]\s*10\.|https?://(?:dx\.)?doi|copyright\b.{0,40}(?:\d{4}|\u00a9|the authors?|by\b)|"
    r"\u00a9|\(c\)\s*\d{4}|full list of author information|submit your (?:next )?manuscript|"
    r"additional information and declarations|this article is (?:distributed|licensed)|licensee\b|"
    r"article history\b|abbreviated title|running (?:title|head)\b|short title\b|word count\b|"
    r"competing interests? statement:)", re.I)
_DATE_LINE = re.compile(r"^\W*(?:received|accepted|published|revised|submitted)(?:\s+online)?\s*(?::|\d|on\s+\d|"
                        + _MONTH + r"\s*\d)", re.I)
_SHORT_FURNITURE = re.compile(r"^\W*(?:open access\b|distributed under\b|creative commons\b|"
                              r"research article\b|original (?:research|article)\b|review article\b)", re.I)
_LICENCE = re.compile(r"creative commons|licensee|\u00a9|open access article|distributed under the terms|"
                      r"permits unrestricted use|all rights reserved", re.I)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_AFFILIATION = re.compile(r"\b(?:department|university|universit\w+|school of|institute|hospital|faculty|centre|"
                          r"center|college|laboratory|division|unit of|clinic|ministry|foundation)\b", re.I)
_ABSTRACT_NAMES = ("abstract", "summary", "structured abstract", "a b s t r a c t")
_REFERENCES = ("references", "reference", "bibliography", "literature cited", "works cited", "literature",
               "references and notes", "cited literature")
_ABSTRACT_LABELS = re.compile(
    r"^(background|objectives?|aims?|aims? and objectives?|purpose|introduction|context|methods?|"
    r"materials and methods|methods and findings|design|study design|setting|settings|participants|"
    r"interventions?|main outcome measures?|measurements?|outcomes?|results?|findings|conclusions?|"
    r"interpretation|discussion|implications?|limitations?|significance|trial registration|funding|"
    r"evidence|data sources|review methods|study selection|data extraction|data synthesis|"
    r"conclusions and relevance|importance|exposures?|keywords?)\s*[:.\u2014\u2013]\s*", re.I)
_END_SENTENCE = (".", "!", "?", ":", ";", "\u201d", "\"", "\u2019", ")", "]", "'")
_COMPOUND_HEADS = frozenset(
    "self well semi non multi cross long short high low full part half mixed quasi peer face evidence "
    "community patient family health school home age sex gender time cost user client staff person one two "
    "three four five six first second third small large mid focus open real top life world day year "
    "end all ill case data risk work group hospital state country decision problem gold double single best "
    "e x t policy theory team care treatment practice research service sub-saharan middle upper lower "
    "inter-rater man woman child parent mother father".split())
_SUFFIXES = frozenset("ing ings ed ly tion tions sion sions ment ments ness ity ities ies ance ence ances ences "
                      "ant ent al er ers ive ous ism ist ists able ible ure ures ize ise ized ised".split())
_COMPOUND_TAILS = frozenset(
    "based related specific structured term level scale wide led centred centered making known income old "
    "like free up out time care type dependent oriented focused driven reported rated informed sectional "
    "making sharing seeking solving friendly sensitive aware controlled blind blinded matched adjusted "
    "guided specified directed limited designed assisted mediated induced".split())

# ----------------------------------------------------------------------------------------------
# the model of a page


@dataclass(slots=True)
class _Frag:
    """Characters on one baseline with no wide gap between them; coordinates top-down."""

    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    size: float
    font: str
    bold: float
    italic: float
    runs: list[tuple[str, bool]]
    in_figure: bool = False
    drop: str = ""
    title: bool = False

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 0.1)

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass(slots=True)
class _Line:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    size: float
    font: str
    bold: float
    italic: float
    runs: list[tuple[str, bool]]
    cells: int
    title: bool
    leaf: int
    no: int = 0                     # position on its page in reading order


@dataclass
class _Leaf:
    page: int
    lines: list[_Line]
    left: float = 0.0
    right: float = 0.0


@dataclass
class _Blk:
    lines: list[_Line]
    leaf: _Leaf
    kind: str = ""                  # title | heading | para | quote | small | large | drop | end-abstract
    why: str = ""
    style: tuple = ()
    level: int = 0
    zone: str = ""                  # front | abstract | abstract-head | body | back | back-end | drop
    gap_above: float | None = None


    @property
    def page(self) -> int:
        return self.lines[0].page

    @property
    def raw(self) -> str:
        return " ".join(ln.text for ln in self.lines)

    @property
    def x0(self) -> float:
        return min(ln.x0 for ln in self.lines)

    @property
    def x1(self) -> float:
        return max(ln.x1 for ln in self.lines)

    @property
    def top(self) -> float:
        return self.lines[0].top

    @property
    def bottom(self) -> float:
        return self.lines[-1].bottom

    def weighted(self, attr: str) -> float:
        total = sum(len(ln.text) for ln in self.lines) or 1
        return sum(getattr(ln, attr) * len(ln.text) for ln in self.lines) / total

    @property
    def size(self) -> float:
        counts: Counter[float] = Counter()
        for ln in self.lines:
            counts[ln.size] += len(ln.text)
        return counts.most_common(1)[0][0]

    @property
    def font(self) -> str:
        counts: Counter[str] = Counter()
        for ln in self.lines:
            counts[ln.font] += len(ln.text)
        return counts.most_common(1)[0][0]


@dataclass
class _Doc:
    name: str
    pages: int
    frags: dict[int, list[_Frag]] = field(default_factory=dict)
    images: dict[int, list[tuple[float, float, float, float]]] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    body_size: float = 10.0
    body_font: str = ""
    body_bold: bool = False
    col_width: float = 300.0
    pitch: float = 12.0
    indent: float = 0.0             # the usual first-line indent of a paragraph
    title: str = ""


# ----------------------------------------------------------------------------------------------
# 1. characters to fragments


def _font_styles(fonts: dict[str, dict]) -> dict[str, tuple[bool, bool]]:
    out = {}
    for name, desc in fonts.items():
        base = name.split("+", 1)[-1]
        flags = desc.get("Flags") if isinstance(desc.get("Flags"), int) else 0
        weight = desc.get("FontWeight") if isinstance(desc.get("FontWeight"), int | float) else 0
        angle = desc.get("ItalicAngle") if isinstance(desc.get("ItalicAngle"), int | float) else 0
        bold = bool(_BOLD_NAME.search(base)) or weight >= 600 or bool(flags & (1 << 18))
        if re.search(r"medium|light|book|regular|roman", base, re.I) and not re.search(r"bold|black|heavy", base, re.I):
            bold = weight >= 600
        italic = bool(_ITALIC_NAME.search(base)) or bool(angle) or bool(flags & (1 << 6))
        out[name] = (bold, italic)
    return out


def _read_layout(data: bytes, name: str) -> tuple[_Doc, int]:
    """Every page's fragments and image boxes; raises InputFileError for a file pdfminer cannot open."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTChar
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    fonts: dict[str, dict] = {}

    class _Resources(PDFResourceManager):
        def get_font(self, objid, spec):  # type: ignore[no-untyped-def]
            font = super().get_font(objid, spec)
            fname = getattr(font, "fontname", None)
            if isinstance(fname, str) and fname not in fonts:
                desc = getattr(font, "descriptor", {}) or {}
                fonts[fname] = {k: desc.get(k) for k in ("Flags", "FontWeight", "ItalicAngle")}
            return font

    try:
        doc = PDFDocument(PDFParser(io.BytesIO(data)), password="")
        pages = list(PDFPage.create_pages(doc))
    except PDFPasswordIncorrect:
        raise InputFileError("password-protected: save an unprotected copy (open it with its password and "
                             "print or save it as a new PDF) and put it in its place", file=name) from None
    except PDFEncryptionError as exc:
        raise InputFileError(f"encrypted in a way that cannot be read ({exc}): save an unprotected copy and put "
                             "it in its place", file=name) from None
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds for a damaged file
        raise InputFileError(f"cannot be read as a PDF ({_reason(exc)}): download it again, or open it in a PDF "
                             "viewer and save a new copy", file=name) from None
    if not pages:
        raise InputFileError("cannot be read as a PDF (it has no pages): download it again", file=name)

    laparams = LAParams(line_overlap=0.5, char_margin=3.0, line_margin=0.5, word_margin=0.1, boxes_flow=None,
                        detect_vertical=False, all_texts=True)
    resources = _Resources(caching=True)
    device = PDFPageAggregator(resources, laparams=laparams)
    interpreter = PDFPageInterpreter(resources, device)
    out = _Doc(name, len(pages))
    failed: list[int] = []
    cids = 0
    chars_total = 0
    styles: dict[str, tuple[bool, bool]] = {}
    for no, page in enumerate(pages, start=1):
        try:
            interpreter.process_page(page)
            layout = device.get_result()
        except Exception:  # noqa: BLE001 - one damaged page should not lose the others
            failed.append(no)
            continue
        x0, y0, x1, y1 = layout.bbox
        height, width = y1 - y0, x1 - x0
        out.heights[no], out.widths[no] = height, width
        lines, images = _page_items(layout, width, height)
        out.images[no] = [(a - x0, height - (d - y0), c - x0, height - (b - y0)) for a, b, c, d in images]
        styles.update(_font_styles({k: v for k, v in fonts.items() if k not in styles}))
        frags: list[_Frag] = []
        for items, in_fig in lines:
            for item in items:
                if isinstance(item, LTChar):
                    chars_total += 1
                    cids += item.get_text().startswith("(cid:")
                    if x0 or y0:
                        item.x0, item.x1, item.y0, item.y1 = item.x0 - x0, item.x1 - x0, item.y0 - y0, item.y1 - y0
            frags.extend(_split_line(items, no, height, in_fig, styles))
        out.frags[no] = frags
    if failed and len(failed) == len(pages):
        raise InputFileError("cannot be read as a PDF (no page could be read): download it again, or open it in a "
                             "PDF viewer and save a new copy", file=name)
    if failed:
        out.notes.append(f"pages {_ranges(failed)} could not be read (damaged?) and were left out")
    return out, (cids * 2 > chars_total > 0)


def _page_items(layout, width: float, height: float) -> tuple[list[tuple[list, bool]], list[tuple]]:  # type: ignore[no-untyped-def]
    """A page's text lines (their characters, and whether inside a small figure) and its image boxes."""
    from pdfminer.layout import LTChar, LTFigure, LTImage, LTTextLineHorizontal

    lines: list[tuple[list, bool]] = []
    images: list[tuple] = []
    stack = [(layout, False)]
    while stack:
        obj, in_fig = stack.pop()
        children = list(obj)
        for child in reversed(children):
            if isinstance(child, LTTextLineHorizontal):
                lines.append((list(child), in_fig))
            elif isinstance(child, LTImage):
                images.append(child.bbox)
            elif isinstance(child, LTFigure):
                area = child.width * child.height
                small = area < 0.5 * width * height
                if small and area > 400:
                    images.append(child.bbox)
                stack.append((child, in_fig or small))
            elif hasattr(child, "__iter__") and not isinstance(child, LTChar):
                stack.append((child, in_fig))
    return lines, images


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


def _split_line(items: list, page: int, height: float, in_fig: bool,
                styles: dict[str, tuple[bool, bool]]) -> list[_Frag]:
    from pdfminer.layout import LTChar

    out: list[_Frag] = []
    current: list = []
    last = None
    digits_only = True
    for item in items:
        if isinstance(item, LTChar):
            if not item.upright:
                continue
            text = item.get_text()
            if last is not None and current:
                gap = item.x0 - last.x1
                em = max(item.size, last.size, 1.0)
                if gap > 1.0 * em or (digits_only and gap > 0.8 * em) or item.x1 < last.x0 - em:
                    frag = _make_frag(current, page, height, in_fig, styles)
                    if frag:
                        out.append(frag)
                    current, digits_only = [], True
            current.append(item)
            last = item
            if text.strip() and not text.strip().isdigit():
                digits_only = False
        elif current:
            current.append(item)
    frag = _make_frag(current, page, height, in_fig, styles)
    if frag:
        out.append(frag)
    return out


def _make_frag(items: list, page: int, height: float, in_fig: bool,
               styles: dict[str, tuple[bool, bool]]) -> _Frag | None:
    from pdfminer.layout import LTChar

    chars = [c for c in items if isinstance(c, LTChar)]
    if not chars:
        return None
    parts: list[str] = []
    runs: list[list] = []
    seen_visible = False
    for k, item in enumerate(items):
        text = item.get_text()
        if isinstance(item, LTChar):
            if _CID.fullmatch(text):
                after = items[k + 1] if k + 1 < len(items) else None
                spaced = after is None or not isinstance(after, LTChar) or after.get_text().isspace() or (
                    after.x0 - item.x1 > 0.2 * item.size)
                text = "\u2022 " if not seen_visible and spaced else ""
            text = text.translate(_LIGATURES)
            bold = styles.get(item.fontname, (False, False))[0]
        else:
            text = " " if text.strip() == "" else text
            bold = runs[-1][1] if runs else False
        if text.strip():
            seen_visible = True
        parts.append(text)
        if runs and runs[-1][1] == bold:
            runs[-1][0] += text
        else:
            runs.append([text, bold])
    text = re.sub(r"\s+", " ", "".join(parts)).strip()
    if not text:
        return None
    letters = [c for c in chars if c.get_text().strip() and not _CID.fullmatch(c.get_text())]
    sizes = Counter(round(c.size, 1) for c in letters if c.get_text().isalnum()) or Counter(
        round(c.size, 1) for c in chars)
    top_size = max(sizes.values())
    size = max(s for s, n in sizes.items() if n == top_size)
    core = [c for c in chars if abs(c.size - size) <= 0.35] or chars
    fonts = Counter(c.fontname for c in letters) or Counter(c.fontname for c in chars)
    font = fonts.most_common(1)[0][0]
    scored = [c for c in letters if c.get_text().isalnum()] or letters or chars
    bold = sum(styles.get(c.fontname, (False, False))[0] for c in scored) / len(scored)
    italic = sum(styles.get(c.fontname, (False, False))[1] for c in scored) / len(scored)
    return _Frag(page, min(c.x0 for c in chars), max(c.x1 for c in chars), height - max(c.y1 for c in core),
                 height - min(c.y0 for c in core), text, size, font.split("+", 1)[-1], bold, italic,
                 [(t, b) for t, b in runs], in_fig)


# ----------------------------------------------------------------------------------------------
# 2. furniture and document statistics


def _norm_key(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", text.lower())).strip()


def _before_references(doc: _Doc) -> list[_Frag]:
    """The kept fragments before the reference list (which is often most of a short file's characters)."""
    kept = [f for no in sorted(doc.frags) for f in doc.frags[no] if not f.drop]
    ref = next((f for f in kept if f.page >= 2 and len(f.text) <= 40
                and normalise_heading(f.text) in _REFERENCES), None)
    if ref is None:
        return kept
    before = [f for f in kept if f.page < ref.page or (f.page == ref.page and (f.top < ref.top or f.x1 < ref.x0))]
    return before if sum(len(f.text) for f in before) >= 1500 else kept


def _statistics(doc: _Doc) -> None:
    """Body text's size, font and boldness, its column width; from the text before the references."""
    frags = _before_references(doc)
    sizes: Counter[float] = Counter()
    for f in frags:
        sizes[round(f.size * 2) / 2] += len(f.text)
    if not sizes:
        return
    body = sizes.most_common(1)[0][0]
    exact: Counter[float] = Counter()
    fonts: Counter[str] = Counter()
    bold = 0.0
    total = 0
    widths: Counter[int] = Counter()
    for f in frags:
        if abs(f.size - body) <= 0.3:
            exact[f.size] += len(f.text)
            fonts[f.font] += len(f.text)
            bold += f.bold * len(f.text)
            total += len(f.text)
    doc.body_size = exact.most_common(1)[0][0] if exact else body
    doc.body_font = fonts.most_common(1)[0][0] if fonts else ""
    doc.body_bold = total > 0 and bold / total > 0.5
    for f in frags:
        if abs(f.size - doc.body_size) <= 0.5 and len(f.text) >= 25:
            widths[int(f.width / 6)] += 1
    if widths:
        doc.col_width = (widths.most_common(1)[0][0] + 0.5) * 6


def _furniture(doc: _Doc) -> None:
    """Mark running heads, footers, page numbers, margin line numbers and figure lettering."""
    npages = len(doc.frags)
    where: dict[str, list[tuple[int, float, float]]] = {}
    for no, frags in doc.frags.items():
        for f in frags:
            if f.in_figure:
                f.drop = "figure"
                continue
            where.setdefault(_norm_key(f.text), []).append((no, f.top, doc.heights[no] - f.bottom))
    threshold = 2 if npages <= 4 else max(3, round(0.2 * npages))
    repeated: set[tuple[str, int, float]] = set()
    for key, spots in where.items():
        if len({p for p, _, _ in spots}) < 2 or len(key) > 200:
            continue
        # pages with the line at this height (from the top or, for pages of other sizes, from the bottom)
        by_top: dict[int, set[int]] = {}
        by_bottom: dict[int, set[int]] = {}
        head: set[int] = set()
        foot: set[int] = set()
        for p, top, below in spots:
            by_top.setdefault(round(top / 4), set()).add(p)
            by_bottom.setdefault(round(below / 4), set()).add(p)
            if top < 0.12 * doc.heights[p]:
                head.add(p)
            elif below < 0.1 * doc.heights[p]:
                foot.add(p)
        for p, top, below in spots:
            t, b = round(top / 4), round(below / 4)
            same = set().union(*(by_top.get(k, set()) for k in (t - 1, t, t + 1)),
                               *(by_bottom.get(k, set()) for k in (b - 1, b, b + 1)))
            in_head, in_foot = top < 0.12 * doc.heights[p], below < 0.1 * doc.heights[p]
            if len(same) >= threshold and (in_head or in_foot or len(same) >= max(3, 0.5 * npages)):
                repeated.add((key, p, top))
            elif (in_head and len(head) >= threshold) or (in_foot and len(foot) >= threshold):
                repeated.add((key, p, top))
    for no, frags in doc.frags.items():
        height = doc.heights[no]
        for f in frags:
            if f.drop:
                continue
            key = _norm_key(f.text)
            zone = f.top < 0.1 * height or f.bottom > 0.9 * height
            if (key, no, f.top) in repeated:
                f.drop = "repeated"
            elif zone and len(f.text.split()) <= 12 and (_PAGE_NUMBER.match(f.text) or _URLISH.match(f.text)):
                f.drop = "page number"
        _line_numbers(frags)


def _line_numbers(frags: list[_Frag]) -> None:
    """A column of bare numbers left or right of all the text on the page is a manuscript's line numbering."""
    numbers = [f for f in frags if not f.drop and re.fullmatch(r"\d{1,4}", f.text)]
    if len(numbers) < 5:
        return
    text = [f for f in frags if not f.drop and not re.fullmatch(r"[\d\s.,]+", f.text) and len(f.text) >= 4]
    if not text:
        return
    left_edge = min(f.x0 for f in text)
    right_edge = max(f.x1 for f in text)
    groups: dict[int, list[_Frag]] = {}
    for f in numbers:
        groups.setdefault(round(f.x1 / 4), []).append(f)
    for members in groups.values():
        if len(members) >= 5 and (max(f.x1 for f in members) <= left_edge + 1
                                  or min(f.x0 for f in members) >= right_edge - 1):
            for f in members:
                f.drop = "line number"


def _running_title(doc: _Doc) -> None:
    """Head and foot lines repeating the title or naming 'et al.' (page 1 has no running head to repeat)."""
    title = _norm_key(doc.title)
    if not title:
        return
    for no, frags in doc.frags.items():
        if no == 1:
            continue
        height = doc.heights[no]
        for f in frags:
            if f.drop or not (f.top < 0.1 * height or f.bottom > 0.92 * height):
                continue
            key = _norm_key(f.text)
            repeats = key in title or " et al" in key or (len(title.split()) >= 2 and title in key)
            if repeats and 2 <= len(key.split()) <= 20:
                f.drop = "running head"


def _find_title(doc: _Doc) -> None:
    frags = [f for f in doc.frags.get(1, []) if not f.drop and sum(c.isalpha() for c in f.text) >= 3]
    if not frags:
        return
    biggest = max(f.size for f in frags)
    if biggest < doc.body_size + 1.5:
        return
    top = min((f for f in frags if abs(f.size - biggest) <= 0.5), key=lambda f: f.top)
    chosen = [top]
    for f in sorted(frags, key=lambda f: f.top):
        if f is top or abs(f.size - biggest) > 0.5 or f.top < top.top:
            continue
        if f.top - chosen[-1].bottom <= 1.2 * biggest:
            chosen.append(f)
    for f in chosen:
        f.title = True
    text = _join_text([f.text for f in chosen], set(), set())
    doc.title = re.sub(r"^\s*title\s*:\s*", "", text, flags=re.I).strip()


# ----------------------------------------------------------------------------------------------
# 3. reading order


def _columns(frags: list[_Frag], em: float, depth: int = 0) -> list[list[_Frag]]:
    """The fragments of a region as columns (leaves) in reading order."""
    if not frags:
        return []
    if len(frags) < 5 or depth > 6:
        return [sorted(frags, key=lambda f: (f.top, f.x0))]
    lo = min(f.x0 for f in frags)
    edges: Counter[int] = Counter(round(f.x0 / 2) for f in frags)
    best = None
    for edge, count in edges.items():
        x = edge * 2 - 1.5
        if count < 2 or x < lo + 2 * em:
            continue
        result = _try_gutter(frags, x, em)
        if result and (best is None or result[0] > best[0]):
            best = result
    if best is None:
        return [sorted(frags, key=lambda f: (f.top, f.x0))]
    _, left, right, spans, x = best
    spans.sort(key=lambda f: f.top)
    centres = [(f.top + f.bottom) / 2 for f in spans]
    sections: list[tuple[list[_Frag], list[_Frag]]] = [([], []) for _ in range(len(spans) + 1)]
    for side, members in ((0, left), (1, right)):
        for f in members:
            sections[bisect_right(centres, (f.top + f.bottom) / 2)][side].append(f)
    leaves: list[list[_Frag]] = []
    pending: list[_Frag] = []          # spans and sections without two columns, read as one in their order
    for k, (lefts, rights) in enumerate(sections):
        if _valid_section(lefts, rights, x):
            if pending:
                leaves.extend(_columns(pending, em, depth + 1))
                pending = []
            leaves.extend(_columns(lefts, em, depth + 1))
            leaves.extend(_columns(rights, em, depth + 1))
        else:
            pending.extend(lefts + rights)
        if k < len(spans):
            pending.append(spans[k])
    if pending:
        leaves.extend(_columns(pending, em, depth + 1))
    return leaves


def _valid_section(lefts: list[_Frag], rights: list[_Frag], x: float) -> bool:
    """Two columns side by side: lines on both sides, and lines, not table cells (which leave most of a side
    empty: a table's rows are read as rows)."""
    if len(lefts) < 2 or len(rights) < 2 or len(lefts) + len(rights) < 5:
        return False
    left_width = x - min(f.x0 for f in lefts)
    right_width = max(f.x1 for f in rights) - x
    return (statistics.median(f.width for f in lefts) >= 0.4 * left_width
            and statistics.median(f.width for f in rights) >= 0.4 * right_width)


def _try_gutter(frags: list[_Frag], x: float, em: float):  # type: ignore[no-untyped-def]
    left: list[_Frag] = []
    right: list[_Frag] = []
    spans: list[_Frag] = []
    for f in frags:
        if f.x1 <= x + 0.5:
            left.append(f)
        elif f.x0 >= x - 0.5:
            right.append(f)
        elif f.x1 - x < 0.12 * f.width:
            left.append(f)
        else:
            spans.append(f)
    if len(left) < 2 or len(right) < 2:
        return None
    centres = sorted((f.top + f.bottom) / 2 for f in spans)
    counts: dict[int, list[list[_Frag]]] = {}
    for side, members in ((0, left), (1, right)):
        for f in members:
            counts.setdefault(bisect_right(centres, (f.top + f.bottom) / 2), [[], []])[side].append(f)
    score = 0
    clear = 0
    total_left = 0
    for lefts, rights in counts.values():
        if _valid_section(lefts, rights, x):
            score += min(len(lefts), len(rights))
            total_left += len(lefts)
            clear += sum(1 for f in lefts if f.x1 <= x - 0.3 * em)
    if score == 0 or clear < 0.9 * total_left:
        return None
    return (score - 0.01 * len(spans), left, right, spans, x)


def _lines(leaf: list[_Frag], leaf_id: int) -> list[_Line]:
    """A column's fragments as lines: fragments on one baseline are one line (table rows: several cells)."""
    rows: list[list[_Frag]] = []
    for f in sorted(leaf, key=lambda f: (f.top, f.x0)):
        for row in rows[-3:]:
            ref = row[0]
            overlap = min(ref.bottom, f.bottom) - max(ref.top, f.top)
            if overlap >= 0.5 * min(ref.height, f.height):
                row.append(f)
                break
        else:
            rows.append([f])
    out = []
    for row in rows:
        row.sort(key=lambda f: f.x0)
        total = sum(len(f.text) for f in row) or 1
        sizes: Counter[float] = Counter()
        fonts: Counter[str] = Counter()
        for f in row:
            sizes[f.size] += len(f.text)
            fonts[f.font] += len(f.text)
        runs: list[tuple[str, bool]] = []
        for i, f in enumerate(row):
            if i:
                runs.append((" ", runs[-1][1] if runs else False))
            runs.extend(f.runs)
        cells = 1 + sum(1 for a, b in zip(row, row[1:], strict=False) if b.x0 - a.x1 > 1.0 * max(a.size, b.size))
        out.append(_Line(row[0].page, row[0].x0, max(f.x1 for f in row), min(f.top for f in row),
                         max(f.bottom for f in row), " ".join(f.text for f in row), sizes.most_common(1)[0][0],
                         fonts.most_common(1)[0][0], sum(f.bold * len(f.text) for f in row) / total,
                         sum(f.italic * len(f.text) for f in row) / total, runs, cells,
                         all(f.title for f in row), leaf_id))
    out.sort(key=lambda ln: ln.top)
    return out


def _order(doc: _Doc) -> list[_Leaf]:
    leaves: list[_Leaf] = []
    for no in sorted(doc.frags):
        kept = [f for f in doc.frags[no] if not f.drop]
        count = 0
        for frags in _columns(kept, doc.body_size):
            lines = _lines(frags, len(leaves))
            if not lines:
                continue
            for ln in lines:
                count += 1
                ln.no = count
            leaf = _Leaf(no, lines)
            body = [ln for ln in lines if abs(ln.size - doc.body_size) <= 0.5] or lines
            lefts = Counter(round(ln.x0) for ln in body)
            # The column's left edge: the leftmost start that many lines share (not the most common one:
            # a column of block quotes starts most of its lines indented).
            top = max(lefts.values())
            leaf.left = min(x for x, n in lefts.items() if n >= max(2, 0.25 * top) or n == top)
            leaf.left = min(leaf.left, min(ln.x0 for ln in body) + 0.5) if len(body) < 3 else leaf.left
            rights = sorted(ln.x1 for ln in body)
            leaf.right = rights[int(0.9 * (len(rights) - 1))]
            leaves.append(leaf)
    return leaves


def _pitch(doc: _Doc, leaves: list[_Leaf]) -> None:
    deltas = []
    for leaf in leaves:
        for a, b in zip(leaf.lines, leaf.lines[1:], strict=False):
            if abs(a.size - doc.body_size) <= 0.3 and abs(b.size - doc.body_size) <= 0.3:
                d = b.bottom - a.bottom
                if 0.8 * doc.body_size < d < 4 * doc.body_size:
                    deltas.append(round(d, 1))
    if deltas:
        doc.pitch = Counter(deltas).most_common(1)[0][0] if len(deltas) > 20 else statistics.median(deltas)
        doc.pitch = max(doc.pitch, doc.body_size)


# ----------------------------------------------------------------------------------------------
# 4. blocks


def _segment(doc: _Doc, leaves: list[_Leaf]) -> list[_Blk]:
    em = doc.body_size
    out: list[_Blk] = []
    for leaf in leaves:
        current: list[_Line] = []
        gap_above: float | None = None
        for ln in leaf.lines:
            if current and _breaks(doc, leaf, current, ln, em):
                out.append(_Blk(current, leaf, gap_above=gap_above))
                gap_above = ln.top - current[-1].bottom
                current = []
            current.append(ln)
        if current:
            out.append(_Blk(current, leaf, gap_above=gap_above))
    return out


def _style_of(ln: _Line, doc: _Doc) -> tuple:
    return (round(ln.size * 2) / 2, ln.bold >= 0.6, ln.font if ln.italic < 0.5 else doc.body_font)


def _breaks(doc: _Doc, leaf: _Leaf, block: list[_Line], ln: _Line, em: float) -> bool:
    prev = block[-1]
    if ln.title != prev.title:
        return True
    expected = doc.pitch * max(prev.size, ln.size) / doc.body_size
    delta = ln.bottom - prev.bottom
    # A paragraph's space above is at least a third of the type size (journals use a half line or none):
    # a line further below than the line pitch plus that starts a new block.
    if delta > expected + max(0.35 * em, 2.0) or delta < -0.5 * em:
        return True
    if abs(ln.size - prev.size) > 0.6 or (ln.bold >= 0.6) != (prev.bold >= 0.6):
        return True
    short = 0.75 * (leaf.right - leaf.left)
    prev_font = prev.font if prev.italic < 0.5 else doc.body_font
    this_font = ln.font if ln.italic < 0.5 else doc.body_font
    if prev_font != this_font and ((prev.x1 - prev.x0 < short and not prev.text.rstrip().endswith(_END_SENTENCE))
                                   or delta > 1.15 * expected):
        return True
    if (ln.cells > 1) != (prev.cells > 1):
        return True
    if _MARK.match(ln.text) or (_BULLET.match(ln.text) and prev.text.rstrip().endswith(_END_SENTENCE)):
        return True                  # a list item (a dash only after a finished line: else it is a dash)
    if ln.text[:1].isupper() and (_BACK_LABEL.match(ln.text) or _DATE_LINE.match(ln.text)) and (
            prev.text.rstrip().endswith(_END_SENTENCE) or not prev.text.rstrip()[-1:].isalpha()
            or ln.size < doc.body_size - 0.5):
        return True                  # 'Competing interests: ...', 'Published 13 December 2012' on their own
    lead = next((b for t, b in ln.runs if t.strip()), False)
    if lead and ln.bold < 0.6 and prev.bold < 0.6 and prev.text.rstrip().endswith(_END_SENTENCE):
        return True                  # a bold lead-in starts a paragraph ('Results. We ...')
    if prev.text.rstrip().endswith((".", "!", "?")) and _ABSTRACT_LABELS.match(ln.text) and ln.text[:1].isupper():
        return True
    indent = ln.x0 - leaf.left
    if len(block) >= 2 and abs(ln.x0 - prev.x0) > 0.6 * em:
        return True
    if indent > 0.6 * em and prev.x0 - leaf.left < 0.3 * em and prev.text.rstrip().endswith(_END_SENTENCE):
        return True
    first = ln.text.lstrip()[:1]
    width = max(leaf.right - leaf.left, 1.0)
    if prev.bold >= 0.6 and prev.x1 < leaf.right - 0.25 * width:
        return True                  # a short bold line is whole: a heading does not wrap before it must
    if prev.italic >= 0.9 and ln.italic < 0.3 and prev.x1 < leaf.right - 0.25 * width and not prev.text.rstrip(
            ).endswith(_END_SENTENCE):
        return True                  # an italic line on its own above the text: a heading
    # A line that ends a sentence short of the column, where the next line's first word would have fitted:
    # the paragraph ended there (ragged-right text breaks lines short too, but never before a word that fits).
    word = ln.text.split()[0] if ln.text.split() else ""
    char = (ln.x1 - ln.x0) / max(len(ln.text), 1)
    if prev.text.rstrip().endswith(_END_SENTENCE) and leaf.right - prev.x1 > (len(word) + 2) * char and (
            first.isupper() or first.isdigit() or first in "\"\u201c\u2018'(["):
        return True
    return False


# ----------------------------------------------------------------------------------------------
# 5. what each block is


def _classify(doc: _Doc, blocks: list[_Blk]) -> None:
    em = doc.body_size
    indents = Counter(round(b.lines[0].x0 - b.leaf.left) for b in blocks if len(b.lines) >= 2
                      and abs(b.lines[1].x0 - b.leaf.left) < 0.3 * em and b.lines[0].x0 - b.leaf.left > 0.3 * em)
    doc.indent = indents.most_common(1)[0][0] if indents else 0.0
    leaf_stats: dict[int, tuple[int, int]] = {}
    for b in blocks:
        n, narrow = leaf_stats.get(id(b.leaf), (0, 0))
        for ln in b.lines:
            n += 1
            narrow += ln.x1 - ln.x0 < 0.5 * doc.col_width
        leaf_stats[id(b.leaf)] = (n, narrow)
    in_float = False                 # after a caption: the table or figure's own small type
    for i, b in enumerate(blocks):
        text = _clean(b.raw)
        words = text.split()
        letters = sum(c.isalpha() for c in text)
        if in_float and b.size < em - 0.3 and not all(ln.title for ln in b.lines):
            b.kind, b.why = "drop", "after caption"
            continue
        in_float = False
        visible = sum(not c.isspace() for c in text) or 1
        size = b.size
        if all(ln.title for ln in b.lines):
            b.kind = "title"
            continue
        if not words:
            b.kind, b.why = "drop", "empty"
            continue
        if _is_front_furniture(text, words):
            b.kind, b.why = "drop", "furniture"
            if re.match(r"^\W*(key\s*-?words?|index terms|subjects?)\b", text, re.I):
                b.kind = "end-abstract"
            continue
        caption = _CAPTION.match(text)
        if caption and (size < em - 0.3 or b.lines[0].runs[0][1] != doc.body_bold
                        or caption.group("after") in (".", ":", "|", "\u2014", "\u2013", "(")
                        or _near_image(doc, b)):
            b.kind, b.why = "drop", "caption"
            in_float = True
            continue
        n, narrow = leaf_stats[id(b.leaf)]
        leaf_size = b.leaf.lines[0].size
        if sum(ln.cells > 1 for ln in b.lines) * 2 >= len(b.lines) and not _BULLET.match(text):
            b.kind, b.why = "drop", "table"
            continue
        if n >= 3 and narrow >= 0.8 * n and (size < em - 0.3 or leaf_size < em - 0.3 or len(words) / len(
                b.lines) < 4 or letters < 0.6 * visible):
            b.kind, b.why = "drop", "table column"
            continue
        if letters < 0.5 * visible and not _NUMBERED.match(text):
            b.kind, b.why = "numbers", "numbers"
            continue
        style = _heading_style(doc, b, text, words, blocks[i + 1] if i + 1 < len(blocks) else None,
                               blocks[i - 1] if i else None)
        if style is not None:
            b.kind, b.style = "heading", style
            continue
        if size < em - 0.5:
            b.kind = "drop" if _near_image(doc, b) else "small"
            b.why = "by a figure" if b.kind == "drop" else ""
            continue
        if size > em + 1.5 and len(words) >= 8:
            b.kind = "large"
            continue
        b.kind = "quote" if _indented_quote(doc, b, text, em) else "para"


def _is_front_furniture(text: str, words: list[str]) -> bool:
    if len(words) <= 80 and _FRONT_FURNITURE.match(text) or len(words) <= 15 and _SHORT_FURNITURE.match(text):
        return True
    if len(words) <= 60 and _LICENCE.search(text):
        return True
    if len(words) <= 40 and _EMAIL.search(text) and not text.rstrip().endswith((".", "?", "!")) or (
            len(words) <= 25 and _EMAIL.search(text)):
        return True
    return False


def _near_image(doc: _Doc, b: _Blk) -> bool:
    for x0, top, x1, bottom in doc.images.get(b.page, ()):
        if min(x1, b.x1) - max(x0, b.x0) <= 0:
            continue
        if -2 * doc.pitch < b.top - bottom < 2 * doc.pitch or -2 * doc.pitch < top - b.bottom < 2 * doc.pitch:
            return True
    return False


def _heading_style(doc: _Doc, b: _Blk, text: str, words: list[str], nxt: _Blk | None,
                   prev: _Blk | None) -> tuple | None:
    em = doc.body_size
    if len(b.lines) > 3 or len(text) > 160 or len(words) > 22 or nxt is None:
        return None
    first = text.lstrip("\u2022 ")[:1]
    if not first or first.islower() or text.rstrip()[-1] in ",;" or _BULLET.match(text) and not _NUMBERED.match(text):
        return None
    if first in "\"\u201c\u2018'([" or sum(c.isalpha() for c in text) < 2:
        return None
    if text.endswith(".") and not (len(words) <= 8 and (b.size >= em + 0.8 or b.weighted("bold") >= 0.8)):
        return None
    size = b.size
    bold = b.weighted("bold") >= 0.8 and not doc.body_bold
    italic = b.weighted("italic") >= 0.9
    letters = [c for c in text if c.isalpha()]
    caps = len(letters) >= 4 and all(c.isupper() for c in letters)
    distinct = b.font != doc.body_font and not italic and len(b.lines) == 1
    spaced = b.gap_above is None or b.gap_above > 1.0 * doc.pitch - 0.6 * em or (
        prev is not None and prev.leaf is b.leaf and prev.kind == "heading")
    numbered = bool(_NUMBERED.match(text)) and len(b.lines) == 1 and len(words) <= 14
    if size >= em + 0.8 or bold:
        pass
    elif caps and (distinct or size >= em - 0.3) and len(words) <= 10:
        pass
    elif distinct and spaced and len(words) <= 12 and not text.endswith("."):
        pass
    elif numbered and (spaced or distinct):
        pass
    elif _named(text) and spaced and len(b.lines) == 1 and len(words) <= 8 and not text.endswith("."):
        pass
    elif italic and len(b.lines) == 1 and len(words) <= 12 and not text.endswith(".") and (
            spaced or prev is None or not _unfinished(_clean(prev.raw))) and (
            _clean(nxt.raw)[:1].isupper() or _clean(nxt.raw)[:1] in "\"\u201c\u2018'"):
        pass
    else:
        return None
    if size < em - 1.2 and not _named(text):
        return None
    return (round(size * 2) / 2, bold, caps, italic)


def _indented_quote(doc: _Doc, b: _Blk, text: str, em: float) -> bool:
    if _BULLET.match(text) or len(text.split()) < 4:
        return False
    leaf = b.leaf
    indents = [ln.x0 - leaf.left for ln in b.lines]
    body_lines = [ln for ln in leaf.lines if ln.x0 - leaf.left < 0.3 * em]
    if not body_lines:
        return False
    if len(b.lines) >= 2:
        return min(indents) >= 1.2 * em and min(indents[1:]) <= max(indents) + 0.1
    right_in = leaf.right - b.lines[0].x1 >= 1.0 * em
    if abs(indents[0] - doc.indent) <= 0.5 * em:
        return bool(split_attribution(text)[1]) and b.weighted("italic") >= 0.6
    return indents[0] >= 1.5 * em and (right_in or b.weighted("italic") >= 0.6 or bool(split_attribution(text)[1]))


# ----------------------------------------------------------------------------------------------
# text


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:-[A-Za-z\u00c0-\u024f]+)*")


def _vocabulary(leaves: list[_Leaf]) -> tuple[set[str], set[str]]:
    words: set[str] = set()
    compounds: set[str] = set()
    for leaf in leaves:
        for ln in leaf.lines:
            text = ln.text.rstrip()
            if text.endswith("-"):
                text = text.rsplit(" ", 1)[0] if " " in text else ""
            for w in _WORD.findall(text):
                (compounds if "-" in w else words).add(w.lower())
    return words, compounds


def _join_text(lines: list[str], words: set[str], compounds: set[str]) -> str:
    out = ""
    for raw in lines:
        line = _clean(raw)
        if not line:
            continue
        if not out:
            out = line
            continue
        m = re.search(r"([A-Za-z\u00c0-\u024f]+)-$", out)
        if m and not out.endswith("--"):
            nxt = re.match(r"[A-Za-z\u00c0-\u024f]+", line)
            if nxt and line[0].islower() and not _keeps_hyphen(m.group(1), nxt.group(0), words, compounds):
                out = out[:-1] + line
            else:
                out += line
        elif out.endswith(("\u2013", "\u2014", "/")) and not out.endswith((" \u2013", " \u2014")):
            out += line
        else:
            out += " " + line
    return out


def _keeps_hyphen(left: str, right: str, words: set[str], compounds: set[str]) -> bool:
    left_l, right_l = left.lower(), right.lower()
    if f"{left_l}-{right_l}" in compounds:
        return True
    if left_l + right_l in words or right_l in _SUFFIXES:
        return False
    if left_l in _COMPOUND_HEADS or right_l in _COMPOUND_TAILS:
        return True
    return len(left_l) > 4 and left_l.endswith("ly") and right_l.endswith(("ed", "ing"))


# ----------------------------------------------------------------------------------------------
# 6. heading levels, where each block goes, and the passes over the sequence


def _named(text: str) -> bool:
    return heading_role(text) is not None or normalise_heading(text) in _ABSTRACT_NAMES


def _levels(heads: list[_Blk], texts: dict[int, str]) -> None:
    """Each heading's level: its style's rank, numbering where headings are numbered, names above others."""
    if not heads:
        return
    ranked = sorted({b.style for b in heads}, key=lambda s: (-s[0], -s[1], -s[2], s[3]))
    rank = {s: i + 1 for i, s in enumerate(ranked)}
    for b in heads:
        b.level = rank[b.style]
    # The style that sets the named sections ('Methods', 'Results'): when it also sets unnamed headings (a
    # manuscript's subsections in the same bold), those rank below the named ones, and every deeper style too.
    for style in ranked:
        group = [b for b in heads if b.style == style]
        roles = {normalise_heading(texts[id(b)]) for b in group
                 if heading_role(texts[id(b)]) not in (None, BACK)}
        unnamed = [b for b in group if not _named(texts[id(b)])]
        if len(roles) >= 2 and unnamed:
            for b in heads:
                if rank[b.style] > rank[style] or (b.style == style and not _named(texts[id(b)])):
                    b.level += 1
            break
    numbered = [b for b in heads if _NUMBERED.match(texts[id(b)])]
    if len(numbered) >= 2:
        for b in numbered:
            m = _NUMBERED.match(texts[id(b)])
            b.level = m.group(1).count(".") + 1 if m else b.level
    used = sorted({b.level for b in heads})
    remap = {lv: i + 1 for i, lv in enumerate(used)}
    for b in heads:
        b.level = remap[b.level]


def _runin(b: _Blk, abstract: bool, text: str = "") -> tuple[str, str] | None:
    """(heading, rest) when a paragraph opens with a bold lead-in ('Participants. We ...')."""
    text = text or _clean(b.raw)
    runs = b.lines[0].runs
    if runs and runs[0][1] and b.weighted("bold") < 0.6:
        prefix = ""
        for t, bold in runs:
            if not bold and t.strip():
                break
            prefix += t
        prefix = _clean(prefix)
        m = re.match(r"^(.{2,90}?)\s*[.:\u2014\u2013]$", prefix)
        if m and 1 <= len(m.group(1).split()) <= 10 and text.startswith(prefix) and len(text) > len(prefix) + 8:
            head = m.group(1).strip()
            if head[:1].isupper() or head[:1].isdigit():
                return head, text[len(prefix):].strip()
    m = _BACK_LABEL.match(text)
    if m and len(text) > m.end() + 3:
        return text[:m.end()].strip(" :.\u2014\u2013"), text[m.end():].strip()
    if abstract:
        m = _ABSTRACT_LABELS.match(text)
        if m and len(text) > m.end() + 8 and (text[m.end():m.end() + 1].isupper() or text[m.end()].isdigit()):
            return text[:m.end()].strip(" :.\u2014\u2013"), text[m.end():].strip()
    return None


_LABEL_LINE = re.compile(r"^\s*(?:[(\[].{1,60}[)\]]\.?|[\u2014\u2013-]\s*\w.{0,60})\s*$")
_BACK_LABEL = re.compile(r"^\W*(?:competing interests?|conflicts? of interests?|declarations? of (?:competing )?"
                         r"interests?|funding(?: statement)?|financial disclosure|acknowledge?ments?|"
                         r"data availability(?: statement)?|availability of data and materials|authors?'? "
                         r"contributions?|abbreviations)\s*[:.]\s+(?=\S)", re.I)
_LEAD_IN = re.compile(r"^\s*(?:abstract|summary)\s*[:.\u2014\u2013]\s*", re.I)


def _front_end(doc: _Doc, seq: list[_Blk], texts: dict[int, str]) -> tuple[int, _Blk | None]:
    """Where the front matter ends, and the abstract's heading (or 'Abstract:' lead-in) if there is one."""
    first_role = next((i for i, b in enumerate(seq) if b.kind == "heading" and heading_role(texts[id(b)])
                       and normalise_heading(texts[id(b)]) not in _ABSTRACT_NAMES), len(seq))
    for i, b in enumerate(seq[:first_role]):
        if b.page > 3:
            break
        if b.kind == "heading" and normalise_heading(texts[id(b)]) in _ABSTRACT_NAMES:
            return i, b
        if b.kind == "para" and _LEAD_IN.match(_clean(b.raw)):
            return i, b
    for i, b in enumerate(seq[:first_role]):
        if b.kind == "para" and _runin(b, True) and b.page <= 2 and (
                _ABSTRACT_LABELS.match(_clean(b.raw)) or b.weighted("bold") > 0):
            return i, None
        if b.kind == "para" and abs(b.size - doc.body_size) <= 0.5 and len(_clean(b.raw).split()) >= 25:
            return i, None
    return first_role, None


def _zones(doc: _Doc, seq: list[_Blk], texts: dict[int, str]) -> int:
    """Set each block's zone (front, abstract, body, back, back-end); returns the abstract heading's level."""
    start, head = _front_end(doc, seq, texts)
    refs = next((i for i in range(start, len(seq)) if seq[i].kind == "heading"
                 and normalise_heading(texts[id(seq[i])]) in _REFERENCES), len(seq))
    for b in seq[refs + 1:]:
        if b.kind == "heading" and not _named(texts[id(b)]):
            b.kind = "para"              # after the reference list, only named parts are headings
    heads = [b for b in seq[start:] if b.kind == "heading"]
    _levels(heads, texts)
    for b in seq[:start]:
        b.zone = "front"
    if head is None:
        # A standfirst: a sentence paragraph between the title and the text (not authors or affiliations).
        for k, b in enumerate(seq[:start]):
            text = _clean(b.raw)
            words = text.split()
            capitals = sum(w[:1].isupper() or w[:1].isdigit() for w in words)
            if b.kind in ("para", "large") and len(words) >= 15 and capitals < 0.5 * len(words) and not (
                    _AFFILIATION.search(text) or _EMAIL.search(text)):
                b.zone = "abstract"
                for c in seq[k + 1:start]:
                    if c.kind not in ("para", "large"):
                        continue
                    if abs(c.size - b.size) > 0.6 or not _unfinished(_clean(b.raw)):
                        break
                    c.zone, c.kind = "abstract", b.kind
                break
    starts_abstract = head is not None or (start < len(seq) and seq[start].kind == "para" and _runin(seq[start], True)
                                           is not None and seq[start].page <= 2)
    abs_level = head.level if head is not None and head.kind == "heading" else 1
    abs_page = seq[start].page if start < len(seq) else 0
    names = Counter(normalise_heading(texts[id(b)]) for b in heads)
    zone = "abstract" if starts_abstract else "body"
    back_level = 1
    abstract_words = 0
    for b in seq[start:]:
        text = texts.get(id(b)) or _clean(b.raw)
        if b.kind == "end-abstract":
            b.zone = "drop"
            zone = "body" if zone == "abstract" else zone
            continue
        if zone == "abstract":
            if b is head:
                b.zone = "abstract-head"
                continue
            if b.kind == "heading":
                name = normalise_heading(text)
                if heading_role(text) == BACK or (b.level <= abs_level and names[name] < 2):
                    zone = "body"
            elif b.page != abs_page and abstract_words >= 50 and not text[:1].islower() and b.kind == "para":
                zone = "body"
            if zone == "abstract":
                b.zone = zone
                abstract_words += len(text.split())
                continue
        if b.kind == "heading":
            name = normalise_heading(text)
            role = heading_role(text)
            if zone != "back-end":
                if role == BACK:
                    zone = "back-end" if name in _REFERENCES else "back"
                    back_level = b.level
                elif zone == "back" and (role is not None or b.level < back_level):
                    zone = "body"
        elif b.kind in ("para", "small") and zone == "body":
            split = _runin(b, False)
            if split and heading_role(split[0]) == BACK:
                zone = "back"
        b.zone = zone
    return abs_level


def _resolve(doc: _Doc, seq: list[_Blk]) -> list[_Blk]:
    """Small type, number-heavy pieces and stray fragments decided by their place; broken paragraphs joined."""
    em = doc.body_size
    for b in seq:
        if b.kind == "numbers":
            b.kind = "para" if b.zone in ("back", "back-end") else "drop"
        elif b.kind == "quote" and b.zone != "body":
            b.kind = "para"
    seq = [b for b in seq if b.kind != "drop" and b.zone not in ("front", "drop")
           and not (b.kind == "large" and b.zone == "body")]          # a pull quote repeats the text
    # A speaker's label on a line of its own ('(P12, peer worker)') belongs to the quote above it.
    joined: list[_Blk] = []
    for b in seq:
        prev = joined[-1] if joined else None
        if prev is not None and prev.kind in ("quote", "small") and prev.leaf is b.leaf and b.kind in (
                "para", "small", "quote") and len(b.lines) == 1 and _LABEL_LINE.match(_clean(b.raw)) and (
                len(_clean(b.raw).split()) <= 8):
            prev.lines = prev.lines + b.lines
            continue
        joined.append(b)
    seq = joined
    for i, b in enumerate(seq):
        if b.kind != "small":
            continue
        if b.zone != "body":
            b.kind = "para"
            continue
        # In the body, small type is a quote between paragraphs (indented, italic, or inside one column);
        # otherwise footnotes, notes and what is left of captions.
        text = _clean(b.raw)
        prev = next((c for c in reversed(seq[:i]) if c.kind in ("para", "quote", "heading", "small")), None)
        after = next((c for c in seq[i + 1:] if c.kind in ("para", "quote", "heading", "small")), None)
        sentence_like = len(text.split()) >= 4 and sum(c.isalpha() for c in text) > 0.7 * len(text.replace(" ", ""))
        marker = re.match(r"^\W{0,2}(?:\d{1,2}|[*\u2020\u2021\u00a7])\s?\S", text) is not None   # a footnote
        labelled = bool(split_attribution(text)[1])
        ok = (prev is not None and after is not None and prev.kind in ("para", "quote", "heading")
              and prev.zone == "body" and after.zone == "body" and sentence_like and not marker
              and b.x0 >= b.leaf.left - em and (b.x1 - b.x0 >= 0.4 * doc.col_width or labelled))
        if ok:
            same_leaf = prev.leaf is b.leaf and (after.leaf is b.leaf or after.kind == "small")
            indented = b.x0 - b.leaf.left >= 0.7 * em
            ok = same_leaf or indented or b.weighted("italic") >= 0.6
        b.kind = "quote" if ok else "drop"
    seq = [b for b in seq if b.kind != "drop"]
    # Stray pieces in the text: a few characters that are no heading and carry no sentence on.
    kept: list[_Blk] = []
    for b in seq:
        text = _clean(b.raw)
        if b.zone in ("body", "abstract") and b.kind in ("para", "quote") and (
                len(text.split()) <= 3 or len(text) <= 12):
            prev = next((c for c in reversed(kept) if c.kind in ("para", "quote")), None)
            if prev is not None and prev is kept[-1] and prev.kind == "quote" and _LABEL_LINE.match(text):
                prev.lines = prev.lines + b.lines        # the speaker's label on a line of its own
                continue
            open_ = prev is not None and _unfinished(_clean(prev.raw))
            if not (open_ and (text[:1].islower() or text.rstrip().endswith(_END_SENTENCE))):
                continue
        kept.append(b)
    # Paragraphs broken by a column or page (or a left-out figure): joined when the first does not end a
    # sentence, or the second goes on in lower case, or (where the text around marks paragraphs by indenting
    # them) the column or page goes on flush.
    merged: list[_Blk] = []
    indenting = False                    # how the last paragraph that began inside a column was marked
    for k, b in enumerate(kept):
        before = kept[k - 1] if k else None
        if b.kind == "para" and before is not None and before.kind == "para" and before.leaf is b.leaf and (
                b.gap_above is not None):
            indenting = b.lines[0].x0 - b.leaf.left >= 0.5 * em and b.gap_above < 0.8 * doc.pitch
        prev = merged[-1] if merged else None
        if prev is not None and prev.kind == b.kind and prev.zone == b.zone and b.kind in ("para", "quote", "large"):
            ptext, text = _clean(prev.raw), _clean(b.raw)
            same_leaf = b.leaf is prev.leaf
            flush = (indenting and b.kind == "para" and b.gap_above is None and len(b.leaf.lines) >= 3
                     and b.lines[0].x0 - b.leaf.left < 0.3 * em)
            if abs(prev.size - b.size) <= 0.6 and not _MARK.match(text) and (
                    text[:1].islower() or (not same_leaf and (_unfinished(ptext) or flush))):
                prev.lines = prev.lines + b.lines
                continue
        merged.append(b)
    return merged


def _unfinished(text: str) -> bool:
    s = text.rstrip()
    return bool(s) and not s.endswith(_END_SENTENCE)


def _build(doc: _Doc, seq: list[_Blk], texts: dict[int, str], abs_level: int, words: set[str],
           compounds: set[str]) -> Article:
    abstract: list[Block] = []
    body: list[Block] = []
    back: list[Block] = []
    level = 1
    for b in seq:
        if b.kind == "title":
            continue
        out = {"abstract": abstract, "abstract-head": abstract, "body": body}.get(b.zone, back)
        text = texts.get(id(b)) or _join_text([ln.text for ln in b.lines], words, compounds)
        where = (b.page, b.lines[0].no)
        if b.zone == "abstract-head":
            if b.kind != "heading":
                rest = _LEAD_IN.sub("", text, count=1)
                if rest:
                    abstract.append(Block(PARAGRAPH, rest, *where))
            continue
        if b.kind == "heading":
            head = text.rstrip(":. ") if not text.endswith("..") else text
            lvl = max(b.level, abs_level + 1) if b.zone == "abstract" else b.level
            out.append(Block(HEADING, head, *where, lvl))
            level = lvl
            continue
        if b.kind == "large" and b.zone == "body":
            continue                         # a pull quote repeats the text
        if b.kind == "quote" and b.zone == "body":
            quote, label = split_attribution(text)
            out.append(Block(QUOTE, quote, *where, 0, label))
            continue
        split = _runin(b, b.zone == "abstract", text) if b.kind == "para" else None
        if split and b.zone == "back-end" and not _named(split[0]):
            split = None                     # a reference's bold authors
        if split:
            lvl = abs_level + 1 if b.zone == "abstract" else level + 1
            out.append(Block(HEADING, split[0], *where, lvl))
            out.append(Block(PARAGRAPH, split[1], *where))
            continue
        out.append(Block(PARAGRAPH, text, *where))
    return Article("pdf", doc.name, doc.pages, doc.title, tuple(abstract), tuple(attach_attributions(body)),
                   tuple(back), tuple(doc.notes))


# ----------------------------------------------------------------------------------------------
# entry point


def _ranges(pages: list[int]) -> str:
    parts: list[str] = []
    start = prev = None
    for p in sorted(pages):
        if start is None:
            start = prev = p
        elif p == prev + 1:
            prev = p
        else:
            parts.append(f"{start}" if start == prev else f"{start}-{prev}")
            start = prev = p
    if start is not None:
        parts.append(f"{start}" if start == prev else f"{start}-{prev}")
    return ", ".join(parts)


def read_pdf(data: bytes, name: str) -> Article:
    """The Article of a PDF's text layer (see the module's rules); InputFileError for a file it cannot read."""
    if not data or not data.strip():
        raise InputFileError("the file is empty: download the PDF again", file=name)
    logger = logging.getLogger("pdfminer")
    previous = logger.level
    logger.setLevel(logging.ERROR)
    try:
        doc, undecodable = _read_layout(data, name)
    finally:
        logger.setLevel(previous)
    empty = [no for no in sorted(doc.frags) if not any(f.text.strip("\u2022 ") for f in doc.frags[no])]
    if len(empty) == len(doc.frags) or undecodable:
        what = "no text layer (a scan?)" if not undecodable else "a text layer that cannot be decoded (fonts " \
                                                                 "without a Unicode map)"
        raise InputFileError(f"{what}: run OCR (e.g. ocrmypdf) and put the OCR'd PDF in its place", file=name)
    if empty:
        doc.notes.append(f"page{'s' if len(empty) > 1 else ''} {_ranges(empty)} ha{'ve' if len(empty) > 1 else 's'} "
                         "no text layer (scanned images?): run OCR (e.g. ocrmypdf) to read them")
    _furniture(doc)
    _statistics(doc)
    _find_title(doc)
    _running_title(doc)
    leaves = _order(doc)
    _pitch(doc, leaves)
    words, compounds = _vocabulary(leaves)
    blocks = _segment(doc, leaves)
    _classify(doc, blocks)
    seq = [b for b in blocks if b.kind != "drop"]
    texts = {id(b): _join_text([ln.text for ln in b.lines], words, compounds) for b in seq if b.kind == "heading"}
    abs_level = _zones(doc, seq, texts)
    seq = _resolve(doc, seq)
    return _build(doc, seq, texts, abs_level, words, compounds)
