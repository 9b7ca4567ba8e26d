"""What each part of an article is, read from its headings as authors write them.

A heading's role comes from its words, numbered or not, in any case ('3. RESULTS', 'Results and
discussion', 'Findings'), or from what the file says (JATS `sec-type`). Roles:

- `background` (Introduction, Background), `methods` (Methods, Materials and methods, Study design,
  Methodology, ...), `findings` (Results, Findings, Themes, Results and discussion, ...),
  `discussion` (Discussion, Conclusions, Limitations, Implications), `back` (References,
  Acknowledgements, Funding, ... : no stage reads it for content).

A heading with none of these names (an author's theme, 'Data analysis') belongs to the section
around it: a deeper heading always does, and one at the same level does too, because a PDF's
typography does not always tell a theme subheading from a section heading. A weaker name
('Participants', 'Data collection', 'Setting') starts the Methods only where no Results began yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import HEADING, Article, Block

BACKGROUND, METHODS, FINDINGS, DISCUSSION, BACK, FRONT = (
    "background", "methods", "findings", "discussion", "back", "front")

_NUMBERING = re.compile(r"^\s*(?:(?:\d+|[IVXivx]+|[A-Ha-h])(?:\.\d+)*[.):]?\s+|\d+(?:\.\d+)+\s*)")
_STRONG = {
    BACKGROUND: ("introduction", "background", "background and aims", "background and objectives",
                 "introduction and background", "rationale", "context"),
    METHODS: ("methods", "method", "materials and methods", "methods and materials", "material and methods",
              "methodology", "study design", "design and methods", "methods and design", "patients and methods",
              "participants and methods", "subjects and methods", "research design", "research methods",
              "data and methods", "experimental procedures", "the study", "study design and methods",
              "methods and analysis", "design", "approach", "methodological approach"),
    FINDINGS: ("results", "findings", "themes", "results and discussion", "findings and discussion",
               "results and findings", "key findings", "main findings", "qualitative findings",
               "qualitative results", "results of the analysis", "research findings", "study findings",
               "results and analysis", "analysis and findings", "analysis and results", "emergent themes",
               "emerging themes", "thematic findings"),
    DISCUSSION: ("discussion", "general discussion", "conclusion", "conclusions", "concluding remarks",
                 "discussion and conclusions", "discussion and conclusion", "conclusions and implications",
                 "limitations", "strengths and limitations", "study limitations", "implications",
                 "implications for practice", "implications for policy", "implications for research",
                 "recommendations", "summary"),
    BACK: ("references", "reference", "bibliography", "literature cited", "works cited", "literature",
           "acknowledgements", "acknowledgments", "acknowledgement", "acknowledgment", "funding",
           "funding statement", "sources of funding", "financial support", "competing interests",
           "conflict of interest", "conflicts of interest", "declaration of interest", "declarations",
           "declaration of competing interest", "disclosure", "disclosures", "authors contributions",
           "author contributions", "contributors", "authors information", "abbreviations",
           "availability of data and materials", "data availability", "data availability statement",
           "ethics approval and consent to participate", "consent for publication", "supporting information",
           "supplementary material", "supplementary materials", "additional files", "additional file",
           "appendix", "appendices", "notes", "endnotes", "footnotes", "pre-publication history",
           "publishers note", "orcid", "author details", "article information"),
}
_WEAK_METHODS = ("participants", "participants and setting", "setting", "settings", "study setting",
                 "sample", "sampling", "recruitment", "participants and recruitment", "data collection",
                 "data analysis", "analysis", "procedure", "procedures", "ethics", "ethical considerations",
                 "ethical approval", "study population", "measures", "materials", "interviews", "the interviews",
                 "sampling and recruitment", "data collection and analysis", "study area", "study site")
_NAMES = {name: role for role, names in _STRONG.items() for name in names}
# JATS sec-type values (the tag library's suggestions; some files join two with '|').
_SEC_TYPES = {"intro": BACKGROUND, "introduction": BACKGROUND, "background": BACKGROUND,
              "methods": METHODS, "materials": METHODS, "materials|methods": METHODS, "methods|materials": METHODS,
              "subjects": METHODS, "cases": METHODS, "results": FINDINGS, "findings": FINDINGS,
              "results|discussion": FINDINGS, "discussion": DISCUSSION, "conclusions": DISCUSSION,
              "conclusion": DISCUSSION, "supplementary-material": BACK, "display-objects": BACK,
              "ack": BACK, "acknowledgments": BACK, "funding": BACK, "coi-statement": BACK,
              "data-availability": BACK, "ethics-statement": BACK, "author-contributions": BACK}


def normalise_heading(heading: str) -> str:
    """'3.1. RESULTS & Discussion:' -> 'results and discussion'."""
    s = _NUMBERING.sub("", heading.strip())
    s = s.replace("&", " and ").replace("\u2019", "").replace("'", "").lower()
    s = re.sub(r"[^\w -]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def heading_role(heading: str, section_type: str = "") -> str | None:
    """The role a heading names by itself (strong names, then JATS sec-types), else None.

    The printed title wins over the sec-type: publishers' sec-types are sometimes wrong (a PLOS
    'Results and discussion' typed `conclusions`); the sec-type decides for a title that names no role.
    """
    name = normalise_heading(heading)
    if name in _NAMES:
        return _NAMES[name]
    first = name.split(" ", 1)[0] if name else ""
    if first in ("results", "findings") and len(name.split()) <= 6:
        return FINDINGS            # 'Results of the interviews', 'Findings from the focus groups'
    if first in ("method", "methods", "methodology") and len(name.split()) <= 5:
        return METHODS
    return _SEC_TYPES.get(section_type.strip().lower())


def is_weak_methods(heading: str) -> bool:
    return normalise_heading(heading) in _WEAK_METHODS


@dataclass(frozen=True)
class Span:
    """A run of body blocks with one role: its opening heading and the blocks under it."""

    role: str
    heading: Block | None
    blocks: tuple[Block, ...]       # what follows the opening heading (deeper headings included)

    @property
    def title(self) -> str:
        return self.heading.text if self.heading else ""


def spans(article: Article) -> list[Span]:
    """The body cut into role spans at every heading that names a role (see the module's rules)."""
    out: list[Span] = []
    role, head, level, current = FRONT, None, 0, []
    seen_findings = False
    for b in article.body:
        if b.kind == HEADING:
            named = heading_role(b.text, b.section_type)
            deeper = head is not None and level and b.level > level
            if named == BACK or (named and not deeper) or (
                    named is None and not seen_findings and role in (FRONT, BACKGROUND)
                    and is_weak_methods(b.text)):
                out.append(Span(role, head, tuple(current)))
                role, head, level, current = named or METHODS, b, b.level, []
                seen_findings |= role == FINDINGS
                continue
        current.append(b)
    out.append(Span(role, head, tuple(current)))
    return [s for s in out if s.heading is not None or s.blocks]


def findings_spans(article: Article) -> list[Span]:
    return [s for s in spans(article) if s.role == FINDINGS]
