"""Normalised keys for matching: titles without case, punctuation, HTML or diacritics."""

from __future__ import annotations

import html
import re
import unicodedata

_TAGS = re.compile(r"<[^>]{0,200}>")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Letters that Unicode does not decompose into a base letter and a mark.
_TRANSLIT = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss",
                           "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "ı": "i"})


def fold(text: str | None) -> str:
    """Lower-case ASCII words separated by single spaces."""
    if not text:
        return ""
    t = html.unescape(_TAGS.sub(" ", text))
    t = unicodedata.normalize("NFKD", t.translate(_TRANSLIT))
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", t.casefold()).strip()


def title_key(title: str | None) -> str:
    """Title with everything but letters and digits removed; '' for an empty title."""
    return fold(title).replace(" ", "")
