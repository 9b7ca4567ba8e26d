"""Deductive coding of finding segments against the codebook: machine suggestions.

1. **Indicators.** A segment that contains one of a code's indicator phrases gets that code. Both
   are compared as Snowball stems (`stems.py`), so word forms match: 'policy' finds 'policies',
   'advocacy' finds 'advocating'.
2. **Similarity to the codebook.** Each code's profile is its label, definition and indicators,
   with its theme's label and definition. Segments and profiles are compared in two TF-IDF spaces
   fitted on the profiles and all segments of the review: content words as stems and as written
   (`stems.stems_and_words`), and character 3-5-grams within words (which see 'trusted' in
   'trust' and 'boundary' in 'boundaries'); the two cosines are averaged (the `tfidf`
   similarity: `SIMILARITIES` is the seam where another model plugs in). Chosen on the demo's
   coding truth, the only coded set we have: stems with words as written (0.395 / 0.383
   precision / recall) beat stems with stem pairs (0.340 / 0.349); no threshold was moved.
   A quote's participant label, '(Peer worker 3)', is provenance, not content, and is
   left out (the segmenter keeps it apart as the quote's attribution).
3. **Calibration.** A code whose profile is worded broadly is near every segment, and would be
   suggested everywhere; so each code's similarities are standardised over all segments of the
   review (a z-score: how much nearer than usual this segment is to this code). The code with the
   highest z is suggested when z >= MIN_Z (nearer than the code's average segment) and the
   segment shares a term with the profile; a second code when its z is within MARGIN of the best
   and at least SECOND_Z. A review with fewer than MIN_SEGMENTS segments has no distribution to
   calibrate on: there the nearest code is suggested by its raw cosine, when above zero.

At most MAX_CODES codes per segment, indicator hits first. Suggestions are stored apart from
people's coding decisions: they cue reviewers, they do not replace them. Lexical similarity cannot
see paraphrase: the demo's findings are written without the codebook's words, and its accuracy
report (results/demo/coding_accuracy.json) measures how far suggestions still get.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..article.quotes import split_attribution
from .codebook import Code
from .segments import Segment
from .stems import StemText, stems, stems_and_words

if TYPE_CHECKING:  # imported where codes are suggested: the jobs that only read the sheets skip a second
    from sklearn.feature_extraction.text import TfidfVectorizer

MAX_CODES = 2           # a segment may carry several codes; more than two is rarely meant
MIN_Z = 0.0             # suggest the best code only if the segment is nearer to it than its average segment
SECOND_Z = 1.0          # a second code must stand out on its own ...
MARGIN = 0.25           # ... and come close to the best
MIN_SEGMENTS = 20       # fewer segments: no calibration (raw cosine)
SHARED_TERMS = 3        # terms named in a suggestion's basis

_QUOTES = "\"'\u201c\u201d\u2018\u2019 "


@dataclass(frozen=True)
class Suggestion:
    segment_id: str
    code: str
    score: float
    basis: str      # "indicator: <phrase>", or "calibrated similarity to the code's definition; shared: <terms>"
    # score: an indicator hit 1 + its z (at least 1); otherwise the calibrated z (the cosine in a small review)


def content(text: str) -> str:
    """A segment's words without its participant label and quotation marks."""
    return split_attribution(text)[0].strip(_QUOTES)


def profile(code: Code) -> str:
    """The text a code is compared on: label, definition, indicators, and its theme's label and definition."""
    return " ".join([code.label, code.definition, *code.indicators, code.theme_label, code.theme_definition])


