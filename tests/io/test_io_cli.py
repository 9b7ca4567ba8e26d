"""`reviewflow inspect` and `reviewflow convert`, through the command's own entry point."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_io_fixtures import FIXTURES
from test_io_writers import _same

from reviewflow.cli import main
from reviewflow.io import FORMATS, read_export
from reviewflow.io.writers import read_jsonl
from reviewflow.records import FIELDS

RIS = "TY  - JOUR\nTI  - One\nAU  - Doe, Jane\nPY  - 2020\nER  - \n\nTY  - JOUR\nTI  - Two\nER  - \n"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def _provenance_counts(shared: Path) -> dict[str, int]:
    """Record counts of the exports, from the index table of PROVENANCE.md."""
    text = (shared / "fixtures" / "PROVENANCE.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `exports/([^`]+)` \| [^|]+ \| (\d+) \|", text, re.M)
    return {name: int(n) for name, n in rows}


@pytest.mark.shared
def test_inspect_json_every_fixture(shared_dir: Path, exports: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    counts = _provenance_counts(shared_dir)
    names = sorted(p.name for p in exports.iterdir())
    assert set(names) == set(counts), "PROVENANCE.md and the exports folder disagree"
    expected = {name: (fmt, dialect, n) for name, fmt, dialect, n in FIXTURES}
    assert set(expected) == set(names), "a fixture has no expected format in test_io_fixtures"
    files = [str(exports / n) for n in names]
    rc, out, err = _run(capsys, "inspect", *files, "--json")
    assert rc == 0, err
    rows = json.loads(out)
    assert [r["file"] for r in rows] == files
    for name, row in zip(names, rows, strict=True):
        fmt, dialect, n = expected[name]
        assert row["format"] in FORMATS
        assert (row["format"], row["dialect"], row["records"], row["rejected"]) == \
            (fmt, dialect, counts[name], 0), name
        assert n == counts[name]
        assert list(row["fields"]) == sorted(FIELDS)
        assert all(0 <= v <= 1 and round(v, 4) == v for v in row["fields"].values())
        assert row["fields"]["title"] > 0.9 or fmt == "bibtex"
        assert isinstance(row["encoding"], str) and row["encoding"]


def test_inspect_fields_and_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mine.ris"
    path.write_text(RIS + "\nstray text\n", encoding="utf-8")
    rc, out, _ = _run(capsys, "inspect", str(path), "--json")
    assert rc == 0
    (row,) = json.loads(out)
    assert (row["format"], row["encoding"], row["records"], row["rejected"]) == ("ris", "utf-8", 2, 1)
    assert row["fields"]["title"] == 1.0 and row["fields"]["authors"] == 0.5
    assert row["fields"]["doi"] == 0.0
    rc, out, _ = _run(capsys, "inspect", str(path))
    assert rc == 0
    first, second = out.splitlines()[:2]
    assert first.split() == ["file", "format", "dialect", "encoding", "records", "rejected"]
    assert second.split() == [str(path), "ris", "-", "utf-8", "2", "1"]
    assert re.search(r"^authors\s+50%$", out, re.M)


@pytest.mark.parametrize(("content", "line", "what"), [
    (b"", 1, "empty file"),
    (b"TY  - JOUR\nTI  - x\n\x00\x01\x02\x03", 3, "binary file"),
    (b"nothing to see here\n", 1, "unrecognised export format"),
])
def test_inspect_unreadable_file_exits_2_with_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, line: int, what: str) -> None:
    good = tmp_path / "good.ris"
    good.write_text(RIS, encoding="utf-8")
    bad = tmp_path / "bad.ris"
    bad.write_bytes(content)
    rc, out, err = _run(capsys, "inspect", str(good), str(bad), "--json")
    assert rc == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith(f"{bad}:{line}: {what}")


@pytest.mark.shared
def test_convert_every_fixture_to_every_writer(exports: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    names = sorted(p.name for p in exports.iterdir())
    files = [str(exports / n) for n in names]
    originals = [rec for f in files for rec in read_export(f, Path(f).stem, display_path=f).records]
    assert {rec.provenance.source for rec in originals} == {Path(f).stem for f in files}
    for ext in ("ris", "bib", "csv", "jsonl"):
        out = tmp_path / f"all.{ext}"
        rc, stdout, err = _run(capsys, "convert", *files, "-o", str(out))
        assert rc == 0, err
        assert f"{len(originals)} records from {len(files)} file(s)" in stdout
        if ext == "jsonl":
            assert read_jsonl(out) == originals  # lossless: ids, provenance and raw too
            continue
        back = read_export(out, "x")
        assert (back.format, len(back.records), back.rejects) == \
            ({"bib": "bibtex"}.get(ext, ext), len(originals), [])
        for a, b in zip(originals, back.records, strict=True):
            assert _same(a, b, flat=ext != "csv") == [], (ext, a.provenance)


def test_convert_source_option_and_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "embase 2024.ris"
    src.write_text(RIS, encoding="utf-8")
    out = tmp_path / "out" / "records.JSONL"
    assert _run(capsys, "convert", str(src), "-o", str(out))[0] == 0
    assert {r.source for r in read_jsonl(out)} == {"embase 2024"}
    assert _run(capsys, "convert", str(src), "-o", str(out), "--source", "embase")[0] == 0
    recs = read_jsonl(out)
    assert {r.source for r in recs} == {"embase"}
    assert [r.title for r in recs] == ["One", "Two"]
    assert recs[0].provenance.file == str(src)
    # Converting what we wrote gives the same normalised records again.
    again = tmp_path / "again.ris"
    for ext in ("ris", "bib", "csv"):
        mid = tmp_path / f"mid.{ext}"
        assert _run(capsys, "convert", str(src), "-o", str(mid))[0] == 0
        assert _run(capsys, "convert", str(mid), "-o", str(again))[0] == 0
        back = read_export(again, "x").records
        assert [(r.title, r.year, [a.family for a in r.authors]) for r in back] == \
            [("One", 2020, ["Doe"]), ("Two", None, [])]


def test_convert_reports_rejects(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "a.ris"
    src.write_text(RIS + "\n%% stray\n", encoding="utf-8")
    rej = tmp_path / "rejects.jsonl"
    rc, out, err = _run(capsys, "convert", str(src), "-o", str(tmp_path / "a.csv"), "--rejects", str(rej))
    assert rc == 0
    assert "2 records from 1 file(s)" in out and "1 could not be read" in out
    assert f"{src}:11: not converted: text outside any RIS record" in err
    (row,) = [json.loads(ln) for ln in rej.read_text(encoding="utf-8").splitlines()]
    assert (row["line"], row["text"], row["source"]) == (11, "%% stray", "a")


def test_convert_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "a.ris"
    src.write_text(RIS, encoding="utf-8")
    rc, out, err = _run(capsys, "convert", str(src), "-o", str(tmp_path / "a.xlsx"))
    assert rc == 2 and err.count("\n") == 1 and "must be one of .ris, .bib, .csv, .jsonl" in err
    assert not (tmp_path / "a.xlsx").exists()
    bad = tmp_path / "b.ris"
    bad.write_bytes(b"\xff\xfe\x00")
    rc, out, err = _run(capsys, "convert", str(src), str(bad), "-o", str(tmp_path / "o.ris"))
    assert rc == 2 and err.startswith(f"{bad}:1: ") and err.count("\n") == 1
    assert not (tmp_path / "o.ris").exists()
