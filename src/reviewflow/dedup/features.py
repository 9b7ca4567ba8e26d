"""What the comparison looks at, computed once per record from that record alone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..records import Record
from ..screen.rules import publication_types
from .normalise import (
    GENERIC_TITLES,
    author_key,
    clean_issue,
    clean_title,
    doi_key,
    fold,
    journal_initials,
    journal_tokens,
    number_key,
    pages_key,
    split_author_text,
)

# Kinds of report that share a title (or most of it) with the article they belong to, but are
# other reports: merging them would delete the article or the notice.
_ERRATUM = re.compile(r"^(?:erratum|errata|corrigendum|corrigenda|correction|author correction|publisher "
                      r"correction|notice of retraction|retraction|retracted|retraction note|withdrawn|"
                      r"withdrawal|expression of concern|editorial expression of concern)\b")
_COMMENT = re.compile(r"^(?:comment on|comments on|commentary on|commentary|response to|reply to|in reply|"
                      r"reply|re|author reply|authors reply|author s reply|authors response|letter to the "
                      r"editor|letter re|invited commentary|editorial comment)\b")
_PROTOCOL = re.compile(r"\b(?:protocol|study design and rationale|design and rationale|rationale and design)\b")
# Venue words of meetings. Not 'proceedings' alone: PNAS and the Royal Society's journals.
_MEETING = re.compile(r"\b(?:conference|congress|meeting|symposium|workshop|colloquium|amcis|icis|ecis|"
                      r"pacis|hicss)\b")
_CONF_TYPES = frozenset({"inproceedings", "conference", "proceedings", "conference paper", "conference proceeding",
                         "conference abstract", "meeting abstract", "conference review"})


_SUPPL_ISSUE = re.compile(r"suppl|meeting ?abstracts?|^\s*S\d", re.I)
# The supplement's own number ('30 (Suppl 3)', 'SUPPL. 1', 'S3'): some databases give it as the volume.
_SUPPL_NO = re.compile(r"(?:suppl\w*\.?|supplement|\bS)\s*(\d{1,3})\b", re.I)
# A degree where the volume should be ('Ph.D.', 'M.Sc.'): the record describes a thesis.
_DEGREE = re.compile(r"(?:ph\.?\s?d|psy\.?\s?d|ed\.?\s?d|d\.?\s?phil|m\.?\s?(?:sc|phil|a|s))\.?", re.I)
_THESIS_TYPES = frozenset({"phdthesis", "mastersthesis", "thesis", "dissertation"})
# An abstract shorter than this (folded characters) is a stub ('No abstract available') that many
# records share; longer, the same opening identifies one record's abstract.
ABSTRACT_MIN = 100
ABSTRACT_KEY = 300
_SUPPL_JOURNAL = re.compile(r"\bsupplements?\b", re.I)
_ISSN = re.compile(r"\b(\d{4})-?(\d{3}[\dXx])\b")


# 'part 2', 'part ii' (and 'part i1', an 'i' read as '1'); not 'part of the team'.
_PART = re.compile(r"\bpart (\d+|[ivxl1]+)\b")
_ROMAN = ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")


def _part(title: str) -> str:
    """Which part of a series a (folded) title names, as a roman numeral ('part 2' and 'part ii'
    -> 'ii'; 'part i1', a 'i' read as '1', -> 'ii'); '' if none."""
    m = _PART.search(title)
    if not m:
        return ""
    token = m.group(1)
    if token.isdigit():
        return _ROMAN[int(token)] if int(token) < len(_ROMAN) else token
    return token.replace("1", "i").replace("l", "i")


# Words that no title of a primary paper uses, and a reply to one may. Not 'erratum' or 'retraction':
# MEDLINE appends '[Erratum appears in ...]' to the paper's own title (notices are told by their kind).
_REPLY_WORDS = ("rejoinder", "reply")


def _replies(title: str) -> tuple[bool, ...]:
    """Which of the reply words a (folded) title holds."""
    words = f" {title} "
    return tuple(f" {w} " in words for w in _REPLY_WORDS)


@dataclass(frozen=True, slots=True)
class Feat:
    """Normalised fields of one record; `key` is its stable id (orders everything)."""

    key: str
    doi: str
    pmid: str
    title: str             # folded words of the cleaned title; '' when uninformative
    tkey: str              # title without spaces
    nwords: int
    authors: tuple[tuple[str, str], ...]  # (surname, first initial)
    first: str             # first author's surname
    first_names: frozenset[str]  # every word of the first author's name (order-swapped names)
    surnames: frozenset[str]     # surnames of the first five authors
    astr: str              # authors as one string for fuzzy comparison
    year: int | None
    journal: tuple[str, ...]
    jinit: str
    issn: frozenset[str]
    volume: str
    issue: str
    fpage: str
    lpage: str
    kind: str              # article | erratum | comment | protocol | conference | thesis
    supplement: bool       # a journal supplement (abstract books): volumes and pages say little
    suppl_no: str          # the supplement's number ('Suppl 3' -> '3'), '' if none is given
    mkey: str              # tkey of the main title (before the first colon), '' without a subtitle
    akey: str              # the abstract's folded opening, '' when it is missing or a stub
    part: str              # the part of a series the title names ('part 2' -> 'ii'), '' if none
    replies: tuple[bool, ...]  # which of _REPLY_WORDS the title holds


def _raw(rec: Record, *names: str) -> str:
    """The first non-empty raw value of the named columns (BibTeX-like names, as in CSV exports)."""
    raw = rec.raw
    for name in names:
        vals = raw.get(name)
        if vals and vals[0].strip():
            return vals[0].strip()
    return ""


def record_authors(rec: Record) -> tuple[list[tuple[str, str]], frozenset[str]]:
    """(surname, initial) of each author, and the words of the first author's name.

    A single glued author string ('Adeli K.Lewis G. F.') is split first."""
    names = [a.display() for a in rec.authors]
    if len(names) == 1:
        names = split_author_text(names[0])
    out = []
    words: frozenset[str] = frozenset()
    for name in names:
        fam, _, giv = name.partition(",")
        key = author_key(fam, giv)
        if key[0]:
            if not out:
                words = frozenset(w for w in fold(name.replace("?", "")).split() if len(w) > 1)
            out.append(key)
    return out, words


@lru_cache(maxsize=1 << 12)
def _types(values: tuple[str, ...]) -> frozenset[str]:
    """Canonical publication types (cached: a corpus repeats a few dozen combinations)."""
    return frozenset(publication_types(list(values)))


@lru_cache(maxsize=1 << 14)
def _fold_cached(text: str) -> str:
    return fold(text)


def kind_of(title: str, types: frozenset[str], entrytype: str, venue: str, conference_venue: bool,
            volume: str = "") -> str:
    """The kind of report; anything not recognised is an 'article'.

    `conference_venue`: the record names a booktitle (proceedings); `volume` the raw volume field."""
    if _ERRATUM.match(title) or types & {"erratum", "retraction"}:
        return "erratum"
    if _COMMENT.match(title):
        return "comment"
    if _PROTOCOL.search(title):
        return "protocol"
    if entrytype in _CONF_TYPES or "conference-abstract" in types or conference_venue or _MEETING.search(venue):
        return "conference"
    if entrytype in _THESIS_TYPES or "dissertation" in types or (volume and _DEGREE.fullmatch(volume.strip())):
        return "thesis"
    return "article"


def features(rec: Record, key: str) -> Feat:
    """The comparison features of one record; `key` is the id the output uses for it."""
    title_text = clean_title(rec.title)
    title = folded = fold(title_text)
    journal_name = rec.journal or _raw(rec, "journal", "booktitle", "secondary_title")
    booktitle = _raw(rec, "booktitle")
    jtok = journal_tokens(journal_name or booktitle)
    # A title that only repeats the journal's name, or names a kind of item, identifies nothing.
    if title in GENERIC_TITLES or (title and journal_name and title.startswith(_fold_cached(journal_name))
                                   and len(title) < len(_fold_cached(journal_name)) + 25):
        title = ""
    author_list, first_words = record_authors(rec)
    authors = tuple(author_list)
    first, last = pages_key(rec.pages)
    volume_text = rec.volume or ""
    supplement = bool(_SUPPL_ISSUE.search(f"{volume_text} {rec.issue or ''}")
                      or (rec.journal and _SUPPL_JOURNAL.search(rec.journal)))
    suppl = _SUPPL_NO.search(f"{volume_text} {rec.issue or ''}") if supplement else None
    main, colon, _ = title_text.partition(":")
    mkey = fold(main).replace(" ", "") if colon and title else ""
    # (Only the opening is folded: an abstract is most of a record's text.)
    abstract = fold(rec.abstract[:2 * ABSTRACT_KEY])[:ABSTRACT_KEY] if rec.abstract else ""
    types = _types(tuple(rec.publication_type))
    entrytype = _raw(rec, "ENTRYTYPE", "entrytype", "type", "TY").lower()
    issn = set(rec.issn)
    for m in _ISSN.finditer(_raw(rec, "isbn", "issn")):
        issn.add(f"{m.group(1)}-{m.group(2).upper()}")
    return Feat(
        key=key,
        doi=doi_key(rec.doi),
        pmid=(rec.pmid or "").strip(),
        title=title,
        tkey=title.replace(" ", ""),
        nwords=len(title.split()),
        authors=authors,
        first=authors[0][0] if authors else "",
        first_names=first_words,
        surnames=frozenset(s for s, _ in authors[:5]),
        astr=" ".join(f"{s} {i}".strip() for s, i in authors[:12]),
        year=rec.year,
        journal=jtok,
        jinit=journal_initials(jtok),
        issn=frozenset(issn),
        volume=number_key(volume_text),
        issue=clean_issue(rec.issue),
        fpage=first,
        lpage=last,
        kind=kind_of(folded, types, entrytype, _fold_cached(journal_name or ""),
                     bool(booktitle), volume_text),
        supplement=supplement,
        suppl_no=suppl.group(1).lstrip("0") if suppl else "",
        mkey=mkey,
        akey=abstract if len(abstract) >= ABSTRACT_MIN else "",
        part=_part(title),
        replies=_replies(title),
    )
