"""Writers for each database's real export format and dialect (layout modelled on real exports)."""

from __future__ import annotations

import csv
import hashlib
import io
import textwrap
import zlib
from collections.abc import Callable
from urllib.parse import quote

from reviewflow.demo.variants import Copy

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
EXTENSIONS = {"nbib": "nbib", "ris": "ris", "scopus_csv": "csv", "csv": "csv",
              "wos_plaintext": "txt"}
# Export name in the config -> database family (for RIS the platform decides the dialect).
PLATFORM_FAMILY = {"ovid": "ovid", "ebscohost": "ebsco", "proquest": "proquest"}
EBSCO_DB_CODES = {"cinahl": "ccm", "socindex": "sih", "swab": "swh", "asc": "a9h", "pbsc": "pbh",
                  "cja": "i3h"}
OVID_DB_CODES = {"psycinfo": "psyc7", "embase": "emed23"}
PUBMED_PT = {"journal-article": ["Journal Article"], "review": ["Journal Article", "Review"],
             "editorial": ["Editorial"], "commentary": ["Comment"],
             "erratum": ["Published Erratum"], "conference-abstract": ["Congress"]}
OVID_TYPE = {"journal-article": "Journal Article", "review": "Review", "editorial": "Editorial",
             "commentary": "Comment", "erratum": "Erratum",
             "conference-abstract": "Conference Abstract"}
SCOPUS_TYPE = {"journal-article": "Article", "review": "Review", "editorial": "Editorial",
               "commentary": "Note", "erratum": "Erratum",
               "conference-abstract": "Conference Paper"}
WOS_TYPE = {"journal-article": "Article", "review": "Review", "editorial": "Editorial Material",
            "commentary": "Editorial Material", "erratum": "Correction",
            "conference-abstract": "Meeting Abstract"}
SCOPUS_HEADER = (
    "Authors", "Author full names", "Author(s) ID", "Title", "Year", "Source title", "Volume",
    "Issue", "Art. No.", "Page start", "Page end", "Page count", "Cited by", "DOI", "Link",
    "Affiliations", "Authors with affiliations", "Abstract", "Author Keywords", "Index Keywords",
    "Molecular Sequence Numbers", "Chemicals/CAS", "Tradenames", "Manufacturers",
    "Funding Details", "Funding Texts", "References", "Correspondence Address", "Editors",
    "Publisher", "Sponsors", "Conference name", "Conference date", "Conference location",
    "Conference code", "ISSN", "ISBN", "CODEN", "PubMed ID", "Language of Original Document",
    "Abbreviated Source Title", "Document Type", "Publication Stage", "Open Access", "Source",
    "EID",
)


def family_of(export: str, platform: str) -> str:
    """The database family (pubmed, ovid, ebsco, proquest, scopus, wos) of a configured export."""
    if export in ("nbib", "pubmed"):  # a PubMed export, or PubMed searched through E-utilities
        return "pubmed"
    if export in ("scopus_csv", "csv"):
        return "scopus"
    if export == "wos_plaintext":
        return "wos"
    for key, fam in PLATFORM_FAMILY.items():
        if key in platform.lower():
            return fam
    return "ebsco"


# --- shared helpers -------------------------------------------------------------------------
def stable_int(text: str, digits: int) -> int:
    """A deterministic number of `digits` digits derived from `text`."""
    h = int(hashlib.sha256(text.encode()).hexdigest(), 16)
    return 10 ** (digits - 1) + h % (9 * 10 ** (digits - 1))


