"""The demo's citation network, and the OpenAlex responses citation searching gets, frozen as snapshots.

The snapshots are written for the studies people actually included (any report can be, through
screening errors), once they have been; the workflow then replays them like a team's own. Reports
cite documents the databases also found
(duplicates for the pipeline to recognise) and documents only citations lead to: older background
literature (before the protocol's years), reviews, unrelated work, newer citing papers, and a few
near misses that reach full text and are excluded there.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from reviewflow.demo.corpus import Builder, Doc
from reviewflow.demo.formats import issn, stable_int
from reviewflow.demo.snapshots import finish, new_snapshot
from reviewflow.fsio import dumps_json, regenerable, write_csv
from reviewflow.records import normalise_doi
from reviewflow.sources.citations import BATCH, METHOD, OpenAlexCitations, seed_path
from reviewflow.sources.http import Response

CHASE_DATE = "2022-11-15T10:00:00Z"  # after screening: citation searching starts from the included studies
CITED = "cited_"                     # kind prefix of documents that only citations lead to
LANG2 = {"eng": "en", "ger": "de", "deu": "de", "spa": "es", "fre": "fr", "fra": "fr", "por": "pt",
         "dut": "nl", "nld": "nl", "ita": "it", "swe": "sv", "nor": "no", "dan": "da", "chi": "zh", "jpn": "ja"}
OA_TYPE = {"journal-article": "article", "review": "review", "editorial": "editorial", "commentary": "article",
           "erratum": "erratum", "conference-abstract": "article"}
# Documents only citations lead to, by kind: how many, and the years they come from.
POOL = {"old": 90, "background": 110, "review": 14, "newer": 45}
NEAR_MISSES = (("population", "X4_population"), ("setting", "X5_setting"), ("design", "X6_design"))


def openalex_id(doc: Doc) -> str:
    return f"W{stable_int('openalex:' + doc.doc_id, 10)}"


def cited_documents(b: Builder, seed: int) -> list[Doc]:
    """Documents outside every database export, reachable only through citations (ids C0001...)."""
    rng = random.Random(f"{seed}:cited-corpus")
    before = len(b.docs)
    for _ in range(POOL["old"]):
        title, abstract, ctx = b.irrelevant_text()
        b.add("old", title, abstract, rng.randint(1985, 1999), auto_rule="year", ctx=ctx, year_shift_ok=False)
    for _ in range(POOL["background"]):
        b.irrelevant()
    for _ in range(POOL["review"]):
        b.secondary("review")
    for _ in range(POOL["newer"]):
        title, abstract, ctx = b.irrelevant_text()
        b.add("newer", title, abstract, rng.choice((2023, 2024)), auto_rule="year", ctx=ctx, year_shift_ok=False)
    for nm_type, reason in NEAR_MISSES:
        b.near_miss(nm_type, True, reason)
    docs = b.docs[before:]
    for n, doc in enumerate(docs, start=1):
        doc.doc_id = f"C{n:04d}"
        doc.kind = CITED + doc.kind
    return docs


def citation_links(doc: Doc, docs: list[Doc], cited: list[Doc], seed: int) -> tuple[list[Doc], list[Doc]]:
    """The documents `doc` cites, and those citing it (seeded by the document: the same every time)."""
    rng = random.Random(f"{seed}:citations:{doc.doc_id}")
    in_field = [d for d in docs if d.kind != "irrelevant" and not d.kind.startswith(("other_language", "erratum"))
                and d is not doc]
    older = [d for d in cited if d.kind != CITED + "newer" and d.year <= doc.year]
    misses = [d for d in older if d.kind.startswith(CITED + "near_miss")]
    field_before = [d for d in in_field if d.year < doc.year]
    field_after = [d for d in in_field if d.year > doc.year]
    refs = rng.sample(field_before, min(len(field_before), rng.randint(3, 8)))
    refs += rng.sample(older, min(len(older), rng.randint(12, 24)))
    # The near misses are cited widely enough that the included studies lead to them.
    refs += [m for m in misses if rng.random() < 0.3 and m not in refs]
    citing = rng.sample([d for d in cited if d.kind == CITED + "newer"], rng.randint(0, 5))
    citing += rng.sample(field_after, min(len(field_after), rng.randint(0, 3)))
    return sorted(refs, key=openalex_id), sorted(citing, key=openalex_id)


def _inverted(text: str) -> dict[str, list[int]] | None:
    index: dict[str, list[int]] = {}
    for i, word in enumerate(text.split()):
        index.setdefault(word, []).append(i)
    return index or None


def work(doc: Doc, refs: list[Doc], cited_by: int) -> dict[str, Any]:
    """An OpenAlex Work object for a document (the fields OpenAlex returns, in its layout)."""
    wid = openalex_id(doc)
    doi = f"https://doi.org/{doc.doi}" if doc.doi else None
    first, last = pages_of(doc)
    source = {"id": f"https://openalex.org/S{stable_int(doc.journal.name, 10)}", "display_name": doc.journal.name,
              "issn_l": issn(doc.journal.name), "issn": [issn(doc.journal.name)], "is_oa": False,
              "type": "journal"}
    authors = []
    for i, (family, given) in enumerate(doc.authors):
        position = "first" if i == 0 else "last" if i == len(doc.authors) - 1 else "middle"
        authors.append({"author_position": position,
                        "author": {"id": f"https://openalex.org/A{stable_int(family + given, 10)}",
                                   "display_name": f"{given} {family}", "orcid": None},
                        "institutions": [], "countries": [], "is_corresponding": i == 0,
                        "raw_author_name": f"{given} {family}", "raw_affiliation_strings": []})
    ids = {"openalex": f"https://openalex.org/{wid}"}
    if doi:
        ids["doi"] = doi
    if doc.pmid:
        ids["pmid"] = f"https://pubmed.ncbi.nlm.nih.gov/{doc.pmid}"
    return {
        "id": f"https://openalex.org/{wid}", "doi": doi, "title": doc.title, "display_name": doc.title,
        "publication_year": doc.year, "publication_date": f"{doc.year}-{doc.month:02d}-01", "ids": ids,
        "language": LANG2.get(doc.language[1], doc.language[1][:2]), "type": OA_TYPE[doc.pub_type],
        "type_crossref": "proceedings-article" if doc.pub_type == "conference-abstract" else "journal-article",
        "primary_location": {"is_oa": False, "landing_page_url": doi, "pdf_url": None, "source": source,
                             "license": None, "version": None},
        "authorships": authors, "cited_by_count": cited_by,
        "biblio": {"volume": doc.volume or None, "issue": doc.issue or None, "first_page": first, "last_page": last},
        "referenced_works_count": len(refs),
        "referenced_works": [f"https://openalex.org/{openalex_id(r)}" for r in refs],
        "abstract_inverted_index": _inverted(doc.abstract), "updated_date": "2022-11-01T00:00:00.000000",
        "created_date": f"{max(doc.year, 2016)}-06-24",
    }


def pages_of(doc: Doc) -> tuple[str | None, str | None]:
    if doc.pages:
        return str(doc.pages[0]), str(doc.pages[1])
    return (doc.article_no or None), None


def _list_page(works: list[str]) -> bytes:
    """A /works list page, compact as the API sends it (works already serialised)."""
    meta = {"count": len(works), "db_response_time_ms": 24, "page": None, "per_page": 200,
            "next_cursor": None, "groups_count": None}
    return ('{"meta":' + json.dumps(meta, separators=(",", ":")) + ',"results":[' + ",".join(works)
            + '],"group_by":[]}').encode()


def write_citation_snapshots(docs: list[Doc], cited: list[Doc], seed: int, root: Path, seeds: list[str],
                             direction: str = "both") -> list[tuple[str, int, str]]:
    """One snapshot per seed (a DOI of an included report); (page file, index, doc id) per work returned."""
    by_doi = {normalise_doi(d.doi): d for d in docs if d.doi}
    serialised: dict[str, str] = {}
    known: dict[str, tuple[list[Doc], list[Doc]]] = {}

    def links_of(d: Doc) -> tuple[list[Doc], list[Doc]]:
        # A seed can also be a work another seed cites: its links are drawn once (each draw scans the corpus).
        if d.doc_id not in known:
            known[d.doc_id] = citation_links(d, docs, cited, seed)
        return known[d.doc_id]

    def as_json(d: Doc) -> str:
        if d.doc_id not in serialised:
            refs = links_of(d)[0] if d.doc_id.startswith("D") else []
            w = work(d, refs, stable_int("cited-by:" + d.doc_id, 3) % 60)
            serialised[d.doc_id] = json.dumps(w, ensure_ascii=False, separators=(",", ":"))
        return serialised[d.doc_id]

    truth = []
    for ident in seeds:
        doc = by_doi.get(normalise_doi(ident))
        if doc is None:
            continue  # not a work of the demo's world: the workflow says which seed has no snapshot
        refs, citing = links_of(doc)
        seed_key = seed_path(doc.doi)
        source = OpenAlexCitations([doc.doi], direction=direction)
        snap = new_snapshot(root, METHOD, source.spec(), source.base_url, when=CHASE_DATE)
        base = source.base_url
        wid = openalex_id(doc)
        me = work(doc, refs, len(citing))
        snap.add_page("seed", "json", Response(f"{base}/works/{seed_key}", 200, "application/json",
                                               dumps_json(me).encode()), 1, seed=seed_key)
        st = snap.state["progress"]
        st["seeds"] = {seed_key: {"found": True, "id": wid, "references": [openalex_id(r) for r in refs]}}
        tasks = []
        if direction in ("backward", "both"):
            for i in range(0, len(refs), BATCH):
                chunk = refs[i:i + BATCH]
                tasks.append(({"id": f"backward-{i // BATCH + 1}", "method": "backward",
                               "filter": "openalex_id:" + "|".join(openalex_id(r) for r in chunk)}, chunk))
        if direction in ("forward", "both"):
            tasks.append(({"id": f"forward-{wid}", "method": "forward", "filter": f"cites:{wid}"}, citing))
        st["tasks"] = []
        reported = 0
        for task, members in tasks:
            works = [as_json(d) for d in members]
            url = f"{base}/works?" + urlencode({"filter": task["filter"], "per-page": 200, "cursor": "*"})
            page = snap.add_page("page", "json", Response(url, 200, "application/json", _list_page(works)),
                                 len(works), task=task["id"], cursor="*", next_cursor=None, reported=len(works))
            task["state"] = {"reported": len(works), "next_cursor": None, "retrieved": len(works), "done": True,
                             **({"smallest_page": len(works)} if works else {})}
            st["tasks"].append(task)
            reported += len(works)
            rel = str(snap.dir.relative_to(root.parent) / page["file"])
            truth += [(rel, i, d.doc_id) for i, d in enumerate(members)]
        snap.state["reported"] = reported
        finish(snap, source, METHOD, reported)
    return truth


def write_demo_citations(config: dict, unique: Path, full_text: Path, snapshots: Path, truth_csv: Path) -> None:
    """The demo's OpenAlex, answering citation searching for the studies people included: one snapshot
    per included report, and the truth behind every work it returns (for the simulated people)."""
    from reviewflow.citations.chase import seeds_of_included
    from reviewflow.demo.generator import world

    seed, _, _, _, docs, builder = world(config)
    cited = cited_documents(builder, seed)
    seeds, _ = seeds_of_included(unique, full_text)
    shutil.rmtree(snapshots / METHOD, ignore_errors=True)
    with regenerable():
        rows = write_citation_snapshots(docs, cited, seed, snapshots, seeds,
                                        (config.get("citation_chasing") or {}).get("direction", "both"))
        write_csv(truth_csv, ["source", "file", "index", "doc_id"],
                  [{"source": METHOD, "file": f, "index": i, "doc_id": d} for f, i, d in rows])
