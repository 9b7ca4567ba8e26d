"""RIS reader: generic RIS and the Ovid, EBSCO, ProQuest, Scopus, WoS, Embase... dialects."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator

from reviewflow.io.base import Parsed, unusable
from reviewflow.io.normalise import author_initials_style, dedup, first, issns, pages, values
from reviewflow.records import FIELDS, Provenance, Record, Reject, normalise_doi, parse_year

_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_UPPER_DIGIT = _UPPER | frozenset("0123456789")
# Every two-character tag, mapped to one shared (interned) string: each record's raw dict then
# holds references to these instead of a fresh copy of its tags.
_TAGS = {sys.intern(a + b): sys.intern(a + b) for a in sorted(_UPPER) for b in sorted(_UPPER_DIGIT)}
# Lines per chunk when reading a whole text: about 4 MB at a time.
_CHUNK = 1 << 22
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


def iter_line_chunks(text: str, size: int = _CHUNK) -> Iterator[list[str]]:
    """The lines of `text` (split on LF, CRLF and bare CR, like split_lines) in lists of about
    `size` characters, so that a large file's lines never all exist at once."""
    n = len(text)
    pos = 0
    while pos < n:
        end = pos + size
        if end >= n:
            end = n
        else:
            k = text.find("\n", end)
            if k < 0:
                k = text.find("\r", end)  # no LF after here: a bare CR ends a line
            end = n if k < 0 else k + 1
        chunk = text[pos:end]
        pos = end
        if "\r" in chunk:
            chunk = chunk.replace("\r\n", "\n").replace("\r", "\n")
        lines = chunk.split("\n")
        if chunk.endswith("\n"):
            lines.pop()
        yield lines


def read_ris(lines: list[str], source: str, file: str) -> Parsed:
    """Read every RIS record of a list of lines (see read_ris_text)."""
    return _Reader(source, file).run([lines])


def read_ris_text(text: str, source: str, file: str) -> Parsed:
    """Read every RIS record; text outside records and empty records become rejects."""
    return _Reader(source, file).run(iter_line_chunks(text))


class PartReader:
    """Reads the RIS records of a part of a file as a pass over the whole file would, when the
    pass is outside any record where the part starts, with nothing pending (see ris_split): line
    numbers from `first_line`, positions (record indexes) from 0. What the rest of the file decides
    is left out: ids (assign_ids) and the dialect (voted on the file's first records)."""

    def __init__(self, source: str, file: str, first_line: int) -> None:
        self._reader = _Reader(source, file, first_line)

    def read(self, text: str) -> Parsed:
        return self._reader.run(iter_line_chunks(text))

    @property
    def positions(self) -> int:
        """Positions used: records and rejects."""
        return self._reader.index

    @property
    def ovid_numbers(self) -> bool:
        """Whether an Ovid record number ('1.') came before a record: the reader then takes ID as a key."""
        return self._reader.preamble_seen


_OUT, _REC, _SEG = 0, 1, 2


