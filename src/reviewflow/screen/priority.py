"""Screening prioritisation: a seeded active-learning ranker over titles and abstracts.

Features are TF-IDF word uni+bigrams and character 3-5-grams (within word boundaries, so
spelling variants, plurals and hyphenation still match), the character block at half the weight of
the word block, fitted once on the whole set (no labels involved). A logistic regression is retrained
on the decisions so far, the relevant ones weighing 9.8 times the irrelevant ones in total (as
ASReview's balancer weighs them), and ranks the undecided records, most likely relevant first.
Other models (ASReview's elas_u4 as `ELAS_U4`, an ensemble of `members`) are settings; the
default is the one benchmarks/screening_lodo.py picks leave-one-dataset-out. Records
without an abstract are scored on their title by the same model: each record's vector has unit
length, so a short text is not pushed down for being short, and the character n-grams let a
title match the abstracts' wording (plurals, hyphenation, British/American spelling). A separate
title-only model for those records is an option (`title_model`); the benchmark did not choose it.

`rank(records, labels)` is the one-shot form the workflow uses; `Ranker` keeps the features so
that retraining after each decision is cheap (`simulate` and interactive use); `simulate` replays
a screening with known labels for benchmarks and `reviewflow simulate`.
"""

from __future__ import annotations

import hashlib
import os
import random
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

# scikit-learn and SciPy are imported where a ranking is built, not here: their import takes over a
# second, and most of the workflow's jobs that import this module (sheets, rules, stopping) never rank.
if TYPE_CHECKING:
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer

__all__ = ["RankerSettings", "ELAS_U4", "Ranker", "rank", "order_rows", "simulate", "SimulationResult", "retrain_every",
           "draw_priors"]


@dataclass(frozen=True)
class RankerSettings:
    """The ranker's choices; the defaults are the candidate the benchmark's leave-one-dataset-out rule picks
    on all sets (benchmarks/screening_lodo.py)."""

    model: str = "logistic"          # "logistic" | "svm"
    C: float = 1.0
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] | None = (3, 5)
    char_weight: float = 0.5         # weight of the character block against the word block: the words carry
    # the topic, the character n-grams are a back-off for spelling variants and should not outweigh them
    # (benchmark, all four sets: 0.5 and 0.7 beat 1.0 on the worst set and on mean WSS@95, at a cost on
    # Bannach-Brown; no character block at all loses a lot there and on Cohen)
    title_model: bool = False        # score records without an abstract with a title-only model (an
    # option, not the default: on the benchmark it lowered WSS@95 on the two sets with most missing abstracts)
    max_features: int | None = 200_000      # per block, most frequent first (bounds memory on 100k records)
    max_negatives: int = 2_000       # train on at most this many irrelevant decisions (a seeded sample; keeps
    # a retrain on 10,000 records under 2 s; every relevant decision is always used)
    relevant_ratio: float | None = 9.8  # the relevant decisions weigh this many times the irrelevant ones in
    # total (ASReview's balancer and ratio); None: both classes weigh the same (class_weight "balanced").
    # Chosen leave-one-dataset-out (benchmarks/screening_lodo.py): the best worst-dataset gain over ASReview.
    members: tuple[RankerSettings, ...] = ()  # an ensemble: each member scores on its own features and
    # the records are ordered by their mean rank (a member's scale does not matter, only its order)


# ASReview LAB 3's default model (elas_u4) in this ranker's terms: word uni+bigrams, linear SVM with
# C 0.11, relevant decisions weighted 9.8:1 (asreview.models.models, AI_MODEL_CONFIGURATIONS).
ELAS_U4 = RankerSettings(model="svm", C=0.11, char_ngrams=None, relevant_ratio=9.8, max_features=None)


def _text(title: str, abstract: str) -> str:
    return f"{title or ''} {abstract or ''}".strip()


def _vectorisers(s: RankerSettings) -> list[tuple[TfidfVectorizer, float]]:
    from .textfeatures import WordCharTfidf, WordNgramTfidf

    # (Both count faster than scikit-learn's own vectorizers and give their matrices bit for bit.)
    out = [(WordNgramTfidf(ngram_range=s.word_ngrams, sublinear_tf=True, min_df=1, max_df=0.95,
                           strip_accents="unicode", lowercase=True, max_features=s.max_features,
                           dtype=np.float32), 1.0)]
    if s.char_ngrams:
        # (scikit-learn's char_wb TF-IDF, counted per distinct word: 4x faster.)
        out.append((WordCharTfidf(ngram_range=s.char_ngrams, sublinear_tf=True, min_df=2, max_df=0.95,
                                  strip_accents="unicode", lowercase=True, max_features=s.max_features,
                                  dtype=np.float32), s.char_weight))
    return out


