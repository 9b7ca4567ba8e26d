"""Coding units: the paragraphs and quotes of a full text's findings, with their provenance.

The findings are the section the authors named Results, Findings, Themes or Results and discussion
(`article.sections`), with every theme subheading under it kept as the segments' heading. Each
paragraph is one segment; a block quote, or a paragraph that is one quotation with a speaker
label, is a participant quote whose label ('P12, peer worker') is kept apart as its attribution.

When no findings section can be found the stage does not invent one: the body's paragraphs outside
Background, Methods and the back matter become segments marked `basis = "no findings section"`,
and the study is named wherever the review reports on itself (status, coding sheet, report).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..article.model import HEADING, QUOTE, Article
from ..article.quotes import is_participant_quote, split_attribution
from ..article.sections import BACK, BACKGROUND, FINDINGS, METHODS, spans
from ..article.text import as_article

FINDINGS_BASIS = "findings section"
FALLBACK_BASIS = "no findings section"
MIN_CHARS = 20          # shorter paragraphs in a findings section are labels or furniture, not findings


@dataclass(frozen=True)
class Segment:
    record_id: str
    segment: int          # 1-based position among the study's segments
    heading: str          # the author's theme heading above it ('' if none)
    kind: str             # participant_quote | author_statement
    text: str
    line: int             # where it starts in the source (see `article.model`)
    page: int = 0         # the page it starts on (0: a format without pages)
    attribution: str = ""  # a quote's speaker label, as printed
    basis: str = FINDINGS_BASIS

    @property
    def id(self) -> str:
        return f"{self.record_id}:{self.segment}"


@dataclass(frozen=True)
class Findings:
    """What the segmenter made of one study's full text."""

    record_id: str
    segments: tuple[Segment, ...]
    headings: tuple[str, ...]         # the findings section's own heading(s) as printed ('' if none)
    themes: tuple[str, ...]           # the author's theme subheadings under it, in order

    @property
    def found(self) -> bool:
        return bool(self.headings)

    @property
    def problem(self) -> str:
        """'' when the findings section was found and gave segments; else what a person should know."""
        if self.found and self.segments:
            return ""
        if self.found:
            return f"the findings section ('{self.headings[0]}') gave no paragraph to code"
        if self.segments:
            return (f"no Results or Findings section was found: {len(self.segments)} body paragraphs outside "
                    "Background, Methods and References are coded instead (marked 'no findings section')")
        return "no Results or Findings section was found, and no body paragraph outside Methods to code"


def _segments(record_id: str, blocks, basis: str, top_level: int) -> tuple[list[Segment], list[str]]:
    out: list[Segment] = []
    themes: list[str] = []
    path: list[tuple[int, str]] = []
    for b in blocks:
        if b.kind == HEADING:
            level = b.level or top_level + 1
            path = [(lv, t) for lv, t in path if lv < level] + [(level, b.text)]
            themes.append(b.text)
            continue
        text = b.text.strip()
        quote = is_participant_quote(text, block_quote=b.kind == QUOTE)
        if not text or (len(text) < MIN_CHARS and not quote):
            continue
        attribution = b.attribution
        if quote and not attribution:
            text, attribution = split_attribution(text)
        out.append(Segment(record_id, 0, " / ".join(t for _, t in path),
                           "participant_quote" if quote else "author_statement", text, b.line, b.page,
                           attribution, basis))
    return out, themes


def find_findings(record_id: str, article: Article | str) -> Findings:
    """The study's finding segments (see the module's rules), numbered in reading order; a str is
    read as plain text or Markdown."""
    parts = spans(as_article(article))
    found = [s for s in parts if s.role == FINDINGS]
    segs: list[Segment] = []
    themes: list[str] = []
    if found:
        for s in found:
            got, heads = _segments(record_id, s.blocks, FINDINGS_BASIS, s.heading.level if s.heading else 0)
            segs += got
            themes += heads
    else:
        for s in parts:
            if s.role not in (BACKGROUND, METHODS, BACK):
                segs += _segments(record_id, s.blocks, FALLBACK_BASIS, 0)[0]
    numbered = tuple(Segment(s.record_id, i, s.heading, s.kind, s.text, s.line, s.page, s.attribution, s.basis)
                     for i, s in enumerate(segs, start=1))
    return Findings(record_id, numbered, tuple(s.title for s in found), tuple(dict.fromkeys(themes)))


def split_findings(record_id: str, article: Article | str) -> list[Segment]:
    return list(find_findings(record_id, article).segments)
