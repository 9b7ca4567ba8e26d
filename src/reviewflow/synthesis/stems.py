"""Words as stems (Snowball's English stemmer), so that word forms match: 'policies' is 'policy',
'boundaries' is 'boundary'. A stem also matches a longer one it begins, when it has at least
PREFIX_STEM letters: 'advocating' (advoc) is a form of 'advocacy' (advocaci), which Snowball
stems apart because one is a noun and the other a verb."""

from __future__ import annotations

import functools
import re

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


def phrase_in(phrase: str, text_stems: list[str]) -> bool:
    """Whether a phrase's stems occur in a text's stems, in order and adjacent."""
    want = stems(phrase)
    if not want:
        return False
    n = len(want)
    return any(all(_same(a, b) for a, b in zip(want, text_stems[i:i + n], strict=True))
               for i in range(len(text_stems) - n + 1))


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return len(short) >= PREFIX_STEM and long_.startswith(short)