def issn(name: str) -> str:
    """A synthetic, check-digit-valid ISSN for a journal name."""
    body = f"{zlib.crc32(name.encode()) % 10_000_000:07d}"
    total = sum(int(c) * w for c, w in zip(body, range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return f"{body[:4]}-{body[4:]}{'X' if check == 10 else check}"


def publisher(copy: Copy) -> str:
    stem = copy.doc.journal.stem
    if stem.startswith("j."):
        return "Elsevier B.V."
    if stem.startswith("s1"):
        return "BioMed Central Ltd."
    if stem[:1].isdigit():
        return "Taylor & Francis Ltd"
    return {"AJPH": "American Public Health Association", "ADM": "Wolters Kluwer Health",
            "prj": "American Psychological Association", "journal.pone": "Public Library of Science",
            "bmjopen": "BMJ Publishing Group"}.get(stem, "John Wiley & Sons")


def initials(given: str, dots: bool = False) -> str:
    letters = [p[0] for p in given.replace("-", " ").split() if p]
    return "".join(f"{c}." for c in letters) if dots else "".join(letters)


def pages(copy: Copy) -> tuple[str, str]:
    """First and last page, or the article number as first page."""
    doc = copy.doc
    if doc.pages:
        return str(doc.pages[0]), str(doc.pages[1])
    return doc.article_no, ""


def medline_pages(first: str, last: str) -> str:
    """MEDLINE's abbreviated range: 104-109 -> 104-9."""
    if not last or first == last:
        return first
    if len(first) == len(last):
        i = 0
        while i < len(first) - 1 and first[i] == last[i]:
            i += 1
        return f"{first}-{last[i:]}"
    return f"{first}-{last}"


def with_period(title: str) -> str:
    return title if title.endswith((".", "?", "!")) else title + "."


def doi_bare(doi: str) -> str:
    for prefix in ("https://doi.org/", "http://dx.doi.org/"):
        if doi.startswith(prefix):
            return doi[len(prefix):]
    return doi


# --- PubMed MEDLINE (.nbib) -----------------------------------------------------------------
def medline_field(tag: str, value: str, width: int = 80) -> list[str]:
    """A MEDLINE field: tag padded to 4 + '- ', continuation lines indented 6 spaces."""
    lead = f"{tag:<4}- "
    lines = textwrap.wrap(value, width=width - 6, break_long_words=False,
                          break_on_hyphens=False) or [""]
    out = [lead + lines[0]]
    out.extend(" " * 6 + ln for ln in lines[1:])
    # PubMed keeps the space at which it broke a line.
    return [ln + " " if i < len(out) - 1 else ln for i, ln in enumerate(out)]


def nbib_record(copy: Copy) -> list[str]:
    doc = copy.doc
    y, m = doc.year, doc.month
    first, last = pages(copy)
    lines: list[str] = []

    def add(tag: str, value: str) -> None:
        lines.extend(medline_field(tag, value))

    add("PMID", doc.pmid)
    add("OWN", "NLM")
    add("STAT", "MEDLINE" if y < 2022 else "In-Process")
    if y < 2022:
        add("DCOM", f"{y + 1}{m:02d}15")
    add("LR", f"{min(y + 2, 2022)}{m:02d}20")
    add("IS", f"{issn(doc.journal.name)} (Linking)")
    add("VI", doc.volume)
    add("IP", doc.issue)
    add("DP", f"{y} {MONTHS[m - 1]}")
    title = f"[{copy.title}]" if doc.language[1] != "eng" else copy.title
    add("TI", with_period(title))
    if first:
        add("PG", medline_pages(first, last))
    if copy.doi:
        add("LID", f"{copy.doi} [doi]")
    if copy.abstract:
        add("AB", copy.abstract)
        add("CI", f"Copyright (c) {y} {publisher(copy)} All rights reserved.")
    for fam, given in copy.authors:
        add("FAU", f"{fam}, {given}")
        add("AU", f"{fam} {initials(given)}")
    add("LA", doc.language[1])
    for pt in PUBMED_PT[doc.pub_type]:
        add("PT", pt)
    add("PL", "England" if doc.journal.stem.startswith(("j.", "s1")) else "United States")
    add("TA", doc.journal.medline)
    add("JT", doc.journal.name)
    add("JID", str(stable_int(doc.journal.name, 7)))
    add("SB", "IM")
    for mh in doc.mesh:
        add("MH", mh)
    if doc.keywords:
        add("OTO", "NOTNLM")
        for kw in doc.keywords:
            add("OT", kw)
    add("EDAT", f"{y}/{m:02d}/03 06:00")
    add("MHDA", f"{y + 1}/{m:02d}/15 06:00")
    add("CRDT", f"{y}/{m:02d}/02 05:43")
    add("PHST", f"{y}/{m:02d}/03 06:00 [pubmed]")
    if copy.doi:
        add("AID", f"{copy.doi} [doi]")
    add("PST", "ppublish")
    so = f"{doc.journal.medline}. {y} {MONTHS[m - 1]};{doc.volume}({doc.issue}):"
    so += medline_pages(first, last) + "." + (f" doi: {copy.doi}." if copy.doi else "")
    add("SO", so)
    return lines


def write_nbib(copies: list[Copy], db: dict) -> bytes:
    text = "".join("\n".join(nbib_record(c)) + "\n\n" for c in copies)
    return text.encode("utf-8")


# --- RIS: Ovid, EBSCOhost, ProQuest ---------------------------------------------------------
def ris(tag: str, value: str) -> str:
    return f"{tag}  - {value}"


def ovid_record(n: int, copy: Copy, db: dict) -> list[str]:
    doc = copy.doc
    first, last = pages(copy)
    dcode = OVID_DB_CODES.get(db["id"], db["id"])
    out = [f"{n}. ", ris("TY", "JOUR"), ris("ID", copy.accession)]
    if copy.doi:
        out.append(ris("DO", copy.doi))
    out.append(ris("T1", with_period(copy.title)))
    out += [ris("A1", f"{f}, {g}") for f, g in copy.authors]
    out.append(ris("Y1", f"{copy.year}//"))
    if copy.abstract:
        tail = ""
        if db["id"] == "psycinfo":
            tail = f" (PsycInfo Database Record (c) {copy.year} APA, all rights reserved)"
        out.append(ris("N2", copy.abstract + tail))
    out += [ris("KW", f"*{k}" if i == 0 else k) for i, k in enumerate(doc.keywords)]
    out.append(ris("M3", OVID_TYPE[doc.pub_type]))
    out.append(ris("JF", copy.journal))
    out += [ris("VL", doc.volume), ris("IS", doc.issue)]
    if first:
        out.append(ris("SP", first))
    if last:
        out.append(ris("EP", last))
    out.append(ris("SN", issn(doc.journal.name)))
    out.append(ris("L2", "http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference"
                         f"&D={dcode}&NEWS=N&AN={copy.accession}"))
    out.append("ER  -  ")
    return out


def ebsco_record(copy: Copy, db: dict) -> list[str]:
    doc = copy.doc
    first, last = pages(copy)
    code = EBSCO_DB_CODES.get(db["id"], db["id"])
    out = [ris("TY", "JOUR")]
    out += [ris("AU", f"{f}, {g}" + ("." if len(g.split()[-1]) == 1 else ""))
            for f, g in copy.authors]
    out.append(ris("T1", with_period(copy.title)))
    jo = doc.journal.medline if zlib.crc32(copy.accession.encode()) % 3 == 0 else copy.journal
    out += [ris("JO", jo), ris("JF", copy.journal), ris("Y1", f"{copy.year}/{doc.month:02d}//"),
            ris("VL", doc.volume), ris("IS", doc.issue), ris("M3", "Article")]
    if first:
        out.append(ris("SP", first))
    if last:
        out.append(ris("EP", last))
    out.append(ris("PB", publisher(copy)))
    out.append(ris("SN", issn(doc.journal.name).replace("-", "")))
    if copy.abstract:
        out.append(ris("AB", copy.abstract + " [ABSTRACT FROM AUTHOR]"))
        out.append(ris("AB", f"Copyright of {copy.journal} is the property of {publisher(copy)} "
                             "and may not be copied or redistributed without permission. This "
                             "abstract may be abridged; see the published version for the full "
                             "abstract. (Copyright applies to all Abstracts.)"))
    out += [ris("KW", k.upper() if i == 0 else k) for i, k in enumerate(doc.keywords)]
    page = f"p{first}-{last}" if last else f"p{first}"
    out.append(ris("N1", f"Accession Number: {copy.accession}; Source Info: "
                         f"{MONTHS[doc.month - 1]}{copy.year}, Vol. {doc.volume} Issue "
                         f"{doc.issue}, {page}; Document Type: Article"))
    if copy.doi:
        out.append(ris("L3", copy.doi))
    out.append(ris("UR", "https://search.ebscohost.com/login.aspx?direct=true"
                         f"&db={code}&AN={copy.accession}&site=ehost-live"))
    out += [ris("DP", "EBSCOhost"), ris("DB", code), "ER  - "]
    return out


def proquest_record(copy: Copy, db: dict) -> list[str]:
    doc = copy.doc
    first, last = pages(copy)
    sn = issn(doc.journal.name)
    out = [ris("TY", "JOUR"), ris("T1", copy.title), ris("AN", copy.accession)]
    if copy.abstract:
        out.append(ris("AB", copy.abstract))
    out.append(ris("JF", copy.journal))
    for f, g in copy.authors:
        fam = f.upper() if copy.upper_authors else f
        out.append(ris("AU", f"{fam}, {g}"))
    out += [ris("PY", str(copy.year)), ris("VL", doc.volume), ris("IS", doc.issue)]
    if first:
        out.append(ris("SP", first))
    if last:
        out.append(ris("EP", last))
    out.append(ris("SN", f"{sn}, {sn}"))
    out += [ris("KW", k) for k in doc.keywords]
    out.append(ris("UR", f"https://search.proquest.com/docview/{copy.accession}?accountid=10001"))
    out += [ris("LA", doc.language[0]), ris("DB", db["name"]),
            ris("N1", "Last updated - 2022-06-30")]
    if copy.doi:
        out.append(ris("DO", copy.doi))
    out += [ris("M3", "Scholarly Journals"), "ER  - "]
    return out


def write_ris(copies: list[Copy], db: dict) -> bytes:
    fam = family_of("ris", db.get("platform", ""))
    if fam == "ovid":
        recs = [ovid_record(i + 1, c, db) for i, c in enumerate(copies)]
        return "".join("\r\n".join(r) + "\r\n\r\n" for r in recs).encode("utf-8")
    if fam == "proquest":
        recs = [proquest_record(c, db) for c in copies]
        return "".join("\r\n".join(r) + "\r\n\r\n\r\n\r\n" for r in recs).encode("utf-8")
    return "".join("\n".join(ebsco_record(c, db)) + "\n\n" for c in copies).encode("utf-8")


# --- Scopus CSV ---------------------------------------------------------------------------
def scopus_row(copy: Copy) -> list[str]:
    doc = copy.doc
    first, last = pages(copy)
    art = doc.article_no if not doc.pages else ""
    if art:
        first = ""
    ids = [str(stable_int(f"{f}|{g}", 11)) for f, g in copy.authors]
    eid = copy.accession
    bare = doi_bare(copy.doi)
    link = f"https://www.scopus.com/inward/record.uri?eid={eid}"
    if bare:
        link += f"&doi={quote(bare.lower(), safe='')}"
    link += f"&partnerID=40&md5={hashlib.md5(eid.encode()).hexdigest()}"
    abstract = copy.abstract
    if abstract and doc.journal.stem.startswith("j."):
        abstract += f" © {copy.year} Elsevier B.V."
    index_kw = "; ".join(m.lstrip("*").split("/")[0] for m in doc.mesh)
    return [
        "; ".join(f"{f} {initials(g, dots=True)}" for f, g in copy.authors) or
        "[No author name available]",
        "; ".join(f"{f}, {g}{'.' if len(g.split()[-1]) == 1 else ''} ({i})"
                  for (f, g), i in zip(copy.authors, ids, strict=True)),
        "; ".join(ids), copy.title, str(copy.year), copy.journal, doc.volume, doc.issue, art,
        first, last, str(int(last) - int(first) + 1) if last and first else "",
        str(stable_int(eid, 2) % 60), bare, link, doc.ctx.get("place", ""), "", abstract,
        "; ".join(doc.keywords), index_kw, "", "", "", "", "", "", "", "", "", publisher(copy),
        "", doc.venue, "", "", "", issn(doc.journal.name).replace("-", ""), "", "",
        doc.pmid if doc.kind != "conference_abstract" else "", doc.language[0],
        doc.journal.iso, SCOPUS_TYPE[doc.pub_type], "Final", "", "Scopus", eid,
    ]


def write_scopus_csv(copies: list[Copy], db: dict) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerow(SCOPUS_HEADER)
    for c in copies:
        w.writerow(scopus_row(c))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# --- Web of Science plain text --------------------------------------------------------------
def wos_field(tag: str, values: list[str], wrap: bool = True) -> list[str]:
    """A WoS field: one value per line, long values wrapped, continuations indented 3 spaces."""
    lines: list[str] = []
    for v in values:
        lines.extend(textwrap.wrap(v, width=70, break_long_words=False,
                                   break_on_hyphens=False) if wrap else [v])
    if not lines:
        return []
    return [f"{tag} {lines[0]}"] + ["   " + ln for ln in lines[1:]]


def wos_record(copy: Copy) -> list[str]:
    doc = copy.doc
    first, last = pages(copy)
    out = ["PT J"]
    au = [f"{f.upper() if copy.upper_authors else f}, {initials(g)}" for f, g in copy.authors]
    out += wos_field("AU", au, wrap=False)
    out += wos_field("AF", [f"{f}, {g}" for f, g in copy.authors], wrap=False)
    out += wos_field("TI", [copy.title])
    out += wos_field("SO", [copy.journal.upper()])
    out += wos_field("LA", [doc.language[0]])
    out += wos_field("DT", [WOS_TYPE[doc.pub_type]])
    if doc.keywords:
        out += wos_field("DE", ["; ".join(doc.keywords)])
    if doc.mesh:
        out += wos_field("ID", ["; ".join(m.lstrip("*").split("/")[0].upper() for m in doc.mesh)])
    if copy.abstract:
        out += wos_field("AB", [copy.abstract])
    out += wos_field("SN", [issn(doc.journal.name)])
    out += wos_field("J9", [doc.journal.medline.upper().replace("(", "").replace(")", "")])
    out += wos_field("JI", [doc.journal.iso])
    out += wos_field("PD", [MONTHS[doc.month - 1].upper()])
    out += wos_field("PY", [str(copy.year)])
    out += wos_field("VL", [doc.volume])
    out += wos_field("IS", [doc.issue])
    if doc.pages:
        out += wos_field("BP", [first]) + wos_field("EP", [last])
    elif doc.article_no:
        out += wos_field("AR", [doc.article_no])
    if copy.doi:
        out += wos_field("DI", [doi_bare(copy.doi)])
    out += wos_field("UT", [copy.accession])
    out.append("ER")
    return out


def write_wos(copies: list[Copy], db: dict) -> bytes:
    body = "".join("\n".join(wos_record(c)) + "\n\n" for c in copies)
    return ("FN Clarivate Analytics Web of Science\nVR 1.0\n" + body + "EF\n").encode("utf-8")


WRITERS: dict[str, Callable[[list[Copy], dict], bytes]] = {
    "pubmed": write_nbib, "ovid": write_ris, "ebsco": write_ris, "proquest": write_ris,
    "scopus": write_scopus_csv, "wos": write_wos,
}

# Accession-number shapes per family: (prefix, digits).
ACCESSION = {"pubmed": ("", 8), "ovid": ("", 10), "ebsco": ("", 9), "proquest": ("", 10),
             "scopus": ("2-s2.0-85", 9), "wos": ("WOS:000", 12)}
