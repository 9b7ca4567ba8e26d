"""The retrieval stage: the team's sheet and the full-text folder decide what was retrieved."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewflow.errors import SheetError
from reviewflow.fsio import iter_jsonl, read_csv, read_json
from reviewflow.fulltext.retrieval import COLUMNS, make_retrieval_sheet, read_retrieval
from reviewflow.sheets import read_sheet, write_sheet
from tests.fulltext.conftest import PDF, queue_row

ROWS = [queue_row("r1", "10.1000/one"), queue_row("r2", "10.1000/two"), queue_row("r3", "10.1000/three"),
        queue_row("r4")]


@pytest.fixture
def stage(tmp_path: Path) -> dict:
    paths = {"queue": tmp_path / "retrieval.queue.jsonl", "sheet": tmp_path / "sheets" / "retrieval.xlsx",
             "folder": tmp_path / "fulltext", "csv": tmp_path / "retrieval.csv", "status": tmp_path / "status.json",
             "filled": tmp_path / "decisions" / "retrieval.xlsx"}
    make_retrieval_sheet(ROWS, paths["queue"], paths["sheet"])
    paths["folder"].mkdir()
    return paths


def _fill(stage: dict, statuses: dict[str, str]) -> None:
    rows = [{**q, "status": statuses.get(q["record_id"], "")} for q in iter_jsonl(stage["queue"])]
    write_sheet(stage["filled"], COLUMNS, rows, title="Full-text retrieval")


def _read(stage: dict, with_sheet: bool = True) -> tuple[dict[str, dict], dict]:
    read_retrieval(stage["queue"], stage["filled"] if with_sheet else None, "decisions/retrieval.xlsx",
                   stage["folder"], stage["csv"], stage["status"])
    return {r["record_id"]: r for r in read_csv(stage["csv"])}, read_json(stage["status"])


def test_sheet_names_each_report_by_record_id_and_by_doi(stage: dict) -> None:
    queue = {q["record_id"]: q for q in iter_jsonl(stage["queue"])}
    assert (queue["r1"]["file"], queue["r1"]["doi_file"]) == ("r1.pdf", "10.1000_one.pdf")
    assert queue["r4"]["doi_file"] == ""
    sheet = read_sheet(stage["sheet"], COLUMNS)
    assert sorted(sheet.pending) == ["r1", "r2", "r3", "r4"]


def test_files_in_the_folder_count_as_retrieved_without_a_sheet(stage: dict, capsys) -> None:
    (stage["folder"] / "r1.pdf").write_bytes(PDF)
    (stage["folder"] / "10.1000_two.PDF").write_bytes(PDF)
    (stage["folder"] / "10.1000_nobody.pdf").write_bytes(PDF)
    rows, status = _read(stage, with_sheet=False)
    assert rows["r1"] == {"record_id": "r1", "status": "retrieved", "basis": "file",
                          "file": str(stage["folder"] / "r1.pdf")}
    assert rows["r2"]["status"] == "retrieved" and rows["r2"]["file"].endswith("10.1000_two.PDF")
    assert (rows["r3"]["status"], rows["r4"]["status"]) == ("pending", "pending")
    assert status["complete"] is False and status["waiting"][0]["n"] == 2
    assert status["notes"] == [f"{stage['folder'] / '10.1000_nobody.pdf'}: matches no report sought (name a full "
                               "text <record id>.pdf or by its DOI, e.g. 10.1000/xyz -> 10.1000_xyz.pdf)"]
    assert "warning: " + status["notes"][0] in capsys.readouterr().err


def test_sheet_decides_and_a_file_fills_a_pending_row(stage: dict) -> None:
    (stage["folder"] / "r1.txt").write_text("full text", encoding="utf-8")
    (stage["folder"] / "r3.pdf").write_bytes(PDF)
    (stage["folder"] / "r2.pdf").write_bytes(PDF)
    _fill(stage, {"r1": "retrieved", "r2": "not_retrieved", "r4": "not_retrieved"})
    rows, status = _read(stage)
    assert [(rows[k]["status"], rows[k]["basis"]) for k in ("r1", "r2", "r3", "r4")] == [
        ("retrieved", "sheet"), ("not_retrieved", "sheet"), ("retrieved", "file"), ("not_retrieved", "sheet")]
    assert rows["r2"]["file"] == ""
    assert status["complete"] is True and status["waiting"] == []
    assert status["notes"] == [f"record r2 is marked not_retrieved but {stage['folder'] / 'r2.pdf'} exists; "
                               "counted as not retrieved"]


def test_retrieved_without_its_file_is_an_error_naming_both_names(stage: dict) -> None:
    _fill(stage, {"r2": "retrieved"})
    with pytest.raises(SheetError) as err:
        _read(stage)
    assert str(err.value) == (f"decisions/retrieval.xlsx:Status: record r2 is marked retrieved but its full text is "
                              f"not in {stage['folder']} (expected r2.pdf or 10.1000_two.pdf)")
    # A file was meant for it but is not a PDF: the error says why it was not used.
    (stage["folder"] / "10.1000_two.pdf").write_bytes(b"<html><body>Access denied</body></html>")
    with pytest.raises(SheetError, match=r"10\.1000_two\.pdf: not used: an HTML page, not a PDF"):
        _read(stage)


def test_regenerated_sheet_keeps_the_teams_statuses(stage: dict) -> None:
    _fill(stage, {"r1": "retrieved", "r4": "not_retrieved"})
    make_retrieval_sheet(ROWS[:3] + [queue_row("r5", "10.1000/five")], stage["queue"], stage["sheet"],
                         stage["filled"])
    sheet = read_sheet(stage["sheet"], COLUMNS)
    assert {k: v["status"] for k, v in sheet.rows.items()} == {"r1": "retrieved"}
    assert sorted(sheet.pending) == ["r2", "r3", "r5"]