class _Reader:
    """One pass over the lines, chunk by chunk. Records are built as their lines go by; the
    original text is only gathered for rejects, from a mark (the first line of what may be
    rejected) and the lines held since the mark when a chunk ends."""

    def __init__(self, source: str, file: str, first_line: int = 0) -> None:
        self.source = source
        self.file = file
        self.first_line = first_line
        self.out = Parsed()
        self.index = 0
        self.preamble_seen = False
        self.pending: list[str] = []
        self.last: Record | None = None
        self.head: list[str] = []
        # Text gathering: global 0-based line number of the mark, lines held from it.
        self.mark = -1
        self.held: list[str] = []
        self.chunk: list[str] = []
        self.base = 0

    def take(self, end: int) -> str:
        """Original text from the mark to line `end` (inclusive), trailing blank lines dropped."""
        mark, base = self.mark, self.base
        if mark >= base:
            lines = self.chunk[mark - base:end - base + 1]
        else:
            lines = (self.held + self.chunk[:max(0, end - base + 1)])[:end - mark + 1]
        while lines and not lines[-1].strip():
            lines.pop()
        return "\n".join(lines)

    def run(self, chunks: Iterable[list[str]]) -> Parsed:
        out = self.out
        tags = _TAGS
        list_tags = _LINE_LIST_TAGS
        state = _OUT
        raw: dict[str, list[str]] = {}
        cur_tag = ""
        cur_vals: list[str] = []
        rec_start = rec_last = 0
        seg: list = []  # [first line, last non-blank line, has tags, had ER]
        base = self.first_line
        for chunk in chunks:
            self.chunk, self.base = chunk, base
            if not self.head:
                self.head = chunk[:5]
            for idx, line in enumerate(chunk):
                if state == _REC:
                    if line[2:5] == "  -" and (len(line) == 5 or line[5] == " ") and line[:2] in tags:
                        tag = tags[line[:2]]
                        value = line[6:].strip()
                    else:
                        # No '-' where a tag line has one: a continuation line, without the call.
                        parsed = parse_tag(line) if "-" in line[2:5] else None
                        if parsed is None:
                            if line and not line.isspace():
                                cont = line.strip()
                                if cur_tag in list_tags:
                                    cur_vals.append(cont)
                                else:
                                    v = cur_vals[-1]
                                    cur_vals[-1] = f"{v} {cont}" if v else cont
                                rec_last = base + idx
                            continue
                        tag, value = parsed
                        tag = tags.get(tag, tag)
                    if tag == "ER":
                        self.finish(raw, rec_start, base + idx, True, False)
                        state = _OUT
                        continue
                    if tag != "TY":
                        vals = raw.get(tag)
                        if vals is None:
                            raw[tag] = cur_vals = [value]
                        else:
                            vals.append(value)
                            cur_vals = vals
                        cur_tag = tag
                        rec_last = base + idx
                        continue
                    # A TY before an ER: the record ends, the next one starts here.
                    self.finish(raw, rec_start, rec_last, False, True)
                    state = _OUT
                    parsed = ("TY", value)
                elif not line or line.isspace():
                    continue
                else:
                    parsed = parse_tag(line)
                    if state == _SEG:
                        if (parsed is None and is_preamble(line)) or (parsed and parsed[0] == "TY"):
                            self.end_segment(seg, base + idx)
                            state = _OUT
                        else:
                            seg[1] = base + idx
                            if parsed is not None:
                                seg[2] = True
                                if parsed[0] == "ER":
                                    seg[3] = True
                                    self.end_segment(seg, base + idx + 1)
                                    state = _OUT
                            continue
                # Outside any record.
                if parsed is not None and parsed[0] == "TY":
                    raw = {"preamble": self.pending, "TY": [parsed[1]]} if self.pending \
                        else {"TY": [parsed[1]]}
                    self.pending = []
                    cur_tag, cur_vals = "TY", raw["TY"]
                    rec_start = rec_last = self.mark = base + idx
                    state = _REC
                elif parsed is None and (is_preamble(line)
                                         or (self.pending and _HEADER_CONT.match(line))):
                    self.preamble_seen = self.preamble_seen or line[0].isdigit()
                    if not self.pending:
                        self.mark = base + idx
                    self.pending.append(line.strip())
                else:
                    if not self.pending:
                        self.mark = base + idx
                    seg = [base + idx, base + idx, parsed is not None, False]
                    state = _SEG
                    if parsed is not None and parsed[0] == "ER":
                        seg[3] = True
                        self.end_segment(seg, base + idx + 1)
                        state = _OUT
            # The chunk ends: keep the lines from the mark for a reject's text.
            if state != _OUT or self.pending:
                if self.mark >= base:
                    self.held = chunk[self.mark - base:]
                else:
                    self.held = self.held + chunk
            else:
                self.held = []
            base += len(chunk)
        self.base = base
        self.chunk = []
        if state == _REC:
            self.finish(raw, rec_start, rec_last, False, False)
        elif state == _SEG:
            self.end_segment(seg, base)
        if self.pending:
            # Record numbers or headers at the end of the file, with no record after them.
            out.rejects.append(Reject(self.source, self.file, self.index, self.mark + 1,
                                      "text outside any RIS record", self.take(base - 1)))
            self.index += 1
        out.dialect = detect_dialect(out.records, self.preamble_seen, self.head)
        return out

    def finish(self, raw: dict[str, list[str]], start: int, end: int, had_er: bool,
               stopped_at_ty: bool) -> None:
        """A record from line `start` (its TY) to line `end` is complete."""
        out = self.out
        if not had_er:
            where = "before the next TY" if stopped_at_ty else "at the end of the file"
            out.warnings.append(f"record at line {start + 1} has no ER line {where}")
        rec = _make(raw, Provenance(self.source, self.file, self.index, start + 1))
        if unusable(rec):
            out.rejects.append(Reject(self.source, self.file, self.index, start + 1,
                                      "RIS record with no title and no other usable field",
                                      self.take(end)))
            self.last = None
        else:
            out.add(rec, _own_key(raw, self.preamble_seen))
            self.last = rec
        self.index += 1

    def end_segment(self, seg: list, stop: int) -> None:
        """Lines outside any record, from seg[0] up to `stop` (exclusive): fields that Ovid
        writes after ER, or an orphan record without TY, or garbage."""
        first, last_line, has_tags, has_er = seg
        if self.last is not None and not has_er and not self.pending:
            mark = self.mark
            self.mark = first
            lines = self.take(stop - 1).split("\n")
            self.mark = mark
            if self.preamble_seen or any("Ovid" in ln for ln in lines):
                # Ovid writes some fields after ER (NL, 'Link to the Ovid Full Text or
                # citation: ...'): they belong to the record just read.
                _attach(self.last, lines)
                _normalise(self.last)
                return
        start = self.mark + 1
        text = self.take(last_line)
        self.pending = []
        reason = "RIS record without a TY line" if has_tags else "text outside any RIS record"
        self.out.rejects.append(Reject(self.source, self.file, self.index, start, reason, text))
        self.last = None
        self.index += 1


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


