"""RIS reader: generic RIS and the Ovid, EBSCO, ProQuest, Scopus, WoS, Embase... dialects."""

from __future__ import annotations

import re

from reviewflow.io.base import Parsed, block_text, new_record, unusable
from reviewflow.io.normalise import author_initials_style, dedup, first, issns, pages, values
from reviewflow.records import Record, Reject, normalise_doi, parse_year

_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_UPPER_DIGIT = _UPPER | frozenset("0123456789")
# Fallback for 'TY - JOUR' (one space before the dash); the common 'TY  - ' is sliced.
_LOOSE_TAG = re.compile(r"^([A-Z][A-Z0-9]) ?-(?: (.*))?$")
# Lines that come before a record: Ovid's '1. ' numbers, Cochrane's 'Record #3 of 18'
# followed by 'Provider: ...' / 'Content: ...'. Kept in the next record's raw["preamble"].
_PREAMBLE = re.compile(r"^(?:\d+\.\s*|Record #\d+ of \d+\s*)$")
_HEADER_CONT = re.compile(r"^(?:Provider|Content): ")
# Tags whose untagged continuation lines are further values, one per line (Rayyan writes
# KW once, then one keyword per line); other tags' continuation lines wrap one value.
_LINE_LIST_TAGS = frozenset({"KW", "AU", "A1", "A2", "A3", "A4"})

TITLE_TAGS = ("TI", "T1", "CT")
JOURNAL_TAGS = ("JF", "T2", "JO", "JA", "J2", "J1")


def parse_tag(line: str) -> tuple[str, str] | None:
    """('TI', 'value') for a tag line, None for any other line."""
    if (len(line) >= 5 and line[2:5] == "  -" and line[0] in _UPPER
            and line[1] in _UPPER_DIGIT and (len(line) == 5 or line[5] == " ")):
        return line[:2], line[5:].strip()
    if len(line) >= 3 and line[0] in _UPPER and "-" in line[2:4]:
        m = _LOOSE_TAG.match(line.rstrip())
        if m:
            return m.group(1), (m.group(2) or "").strip()
    return None


def is_preamble(line: str) -> bool:
    return bool(_PREAMBLE.match(line))


def read_ris(lines: list[str], source: str, file: str) -> Parsed:
    """Read every RIS record; text outside records and empty records become rejects."""
    out = Parsed()
    n = len(lines)
    i = 0
    index = 0
    preamble_seen = False
    pending: list[str] = []
    last: Record | None = None
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        tag = parse_tag(line)
        if tag is None and (is_preamble(line) or (pending and _HEADER_CONT.match(line))):
            preamble_seen = preamble_seen or line[0].isdigit()
            pending.append(line.strip())
            i += 1
            continue
        if tag is not None and tag[0] == "TY":
            i, rec_end, entries, had_er, stopped_at_ty = _read_record(lines, i)
            start = entries[0][2]
            text = block_text(lines, start, rec_end + 1)
            if not had_er:
                where = "before the next TY" if stopped_at_ty else "at the end of the file"
                out.warnings.append(f"record at line {start + 1} has no ER line {where}")
            raw: dict[str, list[str]] = {"preamble": pending} if pending else {}
            pending = []
            for t, v, _ in entries:
                raw.setdefault(t, []).append(v)
            rec = new_record(source, file, index, start + 1, raw)
            _normalise(rec)
            if unusable(rec):
                out.rejects.append(Reject(source, file, index, start + 1,
                                          "RIS record with no title and no other usable field",
                                          text))
                last = None
            else:
                out.add(rec, _own_key(raw, preamble_seen))
                last = rec
            index += 1
            continue
        # Lines outside any record: an orphan record without TY, or garbage.
        j = i
        has_tags = has_er = False
        while j < n:
            t = parse_tag(lines[j])
            if t is not None and t[0] == "TY":
                break
            if t is None and lines[j].strip() and is_preamble(lines[j]):
                break
            has_tags = has_tags or t is not None
            j += 1
            if t is not None and t[0] == "ER":
                has_er = True
                break
        if (last is not None and not has_er and not pending
                and (preamble_seen or any("Ovid" in ln for ln in lines[i:j]))):
            # Ovid writes some fields after ER (NL, 'Link to the Ovid Full Text or
            # citation: ...'): they belong to the record just read.
            _attach(last, lines[i:j])
            _normalise(last)
            i = j
            continue
        if pending:
            # Numbers or headers followed by something that is not a record: part of it.
            i -= _back(lines, i, len(pending))
            pending = []
        text = block_text(lines, i, j)
        reason = ("RIS record without a TY line" if has_tags
                  else "text outside any RIS record")
        out.rejects.append(Reject(source, file, index, i + 1, reason, text))
        last = None
        index += 1
        i = j
    out.dialect = detect_dialect(out.records, preamble_seen, lines)
    return out


def _back(lines: list[str], i: int, count: int) -> int:
    """How many lines back from `i` the last `count` non-blank lines start."""
    k = i
    while count and k > 0:
        k -= 1
        if lines[k].strip():
            count -= 1
    return i - k


def _attach(rec: Record, lines: list[str]) -> None:
    """Add trailing lines to a record's raw fields: tag lines under their tag, 'Label: value'
    lines under their label, other lines as a continuation of the field before them."""
    key = None
    for line in lines:
        if not line.strip():
            continue
        parsed = parse_tag(line)
        if parsed is None and ": " in line and not line[:1].isspace():
            label, value = line.split(": ", 1)
            parsed = (label.strip(), value.strip())
        if parsed is not None:
            key = parsed[0]
            rec.raw.setdefault(key, []).append(parsed[1])
        elif key is not None:
            rec.raw[key][-1] = f"{rec.raw[key][-1]} {line.strip()}".strip()
        else:
            key = "text"
            rec.raw.setdefault(key, []).append(line.strip())


