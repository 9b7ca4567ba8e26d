"""The per-word character n-gram counting gives scikit-learn's char_wb TF-IDF, bit for bit."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from reviewflow.screen.textfeatures import WordCharTfidf
from tests.conftest import SHARED, need

SETTINGS = dict(ngram_range=(3, 5), sublinear_tf=True, min_df=2, max_df=0.95, strip_accents="unicode",
                lowercase=True, dtype=np.float32)


def _same(texts: list[str], **kw) -> None:
    a = TfidfVectorizer(analyzer="char_wb", **{**SETTINGS, **kw})
    b = WordCharTfidf(**{**SETTINGS, **kw})
    xa, xb = a.fit_transform(texts), b.fit_transform(texts)
    assert a.vocabulary_ == b.vocabulary_
    assert xa.shape == xb.shape and xa.dtype == xb.dtype == np.float32
    assert np.array_equal(xa.indptr, xb.indptr) and np.array_equal(xa.indices, xb.indices)
    assert np.array_equal(xa.data, xb.data)


def test_edge_texts_short_words_accents_and_odd_white_space():
    texts = ["Peer work in Köln:\u00a0a  qualitative study", "", "a", "Ab ab AB ab.", "Naïve peer\tworkers\n",
             "Ｆｕｌｌｗｉｄｔｈ ﬁ ligature", "x y z", "peer workers peer workers peer", "ÉCOLE école ecole"]
    for kw in ({}, {"min_df": 1}, {"max_features": 20}, {"ngram_range": (2, 4)}, {"max_df": 1.0}):
        _same(texts * 3, **kw)


def test_real_titles_and_abstracts_of_a_labelled_screening_set():
    path = need(SHARED / "bench" / "screening" / "Appenzeller-Herzog_2020" / "records.csv", "a labelled screening set")
    csv.field_size_limit(2**31 - 1)
    with open(path, newline="", encoding="utf-8") as fh:
        texts = [f"{r['title']} {r['abstract']}" for r, _ in zip(csv.DictReader(fh), range(1500), strict=False)]
    _same(texts, max_features=200_000)
    _same(texts, max_features=5_000)


def test_empty_input_fails_like_scikit_learn():
    with pytest.raises(ValueError, match="empty vocabulary"):
        WordCharTfidf(**SETTINGS).fit_transform(["", "  "])
