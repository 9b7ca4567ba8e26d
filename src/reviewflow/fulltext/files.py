"""Full texts in the team's folder, matched to the reports sought by file name.

A team drops each report's full text into the full-text folder (`paths.fulltext`), named either

- by **record id**: `<record id>.pdf` (e.g. `5f0c1d2e9a7b3c41.pdf`), or
- by **DOI**: the DOI made safe for a file name: lower-cased, without `https://doi.org/` or
  `doi:`, and each of `/ \\ : * ? " < > |` (and any space or control character) replaced by `_`.
  `10.1000/XYZ.123` -> `10.1000_xyz.123.pdf`; `10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O`
  -> `10.1002_(sici)1097-4571(199806)49_8_693__aid-asi4_3.0.co;2-o.pdf`.
  Matching is case-insensitive, and a URL-encoded name is accepted too (`10.1000%2Fxyz.123.pdf`,
  what a browser saves a DOI link as).

Full texts are JATS XML (`.xml`, `.nxml`), DOCX (`.docx`), PDFs (`.pdf`), Markdown (`.md`) or
plain UTF-8 text (`.txt`), the extension in any case. A `.pdf` must be a PDF (starts with `%PDF-`,
ends with `%%EOF`: a saved login page or a cut-off download is not a full text); an `.xml` must
start with `<` and not be an HTML page; a `.docx` must be a zip. Names starting with `.` or `~$`
(system and lock files) are ignored.

Every other file gets one clear message: it matches no report sought, it matches two reports
(two records share its DOI: name it by record id instead), or it is not a usable full text. When a
report has several files, the one named by record id wins over one named by DOI, then XML over
DOCX over PDF over Markdown over text (the more structure the file keeps, the better the later
stages read it); the others are listed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from ..records import normalise_doi

# Preference order when a report has several: structured XML first (sections and quotes are marked),
# then the author's DOCX, the PDF, and text last (it has lost its layout).
EXTENSIONS = (".xml", ".nxml", ".docx", ".pdf", ".md", ".txt")
_UNSAFE = re.compile(r'[/\\:*?"<>|\s\x00-\x1f\x7f]')
_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
PDF_MAGIC = b"%PDF-"
PDF_EOF = b"%%EOF"
HEAD_BYTES = 1024   # a PDF's header may follow a little junk (readers look in the first 1,024 bytes)
TAIL_BYTES = 2048   # ... and its %%EOF may be followed by a little junk


def safe_doi(doi: str) -> str:
    """A DOI as a file name stem (no extension); '' for no DOI. See the module's rule."""
    d = normalise_doi(doi) or ""
    return _UNSAFE.sub("_", d)


def doi_filename(doi: str, ext: str = ".pdf") -> str:
    """`10.1000/xyz` -> `10.1000_xyz.pdf`; '' for no DOI."""
    stem = safe_doi(doi)
    return f"{stem}{ext}" if stem else ""


def _stem_keys(stem: str) -> set[str]:
    """What a file's stem may stand for, normalised as `safe_doi` (raw and URL-decoded)."""
    keys = set()
    for s in {stem, unquote(stem)}:
        s = _PREFIX.sub("", s.strip()).lower()
        keys.add(_UNSAFE.sub("_", s))
    return keys


def pdf_problem(head: bytes, tail: bytes) -> str:
    """Why bytes are not a complete PDF ('' if they are): the first and last kilobytes suffice."""
    if not head:
        return "empty file"
    if PDF_MAGIC not in head[:HEAD_BYTES]:
        start = head[:HEAD_BYTES].lstrip().lower()
        if start.startswith((b"<!doctype html", b"<html")) or b"<html" in start[:200]:
            return "an HTML page, not a PDF (a login or landing page saved as .pdf?)"
        return "not a PDF (no %PDF- header)"
    if PDF_EOF not in tail[-TAIL_BYTES:]:
        return "truncated PDF (no %%EOF at the end: an interrupted download?)"
    return ""


def file_problem(path: Path) -> str:
    """Why a file in the folder is not a usable full text ('' if it is)."""
    size = path.stat().st_size
    if size == 0:
        return "empty file"
    if path.suffix.lower() == ".pdf":
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
            fh.seek(max(0, size - TAIL_BYTES))
            tail = fh.read()
        return pdf_problem(head, tail)
    if path.suffix.lower() in (".xml", ".nxml"):
        with open(path, "rb") as fh:
            start = fh.read(HEAD_BYTES).lstrip(b"\xef\xbb\xbf \t\r\n")
        if start.lower().startswith((b"<!doctype html", b"<html")):
            return "an HTML page, not a JATS XML full text (a login or landing page saved as .xml?)"
        return "" if start.startswith(b"<") else "not XML (it does not start with '<')"
    if path.suffix.lower() == ".docx":
        with open(path, "rb") as fh:
            start = fh.read(4)
        return "" if start == b"PK\x03\x04" else "not a DOCX (not a zip file: a Word 97-2003 .doc? save it as .docx)"
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"not UTF-8 text (byte {exc.start}): save it as UTF-8 or as a PDF"
    return ""