def _features(texts: Sequence[str], s: RankerSettings) -> sp.csr_matrix:
    import scipy.sparse as sp

    blocks = []
    for vec, weight in _vectorisers(s):
        try:
            m = vec.fit_transform(texts)
        except ValueError:  # empty vocabulary (no text at all, or all in too many records)
            m = sp.csr_matrix((len(texts), 1), dtype=np.float32)
        if weight != 1.0:
            # In place: the values `m * weight` gives (float32 times a Python float is float32), without
            # a copy of the block's 40 million entries and their indices.
            m.data *= weight
        blocks.append(m)
    x = sp.hstack(blocks, format="csr", dtype=np.float32)
    del blocks
    # One unit-length vector per record, whatever the number of blocks.
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ x, dtype=np.float32)


# Bump when the features' code changes what it computes: cached matrices of an older version are not used.
FEATURES_VERSION = 1
# Cached feature matrices kept per cache directory, the most recently used: a review's current record set
# and the ones before (or an ensemble's members); at 100,000 records each is about 400 MB.
CACHE_KEEP = 3


def _features_key(texts: Sequence[str], s: RankerSettings) -> str:
    """Content hash of the texts and of every setting and version the matrix depends on."""
    import scipy
    import sklearn

    h = hashlib.sha256(repr((FEATURES_VERSION, sklearn.__version__, scipy.__version__, np.__version__,
                             s.word_ngrams, s.char_ngrams, s.char_weight, s.max_features)).encode())
    for t in texts:
        h.update(t.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()[:40]


def _cached_features(texts: Sequence[str], s: RankerSettings, cache_dir: Path | None) -> sp.csr_matrix:
    """`_features`, kept in `cache_dir` by content hash: a workflow rerun with new decisions on the same
    records loads the matrix (the same arrays, so the same scores) instead of building it again."""
    if cache_dir is None:
        return _features(texts, s)
    import scipy.sparse as sp

    path = Path(cache_dir) / f"features-{_features_key(texts, s)}.npz"
    if path.exists():
        import zipfile

        try:
            x = sp.load_npz(path)
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            pass   # a cut-off or foreign file: build the matrix again and overwrite it
        else:
            if x.shape[0] == len(texts) and x.format == "csr" and x.dtype == np.float32:
                os.utime(path)   # recently used: kept by the pruning below
                return sp.csr_matrix(x)
    x = _features(texts, s)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".features-", suffix=".npz")
    try:
        with os.fdopen(fd, "wb") as fh:
            sp.save_npz(fh, x, compressed=False)   # (compressing 300 MB takes longer than building it)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    old = sorted(path.parent.glob("features-*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)[CACHE_KEEP:]
    for p in old:
        p.unlink(missing_ok=True)
    return x