def _first(raw: dict[str, list[str]], tags: tuple[str, ...]) -> str | None:
    """The first non-empty value of the first tag that has one (RIS values are stripped)."""
    for tag in tags:
        vals = raw.get(tag)
        if vals:
            for v in vals:
                if v:
                    return v
    return None


def _all(raw: dict[str, list[str]], tags: tuple[str, ...]) -> list[str]:
    """Every non-empty value of the tags, tag by tag, in file order."""
    out: list[str] = []
    for tag in tags:
        vals = raw.get(tag)
        if vals:
            out += [v for v in vals if v]
    return out


_ABSTRACT_TAGS = ("AB", "N2")
_AUTHOR_TAGS = ("AU", "A1")
_VOLUME_TAGS = ("VL", "VO")
_TYPE_TAGS = ("M3", "PT")
_URL_TAGS = ("UR", "L2", "LK")


def _year(raw: dict[str, list[str]]) -> int | None:
    for tag in ("PY", "Y1", "DA"):
        vals = raw.get(tag)
        if vals:
            year = parse_year(_first(raw, (tag,)))
            if year:
                return year
    return None


def _make(raw: dict[str, list[str]], prov: Provenance) -> Record:
    """A Record with its normalised fields filled from the RIS tags."""
    get = raw.get
    authors = [author_initials_style(a) for a in _all(raw, _AUTHOR_TAGS)]
    start, end = get("SP"), get("EP")
    sn = get("SN")
    kw = get("KW")
    # M3 / PT name the type; else the TY code, unless it is GEN (generic: says nothing).
    ptype = _all(raw, _TYPE_TAGS)
    ptype = dedup(ptype) if ptype else [t for t in _all(raw, ("TY",)) if t != "GEN"]
    return Record(
        id="", provenance=prov, raw=raw,
        title=_first(raw, TITLE_TAGS), abstract=_first(raw, _ABSTRACT_TAGS), authors=authors,
        year=_year(raw), journal=_first(raw, JOURNAL_TAGS), volume=_first(raw, _VOLUME_TAGS),
        issue=_first(raw, ("IS",)),
        pages=pages(_first(raw, ("SP",)), _first(raw, ("EP",))) if start or end else None,
        doi=_doi(raw), pmid=_pmid(raw), issn=issns(*sn) if sn else [],
        language=_first(raw, ("LA",)), publication_type=ptype,
        keywords=dedup([k for k in kw if k]) if kw else [], url=_first(raw, _URL_TAGS))


def _normalise(rec: Record) -> None:
    """(Re)fill the normalised fields of a record from its RIS tags."""
    new = _make(rec.raw, rec.provenance)
    for name in FIELDS:
        setattr(rec, name, getattr(new, name))


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
