"""Normalised keys for matching: titles, authors, journals, pages, years and DOIs.

Every function here is pure and depends on one value only, so a record's keys never depend on
the other records, on their order or on the number of worker processes.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import unquote

from ..records import normalise_doi
from ..textnorm import strip_accents

_TAGS = re.compile(r"<[^>]{0,200}>")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_ASCII_SPACES = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isdigit() and not "a" <= chr(c) <= "z"})
# Letters that Unicode does not decompose into a base letter and a mark.
_TRANSLIT = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss",
                           "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "ı": "i"})
# Greek letters spelled out, as databases that cannot store them write them ('TNF-alpha').
_GREEK_NAMES = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi "
                "rho sigma sigma tau upsilon phi chi psi omega").split()
_GREEK = {chr(0x3B1 + i): f" {name} " for i, name in enumerate(_GREEK_NAMES)}
_GREEK.update({chr(0x391 + i): f" {name} " for i, name in enumerate(_GREEK_NAMES) if i != 17})
_GREEK.update({"µ": " mu ", "ϐ": " beta ", "ϑ": " theta ", "ϕ": " phi ", "ϵ": " epsilon "})
_GREEK_TABLE = str.maketrans(_GREEK)


def fold(text: str | None) -> str:
    """Lower-case ASCII words separated by single spaces (HTML, accents, Greek letters resolved)."""
    if not text:
        return ""
    t = _TAGS.sub(" ", text) if "<" in text else text
    if "&" in t:
        # Twice: exports sometimes escape twice ('&amp;beta;').
        t = html.unescape(html.unescape(t))
    if t.isascii():
        # Most bibliographic text: nothing to decompose, and this path is ten times faster. (What
        # _NON_ALNUM.sub(" ", ...).strip() gives, in C: every other ASCII character is a space.)
        return " ".join(t.lower().translate(_ASCII_SPACES).split())
    t = strip_accents(t.translate(_GREEK_TABLE).translate(_TRANSLIT))
    return _NON_ALNUM.sub(" ", t.casefold()).strip()


def title_key(title: str | None) -> str:
    """Title with everything but letters and digits removed; '' for an empty title."""
    return fold(title).replace(" ", "")


# ----------------------------------------------------------------------------- titles

# Trailing database tags: '[Review]', '[133 refs]', '[Article in German]', '(author's transl)'.
_TRAILING_TAG = re.compile(r"\s*(\[[^\[\]]{0,80}\]|\((?:author'?s? transl|[^()]{0,40}\brefs?)\))\s*[.]?\s*$",
                           re.I)
_STARS = re.compile(r"[*†‡§¶]+\s*$")
# A trailing footnote mark that PDF extraction glues to a title ('... CAPABILITY 1').
_PDF_FOOTNOTE = re.compile(r"(?<=[A-Z]{3})\s+[1-9*]$")


def clean_title(title: str | None) -> str:
    """The title as text to compare: database tags and translation brackets removed.

    MEDLINE encloses a translated title in brackets ('[Peer work in Germany].'); other databases
    give the same title without them, so a title that is entirely bracketed loses its brackets.
    Trailing tags like '[Review]' or '[133 refs]' are annotations, not part of the title.
    """
    t = " ".join((title or "").split())
    if not t:
        return ""
    t = html.unescape(_TAGS.sub(" ", t))
    t = " ".join(t.split())
    for _ in range(3):
        stripped = t.rstrip(" .")
        if stripped.startswith("[") and stripped.endswith("]") and stripped.count("[") == 1:
            t = stripped[1:-1]
            continue
        new = _TRAILING_TAG.sub("", t)
        if new == t or not new.strip():
            break
        t = new
    t = _STARS.sub("", t)
    t = _PDF_FOOTNOTE.sub("", t)
    return t.strip()


# Titles that name a kind of item, not a work: they match each other across unrelated records.
GENERIC_TITLES = frozenset(fold(t) for t in (
    "unknown", "untitled", "no title", "title", "n a", "na", "editorial", "editorials", "guest editorial",
    "introduction", "preface", "foreword", "book review", "book reviews", "letter", "letters",
    "letter to the editor", "reply", "response", "author reply", "authors reply", "comment", "commentary",
    "erratum", "errata", "corrigendum", "correction", "retraction", "in this issue", "contents",
    "table of contents", "index", "news", "abstracts", "poster", "posters", "editor s note",
    "from the editor", "acknowledgement", "acknowledgements", "reviewers", "issue information",
    "front matter", "back matter", "masthead", "cover", "announcement", "announcements",
))


# ----------------------------------------------------------------------------- authors

_ANON = frozenset({"anonymous", "anon", "unknown", "na", "et al", "etal", "various", "collective"})
_PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "le", "la",
                        "dos", "das", "ter", "ten", "zu", "vander", "vanden", "mc", "st", "al", "el", "bin"})
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# 'Adeli K.Lewis G. F.': Embase/Medline lists written without separators between authors.
_GLUED = re.compile(r"(?<=[A-Z]\.)(?=[A-Z][a-z'’-])")


def split_author_text(text: str) -> list[str]:
    """One author string ('A, B and C, D' / 'A; B' / 'Adeli K.Lewis G. F.') into author names."""
    t = " ".join(text.split())
    if not t:
        return []
    if ";" in t:
        parts = t.split(";")
    elif " and " in t:
        parts = t.split(" and ")
    else:
        parts = _GLUED.split(t)
    return [p.strip() for p in parts if p.strip()]


@lru_cache(maxsize=1 << 16)
def author_key(family: str, given: str = "") -> tuple[str, str]:
    """(surname, first initial), folded: particles, 'Jr' and spacing ignored.

    The surname is the last word of the family name that is not a particle or suffix
    ('van der Berg' -> 'berg'), because databases disagree about where particles go.
    """
    # '?' stands for a letter lost to an encoding error ('Mu?oz'): drop it, do not split there.
    fam = fold(family.replace("?", ""))
    giv = fold(given.replace("?", ""))
    if not giv and " " in fam:
        # 'Smith JA' / 'J. A. Smith' written in one field: initials are the short words.
        words = fam.split()
        if len(words[-1]) <= 3 and len(words[0]) > 3:
            fam, giv = " ".join(words[:-1]), words[-1]
        elif len(words[0]) <= 2 and len(words[-1]) > 2:
            fam, giv = words[-1], " ".join(words[:-1])
    words = [w for w in fam.split() if w not in _SUFFIXES]
    if not words or fam in _ANON:
        return ("", "")
    core = [w for w in words if w not in _PARTICLES] or words
    return (core[-1], giv[:1])


# ----------------------------------------------------------------------------- journals

_J_STOP = frozenset({"of", "the", "and", "for", "in", "on", "a", "an", "de", "la", "le", "der", "und", "et",
                     "des", "du", "y", "journal", "j"})
_J_PART = re.compile(r"\s*[:(=].*$")


@lru_cache(maxsize=1 << 14)
def journal_tokens(name: str | None) -> tuple[str, ...]:
    """Journal words without stop words; subtitles (': official journal of ...') dropped.

    'Journal'/'J' is dropped as well: 'Stroke' and 'Stroke; a journal of cerebral circulation'
    are one journal, and abbreviations often omit it."""
    t = _J_PART.sub("", (name or "").split(";")[0]) or (name or "")
    return tuple(w for w in fold(t).split() if w not in _J_STOP)


def journals_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Same journal, allowing abbreviations: every word of the shorter name abbreviates a word
    of the longer one, in order ('Int Drug Policy' ~ 'International Drug Policy')."""
    if not a or not b:
        return True
    if len(a) == len(b):
        # As many words in each: either may be the abbreviation ('Surgical Endoscopy' / 'Surg Endosc').
        return _abbreviated(a, b) or _abbreviated(b, a)
    return _abbreviated(a, b) if len(a) < len(b) else _abbreviated(b, a)


