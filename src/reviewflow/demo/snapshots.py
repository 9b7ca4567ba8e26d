"""The demo's API searches, frozen: the responses PubMed's E-utilities would have sent, as snapshots.

The workflow replays these exactly as it replays a team's own live searches (sources.search.run_search);
the state says they were generated, and their times are the demo's fixed search date.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlencode
from xml.etree.ElementTree import Element, SubElement, tostring

from reviewflow.demo.formats import (
    MONTHS,
    PUBMED_PT,
    initials,
    issn,
    medline_pages,
    pages,
    publisher,
    stable_int,
    with_period,
)
from reviewflow.demo.variants import Copy
from reviewflow.errors import ConfigError
from reviewflow.fsio import write_json
from reviewflow.io.base import Parsed
from reviewflow.sources import make_source
from reviewflow.sources.base import Source
from reviewflow.sources.http import Response
from reviewflow.sources.search import prisma_s_log
from reviewflow.sources.snapshot import LOG, Snapshot, SnapshotStore

SEARCH_DATE = "2022-09-01T09:30:00Z"  # the demo's (synthetic) search date
GENERATED = "reviewflow demo generator: synthetic responses in the API's format, not a live search"
EFETCH_BATCH = 500
ESEARCH_DOCTYPE = ('<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
                   '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">')
EFETCH_DOCTYPE = ('<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2022//EN" '
                  '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_220101.dtd">')
PT_UI = {"Journal Article": "D016428", "Review": "D016454", "Editorial": "D016421", "Comment": "D016420",
         "Published Erratum": "D016425", "Congress": "D016423"}


def new_snapshot(root: Path, db_id: str, spec: dict, base_url: str, when: str = SEARCH_DATE) -> Snapshot:
    """An empty snapshot dated at the demo's search date (every response 'arrives' then), marked as generated."""
    snap = SnapshotStore(root, db_id).create(spec, base_url, now=when)
    snap.clock = lambda: when
    snap.autosave = False
    snap.state["generated_by"] = GENERATED
    snap.save()
    return snap


def finish(snap: Snapshot, source: Source, db_id: str, retrieved: int) -> None:
    """Mark the snapshot complete and write its PRISMA-S log now, so replaying it never writes into it."""
    snap.state["done"] = True
    snap.save()
    write_json(snap.dir / LOG, prisma_s_log(source, db_id, snap, Parsed(), retrieved))


def _xml(root: Element, doctype: str) -> bytes:
    body = tostring(root, encoding="unicode", short_empty_elements=False)
    return f'<?xml version="1.0" ?>\n{doctype}\n{body}\n'.encode()


def _text(parent: Element, tag: str, text: str, **attrs: str) -> Element:
    el = SubElement(parent, tag, attrs)
    el.text = text
    return el


def pubmed_article(copy: Copy) -> Element:
    """One <PubmedArticle> as efetch (retmode=xml) returns it."""
    doc = copy.doc
    y, m = doc.year, doc.month
    art = Element("PubmedArticle")
    mc = SubElement(art, "MedlineCitation", {"Status": "MEDLINE" if y < 2022 else "In-Process", "Owner": "NLM"})
    _text(mc, "PMID", doc.pmid, Version="1")
    if y < 2022:
        dc = SubElement(mc, "DateCompleted")
        _text(dc, "Year", str(y + 1)), _text(dc, "Month", f"{m:02d}"), _text(dc, "Day", "15")
    article = SubElement(mc, "Article", {"PubModel": "Print"})
    journal = SubElement(article, "Journal")
    _text(journal, "ISSN", issn(doc.journal.name), IssnType="Print")
    ji = SubElement(journal, "JournalIssue", {"CitedMedium": "Print"})
    _text(ji, "Volume", doc.volume)
    _text(ji, "Issue", doc.issue)
    pd = SubElement(ji, "PubDate")
    _text(pd, "Year", str(y)), _text(pd, "Month", MONTHS[m - 1])
    _text(journal, "Title", doc.journal.name)
    _text(journal, "ISOAbbreviation", doc.journal.medline)
    title = f"[{copy.title}]" if doc.language[1] != "eng" else copy.title
    _text(article, "ArticleTitle", with_period(title))
    first, last = pages(copy)
    if first:
        pg = SubElement(article, "Pagination")
        _text(pg, "StartPage", first)
        if last:
            _text(pg, "EndPage", last)
        _text(pg, "MedlinePgn", medline_pages(first, last))
    if copy.doi:
        _text(article, "ELocationID", copy.doi, EIdType="doi", ValidYN="Y")
    if copy.abstract:
        ab = SubElement(article, "Abstract")
        _text(ab, "AbstractText", copy.abstract)
        _text(ab, "CopyrightInformation", f"Copyright \u00a9 {y} {publisher(copy)} All rights reserved.")
    if copy.authors:
        al = SubElement(article, "AuthorList", {"CompleteYN": "Y"})
        for fam, given in copy.authors:
            au = SubElement(al, "Author", {"ValidYN": "Y"})
            _text(au, "LastName", fam), _text(au, "ForeName", given), _text(au, "Initials", initials(given))
    _text(article, "Language", doc.language[1])
    ptl = SubElement(article, "PublicationTypeList")
    for pt in PUBMED_PT[doc.pub_type]:
        _text(ptl, "PublicationType", pt, UI=PT_UI[pt])
    info = SubElement(mc, "MedlineJournalInfo")
    _text(info, "Country", "England" if doc.journal.stem.startswith(("j.", "s1")) else "United States")
    _text(info, "MedlineTA", doc.journal.medline)
    _text(info, "NlmUniqueID", str(stable_int(doc.journal.name, 7)))
    _text(info, "ISSNLinking", issn(doc.journal.name))
    if doc.mesh:
        ml = SubElement(mc, "MeshHeadingList")
        for mh in doc.mesh:
            heading = SubElement(ml, "MeshHeading")
            _text(heading, "DescriptorName", mh, UI=f"D{stable_int(mh, 6)}", MajorTopicYN="N")
    if doc.keywords:
        kl = SubElement(mc, "KeywordList", {"Owner": "NOTNLM"})
        for kw in doc.keywords:
            _text(kl, "Keyword", kw, MajorTopicYN="N")
    data = SubElement(art, "PubmedData")
    _text(data, "PublicationStatus", "ppublish")
    ids = SubElement(data, "ArticleIdList")
    _text(ids, "ArticleId", doc.pmid, IdType="pubmed")
    if copy.doi:
        _text(ids, "ArticleId", copy.doi, IdType="doi")
    return art


