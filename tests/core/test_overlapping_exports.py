"""Issue 15, blocker 1: the same record in two files of one database (overlapping batch exports, a
browser's second download) is a duplicate within the database, not a crash of the ledger."""

from __future__ import annotations

import shutil
from pathlib import Path

from reviewflow.dedup.run import run_dedup
from reviewflow.fsio import iter_jsonl, read_csv, read_json, write_csv
from reviewflow.importing import file_order, run_import
from reviewflow.ledger import StageInputs, build_ledger, state_counts
from reviewflow.records import Record
from reviewflow.status import review_status
from tests.conftest import SHARED, need

EXPORTS = SHARED / "fixtures" / "exports"


def _import(tmp: Path, files: list[Path], db: str) -> tuple[list[dict], dict]:
    out = tmp / "import"
    out.mkdir(exist_ok=True)
    run_import(files, db, out / f"{db}.jsonl", out / f"{db}.rejects.jsonl", out / f"{db}.summary.json")
    return list(iter_jsonl(out / f"{db}.jsonl")), read_json(out / f"{db}.summary.json")


def _ledger(tmp: Path, db: str) -> dict[str, int]:
    imports = [tmp / "import" / f"{db}.jsonl"]
    run_dedup(imports, tmp / "groups.csv", tmp / "unique.jsonl", tmp / "dedup.json")
    write_csv(tmp / "auto.csv", ["record_id", "rule"], [])
    inputs = StageInputs(imports, [tmp / "import" / f"{db}.rejects.jsonl"], tmp / "groups.csv", tmp / "auto.csv",
                         tmp / "ta.csv", tmp / "retrieval.csv", tmp / "ft.csv")
    return state_counts(e.row() for e in build_ledger(inputs, [db]))


def _downloaded_twice(tmp: Path) -> tuple[Path, Path]:
    """The real Web of Science export, and a browser's second download of it."""
    src = need(EXPORTS / "wos_plaintext_1.txt", "shared export fixture")
    first, copy = tmp / "wos_plaintext_1.txt", tmp / "wos_plaintext_1 (1).txt"
    shutil.copy(src, first)
    shutil.copy(src, copy)
    return first, copy


def test_same_file_downloaded_twice(tmp_path: Path):
    first, copy = _downloaded_twice(tmp_path)
    (tmp_path / "once").mkdir()
    once, _ = _import(tmp_path / "once", [first], "wos")
    records, summary = _import(tmp_path, [copy, first], "wos")
    n = len(once)
    assert n > 0 and len(records) == 2 * n and len({r["id"] for r in records}) == 2 * n
    # The first download keeps the ids it had alone, whatever order the files are given in.
    assert [r["id"] for r in records[:n]] == [r["id"] for r in once]
    assert [f["file"] for f in summary["files"]] == [str(first), str(copy)]
    assert summary["files"][1]["also_in_earlier_files"] == n
    assert f"are also in {first}" in summary["files"][1]["warnings"][-1]
    counts = _ledger(tmp_path, "wos")
    assert counts["duplicate"] == n and sum(counts.values()) == 2 * n


def test_overlapping_batches_of_one_database(tmp_path: Path):
    """Two batch exports that share records: each shared record is identified twice, removed once."""
    src = need(EXPORTS / "pubmed_medline_1.txt", "shared export fixture").read_text(encoding="utf-8")
    blocks = [b for b in src.split("\n\n") if b.strip().startswith("PMID-")]
    assert len(blocks) >= 4
    half = len(blocks) // 2
    a, b = tmp_path / "pubmed_batch_1.txt", tmp_path / "pubmed_batch_2.txt"
    a.write_text("\n\n".join(blocks[:half + 1]) + "\n", encoding="utf-8")
    b.write_text("\n\n".join(blocks[half - 1:]) + "\n", encoding="utf-8")
    records, summary = _import(tmp_path, [a, b], "pubmed")
    assert len(records) == len(blocks) + 2 and len({r["id"] for r in records}) == len(records)
    assert summary["files"][1]["also_in_earlier_files"] == 2
    counts = _ledger(tmp_path, "pubmed")
    assert counts["duplicate"] >= 2 and sum(counts.values()) == len(blocks) + 2
    # The record read again is grouped with its first reading.
    groups = {r["record_id"]: r["group_id"] for r in read_csv(tmp_path / "groups.csv")}
    again = [Record.from_dict(r) for r in records[half + 1:half + 3]]
    firsts = [Record.from_dict(r) for r in records[half - 1:half + 1]]
    assert [groups[r.id] for r in again] == [groups[r.id] for r in firsts]


def test_file_order_puts_a_copy_after_its_original():
    names = ["wos_1 (1).txt", "wos_1 (2).txt", "wos_1.txt", "wos_1 - Copy.txt", "wos_10.txt"]
    assert sorted(names, key=file_order) == ["wos_1.txt", "wos_1 (1).txt", "wos_1 - Copy.txt", "wos_1 (2).txt",
                                             "wos_10.txt"]


def test_status_names_the_overlap(tmp_path: Path):
    first, copy = _downloaded_twice(tmp_path)
    (tmp_path / "results").mkdir()
    _import(tmp_path / "results", [first, copy], "wos")
    notes = review_status(tmp_path)["notes"]
    assert [n["file"] for n in notes if n["stage"] == "import"] == [str(copy)]
    assert "same file downloaded twice" in notes[0]["message"]


def test_an_export_in_another_format_than_configured_is_read_with_a_warning(tmp_path: Path):
    """An Embase RIS dropped into the Web of Science folder: read, counted, and named in status."""
    src = need(EXPORTS / "embase_ris_1.ris", "shared export fixture")
    out = tmp_path / "results" / "import"
    out.mkdir(parents=True)
    run_import([src], "wos", out / "wos.jsonl", out / "wos.rejects.jsonl", out / "wos.summary.json",
               expected_format="wos_plaintext")
    warning = read_json(out / "wos.summary.json")["files"][0]["warnings"][-1]
    assert warning.startswith("this file is ris (as embase exports it), but the config says wos exports "
                              "wos_plaintext")
    assert any(n["message"].endswith(warning) for n in review_status(tmp_path)["notes"])
    run_import([src], "embase", out / "e.jsonl", out / "e.rejects.jsonl", out / "e.summary.json",
               expected_format="ris")
    assert not read_json(out / "e.summary.json")["files"][0]["warnings"]
