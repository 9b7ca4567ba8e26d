"""Ovid tagged reader ('<1. >' headers, then 'TI  - value' lines, as in MEDLINE)."""

from __future__ import annotations

import re

from reviewflow.io.base import Parsed, block_text, new_record, unusable
from reviewflow.io.medline import parse_tag
from reviewflow.io.normalise import author_initials_style, dedup, first, issns, values
from reviewflow.records import Record, Reject, normalise_doi, parse_year

HEADER = re.compile(r"^<\d+(?:\.\s*)?>\s*$")   # '<1. >' (Embase, BIOSIS) or '<1>' (MEDLINE, PsycINFO)
# The search history Ovid writes above the records when asked to ('Database: APA PsycInfo <1806 to ...>',
# 'Search Strategy:', the numbered searches, a rule of dashes or asterisks).
_SEARCH_HISTORY = re.compile(r"^\s*(Database:|Search Strategy:)", re.M)
_ROLE = re.compile(r"\s*\[[^\]]*\]\s*$")  # BIOSIS 'Walsdorf, Neill B. [Inventor]'
# 'Forest Ecology & Management. 201(2-3):327-334, November 15, 2004.'
# Pages may be an article number ('e0123456', 'eaaw4486').
_SO_CITATION = re.compile(r"\s(\d+)(?:\s*\(([^)]*)\))?\s*:\s*([A-Za-z]{0,4}\d+(?:-[A-Za-z]{0,4}\d+)?)")
# PsycINFO: 'Journal of Substance Abuse Treatment. Vol.45(2), 2013, pp. 123-130.'
_SO_PSYCINFO = re.compile(r"\bVol\.?\s*(\d+)(?:\s*\(([^)]*)\))?.*?\bpp?\.\s*([A-Za-z]?\d+(?:\s*-\s*[A-Za-z]?\d+)?)")


def read_ovid_tagged(lines: list[str], source: str, file: str) -> Parsed:
    """Read every Ovid tagged record of any Ovid database (Embase, MEDLINE, PsycINFO, BIOSIS...). The
    search history above the first record is skipped with a warning; other text there is a reject."""
    out = Parsed(dialect="ovid")
    starts = [i for i, ln in enumerate(lines) if HEADER.match(ln)]
    above = "\n".join(lines[:starts[0]]) if starts else ""
    if above.strip() and _SEARCH_HISTORY.search(above):
        out.warnings.append(f"lines 1-{starts[0]} are Ovid's search history above the records: skipped")
    elif above.strip():
        starts.insert(0, 0)
    for index, a in enumerate(starts):
        b = starts[index + 1] if index + 1 < len(starts) else len(lines)
        text = block_text(lines, a, b)
        if not HEADER.match(lines[a]):
            out.rejects.append(Reject(source, file, index, a + 1,
                                      "text before the first Ovid record header", text))
            continue
        raw: dict[str, list[str]] = {}
        tag = None
        for line in lines[a + 1:b]:
            parsed = parse_tag(line)
            if parsed is not None:
                tag = parsed[0]
                raw.setdefault(tag, []).append(parsed[1])
            elif line.strip() and tag is not None:
                # Continuation: indented, or (structured abstracts) not indented at all.
                raw[tag][-1] = f"{raw[tag][-1]} {line.strip()}".strip()
        rec = new_record(source, file, index, a + 1, raw)
        _normalise(rec)
        if unusable(rec):
            out.rejects.append(Reject(source, file, index, a + 1,
                                      "Ovid record with no title and no other usable field",
                                      text))
            continue
        out.add(rec, first(raw, "UI", "AN"))
    return out


def _normalise(rec: Record) -> None:
    """Fill the normalised fields from Ovid tags; volume/issue/pages parsed from SO."""
    raw = rec.raw
    rec.title = first(raw, "TI")
    rec.abstract = first(raw, "AB")
    rec.authors = [author_initials_style(_ROLE.sub("", a)) for a in values(raw, "AU")]
    rec.year = parse_year(first(raw, "YR")) or parse_year(first(raw, "DP"))
    so = first(raw, "SO") or ""
    rec.journal = first(raw, "JN", "JT") or (so.split(". ")[0].strip() or None)
    m = _SO_PSYCINFO.search(so) or _SO_CITATION.search(so)
    rec.volume = first(raw, "VO", "VI") or (m.group(1) if m else None)
    rec.issue = first(raw, "IP") or (m.group(2) if m and m.group(2) else None)
    rec.pages = first(raw, "PG") or (m.group(3).replace(" ", "") if m else None)
    rec.doi = next((d for d in map(normalise_doi, values(raw, "DO")) if d), None)
    # Ovid MEDLINE's unique identifier is the PubMed id; other databases have their own accession.
    medline = "medline" in (first(raw, "DB") or "").lower()
    rec.pmid = first(raw, "PM") or (first(raw, "UI") if medline else None)
    rec.issn = issns(*values(raw, "IS"))
    rec.language = first(raw, "LG", "LA")
    rec.publication_type = dedup(values(raw, "PT", "DT"))   # PsycINFO's DT: 'Journal Article'
    rec.keywords = dedup(values(raw, "KW", "MH", "ID"))
    rec.url = first(raw, "UR", "XL")