def _abbreviated(short: tuple[str, ...], long_: tuple[str, ...]) -> bool:
    """Every word of `short` abbreviates a word of `long_`, in order."""
    pos = 0
    for s in short:
        while pos < len(long_) and not abbreviates(s, long_[pos]):
            pos += 1
        if pos == len(long_):
            return False
        pos += 1
    return True


def abbreviates(short: str, word: str) -> bool:
    """'natl' abbreviates 'national': same first letter, the rest a subsequence of the word."""
    if not short or not word or short[0] != word[0] or len(short) > len(word):
        return False
    it = iter(word)
    return all(ch in it for ch in short)


def journal_initials(tokens: tuple[str, ...]) -> str:
    """First letters of a journal's words: the same for a name and its abbreviation."""
    return "".join(w[0] for w in tokens)


# ----------------------------------------------------------------------------- numbers

_NUM = re.compile(r"\d+")
_PAGE_TOKEN = re.compile(r"[a-z]*\d+[a-z]?", re.I)
# Page fields worth comparing: '104-9', 'S79-S80', 'e1002', 'CD002273'. Anything else ('pt-51',
# 'Suppl-6', '4 (1) (no pagination)') is left out rather than allowed to veto a merge.
_CLEAN_PAGES = re.compile(r"^\s*[a-z]{0,3}\d+[a-z]?\s*(?:(?:[-\u2010-\u2015]+|to)\s*[a-z]{0,3}\d+[a-z]?)?\s*$", re.I)
_YEARLIKE = re.compile(r"^(1[89]\d\d|20\d\d)$")


