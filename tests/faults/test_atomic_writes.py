"""The atomic writers (fsio.py, and sheets through it) never leave a partial target, whenever the
writer dies: killed before its rename, or at any moment of a run of rewrites."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest

from reviewflow import fsio
from reviewflow.sheets import Column, write_sheet

from .hang import hang_env, kill_when_hung

# Each writer as the child runs it: (code writing `new` content to `path`, how to check content).
WRITERS = {
    "atomic_write_bytes": "fsio.atomic_write_bytes(path, b'new' * 100_000)",
    "atomic_write_text": "fsio.atomic_write_text(path, 'n\u00e9w' * 100_000)",
    "write_json": "fsio.write_json(path, {'new': list(range(50_000))})",
    "write_jsonl": "fsio.write_jsonl(path, ({'new': i} for i in range(50_000)))",
    "write_csv": "fsio.write_csv(path, ['a', 'b'], ({'a': i, 'b': 'new'} for i in range(50_000)))",
    "write_sheet": ("write_sheet(path, [Column('record_id', 'Record ID')], "
                    "[{'record_id': f'new{i}'} for i in range(2_000)], title='t')"),
}
CHILD = textwrap.dedent("""
    import sys
    from reviewflow import fsio
    from reviewflow.sheets import Column, write_sheet
    path = sys.argv[1]
    {code}
""")


def _child(code: str, path: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """A Python process running `code` with `path` (its stderr goes to `<path's folder>.err`)."""
    err = open(f"{path.parent}.err", "wb")  # noqa: SIM115 - the child owns it
    with err:
        return subprocess.Popen([sys.executable, "-c", CHILD.format(code=code), str(path)], env=env,
                                stdout=subprocess.PIPE, stderr=err, start_new_session=True)


def _temps(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f".{path.name}.*.tmp"))


@pytest.mark.parametrize(("writer", "existed"), [(w, True) for w in sorted(WRITERS)] + [("write_sheet", False)])
def test_writer_killed_before_its_rename_leaves_the_target_whole(tmp_path: Path, writer: str,
                                                                 existed: bool) -> None:
    ext = {"write_sheet": ".xlsx", "write_json": ".json", "write_csv": ".csv"}.get(writer, ".txt")
    (tmp_path / "work").mkdir()
    path = tmp_path / "work" / f"out{ext}"
    old = b"the old, complete content\n"
    if existed:
        path.write_bytes(old)
    mark = tmp_path / "hung"
    proc = _child(WRITERS[writer], path, hang_env(path, mark))
    kill_when_hung(proc, mark, Path(f"{path.parent}.err"))
    # Killed with everything written to the temp file but not renamed: the target is untouched.
    if existed:
        assert path.read_bytes() == old
    else:
        assert not path.exists()
    assert len(_temps(path)) == 1
    # The next write of the same target completes and takes the dead writer's temp file with it.
    exec(WRITERS[writer], {"fsio": fsio, "Column": Column, "write_sheet": write_sheet, "path": str(path)})
    assert _temps(path) == []
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    if writer == "write_sheet":
        ws = openpyxl.load_workbook(path).worksheets[0]
        assert ws.max_row == 2_001 and ws["A2"].value == "new0"
    elif writer == "write_json":
        assert json.loads(path.read_text())["new"][-1] == 49_999
    else:
        assert b"new" in path.read_bytes() or "n\u00e9w" in path.read_text(encoding="utf-8")


def test_writer_killed_at_any_moment_leaves_one_whole_version(tmp_path: Path) -> None:
    """A child rewrites one file over and over with two different contents; killed wherever it is,
    the file is one of the two, whole."""
    (tmp_path / "work").mkdir()
    path = tmp_path / "work" / "big.txt"
    a, b = "A" * 3_000_000, "B" * 2_000_000
    code = ("i = 0\n"
            "while True:\n"
            f"    fsio.atomic_write_text(path, 'A' * {len(a)} if i % 2 == 0 else 'B' * {len(b)})\n"
            "    i += 1\n"
            "    if i == 3:\n"
            "        print('going', flush=True)\n")
    for _ in range(3):
        proc = _child(code, path)
        assert proc.stdout.readline().strip() == b"going", Path(f"{path.parent}.err").read_text()
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert path.read_text(encoding="utf-8") in (a, b)
    fsio.atomic_write_text(path, "done")
    assert sorted(p.name for p in path.parent.iterdir()) == ["big.txt"]


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    """mkstemp makes private files (0600); a written sheet or result must be readable as any new
    file is (team members open the sheets, a web server may serve the report)."""
    umask = os.umask(0o022)
    os.umask(umask)
    fsio.write_json(tmp_path / "a.json", {})
    write_sheet(tmp_path / "s.xlsx", [Column("record_id", "Record ID")], [{"record_id": "r1"}], title="t")
    for name in ("a.json", "s.xlsx"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o666 & ~umask


def test_stale_temp_files_of_other_targets_are_left_alone(tmp_path: Path) -> None:
    other = tmp_path / ".out.csv.x.abcdefgh.tmp"  # belongs to a file named out.csv.x
    other.write_text("in progress")
    (tmp_path / ".out.csv.abcdefgh.tmp").write_text("stale")
    fsio.write_csv(tmp_path / "out.csv", ["a"], [{"a": 1}])
    assert sorted(p.name for p in tmp_path.iterdir()) == [other.name, "out.csv"]
