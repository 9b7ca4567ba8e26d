"""Format detection from a file's content (the extension is never trusted alone)."""

from __future__ import annotations

import re

from reviewflow.io import medline, ovid_tagged, ris, wos
from reviewflow.io.bibtex import read_bibtex
from reviewflow.io.generic_table import dialect_of, is_bibliographic_header
from reviewflow.io.scopus_csv import is_scopus_header
from reviewflow.io.tables import header_line, line_cells, sniff_delimiter
from reviewflow.io.text import split_lines

FORMATS = ("ris", "medline", "pubmed_xml", "ovid_tagged", "wos_tagged", "wos_tabdelimited",
           "scopus_csv", "endnote_xml", "bibtex", "csv", "xlsx")

_HEAD_LINES = 400

_BIBTEX_ENTRY = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.M)
_MEDLINE_TAGS = frozenset({"PMID", "OWN", "STAT", "FAU", "TI", "AU", "AB", "DP", "PT", "OID"})
_WOS_TABBED_FIRST = frozenset({"PT", "FN"})


def head_lines(text: str) -> list[str]:
    """The first non-blank lines of a text: enough to recognise any format."""
    return [ln for ln in split_lines(text[:200_000]) if ln.strip()][:_HEAD_LINES]


def sniff(text: str) -> tuple[str, str | None] | None:
    """(format, dialect) recognised from the text, or None."""
    lines = head_lines(text)
    if not lines:
        return None
    first = lines[0].lstrip("\ufeff").lstrip()
    # Anywhere in the head: Ovid's search history (one line per search) may come first.
    if _ovid_tagged(lines):
        return "ovid_tagged", "ovid"
    if first.startswith("<"):
        return _sniff_xml(text[:20_000])
    if first.startswith(("FN ", "VR ")) or (first.startswith("PT ") and _wos_like(lines)):
        return "wos_tagged", "wos"
    cols = first.split("\t")
    if len(cols) > 5 and cols[0] in _WOS_TABBED_FIRST and all(len(c) <= 3 for c in cols[:10]):
        return "wos_tabdelimited", "wos"
    for ln in lines:
        tag = ris.parse_tag(ln)
        if tag is not None and tag[0] == "TY":
            head = ris.read_ris(split_lines(text[:50_000]), "", "")
            return "ris", head.dialect
    medline_tags = [t[0] for t in (medline.parse_tag(ln) for ln in lines[:60]) if t]
    if len(medline_tags) >= 2 and _MEDLINE_TAGS.intersection(medline_tags):
        dialect = "eric" if "OID" in medline_tags and "PMID" not in medline_tags else "pubmed"
        return "medline", dialect
    if _BIBTEX_ENTRY.search("\n".join(lines[:50])):
        return "bibtex", read_bibtex(text[:50_000], "", "").dialect
    return _sniff_table(lines)


def _sniff_table(lines: list[str]) -> tuple[str, str | None] | None:
    """A table's header: the first line, or one below a preamble (Embase.com's CSV puts its search
    strategy above the header)."""
    at = header_line(lines, is_bibliographic_header)
    if at is None:
        return None
    line = lines[at].lstrip("\ufeff")
    header = line_cells(line)
    if sniff_delimiter(line) == "," and is_scopus_header(header):
        return "scopus_csv", "scopus"
    return "csv", dialect_of(header)


def _ovid_tagged(lines: list[str]) -> bool:
    """An Ovid record header, followed by tagged fields ('TI  - ...', not Ovid's labelled display)."""
    at = next((i for i, ln in enumerate(lines) if ovid_tagged.HEADER.match(ln)), None)
    return at is not None and any(medline.parse_tag(ln) for ln in lines[at + 1:at + 6])


def _wos_like(lines: list[str]) -> bool:
    tags = [wos.parse_tag(ln) for ln in lines[:30]]
    return sum(1 for t in tags if t) >= 3 and any(t and t[0] in ("UT", "AU", "TI") for t in tags)


def _sniff_xml(head: str) -> tuple[str, str | None] | None:
    if "<PubmedArticleSet" in head or "<PubmedArticle>" in head or "PubmedArticleSet" in head:
        return "pubmed_xml", "pubmed"
    if "<records>" in head and "<record>" in head:
        return "endnote_xml", "endnote"
    if re.search(r"<!DOCTYPE\s+xml\s*\[", head):
        # EndNote's root is <xml>; a long internal DTD subset (entities: refused by the reader,
        # with that reason) can push <records> beyond the head.
        return "endnote_xml", "endnote"
    return None


def nearest(text: str) -> str:
    """When no format fits: the one the text comes nearest to, and what did not fit."""
    lines = head_lines(text)
    if not lines:
        return "the file has no text"
    first = lines[0].lstrip("\ufeff").lstrip()
    if first.startswith("<"):
        root = re.search(r"<([A-Za-z_][-\w.:]*)", text[:20_000])   # the first element, past <?xml ?> and <!...>
        return (f"nearest: XML, but its root {root.group(1) if root else first[:30]!r} is neither PubMed's "
                "<PubmedArticleSet> nor EndNote's <xml><records>")
    tags = [t[0] for t in (medline.parse_tag(ln) for ln in lines[:80]) if t]
    if len(tags) >= 3:
        seen = ", ".join(dict.fromkeys(tags[:12]))
        return (f"nearest: tagged text ('XX  - value' lines: {seen}), but no RIS 'TY' tag, no MEDLINE tag set "
                "and no Ovid '<1>' record header")
    cells = line_cells(first)
    if len(cells) >= 2:
        shown = ", ".join(repr(c) for c in cells[:8])
        return (f"nearest: a table (delimiter {sniff_delimiter(first)!r}), but none of its first "
                f"{min(len(lines), 200)} lines names a bibliographic column (title, abstract, DOI, authors, PMID); "
                f"first line: {shown}")
    return f"nearest: none; the first line is {first[:60]!r}"
