"""The faster counting gives scikit-learn's TF-IDF, bit for bit: char_wb per distinct word, word n-grams over ids."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.feature_extraction.text import strip_accents_unicode as sklearn_strip_accents

from reviewflow.screen.textfeatures import WordCharTfidf, WordNgramTfidf
from reviewflow.textnorm import strip_accents
from tests.conftest import SHARED, need

SETTINGS = dict(ngram_range=(3, 5), sublinear_tf=True, min_df=2, max_df=0.95, strip_accents="unicode",
                lowercase=True, dtype=np.float32)


# The ranker's word block, and the first order's plain word TF-IDF (float64, no pruning).
WORDS = dict(ngram_range=(1, 2), sublinear_tf=True, min_df=1, max_df=0.95, strip_accents="unicode",
             lowercase=True, max_features=200_000, dtype=np.float32)
PLAIN_WORDS = dict(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode", analyzer="word")


def _identical(a: TfidfVectorizer, b: TfidfVectorizer, texts: list[str]) -> None:
    xa, xb = a.fit_transform(texts), b.fit_transform(texts)
    assert a.vocabulary_ == b.vocabulary_
    assert type(xa) is type(xb) and xa.shape == xb.shape and xa.dtype == xb.dtype
    assert xa.indptr.dtype == xb.indptr.dtype and xa.indices.dtype == xb.indices.dtype
    # Index order within rows too: later sums run in it, so it decides the last bits of the scores.
    assert np.array_equal(xa.indptr, xb.indptr) and np.array_equal(xa.indices, xb.indices)
    assert np.array_equal(xa.data, xb.data)


def _same(texts: list[str], **kw) -> None:
    _identical(TfidfVectorizer(analyzer="char_wb", **{**SETTINGS, **kw}), WordCharTfidf(**{**SETTINGS, **kw}), texts)
    assert WordCharTfidf(**SETTINGS).fit_transform(texts).dtype == np.float32


def _same_words(texts: list[str], base: dict, **kw) -> None:
    _identical(TfidfVectorizer(**{**base, **kw}), WordNgramTfidf(**{**base, **kw}), texts)


def test_edge_texts_short_words_accents_and_odd_white_space():
    texts = ["Peer work in Köln:\u00a0a  qualitative study", "", "a", "Ab ab AB ab.", "Naïve peer\tworkers\n",
             "Ｆｕｌｌｗｉｄｔｈ ﬁ ligature", "x y z", "peer workers peer workers peer", "ÉCOLE école ecole"]
    for kw in ({}, {"min_df": 1}, {"max_features": 20}, {"ngram_range": (2, 4)}, {"max_df": 1.0},
               {"min_df": 1, "max_df": 1.0}):
        _same(texts * 3, **kw)
    for kw in ({}, {"max_features": 7}, {"ngram_range": (1, 1)}, {"ngram_range": (2, 2)}, {"min_df": 2},
               {"lowercase": False}, {"strip_accents": None}):
        _same_words(texts * 3, WORDS, **kw)
    _same_words(texts, PLAIN_WORDS)
    # A bigram that repeats within a document, single-token documents, and one-letter words (no tokens).
    _same_words(["peer work peer work peer", "peer", "a b c", "work peer", "Peer-work"], PLAIN_WORDS)


def test_word_ngrams_in_many_small_chunks(monkeypatch):
    from reviewflow.screen import textfeatures

    texts = ["Peer work in Köln: a qualitative study", "", "peer support workers", "Work peer work", "x",
             "harm reduction and peer work", "Peer work in Köln"] * 3
    monkeypatch.setattr(textfeatures, "_WORDS_CHUNK", 3)   # tokens numbered a few at a time
    monkeypatch.setattr(textfeatures, "_CHUNK", 2)         # counts built two documents at a time
    _same_words(texts, WORDS)
    _same_words(texts, PLAIN_WORDS)
    _same(texts, min_df=1)


def test_word_ngrams_fall_back_where_the_counting_does_not_apply():
    texts = ["Peer work in Köln", "peer workers and peer support", "harm reduction work"]
    for kw in ({"ngram_range": (1, 3)}, {"stop_words": ["in", "and"]}, {"tokenizer": str.split, "token_pattern": None},
               {"analyzer": "char"},
               # Tokens with a space (or a character before it) in them: sorted as scikit-learn sorts them.
               {"token_pattern": r"(?u)\b\w+ \w+\b"}, {"token_pattern": r"\S+[!\t]?"}):
        _same_words(texts, PLAIN_WORDS, **kw)
    vec = WordNgramTfidf(**PLAIN_WORDS).fit(texts)
    assert np.array_equal(vec.transform(["peer work"]).toarray(),
                          TfidfVectorizer(**PLAIN_WORDS).fit(texts).transform(["peer work"]).toarray())


def test_accents_are_stripped_as_scikit_learn_strips_them():
    # Every character of the Basic Multilingual Plane but surrogates, in runs with ASCII between them.
    chars = [chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000]
    for start in range(0, len(chars), 512):
        text = "a" + "b ".join(chars[start:start + 512]) + "z"
        assert strip_accents(text) == sklearn_strip_accents(text)
    for text in ("", "plain", "Ｆｕｌｌ ﬁ", "e\u0301cole", "naïve café", "ŒUVRE Ⅻ ²"):
        assert strip_accents(text) == sklearn_strip_accents(text)


def test_real_titles_and_abstracts_of_a_labelled_screening_set():
    path = need(SHARED / "bench" / "screening" / "Appenzeller-Herzog_2020" / "records.csv", "a labelled screening set")
    csv.field_size_limit(2**31 - 1)
    with open(path, newline="", encoding="utf-8") as fh:
        texts = [f"{r['title']} {r['abstract']}" for r, _ in zip(csv.DictReader(fh), range(1500), strict=False)]
    _same(texts, max_features=200_000)
    _same(texts, max_features=5_000)
    _same_words(texts, WORDS)
    _same_words(texts, WORDS, max_features=5_000)
    _same_words(texts, PLAIN_WORDS)


def test_empty_input_fails_like_scikit_learn():
    with pytest.raises(ValueError, match="empty vocabulary"):
        WordCharTfidf(**SETTINGS).fit_transform(["", "  "])
    with pytest.raises(ValueError, match="empty vocabulary"):
        WordNgramTfidf(**WORDS).fit_transform(["", "a b", "!"])
