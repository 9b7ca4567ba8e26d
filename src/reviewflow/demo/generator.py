"""Generate the demo review's inputs: database exports, full texts and the truth behind them.

`generate(config, out_dir)` writes, deterministically for a given config:
  exports/<db_id>/<db_id>.<ext>   one export per database, in its real format and dialect; a database
                                  exported in overlapping batches (demo.shape.batch_exports) has one file
                                  per batch, <db_id>_<first>-<last>.<ext>, repeating each range's boundary
  snapshots/<db_id>/<search id>/  for a database searched through its API: the responses, frozen
  fulltext/<doc_id>.<ext>         reports of documents that reach full-text assessment, as journals deliver
                                  them: .pdf (two-column journal PDF), .xml (JATS), .docx or .txt (see fulltext)
  truth/records.csv, documents.csv, findings.csv, summary.json
The truth folder is for simulated reviewers and the accuracy report only, never the pipeline.
"""

from __future__ import annotations

import random
from pathlib import Path

from reviewflow.demo.assign import assign
from reviewflow.demo.citations import cited_documents
from reviewflow.demo.corpus import Builder, Doc, build_corpus
from reviewflow.demo.formats import ACCESSION, EXTENSIONS, WRITERS, family_of
from reviewflow.demo.fulltext import fulltext_file
from reviewflow.demo.plan import Plan, make_plan
from reviewflow.demo.snapshots import write_search_snapshot
from reviewflow.demo.variants import Copy, make_copy
from reviewflow.errors import ConfigError
from reviewflow.fsio import atomic_write_bytes, regenerable, write_csv, write_json

DOCUMENT_FIELDS = ["doc_id", "study_id", "kind", "title", "year", "language", "publication_type",
                   "auto_rule", "ta_include", "ft_decision", "ft_reason", "retrievable"]


def _databases(config: dict) -> list[dict]:
    dbs = config.get("databases") or []
    for db in dbs:
        if "id" not in db or ("export" not in db) == ("search" not in db):
            raise ConfigError(f"databases: entry {db!r} needs an id and either an export or a search")
        if "export" in db and db["export"] not in EXTENSIONS:
            raise ConfigError(f"databases: {db['id']}: unknown export format {db['export']!r}")
    return sorted(dbs, key=lambda d: str(d["id"]))


def export_path(db: dict, batch: tuple[int, int] | None = None) -> str:
    """Path of a database's export, relative to the demo folder; a `batch` (the [start, end) range of
    one of several exports by hand) is named for the records it holds, as people name such files."""
    span = "" if batch is None else f"_{batch[0] + 1}-{batch[1]}"
    return f"exports/{db['id']}/{db['id']}{span}.{EXTENSIONS[db['export']]}"


def export_files(config: dict, plan: Plan | None = None) -> dict[str, list[str]]:
    """Each exported database's files, relative to the demo folder, in export order (`plan`: the
    config's, if already made)."""
    plan = plan or make_plan(config)
    out = {}
    for db in _databases(config):
        if "export" in db:
            ranges = plan.batch_ranges(str(db["id"]))
            out[str(db["id"])] = [export_path(db, r if len(ranges) > 1 else None) for r in ranges]
    return out


def _accession(family: str, db_id: str, doc: Doc, rng: random.Random, used: set[str]) -> str:
    """A database's own record key, unique within its export."""
    if family == "pubmed":
        return doc.pmid
    prefix, digits = ACCESSION[family]
    while True:
        if family == "ovid" and db_id == "psycinfo":
            acc = f"{doc.year}-{rng.randint(10000, 99999)}-{rng.randint(1, 12):03d}"
        else:
            acc = prefix + str(rng.randint(10 ** (digits - 1), 10 ** digits - 1))
        if acc not in used:
            used.add(acc)
            return acc


def summary(plan: Plan, config: dict) -> dict:
    """The intended PRISMA counts (keys as in results/prisma/counts.json, plus a few)."""
    auto = plan.auto_excluded
    screened = plan.unique - sum(auto.values())
    codes = [r["code"] for r in config.get("full_text_exclusion_reasons", [])]
    ft = {c: plan.ft_excluded.get(c, 0) for c in codes}
    assessed = plan.sought - plan.not_retrieved
    return {
        "identified": dict(sorted(plan.identified.items())),
        "identified_total": sum(plan.identified.values()),
        "unique": plan.unique,
        "duplicates_removed": sum(plan.identified.values()) - plan.unique,
        "automation_excluded": sum(auto.values()),
        "automation_excluded_by_rule": auto,
        "other_removed": 0,
        "screened": screened,
        "screen_excluded": screened - plan.sought,
        "sought": plan.sought,
        "not_retrieved": plan.not_retrieved,
        "assessed": assessed,
        "fulltext_excluded": ft,
        "included": plan.included,
        "reports_included": plan.included,
    }


