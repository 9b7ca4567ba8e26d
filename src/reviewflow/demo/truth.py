"""The demo's truth, as the simulated reviewers and the accuracy report read it.

The pipeline proper never reads these files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..fsio import iter_jsonl, read_csv


@dataclass
class Truth:
    dir: Path
    doc_of: dict[tuple[str, str, int], str]   # (source, file name, record index) -> doc_id
    documents: dict[str, dict]                # doc_id -> row of documents.csv

    @classmethod
    def load(cls, truth_dir: str | Path) -> Truth:
        d = Path(truth_dir)
        doc_of = {(r["source"], Path(r["file"]).name, int(r["index"])): r["doc_id"]
                  for r in read_csv(d / "records.csv")}
        docs = {r["doc_id"]: r for r in read_csv(d / "documents.csv")}
        return cls(d, doc_of, docs)

    def doc_for(self, record: dict) -> dict:
        """The true document behind a record (by its source and position in the export or snapshot page)."""
        prov = record["provenance"]
        return self.documents[self.doc_of[(prov["source"], Path(prov["file"]).name, int(prov["index"]))]]


def records_by_id(unique: str | Path) -> dict[str, dict]:
    return {d["id"]: d for d in iter_jsonl(unique)}
