"""Plain text and Markdown full texts as an `Article`.

- **Pages**: a form feed (what `pdftotext` writes between pages) starts the next page; so does a
  marker line `--- Page 7 ---` or `[Page 7]`, which also gives the page its number. A paragraph cut
  by a page break (its last line does not end a sentence) goes on across it.
- **Paragraphs** are runs of lines between blank lines; lines are joined, a hyphen ending a line
  before a lower-case word is taken out ('partici-' + 'pants'). A block indented by four or more
  spaces or a tab, or Markdown's '> ', is a block quote.
- **Headings**: Markdown's '#' lines (their level is the number of '#'); in plain text, a line on
  its own that is a section's name (numbered or not, any case: 'Results', '3. FINDINGS'), a
  numbered short line ('2.1 Data analysis'), or a short line without a sentence's ending that
  stands between blank lines and is followed by a paragraph (an author's theme heading, level 2).
- The title is the first heading or line; an 'Abstract' heading's paragraphs go to `abstract`;
  References, Acknowledgements and the like (and all after References) go to `back`.
"""

from __future__ import annotations

import re

from .model import HEADING, PARAGRAPH, QUOTE, Article, Block
from .sections import BACK, heading_role, normalise_heading

_MARKER = re.compile(
    r"^\s*(?:(?:-{3,}|={3,})\s*(?:page|p\.)\s*(\d{1,6})\s*(?:-{3,}|={3,})"
    r"|\[\s*(?:page|p\.)\s*(\d{1,6})\s*\])\s*$", re.I)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_NUMBERED = re.compile(r"^((?:\d+\.)*\d+)\.?\s+([A-Z].{1,80})$")
_END = (".", "!", "?", ":", ";", ",", ")", "]", '"', "'", "\u201d", "\u2019")
_HYPHEN_END = re.compile(r"(\w)-$")
_SPACES = re.compile(r"[ \t\u00a0]+")
_ABSTRACT = ("abstract", "summary", "structured abstract")
_REFERENCES = ("references", "reference", "bibliography", "literature cited", "works cited")


def _join(lines: list[str]) -> str:
    """Lines of one paragraph as one string, line-end hyphenation before a lower-case word undone."""
    out = ""
    for raw in lines:
        line = _SPACES.sub(" ", raw).strip()
        if not out:
            out = line
        elif _HYPHEN_END.search(out) and line[:1].islower():
            out = out[:-1] + line
        else:
            out += " " + line
    return out


def _is_heading_line(text: str) -> tuple[int, str] | None:
    """(level, text) when a lone line reads as a heading by itself (name or numbering)."""
    s = text.strip()
    if not s or len(s) > 100 or s.endswith((".", "!", "?", ",", ";")) or ":" in s.rstrip(":"):
        return None
    m = _NUMBERED.match(s)
    if m and not s.endswith(_END[:3]) and len(s.split()) <= 12:
        return m.group(1).count(".") + 1, s
    if heading_role(s.rstrip(":")) is not None or normalise_heading(s) in _ABSTRACT:
        return 1, s.rstrip(":").strip()
    return None


