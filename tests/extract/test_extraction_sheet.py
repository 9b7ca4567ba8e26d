"""The extraction sheet from PDF and plain-text full texts: suggested values with their page and source."""

from __future__ import annotations

import json

from openpyxl import load_workbook

from reviewflow.demo.fulltext import paged_text, pdf_bytes
from reviewflow.extract.run import SUGGESTION_COLUMNS, columns, run_extraction_read, run_extraction_sheet
from reviewflow.fsio import read_csv, write_csv, write_jsonl
from reviewflow.sheets import write_sheet

CONFIG = {"extraction": {"fields": ["study_id", "first_author", "year", "country", "sample_size",
                                    "data_collection", "funding"]}}


def _report(country: str, n: int, pages_before: int) -> str:
    filler = "\n\n".join("Background paragraph " + "text " * 150 for _ in range(pages_before * 3))
    return (f"# A study of peer work\n## Abstract\nShort.\n\n## Introduction\n{filler}\n\n## Methods\n"
            f"Setting: an overdose prevention site in {country}.\n\nParticipants: {n} peer workers took part "
            "in semi-structured interviews.\n\n## Findings\n### A theme\nPeers said so.\n")


def _record(rid: str, family: str) -> dict:
    return {"id": rid, "provenance": {"source": "db", "file": "x.ris", "index": 0, "line": 1},
            "title": f"Study {rid}", "authors": [{"family": family, "given": "A"}], "year": 2020}


def test_sheet_and_suggestions_from_a_pdf_and_a_text(tmp_path):
    norway = paged_text(_report("Norway", 14, 2))
    methods_page = norway[:norway.index("Setting:")].count("\f") + 1
    assert methods_page >= 2                                  # the introduction fills a page or more
    (tmp_path / "r1.pdf").write_bytes(pdf_bytes(norway))
    (tmp_path / "r2.txt").write_text(paged_text(_report("Ireland", 9, 0)), encoding="utf-8")
    write_jsonl(tmp_path / "unique.jsonl", [_record("r1", "Berg"), _record("r2", "Byrne"), _record("r3", "X")])
    write_csv(tmp_path / "full_text.csv", ["record_id", "decision", "reason", "study_id"],
              [{"record_id": "r1", "decision": "include", "reason": "", "study_id": "S1"},
               {"record_id": "r2", "decision": "include", "reason": "", "study_id": ""},
               {"record_id": "r3", "decision": "exclude", "reason": "X6", "study_id": ""}])
    write_csv(tmp_path / "retrieval.csv", ["record_id", "status", "file"],
              [{"record_id": "r1", "status": "retrieved", "file": str(tmp_path / "r1.pdf")},
               {"record_id": "r2", "status": "retrieved", "file": str(tmp_path / "r2.txt")},
               {"record_id": "r3", "status": "retrieved", "file": str(tmp_path / "r3.txt")}])
    run_extraction_sheet(CONFIG, tmp_path / "unique.jsonl", tmp_path / "full_text.csv", tmp_path / "retrieval.csv",
                         tmp_path / "queue.jsonl", tmp_path / "sheet.xlsx", suggestions=tmp_path / "suggestions.csv")

    rows = {r["field"] + ":" + r["record_id"]: r for r in read_csv(tmp_path / "suggestions.csv")}
    assert list(read_csv(tmp_path / "suggestions.csv")[0]) == SUGGESTION_COLUMNS
    assert rows["country:r1"]["value"] == "Norway" and rows["country:r1"]["format"] == "pdf"
    assert rows["country:r1"]["page"] == str(methods_page)
    assert rows["country:r2"]["page"] == "1" and rows["country:r2"]["format"] == "text"
    assert rows["sample_size:r1"]["value"] == "14" and rows["sample_size:r2"]["value"] == "9"
    assert rows["data_collection:r1"]["snippet"] == \
        "Participants: 14 peer workers took part in semi-structured interviews."

    queue = [json.loads(line) for line in (tmp_path / "queue.jsonl").read_text().splitlines()]
    assert [q["record_id"] for q in queue] == ["r1", "r2"]
    assert queue[0]["study_id"] == "S1" and queue[0]["first_author"] == "Berg"
    assert queue[0]["country"] == "Norway" and queue[0]["funding"] == ""
    setting = "Setting: an overdose prevention site in Norway."
    assert queue[0]["country_source"] == f"p. {methods_page}: \u201c{setting}\u201d"
    assert "funding_source" not in queue[0]

    ws = load_workbook(tmp_path / "sheet.xlsx")["Extraction"]
    headers = [c.value for c in next(ws.iter_rows(max_row=1))]
    assert headers.index("Country: page and source") == headers.index("Country") + 1
    assert "Funding: page and source" not in headers

    # The extractor's sheet reads back without the source columns being editable or required.
    cols = columns(CONFIG["extraction"]["fields"])
    write_sheet(tmp_path / "filled.xlsx", cols, [{**q, "checked": "yes"} for q in queue], title="Extraction")
    run_extraction_read(CONFIG, tmp_path / "queue.jsonl", tmp_path / "filled.xlsx", tmp_path / "extraction.csv")
    table = read_csv(tmp_path / "extraction.csv")
    assert [(r["record_id"], r["status"], r["country"], r["sample_size"]) for r in table] == \
        [("r1", "checked", "Norway", "14"), ("r2", "checked", "Ireland", "9")]

    # A study left unchecked waits on the extractor, and status says where the sheet goes back.
    write_sheet(tmp_path / "half.xlsx", cols, [{**queue[0], "checked": "yes"}, queue[1]], title="Extraction")
    run_extraction_read({**CONFIG, "paths": {"decisions": "decisions"}}, tmp_path / "queue.jsonl",
                        tmp_path / "half.xlsx", tmp_path / "extraction.csv", out_status=tmp_path / "status.json")
    waiting = json.loads((tmp_path / "status.json").read_text())["waiting"]
    assert [(w["n"], w["file"], w["return_to"]) for w in waiting] == \
        [(1, "results/sheets/extraction/extraction.xlsx", "decisions/extraction/extraction.xlsx")]
    assert waiting[0]["message"].startswith("1 included studies await the extractor")