def _vectorizers() -> tuple[TfidfVectorizer, TfidfVectorizer]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    words = TfidfVectorizer(analyzer=stems_and_words, sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    return words, chars


def _shared(terms, seg_row, prof_row) -> list[str]:
    """The terms (of the word space's vocabulary `terms`) that weigh most in both a segment and a profile."""
    both = seg_row.multiply(prof_row).tocoo()
    ranked = sorted(zip(both.data, both.col, strict=True), key=lambda t: (-t[0], terms[t[1]]))
    # Named as written ('w:trusted') where the same form is on both sides, else as the stem ('trust').
    written = [str(terms[c])[2:] for _, c in ranked if str(terms[c]).startswith("w:")]
    stemmed = [str(terms[c]) for _, c in ranked if not str(terms[c]).startswith("w:")]
    return (written + [s for s in stemmed if not any(w.startswith(s) for w in written)])[:SHARED_TERMS]


def tfidf_similarities(segments: Sequence[Segment], codes: Sequence[Code]):
    """(cosine, calibrated score) matrices, segments x codes, and the word space with its vectors."""
    texts = [content(s.text) for s in segments]
    profiles = [profile(c) for c in codes]
    from sklearn.metrics.pairwise import cosine_similarity

    words, chars = _vectorizers()
    words.fit(profiles + texts)
    chars.fit(profiles + texts)
    seg_w, prof_w = words.transform(texts), words.transform(profiles)
    cos = (cosine_similarity(seg_w, prof_w) + cosine_similarity(chars.transform(texts), chars.transform(profiles))) / 2
    if len(segments) >= MIN_SEGMENTS:
        sd = cos.std(axis=0)
        z = np.divide(cos - cos.mean(axis=0), sd, out=np.zeros_like(cos), where=sd > 0)
    else:
        z = cos.copy()
    return cos, z, (words, seg_w, prof_w)


# The similarity models a review can choose (`synthesis.similarity`); each returns what
# `tfidf_similarities` does. Only the lexical one ships: no model shipped inside a package and
# installable here was shown to help on the labelled data yet.
SIMILARITIES = {"tfidf": tfidf_similarities}
similarities = tfidf_similarities


def suggest_codes(segments: Sequence[Segment], codes: Sequence[Code], similarity: str = "tfidf") -> list[Suggestion]:
    """Up to MAX_CODES suggestions per segment, best first; deterministic."""
    if not segments or not codes:
        return []
    cos, z, (words, seg_w, prof_w) = SIMILARITIES[similarity](segments, codes)
    calibrated = len(segments) >= MIN_SEGMENTS
    terms = words.get_feature_names_out()
    out: list[Suggestion] = []
    indicators = [[(p, stems(p)) for p in code.indicators] for code in codes]
    for i, seg in enumerate(segments):
        seg_stems = StemText(stems(content(seg.text)))
        picked: list[tuple[float, int, str]] = []
        for j in range(len(codes)):
            hit = next((p for p, want in indicators[j] if seg_stems.has(want)), None)
            if hit:
                picked.append((1.0 + max(float(z[i, j]), 0.0), j, f"indicator: {hit}"))
        picked.sort(key=lambda t: (-t[0], codes[t[1]].id))
        order = sorted(range(len(codes)), key=lambda j: (-z[i, j], codes[j].id))
        best = order[0]
        ok_best = cos[i, best] > 0 and (z[i, best] >= MIN_Z if calibrated else True)
        candidates = [best] if ok_best else []
        if ok_best and calibrated and len(order) > 1:
            second = order[1]
            if z[i, second] >= SECOND_Z and z[i, second] >= z[i, best] - MARGIN and cos[i, second] > 0:
                candidates.append(second)
        for j in candidates:
            if len(picked) >= MAX_CODES or any(j == k for _, k, _ in picked):
                continue
            shared = ", ".join(_shared(terms, seg_w[i], prof_w[j])) or "word parts only"
            what = "calibrated similarity" if calibrated else "cosine similarity"
            picked.append((float(z[i, j]), j, f"{what} to the code's definition; shared: {shared}"))
        for score, j, basis in picked[:MAX_CODES]:
            out.append(Suggestion(seg.id, codes[j].id, round(score, 4), basis))
    return out
