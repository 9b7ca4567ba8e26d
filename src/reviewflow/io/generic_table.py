"""Generic tables (CSV, TSV, XLSX): column names of ASReview, Rayyan, Covidence, PubMed,
EBSCO, Embase, IEEE, Cochrane, SpringerLink exports mapped to the normalised fields."""

from __future__ import annotations

import re

from reviewflow.errors import InputFileError
from reviewflow.io.base import Parsed
from reviewflow.io.normalise import (
    author_initials_style,
    dedup,
    issns,
    pages,
    split_list,
)
from reviewflow.io.scopus_csv import is_scopus_header
from reviewflow.io.tables import Row, add_rows, read_headed_rows
from reviewflow.records import Author, Record, normalise_doi, parse_author, parse_year

# Normalised column name (lower case, letters and digits only) -> field, best first.
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "primarytitle", "articletitle", "documenttitle", "itemtitle", "ti"),
    "abstract": ("abstract", "abstractnote", "ab"),
    "authors": ("authors", "author", "authornames", "authors1", "au"),
    "year": ("year", "publicationyear", "publishedyear", "pubyear", "py", "publicationdate",
             "date"),
    "journal": ("journal", "journaltitle", "journalbook", "secondarytitle", "sourcetitle",
                "publicationtitle", "source", "so", "jo"),
    "volume": ("volume", "journalvolume", "vl"),
    "issue": ("issue", "journalissue", "number", "is"),
    "pages": ("pages", "page", "pg"),
    "start_page": ("startpage", "firstpage", "pagestart", "sp"),
    "end_page": ("endpage", "lastpage", "pageend", "ep"),
    "doi": ("doi", "itemdoi", "do", "di"),
    "pmid": ("pmid", "pubmedid", "pubmed", "medlinepmid"),
    "issn": ("issn", "sn"),
    "language": ("language", "lang", "la"),
    "publication_type": ("publicationtype", "documenttype", "doctype", "type", "contenttype",
                         "typeofwork"),
    "keywords": ("keywords", "authorkeywords", "subjects", "meshterms", "ieeeterms", "kw"),
    "url": ("url", "link", "plink", "pdflink", "openurllink"),
    "key": ("recordid", "key", "covidence", "centralid", "accessionnumber", "eid", "id"),
}
_INITIALS_TOKEN = re.compile(r"^(?:[A-Z]\.?-?){1,4}\.?$")
_EXCEL_FORMULA = re.compile(r'^="(.*)"$')  # EBSCO writes '="4/3/2024"' to stop Excel


# A table is a bibliographic export only if some column names one of these fields.
KNOWN_COLUMNS = frozenset({"title", "abstract", "doi", "authors", "pmid"})


def norm_name(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum())


def column_map(header: list[str]) -> dict[str, str]:
    """field -> the header column that holds it (first alias found)."""
    by_norm: dict[str, str] = {}
    for col in header:
        by_norm.setdefault(norm_name(col), col)
    found: dict[str, str] = {}
    for fld, names in ALIASES.items():
        for n in names:
            if n in by_norm:
                found[fld] = by_norm[n]
                break
    return found


def dialect_of(header: list[str]) -> str | None:
    """Which tool wrote a table, from its tell-tale columns."""
    cols = {norm_name(c) for c in header}
    checks = (
        ("covidence", {"covidence"}), ("rayyan", {"key", "notes", "pubmedid"}),
        ("asreview", {"recordid"}), ("pubmed", {"pmid", "citation", "journalbook"}),
        ("ebsco", {"plink"}), ("embase", {"authornames", "openurllink"}),
        ("ieee", {"documenttitle", "ieeeterms"}), ("cochrane", {"centralid"}),
        ("springer", {"itemtitle", "itemdoi"}),
    )
    for name, needed in checks:
        if needed <= cols:
            return name
    return None


def read_table_rows(header: list[str], rows: list[Row], source: str, file: str) -> Parsed:
    """Records from the rows of any table with a header row."""
    out = Parsed(dialect=dialect_of(header))
    cmap = column_map(header)
    if "title" not in cmap and "doi" not in cmap and "abstract" not in cmap:
        out.warnings.append("no title, abstract or DOI column found in header: "
                            + ", ".join(header))
    add_rows(out, header, rows, source, file, lambda rec: _normalise(rec, cmap),
             lambda raw: _cell(raw, cmap, "key"), "row")
    return out


def _cell(raw: dict[str, list[str]], cmap: dict[str, str], fld: str) -> str | None:
    col = cmap.get(fld)
    if col is None:
        return None
    value = raw[col][0].strip()
    m = _EXCEL_FORMULA.match(value)
    if m:
        value = m.group(1).strip()
    return value or None


