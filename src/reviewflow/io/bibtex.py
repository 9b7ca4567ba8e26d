"""BibTeX reader: a tolerant scanner that keeps duplicate fields and odd field names."""

from __future__ import annotations

import re
import unicodedata

from reviewflow.io.base import Parsed, new_record, unusable
from reviewflow.io.normalise import author_initials_style, dedup, issns, split_list
from reviewflow.io.text import LineCounter
from reviewflow.records import Record, Reject, normalise_doi, parse_year

_ENTRY = re.compile(r"@\s*([A-Za-z][\w-]*)\s*([{(])")
_FIELD_NAME = re.compile(r"\s*([^\s=,{}\"#]+(?:[ \u00a0][^\s=,{}\"#]+)*)\s*=\s*")
_BARE = re.compile(r"[^\s,}#)]+")
_SKIP_TYPES = frozenset({"comment", "preamble"})
_MONTHS = {m: m for m in ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                          "oct", "nov", "dec")}
# The commonest LaTeX accents, as BibTeX exports write them: {\'e}, \"{o}, {\~n}.
_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
            "c": "\u0327", "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c"}
_LATEX_ACCENT = re.compile(r"\{?\\([`'^\"~=.]|[cuv](?= ))\s*\{?([A-Za-z])\}?\}?")


_ESCAPED = re.compile(r"\\([&%#_$])")
_TEXT_SYMBOLS = {"textasciitilde": "\x01", "textbackslash": "\x02", "{": "\x03", "}": "\x04"}
_RESTORE = str.maketrans({"\x01": "~", "\x02": "\\", "\x03": "{", "\x04": "}"})
_TEXT_SYMBOL = re.compile(r"\\(textasciitilde|textbackslash|[{}])(?:\{\})?")


class _Unterminated(Exception):
    pass


# The characters that matter when looking for the end of a braced or parenthesised value.
_BRACES = {"}": re.compile(r"[\\{}]"), ")": re.compile(r"[\\{})]")}


def _balanced(text: str, i: int, close: str) -> int:
    """Index just past the `close` matching the opener before `i`, honouring nested braces."""
    depth = 0
    search = _BRACES[close].search
    while True:
        m = search(text, i)
        if m is None:
            raise _Unterminated
        j = m.start()
        c = text[j]
        if c == "\\":
            i = j + 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            if depth == 0 and close == "}":
                return j + 1
            depth -= 1
        elif depth == 0:  # the closing parenthesis
            return j + 1
        i = j + 1


def _value(text: str, i: int, macros: dict[str, str]) -> tuple[str, int]:
    """One field value ({..}, "..", a number or macro, joined with #) and the index after it."""
    parts = []
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            raise _Unterminated
        c = text[i]
        if c == "{":
            end = _balanced(text, i + 1, "}")
            parts.append(text[i + 1:end - 1])
            i = end
        elif c == '"':
            j = i + 1
            depth = 0
            while j < len(text) and not (text[j] == '"' and depth == 0 and text[j - 1] != "\\"):
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            if j >= len(text):
                raise _Unterminated
            parts.append(text[i + 1:j])
            i = j + 1
        else:
            m = _BARE.match(text, i)
            if not m:
                break
            word = m.group(0)
            parts.append(macros.get(word.lower(), _MONTHS.get(word.lower(), word)))
            i = m.end()
        while i < len(text) and text[i].isspace():
            i += 1
        if i < len(text) and text[i] == "#":
            i += 1
            continue
        break
    return "".join(parts), i


def read_bibtex(text: str, source: str, file: str) -> Parsed:
    """Read every entry; @comment and @preamble are skipped, @string macros applied."""
    out = Parsed()
    macros: dict[str, str] = {}
    lines = LineCounter(text)
    index = 0
    pos = 0
    while True:
        m = _ENTRY.search(text, pos)
        if not m:
            break
        kind = m.group(1).lower()
        close = "}" if m.group(2) == "{" else ")"
        start_line = lines.line_at(m.start())
        try:
            if kind in _SKIP_TYPES:
                pos = _balanced(text, m.end(), close)
                continue
            if kind == "string":
                end = _balanced(text, m.end(), close)
                fm = _FIELD_NAME.match(text, m.end())
                if fm:
                    value, _ = _value(text, fm.end(), macros)
                    macros[fm.group(1).lower()] = value
                pos = end
                continue
            raw, pos = _entry(text, m.end(), close, kind, macros)
        except _Unterminated:
            rest = text[m.start():]
            nxt = _ENTRY.search(text, m.end())
            end = nxt.start() if nxt else len(text)
            out.rejects.append(Reject(source, file, index, start_line,
                                      "BibTeX entry without its closing brace",
                                      text[m.start():end].rstrip() if nxt else rest.rstrip()))
            index += 1
            if not nxt:
                break
            pos = nxt.start()
            continue
        rec = new_record(source, file, index, start_line, raw)
        _normalise(rec)
        if unusable(rec):
            out.rejects.append(Reject(source, file, index, start_line,
                                      "BibTeX entry with no title and no other usable field",
                                      text[m.start():pos]))
        else:
            out.add(rec, _key(raw))
        index += 1
    out.dialect = _dialect(out.records)
    return out


