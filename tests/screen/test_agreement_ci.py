"""Kappa's confidence interval (Fleiss, Cohen & Everitt 1969) and the prevalence figures."""

from __future__ import annotations

import numpy as np
import pytest

from reviewflow.screen.agreement import agreement, kappa_se

from .test_agreement import _pairs


def test_interval_and_prevalence_of_a_hand_table() -> None:
    r = agreement(*_pairs(20, 5, 10, 65))
    assert r.kappa == pytest.approx(0.625)
    assert r.kappa_ci_low < r.kappa < r.kappa_ci_high
    assert r.kappa_ci_high - r.kappa == pytest.approx(r.kappa - r.kappa_ci_low)
    assert r.kappa_ci_high - r.kappa == pytest.approx(1.959964 * r.kappa_se, rel=1e-6)
    assert (r.include_rate_a, r.include_rate_b, r.prevalence) == pytest.approx((0.25, 0.30, 0.275))
    assert (r.prevalence_index, r.bias_index) == pytest.approx((0.45, 0.05))
    assert r.percent_agreement == pytest.approx(85.0) and r.pabak == pytest.approx(0.7)  # unchanged fields


@pytest.mark.parametrize("table", [(20, 5, 10, 65), (8, 3, 2, 87), (40, 10, 5, 45)])
def test_standard_error_matches_the_bootstrap(table: tuple[int, int, int, int]) -> None:
    n = sum(table)
    counts = np.random.default_rng(0).multinomial(n, np.array(table) / n, size=20_000)  # resampled tables
    ii, ie, ei, ee = counts.T / n
    a, b = ii + ie, ii + ei
    p_o, p_e = ii + ee, a * b + (1 - a) * (1 - b)
    boot = (p_o - p_e) / (1 - p_e)
    assert kappa_se(*table) == pytest.approx(float(np.std(boot)), rel=0.08)


def test_no_interval_without_kappa() -> None:
    r = agreement(*_pairs(0, 0, 0, 7))
    assert r.kappa is None and r.kappa_se is None and r.kappa_ci_low is None and r.prevalence == 0.0
    assert kappa_se(0, 0, 0, 0) is None


def test_perfect_agreement_interval_is_clipped() -> None:
    r = agreement(*_pairs(5, 0, 0, 45))
    assert r.kappa == pytest.approx(1.0) and r.kappa_ci_high == 1.0 and r.kappa_se == pytest.approx(0.0)
