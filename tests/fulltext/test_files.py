"""Full texts in the team's folder: the naming rule, matching by record id or DOI, clear messages."""

from __future__ import annotations

from pathlib import Path

from reviewflow.fulltext.files import Report, doi_filename, match_folder, pdf_problem, safe_doi
from tests.fulltext.conftest import PDF


def test_doi_name_rule() -> None:
    assert doi_filename("10.1000/xyz") == "10.1000_xyz.pdf"
    assert doi_filename("https://doi.org/10.1000/XYZ.123") == "10.1000_xyz.123.pdf"
    assert doi_filename("doi: 10.1000/a/b", ".txt") == "10.1000_a_b.txt"
    assert safe_doi("10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O") == \
        "10.1002_(sici)1097-4571(199806)49_8_693__aid-asi4_3.0.co;2-o"
    assert safe_doi("10.1000/a:b?c*d|e\"f\\g") == "10.1000_a_b_c_d_e_f_g"
    assert doi_filename("") == "" and doi_filename("not a doi") == ""


def _put(folder: Path, name: str, data: bytes = PDF) -> None:
    (folder / name).write_bytes(data)


REPORTS = [Report("aaaa000000000001", "https://doi.org/10.1000/xyz"),
           Report("aaaa000000000002", "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O"),
           Report("aaaa000000000003", "10.1000/abc"),
           Report("aaaa000000000004", ""),
           Report("aaaa000000000005", "10.1000/shared"),
           Report("aaaa000000000006", "https://doi.org/10.1000/SHARED")]


def test_files_match_by_record_id_or_doi_case_insensitive_and_url_encoded(tmp_path: Path) -> None:
    _put(tmp_path, "AAAA000000000004.PDF")                                   # record id, other case
    _put(tmp_path, "10.1000_XYZ.pdf")                                        # DOI rule, other case
    _put(tmp_path, "10.1002%2F%28SICI%291097-4571%28199806%2949%3A8%3C693%3A%3AAID-ASI4%3E3.0.CO%3B2-O.pdf")
    (tmp_path / "10.1000_abc.txt").write_text("The full text.", encoding="utf-8")
    m = match_folder(tmp_path, REPORTS)
    assert m.chosen("aaaa000000000004") == tmp_path / "AAAA000000000004.PDF"
    assert m.chosen("aaaa000000000001") == tmp_path / "10.1000_XYZ.pdf"
    assert m.chosen("aaaa000000000002").name.startswith("10.1002%2F")
    assert m.chosen("aaaa000000000003") == tmp_path / "10.1000_abc.txt"
    assert m.chosen("aaaa000000000005") is None
    assert m.messages() == []


def test_files_that_match_nothing_or_two_reports_get_a_message(tmp_path: Path) -> None:
    _put(tmp_path, "10.1000_shared.pdf")      # two reports share this DOI
    _put(tmp_path, "10.9999_other.pdf")       # no report sought has this DOI
    _put(tmp_path, "report-final.pdf")
    (tmp_path / "notes.odt").write_bytes(b"PK")            # not ours: left alone
    (tmp_path / ".DS_Store").write_bytes(b"\0")              # system file: ignored
    m = match_folder(tmp_path, REPORTS)
    assert m.files == {}
    assert m.ambiguous == {"10.1000_shared.pdf": ["aaaa000000000005", "aaaa000000000006"]}
    assert m.unmatched == ["10.9999_other.pdf", "report-final.pdf"]
    msgs = m.messages()
    assert len(msgs) == 3
    assert msgs[0] == (f"{tmp_path / '10.9999_other.pdf'}: matches no report sought (name a full text "
                       "<record id>.pdf or by its DOI, e.g. 10.1000/xyz -> 10.1000_xyz.pdf)")
    assert "report-final.pdf: matches no report sought" in msgs[1]
    assert msgs[2] == (f"{tmp_path / '10.1000_shared.pdf'}: its DOI belongs to 2 reports sought "
                       "(aaaa000000000005, aaaa000000000006); not used: save it under each report's record id "
                       "instead (<record id>.pdf)")
    assert m.problems_for("aaaa000000000005") == [msgs[2]]
    # Named by record id, the shared-DOI report is matched.
    _put(tmp_path, "aaaa000000000006.pdf")
    assert match_folder(tmp_path, REPORTS).chosen("aaaa000000000006") == tmp_path / "aaaa000000000006.pdf"


def test_unusable_files_are_not_full_texts(tmp_path: Path) -> None:
    _put(tmp_path, "aaaa000000000001.pdf", b"<!DOCTYPE html><html><body>Sign in</body></html>")
    _put(tmp_path, "aaaa000000000002.pdf", PDF[:40])                   # cut off: no %%EOF
    _put(tmp_path, "aaaa000000000003.pdf", b"")
    _put(tmp_path, "aaaa000000000004.txt", "caf\xe9".encode("latin-1"))
    _put(tmp_path, "aaaa000000000005.doc", b"\xd0\xcf\x11\xe0")
    m = match_folder(tmp_path, REPORTS)
    assert m.files == {}
    assert m.unusable == {
        "aaaa000000000001.pdf": "an HTML page, not a PDF (a login or landing page saved as .pdf?)",
        "aaaa000000000002.pdf": "truncated PDF (no %%EOF at the end: an interrupted download?)",
        "aaaa000000000003.pdf": "empty file",
        "aaaa000000000004.txt": "not UTF-8 text (byte 3): save it as UTF-8 or as a PDF",
    }
    assert m.wrong_type == ["aaaa000000000005.doc"]
    assert any(x.endswith("aaaa000000000005.doc: not used: a full text must be a .pdf, .xml (JATS), .docx, .md "
                          "or .txt file") for x in m.messages())
    assert pdf_problem(b"junk" + PDF[:20], PDF[-20:]) == ""   # a little junk before the header is allowed
    assert pdf_problem(b"GIF89a", b"") == "not a PDF (no %PDF- header)"


def test_several_files_for_one_report_prefer_record_id_then_structure(tmp_path: Path) -> None:
    _put(tmp_path, "10.1000_xyz.pdf")
    _put(tmp_path, "10.1000_xyz.txt", b"text by DOI")
    _put(tmp_path, "aaaa000000000001.pdf")
    m = match_folder(tmp_path, REPORTS)
    assert [f.name for f in m.files["aaaa000000000001"]] == ["aaaa000000000001.pdf", "10.1000_xyz.pdf",
                                                              "10.1000_xyz.txt"]
    assert m.chosen("aaaa000000000001") == tmp_path / "aaaa000000000001.pdf"
    assert m.messages() == ["record aaaa000000000001 has 3 full texts (aaaa000000000001.pdf, 10.1000_xyz.pdf, "
                            "10.1000_xyz.txt); using aaaa000000000001.pdf"]
    # JATS XML keeps the sections and quotes marked: it wins over a PDF of the same report.
    (tmp_path / "aaaa000000000001.xml").write_bytes(b"<?xml version='1.0'?><article/>")
    assert match_folder(tmp_path, REPORTS).chosen("aaaa000000000001") == tmp_path / "aaaa000000000001.xml"
    (tmp_path / "aaaa000000000002.docx").write_bytes(b"\xd0\xcf\x11\xe0 a Word 97 file renamed")
    assert "not a DOCX" in match_folder(tmp_path, REPORTS).unusable["aaaa000000000002.docx"]


def test_missing_folder_matches_nothing(tmp_path: Path) -> None:
    m = match_folder(tmp_path / "absent", REPORTS)
    assert m.files == {} and m.messages() == []