def _read_record(lines: list[str], i: int) -> tuple[int, int, list[tuple[str, str, int]],
                                                     bool, bool]:
    """From a TY line: (next line index, last line index, entries, had ER, stopped at a TY)."""
    entries: list[tuple[str, str, int]] = []
    tag, value = parse_tag(lines[i])  # type: ignore[misc]
    entries.append((tag, value, i))
    last = i
    j = i + 1
    n = len(lines)
    while j < n:
        line = lines[j]
        parsed = parse_tag(line)
        if parsed is not None:
            t, v = parsed
            if t == "ER":
                return j + 1, j, entries, True, False
            if t == "TY":
                return j, last, entries, False, True
            entries.append((t, v, j))
            last = j
        elif line.strip():
            # An untagged line continues the previous tag (blank lines inside are skipped).
            t, v, ln = entries[-1]
            cont = line.strip()
            if t in _LINE_LIST_TAGS and t != "TY":
                entries.append((t, cont, j))
            else:
                entries[-1] = (t, f"{v} {cont}" if v else cont, ln)
            last = j
        j += 1
    return n, last, entries, False, False


def _normalise(rec: Record) -> None:
    """Fill the normalised fields from the RIS tags."""
    raw = rec.raw
    rec.title = first(raw, *TITLE_TAGS)
    rec.abstract = first(raw, "AB", "N2")
    rec.authors = [author_initials_style(a) for a in values(raw, "AU", "A1")]
    rec.year = parse_year(first(raw, "PY")) or parse_year(first(raw, "Y1")) \
        or parse_year(first(raw, "DA"))
    rec.journal = first(raw, *JOURNAL_TAGS)
    rec.volume = first(raw, "VL", "VO")
    rec.issue = first(raw, "IS")
    rec.pages = pages(first(raw, "SP"), first(raw, "EP"))
    rec.doi = _doi(raw)
    rec.pmid = _pmid(raw)
    rec.issn = issns(*values(raw, "SN"))
    rec.language = first(raw, "LA")
    # M3 / PT name the type; else the TY code, unless it is GEN (generic: says nothing).
    rec.publication_type = dedup(values(raw, "M3", "PT")) or \
        [t for t in values(raw, "TY") if t != "GEN"]
    rec.keywords = dedup(values(raw, "KW"))
    rec.url = first(raw, "UR", "L2", "LK")


def _doi(raw: dict[str, list[str]]) -> str | None:
    """DO (Ovid and ProQuest write it as a dx.doi.org URL), DI, EBSCO's L3, then DOI links."""
    for tag in ("DO", "DI", "L3", "M3"):
        for v in raw.get(tag, ()):
            doi = normalise_doi(v)
            if doi:
                return doi
    for v in values(raw, "UR", "L1", "L2", "LK"):
        if "doi.org/" in v:
            doi = normalise_doi(v[v.index("doi.org/") + len("doi.org/"):])
            if doi:
                return doi
    return None


def _pmid(raw: dict[str, list[str]]) -> str | None:
    """PubMed id: Embase's C5, Cochrane's C3 'PUBMED 21314913'."""
    if "C3" not in raw and "C5" not in raw:
        return None
    for v in values(raw, "C3", "C5"):
        token = v.split()[-1]
        if token.isdigit() and (v.upper().startswith("PUBMED") or v.isdigit()):
            return token
    return None


def _own_key(raw: dict[str, list[str]], ovid: bool) -> str | None:
    """The database's accession: AN where present; Ovid writes it in ID."""
    an = first(raw, "AN")
    if an:
        return an
    if ovid:
        return first(raw, "ID")
    return None


def detect_dialect(records: list[Record], ovid_numbers: bool, lines: list[str]) -> str | None:
    """Which system wrote the file, from tell-tale tags and values of the first records."""
    if ovid_numbers:
        return "ovid"
    if any(ln.startswith("Record #") for ln in lines[:5]):
        return "cochrane"
    votes: dict[str, int] = {}
    for rec in records[:20]:
        d = _record_dialect(rec.raw)
        if d:
            votes[d] = votes.get(d, 0) + 1
    if not votes:
        return None
    return max(sorted(votes), key=lambda k: votes[k])


def _record_dialect(raw: dict[str, list[str]]) -> str | None:
    an = (first(raw, "AN") or "").lower()
    links = " ".join(values(raw, "UR", "L1", "L2", "LK", "N1")).lower()
    dbs = " ".join(values(raw, "DB", "DP")).lower()
    if an.startswith("rayyan-"):
        return "rayyan"
    if "NS" in raw and "PD" in raw:
        return "covidence"
    if an.startswith("wos:") or "WE" in raw:
        return "wos"
    if an.startswith("cn-"):
        return "cochrane"
    if "ebscohost" in dbs or "ebscohost" in links:
        return "ebsco"
    if "proquest" in links or "proquest" in dbs:
        return "proquest"
    if "ovid" in links or "ovid" in dbs:
        return "ovid"
    if "scopus" in dbs or "scopus.com" in links:
        return "scopus"
    if "embase" in dbs or "embase.com" in links:
        return "embase"
    if "ieeexplore" in links or "VO" in raw:
        return "ieee"
    return None
