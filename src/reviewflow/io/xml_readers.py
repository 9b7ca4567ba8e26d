"""PubMed XML (efetch / 'Save as XML') and EndNote XML readers, parsed with defusedxml."""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from reviewflow.errors import InputFileError
from reviewflow.io.base import Parsed, new_record, unusable
from reviewflow.io.normalise import author_initials_style, dedup, issns, pages
from reviewflow.io.text import LineCounter
from reviewflow.records import Author, Record, Reject, normalise_doi, parse_year

# Markup inside text (titles with italics, EndNote's <style> wrapper): part of the value.
_INLINE = frozenset({"style", "i", "b", "u", "sup", "sub", "em", "strong", "mml:math"})


def parse_xml(text: str, file: str) -> Element:
    """Parse XML without DTDs or entities from anywhere; errors name the line."""
    try:
        return fromstring(text.encode("utf-8"))
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else 1
        raise InputFileError(f"malformed XML ({exc.msg if hasattr(exc, 'msg') else exc})",
                             file=file, line=line) from None
    except DefusedXmlException as exc:
        raise InputFileError(f"XML refused for safety ({type(exc).__name__})", file=file,
                             line=1) from None


def flatten(el: Element) -> dict[str, list[str]]:
    """Every text and attribute below `el`, keyed by relative path, in document order."""
    raw: dict[str, list[str]] = {}

    def walk(node: Element, path: str) -> None:
        for name, value in node.attrib.items():
            raw.setdefault(f"{path}@{name}" if path else f"@{name}", []).append(value)
        children = list(node)
        if not children or all(_local(c.tag) in _INLINE for c in children):
            text = " ".join("".join(node.itertext()).split())
            if text and path:
                raw.setdefault(path, []).append(text)
            return
        for child in children:
            walk(child, f"{path}/{_local(child.tag)}" if path else _local(child.tag))

    walk(el, "")
    return raw


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(el: Element | None) -> str | None:
    if el is None:
        return None
    text = " ".join("".join(el.itertext()).split())
    return text or None


def _starts(text: str, pattern: str) -> Iterator[int]:
    """1-based line of each opening tag matching `pattern`, in document order."""
    lines = LineCounter(text)
    for m in re.finditer(pattern, text):
        yield lines.line_at(m.start())


def read_pubmed_xml(text: str, source: str, file: str) -> Parsed:
    """Read every PubmedArticle / PubmedBookArticle of a PubmedArticleSet."""
    root = parse_xml(text, file)
    out = Parsed(dialect="pubmed")
    articles = [e for e in root.iter() if e.tag in ("PubmedArticle", "PubmedBookArticle")]
    lines = list(_starts(text, r"<Pubmed(?:Book)?Article[\s>]"))
    for index, art in enumerate(articles):
        line = lines[index] if index < len(lines) else 1
        rec = new_record(source, file, index, line, flatten(art))
        _pubmed_fields(rec, art)
        if unusable(rec):
            out.rejects.append(Reject(source, file, index, line,
                                      "PubMed article with no title and no other usable field",
                                      _serialise(art)))
            continue
        out.add(rec, rec.pmid)
    return out


def _serialise(el: Element) -> str:
    from xml.etree.ElementTree import tostring

    return tostring(el, encoding="unicode")


def _pubmed_fields(rec: Record, art: Element) -> None:
    """Fill the normalised fields from a PubmedArticle element."""
    rec.pmid = _text(art.find("MedlineCitation/PMID")) or _text(art.find(".//PMID"))
    rec.title = _text(art.find(".//ArticleTitle")) or _text(art.find(".//BookTitle"))
    parts = []
    for ab in art.findall(".//Abstract/AbstractText"):
        body = _text(ab)
        if body:
            label = ab.get("Label")
            parts.append(f"{label}: {body}" if label else body)
    rec.abstract = " ".join(parts) or None
    authors = []
    for au in art.findall(".//AuthorList/Author"):
        last = _text(au.find("LastName"))
        if last:
            authors.append(Author(last, _text(au.find("ForeName")) or
                                  _text(au.find("Initials")) or ""))
        elif _text(au.find("CollectiveName")):
            authors.append(Author(_text(au.find("CollectiveName")) or "", ""))
    rec.authors = authors
    pub = art.find(".//JournalIssue/PubDate")
    rec.year = parse_year(_text(pub)) if pub is not None else None
    if rec.year is None:
        rec.year = parse_year(_text(art.find(".//PubDate")))
    rec.journal = _text(art.find(".//Journal/Title")) or \
        _text(art.find(".//Journal/ISOAbbreviation"))
    rec.volume = _text(art.find(".//JournalIssue/Volume"))
    rec.issue = _text(art.find(".//JournalIssue/Issue"))
    rec.pages = _text(art.find(".//Pagination/MedlinePgn")) or pages(
        _text(art.find(".//Pagination/StartPage")), _text(art.find(".//Pagination/EndPage")))
    doi = None
    for el in art.findall(".//ELocationID") + art.findall(".//ArticleIdList/ArticleId"):
        if el.get("EIdType") == "doi" or el.get("IdType") == "doi":
            doi = normalise_doi(_text(el))
            if doi:
                break
    rec.doi = doi
    rec.issn = issns(*(_text(e) for e in art.findall(".//ISSN")))
    rec.language = _text(art.find(".//Language"))
    rec.publication_type = dedup([t for e in art.findall(".//PublicationType")
                                  if (t := _text(e))])
    rec.keywords = dedup([k for e in art.findall(".//Keyword") + art.findall(
        ".//MeshHeading/DescriptorName") if (k := _text(e))])


def read_endnote_xml(text: str, source: str, file: str) -> Parsed:
    """Read every <record> of an EndNote XML export."""
    root = parse_xml(text, file)
    out = Parsed(dialect="endnote")
    lines = list(_starts(text, r"<record>"))
    for index, el in enumerate(root.iter("record")):
        line = lines[index] if index < len(lines) else 1
        raw = flatten(el)
        rec = new_record(source, file, index, line, raw)
        _endnote_fields(rec, el)
        if unusable(rec):
            out.rejects.append(Reject(source, file, index, line,
                                      "EndNote record with no title and no other usable field",
                                      _serialise(el)))
            continue
        out.add(rec, _text(el.find("accession-num")))
    return out


def _endnote_fields(rec: Record, el: Element) -> None:
    """Fill the normalised fields from an EndNote <record>."""
    rec.title = _text(el.find("titles/title"))
    rec.abstract = _text(el.find("abstract"))
    rec.authors = [author_initials_style(t) for a in el.findall("contributors/authors/author")
                   if (t := _text(a))]
    rec.year = parse_year(_text(el.find("dates/year")))
    rec.journal = _text(el.find("periodical/full-title")) or \
        _text(el.find("titles/secondary-title")) or _text(el.find("periodical/abbr-1"))
    rec.volume = _text(el.find("volume"))
    rec.issue = _text(el.find("number"))
    rec.pages = _text(el.find("pages"))
    rec.doi = normalise_doi(_text(el.find("electronic-resource-num")))
    rec.issn = issns(_text(el.find("isbn")))
    rec.language = _text(el.find("language"))
    ref_type = el.find("ref-type")
    rec.publication_type = [ref_type.get("name")] if ref_type is not None and \
        ref_type.get("name") else []
    rec.keywords = dedup([k for e in el.findall("keywords/keyword") if (k := _text(e))])
    rec.url = _text(el.find("urls/related-urls/url"))
    note = _text(el.find("accession-num")) or ""
    if note.isdigit() and "pubmed" in (_text(el.find("remote-database-name")) or "").lower():
        rec.pmid = note