class Ranker:
    """Features of one record set, and a model retrained on whatever decisions are known.

    `cache_dir`: where to keep the feature matrices by content hash (None: build them every time)."""

    def __init__(self, titles: Sequence[str], abstracts: Sequence[str], *, seed: int = 0,
                 settings: RankerSettings | None = None, cache_dir: Path | None = None) -> None:
        self.settings = s = settings or RankerSettings()
        self.seed = seed
        self.n = len(titles)
        self.members = [Ranker(titles, abstracts, seed=seed, settings=m, cache_dir=cache_dir) for m in s.members]
        if self.members:
            return
        self.has_abstract = np.array([bool((a or "").strip()) for a in abstracts])
        self.x = _cached_features([_text(t, a) for t, a in zip(titles, abstracts, strict=True)], s, cache_dir)
        self.x_title = None
        if s.title_model and not self.has_abstract.all() and self.has_abstract.any():
            self.x_title = _cached_features([t or "" for t in titles], s, cache_dir)

    def _model(self):
        s = self.settings
        # With a relevant_ratio the weights come per sample (fit's sample_weight), not per class.
        weight = "balanced" if s.relevant_ratio is None else None
        if s.model == "svm":
            from sklearn.svm import LinearSVC

            return LinearSVC(C=s.C, class_weight=weight, random_state=self.seed)
        if s.model == "logistic":
            from sklearn.linear_model import LogisticRegression

            return LogisticRegression(C=s.C, class_weight=weight, solver="liblinear", dual=True,
                                      tol=1e-3, max_iter=1000, random_state=self.seed)
        raise ValueError(f"unknown model {s.model!r}")

    def _sample_weight(self, y: np.ndarray) -> np.ndarray | None:
        r = self.settings.relevant_ratio
        if r is None:
            return None
        n_rel, n_irr = int(y.sum()), int(len(y) - y.sum())
        w = np.where(y == 1, 1.0, n_rel / (r * n_irr))
        return w * (len(y) / w.sum())

    def _fit_score(self, x: sp.csr_matrix, idx: np.ndarray, y: np.ndarray) -> np.ndarray:
        xl = x[idx]
        # Only terms that occur in a decided record can get a weight: train on those columns alone
        # (same model, a fraction of the work when few records are decided).
        used = np.zeros(x.shape[1], dtype=bool)
        used[xl.indices] = True
        cols = np.flatnonzero(used)
        model = self._model().fit(xl[:, cols], y, sample_weight=self._sample_weight(y))
        w = np.zeros(x.shape[1], dtype=np.float32)
        w[cols] = model.coef_.ravel()
        return (x @ w).astype(np.float64) + float(model.intercept_[0])

    def scores(self, idx: Sequence[int], y: Sequence[int]) -> np.ndarray:
        """Relevance score of every record (higher = more likely relevant), given labels y of idx.

        With no relevant or no irrelevant decision yet there is nothing to learn from: every
        score is 0 and the caller's tie-break (seeded) decides."""
        idx = np.asarray(idx, dtype=np.int64)
        y = np.asarray(y, dtype=np.int64)
        if len(idx) == 0 or y.min() == y.max():
            return np.zeros(self.n)
        if self.members:
            from scipy.stats import rankdata

            # Mean rank percentile over the members (1 = every member's top record): a Borda count,
            # so a member whose scores spread wider does not outvote the others.
            return np.mean([rankdata(m.scores(idx, y)) / self.n for m in self.members], axis=0)
        neg = np.flatnonzero(y == 0)
        if len(neg) > self.settings.max_negatives:
            keep = np.random.default_rng(self.seed).choice(neg, self.settings.max_negatives, replace=False)
            sel = np.sort(np.concatenate([np.flatnonzero(y == 1), keep]))
            idx, y = idx[sel], y[sel]
        s = self._fit_score(self.x, idx, y)
        if self.x_title is not None:
            # Records without an abstract: the title-only model, which was trained on the same
            # decisions but sees what these records show. Logistic scores are log-odds, so the two
            # models' scores live on one scale.
            st = self._fit_score(self.x_title, idx, y)
            s = np.where(self.has_abstract, s, st)
        return s

    def relevance(self, scores: np.ndarray) -> np.ndarray:
        """Scores shown to reviewers, 0-1: an ensemble's mean rank percentile as it is; a single model's
        decision value through the logistic function (a probability for the logistic model)."""
        if self.members:
            return scores
        return 1.0 / (1.0 + np.exp(-np.clip(scores, -50, 50)))


