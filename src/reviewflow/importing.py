"""Import stage: read one database's export files into records and rejects.

A database's results often come in several files that overlap: batches of 500 with a record on
both sides of a cut, a rerun on another day, the same file downloaded twice (`wos_1 (1).txt`). A
record whose database key (accession number, PMID...) was already read from an earlier file of
the same database is kept, with an id of its own, so that PRISMA counts it identified and the
deduplication removes it as a duplicate within the database; each file's summary says how many of
its records were already in an earlier file, and which.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from .fsio import write_dataclass_jsonl, write_json, write_jsonl
from .io import read_export

# A browser's second download of a file: 'export (1).txt', 'export(2).ris', 'export - Copy.txt'.
_COPY_SUFFIX = re.compile(r"\s*(?:\((\d+)\)|-\s*Copy(?:\s*\((\d+)\))?)$", re.I)


def file_order(path: str) -> tuple[str, int, str]:
    """Files in name order, with a browser's copy ('x (1).txt') after the file it copies ('x.txt'),
    so that the first download keeps its records' ids whatever the copy is called."""
    p = Path(path)
    m = _COPY_SUFFIX.search(p.stem)
    stem = p.stem[:m.start()] if m else p.stem
    copy = int(m.group(1) or m.group(2) or 1) if m else 0
    return (str(p.with_name(stem + p.suffix)), copy, str(p))


def repeat_id(first_id: str, file: str, index: int) -> str:
    """The id of a record read again from another file of the same database: stable for that file."""
    return hashlib.sha1(f"{first_id}\x1frepeat\x1f{file}\x1f{index}".encode()).hexdigest()[:16]


# The config's `export:` of a database -> the formats the detector may find for it.
CONFIGURED_FORMATS = {"nbib": {"medline"}, "ris": {"ris"}, "scopus_csv": {"scopus_csv"},
                      "wos_plaintext": {"wos_tagged"}, "wos_tabdelimited": {"wos_tabdelimited"},
                      "pubmed_xml": {"pubmed_xml"}, "ovid_tagged": {"ovid_tagged"}, "endnote_xml": {"endnote_xml"},
                      "bibtex": {"bibtex"}, "csv": {"csv", "scopus_csv"}, "xlsx": {"xlsx"}}


def format_warning(found: str, dialect: str | None, expected: str | None, source: str) -> str | None:
    """A file whose format is not the one configured for its database: perhaps in the wrong folder."""
    allowed = CONFIGURED_FORMATS.get(expected or "")
    if not allowed or found in allowed:
        return None
    what = found + (f" (as {dialect} exports it)" if dialect else "")
    return (f"this file is {what}, but the config says {source} exports {expected}: read as {found}; if it "
            f"is another database's export, move it to that database's folder")


def run_import(files: Sequence[str | Path], source: str, out_records: Path, out_rejects: Path,
               out_summary: Path, expected_format: str | None = None) -> None:
    """Every record of every file, in file order; unreadable files stop the run (InputFileError).
    A file in another format than `expected_format` (the config's `export:`) is read, with a warning."""
    records, rejects, summary = [], [], []
    seen: dict[str, str] = {}           # record id -> the file it was first read from
    for f in sorted((str(p) for p in files), key=file_order):
        res = read_export(f, source, display_path=f)
        repeated: dict[str, int] = {}
        for r in res.records:
            if r.id in seen:
                repeated[seen[r.id]] = repeated.get(seen[r.id], 0) + 1
                r.id = repeat_id(r.id, f, r.provenance.index)
            seen.setdefault(r.id, f)
            records.append(r)
        rejects += [r.to_dict() for r in res.rejects]
        warnings = list(res.warnings)
        if (mismatch := format_warning(res.format, res.dialect, expected_format, source)) is not None:
            warnings.append(mismatch)
        for earlier, n in sorted(repeated.items()):
            warnings.append(f"{n} of its {len(res.records)} records are also in {earlier} (an overlapping "
                            "export or the same file downloaded twice): counted as identified, and removed "
                            "as duplicates within the database")
        summary.append({"file": f, "format": res.format, "dialect": res.dialect,
                        "encoding": res.encoding, "records": len(res.records),
                        "rejected": len(res.rejects), "warnings": warnings,
                        "also_in_earlier_files": sum(repeated.values())})
    write_dataclass_jsonl(out_records, records)
    write_jsonl(out_rejects, rejects)
    write_json(out_summary, {"source": source, "files": summary})