def esearch_body(count: int, pmids: list[str], webenv: str, translation: str) -> bytes:
    root = Element("eSearchResult")
    for tag, value in (("Count", count), ("RetMax", len(pmids)), ("RetStart", 0), ("QueryKey", 1),
                       ("WebEnv", webenv)):
        _text(root, tag, str(value))
    ids = SubElement(root, "IdList")
    for p in pmids:
        _text(ids, "Id", p)
    SubElement(root, "TranslationSet")
    _text(root, "QueryTranslation", translation)
    return _xml(root, ESEARCH_DOCTYPE)


def write_pubmed_snapshot(db: dict, copies: list[Copy], root: Path) -> list[tuple[str, int, str]]:
    """Snapshot of the PubMed search for `db` returning `copies`; (page file, index, doc id) per record.

    The URLs are those our PubMed client sends (esearch with usehistory, then efetch in batches of 500);
    PubMed returns ids newest first, so the records are ordered by PMID, descending.
    """
    search = db["search"]
    source = make_source("pubmed", search["query"], base_url=search.get("base_url"))
    snap = new_snapshot(root, db["id"], source.spec(), source.base_url)
    ordered = sorted(copies, key=lambda c: int(c.doc.pmid), reverse=True)
    pmids = [c.doc.pmid for c in ordered]
    webenv = f"MCID_{stable_int(db['id'] + search['query'], 12):x}"
    common = {"db": "pubmed", "tool": "reviewflow"}
    es_url = f"{source.base_url}/esearch.fcgi?" + urlencode({**common, "term": search["query"], "usehistory": "y",
                                                             "retmax": 10000, "retmode": "xml"})
    es = snap.add_page("esearch", "xml", Response(es_url, 200, "text/xml; charset=UTF-8",
                                                   esearch_body(len(pmids), pmids, webenv, search["query"])),
                       0, count=len(pmids))
    part = {"esearch": es["file"], "count": len(pmids), "ids": len(pmids), "webenv": webenv, "query_key": "1",
            "mindate": None, "maxdate": None, "fetched": 0}
    snap.state["reported"] = len(pmids)
    snap.state["progress"] = {"query_translation": search["query"], "warnings": [], "parts": [part]}
    truth = []
    for start in range(0, len(ordered), EFETCH_BATCH):
        batch = ordered[start:start + EFETCH_BATCH]
        root_el = Element("PubmedArticleSet")
        root_el.extend(pubmed_article(c) for c in batch)
        url = f"{source.base_url}/efetch.fcgi?" + urlencode({**common, "query_key": "1", "WebEnv": webenv,
                                                             "retstart": start, "retmax": len(batch),
                                                             "retmode": "xml"})
        part["fetched"] = start + len(batch)
        page = snap.add_page("efetch", "xml", Response(url, 200, "text/xml; charset=UTF-8",
                                                        _xml(root_el, EFETCH_DOCTYPE)),
                             len(batch), retstart=start, ids=len(batch), via="history", missing=[])
        truth += [(page["file"], i, c.doc.doc_id) for i, c in enumerate(batch)]
    finish(snap, source, db["id"], len(ordered))
    return [(str(snap.dir.relative_to(root.parent) / f), i, d) for f, i, d in truth]


SNAPSHOT_WRITERS = {"pubmed": write_pubmed_snapshot}


def write_search_snapshot(db: dict, copies: list[Copy], root: Path) -> list[tuple[str, int, str]]:
    """The demo's snapshot of an API-searched database (PubMed only: the demo's other sources are exports)."""
    source = db["search"]["source"]
    if source not in SNAPSHOT_WRITERS:
        raise ConfigError(f"databases: {db['id']}: the demo can generate API snapshots for "
                          f"{', '.join(SNAPSHOT_WRITERS)} only, not {source}")
    # Generated afresh each time: an old generated snapshot beside the new one would be replayed instead.
    shutil.rmtree(root / db["id"], ignore_errors=True)
    return SNAPSHOT_WRITERS[source](db, copies, root)
