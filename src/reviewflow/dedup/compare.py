"""Pairwise checks that veto a merge: records that look alike but are different reports."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Record
from ..screen.rules import publication_types
from .normalise import fold

_ERRATUM_TITLE = re.compile(r"^(erratum|corrigendum|correction|retraction|retracted)\b")
_MEETING = re.compile(r"\b(conference|congress|proceedings|meeting|symposium|abstracts)\b")
_STOP = {"of", "the", "and", "for", "in", "on", "a", "an", "de", "la"}
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Features:
    """What the veto checks compare, computed once per record."""

    doi: str | None
    year: int | None
    author: str          # first author's folded family name
    journal: tuple[str, ...]
    first_page: str
    volume: str
    kind: str            # article | erratum | conference | review ...

    @classmethod
    def of(cls, r: Record) -> Features:
        title = fold(r.title)
        types = publication_types(r.publication_type)
        if _ERRATUM_TITLE.match(title) or "erratum" in types:
            kind = "erratum"
        elif "conference-abstract" in types or _MEETING.search(fold(r.journal)):
            kind = "conference"
        else:
            kind = "article"
        pages = _DIGITS.findall(r.pages or "")
        return cls(r.doi, r.year, fold(r.first_author_family()),
                   tuple(t for t in fold(r.journal).split() if t not in _STOP),
                   pages[0] if pages else "", (_DIGITS.findall(r.volume or "") or [""])[0], kind)


def journals_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Same journal, allowing abbreviations: each word of one is a prefix of the other's."""
    if not a or not b:
        return True
    if len(a) != len(b):
        short, long_ = sorted((a, b), key=len)
        # 'Int J Drug Policy' vs 'International Journal of Drug Policy' after stop words.
        return all(any(w.startswith(s) for w in long_) for s in short)
    return all(x.startswith(y) or y.startswith(x) for x, y in zip(a, b, strict=True))


def compatible(a: Features, b: Features, max_year_gap: int = 1) -> bool:
    """False when any field proves the two records are different reports."""
    if a.doi and b.doi and a.doi != b.doi:
        return False
    if a.kind != b.kind:
        return False
    if a.year and b.year and abs(a.year - b.year) > max_year_gap:
        return False
    if a.author and b.author and a.author != b.author and not (
            a.author.startswith(b.author) or b.author.startswith(a.author)):
        return False
    if a.first_page and b.first_page and a.first_page != b.first_page:
        return False
    if a.volume and b.volume and a.volume != b.volume:
        return False
    return journals_compatible(a.journal, b.journal)
