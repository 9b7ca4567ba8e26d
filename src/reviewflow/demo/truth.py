"""The demo's truth, as the simulated reviewers and the accuracy report read it.

The pipeline proper never reads these files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..fsio import iter_jsonl, read_csv

CITATION_RECORDS = "citation_records.csv"


@dataclass
class Truth:
    dir: Path
    doc_of: dict[tuple[str, str, int], str]   # (source, file's folder/name, record index) -> doc_id
    documents: dict[str, dict]                # doc_id -> row of documents.csv

    @classmethod
    def load(cls, truth_dir: str | Path) -> Truth:
        d = Path(truth_dir)
        rows = read_csv(d / "records.csv")
        if (d / CITATION_RECORDS).exists():  # written once citation searching has been answered
            rows += read_csv(d / CITATION_RECORDS)
        doc_of = {(r["source"], _tail(r["file"]), int(r["index"])): r["doc_id"] for r in rows}
        docs = {r["doc_id"]: r for r in read_csv(d / "documents.csv")}
        return cls(d, doc_of, docs)

    def doc_for(self, record: dict) -> dict:
        """The true document behind a record (by its source and position in the export or snapshot page)."""
        prov = record["provenance"]
        return self.documents[self.doc_of[(prov["source"], _tail(prov["file"]), int(prov["index"]))]]


def _tail(path: str) -> str:
    """A file's folder and name: enough to tell exports and snapshot pages apart wherever the demo is."""
    return "/".join(Path(path).parts[-2:])


def records_by_id(unique: str | Path) -> dict[str, dict]:
    return {d["id"]: d for d in iter_jsonl(unique)}
