"""The first title/abstract order, before any irrelevant record is known (issue 16).

Per shared screening set: includes among the first 100 records of (a) the order by the protocol's
terms alone and (b) the order by the terms and two known includes (seeds 1-3: which two), the known
ones left out of the count. The terms for each set were written by hand from its topic line in
../shared/bench/screening/README.md, before any order was scored (no tuning).
Run: .venv/bin/python -m benchmarks.first_order
"""

from __future__ import annotations

import csv
import random
import statistics
import sys

from reviewflow.screen.priority import order_rows

from .markdown import SCREENING_SETS, machine, write_section

TERMS = {  # from each set's topic line, by hand
    "Oud_2018": ["borderline personality disorder", "psychotherapy", "dialectical behavior therapy",
                 "mentalization", "schema therapy", "randomized"],
    "Cohen_2006_ADHD": ["attention deficit hyperactivity disorder", "ADHD", "methylphenidate",
                        "amphetamine", "atomoxetine", "randomized"],
    "Bannach-Brown_2019": ["depression", "animal model", "rat*", "mice", "mouse", "forced swim",
                           "chronic mild stress", "antidepressant"],
    "Appenzeller-Herzog_2020": ["Wilson disease", "Wilson's disease", "penicillamine", "trientine",
                                "zinc", "hepatolenticular degeneration", "chelation"],
}
TOP = 100


def _hits(order: list[dict], labels: dict[str, int], skip: set[str]) -> int:
    top = [r["record_id"] for r in order if r["record_id"] not in skip][:TOP]
    return sum(labels[k] for k in top)


def main() -> int:
    if not SCREENING_SETS.is_dir():
        print(f"{SCREENING_SETS}: not found", file=sys.stderr)
        return 2
    lines = ["## First order before any irrelevant record is known", "",
             f"Machine: {machine()}. Command: `.venv/bin/python -m benchmarks.first_order`.", "",
             f"Includes among the first {TOP} records (the known includes not counted): ordered by the "
             "protocol's terms alone, and by the terms plus two known includes (mean of seeds 1-3). Terms "
             "written by hand from each set's topic, fixed before scoring.", "",
             "| set | includes | terms only | terms + 2 known includes | random (expected) |",
             "|---|---:|---:|---:|---:|"]
    for name, terms in TERMS.items():
        with (SCREENING_SETS / name / "records.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        labels = {r["record_id"]: int(r["label_included"]) for r in rows}
        includes = sorted(k for k, v in labels.items() if v)
        runs_terms, runs_prior = [], []
        for seed in (1, 2, 3):
            known = random.Random(seed).sample(includes, 2)
            skip = set(known)
            runs_terms.append(_hits(order_rows(rows, None, query=terms, seed=seed), labels, skip))
            runs_prior.append(_hits(order_rows(rows, {k: 1 for k in known}, query=terms, seed=seed), labels, skip))
        expected = TOP * (len(includes) - 2) / (len(rows) - 2)
        lines.append(f"| {name} | {len(includes)} | {statistics.mean(runs_terms):.1f} | "
                     f"{statistics.mean(runs_prior):.1f} | {expected:.1f} |")
    lines += ["", "How it is built: each record's TF-IDF similarity to the terms and to the known includes' "
              "centroid; with both, the two orders are fused by reciprocal rank (Cormack et al. 2009, k = 60, "
              "the paper's constant) (`screen/priority.py`, `_prior_scores`). Before, the two similarities "
              "were each scaled to their maximum over the records still to screen and averaged: 11.3, 15.0, "
              "80.0, 4.0 (and before that, scaled by the known includes themselves: 9.3, 14.3, 83.0, 0.7). "
              "Three ways were compared on these four sets (the scaled mean, the nearest known include "
              "instead of the centroid, rank fusion); rank fusion found as many or more includes on every "
              "set, so choosing on any three picks it for the fourth: the figures above are also the "
              "leave-one-dataset-out ones. These four sets are not unseen for that choice. Known includes "
              "do not help everywhere: on Bannach-Brown_2019 (14 % prevalence, animal studies) two of them "
              "pull the order towards their own models and the terms-only order finds more. Tried later on the "
              "same sets and not adopted: Rocchio's query expansion (the terms' vector plus 0.5, 0.75 or 1 times "
              "the includes' centroid, one order instead of two) and a centroid over only the words both known "
              "includes share: each found 1 to 2 more on Bannach-Brown_2019 and 3 to 4 fewer on "
              "Appenzeller-Herzog_2020 (Rocchio: 83.7 and 0.7; shared words: 83.0 and 2.0). Also tried: the "
              "two orders weighted by how well each ranks a known include it was not built from (each "
              "include left out in turn; no constant to fit): 12.0, 14.0, 83.0, 7.7, still below the terms "
              "alone on Bannach-Brown_2019 and one fewer on Cohen_2006_ADHD, so not adopted either."]
    body = "\n".join(lines)
    print(body)
    write_section("first_order", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
