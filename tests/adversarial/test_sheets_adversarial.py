"""Returned sheets as people mangle them, generated: renamed, deleted or reordered columns, repeated or
unknown ids, another stage's or person's sheet, values outside the dropdown, huge cells, cut or
binary files. Each is read as its stage reads it: either the decisions come back exactly, or one
SheetError names the file (and row and column where there is one); the file is never changed and a
stage stops before writing anything."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewflow.errors import SheetError
from reviewflow.fsio import write_jsonl
from reviewflow.screen.stages import make_conflicts, make_decisions
from reviewflow.sheets import SheetRead, write_sheet

from ..faults.people import digest
from .kinds import KEYS, KINDS, TA, Kind

SETTINGS = settings(max_examples=15, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
NAMES = st.sampled_from(sorted(KINDS))
# Text a person might type: any printable characters, formula signs and spaces made common.
TYPED = st.text(st.one_of(st.characters(blacklist_categories=("Cs", "Cc")), st.sampled_from("=+-@ '\"\t;,")),
                min_size=1, max_size=30)


def _norm(text: object) -> str:
    return " ".join(str(text or "").split()).casefold()


def _decisions(kind: Kind, read: SheetRead) -> dict[str, dict[str, str]]:
    editable = [c.key for c in kind.columns if c.editable]
    return {k: {c: v.get(c, "") for c in editable} for k, v in read.rows.items()}


def _expected(kind: Kind, tmp: Path) -> dict[str, dict[str, str]]:
    return _decisions(kind, kind.read(kind.write(tmp / f"{kind.name}.xlsx")))


def _edit(kind: Kind, tmp: Path, name: str, change) -> Path:
    """The kind's filled sheet, changed by `change(ws, headers)` in a spreadsheet program, saved as `name`."""
    src = kind.write(tmp / f"clean-{kind.name}.xlsx")
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    change(ws, [c.value for c in ws[1]])
    out = tmp / name
    wb.save(out)
    return out


def _type(ws, row: int, col: int, text: str) -> None:
    """Type text into a cell (as text: a typed formula is another case, below)."""
    cell = ws.cell(row, col)
    cell.value = text
    cell.data_type = "s"


def _fails(kind: Kind, path: Path, *, line: int | None = None, column: str | None = None,
           says: str = "") -> SheetError:
    """Reading fails with one line naming the file (row, column); the file is not changed."""
    before = digest(path)
    with pytest.raises(SheetError) as info:
        kind.read(path)
    err = info.value
    assert digest(path) == before
    assert err.file == str(path) and str(err).startswith(f"{path}:") and "\n" not in str(err)
    if line is not None:
        assert err.line == line, str(err)
    if column is not None:
        assert err.column == column, str(err)
    assert says in str(err), str(err)
    return err


# ----------------------------------------------------------------- columns


@SETTINGS
@given(name=NAMES, data=st.data())
def test_renamed_or_deleted_columns(tmp_path: Path, name: str, data: st.DataObject) -> None:
    kind = KINDS[name]
    want = _expected(kind, tmp_path)
    idx = data.draw(st.integers(0, len(kind.columns) - 1), label="column")
    col = kind.columns[idx]
    headers = {_norm(c.header) for c in kind.columns}
    new = data.draw(st.one_of(st.none(), TYPED.filter(lambda t: _norm(t) and _norm(t) not in headers)),
                    label="new header (None: delete)")

    def change(ws, _headers):
        if new is None:
            ws.delete_cols(idx + 1)
        else:
            _type(ws, 1, idx + 1, new)

    path = _edit(kind, tmp_path, "renamed.xlsx", change)
    if col.key == kind.key or col.editable:
        # The key and the person's own columns cannot go: named, on the header row.
        _fails(kind, path, line=1, column=kind.columns[0].header if col.key == kind.key else col.header,
               says="column")
    else:
        assert _decisions(kind, kind.read(path)) == want  # context columns may go


@SETTINGS
@given(name=NAMES, seed=st.integers(0, 2**32 - 1))
def test_reordered_columns_and_rows_read_the_same(tmp_path: Path, name: str, seed: int) -> None:
    kind = KINDS[name]
    want = _expected(kind, tmp_path)
    rnd = random.Random(seed)

    def change(ws, headers):
        table = [list(r) for r in ws.iter_rows(values_only=True)]
        cols = list(range(len(headers)))
        rnd.shuffle(cols)
        body = table[1:]
        rnd.shuffle(body)
        for r, row in enumerate([table[0], *body], start=1):
            for c, src in enumerate(cols, start=1):
                ws.cell(r, c).value = row[src]

    assert _decisions(kind, kind.read(_edit(kind, tmp_path, "shuffled.xlsx", change))) == want