def _normalise(rec: Record, cmap: dict[str, str]) -> None:
    """Fill the normalised fields from the mapped columns."""
    raw = rec.raw

    def get(fld: str) -> str | None:
        return _cell(raw, cmap, fld)

    rec.title = get("title")
    rec.abstract = get("abstract")
    rec.authors = split_authors(get("authors"))
    # Embase CSV has no year column: its Source is 'Endoscopic Ultrasound (2014) 3:3 ...'.
    rec.year = parse_year(get("year")) if "year" in cmap else parse_year(get("journal"))
    rec.journal = get("journal")
    rec.volume = get("volume")
    rec.issue = get("issue")
    rec.pages = get("pages") or pages(get("start_page"), get("end_page"))
    rec.doi = normalise_doi(get("doi"))
    pmid = get("pmid")
    rec.pmid = pmid.split()[-1] if pmid and pmid.split()[-1].isdigit() else None
    rec.issn = issns(get("issn"))
    rec.language = get("language")
    rec.publication_type = split_list(get("publication_type"))
    kw = get("keywords")
    rec.keywords = dedup(split_list(kw, ";") if kw and ";" in kw else split_list(kw, ","))
    rec.url = get("url")


def split_authors(value: str | None) -> list[Author]:
    """'A; B', 'A and B' (BibTeX style, Rayyan), 'Liu R., Adler D.G.' or 'Griffin DK, ...'."""
    if not value or not value.strip():
        return []
    if ";" in value:
        return [author_initials_style(a) for a in split_list(value, ";")]
    if " and " in value:
        return [author_initials_style(a) for a in value.split(" and ") if a.strip()]
    if "," in value and _initials_list(value):
        parts = split_list(value, ",")
        if "." not in "".join(parts[:-1]):
            parts[-1] = parts[-1].rstrip(".")  # PubMed CSV ends the list with a period
        return [author_initials_style(a) for a in parts]
    return [parse_author(value)]


def _initials_list(value: str) -> bool:
    """'Liu R., Adler D.G.' / 'Griffin DK, Larkin DM': every comma part is 'Family Initials'."""
    parts = split_list(value, ",")
    return len(parts) > 1 and all(" " in p and _INITIALS_TOKEN.match(p.rsplit(" ", 1)[1])
                                  for p in parts)


def is_bibliographic_header(cells: list[str], first: bool = True) -> bool:
    """Whether a line's cells are the header of a bibliographic table. The very first line needs one
    known column; a line further down (below a preamble) needs two, so that no line of a search
    strategy is taken for the header."""
    if len(cells) < 2:
        return False
    if is_scopus_header(cells):
        return True
    return len(KNOWN_COLUMNS.intersection(column_map(cells))) >= (1 if first else 2)


def read_csv_table(text: str, source: str, file: str) -> Parsed:
    """Read a CSV or TSV table (delimiter sniffed from the header line, which a preamble such as
    Embase's search strategy may push down)."""
    header, rows, said = read_headed_rows(text, file, is_bibliographic_header)
    out = read_table_rows(header, rows, source, file)
    out.warnings[:0] = said
    return out


def read_xlsx(path: str, source: str, file: str) -> Parsed:
    """Read the first sheet of an XLSX workbook: row 1 is the header."""
    from openpyxl import load_workbook

    def unreadable(exc: Exception, line: int) -> InputFileError:
        said = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]  # one line, whatever openpyxl says
        return InputFileError(f"unreadable XLSX workbook ({said})", file=file, line=line)

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zip, zlib, XML (ParseError) or openpyxl's own: all mean not a workbook
        raise unreadable(exc, 1) from None
    table: list[list[str]] = []
    try:
        ws = wb.worksheets[0]
        # Read-only mode parses rows lazily: a damaged part of the file fails here, at its row.
        for row in ws.iter_rows(values_only=True):
            table.append(["" if c is None else str(c) for c in row])
    except Exception as exc:  # zip, zlib, XML or openpyxl's own errors: all mean a damaged file
        raise unreadable(exc, len(table) + 1) from None
    finally:
        wb.close()
    numbered = [(i + 1, cells) for i, cells in enumerate(table) if any(c.strip() for c in cells)]
    if not numbered:
        raise InputFileError("empty workbook: no header row", file=file, line=1)
    header = [h.strip() for h in numbered[0][1]]
    while header and not header[-1]:
        header.pop()
    rows = [Row(n, cells, "\t".join(cells)) for n, cells in numbered[1:]]
    return read_table_rows(header, rows, source, file)
