"""Web of Science plain-text (tagged) reader: 'FN'/'VR' header, 'XX value', 'ER', 'EF'."""

from __future__ import annotations

import csv

from reviewflow.io.base import Parsed, block_text, new_record, unusable
from reviewflow.io.normalise import dedup, first, issns, pages, split_list, values
from reviewflow.io.tables import add_rows, read_rows
from reviewflow.records import Record, Reject, normalise_doi, parse_author, parse_year

_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_UPPER_DIGIT = _UPPER | frozenset("0123456789")
# Tags whose continuation lines are further values, one per line (an author, a cited
# reference, an address, an organism); other tags' continuation lines wrap one value.
LINE_LIST_TAGS = frozenset({"AU", "AF", "BA", "BF", "BE", "CA", "GP", "ED", "CR", "C1", "OR"})
_FILE_TAGS = frozenset({"FN", "VR", "EF"})


def parse_tag(line: str) -> tuple[str, str] | None:
    """('TI', 'text') for 'TI text'; ('ER', '') for 'ER'."""
    if (len(line) >= 2 and line[0] in _UPPER and line[1] in _UPPER_DIGIT
            and (len(line) == 2 or line[2] == " ")):
        return line[:2], line[3:].strip()
    return None


def read_wos(lines: list[str], source: str, file: str) -> Parsed:
    """Read every WoS record; lines outside records that are not file headers are rejects."""
    out = Parsed(dialect="wos")
    n = len(lines)
    i = 0
    index = 0
    while i < n:
        line = lines[i]
        parsed = parse_tag(line) if line.strip() else None
        if not line.strip() or (parsed is not None and parsed[0] in _FILE_TAGS):
            i += 1
            continue
        if parsed is None or parsed[0] == "ER":
            # Garbage outside a record: up to the next tag line.
            j = i + 1
            while j < n and (parse_tag(lines[j]) is None or not lines[j].strip()):
                j += 1
            out.rejects.append(Reject(source, file, index, i + 1,
                                      "text outside any Web of Science record",
                                      block_text(lines, i, j)))
            index += 1
            i = j
            continue
        start = i
        raw: dict[str, list[str]] = {}
        tag = ""
        had_er = False
        while i < n:
            line = lines[i]
            parsed = parse_tag(line)
            if parsed is not None:
                tag, value = parsed
                if tag == "ER":
                    had_er = True
                    i += 1
                    break
                if tag == "EF":
                    break
                raw.setdefault(tag, []).append(value)
            elif line.strip():
                cont = line.strip()
                vals = raw[tag]
                if tag in LINE_LIST_TAGS:
                    vals.append(cont)
                else:
                    vals[-1] = f"{vals[-1]} {cont}" if vals[-1] else cont
            i += 1
        text = block_text(lines, start, i)
        if not had_er:
            out.warnings.append(f"record at line {start + 1} has no ER line")
        rec = new_record(source, file, index, start + 1, raw)
        _normalise(rec)
        if unusable(rec):
            out.rejects.append(Reject(source, file, index, start + 1,
                                      "Web of Science record with no title and no other "
                                      "usable field", text))
        else:
            out.add(rec, first(raw, "UT"))
        index += 1
    return out


def _normalise(rec: Record, joined: bool = False) -> None:
    """Fill the normalised fields from WoS tags; `joined`: tab-delimited export, where
    multi-valued fields are '; '-joined in one cell."""
    raw = rec.raw
    rec.title = first(raw, "TI")
    rec.abstract = first(raw, "AB")
    names = values(raw, "AF") or values(raw, "AU")
    if joined:
        names = [n for v in names for n in split_list(v)]
    rec.authors = [parse_author(_strip_email(a)) for a in names]
    rec.year = parse_year(first(raw, "PY")) or parse_year(first(raw, "PD"))
    rec.journal = first(raw, "SO", "J9", "JI")
    rec.volume = first(raw, "VL")
    rec.issue = first(raw, "IS")
    rec.pages = pages(first(raw, "BP"), first(raw, "EP")) or pages(first(raw, "PS"), None)
    rec.doi = normalise_doi(first(raw, "DI"))
    ut = first(raw, "UT") or ""
    rec.pmid = first(raw, "PM") or (ut[len("MEDLINE:"):] if ut.startswith("MEDLINE:") else None)
    rec.issn = issns(*values(raw, "SN", "EI"))
    rec.language = first(raw, "LA")
    rec.publication_type = dedup([t for v in values(raw, "DT") for t in split_list(v)]) \
        or values(raw, "PT")
    rec.keywords = dedup([k for v in values(raw, "DE", "ID", "MH") for k in split_list(v)])
    rec.url = first(raw, "UR")


def read_wos_tabdelimited(text: str, source: str, file: str) -> Parsed:
    """Read a WoS tab-delimited export (no quoting; rows often end with an extra TAB)."""
    out = Parsed(dialect="wos")
    header, rows = read_rows(text, file, delimiter="\t", quoting=csv.QUOTE_NONE)
    add_rows(out, header, rows, source, file, lambda rec: _normalise(rec, joined=True),
             lambda raw: first(raw, "UT"), "Web of Science row")
    return out


def _strip_email(name: str) -> str:
    """Zoological Record writes 'Stillman, Andrew N. (andrew.stillman@uconn.edu) '."""
    if name.endswith(")") and "(" in name and "@" in name[name.rindex("("):]:
        return name[:name.rindex("(")].strip()
    return name
