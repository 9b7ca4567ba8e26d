"""A generated review of 100,000 records through import, deduplication and prioritisation: wall time
and peak memory per step, each step a process of its own.

The records: works drawn by `benchmarks.dedup_corpus` (titles, authors, journals, volumes, pages,
DOIs, and its hard negatives: errata, next year's report, conference abstracts), made into demo
documents (`reviewflow.demo.corpus.Builder`) with abstracts from the demo's phrase book (studies of
peer work, near misses, unrelated topics; shares from the demo's plan), spread over the demo
config's 15 databases by the demo's assignment, and written by the demo's export writers with their
per-database variation (MEDLINE/nbib, Ovid, EBSCOhost and ProQuest RIS, Scopus CSV, Web of Science),
with dedup_corpus's title variation on top (typos, truncation, tags, HTML entities).
A database the config searches through an API is written as an export of its family here.

The steps call what the workflow's rules call: `run_import` per database (two at a time, as the
`import_export` jobs run in Snakemake's process, a big export in a Python of its own), `run_dedup`
with 2 jobs (rule `dedup`), the ranking of `run_ta_sheets` (`order_rows` with the protocol's terms,
no decisions yet), then a retrain and rerank after each of two batches of decisions (labels from the generator's truth).

Run: .venv/bin/python -m benchmarks.scale_100k [--records 100000] [--batch 1000] [--work DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from math import comb
from pathlib import Path
from typing import TYPE_CHECKING

from .markdown import ROOT, machine, write_section

if TYPE_CHECKING:
    import numpy as np

    from reviewflow.screen.priority import Ranker

SEED = 7
# Issue 17: 100,000 records through import, deduplication and prioritisation in under 60 s wall, peak
# memory under 2 GB (DESIGN.md's "a couple of minutes" before it).
GOAL_S, GOAL_MB = 60, 2048
STEP_S, STEP_MB = 60, 2048  # a step over either is reported
EXT = {"pubmed": "nbib", "scopus": "csv", "wos": "txt"}  # by database family; RIS otherwise


# --- the generated review ---------------------------------------------------------------------------
def _config() -> dict:
    import yaml

    return yaml.safe_load((ROOT / "config/config.yaml").read_text(encoding="utf-8"))


def _family(db: dict) -> str:
    from reviewflow.demo.formats import family_of

    # A database searched through an API: an export of its family (PubMed: MEDLINE/nbib).
    export = db.get("export") or {"pubmed": "nbib"}.get(db.get("search", {}).get("source", ""), "ris")
    return family_of(export, str(db.get("platform", "")))


def export_file(work: Path, db: dict) -> Path:
    return work / "exports" / db["id"] / f"{db['id']}.{EXT.get(_family(db), 'ris')}"


def scaled_config(n_records: int) -> dict:
    """The demo config with its shape scaled to `n_records` identified records (same proportions)."""
    from reviewflow.demo.plan import largest_remainder

    config = _config()
    shape = config["demo"]["shape"]
    total = sum(shape["identified"].values())
    shape["identified"] = largest_remainder(n_records, {k: float(v) for k, v in shape["identified"].items()})
    for key in ("unique", "included", "not_retrieved"):
        shape[key] = round(shape[key] * n_records / total)
    return config


def generate(work: Path, n_records: int, seed: int) -> dict:
    """Write every database's export under work/exports and the truth beside them."""
    from reviewflow.demo import phrases as P
    from reviewflow.demo.assign import assign
    from reviewflow.demo.corpus import Builder, sentence_join
    from reviewflow.demo.formats import WRITERS
    from reviewflow.demo.generator import _accession
    from reviewflow.demo.plan import TA_NEAR_MISS_MIX, make_plan
    from reviewflow.demo.variants import make_copy

    from .dedup_corpus import _negatives, _variant_title, _Vocab, _work

    config = scaled_config(n_records)
    plan = make_plan(config)
    dbs = sorted(config["databases"], key=lambda d: str(d["id"]))
    families = {db["id"]: _family(db) for db in dbs}
    b = Builder(plan, seed, families)
    rng = random.Random(seed)               # the works, as dedup_corpus draws them
    kinds = random.Random(f"{seed}:kinds")  # what each document is about
    p_relevant = plan.sought / plan.unique  # reach full text in the demo's plan
    p_near = sum(plan.near_miss_ta.values()) / plan.unique
    nm_types, nm_weights = zip(*TA_NEAR_MISS_MIX, strict=True)
    vocab = _Vocab(rng)
    journals: dict[str, P.Journal] = {}

    def journal(j: tuple[str, str, str]) -> P.Journal:
        full, abbrev, prefix = j
        if full not in journals:
            journals[full] = P.Journal(full, abbrev or full, abbrev or full, "rf" + prefix[3:])
        return journals[full]

    def add(w: dict, negative: str) -> None:
        year = w["year"]
        if negative == "erratum":
            kind, abstract = "erratum", ""
        else:
            r = kinds.random()
            kind = "included" if r < p_relevant else "near_miss_ta" if r < p_relevant + p_near else "irrelevant"
            if kind == "included":
                abstract = b.study_abstract(b.context(), year)
            elif kind == "near_miss_ta":
                nm = kinds.choices(nm_types, nm_weights)[0]
                fill = dict(b.context(), **b.stat_fill())
                abstract = sentence_join([s.format(**fill) for s in P.NEAR_MISS_ABSTRACTS[nm]])
            else:
                topic = kinds.choice(P.IRRELEVANT_TOPICS)
                fill = {"topic_lower": topic[:1].lower() + topic[1:], "topic_cap": topic,
                        "population": kinds.choice(P.IRRELEVANT_POPULATIONS), "place": kinds.choice(P.PLACES)[1],
                        "design": kinds.choice(P.IRRELEVANT_DESIGNS), "n": str(kinds.randint(120, 9000)),
                        "factor": kinds.choice(P.IRRELEVANT_FACTORS), "field": kinds.choice(P.IRRELEVANT_FIELDS),
                        **b.stat_fill()}
                abstract = sentence_join([s.format(**fill) for s in P.IRRELEVANT_SENTENCES])
        first, last = w["pages"]
        pub_type = {"erratum": "erratum"}.get(negative, "conference-abstract" if w["type"] == "inproceedings"
                                              else "journal-article")
        rel = kind == "included"
        doc = b.add(kind, w["title"], abstract, year, journals=(journal(w["journal"]),),
                    authors=[(s, " ".join(i)) for s, i in w["authors"]], volume=w["volume"], issue=w["issue"],
                    pages=(first, last) if first else None, article_no="", pub_type=pub_type,
                    ta_include=int(rel), keywords=kinds.sample(P.KEYWORDS_INCLUDED if rel else P.KEYWORDS_OTHER, 3),
                    mesh=sorted(kinds.sample(P.MESH_INCLUDED if rel else P.MESH_OTHER, 4)),
                    **({} if w["doi"] else {"doi": ""}))
        if pub_type == "conference-abstract":
            doc.allowed = b.restrict({"ovid", "scopus", "wos"})

    wid = 0
    while len(b.docs) < plan.unique:
        wid += 1
        base = _work(rng, vocab, wid)
        add(base, "")
        if rng.random() < 0.05 and len(b.docs) < plan.unique:
            wid += 1
            neg = _negatives(rng, base, vocab, wid)
            add(neg, "erratum" if neg["title"] != base["title"] and neg["type"] == "article" else "")
    docs = b.docs
    order = list(range(len(docs)))
    random.Random(f"{seed}:doc-ids").shuffle(order)
    for n, i in enumerate(order, start=1):
        docs[i].doc_id = f"D{n:06d}"
    placed = assign(docs, plan.identified, families, seed)

    truth = []
    for db in dbs:
        db_id = db["id"]
        acc_rng, used = random.Random(f"{seed}:accession:{db_id}"), set()
        copies = [make_copy(doc, db_id, families[db_id], _accession(families[db_id], db_id, doc, acc_rng, used), seed)
                  for doc in placed[db_id]]
        # On top of the demo's variation across databases, dedup_corpus's: typos, truncation, tags, entities.
        var_rng = random.Random(f"{seed}:variant:{db_id}")
        for c in copies:
            c.title = _variant_title(var_rng, c.title)
        path = export_file(work, db)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(WRITERS[families[db_id]](copies, db))
        truth += [(db_id, i, c.doc.doc_id) for i, c in enumerate(copies)]
    with open(work / "truth.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["source", "index", "doc_id", "relevant"])
        relevant = {d.doc_id: d.ta_include for d in docs}
        w.writerows((s, i, d, relevant[d]) for s, i, d in truth)
    return {"records": len(truth), "documents": len(docs), "relevant": sum(d.ta_include for d in docs),
            "mb": sum(f.stat().st_size for f in (work / "exports").rglob("*") if f.is_file()) / 1e6,
            "formats": dict(Counter(EXT.get(families[db["id"]], "ris") for db in dbs))}


# --- the steps, each run in its own process -----------------------------------------------------------
def _databases() -> list[dict]:
    return _config()["databases"]


def _import_one(work: Path, db: dict) -> dict:
    from reviewflow.importing import run_import

    out, db_id = work / "import", db["id"]
    run_import([export_file(work, db)], db_id, out / f"{db_id}.jsonl", out / f"{db_id}.rejects.jsonl",
               out / f"{db_id}.summary.json")
    summary = json.loads((out / f"{db_id}.summary.json").read_text())["files"][0]
    return {"db": db_id, "records": summary["records"], "rejected": summary["rejected"],
            "format": summary["format"], "dialect": summary["dialect"]}


def step_import(work: Path, jobs: int) -> dict:
    """Every database's `run_import` as the workflow runs its `import_export` jobs: `jobs` at a time in
    threads of one process, an export over `scripting.BIG_INPUT_MB` in a Python of its own (the rule's
    `big_in_own_process`), the others in the process itself."""
    from concurrent.futures import ThreadPoolExecutor

    from reviewflow.scripting import is_big_input

    (work / "import").mkdir(exist_ok=True)

    def one(db: dict) -> dict:
        t0 = time.perf_counter()
        big = is_big_input([export_file(work, db)])
        if big:
            got = subprocess.run([sys.executable, "-m", "benchmarks.scale_100k", "--step", "import-one",
                                  "--db", db["id"], "--work", str(work)], cwd=ROOT, check=True,
                                 stdout=subprocess.PIPE, text=True)
            row = json.loads(got.stdout)
        else:
            row = _import_one(work, db)
        return dict(row, wall=time.perf_counter() - t0, own_process=big)

    with ThreadPoolExecutor(jobs) as pool:
        return {"dbs": list(pool.map(one, _databases()))}


def step_dedup(work: Path, jobs: int) -> dict:
    from reviewflow.dedup.run import run_dedup

    out = work / "dedup"
    run_dedup([work / "import" / f"{d['id']}.jsonl" for d in _databases()], out / "groups.csv",
              out / "unique.jsonl", out / "summary.json", out_provenance=out / "provenance.jsonl",
              review_sheet=out / "uncertain_pairs.xlsx", jobs=jobs)
    return json.loads((out / "summary.json").read_text())


def _rows(work: Path) -> tuple[list[dict], dict[str, int]]:
    """Screening rows as run_ta_sheets builds them, and each row's truth (1 = relevant)."""
    from reviewflow.fsio import iter_jsonl
    from reviewflow.records import Record
    from reviewflow.screen.stages import record_row

    truth = {}
    with open(work / "truth.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            truth[(r["source"], int(r["index"]))] = int(r["relevant"])
    rows, rel = [], {}
    for d in iter_jsonl(work / "dedup" / "unique.jsonl"):
        rec = Record.from_dict(d)
        rows.append(record_row(rec))
        rel[rec.id] = truth[(rec.provenance.source, rec.provenance.index)]
    return sorted(rows, key=lambda r: r["record_id"]), rel


def step_rank(work: Path) -> dict:
    from reviewflow.screen.priority import order_rows
    from reviewflow.screen.stages import title_abstract_stage

    config = _config()
    t0 = time.perf_counter()
    rows, _ = _rows(work)
    t1 = time.perf_counter()
    ranked = order_rows(rows, {}, query=title_abstract_stage(config).highlight_terms,
                        seed=int(config["screening"].get("seed", 0)))
    t2 = time.perf_counter()
    with open(work / "initial_order.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows((r["record_id"], r["relevance"]) for r in ranked)
    return {"rows": len(rows), "load_s": t1 - t0, "rank_s": t2 - t1}


def _labelled(work: Path) -> tuple[list[dict], list[str], list[int], np.ndarray]:
    """The screening rows, their ids, the initial order (row positions) and each row's truth (1/0)."""
    import numpy as np

    rows, rel = _rows(work)
    ids = [r["record_id"] for r in rows]
    pos = {rid: i for i, rid in enumerate(ids)}
    with open(work / "initial_order.csv", encoding="utf-8") as fh:
        initial = [pos[r[0]] for r in csv.reader(fh)]
    return rows, ids, initial, np.array([rel[rid] for rid in ids])


def _rerank(ranker: Ranker, decided: list[int], y_all: np.ndarray, tie: np.ndarray) -> list[int]:
    """Retrain on the decided rows, and the other rows' positions in priority order."""
    import numpy as np

    sc = ranker.scores(decided, y_all[decided])
    done = np.zeros(len(y_all), dtype=bool)
    done[decided] = True
    rest = np.flatnonzero(~done)
    return [int(i) for i in rest[np.lexsort((tie[rest], -sc[rest]))]]


def _seed() -> int:
    """The demo config's screening seed (the ranker's and the tie-break's)."""
    return int(_config()["screening"].get("seed", 0))


def _ranker(work: Path, rows: list[dict]) -> Ranker:
    """The workflow's ranker on these rows, its features kept by content hash as rule ta_batches keeps them."""
    from reviewflow.screen.priority import Ranker

    return Ranker([r["title"] for r in rows], [r["abstract"] for r in rows], seed=_seed(), cache_dir=work / "cache")


def step_retrain(work: Path, batch: int) -> dict:
    """Decisions on the first `batch` of the initial order, retrain, rerank; again after a second batch."""
    from reviewflow.screen.priority import _tiebreak

    rows, ids, initial, y_all = _labelled(work)
    out: dict = {"rows": len(rows), "relevant": int(y_all.sum()), "batch": batch,
                 "found": [int(y_all[initial[:batch]].sum())]}
    t0 = time.perf_counter()
    ranker = _ranker(work, rows)   # the next rerun loads these features (step_rerun)
    out["features_s"] = time.perf_counter() - t0
    out["features"] = int(ranker.x.shape[1])
    tie = _tiebreak(ids, _seed())
    decided = list(initial[:batch])
    out["retrain_s"] = []
    out["decided_relevant"] = []
    for _ in range(2):
        # With decisions of one kind only there is nothing to learn: the retrain would not run.
        out["decided_relevant"].append(int(y_all[decided].sum()))
        if y_all[decided].min() == y_all[decided].max():
            raise SystemExit(f"the first {len(decided)} decisions are all of one kind: no retrain to measure")
        t0 = time.perf_counter()
        order = _rerank(ranker, decided, y_all, tie)
        out["retrain_s"].append(time.perf_counter() - t0)
        nxt = order[:batch]
        out["found"].append(int(y_all[nxt].sum()))
        decided += nxt
    return out


def step_rerun(work: Path, batch: int) -> dict:
    """A workflow rerun after the next batch: the features from the cache step_retrain filled, one retrain
    on the first 2 x `batch` records of the initial order, and the rerank of the rest."""
    from reviewflow.screen.priority import _tiebreak

    t0 = time.perf_counter()
    rows, ids, initial, y_all = _labelled(work)
    t1 = time.perf_counter()
    ranker = _ranker(work, rows)
    t2 = time.perf_counter()
    _rerank(ranker, initial[:2 * batch], y_all, _tiebreak(ids, _seed()))
    return {"load_s": t1 - t0, "features_s": t2 - t1, "retrain_s": time.perf_counter() - t2}


# --- measuring ---------------------------------------------------------------------------------------
class _PssSampler(threading.Thread):
    """Peak of the summed PSS of a process and its children (pages shared after fork counted once)."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak, self.done = pid, every, 0, threading.Event()

    def run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self.done.is_set():
            total = 0
            try:
                for p in [root, *root.children(recursive=True)]:
                    try:
                        total += p.memory_full_info().pss
                    except psutil.Error:
                        pass
            except psutil.Error:
                break
            self.peak = max(self.peak, total)
            self.done.wait(self.every)


def measure(args: list[str]) -> dict:
    """Run `python -m benchmarks.scale_100k <args>`; its JSON line plus wall, CPU, peak RSS and PSS."""
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "benchmarks.scale_100k", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    sampler = _PssSampler(proc.pid)
    sampler.start()
    out = proc.stdout.read() if proc.stdout else ""
    sampler.done.set()
    sampler.join()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"step {' '.join(args)} failed with exit code {proc.returncode}")
    row = json.loads(out.strip().splitlines()[-1])
    # wait4: the child with the children it reaped (dedup's pool workers); ru_maxrss is the largest one's.
    row.update(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mb=usage.ru_maxrss / 1024,
               pss_mb=sampler.peak / 2**20, load=load)
    return row


def dedup_scores(work: Path) -> dict:
    """Pairwise precision and recall of the groups against the generator's documents."""
    from reviewflow.fsio import iter_jsonl

    truth = {}
    with open(work / "truth.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            truth[(r["source"], int(r["index"]))] = r["doc_id"]
    doc_of = {}
    for db in _databases():
        for d in iter_jsonl(work / "import" / f"{db['id']}.jsonl"):
            doc_of[d["id"]] = truth[(d["provenance"]["source"], d["provenance"]["index"])]
    with open(work / "dedup" / "groups.csv", encoding="utf-8") as fh:
        group = {r["record_id"]: r["group_id"] for r in csv.DictReader(fh)}
    both = Counter((group[r], doc_of[r]) for r in group)
    tp = sum(comb(n, 2) for n in both.values())
    pred = sum(comb(n, 2) for n in Counter(group.values()).values())
    true = sum(comb(n, 2) for n in Counter(doc_of.values()).values())
    p, r = tp / pred if pred else 1.0, tp / true if true else 1.0
    return {"tp": tp, "fp": pred - tp, "fn": true - tp, "precision": p, "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0, "works": len(set(doc_of.values()))}


def _mb(x: float) -> str:
    return f"{x:,.0f} MB"


def growth(runs: list[dict]) -> str:
    """How each step grows with the record count: one row per size, times and peaks beside the first size's."""
    base = runs[0]
    lines = ["| records | import | dedup | initial ranking | retrain + rerank | total | peak, all processes |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in runs:
        cells = []
        for k in ("import", "dedup", "rank", "retrain", "total"):
            ratio = r["steps"][k]["wall"] / base["steps"][k]["wall"]
            cells.append(f"{r['steps'][k]['wall']:.1f} s" + ("" if r is base else f" ({ratio:.1f}x)"))
        lines.append(f"| {r['records']:,} | " + " | ".join(cells) + f" | {_mb(r['steps']['total']['pss_mb'])} |")
    return "\n".join(lines)


def step_totals(imp: dict, dedup: dict, rank: dict, retrain: dict) -> dict:
    """Each step's wall, CPU and peaks, and the total."""
    steps = {"import": imp, "dedup": dedup, "rank": rank, "retrain": retrain}
    steps["total"] = {"wall": sum(v["wall"] for v in steps.values()), "cpu": sum(v["cpu"] for v in steps.values()),
                      "rss_mb": max(v["rss_mb"] for v in steps.values()),
                      "pss_mb": max(v["pss_mb"] for v in steps.values())}
    return steps


def render(args: argparse.Namespace, gen: dict, imp: dict, dedup: dict, score: dict, rank: dict,
           retrain: dict, rerun: dict, runs: list[dict]) -> str:
    from reviewflow.screen.priority import RankerSettings
    from reviewflow.scripting import BIG_INPUT_MB

    steps = step_totals(imp, dedup, rank, retrain)
    imports = imp["dbs"]
    named = [("import", steps["import"]), ("dedup", dedup), ("initial ranking", rank), ("retrain + rerank", retrain)]
    total = steps["total"]
    slowest = max(named, key=lambda kv: kv[1]["wall"])
    hungriest = max(named, key=lambda kv: kv[1]["pss_mb"])
    over = []
    for name, s in named:
        why = ([f"{s['wall']:.0f} s"] if s["wall"] > STEP_S else []) + ([_mb(s["pss_mb"])] if s["pss_mb"] > STEP_MB
                                                                          else [])
        if why:
            over.append(f"{name} ({', '.join(why)})")
    loads = [gen["load"], imp["load"], dedup["load"], rank["load"], retrain["load"]]
    what = {
        "import": f"`run_import` of the {len(imports)} exports, {args.jobs} at a time as the rule's jobs run "
                  f"({sum(r['own_process'] for r in imports)} exports over {BIG_INPUT_MB:.0f} MB in a Python each)",
        "dedup": f"`run_dedup`, {args.jobs} jobs (rule `dedup`; workers start at 500,000 records): "
                 f"{dedup['records']:,} records → {dedup['groups']:,}",
        "initial ranking": f"`order_rows` with the protocol's terms, no decisions yet ({rank['rows']:,} rows)",
        "retrain + rerank": "`Ranker`: features once, then 2 × (retrain on the decisions so far, rerank the rest)",
    }

    def line(name: str, text: str, s: dict, bold: bool = False) -> str:
        b = "**" if bold else ""
        return (f"| {b}{name}{b} | {text} | {b}{s['wall']:.1f} s{b} | {s['cpu']:.1f} s | {b}{_mb(s['rss_mb'])}{b} | "
                f"{b}{_mb(s['pss_mb'])}{b} |")

    table = "\n".join([
        "| step | what it runs | wall time | CPU time | peak RSS, largest process | peak memory, all processes |",
        "|---|---|---:|---:|---:|---:|",
        line("(input)", "generating the exports (not part of a review)", gen),
        *(line(name, what[name], s) for name, s in named),
        line("total", "import → retrain + rerank", total, bold=True),
    ])
    rel, b = retrain["relevant"], retrain["batch"]
    formats = ", ".join(f"{n} {ext}" for ext, n in sorted(gen["formats"].items()))
    verdict = ("met" if total["wall"] < GOAL_S else f"**not met** ({total['wall']:.1f} s)") + "; memory " + (
        "met" if total["pss_mb"] < GOAL_MB else f"**not met** ({_mb(total['pss_mb'])})")
    per_db = ", ".join(f"{r['db']} {r['records']:,} ({r['format']}{', ' + r['dialect'] if r['dialect'] else ''}) "
                       f"{r['wall']:.1f} s" for r in sorted(imports, key=lambda r: -r["records"])[:4])
    ret_s = retrain["retrain_s"]
    also = f" --also {' '.join(str(r['records']) for r in runs[1:])}" if len(runs) > 1 else ""
    growth_text = "" if len(runs) < 2 else (
        "\nHow the steps grow (the same generator and steps at more records, in the same run; in brackets, "
        "the time over the first size's):\n\n"
        + growth(runs) + "\n")
    return f"""## A review of {gen['records']:,} records: import, deduplication, prioritisation

`python -m benchmarks.scale_100k --records {args.records} --batch {b}{also}` (`make bench`): a generated
review, seed {args.seed}: {gen['documents']:,} works from `benchmarks/dedup_corpus.py` (with its errata, next-year
reports and conference abstracts) given abstracts from the demo's phrase book ({gen['relevant']:,} of them relevant
at title/abstract), exported {gen['records']:,} times by the demo config's {len(imports)} databases through the demo's
writers and per-database variation, with dedup_corpus's title variation on top ({formats} files,
{gen['mb']:.0f} MB). Each step runs in a process of its own
and calls what the workflow's rule calls. Machine: {machine()}; other work shared it (load average over 1 minute
before the steps: {min(loads):.1f} to {max(loads):.1f}), so wall times are indicative and CPU times steadier.
Runs of the same code on this virtual machine differ by up to a sixth (time stolen by other guests): the
generating step, whose code does not change, is the yardstick.

{table}

Goal (issue 17): 100,000 records from import to prioritisation in under {GOAL_S} s wall with peak memory
under {GOAL_MB // 1024} GB (all processes): time {verdict}. Slowest step: {slowest[0]}
({slowest[1]['wall']:.1f} s); most memory: {hungriest[0]} ({_mb(hungriest[1]['pss_mb'])}).
Steps over {STEP_S} s or {STEP_MB // 1024} GB: {'; '.join(over) or 'none'}.

- Import: {sum(r['records'] for r in imports):,} records read, {sum(r['rejected'] for r in imports)} rejected;
  largest exports: {per_db} (each one's time, with its Python's start-up where it has one). The workflow runs
  these jobs in {args.jobs} threads of Snakemake's process; an export over {BIG_INPUT_MB:.0f} MB is read by a Python of
  its own (`scripting.run_script`), so two big ones use both cores, and the small ones pay no start-up.
- Deduplication: {score['works']:,} true works; {dedup['groups']:,} groups, {dedup['uncertain_pairs']:,} uncertain
  pairs left apart for a reviewer; pairwise precision {score['precision']:.4f}, recall {score['recall']:.4f},
  F1 {score['f1']:.4f} (TP {score['tp']:,}, FP {score['fp']:,}, FN {score['fn']:,}). The time includes reading the
  {len(imports)} JSONL files, merging, and writing groups, unique records, provenance and the uncertain-pairs sheet.
- Initial ranking: {rank['rank_s']:.1f} s in `order_rows` (TF-IDF similarity to the protocol's terms),
  {rank['load_s']:.1f} s reading {rank['rows']:,} unique records. Relevant records in its first {b:,}:
  {retrain['found'][0]:,} of {rel:,} relevant unique records (random order: about {b * rel / retrain['rows']:.0f};
  duplicates that dedup left apart count once each).
- Retrain + rerank: features built once in {retrain['features_s']:.1f} s ({retrain['features']:,} columns: word
  1-2-grams and character 3-5-grams); retrain on {b:,} decisions and rerank the other {retrain['rows'] - b:,}
  records: {ret_s[0]:.2f} s, then on {2 * b:,} decisions: {ret_s[1]:.2f} s (decisions so far:
  {retrain['decided_relevant'][0]:,} and {retrain['decided_relevant'][1]:,} relevant; at most
  {RankerSettings().max_negatives:,} irrelevant ones are used). Relevant records in the next {b:,} after each
  retrain: {retrain['found'][1]:,}, then {retrain['found'][2]:,}. The generated texts separate easily, so these
  counts show that the retrained model is used, not how well it ranks (the screening section measures that).
- A rerun after the next batch (rule `ta_batches` keeps the features by content hash in `results/cache/ranker`;
  this step loads what the retrain step kept): **{rerun['wall']:.1f} s** wall in its process, of which
  {rerun['load_s']:.1f} s reading the records, {rerun['features_s']:.1f} s loading the features and
  {rerun['retrain_s']:.2f} s the retrain on {2 * b:,} decisions and rerank (peak {_mb(rerun['pss_mb'])}). Not in
  the total above: a review's first pass builds the features.
- Peak memory: "largest process" is `ru_maxrss` from `wait4` (the step's process and the children it reaped:
  dedup's fork workers); "all processes" is the summed proportional set size (PSS: pages shared after a fork
  counted once) of the step's process tree, sampled every 0.2 s, so a shorter spike can be missed; PSS counts
  shared libraries in part, so for a one-process step it can be below RSS. `profiles/slurm` sets the cluster's
  `mem_mb` for these rules from these figures, with room to spare.
- Not in these steps: the automatic eligibility rules, and the blinded XLSX sheets `ta_sheets` writes after ranking.
{growth_text}"""


def run_size(args: argparse.Namespace, n_records: int) -> dict:
    """Generate a review of n_records and measure every step on it (each in a process of its own)."""
    tmp = None
    work = args.work / str(n_records) if args.work is not None else Path(tmp := tempfile.mkdtemp(prefix="rf-scale-"))
    work = work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    (work / "dedup").mkdir(exist_ok=True)
    common = ["--work", str(work), "--records", str(n_records), "--seed", str(args.seed)]
    try:
        gen = measure(["--step", "generate", *common])
        print(f"{n_records:,} generate: {gen['wall']:.1f} s, {gen['records']:,} records", file=sys.stderr)
        imports = measure(["--step", "import", "--jobs", str(args.jobs), *common])
        print(f"import: {imports['wall']:.1f} s", file=sys.stderr)
        dedup = measure(["--step", "dedup", "--jobs", str(args.jobs), *common])
        print(f"dedup: {dedup['wall']:.1f} s", file=sys.stderr)
        rank = measure(["--step", "rank", *common])
        print(f"rank: {rank['wall']:.1f} s", file=sys.stderr)
        retrain = measure(["--step", "retrain", "--batch", str(args.batch), *common])
        print(f"retrain: {retrain['wall']:.1f} s", file=sys.stderr)
        rerun = measure(["--step", "rerun", "--batch", str(args.batch), *common])
        print(f"rerun: {rerun['wall']:.1f} s", file=sys.stderr)
        score = dedup_scores(work)
        (work / "measured.json").write_text(json.dumps({"generate": gen, "import": imports, "dedup": dedup,
                                                        "dedup_scores": score, "rank": rank, "retrain": retrain,
                                                        "rerun": rerun},
                                                       indent=1))
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return {"records": n_records, "gen": gen, "imports": imports, "dedup": dedup, "score": score, "rank": rank,
            "retrain": retrain, "rerun": rerun, "steps": step_totals(imports, dedup, rank, retrain)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--batch", type=int, default=1000, help="decisions per batch before a retrain")
    ap.add_argument("--jobs", type=int, default=2, help="dedup jobs (the rule's threads)")
    ap.add_argument("--work", type=Path, help="keep the generated review and outputs here (default: a temp dir)")
    ap.add_argument("--also", type=int, nargs="*", default=[], help="more record counts to run (growth table)")
    ap.add_argument("--no-write", action="store_true", help="print the section, do not write BENCHMARKS.md")
    ap.add_argument("--step", choices=("generate", "import", "import-one", "dedup", "rank", "retrain", "rerun"),
                    help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.step:
        from reviewflow.scripting import batch_gc

        batch_gc()   # as the workflow's scripts do (scripting.guard)
        work = args.work
        result = {"generate": lambda: generate(work, args.records, args.seed),
                  "import": lambda: step_import(work, args.jobs),
                  "import-one": lambda: _import_one(work, next(d for d in _databases() if d["id"] == args.db)),
                  "dedup": lambda: step_dedup(work, args.jobs),
                  "rank": lambda: step_rank(work), "retrain": lambda: step_retrain(work, args.batch),
                  "rerun": lambda: step_rerun(work, args.batch)}[args.step]()
        print(json.dumps(result))
        return

    runs = []
    for n in [args.records, *args.also]:
        runs.append(run_size(args, n))
    first = runs[0]
    body = render(args, first["gen"], first["imports"], first["dedup"], first["score"], first["rank"],
                  first["retrain"], first["rerun"], runs)
    if not args.no_write:
        write_section("scale-100k", body)
    print(body)


if __name__ == "__main__":
    main()
