"""Agreement statistics against hand-computed tables and, if present, scikit-learn."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from reviewflow.screen.agreement import agreement, interpret


def _pairs(ii: int, ie: int, ei: int, ee: int) -> tuple[dict[str, bool], dict[str, bool]]:
    """Two reviewers' decisions laid out as a 2x2 table."""
    a: dict[str, bool] = {}
    b: dict[str, bool] = {}
    cells = [(True, True)] * ii + [(True, False)] * ie + [(False, True)] * ei + \
        [(False, False)] * ee
    for i, (x, y) in enumerate(cells):
        a[f"r{i}"] = x
        b[f"r{i}"] = y
    return a, b


def test_hand_computed_table() -> None:
    # 20 both include, 5 A-only, 10 B-only, 65 both exclude (n=100):
    # p_o = 0.85; A includes 25, B includes 30; p_e = .25*.30 + .75*.70 = 0.6
    # kappa = (0.85-0.6)/(1-0.6) = 0.625; PABAK = 2*0.85-1 = 0.7
    a, b = _pairs(20, 5, 10, 65)
    r = agreement(a, b)
    assert (r.n, r.both_include, r.a_include_b_exclude, r.a_exclude_b_include,
            r.both_exclude) == (100, 20, 5, 10, 65)
    assert r.percent_agreement == pytest.approx(85.0)
    assert r.kappa == pytest.approx(0.625)
    assert r.pabak == pytest.approx(0.7)
    assert r.interpretation == "substantial"


def test_only_common_keys_count() -> None:
    a = {"x": True, "y": False, "only_a": True}
    b = {"x": True, "y": False, "only_b": False}
    r = agreement(a, b)
    assert r.n == 2
    assert r.kappa == pytest.approx(1.0)
    assert r.interpretation == "almost perfect"


def test_kappa_undefined_when_chance_agreement_is_one() -> None:
    a, b = _pairs(0, 0, 0, 7)
    r = agreement(a, b)
    assert r.kappa is None
    assert r.percent_agreement == 100.0
    assert r.pabak == 1.0
    assert r.interpretation == "undefined"


def test_negative_kappa_is_poor() -> None:
    a, b = _pairs(0, 5, 5, 0)
    r = agreement(a, b)
    assert r.kappa == pytest.approx(-1.0)
    assert r.pabak == pytest.approx(-1.0)
    assert r.interpretation == "poor"


def test_no_common_keys() -> None:
    r = agreement({"a": True}, {"b": True})
    assert (r.n, r.kappa, r.interpretation) == (0, None, "no records in common")


@pytest.mark.parametrize("kappa,label", [
    (-0.01, "poor"), (0.0, "slight"), (0.2, "slight"), (0.21, "fair"), (0.4, "fair"),
    (0.41, "moderate"), (0.6, "moderate"), (0.61, "substantial"), (0.8, "substantial"),
    (0.81, "almost perfect"), (1.0, "almost perfect"), (Fraction(1, 5), "slight"),
])
def test_landis_koch_bands(kappa: float, label: str) -> None:
    assert interpret(kappa) == label


@pytest.mark.parametrize("table", [(20, 5, 10, 65), (3, 1, 2, 40), (1, 9, 9, 1), (50, 0, 0, 50),
                                   (0, 3, 4, 93)])
def test_matches_sklearn(table: tuple[int, int, int, int]) -> None:
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    a, b = _pairs(*table)
    keys = sorted(a)
    expected = sklearn_metrics.cohen_kappa_score([a[k] for k in keys], [b[k] for k in keys])
    got = agreement(a, b).kappa
    assert got is not None and math.isclose(got, expected, abs_tol=1e-12)