def generate(config: dict, out_dir: Path) -> None:
    """Write the demo review for `config` under `out_dir` (byte-identical for the same config)."""
    generate_inputs(config, out_dir)
    generate_fulltexts(config, out_dir)


def generate_inputs(config: dict, out_dir: Path) -> None:
    """Everything of `generate` but the full texts: the exports, the search snapshots and the truth tables."""
    with regenerable():  # made again from the config at will: no fsync for each of its files
        _generate(config, out_dir)


def generate_fulltexts(config: dict, out_dir: Path) -> None:
    """The full texts of every document that reaches full-text screening (`fulltext/`) and the true codes of
    their findings (`truth/findings.csv`). Apart from `generate_inputs` so that the workflow writes them in a
    process of their own beside the first stages, which need none of them."""
    out_dir = Path(out_dir)
    with regenerable():
        seed, _dbs, _plan, _families, docs, builder = world(config)
        docs = _with_cited(config, docs, builder, seed)
        finding_rows = []
        for doc in docs:
            if doc.reaches_full_text:
                ext, data, truth = fulltext_file(doc, seed)
                atomic_write_bytes(out_dir / "fulltext" / f"{doc.doc_id}{ext}", data)
                finding_rows += [{"doc_id": doc.doc_id, "segment": n, "codes": ";".join(codes)}
                                 for n, codes in truth]
        write_csv(out_dir / "truth" / "findings.csv", ["doc_id", "segment", "codes"],
                  sorted(finding_rows, key=lambda r: (r["doc_id"], r["segment"])))


def _with_cited(config: dict, docs: list[Doc], builder: Builder, seed: int) -> list[Doc]:
    """`docs` and, with citation searching on, the documents only it finds (their snapshots come once people
    have included studies)."""
    if (config.get("citation_chasing") or {}).get("enabled"):
        return docs + cited_documents(builder, seed)
    return docs


def world(config: dict) -> tuple[int, list[dict], Plan, dict[str, str], list[Doc], Builder]:
    """The demo's documents for `config` (the same every time), and the builder that made them."""
    try:
        seed = int(config["demo"]["seed"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError("demo.seed must be an integer") from exc
    dbs = _databases(config)
    plan = make_plan(config)
    families = {str(db["id"]): family_of(db.get("export") or db["search"]["source"], str(db.get("platform", "")))
                for db in dbs}
    docs, builder = build_corpus(plan, seed, families)
    return seed, dbs, plan, families, docs, builder


def _generate(config: dict, out_dir: Path) -> None:
    out_dir = Path(out_dir)
    seed, dbs, plan, families, docs, builder = world(config)
    placed = assign(docs, plan.placed(), families, seed)
    files = export_files(config, plan)

    record_rows = []
    (out_dir / "snapshots").mkdir(parents=True, exist_ok=True)
    for db in dbs:
        db_id = str(db["id"])
        rng = random.Random(f"{seed}:accession:{db_id}")
        used: set[str] = set()
        copies: list[Copy] = []
        for doc in placed[db_id]:
            acc = _accession(families[db_id], db_id, doc, rng, used)
            copies.append(make_copy(doc, db_id, families[db_id], acc, seed))
        if "search" in db:
            record_rows += [{"source": db_id, "file": f, "index": i, "doc_id": d}
                            for f, i, d in write_search_snapshot(db, copies, out_dir / "snapshots")]
            continue
        ranges = plan.batch_ranges(db_id)
        for (start, end), rel in zip(ranges, files[db_id], strict=True):   # batches repeat records byte for byte
            atomic_write_bytes(out_dir / rel, WRITERS[families[db_id]](copies[start:end], db))
            record_rows += [{"source": db_id, "file": rel, "index": i, "doc_id": c.doc.doc_id}
                            for i, c in enumerate(copies[start:end])]

    docs = _with_cited(config, docs, builder, seed)

    truth_dir = out_dir / "truth"
    write_csv(truth_dir / "records.csv", ["source", "file", "index", "doc_id"],
              sorted(record_rows, key=lambda r: (r["source"], r["file"], r["index"])))
    write_csv(truth_dir / "documents.csv", DOCUMENT_FIELDS, [
        {"doc_id": d.doc_id, "study_id": d.study_id, "kind": d.kind, "title": d.title,
         "year": d.year, "language": d.language[0], "publication_type": d.pub_type,
         "auto_rule": d.auto_rule, "ta_include": d.ta_include, "ft_decision": d.ft_decision,
         "ft_reason": d.ft_reason, "retrievable": d.retrievable} for d in docs])
    write_json(truth_dir / "summary.json", summary(plan, config))
