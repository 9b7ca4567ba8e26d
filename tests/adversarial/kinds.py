"""The sheets people return, one of each kind, filled as a person would, and how each stage reads it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reviewflow.extract.run import columns as extraction_columns
from reviewflow.screen.dual import read_decisions, reviewer_title
from reviewflow.screen.stages import full_text_stage, title_abstract_stage
from reviewflow.sheets import Column, SheetRead, read_sheet, write_sheet
from reviewflow.synthesis.sheet import KEY as SEGMENT
from reviewflow.synthesis.sheet import coding_columns

CONFIG = {"eligibility": {"highlight_terms": ["peer*"]},
          "screening": {"reviewers": ["A", "B"], "adjudicator": "C"},
          "full_text_exclusion_reasons": [{"code": "X1_pubtype", "label": "not a primary study"},
                                          {"code": "X2_population", "label": "not peer workers"}],
          "extraction": {"fields": ["study_id", "country", "setting"]}}
TA, FT = title_abstract_stage(CONFIG), full_text_stage(CONFIG)
CODES = ("BEN.CLIENT", "BEN.ORG")
KEYS = [f"r{i:02d}" for i in range(1, 7)]


@dataclass(frozen=True)
class Kind:
    """One kind of returned sheet: its columns, key, rows as filled, and the stage's reader."""

    name: str
    columns: list[Column]
    key: str
    title: str
    rows: list[dict]
    read: Callable[[Path], SheetRead]

    @property
    def keys(self) -> list[str]:
        return [r[self.key] for r in self.rows]

    def write(self, path: Path) -> Path:
        write_sheet(path, self.columns, self.rows, title=self.title, key=self.key)
        return path


def _bib(i: str) -> dict:
    return {"record_id": i, "title": f"Peer work study {i}", "abstract": "Interviews with peers.",
            "authors": "Lee, K", "year": "2020", "journal": "Harm Reduct J", "doi": f"10.1000/{i}"}


def _ta() -> Kind:
    rows = [{**_bib(k), "decision": "include" if n % 2 else "exclude", "note": f"note {n}"}
            for n, k in enumerate(KEYS)]
    return Kind("title_abstract", TA.columns, "record_id", reviewer_title(TA, "A"), rows,
                lambda p: read_decisions(TA, p, KEYS, "A"))


def _ft() -> Kind:
    rows = [{**_bib(k), "fulltext": f"{k}.pdf", "decision": "exclude" if n % 2 else "include",
             "reason": "X2_population" if n % 2 else ""} for n, k in enumerate(KEYS)]
    return Kind("full_text", FT.columns, "record_id", reviewer_title(FT, "A"), rows,
                lambda p: read_decisions(FT, p, KEYS, "A"))


def _extraction() -> Kind:
    cols = extraction_columns(CONFIG["extraction"]["fields"])
    rows = [{"record_id": k, "title": f"Peer work study {k}", "study_id": k, "country": "Canada",
             "setting": "harm reduction", "checked": "yes"} for k in KEYS]
    return Kind("extraction", cols, "record_id", "Extraction", rows,
                lambda p: read_sheet(p, cols, expected_keys=KEYS, allow_missing=True))


def _coding() -> Kind:
    cols = coding_columns(CODES)
    rows = [{SEGMENT: f"{k}:1", "study": "Lee 2019", "heading": "", "kind": "quote", "text": f"text {k}",
             "suggested": "BEN.ORG", "basis": "", "decision": "confirm"} for k in KEYS]
    keys = [r[SEGMENT] for r in rows]
    return Kind("coding", cols, SEGMENT, "Coding", rows,
                lambda p: read_sheet(p, cols, key=SEGMENT, expected_keys=keys, allow_missing=True))


KINDS = {k.name: k for k in (_ta(), _ft(), _extraction(), _coding())}