def _split_headings(chunk: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """A block cut before and after every heading line in it ('# ...' always; a section's name or a
    numbered heading as its first line), so a heading written right above its paragraph stands alone."""
    out: list[list[tuple[int, int, str]]] = [[]]
    for k, item in enumerate(chunk):
        line = item[2].strip()
        md = line.startswith("#") and _MD_HEADING.match(line)
        if md or (k == 0 and len(chunk) > 1 and _is_heading_line(line)):
            if out[-1]:
                out.append([])
            out[-1].append(item)
            out.append([])
        else:
            out[-1].append(item)
    return [c for c in out if c]


def _looks_like_theme(lines: list[str], next_is_text: bool) -> bool:
    """A short one-line block without a sentence's ending, followed by a paragraph."""
    if len(lines) != 1 or not next_is_text:
        return False
    s = lines[0].strip()
    return (0 < len(s.split()) <= 12 and len(s) <= 90 and not s.endswith(_END) and s[:1].isupper()
            and s[:1] not in "\"\u201c'\u2018")


def _pages(text: str) -> list[tuple[int, int, str | None]]:
    """(page, file line, line) for every line; None for a page break (form feed or marker line)."""
    out: list[tuple[int, int, str | None]] = []
    page = 1
    for no, line in enumerate(text.split("\n"), start=1):
        for k, part in enumerate(line.split("\f")):
            if k:
                page += 1
                out.append((page, no, None))
            m = _MARKER.match(part)
            if m:
                page = int(m.group(1) or m.group(2))
                out.append((page, no, None))
            elif part.strip() or not k:
                out.append((page, no, part))
    return out


def read_text(text: str, name: str, markdown: bool = False) -> Article:
    """A plain text or Markdown full text (already decoded) as an Article."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = _pages(text)
    raw: list[list[tuple[int, int, str]]] = []      # blocks of (page, file line, text)
    current: list[tuple[int, int, str]] = []
    broken = gap = False            # a page break / a blank line since the block's last line
    for page, no, line in lines:
        if line is None:
            broken = True
            continue
        if not line.strip():
            gap = bool(current)
            continue
        if current and (gap or broken):
            # A blank line or a page break ends the block, unless a page break cuts a sentence.
            if not (broken and not current[-1][2].rstrip().endswith(_END[:3])):
                raw.append(current)
                current = []
        broken = gap = False
        current.append((page, no, line))
    if current:
        raw.append(current)
    raw = [piece for chunk in raw for piece in _split_headings(chunk)]
    blocks: list[Block] = []
    for i, chunk in enumerate(raw):
        page, no = chunk[0][0], chunk[0][1]
        texts = [t for _, _, t in chunk]
        first = texts[0].strip()
        md = _MD_HEADING.match(first) if markdown or first.startswith("#") else None
        if md and len(texts) == 1:
            blocks.append(Block(HEADING, md.group(2).strip(), page, no, len(md.group(1))))
            continue
        if len(texts) == 1 and (head := _is_heading_line(first)):
            blocks.append(Block(HEADING, head[1], page, no, head[0]))
            continue
        nxt = raw[i + 1][0][2].strip() if i + 1 < len(raw) else ""
        if blocks and _looks_like_theme(texts, bool(nxt) and not _is_heading_line(nxt)):
            blocks.append(Block(HEADING, first, page, no, 2))
            continue
        if all(t.startswith(">") for t in texts if t.strip()):
            blocks.append(Block(QUOTE, _join([t.lstrip()[1:] for t in texts]), page, no))
        elif all(t.startswith(("    ", "\t")) for t in texts if t.strip()):
            blocks.append(Block(QUOTE, _join(texts), page, no))
        else:
            blocks.append(Block(PARAGRAPH, _join(texts), page, no))
    return _arrange(blocks, name, "markdown" if markdown else "text", max((p for p, _, _ in lines), default=1))


def _arrange(blocks: list[Block], name: str, fmt: str, pages: int) -> Article:
    """Title, abstract, body and back matter from a text's blocks in order."""
    title = ""
    if blocks and (blocks[0].kind == HEADING and blocks[0].level <= 1 and not _is_named(blocks[0])
                   or blocks[0].kind == PARAGRAPH and len(blocks[0].text) <= 250 and "." not in blocks[0].text[:-1]):
        title = blocks[0].text
        blocks = blocks[1:]
    abstract: list[Block] = []
    body: list[Block] = []
    back: list[Block] = []
    where, level = "body", 0
    for b in blocks:
        if b.kind == HEADING:
            name_ = normalise_heading(b.text)
            role = heading_role(b.text)
            if name_ in _ABSTRACT:
                where, level = "abstract", b.level
                continue
            if role == BACK:
                where, level = ("back-end" if name_ in _REFERENCES else "back"), b.level
            elif where == "abstract" and role is None and b.level > level:
                pass                                 # a structured abstract's own sub-heading
            elif where == "abstract" and b.level > level and role is not None and len(abstract) < 12:
                pass                                 # 'Results' inside a structured abstract
            elif where != "back-end" and (role is not None or where != "back" or b.level <= level):
                where = "body"
        {"abstract": abstract, "body": body}.get(where, back).append(b)
    if not body and abstract and fmt == "text":
        body, abstract = abstract, []               # an 'Abstract' heading and nothing else named: all text
    return Article(fmt, name, pages, title, tuple(abstract), tuple(body), tuple(back))


def _is_named(b: Block) -> bool:
    return heading_role(b.text) is not None or normalise_heading(b.text) in _ABSTRACT


def as_article(text: Article | str, name: str = "<text>") -> Article:
    """An Article as it is, or a text (plain or Markdown) read into one."""
    return text if isinstance(text, Article) else read_text(text, name, markdown=True)
