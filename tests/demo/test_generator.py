"""Tests of the demo review generator: determinism, exact counts, truth consistency, full texts."""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
try:
    import reviewflow  # noqa: F401
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT / "src"))

from reviewflow.demo.findings import all_bank_texts  # noqa: E402
from reviewflow.demo.generator import generate  # noqa: E402

# The protocol's 15 databases (peer_work_protocol.yaml, information_sources) and the full-scale
# demo_prisma_shape, kept here as data so the test does not read ../shared.
FULL_DATABASES = [
    ("pubmed", "PubMed (MEDLINE)", "NLM PubMed", "nbib", 812),
    ("embase", "Embase", "Ovid", "ris", 1104),
    ("psycinfo", "APA PsycInfo", "Ovid", "ris", 596),
    ("cinahl", "CINAHL Complete", "EBSCOhost", "ris", 655),
    ("socindex", "SocINDEX with Full Text", "EBSCOhost", "ris", 318),
    ("swab", "Social Work Abstracts", "EBSCOhost", "ris", 97),
    ("asc", "Academic Search Complete", "EBSCOhost", "ris", 702),
    ("pbsc", "Psychology and Behavioral Sciences Collection", "EBSCOhost", "ris", 164),
    ("cja", "Criminal Justice Abstracts", "EBSCOhost", "ris", 121),
    ("scopus", "Scopus", "Elsevier", "scopus_csv", 1311),
    ("wos", "Web of Science Core Collection", "Clarivate", "wos_plaintext", 986),
    ("socabs", "Sociological Abstracts", "ProQuest", "ris", 211),
    ("ssa", "Social Services Abstracts", "ProQuest", "ris", 176),
    ("assia", "Applied Social Sciences Index and Abstracts (ASSIA)", "ProQuest", "ris", 233),
    ("ibss", "International Bibliography of the Social Sciences (IBSS)", "ProQuest", "ris", 88),
]
FULL_FT_EXCLUDED = {"X1_pubtype": 7, "X2_language": 3, "X3_secondary": 14, "X4_population": 31,
                    "X5_setting": 22, "X6_design": 27}


