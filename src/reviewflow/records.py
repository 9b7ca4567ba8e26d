"""The canonical Record: normalised fields, every original field in `raw`, and provenance."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any

# Normalised fields every reader fills where its format has them.
FIELDS = (
    "title", "abstract", "authors", "year", "journal", "volume", "issue", "pages", "doi",
    "pmid", "issn", "language", "publication_type", "keywords", "url",
)


@dataclass(slots=True)
class Author:
    family: str
    given: str = ""

    def display(self) -> str:
        return f"{self.family}, {self.given}" if self.given else self.family


@dataclass(slots=True)
class Provenance:
    """Where a record came from: database id, file, 0-based record index, 1-based first line."""

    source: str
    file: str
    index: int
    line: int


@dataclass(slots=True)
class Record:
    id: str
    provenance: Provenance
    title: str | None = None
    abstract: str | None = None
    authors: list[Author] = field(default_factory=list)
    year: int | None = None
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    issn: list[str] = field(default_factory=list)
    language: str | None = None
    publication_type: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    url: str | None = None
    # Every original tag or column, in file order, all values kept (repeated tags too).
    raw: dict[str, list[str]] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return self.provenance.source

    def to_dict(self) -> dict[str, Any]:
        # What dataclasses.asdict gives (same keys, same order, fresh lists), written out: asdict
        # recurses and deep-copies every raw value, which was most of an import's time.
        p = self.provenance
        return {"id": self.id, "provenance": {"source": p.source, "file": p.file, "index": p.index, "line": p.line},
                "title": self.title, "abstract": self.abstract,
                "authors": [{"family": a.family, "given": a.given} for a in self.authors],
                "year": self.year, "journal": self.journal, "volume": self.volume, "issue": self.issue,
                "pages": self.pages, "doi": self.doi, "pmid": self.pmid, "issn": list(self.issn),
                "language": self.language, "publication_type": list(self.publication_type),
                "keywords": list(self.keywords), "url": self.url,
                "raw": {k: list(v) for k, v in self.raw.items()}}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Record:
        d = dict(d)
        d["provenance"] = Provenance(**d["provenance"])
        d["authors"] = [Author(**a) for a in d.get("authors", [])]
        return cls(**d)

    def first_author_family(self) -> str:
        return self.authors[0].family if self.authors else ""


@dataclass(slots=True)
class Reject:
    """A malformed record inside a readable file: kept with its text and reason, never dropped."""

    source: str
    file: str
    index: int
    line: int
    reason: str
    text: str

    @property
    def id(self) -> str:
        return make_id(self.source, None, self.file, self.index)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["id"] = self.id
        return d


def make_id(source: str, key: str | None, file: str, index: int) -> str:
    """Stable id: hash of the source name and the source's own key, else the record's position."""
    basis = f"{source}\x1fkey\x1f{key}" if key else f"{source}\x1fpos\x1f{file}\x1f{index}"
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


def key_counts(keys: list[str | None]) -> dict[str, int]:
    """How often each own key occurs."""
    seen: dict[str, int] = {}
    for k in keys:
        if k:
            seen[k] = seen.get(k, 0) + 1
    return seen


def assign_ids(records: list[Record], keys: list[str | None], seen: dict[str, int] | None = None) -> None:
    """Give each record its id; a key seen twice in one source (`seen`: the counts of the whole
    file's keys, when `keys` are part of it) falls back to position."""
    if seen is None:
        seen = key_counts(keys)
    for rec, k in zip(records, keys, strict=True):
        own = k if k and seen[k] == 1 else None
        rec.id = make_id(rec.provenance.source, own, rec.provenance.file, rec.provenance.index)


_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_DOI_CORE = re.compile(r"10\.\d{4,9}/\S+")


def normalise_doi(value: str | None) -> str | None:
    """Lower-case DOI without URL prefix or trailing punctuation; None if there is no DOI."""
    if not value:
        return None
    v = value.strip()
    v = _DOI_PREFIX.sub("", v)
    m = _DOI_CORE.search(v)
    if not m:
        return None
    doi = m.group(0)
    # Trailing punctuation is the sentence's, not the DOI's; a ')' only when unbalanced.
    while doi and (doi[-1] in ".,;]}>\"'" or (doi[-1] == ")" and doi.count(")") > doi.count("("))):
        doi = doi[:-1]
    return doi.lower()


_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


def parse_year(value: str | None) -> int | None:
    """First plausible four-digit year in a date string ('2016/09//', 'Sep 2016', '2016-09-01')."""
    if not value:
        return None
    m = _YEAR.search(value)
    return int(m.group(1)) if m else None


def parse_author(value: str) -> Author:
    """'Family, Given' or 'Family GI' (MEDLINE) into a structured name."""
    v = " ".join(value.split()).strip().strip(";")
    if "," in v:
        family, given = v.split(",", 1)
        return Author(family.strip(), given.strip())
    parts = v.split(" ")
    if len(parts) > 1 and parts[-1].isupper() and len(parts[-1]) <= 3:
        return Author(" ".join(parts[:-1]), parts[-1])
    return Author(v, "")