def pages_key(pages: str | None) -> tuple[str, str]:
    """(first page, last page), last page written out: '104-9' -> ('104', '109').

    Article numbers keep their letters ('e1002', 'CD002273'), lower-cased, without leading zeros
    in the digits; 'no pagination' gives ('', '')."""
    if not _CLEAN_PAGES.match(pages or ""):
        return ("", "")
    tokens = _PAGE_TOKEN.findall(pages or "")
    if not tokens:
        return ("", "")
    first = _strip_zeros(tokens[0].lower())
    last = _strip_zeros(tokens[1].lower()) if len(tokens) > 1 else ""
    if first.isdigit() and last.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return (first, last if last != first else "")


def _strip_zeros(token: str) -> str:
    m = re.match(r"^([a-z]*)0*(\d.*)$", token)
    return (m.group(1) + m.group(2)) if m else token


def number_key(value: str | None) -> str:
    """The first number of a volume or issue field ('38 (Supplement 1)' -> '38'); '' if none.

    A volume that is a year is no volume (some databases put the year there), nor is a cut-off
    fragment ('3)' left of '30 (Suppl 3)')."""
    if value and ")" in value and "(" not in value:
        return ""
    m = _NUM.search(value or "")
    if not m:
        return ""
    n = m.group(0).lstrip("0") or "0"
    return "" if _YEARLIKE.match(n) else n


def clean_issue(value: str | None) -> str:
    """An issue number worth comparing, or '': junk (running numbers, years, ranges, long
    numbers) says nothing about identity, so it must not veto a merge."""
    v = (value or "").strip()
    if not re.fullmatch(r"\d{1,2}", v):
        return ""
    return v.lstrip("0") or ""


def doi_key(value: str | None) -> str:
    """A DOI compared exactly, never fuzzily; '' when there is none or it has no suffix."""
    # URL-encoded in some exports: '10.1016/s0025-7753%2817%2930624-3'.
    text = unquote(value) if value and "%" in value else (value or "")
    # Readers store DOIs normalised already; normalise_doi also finds one inside a URL or text.
    doi = normalise_doi(text) or (text.strip().lower() if text.strip().startswith("10.") else "")
    # A slash at the end is a link's, not the DOI's ('10.25300/misq/2020/14911/'): registration
    # agencies' DOIs do not end in one, and keeping it would veto the record's own DOI.
    doi = doi.rstrip("/")
    suffix = doi.split("/", 1)[1] if "/" in doi else ""
    return doi if re.sub(r"[^0-9a-z]", "", suffix) else ""


def pages_overlap(a: tuple[str, str], b: tuple[str, str]) -> bool | None:
    """Whether two (first, last) page ranges share a page; None if they cannot be compared.

    Overlap, not equality: one database stores '567-569', another only '569'. Article numbers
    ('c1804') against page numbers ('1014') are two numbering schemes, not a conflict."""
    if not a[0] or not b[0]:
        return None
    if a[0].isdigit() != b[0].isdigit():
        return None
    if not a[0].isdigit():
        return a[0] == b[0] or a[0] in b or b[0] in a
    a0, a1 = int(a[0]), int(a[1]) if a[1].isdigit() else int(a[0])
    b0, b1 = int(b[0]), int(b[1]) if b[1].isdigit() else int(b[0])
    return max(a0, b0) <= min(max(a0, a1), max(b0, b1))
