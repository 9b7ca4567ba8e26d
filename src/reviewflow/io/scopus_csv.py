"""Scopus CSV reader (2019 and 2024 column sets)."""

from __future__ import annotations

import re

from reviewflow.io.base import Parsed
from reviewflow.io.normalise import (
    author_initials_style,
    dedup,
    first,
    issns,
    pages,
    split_list,
    values,
)
from reviewflow.io.tables import add_rows, read_headed_rows
from reviewflow.records import Author, Record, normalise_doi, parse_author, parse_year

# Columns that only Scopus writes: tell a Scopus CSV from any other table.
SIGNATURE = ("EID", "Source title")
_AUTHOR_ID = re.compile(r"\s*\(\d+\)\s*$")
_NO_AUTHOR = "[No author name available]"


def is_scopus_header(header: list[str]) -> bool:
    return all(col in header for col in SIGNATURE)


def read_scopus_csv(text: str, source: str, file: str) -> Parsed:
    """Read every row of a Scopus CSV export."""
    out = Parsed(dialect="scopus")
    header, rows, out.warnings = read_headed_rows(text, file, lambda cells, _first: is_scopus_header(cells),
                                                  delimiter=",")
    add_rows(out, header, rows, source, file, _normalise, lambda raw: first(raw, "EID"), "Scopus row")
    return out


def _normalise(rec: Record) -> None:
    """Fill the normalised fields from Scopus columns."""
    raw = rec.raw
    rec.title = first(raw, "Title")
    abstract = first(raw, "Abstract")
    rec.abstract = None if abstract == "[No abstract available]" else abstract
    rec.authors = authors(first(raw, "Author full names"), first(raw, "Authors"))
    rec.year = parse_year(first(raw, "Year"))
    rec.journal = first(raw, "Source title", "Abbreviated Source Title")
    rec.volume = first(raw, "Volume")
    rec.issue = first(raw, "Issue")
    rec.pages = pages(first(raw, "Page start"), first(raw, "Page end"))
    rec.doi = normalise_doi(first(raw, "DOI"))
    rec.pmid = first(raw, "PubMed ID")
    rec.issn = issns(*values(raw, "ISSN"))
    rec.language = first(raw, "Language of Original Document")
    rec.publication_type = values(raw, "Document Type")
    rec.keywords = dedup([k for v in values(raw, "Author Keywords", "Index Keywords")
                          for k in split_list(v)])
    rec.url = first(raw, "Link")


def authors(full: str | None, short: str | None) -> list[Author]:
    """'Author full names' ('Wilson, Lauren N. (5897...); ...') when present, else 'Authors':
    '; '-separated since about 2022, ', '-separated before ('Craig C., Villard M.-A.')."""
    if full:
        return [parse_author(_AUTHOR_ID.sub("", a)) for a in split_list(full)]
    if not short or short.strip() == _NO_AUTHOR:
        return []
    parts = split_list(short, ";") if ";" in short else split_list(short, ",")
    return [author_initials_style(a) for a in parts]
