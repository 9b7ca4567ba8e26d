"""Inter-rater agreement for include/exclude screening: Cohen's kappa, PABAK, Landis & Koch."""

from __future__ import annotations

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


def agreement(a: Mapping[str, bool], b: Mapping[str, bool]) -> Agreement:
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
    )