@pytest.fixture(scope="module")
def config() -> dict:
    with open(ROOT / "config" / "config.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def demo(config: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    generate(config, out)
    return out


@pytest.fixture(scope="module")
def full(config: dict, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, float]:
    cfg = copy.deepcopy(config)
    cfg["databases"] = [{"id": i, "name": n, "platform": p, "export": e}
                        for i, n, p, e, _ in FULL_DATABASES]
    cfg["demo"]["shape"] = {"identified": {i: c for i, *_, c in FULL_DATABASES},
                            "unique": 3940, "included": 33, "not_retrieved": 2}
    out = tmp_path_factory.mktemp("full")
    start = time.perf_counter()
    generate(cfg, out)
    return out, cfg, time.perf_counter() - start


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def findings_segments(config: dict) -> dict[str, list[str]]:
    """Each included study's finding segments as its full text prints them (paragraphs, quotes' words)."""
    from reviewflow.demo.fulltext import Quote, article
    from reviewflow.demo.generator import world

    seed, _, _, _, docs, _ = world(config)
    return {d.doc_id: [s.text if isinstance(s, Quote) else s for s in article(d, seed).segments()]
            for d in docs if d.kind == "included"}


def indicators(config: dict) -> list[str]:
    return [i for t in config["codebook"]["themes"] for s in t["subthemes"]
            for i in s["indicators"]]


def _repeated(shape: dict, db: str) -> int:
    """Records a database's overlapping batch exports hold twice (demo.shape.batch_exports)."""
    batch = (shape.get("batch_exports") or {}).get(db)
    if batch is None:
        return 0
    files = -(-shape["identified"][db] // batch["size"])
    return batch["overlap"] * (files - 1)


def check_consistency(root: Path, cfg: dict) -> None:
    """Shared checks: exact per-database counts and a truth that agrees with the exports."""
    shape = cfg["demo"]["shape"]
    # The databases' branch; citation searching's records and documents are checked on their own.
    records = [r for r in read_rows(root / "truth" / "records.csv") if r["source"] != "citation_searching"]
    docs = {d["doc_id"]: d for d in read_rows(root / "truth" / "documents.csv") if not d["kind"].startswith("cited_")}
    per_db = Counter(r["source"] for r in records)
    assert dict(per_db) == shape["identified"]
    for db in cfg["databases"]:
        rows = [r for r in records if r["source"] == db["id"]]
        # Positions within each file (an export, or a snapshot page of an API search) run 0..n-1.
        for file in {r["file"] for r in rows}:
            in_file = [r for r in rows if r["file"] == file]
            assert sorted(int(r["index"]) for r in in_file) == list(range(len(in_file)))
            assert (root / file).is_file()
        # A document is in a database once, but for the records its overlapping batch exports repeat.
        repeated = len(rows) - len({r["doc_id"] for r in rows})
        assert repeated == _repeated(shape, db["id"]), db["id"]
    assert set(docs) == {r["doc_id"] for r in records}
    assert len(docs) == shape["unique"]
    kinds = Counter(d["kind"] for d in docs.values())
    assert kinds["included"] == shape["included"]
    assert sum(d["ft_decision"] == "include" for d in docs.values()) == shape["included"]
    assert sum(d["retrievable"] == "0" for d in docs.values()) == shape["not_retrieved"]
    summary = json.loads((root / "truth" / "summary.json").read_text(encoding="utf-8"))
    total = sum(shape["identified"].values())
    assert summary["duplicates_removed"] == total - shape["unique"]
    assert total == (summary["duplicates_removed"] + summary["automation_excluded"]
                     + summary["other_removed"] + summary["screened"])
    assert summary["screened"] == summary["screen_excluded"] + summary["sought"]
    assert summary["sought"] == summary["not_retrieved"] + summary["assessed"]
    assert summary["assessed"] - sum(summary["fulltext_excluded"].values()) == shape["included"]
    auto = Counter(d["auto_rule"] for d in docs.values() if d["auto_rule"])
    assert dict(auto) == {k: v for k, v in summary["automation_excluded_by_rule"].items() if v}
    reached = {d["doc_id"] for d in docs.values() if d["ta_include"] == "1"
               and not d["auto_rule"] and d["retrievable"] == "1"}
    cited_reached = {d["doc_id"] for d in read_rows(root / "truth" / "documents.csv")
                     if d["kind"].startswith("cited_") and d["ta_include"] == "1" and not d["auto_rule"]}
    assert sorted(p.stem for p in (root / "fulltext").iterdir()) == sorted(reached | cited_reached)
    assert len(reached) == summary["assessed"]
    excluded = Counter(d["ft_reason"] for d in docs.values() if d["ft_decision"] == "exclude")
    assert dict(excluded) == {k: v for k, v in summary["fulltext_excluded"].items() if v}


def test_deterministic(config: dict, demo: Path, tmp_path: Path) -> None:
    generate(config, tmp_path / "again")
    assert tree_digest(tmp_path / "again") == tree_digest(demo)


def test_seed_changes_output(config: dict, demo: Path, tmp_path: Path) -> None:
    cfg = copy.deepcopy(config)
    cfg["demo"]["seed"] = config["demo"]["seed"] + 1
    generate(cfg, tmp_path / "other")
    assert tree_digest(tmp_path / "other") != tree_digest(demo)


def test_small_shape_counts_and_truth(config: dict, demo: Path) -> None:
    check_consistency(demo, config)


def test_layout(config: dict, demo: Path) -> None:
    ext = {"nbib": "nbib", "ris": "ris", "scopus_csv": "csv", "wos_plaintext": "txt"}
    batched = config["demo"]["shape"].get("batch_exports") or {}
    for db in config["databases"]:
        if "export" in db and db["id"] not in batched:
            assert (demo / "exports" / db["id"] / f"{db['id']}.{ext[db['export']]}").is_file()
    for name in ("records.csv", "documents.csv", "findings.csv", "summary.json"):
        assert (demo / "truth" / name).is_file()
    scopus = (demo / "exports" / "scopus" / "scopus.csv").read_bytes()
    assert scopus.startswith(b"\xef\xbb\xbf\"Authors\",\"Author full names\"")
    wos = (demo / "exports" / "wos" / "wos_1-500.txt").read_text(encoding="utf-8")
    assert wos.startswith("FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\n")
    assert wos.endswith("ER\n\nEF\n")
    ovid = (demo / "exports" / "psycinfo" / "psycinfo.ris").read_bytes()
    assert ovid.startswith(b"1. \r\nTY  - JOUR\r\n")



def test_citation_snapshots_replay_to_the_truth(config: dict, demo: Path, tmp_path: Path) -> None:
    """The demo's OpenAlex answers citation searching for included studies; each snapshot replays offline."""
    from reviewflow.demo.citations import cited_documents, write_citation_snapshots
    from reviewflow.demo.generator import world
    from reviewflow.sources.citations import OpenAlexCitations
    from reviewflow.sources.search import run_search

    seed, _, _, _, docs, builder = world(config)
    cited = cited_documents(builder, seed)
    truth_docs = {d["doc_id"]: d for d in read_rows(demo / "truth" / "documents.csv")}
    # Documents only citations lead to are in the truth, marked, and in no database's export.
    assert {d.doc_id for d in cited} == {k for k in truth_docs if k.startswith("C")}
    assert all(truth_docs[d.doc_id]["kind"].startswith("cited_") for d in cited)
    exported = {r["doc_id"] for r in read_rows(demo / "truth" / "records.csv")}
    assert not exported & {d.doc_id for d in cited}
    included = [d for d in docs if d.ft_decision == "include"][:4]
    seeds = [d.doi.upper() for d in included]  # as a database may print them
    rows = write_citation_snapshots(docs, cited, seed, tmp_path, seeds)
    truth = {f"{'/'.join(Path(f).parts[-2:])}#{i}": d for f, i, d in rows}
    checked = 0
    for doc in included:
        result = run_search(OpenAlexCitations([doc.doi]), tmp_path, database_id="citation_searching", offline=True)
        assert result.mode == "replay" and result.reported == result.retrieved > 0
        assert result.log["searched_at"] == "2022-11-15T10:00:00Z"
        for rec in result.records:
            found = truth_docs[truth[f"{'/'.join(Path(rec.provenance.file).parts[-2:])}#{rec.provenance.index}"]]
            assert rec.title == found["title"] and rec.year == int(found["year"])
            how = rec.raw["reviewflow:citation"][0]
            assert how.startswith("backward") == (int(found["year"]) <= doc.year)
            checked += 1
    assert checked > 40
    # The same world every time: the snapshots are byte-identical when written again.
    again = tmp_path / "again"
    write_citation_snapshots(docs, cited, seed, again, seeds)
    assert tree_digest(again / "citation_searching") == tree_digest(tmp_path / "citation_searching")


def test_nbib_layout(full: tuple[Path, dict, float]) -> None:
    nbib = (full[0] / "exports" / "pubmed" / "pubmed.nbib").read_text(encoding="utf-8")
    assert nbib.startswith("PMID- ") and "\n      " in nbib and "\nFAU - " in nbib


def test_pubmed_snapshot_replays_offline_to_the_truth(config: dict, demo: Path) -> None:
    """The demo's PubMed search is a snapshot in E-utilities' formats that the real client replays."""
    from reviewflow.sources import make_source
    from reviewflow.sources.search import run_search

    db = next(d for d in config["databases"] if d["id"] == "pubmed")
    result = run_search(make_source("pubmed", db["search"]["query"]), demo / "snapshots", database_id="pubmed",
                        offline=True)
    assert result.mode == "replay"
    assert result.reported == result.retrieved == config["demo"]["shape"]["identified"]["pubmed"]
    assert result.log["searched_at"] == "2022-09-01T09:30:00Z"
    assert result.snapshot.state["generated_by"].startswith("reviewflow demo generator")
    pages = [p for p in result.snapshot.pages if p["kind"] == "efetch"]
    assert [p["records"] for p in pages] == [500, 312]  # efetch batches of 500
    first = result.snapshot.read(pages[0]).decode()
    assert first.startswith('<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet')
    docs = {d["doc_id"]: d for d in read_rows(demo / "truth" / "documents.csv")}
    truth = {(Path(r["file"]).name, int(r["index"])): r["doc_id"]
             for r in read_rows(demo / "truth" / "records.csv") if r["source"] == "pubmed"}
    assert len(truth) == len(result.records)
    for rec in result.records:
        doc = docs[truth[(Path(rec.provenance.file).name, rec.provenance.index)]]
        assert rec.pmid and rec.year == int(doc["year"])


def test_traps_present(demo: Path) -> None:
    docs = read_rows(demo / "truth" / "documents.csv")
    by_study = {d["study_id"]: d for d in docs if d["kind"] == "included"}
    errata = [d for d in docs if d["kind"] == "erratum"]
    confs = [d for d in docs if d["kind"] == "conference_abstract" and d["study_id"]]
    assert errata and confs
    for d in errata:
        assert by_study[d["study_id"]]["title"] in d["title"]
        assert d["auto_rule"] == "publication_type"
    for d in confs:
        assert d["title"] == by_study[d["study_id"]]["title"]
        assert d["ft_reason"] == "X1_pubtype"
    assert any(d["auto_rule"] == "year" for d in docs)
    assert any(d["auto_rule"] == "language" and d["language"] != "English" for d in docs)


def test_full_texts_structure_and_findings_truth(config: dict, demo: Path) -> None:
    """Each report is in the library in its form (tests/demo/test_fulltext_layouts.py checks the forms), and the
    truth numbers each included study's finding segments as its article holds them."""
    from reviewflow.demo.citations import cited_documents
    from reviewflow.demo.fulltext import EXTENSIONS, article, fulltext_format
    from reviewflow.demo.generator import world

    docs = {d["doc_id"]: d for d in read_rows(demo / "truth" / "documents.csv")}
    truth: dict[str, list[dict]] = {}
    for row in read_rows(demo / "truth" / "findings.csv"):
        truth.setdefault(row["doc_id"], []).append(row)
    codes = {s["id"] for t in config["codebook"]["themes"] for s in t["subthemes"]}
    seed, _, _, _, made, builder = world(config)
    made = {d.doc_id: d for d in made + cited_documents(builder, seed)}
    for path in sorted((demo / "fulltext").iterdir()):
        assert path.suffix == EXTENSIONS[fulltext_format(seed, path.stem)]
        art = article(made[path.stem], seed)
        assert art.title == docs[path.stem]["title"]
        roles = [s.role for s in art.sections]
        intro = ["intro"] if docs[path.stem]["kind"] == "included" else []
        assert roles[:len(intro) + 3] == [*intro, "methods", "results", "discussion"]
        segments = art.segments()
        assert segments
        if docs[path.stem]["kind"] == "included":
            rows = truth[path.stem]
            assert [int(r["segment"]) for r in rows] == list(range(1, len(segments) + 1))
            used = {c for r in rows for c in r["codes"].split(";") if c}
            assert used <= codes and len(used) >= 5
        else:
            assert path.stem not in truth
    assert set(truth) == {d for d, row in docs.items() if row["kind"] == "included"}


def test_findings_avoid_codebook_indicators(config: dict, demo: Path) -> None:
    patterns = [(i, re.compile(r"\b" + re.escape(i.lower()) + r"\b")) for i in indicators(config)]
    texts = list(all_bank_texts())
    # The coded findings are those of included studies (truth/findings.csv); near misses'
    # full texts may use everyday words such as 'engagement' in their quantitative results.
    coded = {line.split(",")[0] for line in (demo / "truth" / "findings.csv").read_text().splitlines()[1:]}
    segments = findings_segments(config)
    for doc_id in sorted(coded):
        texts += segments[doc_id]
    hits = [(i, t) for t in texts for i, p in patterns if p.search(t.lower())]
    assert hits == []


def test_exports_read_back(config: dict, demo: Path) -> None:
    from reviewflow.io import read_export

    got: Counter[str] = Counter()
    for path in sorted((demo / "exports").rglob("*.*")):
        result = read_export(path, path.parent.name)
        got[path.parent.name] += len(result.records)
        assert not result.rejects, path
    assert {**got} == {db: n for db, n in config["demo"]["shape"]["identified"].items()
                       if (demo / "exports" / db).is_dir()}


def test_a_database_exported_in_overlapping_batches(config: dict, demo: Path) -> None:
    """Web of Science's 986 records in two files of at most 500, the second repeating the first's last 3
    records byte for byte (a range typed from where the last one ended), as a team exports by hand."""
    from reviewflow.io import read_export

    assert config["demo"]["shape"]["batch_exports"] == {"wos": {"size": 500, "overlap": 3}}
    files = sorted((demo / "exports" / "wos").iterdir())
    assert [p.name for p in files] == ["wos_1-500.txt", "wos_498-983.txt"]
    first, second = (read_export(p, "wos").records for p in files)
    assert (len(first), len(second)) == (500, 486)
    accession = [[r.raw["UT"][0] for r in records] for records in (first, second)]
    assert accession[0][-3:] == accession[1][:3] and len(set(accession[0]) & set(accession[1])) == 3
    assert [r.raw for r in first[-3:]] == [r.raw for r in second[:3]]
    rows = list(csv.DictReader((demo / "truth" / "records.csv").open(encoding="utf-8")))
    wos = [r["doc_id"] for r in rows if r["source"] == "wos"]
    assert len(wos) == 986 and len(set(wos)) == 983


def test_full_shape(full: tuple[Path, dict, float]) -> None:
    root, cfg, _seconds = full
    check_consistency(root, cfg)
    summary = json.loads((root / "truth" / "summary.json").read_text(encoding="utf-8"))
    assert summary["identified_total"] == 7574
    assert summary["duplicates_removed"] == 3634
    assert summary["sought"] == 139 and summary["assessed"] == 137
    assert {k: v for k, v in summary["fulltext_excluded"].items() if v} == FULL_FT_EXCLUDED
    assert summary["included"] == 33


def test_bad_shape_is_a_config_error(config: dict, tmp_path: Path) -> None:
    from reviewflow.errors import ConfigError

    cfg = copy.deepcopy(config)
    cfg["demo"]["shape"]["unique"] = 10_000
    with pytest.raises(ConfigError):
        generate(cfg, tmp_path / "bad")
