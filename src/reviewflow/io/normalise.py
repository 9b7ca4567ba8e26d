"""Helpers shared by the readers: pick values from raw fields and normalise them."""

from __future__ import annotations

import re

from reviewflow.records import Author, parse_author

_ISSN = re.compile(r"(?<![\dXx-])(\d{4})-?(\d{3}[\dXx])(?![\dXx-])")
# 'Craig C.', 'Villard M.-A.', 'Li W.', 'van Acker B.': family name then initials.
_ROMAN = re.compile(r"^[ivxlcdm]+$", re.I)
_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.?[- ]?)+$")


def first(raw: dict[str, list[str]], *tags: str) -> str | None:
    """The first non-empty value of the first tag (in the order given) that has one."""
    for tag in tags:
        vals = raw.get(tag)
        if vals:
            for value in vals:
                v = value.strip()
                if v:
                    return v
    return None


def values(raw: dict[str, list[str]], *tags: str) -> list[str]:
    """All non-empty values of the given tags, tag by tag, in file order."""
    out: list[str] = []
    for tag in tags:
        vals = raw.get(tag)
        if vals:
            out += [s for v in vals if (s := v.strip())]
    return out


def pages(start: str | None, end: str | None) -> str | None:
    """'start-end'; a start already holding a range ('104-9') is kept as given."""
    start = (start or "").strip()
    end = (end or "").strip()
    if not any(c.isdigit() for c in start + end) and not _ROMAN.match(start or end):
        return None  # PsycINFO's SP 'No' / EP 'Specified' ('No Pagination Specified')
    if not start:
        return end or None
    if not end or end == start or "-" in start:
        return start
    return f"{start}-{end}"


def issns(*texts: str | None) -> list[str]:
    """Every ISSN found in the texts, as 'NNNN-NNNC', first occurrence order, no repeats."""
    out: list[str] = []
    for text in texts:
        for m in _ISSN.finditer(text or ""):
            issn = f"{m.group(1)}-{m.group(2).upper()}"
            if issn not in out:
                out.append(issn)
    return out


def split_list(value: str | None, sep: str = ";") -> list[str]:
    """Split a joined list ('a; b; c'), dropping empty items."""
    if not value:
        return []
    return [part.strip() for part in value.split(sep) if part.strip()]


def author_initials_style(value: str) -> Author:
    """'Craig C.' / 'Villard M.-A.' (Scopus, Embase) or 'Family, Given' into an Author."""
    v = " ".join(value.split()).strip(";")
    if "," in v:
        if v[:1] != " " and v[-1:] != " ":
            # What parse_author does with a name already normalised like this one.
            family, given = v.split(",", 1)
            return Author(family.strip(), given.strip())
        return parse_author(v)
    parts = v.split(" ")
    if len(parts) > 1 and _INITIALS.match(parts[-1]) and any(c == "." for c in parts[-1]):
        return Author(" ".join(parts[:-1]), parts[-1])
    if len(parts) > 1 and _INITIALS.match(parts[0]) and any(c == "." for c in parts[0]):
        return Author(" ".join(parts[1:]), parts[0])  # IEEE 'P. Kogge'
    return parse_author(v)


def dedup(items: list[str]) -> list[str]:
    """Drop repeats, keep first-occurrence order."""
    return list(dict.fromkeys(items))


def clean(value: str | None) -> str | None:
    """Collapse whitespace; None for empty."""
    if value is None:
        return None
    v = " ".join(value.split())
    return v or None
