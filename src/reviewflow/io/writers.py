"""Writers for the normalised fields: RIS, BibTeX, CSV, JSON Lines (atomic, deterministic)."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable

from reviewflow import fsio
from reviewflow.fsio import atomic_write_text, iter_jsonl
from reviewflow.io.normalise import author_initials_style
from reviewflow.records import Author, Record

CSV_COLUMNS = ("record_id", "source", "file", "index", "line", "title", "abstract", "authors",
               "year", "journal", "volume", "issue", "pages", "doi", "pmid", "issn",
               "language", "publication_type", "keywords", "url")


def _one_line(value: str) -> str:
    """Formats of one value per line: line breaks inside a value become spaces."""
    return " ".join(value.split())


def _author_text(a: Author) -> str:
    """'Family, Given'; a family name alone gets a trailing comma when it would otherwise be
    read back as 'Family Initials' ('Group ABC')."""
    if a.given:
        return f"{a.family}, {a.given}"
    plain = author_initials_style(a.family) == Author(a.family, "")
    return a.family if plain else f"{a.family},"


def _ris_pages(pages: str) -> list[tuple[str, str]]:
    if pages.count("-") == 1:
        start, end = pages.split("-")
        if start and end and start != end:
            return [("SP", start), ("EP", end)]
    return [("SP", pages)]


def ris_text(records: Iterable[Record]) -> str:
    """RIS for the records, one 'TAG  - value' per line, records ended by 'ER  - '."""
    out = io.StringIO()
    for rec in records:
        ty = "GEN"
        if rec.publication_type:
            ty = (rec.raw.get("TY") or ["JOUR"])[0] or "JOUR"
        tags: list[tuple[str, str]] = [("TY", ty), ("AN", rec.id)]
        if rec.title:
            tags.append(("TI", rec.title))
        tags += [("AU", _author_text(a)) for a in rec.authors]
        if rec.year is not None:
            tags.append(("PY", str(rec.year)))
        for tag, value in (("JF", rec.journal), ("VL", rec.volume), ("IS", rec.issue)):
            if value:
                tags.append((tag, value))
        if rec.pages:
            tags += _ris_pages(rec.pages)
        if rec.doi:
            tags.append(("DO", rec.doi))
        if rec.pmid:
            tags.append(("C5", rec.pmid))
        tags += [("SN", s) for s in rec.issn]
        if rec.language:
            tags.append(("LA", rec.language))
        tags += [("M3", t) for t in rec.publication_type]
        tags += [("KW", k) for k in rec.keywords]
        if rec.url:
            tags.append(("UR", rec.url))
        if rec.abstract:
            tags.append(("AB", rec.abstract))
        for tag, value in tags:
            out.write(f"{tag}  - {_one_line(value)}\n")
        out.write("ER  - \n\n")
    return out.getvalue()


def write_ris(records: Iterable[Record], path: str | os.PathLike) -> None:
    atomic_write_text(path, ris_text(records))


_BIB_SPECIAL = re.compile(r"([&%#_$])")


def _bib_escape(value: str) -> str:
    """Escape LaTeX specials, braces, tilde and backslash so that a reader gets the text back."""
    v = _one_line(value).replace("\\", "\x00")
    v = _BIB_SPECIAL.sub(r"\\\1", v).replace("{", "\\{").replace("}", "\\}")
    return v.replace("~", "\\textasciitilde{}").replace("\x00", "\\textbackslash{}")


_AND = re.compile(r"\sand\s", re.I)


def _bib_name(a: Author) -> str:
    """A name for an author list; a part holding ' and ' is braced, so that it stays one name
    ('{Johnson and Johnson}')."""
    name = Author(_one_line(a.family), _one_line(a.given))

    def part(text: str) -> str:
        return "{" + _bib_escape(text) + "}" if _AND.search(f" {text} ") else _bib_escape(text)

    if name.given:
        return f"{part(name.family)}, {part(name.given)}"
    return part(name.family) + _author_text(name)[len(name.family):]


def _bib_key(rec: Record) -> str:
    return f"rf_{rec.id}"


def bibtex_text(records: Iterable[Record]) -> str:
    """BibTeX for the records: @article when there is a journal, else @misc."""
    out = io.StringIO()
    for rec in records:
        kind = "article" if rec.journal else "misc"
        fields: list[tuple[str, str]] = []
        if rec.title:
            fields.append(("title", _bib_escape(rec.title)))
        if rec.authors:
            fields.append(("author", " and ".join(_bib_name(a) for a in rec.authors)))
        if rec.year is not None:
            fields.append(("year", str(rec.year)))
        for name, value in (("journal", rec.journal), ("volume", rec.volume),
                            ("number", rec.issue), ("pages", rec.pages),
                            ("language", rec.language)):
            if value:
                fields.append((name, _bib_escape(value)))
        if rec.doi:
            fields.append(("doi", _one_line(rec.doi)))
        if rec.pmid:
            fields.append(("pmid", rec.pmid))
        if rec.issn:
            fields.append(("issn", "; ".join(rec.issn)))
        if rec.publication_type:
            fields.append(("type", "; ".join(_bib_escape(t) for t in rec.publication_type)))
        elif kind == "article":
            kind = "misc"  # no type known: @misc reads back as no type
        if rec.keywords:
            kw = "; ".join(_bib_escape(k) for k in rec.keywords)
            fields.append(("keywords", kw + (";" if len(rec.keywords) == 1 else "")))
        if rec.url:
            fields.append(("url", _one_line(rec.url)))
        if rec.abstract:
            fields.append(("abstract", _bib_escape(rec.abstract)))
        out.write(f"@{kind}{{{_bib_key(rec)},\n")
        for name, value in fields:
            out.write(f"  {name} = {{{value}}},\n")
        out.write("}\n\n")
    return out.getvalue()


def write_bibtex(records: Iterable[Record], path: str | os.PathLike) -> None:
    atomic_write_text(path, bibtex_text(records))


def csv_row(rec: Record) -> dict[str, str]:
    """A record as one CSV row: lists '; '-joined, authors 'Family, Given; ...'."""
    return {
        "record_id": rec.id, "source": rec.provenance.source, "file": rec.provenance.file,
        "index": str(rec.provenance.index), "line": str(rec.provenance.line),
        "title": rec.title or "", "abstract": rec.abstract or "",
        "authors": "; ".join(_author_text(a) for a in rec.authors),
        "year": "" if rec.year is None else str(rec.year), "journal": rec.journal or "",
        "volume": rec.volume or "", "issue": rec.issue or "", "pages": rec.pages or "",
        "doi": rec.doi or "", "pmid": rec.pmid or "", "issn": "; ".join(rec.issn),
        "language": rec.language or "",
        "publication_type": "; ".join(rec.publication_type),
        "keywords": "; ".join(rec.keywords) + (";" if len(rec.keywords) == 1 else ""),
        "url": rec.url or "",
    }


def write_csv(records: Iterable[Record], path: str | os.PathLike) -> None:
    """CSV (UTF-8, LF) with CSV_COLUMNS; cells are written as they are (a data file)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for rec in records:
        writer.writerow(csv_row(rec))
    atomic_write_text(path, buf.getvalue())


def write_jsonl(records: Iterable[Record], path: str | os.PathLike) -> None:
    """One Record.to_dict() per line, keys sorted: lossless, raw fields included."""
    fsio.write_dataclass_jsonl(path, records)


def read_jsonl(path: str | os.PathLike) -> list[Record]:
    """Records written by write_jsonl."""
    return [Record.from_dict(d) for d in iter_jsonl(path)]
