"""Stems and phrase matching (the coding's indicator test)."""

from __future__ import annotations

import random

from reviewflow.synthesis.stems import PREFIX_STEM, StemText, stems


def _same(a: str, b: str) -> bool:
    short, long_ = sorted((a, b), key=len)
    return a == b or (len(short) >= PREFIX_STEM and len(short) < len(long_) and long_.startswith(short))


def _scan(want: list[str], text: list[str]) -> bool:
    """The definition: at some position every stem of the phrase matches the text's, in order."""
    n = len(want)
    return bool(want) and any(all(_same(a, b) for a, b in zip(want, text[i:i + n], strict=True))
                              for i in range(len(text) - n + 1))


def test_indexed_phrase_search_agrees_with_the_scan() -> None:
    rng = random.Random(7)
    # Short stems (prefix rule off) and long ones sharing beginnings (prefix rule on), as in real text.
    vocab = ["peer", "work", "trust", "advoc", "advocaci", "advocating", "boundari", "bound", "polic", "policy",
             "support", "supporter", "harm", "reduct", "reduction"]
    for _ in range(3000):
        text = [rng.choice(vocab) for _ in range(rng.randint(0, 12))]
        want = [rng.choice(vocab) for _ in range(rng.randint(0, 3))]
        assert StemText(text).has(want) == _scan(want, text), (want, text)


def test_word_forms_match() -> None:
    text = StemText(stems("Peer workers were advocating for clearer boundaries in policies"))
    assert text.has(stems("advocacy"))
    assert text.has(stems("peer worker"))
    assert text.has(stems("policy"))
    assert not text.has(stems("worker peer"))
    assert not text.has([])
