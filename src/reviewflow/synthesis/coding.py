"""Deductive coding of finding segments against the codebook: machine suggestions.

A segment gets the codes whose indicator phrases occur in it; a segment with no indicator
gets the one code whose profile (label, definition, indicators) is nearest in TF-IDF space,
if it shares any content word with it. Suggestions are stored apart from people's coding
decisions: they cue reviewers, they do not replace them. Lexical matching cannot see
paraphrase, so expect modest recall: the demo's accuracy report measures it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from .codebook import Code
from .segments import Segment

MAX_CODES = 2           # a segment may carry several codes; more than two is rarely meant


@dataclass(frozen=True)
class Suggestion:
    segment_id: str
    code: str
    score: float
    basis: str      # "indicator: <phrase>" or "similarity"


def _indicator_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(phrase.lower()) + r"(?!\w)")


def suggest_codes(segments: Sequence[Segment], codes: Sequence[Code]) -> list[Suggestion]:
    """Up to MAX_CODES suggestions per segment, best first; deterministic."""
    if not segments or not codes:
        return []
    profiles = [" ".join([c.label, c.definition, *c.indicators]) for c in codes]
    vec = TfidfVectorizer(stop_words="english", sublinear_tf=True, ngram_range=(1, 2),
                          token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z']+\b")
    vec.fit(profiles + [s.text for s in segments])
    sim = cosine_similarity(vec.transform([s.text for s in segments]), vec.transform(profiles))
    patterns = [[(p, _indicator_pattern(p)) for p in c.indicators] for c in codes]
    out: list[Suggestion] = []
    for i, seg in enumerate(segments):
        low = seg.text.lower()
        scored: list[tuple[float, str, str]] = []
        for j, code in enumerate(codes):
            hit = next((p for p, pat in patterns[j] if pat.search(low)), None)
            if hit:
                scored.append((1.0 + float(sim[i, j]), code.id, f"indicator: {hit}"))
        if not scored:
            j = max(range(len(codes)), key=lambda j: (sim[i, j], -j))
            if sim[i, j] > 0:
                scored.append((float(sim[i, j]), codes[j].id, "nearest profile"))
        scored.sort(key=lambda t: (-t[0], t[1]))
        for score, cid, basis in scored[:MAX_CODES]:
            out.append(Suggestion(seg.id, cid, round(score, 4), basis))
    return out
