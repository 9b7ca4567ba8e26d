"""scikit-learn's TF-IDF vectorizers with faster counting and the same matrices, bit for bit.

`WordCharTfidf`: character n-grams within words, counted once per distinct word instead of per occurrence.

scikit-learn's `analyzer="char_wb"` builds the n-grams of every word of every document in Python:
on 50,000 titles and abstracts that is tens of millions of strings, most of the ranking's time. The
n-grams of a word depend on the word alone, so a document's counts are its word counts times each
word's n-gram counts: one sparse product. `WordCharTfidf` is a `TfidfVectorizer` whose counting is
done that way; vocabulary pruning, ordering and weighting stay scikit-learn's own, and the matrix is
identical to the plain vectorizer's (tests/screen/test_textfeatures.py compares them on real texts).

`WordNgramTfidf`: word uni- and bigrams. scikit-learn joins every bigram of every document into a
string and looks each one up; here each token is looked up once, and the bigrams are pairs of token
ids, numbered with numpy in the order scikit-learn would meet them (a document's unigrams, then its
bigrams), each row's counts in that order; the columns are then numbered alphabetically from the
tokens' own order, as scikit-learn's sort of the vocabulary would number them, so that sort is
skipped (a token pattern that lets a token hold a space falls back to it); its pruning follows.
Both strip accents as scikit-learn's "unicode" option does, testing only the non-ASCII characters,
and neither makes a pruning pass where nothing can be pruned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from ..textnorm import strip_accents

# Rows multiplied at once: bounds the product's temporary memory (n-grams per abstract ~ 1,000).
_CHUNK = 4096
_WORDS_CHUNK = 1 << 18   # tokens collected before they are numbered (WordNgramTfidf)


def _preprocessor(vec: TfidfVectorizer) -> Callable[[str], str]:
    """The vectorizer's own preprocessor, with the faster accent stripping (reviewflow.textnorm) where it
    asks for "unicode"."""
    if vec.preprocessor is not None or vec.strip_accents != "unicode":
        return vec.build_preprocessor()
    if vec.lowercase:
        return lambda doc: strip_accents(doc.lower())
    return strip_accents


def _numbered(token_lists: Iterable[list[str]]) -> tuple[dict[str, int], np.ndarray, list[int]]:
    """Each distinct token's id in order of first appearance, every token's id in order (int32), and the
    number of tokens of each list. dict.fromkeys and map run in C, so Python loops only over each
    chunk's distinct tokens; a chunk at a time, so that millions of token strings are never held at once."""
    tokens: dict[str, int] = {}
    chunks: list[np.ndarray] = []
    words: list[str] = []
    lengths: list[int] = []

    def flush() -> None:
        for t in dict.fromkeys(words):
            if t not in tokens:
                tokens[t] = len(tokens)
        chunks.append(np.fromiter(map(tokens.__getitem__, words), dtype=np.int32, count=len(words)))
        words.clear()

    for toks in token_lists:
        words.extend(toks)
        lengths.append(len(toks))
        if len(words) >= _WORDS_CHUNK:
            flush()
    flush()
    return tokens, np.concatenate(chunks), lengths


def _stacked(parts: list[sp.csr_matrix], n_cols: int, dtype) -> sp.csr_matrix:
    """The counted row blocks as one matrix in the state scikit-learn's own counting leaves it: index
    types int32 below 2**31 entries, each row's indices sorted."""
    x = sp.vstack(parts, format="csr", dtype=dtype) if parts else sp.csr_matrix((0, n_cols), dtype=dtype)
    if x.nnz <= np.iinfo(np.int32).max:
        x.indices = x.indices.astype(np.int32, copy=False)
        x.indptr = x.indptr.astype(np.int32, copy=False)
    x.sort_indices()
    return x


