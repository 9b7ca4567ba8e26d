"""Import stage: read one database's export files into records and rejects."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .fsio import write_json, write_jsonl
from .io import read_export


def run_import(files: Sequence[str | Path], source: str, out_records: Path, out_rejects: Path,
               out_summary: Path) -> None:
    """Every record of every file, in file order; unreadable files stop the run (InputFileError)."""
    records, rejects, summary = [], [], []
    for f in sorted(str(p) for p in files):
        res = read_export(f, source, display_path=f)
        records += [r.to_dict() for r in res.records]
        rejects += [r.to_dict() for r in res.rejects]
        summary.append({"file": f, "format": res.format, "dialect": res.dialect,
                        "encoding": res.encoding, "records": len(res.records),
                        "rejected": len(res.rejects), "warnings": res.warnings})
    write_jsonl(out_records, records)
    write_jsonl(out_rejects, rejects)
    write_json(out_summary, {"source": source, "files": summary})
