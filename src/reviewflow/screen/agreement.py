"""Inter-rater agreement for include/exclude screening: Cohen's kappa with its confidence interval,
PABAK, prevalence and bias indices, Landis & Koch bands.

The kappa interval is the large-sample one of Fleiss, Cohen & Everitt (1969), "Large sample
standard errors of kappa and weighted kappa", Psychological Bulletin 72(5):323-327: kappa ± z·SE,
clipped to [-1, 1]. With few records or extreme prevalence it is only approximate; PABAK and the
prevalence and bias indices (Byrt, Bishop & Carlin 1993) say why a kappa is low when agreement is high.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

# Landis & Koch (1977) bands, by upper bound of kappa; below zero is "poor".
_BANDS = (
    (Fraction(20, 100), "slight"),
    (Fraction(40, 100), "fair"),
    (Fraction(60, 100), "moderate"),
    (Fraction(80, 100), "substantial"),
    (Fraction(1), "almost perfect"),
)


@dataclass
class Agreement:
    """Two reviewers' 2x2 table over the records both screened, and its statistics."""

    n: int
    both_include: int
    a_include_b_exclude: int
    a_exclude_b_include: int
    both_exclude: int
    percent_agreement: float  # 0-100
    kappa: float | None  # None when chance agreement is 1 (both gave one same answer only)
    pabak: float
    interpretation: str
    kappa_se: float | None = None        # large-sample standard error (Fleiss, Cohen & Everitt 1969)
    kappa_ci_low: float | None = None    # 95% confidence interval, clipped to [-1, 1]
    kappa_ci_high: float | None = None
    confidence: float = 0.95
    prevalence: float = 0.0              # share of include decisions over both reviewers (0-1)
    include_rate_a: float = 0.0
    include_rate_b: float = 0.0
    prevalence_index: float = 0.0        # |both include - both exclude| / n
    bias_index: float = 0.0              # |a only - b only| / n


def interpret(kappa: float | Fraction | None) -> str:
    """Landis & Koch label for a kappa value."""
    if kappa is None:
        return "undefined"
    # Bands are closed above (0.20 is "slight", anything over it "fair"), compared exactly.
    # A float goes through its shortest repr, so 0.2 means 1/5 and not 0.2000000000000000111.
    k = kappa if isinstance(kappa, Fraction) else Fraction(repr(float(kappa)))
    if k < 0:
        return "poor"
    for upper, label in _BANDS:
        if k <= upper:
            return label
    return "almost perfect"


def kappa_se(ii: int, ie: int, ei: int, ee: int) -> float | None:
    """Large-sample standard error of Cohen's kappa for a 2x2 table (Fleiss, Cohen & Everitt 1969)."""
    n = ii + ie + ei + ee
    if n == 0:
        return None
    p = [[ii / n, ie / n], [ei / n, ee / n]]
    row = [p[0][0] + p[0][1], p[1][0] + p[1][1]]   # reviewer a
    col = [p[0][0] + p[1][0], p[0][1] + p[1][1]]   # reviewer b
    p_o = p[0][0] + p[1][1]
    p_e = row[0] * col[0] + row[1] * col[1]
    if p_e >= 1:
        return None
    k = (p_o - p_e) / (1 - p_e)
    diag = sum(p[i][i] * (1 - (row[i] + col[i]) * (1 - k)) ** 2 for i in range(2))
    off = (1 - k) ** 2 * sum(p[i][j] * (col[i] + row[j]) ** 2 for i in range(2) for j in range(2) if i != j)
    var = (diag + off - (k - p_e * (1 - k)) ** 2) / (n * (1 - p_e) ** 2)
    return math.sqrt(max(var, 0.0))


def agreement(a: Mapping[str, bool], b: Mapping[str, bool], confidence: float = 0.95) -> Agreement:
    """Agreement of reviewers a and b over the keys both decided (True = include); n=0 if none."""
    keys = a.keys() & b.keys()
    n = len(keys)
    if n == 0:
        # Nothing screened by both yet (e.g. one reviewer still pending): an empty table, not an
        # error, so a stage can report it; readers should check n before quoting the rates.
        return Agreement(n=0, both_include=0, a_include_b_exclude=0, a_exclude_b_include=0,
                         both_exclude=0, percent_agreement=0.0, kappa=None, pabak=0.0,
                         interpretation="no records in common")
    ii = sum(1 for k in keys if a[k] and b[k])
    ie = sum(1 for k in keys if a[k] and not b[k])
    ei = sum(1 for k in keys if not a[k] and b[k])
    ee = n - ii - ie - ei
    # Exact fractions so the p_e == 1 test and the band boundaries are not at floats' mercy.
    p_o = Fraction(ii + ee, n)
    a_inc, b_inc = ii + ie, ii + ei
    p_e = Fraction(a_inc * b_inc + (n - a_inc) * (n - b_inc), n * n)
    kappa = None if p_e == 1 else (p_o - p_e) / (1 - p_e)
    se = kappa_se(ii, ie, ei, ee) if kappa is not None else None
    low = high = None
    if kappa is not None and se is not None:
        from scipy.stats import norm  # local: scipy only when there is a kappa to bound

        z = float(norm.ppf(0.5 + confidence / 2))
        low, high = max(-1.0, float(kappa) - z * se), min(1.0, float(kappa) + z * se)
    return Agreement(
        n=n,
        both_include=ii,
        a_include_b_exclude=ie,
        a_exclude_b_include=ei,
        both_exclude=ee,
        percent_agreement=float(p_o * 100),
        kappa=None if kappa is None else float(kappa),
        pabak=float(2 * p_o - 1),
        interpretation=interpret(kappa),
        kappa_se=se,
        kappa_ci_low=low,
        kappa_ci_high=high,
        confidence=confidence,
        prevalence=(a_inc + b_inc) / (2 * n),
        include_rate_a=a_inc / n,
        include_rate_b=b_inc / n,
        prevalence_index=abs(ii - ee) / n,
        bias_index=abs(ie - ei) / n,
    )
