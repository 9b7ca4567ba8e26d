"""Accents stripped as NFKD and dropping combining marks, testing only the non-ASCII runs of a text."""

from __future__ import annotations

import re
import unicodedata

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _drop_combining(m: re.Match) -> str:
    return "".join([c for c in m.group() if not unicodedata.combining(c)])


def strip_accents(s: str) -> str:
    """NFKD, then without combining marks: scikit-learn's `strip_accents_unicode`, character for character
    (tests/screen/test_textfeatures.py compares them on every character of the Basic Multilingual Plane)."""
    if s.isascii():
        return s
    return _NON_ASCII.sub(_drop_combining, unicodedata.normalize("NFKD", s))
