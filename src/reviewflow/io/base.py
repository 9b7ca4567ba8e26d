"""What every format reader returns, and the checks they share."""

from __future__ import annotations

from dataclasses import dataclass, field

from reviewflow.records import Provenance, Record, Reject


@dataclass
class Parsed:
    """A reader's output before ids are assigned: records with their own keys, and rejects."""

    records: list[Record] = field(default_factory=list)
    keys: list[str | None] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    dialect: str | None = None
    warnings: list[str] = field(default_factory=list)

    def add(self, record: Record, key: str | None) -> None:
        self.records.append(record)
        self.keys.append(key)


def new_record(source: str, file: str, index: int, line: int,
               raw: dict[str, list[str]]) -> Record:
    """A Record with provenance and raw fields; the id is set later by assign_ids."""
    return Record(id="", provenance=Provenance(source, file, index, line), raw=raw)


def unusable(rec: Record) -> bool:
    """True when a record has no title and no other field that could identify it."""
    return not (rec.title or rec.abstract or rec.authors or rec.doi or rec.pmid or rec.journal)


def block_text(lines: list[str], start: int, end: int) -> str:
    """Original text of lines[start:end], without trailing blank lines (LF line endings)."""
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end])