class _NoIdlePruning:
    """scikit-learn prunes by document frequency even where no term can be pruned (min_df 1, max_df 1.0,
    no max_features): a copy of the whole matrix through column indexing. Skipped then; the matrix is the same."""

    def _limit_features(self, X, vocabulary, high=None, low=None, limit=None):
        if limit is None and low is not None and low <= 1 and high is not None and high >= X.shape[0]:
            return X
        return super()._limit_features(X, vocabulary, high, low, limit)


class WordCharTfidf(_NoIdlePruning, TfidfVectorizer):
    """`TfidfVectorizer(analyzer="char_wb", ...)` with the counts built per distinct word."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("analyzer", "char_wb")
        super().__init__(**kwargs)

    def _count_vocab(self, raw_documents: Iterable[str], fixed_vocab: bool):
        if fixed_vocab or self.analyzer != "char_wb" or self.input != "content":
            return super()._count_vocab(raw_documents, fixed_vocab)
        decode, preprocess = self.decode, _preprocessor(self)
        white = self._white_spaces
        # What char_wb does before it makes n-grams: decode, lower-case and strip accents, squeeze
        # white space, split into words.
        words, word_ids, lengths = _numbered(white.sub(" ", preprocess(decode(doc))).split() for doc in raw_documents)
        if not words:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        n_docs = len(lengths)
        indptr = np.concatenate(([0], np.cumsum(np.asarray(lengths, dtype=np.int64))))
        doc_words = sp.csr_matrix((np.ones(len(word_ids), dtype=np.int64), word_ids.astype(np.int64), indptr),
                                  shape=(n_docs, len(words)))
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
        return vocabulary, _stacked(parts, len(vocabulary), self.dtype)


class WordNgramTfidf(_NoIdlePruning, TfidfVectorizer):
    """`TfidfVectorizer(analyzer="word", ngram_range=(1, 2) or (1, 1) or (2, 2), ...)` counted over token ids."""

    def _count_vocab(self, raw_documents: Iterable[str], fixed_vocab: bool):
        min_n, max_n = self.ngram_range
        self._presorted = False
        if (fixed_vocab or self.analyzer != "word" or self.input != "content" or self.stop_words is not None
                or self.tokenizer is not None or max_n > 2):
            return super()._count_vocab(raw_documents, fixed_vocab)
        decode, preprocess, tokenize = self.decode, _preprocessor(self), self.build_tokenizer()
        tokens, tok, lengths = _numbered(tokenize(preprocess(decode(doc))) for doc in raw_documents)
        n_docs, n_tok = len(lengths), len(tokens)
        doc_of = np.repeat(np.arange(n_docs, dtype=np.int32), np.asarray(lengths, dtype=np.int64))
        # Each kind of feature (n = 1, 2): per occurrence, in document order, the feature's index among
        # its kind; per feature, where it first occurs (document, position).
        kinds = []   # (n, features, per-occurrence index, documents of the occurrences)
        first_doc, first_pos, kind = [], [], []
        if min_n == 1:
            # Ids were given in order of first appearance: a token is new where it exceeds all before it.
            first = np.flatnonzero(tok > np.maximum.accumulate(np.concatenate(([-1], tok[:-1]))))
            kinds.append((1, np.arange(n_tok), tok, doc_of))
            first_doc.append(doc_of[first])
            first_pos.append(first)
            kind.append(np.zeros(n_tok, dtype=np.int8))
        if max_n == 2:
            same = doc_of[:-1] == doc_of[1:]
            pair_doc = doc_of[:-1][same]
            u, first, inv = np.unique(tok[:-1][same].astype(np.int64) * n_tok + tok[1:][same], return_index=True,
                                      return_inverse=True)
            del same
            kinds.append((2, u, inv.astype(np.int32), pair_doc))
            first_doc.append(pair_doc[first])
            first_pos.append(first)
            kind.append(np.ones(len(u), dtype=np.int8))
            del inv, first
        n_feat = sum(len(k[1]) for k in kinds)
        if not n_feat:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        # scikit-learn numbers a feature when it first meets it: document by document, a document's
        # unigrams before its bigrams, each in text order.
        order = np.lexsort((np.concatenate(first_pos), np.concatenate(kind), np.concatenate(first_doc)))
        del first_pos, kind, first_doc
        column = np.empty(n_feat, dtype=np.int32)
        column[order] = np.arange(n_feat, dtype=np.int32)
        names = list(tokens)
        terms: list[str] = []
        offset = 0
        occurrences = []   # (columns, documents) of each kind's occurrences
        for n, u, inv, docs in kinds:
            if n == 1:
                terms.extend(names)
            else:
                terms.extend(f"{names[a]} {names[b]}" for a, b in zip((u // n_tok).tolist(), (u % n_tok).tolist(),
                                                                      strict=True))
            occurrences.append((column[offset:offset + len(u)][inv], docs))
            offset += len(u)
        # The alphabetical order scikit-learn's _sort_features puts the columns in, found here from the
        # tokens' order alone: "a b" sorts after "a" and before any longer token starting with "a", since a
        # space sorts before every character a token has (checked: a custom token pattern may allow one).
        self._presorted = all(t and min(t) > " " for t in names)
        alpha_of_column = None
        if self._presorted:
            by_name = sorted(range(n_tok), key=names.__getitem__)
            rank = np.empty(n_tok, dtype=np.int64)
            rank[by_name] = np.arange(n_tok)
            first, second, kind_ = [], [], []
            for n, u, _, _ in kinds:
                first.append(rank[u] if n == 1 else rank[u // n_tok])
                second.append(np.zeros(len(u), dtype=np.int64) if n == 1 else rank[u % n_tok])
                kind_.append(np.full(len(u), n - 1, dtype=np.int8))
            alpha = np.lexsort((np.concatenate(second), np.concatenate(kind_), np.concatenate(first)))
            del first, second, kind_, rank
            alpha_pos = np.empty(n_feat, dtype=np.int32)
            alpha_pos[alpha] = np.arange(n_feat, dtype=np.int32)
            alpha_of_column = np.empty(n_feat, dtype=np.int32)
            alpha_of_column[column] = alpha_pos
            vocabulary = dict(zip([terms[i] for i in alpha.tolist()], range(n_feat), strict=True))
            del alpha, alpha_pos
        else:
            vocabulary = dict(zip([terms[i] for i in order.tolist()], range(n_feat), strict=True))
        del kinds, tok, doc_of, terms, order
        # The counts, a block of documents at a time (a block's occurrences are a slice of each kind's).
        blocks = []
        bounds = [np.searchsorted(docs, np.arange(0, n_docs + _CHUNK, _CHUNK)) for _, docs in occurrences]
        for b, start in enumerate(range(0, n_docs, _CHUNK)):
            stop = min(n_docs, start + _CHUNK)
            rows = np.concatenate([docs[s[b]:s[b + 1]] for (_, docs), s in zip(occurrences, bounds, strict=True)])
            cols = np.concatenate([c[s[b]:s[b + 1]] for (c, _), s in zip(occurrences, bounds, strict=True)])
            block = sp.csr_matrix((np.ones(len(rows), dtype=self.dtype), (rows - start, cols)),
                                  shape=(stop - start, n_feat), dtype=self.dtype)
            block.sum_duplicates()   # counts; each row's columns in order, as scikit-learn's sort_indices leaves them
            blocks.append(block)
        x = _stacked(blocks, n_feat, self.dtype)
        if alpha_of_column is not None:
            # What _sort_features then does to the matrix: each row keeps its order of first appearance.
            x.indices = alpha_of_column.take(x.indices, mode="clip")
        return vocabulary, x

    def _sort_features(self, X, vocabulary):
        if getattr(self, "_presorted", False):   # numbered alphabetically by _count_vocab already
            return X
        return super()._sort_features(X, vocabulary)
