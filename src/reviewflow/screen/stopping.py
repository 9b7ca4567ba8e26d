"""When may title/abstract screening stop? The hypergeometric test of Callaghan & Müller-Hansen (2020).

Callaghan, M. W., & Müller-Hansen, F. (2020). Statistical stopping criteria for automated screening
in systematic reviews. Systematic Reviews 9, 273. doi:10.1186/s13643-020-01521-4. The same test is
implemented in R's `buscar` and Python's `buscarpy`; this is our own implementation with scipy.

The null hypothesis H0 is "recall so far is below the target", i.e. the set holds at least
K = floor(r_seen / target) + 1 relevant records while r_seen have been found. Take the last n
records screened as a sample drawn from those n plus every record not yet screened. Under H0 that
pool holds at least K - r_before relevant records (r_before: found before the sample), and finding
only k of them in n draws has probability P(X <= k), X hypergeometric (or Wallenius' noncentral
hypergeometric with odds `bias` when the ranker is assumed to be `bias` times more likely than
chance to show a relevant record). The p-value is the smallest over all n; screening may stop when
p < 1 - confidence.

For a fixed number k of relevant records in the sample, adding an irrelevant record to the sample
only lowers P(X <= k) (the unscreened remainder stays the same size while the pool grows), so
the minimum over n is reached at the longest sample with each k: the samples that start right
after a relevant record, and the whole sequence. We evaluate only those (R + 1 samples, not N).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["ASSUMPTIONS", "StopCheck", "h0_pvalue", "check", "stop_point", "p_values"]

ASSUMPTIONS = (
    "records are screened in the ranker's order, and that order shows relevant records at least as "
    "often as random sampling from the unscreened records would (bias 1); with bias b > 1, at least "
    "b times as often (odds), an assumption about the ranker rather than a property of the test",
    "every decision is final and correct at this stage (the test counts relevant records found, "
    "it cannot see a reviewer's misses)",
    "the test is repeated after every decision without a correction for repeated testing, as in "
    "the published method",
    "the record set is the whole of what was retrieved: recall is of records in the set, not of "
    "all studies that exist",
)


def _candidate_samples(labels: np.ndarray) -> np.ndarray:
    """Sample sizes n (last n records) worth testing: ends at each relevant record, and all."""
    k = len(labels)
    rel = np.flatnonzero(labels)  # 0-based positions of relevant records
    sizes = k - (rel + 1)  # the sample starts right after each relevant record
    sizes = sizes[sizes > 0]
    return np.unique(np.append(sizes, k))


def h0_pvalue(labels: Sequence[int], n_total: int, recall_target: float = 0.95, bias: float = 1.0,
              *, all_samples: bool = False) -> float | None:
    """p-value of H0 "recall is below `recall_target`" after screening `labels` (1 = relevant, in
    the order screened) out of `n_total` records. None when nothing has been screened."""
    y = np.asarray(labels, dtype=np.int64)
    k = len(y)
    if k == 0:
        return None
    if not 0 < recall_target < 1:
        raise ValueError("recall_target must be between 0 and 1")
    if n_total < k:
        raise ValueError(f"{k} records screened out of {n_total}")
    r_seen = int(y.sum())
    k_total = math.floor(r_seen / recall_target) + 1  # fewest relevant records under H0
    n = np.arange(1, k + 1) if all_samples else _candidate_samples(y)
    cum = np.concatenate([[0], np.cumsum(y[::-1])])  # relevant among the last n records
    found_in_sample = cum[n]
    r_before = r_seen - found_in_sample
    pool = n_total - (k - n)  # the sample plus everything not yet screened
    red = np.minimum(k_total - r_before, pool)  # relevant records in the pool under H0
    # Here, not at the top: scipy.stats takes half a second to import, and most jobs that import
    # this module only read its results.
    from scipy.stats import hypergeom, nchypergeom_wallenius

    if bias == 1.0:
        p = hypergeom.cdf(found_in_sample, pool, red, n)
    else:
        p = nchypergeom_wallenius.cdf(found_in_sample, pool, red, n, bias)
    p = np.asarray(p, dtype=float)
    p = p[~np.isnan(p)]
    return float(p.min()) if len(p) else None


def p_values(labels: Sequence[int], n_total: int, recall_target: float = 0.95, bias: float = 1.0,
             every: int = 1) -> list[tuple[int, float | None]]:
    """(records screened, p-value) after every `every` decisions."""
    y = list(labels)
    return [(k, h0_pvalue(y[:k], n_total, recall_target, bias)) for k in range(every, len(y) + 1, every)]


def stop_point(labels: Sequence[int], n_total: int, recall_target: float = 0.95, confidence: float = 0.95,
               bias: float = 1.0, min_screened: int = 1) -> int | None:
    """The first number of records screened at which the test says stop, or None if it never does
    within `labels` (screening everything always reaches the target: it returns n_total then)."""
    y = np.asarray(labels, dtype=np.int64)
    alpha = 1.0 - confidence
    start = max(1, min_screened)

    def rejects(k: int) -> bool:
        if k >= n_total:
            return True
        p = h0_pvalue(y[:k], n_total, recall_target, bias)
        return p is not None and p < alpha

    # Appending an irrelevant record only lowers the p-value (every sample grows by an irrelevant
    # record in the same pool, and one more sample is tested), so within each run of irrelevant
    # records the first k that rejects is found by bisection: O(R log N) tests, not N.
    rel = np.flatnonzero(y) + 1  # k at which each relevant record is screened
    if len(rel) == 0:
        return n_total if len(y) >= n_total else None
    ends = [*rel[1:] - 1, len(y)]
    for lo, hi in zip(rel, ends, strict=True):
        lo, hi = max(int(lo), start), int(hi)
        if lo > hi or not rejects(hi):
            continue
        while lo < hi:
            mid = (lo + hi) // 2
            if rejects(mid):
                hi = mid
            else:
                lo = mid + 1
        return lo
    return None


@dataclass(frozen=True)
class StopCheck:
    """The stopping rule's verdict after some screening, with what it rests on."""

    stop: bool
    p_value: float | None
    n_screened: int
    n_total: int
    relevant_found: int
    recall_target: float
    confidence: float
    bias: float

    def statement(self) -> str:
        pct = f"{self.recall_target:.0%}"
        conf = f"{self.confidence:.0%}"
        p = "n/a" if self.p_value is None else f"{self.p_value:.3g}"
        if self.n_screened >= self.n_total:
            return (f"All {self.n_total:,} records were screened ({self.relevant_found} relevant found): nothing is "
                    "left unscreened, so recall of this record set is complete.")
        head = (f"After {self.n_screened:,} of {self.n_total:,} records ({self.relevant_found} relevant found), "
                f"the hypothesis that recall is below {pct} ")
        if self.stop:
            return head + (f"is rejected (p = {p} < {1 - self.confidence:.2g}): screening may stop, with recall of "
                           f"at least {pct} at {conf} confidence, under the assumptions stated.")
        return head + f"cannot be rejected (p = {p}): keep screening to claim {pct} recall at {conf} confidence."

    def as_dict(self) -> dict:
        return {"stop": self.stop, "p_value": self.p_value, "n_screened": self.n_screened,
                "n_total": self.n_total, "relevant_found": self.relevant_found,
                "recall_target": self.recall_target, "confidence": self.confidence, "bias": self.bias,
                "method": "hypergeometric test of Callaghan & Müller-Hansen (2020)",
                "assumptions": list(ASSUMPTIONS), "statement": self.statement()}


def check(labels: Sequence[int], n_total: int, recall_target: float = 0.95, confidence: float = 0.95,
          bias: float = 1.0) -> StopCheck:
    """Apply the rule to the decisions so far (1 = relevant, in the order screened)."""
    y = list(labels)
    p = h0_pvalue(y, n_total, recall_target, bias) if any(y) else None
    stop = len(y) >= n_total or (p is not None and p < 1.0 - confidence)
    return StopCheck(stop=stop, p_value=p, n_screened=len(y), n_total=n_total, relevant_found=sum(y),
                     recall_target=recall_target, confidence=confidence, bias=bias)
