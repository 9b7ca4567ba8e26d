"""MEDLINE / nbib reader (PubMed 'Format: PubMed', ERIC .nbib): 'TAG - value' records."""

from __future__ import annotations

from reviewflow.io.base import Parsed, new_record, unusable
from reviewflow.io.normalise import dedup, first, issns, values
from reviewflow.records import Record, Reject, normalise_doi, parse_author, parse_year

_TAG_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def parse_tag(line: str) -> tuple[str, str] | None:
    """('PMID', '123') for 'PMID- 123' / 'AB  - text' (tag padded to 4, then '- ');
    ERIC also writes four-letter tags with a space before the dash ('ISBN - ...')."""
    if len(line) >= 5 and line[4] == "-" and (len(line) == 5 or line[5] == " "):
        tag = line[:4].rstrip()
        if len(tag) >= 2 and " " not in tag and all(c in _TAG_CHARS for c in tag):
            return tag, line[6:].strip()
    elif (len(line) >= 6 and line[4] == " " and line[5] == "-" and (len(line) == 6 or
          line[6] == " ") and all(c in _TAG_CHARS for c in line[:4])):
        return line[:4], line[7:].strip()
    return None


def split_records(lines: list[str], header: str | None = None
                  ) -> list[tuple[int, int]]:
    """(first, last) line index of each block: blank lines separate records; a new PMID line
    (or `header` line) also starts one even without a blank line before it."""
    blocks: list[tuple[int, int]] = []
    start = None
    last = -1
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        starts_new = line.startswith("PMID-") or (header is not None and line.startswith(header))
        if start is not None and (i > last + 1 or starts_new):
            blocks.append((start, last))
            start = None
        if start is None:
            start = i
        last = i
    if start is not None:
        blocks.append((start, last))
    return blocks


def read_entries(lines: list[str], first_i: int, last_i: int,
                 warnings: list[str]) -> list[tuple[str, str]] | None:
    """The (tag, value) pairs of one block; continuation lines joined with a space.
    None when the block does not start with a tag line (garbage)."""
    entries: list[tuple[str, str]] = []
    for i in range(first_i, last_i + 1):
        line = lines[i]
        parsed = parse_tag(line)
        if parsed is not None:
            entries.append(parsed)
            continue
        if not line.strip():
            continue
        if not entries:
            return None
        if not line[:1].isspace():
            warnings.append(f"line {i + 1}: untagged line not indented, read as continuation")
        tag, value = entries[-1]
        cont = line.strip()
        entries[-1] = (tag, f"{value} {cont}" if value else cont)
    return entries


def read_medline(lines: list[str], source: str, file: str) -> Parsed:
    """Read every MEDLINE record; blocks that are not records become rejects."""
    out = Parsed()
    for index, (a, b) in enumerate(split_records(lines)):
        text = "\n".join(lines[a:b + 1])
        entries = read_entries(lines, a, b, out.warnings)
        if entries is None:
            out.rejects.append(Reject(source, file, index, a + 1,
                                      "text that is not a MEDLINE record", text))
            continue
        raw: dict[str, list[str]] = {}
        for t, v in entries:
            raw.setdefault(t, []).append(v)
        rec = new_record(source, file, index, a + 1, raw)
        _normalise(rec)
        if unusable(rec):
            out.rejects.append(Reject(source, file, index, a + 1,
                                      "MEDLINE record with no title and no other usable field",
                                      text))
            continue
        out.add(rec, first(raw, "PMID") or first(raw, "OID"))
    out.dialect = _dialect(out.records)
    return out


def _dialect(records: list[Record]) -> str | None:
    owners = [first(r.raw, "OWN") or "" for r in records[:20]]
    if owners and all(o == "ERIC" for o in owners):
        return "eric"
    if any(r.pmid for r in records[:20]):
        return "pubmed"
    return None


def _normalise(rec: Record) -> None:
    """Fill the normalised fields from MEDLINE tags."""
    raw = rec.raw
    rec.title = first(raw, "TI", "BTI")
    rec.abstract = first(raw, "AB")
    full = values(raw, "FAU")
    rec.authors = [parse_author(a) for a in (full or values(raw, "AU"))]
    rec.year = parse_year(first(raw, "DP")) or parse_year(first(raw, "DEP"))
    rec.journal = first(raw, "JT", "TA")
    rec.volume = first(raw, "VI")
    rec.issue = first(raw, "IP")
    rec.pages = first(raw, "PG")
    rec.doi = _doi(raw)
    rec.pmid = first(raw, "PMID")
    rec.issn = issns(*values(raw, "IS", "ISSN"))
    rec.language = first(raw, "LA")
    rec.publication_type = dedup(values(raw, "PT"))
    rec.keywords = dedup(values(raw, "OT", "MH"))
    rec.url = next((v for v in values(raw, "LID", "AID") if v.startswith("http")), None)


def _doi(raw: dict[str, list[str]]) -> str | None:
    """The '[doi]' id of LID or AID (PubMed writes '10.1016/... [doi]')."""
    for v in values(raw, "LID", "AID"):
        if v.endswith("[doi]"):
            doi = normalise_doi(v[:-5])
            if doi:
                return doi
    return None