def _dialect(records: list[Record]) -> str | None:
    """wos ('WOS:'/'ISI:' keys), scopus (source = Scopus), europepmc ('PMID:' keys)."""
    for rec in records[:20]:
        key = rec.raw["ID"][0].upper()
        if key.startswith(("WOS:", "ISI:")) or _get(rec.raw, "unique-id"):
            return "wos"
        if (_get(rec.raw, "source") or "").lower() == "scopus":
            return "scopus"
        if key.startswith(("PMID:", "PPR:", "PMC")):
            return "europepmc"
    return None


def _entry(text: str, i: int, close: str, kind: str,
           macros: dict[str, str]) -> tuple[dict[str, list[str]], int]:
    """Fields of one entry starting after its opening brace: (raw, index after the entry)."""
    raw: dict[str, list[str]] = {"ENTRYTYPE": [kind]}
    comma = text.find(",", i)
    end_here = _balanced(text, i, close)
    if comma == -1 or comma > end_here:
        raw["ID"] = [text[i:end_here - 1].strip()]
        return raw, end_here
    raw["ID"] = [text[i:comma].strip()]
    i = comma + 1
    while True:
        while i < len(text) and (text[i].isspace() or text[i] == ","):
            i += 1
        if i >= len(text):
            raise _Unterminated
        if text[i] == close:
            return raw, i + 1
        fm = _FIELD_NAME.match(text, i)
        if not fm:
            # Not a field: skip to the end of the entry (the text stays in the file only).
            return raw, _balanced(text, i, close)
        value, i = _value(text, fm.end(), macros)
        raw.setdefault(fm.group(1), []).append(value)


def _key(raw: dict[str, list[str]]) -> str | None:
    """WoS 'Unique-ID', Europe PMC 'PMID:...' keys; other citation keys are not stable ids."""
    uid = _get(raw, "unique-id")
    if uid:
        return uid
    key = raw["ID"][0]
    return key if key.upper().startswith(("PMID:", "WOS:", "ISI:", "PPR:")) else None


def _get(raw: dict[str, list[str]], name: str, latex: bool = True) -> str | None:
    """First non-empty value of a field (any case); `latex=False` for URLs and DOIs."""
    for k, vals in raw.items():
        if k.lower() == name:
            for v in vals:
                c = clean(v) if latex else " ".join(v.replace("{", "").replace("}", "").split())
                if c:
                    return c
    return None


def clean(value: str) -> str:
    """A field value as plain text: accents decoded, braces and line wrapping removed."""
    # Only the decoded accents are composed (NFC): other text is kept exactly as it is.
    v = _LATEX_ACCENT.sub(lambda m: unicodedata.normalize("NFC", m.group(2) + _ACCENTS[m.group(1)]),
                          value)
    # Escaped symbols go to placeholders first, so that removing braces keeps them.
    v = _TEXT_SYMBOL.sub(lambda m: _TEXT_SYMBOLS[m.group(1)], v)
    v = v.replace("~", " ")  # a tie: non-breaking space
    v = _ESCAPED.sub(r"\1", v)
    v = v.replace("{", "").replace("}", "")
    v = v.translate(_RESTORE)
    return " ".join(v.split())


_NAME_SEP = re.compile(r"(?<!\\)[{}]|\s+and\s+")


def _names(raw: dict[str, list[str]]) -> list[str]:
    """The names of the first non-empty author field, split at each 'and' outside braces
    ('{Johnson and Johnson} and Doe, J' is two names)."""
    for k, vals in raw.items():
        if k.lower() != "author":
            continue
        for v in vals:
            parts, depth, start = [], 0, 0
            for m in _NAME_SEP.finditer(v):
                c = m.group(0)
                if c == "{":
                    depth += 1
                elif c == "}":
                    depth -= 1
                elif depth == 0:
                    parts.append(v[start:m.start()])
                    start = m.end()
            parts.append(v[start:])
            names = [n for n in (clean(p) for p in parts) if n]
            if names:
                return names
    return []


def _normalise(rec: Record) -> None:
    """Fill the normalised fields from BibTeX fields (names matched case-insensitively)."""
    raw = rec.raw
    rec.title = _get(raw, "title")
    rec.abstract = _get(raw, "abstract")
    rec.authors = [author_initials_style(a) for a in _names(raw)]
    rec.year = parse_year(_get(raw, "year")) or parse_year(_get(raw, "date"))
    rec.journal = _get(raw, "journal") or _get(raw, "journaltitle") or _get(raw, "booktitle")
    rec.volume = _get(raw, "volume")
    rec.issue = _get(raw, "number") or _get(raw, "issue")
    rec.pages = (_get(raw, "pages") or "").replace("--", "-") or None
    rec.doi = normalise_doi((_get(raw, "doi", latex=False) or "").replace("\\_", "_"))
    pmid = _get(raw, "pmid") or (raw["ID"][0][5:] if raw["ID"][0].upper().startswith("PMID:")
                                 else None)
    rec.pmid = pmid if pmid and pmid.isdigit() else None
    rec.issn = issns(_get(raw, "issn"), _get(raw, "eissn"))
    rec.language = _get(raw, "language")
    kind = raw["ENTRYTYPE"][0]
    rec.publication_type = split_list(_get(raw, "type")) or ([kind] if kind != "misc" else [])
    kw = " ; ".join(v for k, vals in raw.items() if k.lower() in ("keywords", "keyword",
                                                                 "author_keywords")
                    for v in vals)
    kw = clean(kw)
    rec.keywords = dedup(split_list(kw, ";") if ";" in kw else split_list(kw, ","))
    rec.url = _get(raw, "url", latex=False)
