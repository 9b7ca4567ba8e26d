"""`reviewflow simulate` as the design's contract says, and its one-line errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from reviewflow.cli import main

from .test_priority import corpus


def write_records(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["record_id", "title", "abstract", "doi", "label_included"])
        for r in rows:
            w.writerow([r["record_id"], r["title"], r["abstract"], "", r["label"]])
    return path


def read_ids(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as fh:
        return [r["record_id"] for r in csv.DictReader(fh)]


@pytest.fixture
def records(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    rows = corpus(150, 12, seed=5)
    return write_records(tmp_path / "records.csv", rows), {r["record_id"]: r["label"] for r in rows}


def test_order_covers_every_record_with_priors_first(tmp_path: Path, records) -> None:
    path, truth = records
    rel = sorted(k for k, v in truth.items() if v)[3]
    irr = sorted(k for k, v in truth.items() if not v)[7]
    out, stop = tmp_path / "order.csv", tmp_path / "stop.json"
    assert main(["simulate", str(path), "-o", str(out), "--seed", "1", "--prior", rel, "--prior", irr,
                 "--stop-json", str(stop)]) == 0
    order = read_ids(out)
    assert order[:2] == [rel, irr] and sorted(order) == sorted(truth)
    got = json.loads(stop.read_text())
    assert isinstance(got["stop_after"], int) and 2 <= got["stop_after"] <= len(truth)
    assert got["recall"] == pytest.approx(sum(truth[r] for r in order[: got["stop_after"]]) / 12)


def test_priors_drawn_with_the_seed_and_runs_repeat(tmp_path: Path, records) -> None:
    path, truth = records
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    assert main(["simulate", str(path), "-o", str(a), "--seed", "2"]) == 0
    assert main(["simulate", str(path), "-o", str(b), "--seed", "2"]) == 0
    assert main(["simulate", str(path), "-o", str(c), "--seed", "3"]) == 0
    oa = read_ids(a)
    assert oa == read_ids(b)
    assert [truth[r] for r in oa[:2]] == [1, 0]
    assert read_ids(c)[:2] != oa[:2]


@pytest.mark.parametrize("content,expected", [
    ("record_id,title,abstract,label_included\n1,a,b,1\n2,c,d,maybe\n", "records.csv:3:label_included: label 'maybe'"),
    ("record_id,title,abstract,label_included\n1,a,b,1\n1,c,d,0\n", "records.csv:3:record_id: record_id '1' repeats"),
    ("id,title,abstract,label_included\n1,a,b,1\n", "records.csv:1: no 'record_id' column"),
    ("record_id,title,abstract,label_included\n1,a,b,1\n2,c,d,1\n", "records.csv: simulation needs at least one"),
])
def test_bad_records_file_is_one_line_exit_2(tmp_path: Path, capsys, content: str, expected: str) -> None:
    path = tmp_path / "records.csv"
    path.write_text(content, encoding="utf-8")
    assert main(["simulate", str(path), "-o", str(tmp_path / "o.csv"), "--seed", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and expected in err, err
    assert not (tmp_path / "o.csv").exists()


def test_unknown_prior(tmp_path: Path, records, capsys) -> None:
    path, _ = records
    assert main(["simulate", str(path), "-o", str(tmp_path / "o.csv"), "--seed", "1", "--prior", "nope"]) == 2
    assert "--prior 'nope' is not a record_id" in capsys.readouterr().err
