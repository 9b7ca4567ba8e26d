"""The demo's counts: from the config's shape to how many documents of each kind to generate."""

from __future__ import annotations

from dataclasses import dataclass, field

from reviewflow.errors import ConfigError

# Full-scale shape of the protocol (demo_prisma_shape): proportions for what the config omits.
FULL_UNIQUE = 3940
FULL_FT_EXCLUDED = {"X1_pubtype": 7, "X2_language": 3, "X3_secondary": 14, "X4_population": 31,
                    "X5_setting": 22, "X6_design": 27}
# Shares of unique documents removed by automatic rules and excluded as near misses at
# title/abstract (synthetic: the protocol's shape has none, real searches have a few).
SHARE_YEAR = 0.006
SHARE_LANGUAGE = 0.004
SHARE_REVIEW = 0.005
SHARE_COMMENTARY = 0.004
SHARE_NEAR_MISS_TA = 0.10
# Near-miss types excluded at title/abstract, with weights.
TA_NEAR_MISS_MIX = (("design", 3), ("population", 2), ("peer_pressure", 2), ("setting", 1),
                    ("alcohol", 1), ("secondary", 1))


@dataclass
class Plan:
    """How many documents of each kind the demo corpus holds."""

    identified: dict[str, int]
    unique: int
    included: int
    not_retrieved: int
    ft_excluded: dict[str, int]
    year: int
    language: int
    erratum: int
    review: int
    commentary: int
    near_miss_ta: dict[str, int] = field(default_factory=dict)
    irrelevant: int = 0
    # database -> (records per file, records each file repeats from the one before): a database whose
    # results are exported in batches by hand, the boundary record of each range typed twice.
    batches: dict[str, tuple[int, int]] = field(default_factory=dict)

    def batch_ranges(self, db: str) -> list[tuple[int, int]]:
        """The [start, end) ranges of the database's documents in each exported file, in order. The
        files hold `identified[db]` records in all, `size` each (the last the rest); each file after
        the first begins with the last `overlap` documents of the one before (fewer if it is that short)."""
        n = self.identified[db]
        size, overlap = self.batches.get(db, (n, 0))
        ranges: list[tuple[int, int]] = []
        for first in range(0, n, size):
            held = min(size, n - first)
            start = ranges[-1][1] - min(overlap, held - 1) if ranges else 0
            ranges.append((start, start + held))
        return ranges

    def placed(self) -> dict[str, int]:
        """Documents per database (the identified records less those its batches repeat)."""
        return {db: self.batch_ranges(db)[-1][1] for db in self.identified}

    @property
    def sought(self) -> int:
        return self.included + self.not_retrieved + sum(self.ft_excluded.values())

    @property
    def auto_excluded(self) -> dict[str, int]:
        return {"year": self.year, "language": self.language,
                "publication_type": self.erratum + self.review - self.review_untyped + self.commentary,
                "review_title": self.review_untyped}

    @property
    def review_untyped(self) -> int:
        """Reviews every database types as a journal article (their titles say what they are):
        one in four, as in real exports where the type lags or is not indexed."""
        return self.review // 4


def largest_remainder(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split `total` in proportion to `weights`, exactly (Hamilton's method, ties by key)."""
    wsum = sum(weights.values())
    if total <= 0 or wsum <= 0:
        return {k: 0 for k in weights}
    quotas = {k: total * w / wsum for k, w in weights.items()}
    out = {k: int(q) for k, q in quotas.items()}
    rest = total - sum(out.values())
    for k in sorted(quotas, key=lambda k: (-(quotas[k] - out[k]), k))[:rest]:
        out[k] += 1
    return out


def _batches(spec: dict, config: dict) -> dict[str, tuple[int, int]]:
    """`demo.shape.batch_exports`: {database: {size: records per file, overlap: repeated records}}."""
    exported = {str(db["id"]) for db in config.get("databases", []) if "export" in db}
    out = {}
    for db, b in spec.items():
        try:
            size, overlap = int(b["size"]), int(b.get("overlap", 0))
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"demo.shape.batch_exports.{db}: needs size (and overlap) as integers") from exc
        if str(db) not in exported:
            raise ConfigError(f"demo.shape.batch_exports.{db}: not a database with an export")
        if size < 2 or not 0 <= overlap < size // 2:
            raise ConfigError(f"demo.shape.batch_exports.{db}: size must be >= 2 and overlap under half of it")
        out[str(db)] = (size, overlap)
    return out


def make_plan(config: dict) -> Plan:
    """Derive every count from `config['demo']['shape']` and the full-scale proportions."""
    try:
        shape = config["demo"]["shape"]
        identified = {str(k): int(v) for k, v in shape["identified"].items()}
        unique, included = int(shape["unique"]), int(shape["included"])
        not_retrieved = int(shape.get("not_retrieved", 0))
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"demo.shape is incomplete or not numeric: {exc}") from exc
    db_ids = [str(db["id"]) for db in config.get("databases", [])]
    if sorted(identified) != sorted(db_ids):
        raise ConfigError("demo.shape.identified must name exactly the configured databases "
                          f"{sorted(db_ids)}, got {sorted(identified)}")
    total = sum(identified.values())
    if total < unique:
        raise ConfigError(f"demo.shape: identified records ({total}) fewer than unique ({unique})")
    if max(identified.values()) > unique:
        raise ConfigError("demo.shape: a database cannot export more records than there are "
                          "unique documents")
    if min(identified.values()) < 1 or included < 1:
        raise ConfigError("demo.shape: every database needs >= 1 record and included >= 1")

    codes = [r["code"] for r in config.get("full_text_exclusion_reasons", [])]
    weights = {c: float(n) for c, n in FULL_FT_EXCLUDED.items() if c in codes}
    n_excl = round(sum(FULL_FT_EXCLUDED.values()) * unique / FULL_UNIQUE)
    if "X1_pubtype" in weights:
        n_excl = max(n_excl, 1)
    ft = largest_remainder(n_excl, weights)
    # The conference-abstract trap needs at least one X1 exclusion.
    if "X1_pubtype" in ft and ft["X1_pubtype"] == 0:
        biggest = max(ft, key=lambda k: (ft[k], k))
        ft[biggest] -= 1
        ft["X1_pubtype"] = 1
    batches = _batches(shape.get("batch_exports") or {}, config)
    plan = Plan(
        batches=batches, identified=identified, unique=unique, included=included, not_retrieved=not_retrieved,
        ft_excluded=ft,
        year=max(1, round(SHARE_YEAR * unique)), language=max(1, round(SHARE_LANGUAGE * unique)),
        erratum=min(included, max(1, round(included / 16))),
        review=max(1, round(SHARE_REVIEW * unique)),
        commentary=max(1, round(SHARE_COMMENTARY * unique)),
    )
    fixed = plan.sought + sum(plan.auto_excluded.values())
    n_ta = min(round(SHARE_NEAR_MISS_TA * unique), max(0, unique - fixed))
    plan.near_miss_ta = largest_remainder(n_ta, {k: float(w) for k, w in TA_NEAR_MISS_MIX})
    plan.irrelevant = unique - fixed - n_ta
    if plan.irrelevant < 0:
        raise ConfigError(f"demo.shape: unique ({unique}) is too small for {included} included "
                          f"studies and the traps the demo needs (at least {fixed})")
    return plan
