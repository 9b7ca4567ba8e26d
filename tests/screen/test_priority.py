"""The active-learning ranker on a small synthetic corpus: order, seeds, missing abstracts."""

from __future__ import annotations

import random

from reviewflow.screen.priority import RankerSettings, draw_priors, order_rows, rank, retrain_every, simulate

TOPIC = ["peer", "support", "worker", "drug", "harm", "reduction", "lived", "experience", "qualitative"]
OTHER = ["cardiac", "surgery", "randomised", "trial", "mortality", "stent", "artery", "dosage", "placebo",
         "renal", "tumour", "imaging", "bacterial", "vaccine", "fracture"]


def corpus(n: int = 120, n_rel: int = 12, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        rel = i < n_rel
        words = [rng.choice(TOPIC if rel and rng.random() < 0.6 else OTHER) for _ in range(40)]
        title = " ".join(rng.choice(TOPIC if rel else OTHER) for _ in range(6))
        abstract = "" if i % 5 == 0 else " ".join(words)
        rows.append({"record_id": f"r{i:03d}", "title": title, "abstract": abstract, "label": int(rel)})
    rng.shuffle(rows)
    return rows


def test_rank_puts_likely_relevant_first_and_leaves_decided_out() -> None:
    rows = corpus()
    truth = {r["record_id"]: r["label"] for r in rows}
    rel = sorted(k for k, v in truth.items() if v)
    irr = sorted(k for k, v in truth.items() if not v)
    labels = {rel[0]: 1, rel[1]: 1, irr[0]: 0, irr[1]: 0, irr[2]: 0}
    ranked = rank(rows, labels, seed=1)
    assert len(ranked) == len(rows) - len(labels)
    assert not {rid for rid, _ in ranked} & labels.keys()
    top = [rid for rid, _ in ranked[:10]]
    assert sum(truth[r] for r in top) == 10  # the ten remaining relevant records come first
    scores = [s for _, s in ranked]
    assert scores == sorted(scores, reverse=True) and all(0.0 <= s <= 1.0 for s in scores)


def test_records_without_abstract_are_ranked_by_their_title() -> None:
    rows = corpus()
    truth = {r["record_id"]: r["label"] for r in rows}
    labels = {r["record_id"]: r["label"] for r in rows if r["abstract"]}  # decide every record with one
    ranked = rank(rows, labels, seed=0)
    assert {rid for rid, _ in ranked} == {r["record_id"] for r in rows if not r["abstract"]}
    n_rel = sum(truth[rid] for rid, _ in ranked)
    assert n_rel and all(truth[rid] for rid, _ in ranked[:n_rel])


def test_rank_is_deterministic_and_ties_follow_the_seed() -> None:
    rows = corpus()
    a = rank(rows, {}, seed=3)
    assert a == rank(rows, {}, seed=3)
    assert [s for _, s in a] == [0.5] * len(rows)  # nothing learnt yet: every score the same
    assert [r for r, _ in a] != [r for r, _ in rank(rows, {}, seed=4)]
    assert [r for r, _ in a] == [r for r, _ in rank(list(reversed(rows)), {}, seed=3)]


def test_svm_variant_ranks_too() -> None:
    rows = corpus()
    truth = {r["record_id"]: r["label"] for r in rows}
    rel = sorted(k for k, v in truth.items() if v)
    irr = sorted(k for k, v in truth.items() if not v)
    ranked = rank(rows, {rel[0]: 1, irr[0]: 0}, settings=RankerSettings(model="svm", char_ngrams=None))
    assert sum(truth[r] for r, _ in ranked[:10]) >= 8


def test_simulation_covers_every_record_once_priors_first() -> None:
    rows = corpus(200, 15)
    ids = [r["record_id"] for r in rows]
    truth = {r["record_id"]: r["label"] for r in rows}
    priors = draw_priors(ids, truth, seed=2)
    assert truth[priors[0]] == 1 and truth[priors[1]] == 0
    assert priors == draw_priors(list(reversed(ids)), truth, seed=2)
    res = simulate(ids, [r["title"] for r in rows], [r["abstract"] for r in rows], truth, priors, seed=2)
    assert res.order[:2] == priors
    assert sorted(res.order) == sorted(ids)
    assert res.labels_in_order == [truth[r] for r in res.order]
    last_relevant = max(i for i, r in enumerate(res.order) if truth[r])
    assert last_relevant < 60  # 15 relevant found within the first 30% of 200
    again = simulate(ids, [r["title"] for r in rows], [r["abstract"] for r in rows], truth, priors, seed=2)
    assert again.order == res.order


def test_retrain_schedule() -> None:
    assert retrain_every(100_000, 10) == 1
    assert retrain_every(100_000, 199) == 1
    assert retrain_every(100_000, 5_000) == 50


def test_order_rows_by_query_then_by_decisions() -> None:
    rows = corpus(100, 10, seed=4)
    truth = {r["record_id"]: r["label"] for r in rows}
    plain = order_rows(rows)
    assert [r["record_id"] for r in plain] == [r["record_id"] for r in rows] and plain[0]["relevance"] == ""
    by_query = order_rows(rows, query=["peer*", "harm reduction", "lived experience"])
    assert sorted(r["record_id"] for r in by_query) == sorted(truth)
    assert sum(truth[r["record_id"]] for r in by_query[:10]) >= 7
    assert by_query[0]["relevance"] >= by_query[-1]["relevance"]
    rel = sorted(k for k, v in truth.items() if v)[:2]
    irr = sorted(k for k, v in truth.items() if not v)[:3]
    by_model = order_rows(rows, {**dict.fromkeys(rel, 1), **dict.fromkeys(irr, 0)}, seed=1)
    assert sum(truth[r["record_id"]] for r in by_model[:10]) >= 9
    assert by_model == order_rows(rows, {**dict.fromkeys(rel, 1), **dict.fromkeys(irr, 0)}, seed=1)
    assert all(len(r["relevance"]) == 5 for r in by_model)


def test_the_first_order_uses_known_includes_and_the_criteria_text():
    """No irrelevant record known: the protocol's words order the rows, and a known include pulls
    the records like it up (ASReview's prior knowledge needs both kinds; teams often know includes only)."""
    from reviewflow.screen.priority import order_rows

    rows = [{"record_id": "a", "title": "Peer workers in harm reduction services", "abstract": "Interviews."},
            {"record_id": "b", "title": "Naloxone kits given out by pharmacists", "abstract": "A survey."},
            {"record_id": "c", "title": "Pharmacists and naloxone kit distribution", "abstract": "Interviews."},
            {"record_id": "d", "title": "Peer review of harm reduction grant applications", "abstract": "Audit."}]
    by_terms = [r["record_id"] for r in order_rows(rows, None, query=["peer work*", "harm reduction"])]
    assert by_terms[0] == "a" and by_terms.index("d") < by_terms.index("c")
    with_known = [r["record_id"] for r in order_rows(rows, {"b": 1}, query=["peer work*", "harm reduction"])]
    assert with_known.index("c") < with_known.index("d")
    only_known = [r["record_id"] for r in order_rows(rows, {"b": 1})]
    assert set(only_known[:2]) == {"b", "c"}
    # Both kinds of prior: the orders are fused by rank, so the row order of the input plays no part.
    again = [r["record_id"] for r in order_rows(rows[::-1], {"b": 1}, query=["peer work*", "harm reduction"])]
    assert again == with_known


def test_ranks_share_ties_and_ignore_row_order():
    import numpy as np

    from reviewflow.screen.priority import _ranks

    assert _ranks(np.array([0.2, 0.9, 0.2, 0.0])).tolist() == [1.0, 0.0, 1.0, 3.0]


def test_the_sheet_says_how_its_rows_were_ordered():
    from reviewflow.screen.priority import describe_order

    terms = ["peer work*", "harm reduction"]
    first = describe_order([1, 1], terms)
    assert "before any decision" in first and "highlight terms" in first and "2 known included studies" in first
    assert "combines the two orders" in first and "combines" not in describe_order([1], [])
    assert "known included" not in describe_order([], terms)
    assert "highlight terms" not in describe_order([1], [""]) and "1 known included studies" in describe_order([1], [])
    assert "trained on 3 known relevant and 1 known irrelevant" in describe_order([1, 1, 1, 0], terms)
    assert describe_order([], []).startswith("Rows are in record-id order")