# ----------------------------------------------------------------- ids


@SETTINGS
@given(name=NAMES, data=st.data())
def test_repeated_ids(tmp_path: Path, name: str, data: st.DataObject) -> None:
    kind = KINDS[name]
    i, j = sorted(data.draw(st.lists(st.integers(0, len(kind.rows) - 1), min_size=2, max_size=2, unique=True)))

    def change(ws, _headers):
        ws.cell(j + 2, 1).value = ws.cell(i + 2, 1).value

    _fails(kind, _edit(kind, tmp_path, "twice.xlsx", change), line=j + 2, column=kind.columns[0].header,
           says=f"also on row {i + 2}")


@SETTINGS
@given(name=NAMES, data=st.data())
def test_unknown_ids(tmp_path: Path, name: str, data: st.DataObject) -> None:
    kind = KINDS[name]
    row = data.draw(st.integers(0, len(kind.rows) - 1))
    bad = data.draw(TYPED.filter(lambda t: t.strip() and t.strip() not in kind.keys))

    def change(ws, _headers):
        _type(ws, row + 2, 1, bad)

    _fails(kind, _edit(kind, tmp_path, "unknown.xlsx", change), line=row + 2, column=kind.columns[0].header,
           says="unknown")


# ----------------------------------------------------------------- values


@SETTINGS
@given(name=NAMES, data=st.data())
def test_values_outside_the_dropdown(tmp_path: Path, name: str, data: st.DataObject) -> None:
    kind = KINDS[name]
    choosy = [(i, c) for i, c in enumerate(kind.columns) if c.choices and c.editable]
    idx, col = data.draw(st.sampled_from(choosy), label="column")
    row = data.draw(st.integers(0, len(kind.rows) - 1), label="row")
    options = {_norm(c) for c in col.choices or ()}
    bad = data.draw(TYPED.filter(lambda t: _norm(t.lstrip("'")) and _norm(t.lstrip("'")) not in options))

    def change(ws, _headers):
        _type(ws, row + 2, idx + 1, bad)

    _fails(kind, _edit(kind, tmp_path, "typo.xlsx", change), line=row + 2, column=col.header, says="is not one of")


def test_a_huge_note_reads_back_whole_and_a_huge_title_is_cut_to_excels_limit(tmp_path: Path) -> None:
    kind = KINDS["title_abstract"]
    note = ("a very long note; " * 2_000)[:32_767]  # as much as a spreadsheet cell holds, pasted by a person

    def change(ws, headers):
        _type(ws, 2, headers.index("Note") + 1, note)

    read = kind.read(_edit(kind, tmp_path, "long.xlsx", change))
    assert read.rows[KEYS[0]]["note"] == note.strip()
    path = tmp_path / "big.xlsx"
    write_sheet(path, kind.columns, [{**kind.rows[0], "title": "=" + "t" * 1_000_000}], title=kind.title)
    cell = openpyxl.load_workbook(path).worksheets[0]["B2"].value
    assert len(cell) == 32767 and cell.startswith("'=t") and cell.endswith("\u2026")


# ----------------------------------------------------------------- whole files


@SETTINGS
@given(name=NAMES, cut=st.floats(0.0, 0.999))
def test_cut_files(tmp_path: Path, name: str, cut: float) -> None:
    kind = KINDS[name]
    data = kind.write(tmp_path / "whole.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: int(len(data) * cut)])
    _fails(kind, path, says="not a readable XLSX")


@SETTINGS
@given(name=NAMES, data=st.data())
def test_damaged_files_read_exactly_or_fail_cleanly(tmp_path: Path, name: str, data: st.DataObject) -> None:
    """A few bytes overwritten anywhere: the zip's checksums catch the damage, or it missed the data."""
    kind = KINDS[name]
    want = _expected(kind, tmp_path)
    raw = bytearray(kind.write(tmp_path / "whole.xlsx").read_bytes())
    at = data.draw(st.integers(0, len(raw) - 1), label="offset")
    junk = data.draw(st.binary(min_size=1, max_size=8), label="bytes")
    raw[at:at + len(junk)] = junk[: len(raw) - at]
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(raw))
    before = digest(path)
    try:
        got = kind.read(path)
    except SheetError as err:
        assert err.file == str(path) and "\n" not in str(err)
    else:
        assert _decisions(kind, got) == want
    assert digest(path) == before


