"""How one document looks in one database's export: the surface variation real duplicates show."""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass

from reviewflow.demo.corpus import Doc

# Small words kept lower case in Title Case (as ProQuest and some publishers print titles).
SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the",
               "to", "with", "from", "into"}


@dataclass
class Copy:
    """One exported record of a document, as the database shows it."""

    doc: Doc
    db: str
    family: str
    title: str
    authors: list[tuple[str, str]]
    year: int
    doi: str
    journal: str
    abstract: str
    accession: str
    upper_authors: bool = False


def strip_diacritics(text: str) -> str:
    """ASCII-fold letters (é -> e, ø -> o) the way older database loads did."""
    text = text.replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def title_case(text: str) -> str:
    words = text.split(" ")
    out = []
    for i, w in enumerate(words):
        bare = w.lower().strip("\u201c\u201d\"'(:")
        out.append(w if i and bare in SMALL_WORDS else w[:1].upper() + w[1:])
    return " ".join(out)


def vary_title(title: str, family: str, rng: random.Random, fold: bool) -> str:
    """Quotes, italics, case, punctuation and diacritics as they differ across databases."""
    if "\u201c" in title:
        r = rng.random()
        if family in ("ebsco", "ovid", "scopus") and r < 0.3:
            title = re.sub("\u201c(.*?)\u201d", r"<i>\1</i>", title)
        elif r < 0.7:
            title = title.replace("\u201c", '"').replace("\u201d", '"')
    title = title.replace("\u2019", "'") if rng.random() < 0.5 else title
    if family in ("ebsco", "proquest") and rng.random() < 0.15:
        title = title.replace(": ", " - ", 1)
    r = rng.random()
    if family == "proquest" and r < 0.3 or r < 0.03:
        title = title_case(title)
    elif family == "wos" and r < 0.1:
        title = title.upper()
    return strip_diacritics(title) if fold else title


def vary_doi(doi: str, family: str, rng: random.Random) -> str:
    """Missing, upper-cased or URL-prefixed DOIs, by database habit."""
    if not doi or rng.random() < (0.05 if family == "pubmed" else 0.12):
        return ""
    if family in ("wos", "scopus") and rng.random() < 0.15:
        return doi.upper()
    if family in ("ebsco", "proquest") and rng.random() < 0.15:
        return "https://doi.org/" + doi
    if family in ("ovid", "proquest") and rng.random() < 0.6:
        return "http://dx.doi.org/" + doi
    return doi


def make_copy(doc: Doc, db: str, family: str, accession: str, seed: int) -> Copy:
    """The copy of `doc` in database `db`; every choice seeded by (seed, doc, db)."""
    rng = random.Random(f"{seed}:copy:{doc.doc_id}:{db}")
    fold = rng.random() < (0.5 if family in ("wos", "proquest", "ovid") else 0.15)
    authors = [(strip_diacritics(f), strip_diacritics(g)) if fold else (f, g)
               for f, g in doc.authors]
    year = doc.year
    if doc.year_shift_ok and family in ("scopus", "wos", "ebsco", "proquest") \
            and rng.random() < 0.2:
        year -= 1  # online-first year in some databases, print year in others
    journal = doc.journal.name
    if family in ("scopus", "wos") and rng.random() < 0.5:
        journal = journal.replace(" & ", " and ")
    abstract = doc.abstract
    if doc.kind == "irrelevant" and rng.random() < 0.05:
        abstract = ""
    return Copy(doc=doc, db=db, family=family, title=vary_title(doc.title, family, rng, fold),
                authors=authors, year=year, doi=vary_doi(doc.doi, family, rng),
                journal=journal, abstract=abstract, accession=accession,
                upper_authors=family in ("wos", "proquest") and rng.random() < 0.1)
