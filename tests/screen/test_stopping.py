"""The hypergeometric stopping rule against hand-computed cases and a brute-force minimum."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import hypergeom

from reviewflow.screen.stopping import ASSUMPTIONS, check, h0_pvalue, stop_point


def test_hand_computed_single_sample() -> None:
    # 10 screened of 100, 2 relevant found, both first; target 0.95 -> K = floor(2/0.95)+1 = 3.
    # Longest sample without a relevant record: the last 8, pool = 8 + 90 = 98, with 1 relevant
    # under H0: P(X <= 0) = 90/98.  The whole sequence: pool 100, K 3, n 10, k 2.
    y = [1, 1] + [0] * 8
    expected = min(hypergeom.cdf(0, 98, 1, 8), hypergeom.cdf(1, 99, 2, 9), hypergeom.cdf(2, 100, 3, 10))
    assert h0_pvalue(y, 100) == pytest.approx(expected)
    assert h0_pvalue(y, 100) == pytest.approx(90 / 98)


@pytest.mark.parametrize("bias", [1.0, 2.5])
def test_candidate_samples_give_the_brute_force_minimum(bias: float) -> None:
    rng = np.random.default_rng(7)
    for _ in range(15):
        k = int(rng.integers(5, 120))
        y = (rng.random(k) < rng.uniform(0.02, 0.4)).astype(int)
        n_total = k + int(rng.integers(0, 300))
        fast = h0_pvalue(y, n_total, 0.95, bias)
        slow = h0_pvalue(y, n_total, 0.95, bias, all_samples=True)
        assert (fast is None) == (slow is None)
        if fast is not None:
            assert fast == pytest.approx(slow, abs=1e-12)


def test_stops_only_after_a_long_run_without_relevant_records() -> None:
    # 20 relevant found at the start of 1,000 records; then irrelevant ones only.
    y = [1] * 20 + [0] * 980
    k = stop_point(y, 1000)
    assert k is not None and 20 < k < 1000
    assert check(y[:k], 1000).stop and not check(y[: k - 1], 1000).stop
    # A stronger assumed bias stops earlier, never later.
    k2 = stop_point(y, 1000, bias=2.0)
    assert k2 is not None and k2 <= k


def test_never_stops_before_any_relevant_record_and_always_at_the_end() -> None:
    assert stop_point([0] * 50, 50) == 50
    assert stop_point([0] * 10, 50) is None
    assert check([], 10).p_value is None


def test_statement_names_target_confidence_and_assumptions() -> None:
    c = check([1] * 20 + [0] * 900, 1000)
    d = c.as_dict()
    assert d["stop"] is True and "95%" in d["statement"] and "may stop" in d["statement"]
    assert d["assumptions"] == list(ASSUMPTIONS)
    c2 = check([1] * 20 + [0] * 5, 1000)
    assert not c2.stop and "keep screening" in c2.statement()


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        h0_pvalue([1, 0], 1)
    with pytest.raises(ValueError):
        h0_pvalue([1, 0], 10, recall_target=1.0)


def test_stop_point_is_the_first_k_that_rejects() -> None:
    rng = np.random.default_rng(3)
    for _ in range(4):
        n = 200
        y = (rng.random(n) < np.linspace(0.3, 0.0, n)).astype(int)
        k = stop_point(y, n)
        first = next((j for j in range(1, n + 1) if y[:j].any() and check(y[:j], n).stop), None)
        assert k == first
