"""Words as stems (Snowball's English stemmer), so that word forms match: 'policies' is 'policy',
'boundaries' is 'boundary'. A stem also matches a longer one it begins, when it has at least
PREFIX_STEM letters: 'advocating' (advoc) is a form of 'advocacy' (advocaci), which Snowball
stems apart because one is a noun and the other a verb."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence

import snowballstemmer

_WORD = re.compile(r"[a-zA-Z][a-zA-Z'\u2019-]*[a-zA-Z]|[a-zA-Z]")
_STEMMER = snowballstemmer.stemmer("english")
PREFIX_STEM = 5


@functools.cache
def _stop_words() -> frozenset[str]:
    """scikit-learn's English stop words, imported when first needed (its import takes a second)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return ENGLISH_STOP_WORDS


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word.lower().replace("\u2019", "'").removesuffix("'s"))


def words(text: str) -> list[str]:
    """The text's words, lower-cased, hyphenated compounds split ('peer-led' -> 'peer', 'led')."""
    return [w for token in _WORD.findall(text) for w in token.lower().split("-") if w]


def stems(text: str, drop_stop_words: bool = False) -> list[str]:
    stop = _stop_words() if drop_stop_words else frozenset()
    return [stem(w) for w in words(text) if w not in stop]


def stems_and_words(text: str) -> list[str]:
    """The analyser of the coding's word space: each content word's stem, and the word itself.

    The stem lets 'policies' meet 'policy'; the word as written adds weight when the form is the
    same too. Pairs of adjacent words are left out: in findings written in the participants' words
    they match a codebook's phrasing too rarely to help and dilute the single words that do."""
    stop = _stop_words()
    content = [w for w in words(text) if w not in stop and len(w) > 1]
    return [stem(w) for w in content] + [f"w:{w}" for w in content]


class StemText:
    """A text's stems, indexed by stem: a phrase is looked for where its first stem matches, not at
    every position (the coding tests every indicator of every code against every segment)."""

    def __init__(self, text_stems: list[str]) -> None:
        self.stems = text_stems
        self.at: dict[str, list[int]] = {}
        for i, s in enumerate(text_stems):
            self.at.setdefault(s, []).append(i)
        self.sorted = sorted(self.at)

    def _starts(self, first: str) -> list[int]:
        """Where a stem `_same` as `first` stands: itself, a longer stem it begins (if it has
        PREFIX_STEM letters), or a stem of PREFIX_STEM letters or more that begins it."""
        out = list(self.at.get(first, ()))
        if len(first) >= PREFIX_STEM:
            k = bisect.bisect_right(self.sorted, first)
            while k < len(self.sorted) and self.sorted[k].startswith(first):
                out += self.at[self.sorted[k]]
                k += 1
        for k in range(PREFIX_STEM, len(first)):
            out += self.at.get(first[:k], ())
        return out

    def has(self, want: Sequence[str]) -> bool:
        """Whether these stems occur in the text, in order and adjacent (each matched by `_same`)."""
        if not want:
            return False
        n, last = len(want), len(self.stems) - len(want)
        return any(i <= last and all(_same(a, b) for a, b in zip(want[1:], self.stems[i + 1:i + n], strict=True))
                   for i in self._starts(want[0]))


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return len(short) >= PREFIX_STEM and long_.startswith(short)
