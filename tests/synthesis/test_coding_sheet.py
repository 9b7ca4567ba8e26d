"""The coding sheet: decisions win over suggestions; bad codes are named by file, row and column."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from reviewflow.errors import SheetError
from reviewflow.synthesis.run import final_codes
from reviewflow.synthesis.sheet import read_coding_sheet, write_coding_sheet

CODES = ["BEN.CLIENT", "BEN.ORG", "CHAL.TRIGGER"]
QUEUE = [
    {"segment_id": "r1:1", "record_id": "r1", "study": "Lee 2019", "heading": "", "kind": "author statement",
     "text": "Peers built trust.", "suggested": "BEN.CLIENT", "basis": ""},
    {"segment_id": "r1:2", "record_id": "r1", "study": "Lee 2019", "heading": "", "kind": "participant quote",
     "text": "\"It was a lot.\"", "suggested": "BEN.ORG", "basis": ""},
    {"segment_id": "r1:3", "record_id": "r1", "study": "Lee 2019", "heading": "", "kind": "author statement",
     "text": "Context.", "suggested": "BEN.ORG", "basis": ""},
    {"segment_id": "r2:1", "record_id": "r2", "study": "Ng 2020", "heading": "", "kind": "author statement",
     "text": "=cmd|' /C calc'!A0", "suggested": "", "basis": ""},
]


def _filled(tmp_path, **over):
    rows = [dict(q) for q in QUEUE]
    rows[0]["decision"] = "confirm"
    rows[1].update(decision="recode", recode_to="CHAL.TRIGGER", more_codes="ben.client; BEN.ORG")
    rows[2]["decision"] = "reject"
    for k, v in over.items():
        rows[1][k] = v
    path = tmp_path / "coding.xlsx"
    write_coding_sheet(path, CODES, rows)
    return path


def test_decisions_win_and_undecided_rows_keep_suggestions(tmp_path):
    decided = read_coding_sheet(_filled(tmp_path), CODES, QUEUE)
    assert decided["r1:1"]["codes"] == ["BEN.CLIENT"]
    assert decided["r1:2"]["codes"] == ["CHAL.TRIGGER", "BEN.CLIENT", "BEN.ORG"]
    assert decided["r1:3"]["codes"] == []
    assert "r2:1" not in decided
    coded = {c["segment_id"]: c for c in final_codes(QUEUE, decided)}
    assert coded["r1:2"]["source"] == "recoded" and coded["r1:3"]["source"] == "rejected"
    assert coded["r2:1"]["source"] == "suggested (unconfirmed)" and coded["r2:1"]["codes"] == []


def test_sheet_has_dropdowns_and_neutralised_text(tmp_path):
    path = _filled(tmp_path)
    ws = load_workbook(path)["Coding"]
    formulas = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert '"confirm,recode,reject"' in formulas
    assert any("BEN.CLIENT" in f or "_choices" in f for f in formulas)
    assert ws["E5"].value.startswith("'=")


def test_unknown_code_is_an_error_with_its_place(tmp_path):
    path = _filled(tmp_path, more_codes="BEN.NOPE")
    with pytest.raises(SheetError) as err:
        read_coding_sheet(path, CODES, QUEUE)
    assert "BEN.NOPE" in str(err.value) and "coding.xlsx:3:Further codes" in str(err.value)


def test_recode_without_a_code_is_an_error(tmp_path):
    path = _filled(tmp_path, recode_to="", more_codes="")
    with pytest.raises(SheetError, match="'recode' needs a code"):
        read_coding_sheet(path, CODES, QUEUE)
