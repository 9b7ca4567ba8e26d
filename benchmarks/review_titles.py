"""The review-like titles rule on labelled screening sets: it must exclude no included record.

Each shared screening set (../shared/bench/screening/*/records.csv) labels which records the
review included (primary studies); the rule (screen/review_titles.py) is applied to every record's
title and abstract as a review that excludes reviews, protocols, editorials and commentaries would.
Reported per set: included records it marks (goal 0) and excluded records it marks (what it saves
screeners). Run: .venv/bin/python -m benchmarks.review_titles
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from reviewflow.screen.review_titles import self_described

from .markdown import SCREENING_SETS, machine, write_section

EXCLUDED = {"review", "systematic-review", "scoping-review", "protocol", "editorial", "commentary"}


def measure(path: Path) -> dict:
    inc = exc = inc_marked = exc_marked = 0
    examples: list[str] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            marked = bool(EXCLUDED.intersection(self_described(r["title"], r["abstract"])))
            if r["label_included"] == "1":
                inc += 1
                inc_marked += marked
                if marked:
                    examples.append(r["title"][:100])
            else:
                exc += 1
                exc_marked += marked
    return {"included": inc, "included_marked": inc_marked, "excluded": exc, "excluded_marked": exc_marked,
            "examples": examples}


def main() -> int:
    if not SCREENING_SETS.is_dir():
        print(f"{SCREENING_SETS}: not found", file=sys.stderr)
        return 2
    rows = {d.name: measure(d / "records.csv") for d in sorted(SCREENING_SETS.iterdir())
            if (d / "records.csv").is_file()}
    lines = ["## Review-like titles rule on labelled screening sets", "",
             f"Machine: {machine()}. Command: `.venv/bin/python -m benchmarks.review_titles`.", "",
             "The `review_title` eligibility rule (a record whose title, or its abstract's description of "
             "itself, says it is a systematic/scoping/rapid/umbrella/narrative review, a protocol, an editorial "
             "or a commentary) applied to every record of each set, as a review excluding those types would.",
             "", "| set | included marked (goal 0) | excluded records marked | share of excluded |",
             "|---|---:|---:|---:|"]
    for name, m in rows.items():
        share = m["excluded_marked"] / m["excluded"] if m["excluded"] else 0
        lines.append(f"| {name} | {m['included_marked']} of {m['included']} | {m['excluded_marked']} of "
                     f"{m['excluded']} | {share:.1%} |")
    lines += ["", "Limits: the patterns were written before this measure first ran; one abstract clause "
              "('our meta-analysis') was dropped after it marked an included record of Bannach-Brown_2019 "
              "(a primary report pooling its own data), so that set is not held out for that choice. "
              "The sets' reviews included primary studies only; a review that includes reviews turns the "
              "rule off (`eligibility.publication_types.from_titles: false`, or by not excluding the types)."]
    for name, m in rows.items():
        for t in m["examples"]:
            lines.append(f"- {name}: included record marked: {t}")
    body = "\n".join(lines)
    print(body)
    write_section("review_titles", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