def retrain_every(n_records: int, n_labelled: int) -> int:
    """How many decisions to take between retrains: every decision for the first 200, then about
    one retrain per 1% more decisions (a retrain then costs more and changes the order less)."""
    return max(1, n_labelled // 100)


def _tiebreak(ids: Sequence[str], seed: int) -> np.ndarray:
    """A seeded random key per record id, so ties follow the seed, not the order of the input."""
    return np.array([int.from_bytes(hashlib.blake2b(f"{seed}:{rid}".encode(), digest_size=8).digest(), "big")
                     for rid in ids], dtype=np.uint64)


def rank(records: Sequence[Mapping[str, str]], labels: Mapping[str, int], *, seed: int = 0,
         settings: RankerSettings | None = None, id_key: str = "record_id") -> list[tuple[str, float]]:
    """Undecided records, most likely relevant first, with their scores (0..1, a probability for
    the logistic model). `labels` maps record ids to 1 (relevant) / 0 (not relevant); ids in it
    are left out of the result."""
    ids = [str(r[id_key]) for r in records]
    ranker = Ranker([r.get("title", "") or "" for r in records], [r.get("abstract", "") or "" for r in records],
                    seed=seed, settings=settings)
    pos = {rid: i for i, rid in enumerate(ids)}
    known = [(pos[k], int(v)) for k, v in labels.items() if k in pos]
    sc = ranker.scores([i for i, _ in known], [v for _, v in known])
    prob = ranker.relevance(sc)
    tie = _tiebreak(ids, seed)
    decided = {i for i, _ in known}
    order = sorted((i for i in range(len(ids)) if i not in decided), key=lambda i: (-sc[i], tie[i]))
    return [(ids[i], float(prob[i])) for i in order]


@dataclass
class SimulationResult:
    order: list[str]                       # every record id, in the order screened
    n_priors: int
    labels_in_order: list[int]
    n_retrains: int = 0
    stop_after: int | None = None
    stop: dict = field(default_factory=dict)


def draw_priors(ids: Sequence[str], truth: Mapping[str, int], seed: int) -> list[str]:
    """One relevant and one irrelevant record, drawn with the seed (ids sorted first)."""
    rng = random.Random(seed)
    rel = sorted((i for i in ids if truth[i]), key=_idkey)
    irr = sorted((i for i in ids if not truth[i]), key=_idkey)
    if not rel or not irr:
        raise ValueError("simulation needs at least one relevant and one irrelevant record")
    return [rng.choice(rel), rng.choice(irr)]


def _idkey(s: str) -> tuple[int, str]:
    return (0, f"{int(s):020d}") if s.isdigit() else (1, s)


def simulate(ids: Sequence[str], titles: Sequence[str], abstracts: Sequence[str], truth: Mapping[str, int],
             priors: Sequence[str], *, seed: int = 0, settings: RankerSettings | None = None,
             stop_when_all_found: bool = True) -> SimulationResult:
    """Replay a screening: priors first, then always the top-ranked undecided record, retraining as
    decisions come in (see `retrain_every`). Once every relevant record is found the rest follows
    in the last model's order (as ASReview's simulations do: nothing after the last relevant
    record changes any recall metric)."""
    n = len(ids)
    pos = {rid: i for i, rid in enumerate(ids)}
    y_all = np.array([int(truth[r]) for r in ids])
    total_rel = int(y_all.sum())
    ranker = Ranker(titles, abstracts, seed=seed, settings=settings)
    tie = _tiebreak(ids, seed)
    screened: list[int] = [pos[p] for p in priors]
    done = np.zeros(n, dtype=bool)
    done[screened] = True
    found = int(y_all[screened].sum())
    n_retrains = 0
    order_cache: list[int] = []
    since = 0
    while len(screened) < n:
        if not order_cache or since >= retrain_every(n, len(screened)):
            sc = ranker.scores(screened, y_all[screened])
            n_retrains += 1
            rest = np.flatnonzero(~done)
            order_cache = list(rest[np.lexsort((tie[rest], -sc[rest]))])
            since = 0
            if stop_when_all_found and found == total_rel:
                screened.extend(order_cache)
                break
        i = order_cache.pop(0)
        screened.append(int(i))
        done[i] = True
        found += int(y_all[i])
        since += 1
        if stop_when_all_found and found == total_rel and not order_cache:
            break
    order = [ids[i] for i in screened]
    return SimulationResult(order=order, n_priors=len(priors), labels_in_order=[int(y_all[i]) for i in screened],
                            n_retrains=n_retrains)


def _plain_words() -> TfidfVectorizer:
    """Word uni+bigram TF-IDF for the first order (no character block: terms and includes are words)."""
    from .textfeatures import WordNgramTfidf

    return WordNgramTfidf(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode", analyzer="word")


def _query_scores(rows: Sequence[Mapping[str, str]], terms: Sequence[str]) -> np.ndarray:
    """Cosine similarity of each record's title and abstract to the protocol's terms (wildcards
    dropped): an order before any decision exists."""
    query = " ".join(t.replace("*", "") for t in terms if t.strip())
    texts = [_text(r.get("title", "") or "", r.get("abstract", "") or "") for r in rows]
    try:
        x = _plain_words().fit_transform([*texts, query])
    except ValueError:
        return np.zeros(len(rows))
    return np.asarray((x[:-1] @ x[-1].T).todense()).ravel()


# Reciprocal rank fusion's constant: the value of its paper, not chosen on any labelled set.
RRF_K = 60


def _ranks(scores: np.ndarray) -> np.ndarray:
    """0 for the highest score; equal scores share the best rank of their run (row order plays no part;
    scores are compared to 9 decimals, so that float noise does not split a tie)."""
    _, inverse, counts = np.unique(-np.round(scores, 9), return_inverse=True, return_counts=True)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    return starts[inverse].astype(float)


def _prior_scores(rows: Sequence[Mapping[str, str]], terms: Sequence[str], positives: Sequence[int]) -> np.ndarray:
    """Before any irrelevant record is known: each record's similarity to the protocol's terms and
    to the known includes (the centroid of their TF-IDF vectors). With one of them, that similarity
    scaled to its maximum over the records still to screen; with both, the two orders fused by rank
    (ASReview's prior knowledge needs both kinds of record; a team often knows only includes)."""
    parts = []
    if any(t.strip() for t in terms):
        parts.append(_query_scores(rows, terms))
    if positives:
        texts = [_text(r.get("title", "") or "", r.get("abstract", "") or "") for r in rows]
        try:
            x = _plain_words().fit_transform(texts)
        except ValueError:
            x = None
        if x is not None:
            centroid = np.asarray(x[list(positives)].mean(axis=0)).ravel()
            parts.append(np.asarray(x @ centroid).ravel())
    if not parts:
        return np.zeros(len(rows))
    if len(parts) == 2:
        # Terms and known includes: reciprocal rank fusion of the two orders (Cormack et al. 2009,
        # its usual constant), scaled to 1 at the top. Ranks, not scores, so that neither
        # similarity's scale decides how much it counts.
        fused = sum(1.0 / (RRF_K + _ranks(p)) for p in parts)
        return fused / fused.max()
    # Scaled over the records still to screen: a known include is its own best match, and scaling by
    # it would leave its likeness to the others too weak to count.
    p = parts[0]
    rest = np.ones(len(rows), dtype=bool)
    rest[list(positives)] = False
    top = p[rest].max() if rest.any() else p.max()
    return np.minimum(p / top, 1.0) if top > 0 else p


def order_basis(known: Sequence[int], query: Sequence[str]) -> str:
    """What `order_rows` orders by, given the known labels among the rows (1/0) and the protocol's
    words: "model" (decisions of both kinds), "prior" (terms or known includes), or "none"."""
    if len(set(known)) == 2:
        return "model"
    if any(t.strip() for t in query) or 1 in known:
        return "prior"
    return "none"


def describe_order(known: Sequence[int], query: Sequence[str]) -> str:
    """One sentence for a sheet's instructions: how `order_rows` ordered its rows."""
    basis = order_basis(known, query)
    n_rel, n_irr = sum(1 for v in known if v == 1), sum(1 for v in known if v == 0)
    if basis == "model":
        return (f"Rows are in priority order: a model trained on {n_rel} known relevant and {n_irr} known "
                "irrelevant records ranks them; 'Relevance' is its estimate (0-1).")
    if basis == "prior":
        said = [w for w, ok in (("the protocol's highlight terms and review question", any(t.strip() for t in query)),
                                (f"{n_rel} known included studies", n_rel)) if ok]
        what = ("'Relevance' combines the two orders of likeness by rank (0-1, 1 = the first row)" if len(said) == 2
                else "'Relevance' is that likeness (0-1, 1 = the closest)")
        return (f"Rows are in priority order, before any decision: by likeness to {' and to '.join(said)}; "
                f"{what}. Records further down are not excluded: decide every row.")
    return "Rows are in record-id order (no decisions, protocol terms or known includes to order them by)."


def order_rows(rows: Sequence[Mapping[str, str]], labels: Mapping[str, int] | None = None, *,
               query: Sequence[str] = (), seed: int = 0, settings: RankerSettings | None = None,
               score_key: str = "relevance", id_key: str = "record_id") -> list[dict]:
    """Sheet rows in priority order, each with a relevance score (a string, 3 decimals).

    With decisions of both kinds in `labels` (record id -> 1/0, e.g. an earlier batch, or known
    studies that must be found), the active-learning model scores every row (0-1); without, the
    rows' similarity to the protocol's `query` terms and to the known includes does (0-1,
    `_prior_scores`); with neither, the rows keep their order and the score is empty. Ties follow
    the seed."""
    rows = [dict(r) for r in rows]
    if not rows:
        return rows
    ids = [str(r[id_key]) for r in rows]
    labels = {k: int(v) for k, v in (labels or {}).items()}
    known = [(i, labels[rid]) for i, rid in enumerate(ids) if rid in labels]
    basis = order_basis([v for _, v in known], query)
    if basis == "model":
        ranker = Ranker([r.get("title", "") or "" for r in rows], [r.get("abstract", "") or "" for r in rows],
                        seed=seed, settings=settings)
        sc = ranker.scores([i for i, _ in known], [v for _, v in known])
        score = ranker.relevance(sc)
    elif basis == "prior":
        score = _prior_scores(rows, query, [i for i, v in known if v == 1])
    else:
        for r in rows:
            r[score_key] = ""
        return rows
    tie = _tiebreak(ids, seed)
    order = sorted(range(len(rows)), key=lambda i: (-round(float(score[i]), 6), tie[i]))
    out = []
    for i in order:
        rows[i][score_key] = f"{float(score[i]):.3f}"
        out.append(rows[i])
    return out
