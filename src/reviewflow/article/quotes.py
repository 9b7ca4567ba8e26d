"""Participant quotes as qualitative articles print them, and the speaker label that follows them.

Attributions seen in real articles: '(P12, peer worker)', '(Participant 3, female, 34 years)',
'[Peer 4]', '(FG2)', '(Interview 7)', '— Participant 3, female', '- Staff member 2', '(Client, 45)'.
A label is short (at most eight words), in brackets or after a dash at the end of the quote, and
holds an identifier (a number or a code like P12/FG2) or names a kind of person.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .model import PARAGRAPH, QUOTE, Block

_OPEN = "\"\u201c\u201e\u00ab'\u2018"
_CLOSE = "\"\u201d\u00bb'\u2019"
_PERSON = (r"participant|interviewee|informant|respondent|peer|worker|client|patient|staff|member|nurse|"
           r"manager|physician|doctor|clinician|user|mother|father|woman|man|male|female|provider|"
           r"volunteer|coach|navigator|mentor|supervisor|director|coordinator|counsell?or|resident|"
           r"student|teacher|parent|carer|caregiver|family|stakeholder|officer|leader|person|key|"
           r"focus group|group|interview|fg|kii|idi|hcw|chw")
_ID = r"(?:[A-Z]{1,4}-?\d{1,4}[a-z]?|\d{1,4}|[A-Z]{1,3}\d*)"
_LABEL = rf"(?:(?:{_PERSON})[\w'./-]*|{_ID})(?:[\s,;:/-]+[\w'./-]+){{0,7}}"
_BRACKETED = re.compile(rf"\s*[(\[]\s*({_LABEL})\s*[)\]]\s*\.?\s*$", re.I)
_DASHED = re.compile(rf"\s+[\u2014\u2013-]{{1,2}}\s*({_LABEL})\s*\.?\s*$", re.I)
_HAS_ID = re.compile(rf"\d|\b(?:{_PERSON})\b", re.I)
_ROMAN_OR_YEAR = re.compile(
    r"^(?:\d{4}[a-z]?|[ivx]+|p\.?\s*\d+|pp?\.\s*[\d-]+|fig.*|table.*|see .*|e\.g\..*|i\.e\..*)$", re.I)


def split_attribution(text: str) -> tuple[str, str]:
    """(quote, speaker label) when the text ends with an attribution; (text, '') otherwise."""
    s = text.rstrip()
    for pattern in (_BRACKETED, _DASHED):
        m = pattern.search(s)
        if not m:
            continue
        label = m.group(1).strip(" ,;:.")
        body = s[:m.start()].rstrip()
        # A citation '(Smith 2019)', '(2019)' or '(see Table 2)' is not a speaker's label.
        if not label or _ROMAN_OR_YEAR.match(label) or not _HAS_ID.search(label):
            continue
        if re.search(r"\b(?:19|20)\d{2}\b", label) or " et al" in label:
            continue
        if not body:
            continue
        return body, label
    return text, ""


def opens_as_quote(text: str) -> bool:
    return text.lstrip()[:1] in _OPEN


def is_participant_quote(text: str, block_quote: bool = False) -> bool:
    """A block the author set as a quote, or a paragraph that is one quotation with a speaker label."""
    if block_quote:
        return True
    body, label = split_attribution(text)
    body = body.strip()
    if not body or body[:1] not in _OPEN:
        return False
    # One quotation: it opens with a quotation mark and closes with one (before the label).
    closes = body.rstrip(".,;: ")[-1:] in _CLOSE
    return bool(label) and closes or (closes and body.count(body[0]) <= 2 and len(body) > 20)


def strip_quotation_marks(text: str) -> str:
    return text.strip().strip(_OPEN + _CLOSE).strip()


_LONE_LABEL = re.compile(r"^\s*(?:[(\[].+[)\]]\.?|[\u2014\u2013-].+)\s*$")


_INNER_LABEL = re.compile(rf"\s[(\[]\s*{_LABEL}\s*[)\]]\.?(?=\s+[A-Z\"\u201c'\u2018])", re.I)


def split_run_quotes(block: Block) -> list[Block]:
    """Two quotes set one after the other with no space between them ('... work. (Peer 16) If I'm
    sick ...') as two quotes, each with its own attribution."""
    if block.kind != QUOTE:
        return [block]
    out: list[Block] = []
    rest, pos = block.text, 0
    for m in _INNER_LABEL.finditer(block.text):
        head = block.text[pos:m.end()]
        quote, label = split_attribution(head)
        if label and len(quote.split()) >= 3:
            out.append(replace(block, text=quote.strip(), attribution=label))
            pos = m.end()
    if not out:
        return [block]
    rest = block.text[pos:].strip()
    if rest:
        out.append(replace(block, text=rest))
    return out


def attach_attributions(blocks: list[Block]) -> list[Block]:
    """Run-together quotes cut apart, and a short bracketed or dashed label set on its own line after a
    block quote taken as that quote's attribution (a right-aligned line in a PDF, its own Quote paragraph
    in a DOCX)."""
    out: list[Block] = []
    for b in (piece for block in blocks for piece in split_run_quotes(block)):
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == QUOTE and not prev.attribution and b.kind in (PARAGRAPH, QUOTE)
                and len(b.text.split()) <= 8 and _LONE_LABEL.match(b.text)):
            quote, label = split_attribution(prev.text + " " + b.text.strip())
            if label:
                out[-1] = replace(prev, text=quote, attribution=label)
                continue
        out.append(b)
    return out
