"""The structured full text every reader returns, and what the later stages read from it.

An `Article` is the body of a full text as blocks in reading order: headings (with their level),
paragraphs and block quotes, each with its page and line. What is not the authors' running text is
kept out of the body: running heads, footers and page numbers, affiliations and correspondence,
keywords, figure and table furniture. The reference list, acknowledgements, funding, competing
interests and the like go to `back`, which no stage reads for content.

Pages and lines: `page` is the page of the file (PDF: the PDF's page, 1-based; plain text: pages
between form feeds); 0 for formats without pages (JATS, DOCX). `line` is where the block starts in
the source: the line on its page for a PDF, the line of the file for text, Markdown and XML (lxml's
source line), the paragraph's position in the document for DOCX.
"""

from __future__ import annotations

from dataclasses import dataclass, field

HEADING = "heading"
PARAGRAPH = "paragraph"
QUOTE = "quote"          # a block quote (indented, or JATS <disp-quote>); its attribution apart


@dataclass(frozen=True)
class Block:
    kind: str                 # HEADING | PARAGRAPH | QUOTE
    text: str                 # one paragraph's text, lines joined, hyphenation at line ends undone
    page: int = 0
    line: int = 0
    level: int = 0            # a heading's level: 1 for a section, 2 for its subsection, ...; 0 otherwise
    attribution: str = ""     # a quote's speaker label as printed ('P12, peer worker'), without brackets
    section_type: str = ""    # what the file itself says a heading's section is (JATS sec-type), if anything

    @property
    def where(self) -> str:
        """'p. 3, line 12' for a paged format, 'line 240' otherwise."""
        if self.page:
            return f"p. {self.page}, line {self.line}" if self.line else f"p. {self.page}"
        return f"line {self.line}" if self.line else ""


@dataclass(frozen=True)
class Article:
    format: str                              # pdf | jats | docx | text | markdown
    source: str                              # the file read (for messages)
    pages: int = 0                           # number of pages (0: a format without pages)
    title: str = ""
    abstract: tuple[Block, ...] = ()         # the abstract's paragraphs (structured abstracts: headings too)
    body: tuple[Block, ...] = ()             # headings, paragraphs and quotes, in reading order
    back: tuple[Block, ...] = ()             # references, acknowledgements, funding, ...: never read for content
    notes: tuple[str, ...] = field(default=())   # what the reader noticed that a person should know

    @property
    def empty(self) -> bool:
        return not any(b.text.strip() for b in (*self.abstract, *self.body))

    def text(self) -> str:
        """The body as plain text: one block a paragraph, headings on their own."""
        return "\n\n".join(b.text for b in (*self.abstract, *self.body))
