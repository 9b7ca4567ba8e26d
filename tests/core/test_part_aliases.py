"""Appraisal and coding sheets follow their study when its record id changes (a regrouping after the
sheet was filled: a returned duplicate decision, an update search whose record now represents the group)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reviewflow.errors import SheetError
from reviewflow.extract.appraisal import ITEMS, run_appraisal, write_appraisal_sheet
from reviewflow.fsio import read_csv, write_jsonl
from reviewflow.identity import PartAliases, part_aliases
from reviewflow.synthesis.sheet import read_coding_sheet, write_coding_sheet

from ..faults.people import fill, values

# "old" represented the group when the sheets were made; "new" (an update search's record) does now.
ALIASES = {"old": "new", "new": "new", "other": "other"}
CODES = ["BEN.CLIENT", "BEN.ORG"]


def test_part_aliases_map_the_record_part_and_keep_the_rest() -> None:
    items = PartAliases(ALIASES, ["Q1", "Q2"])
    assert items["old:Q2"] == "new:Q2" and "other:Q1" in items
    assert "old:Q3" not in items and "gone:Q1" not in items and "old" not in items
    assert sorted(items) == ["new:Q1", "new:Q2", "old:Q1", "old:Q2", "other:Q1", "other:Q2"] and len(items) == 6
    numbers = PartAliases(ALIASES, re.compile("[0-9]+"))
    assert numbers.get("old:12") == "new:12" and "old:x" not in numbers
    with pytest.raises(TypeError):
        len(numbers)
    assert part_aliases(None, ["Q1"]) is None


def _segments(record: str) -> list[dict]:
    return [{"segment_id": f"{record}:{n}", "record_id": record, "study": "Lee 2019", "heading": "",
             "kind": "author statement", "text": f"text {n}", "suggested": "BEN.ORG", "basis": ""} for n in (1, 2)]


def test_a_coding_sheet_written_for_a_merged_record_is_read_for_its_report_today(tmp_path: Path) -> None:
    sheet, back = tmp_path / "coding.xlsx", tmp_path / "dec" / "coding.xlsx"
    write_coding_sheet(sheet, CODES, _segments("old"))
    fill(sheet, back, {"old:2": {"Decision": "recode", "Recode to": "BEN.CLIENT"}})
    queue = _segments("new")
    with pytest.raises(SheetError, match="old:2"):  # without the groups, the old id is unknown
        read_coding_sheet(back, CODES, queue)
    assert read_coding_sheet(back, CODES, queue, ALIASES)["new:2"]["codes"] == ["BEN.CLIENT"]
    write_coding_sheet(sheet, CODES, queue, back, aliases=ALIASES)  # the regenerated sheet carries it
    got = values(sheet)
    assert (got["new:2"]["Decision"], got["new:2"]["Recode to"]) == ("recode", "BEN.CLIENT")
    assert got["new:1"]["Decision"] is None


def _appraisal_rows(study: str) -> list[dict]:
    return [{"appraisal_id": f"{study}:{q}", "study_id": study, "study": "Lee 2019", "title": "T", "item": q}
            for q, _ in ITEMS]


def test_appraisers_answers_follow_their_study_to_its_record_today(tmp_path: Path) -> None:
    config = {"appraisal": {"appraisers": ["A", "B"]}, "screening": {"reviewers": ["A", "B"]},
              "paths": {"decisions": str(tmp_path / "dec")}}
    answered = {f"old:{q}": {"Answer": "yes"} for q, _ in ITEMS}
    sheets = []
    for who in ("A", "B"):
        sheet = tmp_path / f"appraiser_{who}.xlsx"
        write_appraisal_sheet(sheet, _appraisal_rows("old"), "CASP appraisal")
        sheets.append(fill(sheet, tmp_path / "dec" / "appraisal" / f"appraiser_{who}.xlsx", answered))
    queue, conflicts = tmp_path / "queue.jsonl", tmp_path / "conflicts.jsonl"
    write_jsonl(queue, _appraisal_rows("new"))
    write_jsonl(conflicts, [])
    out = tmp_path / "out"
    out.mkdir()
    run_appraisal(config, queue, sheets, conflicts, None, out / "items.csv", out / "studies.csv",
                  out / "status.json", ALIASES)
    (study,) = read_csv(out / "studies.csv")
    assert study["study_id"] == "new" and study["yes"] == "10" and study["concerns"] == "no or very minor"
    regenerated = tmp_path / "regenerated.xlsx"
    write_appraisal_sheet(regenerated, _appraisal_rows("new"), "CASP appraisal", sheets[0], ALIASES)
    assert {k: v["Answer"] for k, v in values(regenerated).items()} == {f"new:{q}": "yes" for q, _ in ITEMS}