@dataclass(frozen=True)
class Report:
    """A report sought: its record id and DOI (any form: bare, `doi:`, `https://doi.org/...`)."""

    record_id: str
    doi: str = ""


@dataclass(frozen=True)
class FileMatch:
    name: str            # file name in the folder
    by: str              # "record_id" | "doi"


@dataclass
class FolderMatch:
    """Which file belongs to which report, and a message for every file that belongs to none."""

    folder: Path
    files: dict[str, list[FileMatch]] = field(default_factory=dict)     # record id -> files, best first
    unmatched: list[str] = field(default_factory=list)                   # names matching no report
    ambiguous: dict[str, list[str]] = field(default_factory=dict)        # name -> record ids
    unusable: dict[str, str] = field(default_factory=dict)               # name -> why
    wrong_type: list[str] = field(default_factory=list)                  # names with another extension
    by_record: dict[str, list[str]] = field(default_factory=dict)        # record id -> names of problems

    def chosen(self, record_id: str) -> Path | None:
        """The full text of a report (see the module's preference), or None."""
        got = self.files.get(record_id)
        return self.folder / got[0].name if got else None

    def messages(self) -> list[str]:
        """One line per file that is not some report's full text, and per report with several files."""
        out = []
        for name in self.unmatched:
            out.append(f"{self.folder / name}: matches no report sought (name a full text <record id>.pdf "
                       "or by its DOI, e.g. 10.1000/xyz -> 10.1000_xyz.pdf)")
        for name, ids in sorted(self.ambiguous.items()):
            out.append(f"{self.folder / name}: its DOI belongs to {len(ids)} reports sought ({', '.join(ids)}); "
                       "not used: save it under each report's record id instead (<record id>.pdf)")
        for name, why in sorted(self.unusable.items()):
            out.append(f"{self.folder / name}: not used: {why}")
        for name in self.wrong_type:
            out.append(f"{self.folder / name}: not used: a full text must be a .pdf, .xml (JATS), .docx, .md "
                       "or .txt file")
        for rid, got in sorted(self.files.items()):
            if len(got) > 1:
                out.append(f"record {rid} has {len(got)} full texts ({', '.join(g.name for g in got)}); "
                           f"using {got[0].name}")
        return out

    def problems_for(self, record_id: str) -> list[str]:
        """Messages about files that were meant for this report but could not be used."""
        return [m for m in self.messages() if any(f"{self.folder / n}:" in m for n in
                                                   self.by_record.get(record_id, []))]


def _listing(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))),
                  key=lambda p: p.name)


def match_folder(folder: str | Path, reports: Iterable[Report],
                 aliases: Mapping[str, str] | None = None) -> FolderMatch:
    """Match every file in `folder` to the reports sought (by record id, else by DOI). With `aliases`
    (record id -> its duplicate group's id), a file named for another record of a sought report's
    group is that report's: it was saved when that record represented the group."""
    folder = Path(folder)
    reports = list(reports)
    by_id = {r.record_id.lower(): r.record_id for r in reports}
    sought = set(by_id.values())
    by_id = {**{a.lower(): g for a, g in (aliases or {}).items() if g in sought}, **by_id}
    by_doi: dict[str, list[str]] = {}
    for r in reports:
        key = safe_doi(r.doi)
        if key:
            by_doi.setdefault(key, []).append(r.record_id)
    res = FolderMatch(folder)
    for path in _listing(folder):
        ext = path.suffix.lower()
        stem = path.name[:-len(ext)] if ext else path.name
        keys = _stem_keys(stem)
        if stem.lower() in by_id:
            targets, by = [by_id[stem.lower()]], "record_id"
        else:
            targets = sorted({rid for k in keys for rid in by_doi.get(k, [])})
            by = "doi"
        if ext not in EXTENSIONS:
            if targets:
                res.wrong_type.append(path.name)
                for rid in targets:
                    res.by_record.setdefault(rid, []).append(path.name)
            # Any other file (a README, the team's notes) that names no report is left alone.
            continue
        if not targets:
            res.unmatched.append(path.name)
            continue
        for rid in targets:
            res.by_record.setdefault(rid, []).append(path.name)
        if len(targets) > 1:
            res.ambiguous[path.name] = targets
            continue
        why = file_problem(path)
        if why:
            res.unusable[path.name] = why
            continue
        res.files.setdefault(targets[0], []).append(FileMatch(path.name, by))
    for got in res.files.values():
        got.sort(key=lambda f: (f.by != "record_id", EXTENSIONS.index(Path(f.name).suffix.lower()), f.name))
    return res


def reports_from_queue(rows: Iterable[Mapping[str, str]]) -> list[Report]:
    """Reports sought from the retrieval queue's rows (record_id, doi as a link or bare)."""
    return [Report(str(r["record_id"]), str(r.get("doi") or "")) for r in rows]
