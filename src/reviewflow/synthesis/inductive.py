"""The inductive part of the codebook: segments no code fits, clustered into candidate new codes.

TF-IDF vectors of the uncoded segments, grouped by agglomerative clustering (average linkage on
cosine distance: deterministic, no random start), each cluster shown with its top terms so that
reviewers can name it. The clusters are proposals; naming and adopting a code is a person's act.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

TOP_TERMS = 6


def n_clusters(n: int, wanted: int | None = None) -> int:
    if wanted:
        return max(1, min(wanted, n))
    return max(1, min(8, n, round(math.sqrt(n / 2))))


def candidate_codes(segments: Sequence[dict], wanted: int | None = None) -> list[dict]:
    """[{candidate, top_terms, segment_ids, studies, example}] largest first; [] if nothing to cluster."""
    if not segments:
        return []
    # Here, not at the top: scikit-learn's import takes a second, and the stage's other jobs never cluster.
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1,
                          token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z']{2,}\b")
    try:
        x = vec.fit_transform([s["text"] for s in segments])
    except ValueError:  # nothing but stop words
        return []
    terms = np.array(vec.get_feature_names_out())
    keep = np.flatnonzero(np.asarray(x.sum(axis=1)).ravel() > 0)
    if keep.size == 0:
        return []
    dense = x[keep].toarray()
    k = n_clusters(keep.size, wanted)
    if k == 1 or keep.size < 2:
        labels = np.zeros(keep.size, dtype=int)
    else:
        labels = AgglomerativeClustering(n_clusters=k, metric="cosine", linkage="average").fit_predict(dense)
    clusters = []
    for lab in sorted(set(labels.tolist())):
        idx = np.flatnonzero(labels == lab)
        centroid = dense[idx].mean(axis=0)
        order = sorted(range(len(terms)), key=lambda j: (-centroid[j], terms[j]))[:TOP_TERMS]
        members = [segments[keep[i]] for i in idx]
        # The member nearest the centroid is the example shown to reviewers.
        best = max(idx, key=lambda i: (float(dense[i] @ centroid), -i))
        clusters.append({
            "top_terms": [str(terms[j]) for j in order if centroid[j] > 0],
            "segment_ids": [m["segment_id"] for m in members],
            "studies": sorted({m["record_id"] for m in members}),
            "example": segments[keep[best]]["text"],
        })
    clusters.sort(key=lambda c: (-len(c["segment_ids"]), c["segment_ids"][0]))
    for i, c in enumerate(clusters, start=1):
        c["candidate"] = f"NEW{i}"
    return clusters
