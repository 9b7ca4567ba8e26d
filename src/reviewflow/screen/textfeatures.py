"""TF-IDF of character n-grams within words, counted once per distinct word instead of per occurrence.

scikit-learn's `analyzer="char_wb"` builds the n-grams of every word of every document in Python:
on 50,000 titles and abstracts that is tens of millions of strings, most of the ranking's time. The
n-grams of a word depend on the word alone, so a document's counts are its word counts times each
word's n-gram counts: one sparse product. `WordCharTfidf` is a `TfidfVectorizer` whose counting is
done that way; vocabulary pruning, ordering and weighting stay scikit-learn's own, and the matrix is
identical to the plain vectorizer's (tests/screen/test_textfeatures.py compares them on real texts).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

# Rows multiplied at once: bounds the product's temporary memory (n-grams per abstract ~ 1,000).
_CHUNK = 4096


class WordCharTfidf(TfidfVectorizer):
    """`TfidfVectorizer(analyzer="char_wb", ...)` with the counts built per distinct word."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("analyzer", "char_wb")
        super().__init__(**kwargs)

    def _count_vocab(self, raw_documents: Iterable[str], fixed_vocab: bool):
        if fixed_vocab or self.analyzer != "char_wb" or self.input != "content":
            return super()._count_vocab(raw_documents, fixed_vocab)
        decode, preprocess = self.decode, self.build_preprocessor()
        white = self._white_spaces
        words: dict[str, int] = {}
        indptr = [0]
        word_ids: list[int] = []
        for doc in raw_documents:
            # What char_wb does before it makes n-grams: decode, lower-case and strip accents,
            # squeeze white space, split into words.
            ids = [words.setdefault(w, len(words)) for w in white.sub(" ", preprocess(decode(doc))).split()]
            word_ids.extend(ids)
            indptr.append(len(word_ids))
        if not words:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        n_docs = len(indptr) - 1
        doc_words = sp.csr_matrix((np.ones(len(word_ids), dtype=np.int64), np.asarray(word_ids, dtype=np.int64),
                                   np.asarray(indptr, dtype=np.int64)), shape=(n_docs, len(words)))
        doc_words.sum_duplicates()
        vocabulary: dict[str, int] = {}
        w_rows: list[int] = []
        w_cols: list[int] = []
        for w, i in words.items():
            grams = self._char_wb_ngrams(w)
            w_rows.extend([i] * len(grams))
            w_cols.extend(vocabulary.setdefault(g, len(vocabulary)) for g in grams)
        word_grams = sp.csr_matrix((np.ones(len(w_rows), dtype=np.int64), (w_rows, w_cols)),
                                   shape=(len(words), len(vocabulary)))   # duplicates summed: counts
        parts = []
        for start in range(0, n_docs, _CHUNK):
            part = doc_words[start:start + _CHUNK] @ word_grams
            parts.append(sp.csr_matrix(part, dtype=self.dtype))
        x = sp.vstack(parts, format="csr", dtype=self.dtype) if parts else \
            sp.csr_matrix((0, len(vocabulary)), dtype=self.dtype)
        # Index types as scikit-learn's own counting makes them (int32 below 2**31 entries).
        if x.nnz <= np.iinfo(np.int32).max:
            x.indices = x.indices.astype(np.int32, copy=False)
            x.indptr = x.indptr.astype(np.int32, copy=False)
        x.sort_indices()
        return vocabulary, x