@pytest.mark.parametrize("data", [b"", b"\x00" * 100, bytes(range(256)) * 8, b"PK\x03\x04" + b"\x00" * 60,
                                  b"Record ID,Decision\nr01,include\n"], ids=["empty", "zeros", "binary", "zip",
                                                                            "csv"])
@pytest.mark.parametrize("name", sorted(KINDS))
def test_binary_and_empty_files(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / "junk.xlsx"
    path.write_bytes(data)
    _fails(KINDS[name], path, says="not a readable XLSX")


# ----------------------------------------------------------------- another stage's or person's sheet


@pytest.mark.parametrize(("sent", "expected"), [(a, b) for a in sorted(KINDS) for b in sorted(KINDS) if a != b])
def test_a_sheet_of_another_stage_is_refused(tmp_path: Path, sent: str, expected: str) -> None:
    path = KINDS[sent].write(tmp_path / "wrong.xlsx")
    _fails(KINDS[expected], path)


def test_another_reviewers_or_the_adjudicators_sheet_is_refused(tmp_path: Path) -> None:
    kind = KINDS["title_abstract"]
    b = tmp_path / "reviewer_B.xlsx"
    write_sheet(b, TA.columns, kind.rows, title=f"{TA.label} - B")
    err = _fails(kind, b, says="not 'Title_abstract screening - A'")
    assert "Title_abstract screening - B" in str(err)
    adj = tmp_path / "adjudication.xlsx"
    write_sheet(adj, TA.columns, kind.rows, title=f"{TA.label} - conflicts")
    _fails(kind, adj, says="another stage or person")


# ----------------------------------------------------------------- the stage stops, writing nothing


@pytest.mark.parametrize("bad", ["typo", "unknown", "twice", "no decision column", "cut", "other person"])
def test_a_stage_given_a_bad_sheet_writes_nothing(tmp_path: Path, bad: str) -> None:
    kind = KINDS["title_abstract"]
    queue = tmp_path / "queue.jsonl"
    write_jsonl(queue, [{c.key: r.get(c.key, "") for c in TA.context} for r in kind.rows])
    good = kind.write(tmp_path / "reviewer_B.xlsx")
    edits = {"typo": lambda ws, h: setattr(ws.cell(3, h.index("Decision") + 1), "value", "inclde"),
             "unknown": lambda ws, h: setattr(ws.cell(3, 1), "value", "r99"),
             "twice": lambda ws, h: setattr(ws.cell(3, 1), "value", KEYS[0]),
             "no decision column": lambda ws, h: ws.delete_cols(h.index("Decision") + 1)}
    if bad in edits:
        a = _edit(kind, tmp_path, "reviewer_A.xlsx", edits[bad])
    elif bad == "cut":
        a = tmp_path / "reviewer_A.xlsx"
        a.write_bytes(good.read_bytes()[:5000])
    else:
        a = good  # B's own sheet given as A's
    before = {p: digest(p) for p in (a, good)}
    out = {n: tmp_path / "out" / n for n in ("final.csv", "status.json", "adj.xlsx", "conflicts.jsonl",
                                              "agreement.json")}
    display = {"A": "decisions/title_abstract/reviewer_A.xlsx", "B": "decisions/title_abstract/reviewer_B.xlsx"}
    with pytest.raises(SheetError):
        make_decisions(TA, queue, {"A": a, "B": good}, display, "C", None, "adj", out["final.csv"],
                       out["status.json"])
    with pytest.raises(SheetError):
        make_conflicts(TA, queue, {"A": a, "B": good}, display, out["adj.xlsx"], out["conflicts.jsonl"],
                       out["agreement.json"])
    assert not (tmp_path / "out").exists()
    assert {p: digest(p) for p in (a, good)} == before


def test_formulas_typed_into_the_sheet_are_not_decisions(tmp_path: Path) -> None:
    """A formula a person types (=..., whose value we do not compute) decides nothing: in a
    decision cell the row stays pending; in the key cell the row is refused."""
    kind = KINDS["title_abstract"]

    def decision(ws, headers):
        ws.cell(2, headers.index("Decision") + 1).value = '=IF(TRUE,"include","exclude")'

    read = kind.read(_edit(kind, tmp_path, "formula.xlsx", decision))
    assert KEYS[0] in read.pending and KEYS[0] not in read.rows

    def key(ws, _headers):
        ws.cell(3, 1).value = '="r0"&"2"'

    _fails(kind, _edit(kind, tmp_path, "formula_key.xlsx", key), line=3, column="Record ID", says="no Record ID")
