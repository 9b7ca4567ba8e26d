"""Every real export fixture of the supported formats: format, dialect, record count, values."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewflow.io import detect_format, read_export
from reviewflow.io.text import split_lines

pytestmark = pytest.mark.shared

# file, format, dialect, records (from ../shared/fixtures/PROVENANCE.md)
FIXTURES = [
    ("ovid-psycinfo_ris_1.ris", "ris", "ovid", 6),
    ("ovid-eric_ris_1.ris", "ris", "ovid", 10),
    ("ovid-cababstracts_ris_1.ris", "ris", "ovid", 4),
    ("ebsco-academicsearchpremier_ris_1.ris", "ris", "ebsco", 4),
    ("ebsco-cinahl_ris_1.ris", "ris", "ebsco", 9),
    ("ebsco-psycinfo_ris_1.ris", "ris", "ebsco", 64),
    ("ebsco-econlit_ris_1.ris", "ris", "ebsco", 3),
    ("proquest_ris_1.ris", "ris", "proquest", 6),
    ("proquest-abiinform_ris_1.ris", "ris", "proquest", 2),
    ("scopus_ris_1.ris", "ris", "scopus", 3),
    ("scopus_ris_2.ris", "ris", "scopus", 7),
    ("wos_ris_1.ris", "ris", "wos", 10),
    ("embase_ris_1.ris", "ris", "embase", 6),
    ("embase_ris_2.ris", "ris", "embase", 10),
    ("cochrane-central_ris_1.ris", "ris", "cochrane", 3),
    ("cochrane-central_ris_2.ris", "ris", "cochrane", 3),
    ("ieee_ris_1.ris", "ris", "ieee", 25),
    ("rayyan_ris_1.ris", "ris", "rayyan", 19),
    ("covidence_ris_1.ris", "ris", "covidence", 10),
    ("pubmed_medline_1.txt", "medline", "pubmed", 4),
    ("pubmed_medline_2.txt", "medline", "pubmed", 50),
    ("eric_nbib_1.nbib", "medline", "eric", 2),
    ("scopus_csv_1.csv", "scopus_csv", "scopus", 137),
    ("scopus_csv_2.csv", "scopus_csv", "scopus", 10),
    ("wos_plaintext_1.txt", "wos_tagged", "wos", 4),
    ("wos_plaintext_2.txt", "wos_tagged", "wos", 50),
    ("wos-zoologicalrecord_plaintext_1.txt", "wos_tagged", "wos", 134),
    ("ovid-embase_tagged_1.txt", "ovid_tagged", "ovid", 2),
    ("ovid-embase_tagged_2.txt", "ovid_tagged", "ovid", 2),
    ("ovid-biosis_tagged_1.txt", "ovid_tagged", "ovid", 4),
    ("wos_tabdelimited_1.txt", "wos_tabdelimited", "wos", 50),
    ("wos_tabdelimited_2.txt", "wos_tabdelimited", "wos", 50),
    ("wos-medline_tabdelimited_1.txt", "wos_tabdelimited", "wos", 10),
    ("cochrane-central_csv_1.csv", "csv", "cochrane", 3),
    ("covidence_csv_1.csv", "csv", "covidence", 10),
    ("ebsco-cinahl_csv_1.csv", "csv", "ebsco", 10),
    ("embase_csv_1.csv", "csv", "embase", 6),
    ("ieee_csv_1.csv", "csv", "ieee", 10),
    ("pubmed_csv_1.csv", "csv", "pubmed", 10),
    ("rayyan_csv_1.csv", "csv", "rayyan", 10),
    ("springer_csv_1.csv", "csv", "springer", 18),
    ("endnote_xml_2.xml", "endnote_xml", "endnote", 120),
    ("scopus_bib_1.bib", "bibtex", "scopus", 3),
    ("wos_bib_1.bib", "bibtex", "wos", 60),
    ("wos_bib_2.bib", "bibtex", "wos", 2),
    ("europepmc_bib_1.bib", "bibtex", "europepmc", 2),
    ("handwritten-bibtexparser_bib_1.bib", "bibtex", None, 1),
    ("handwritten-bibtexparser_bib_2.bib", "bibtex", None, 4),
    ("handwritten-bibtexparser_bib_3.bib", "bibtex", None, 2),
    ("handwritten-bibtexparser_bib_4.bib", "bibtex", None, 1),
]


@pytest.mark.parametrize(("name", "fmt", "dialect", "count"), FIXTURES)
def test_fixture_read_in_full(exports: Path, name: str, fmt: str, dialect: str,
                              count: int) -> None:
    res = read_export(exports / name, "db", display_path=f"data/{name}")
    assert (res.format, res.dialect) == (fmt, dialect)
    assert len(res.records) == count
    assert res.rejects == []
    assert detect_format(exports / name)[:2] == (fmt, dialect)
    # Provenance: position in file, the display path, and a first line that really is
    # the record's first line.
    lines = split_lines((exports / name).read_bytes().decode(res.encoding))
    for i, rec in enumerate(res.records):
        assert rec.provenance.source == "db"
        assert rec.provenance.file == f"data/{name}"
        assert rec.provenance.index == i
        first = lines[rec.provenance.line - 1]
        if fmt == "ris":
            assert first.startswith("TY  -")
        elif fmt == "medline":
            assert first.startswith(("PMID-", "OWN -"))
        elif fmt == "wos_tagged":
            assert first.startswith("PT ")
        elif fmt == "ovid_tagged":
            assert first.startswith("<") and first.rstrip().endswith(". >")
        elif fmt == "bibtex":
            assert first.lstrip().startswith("@")
        elif fmt == "endnote_xml":
            assert "<record>" in first  # the whole export is one line
        else:  # tables: the header is line 1
            assert rec.provenance.line >= 2 and first.strip()
        assert rec.title or fmt == "bibtex"
    ids = [r.id for r in res.records]
    assert len(set(ids)) == len(ids)
    # Reading twice gives the same records (determinism).
    assert [r.to_dict() for r in read_export(exports / name, "db",
                                             display_path=f"data/{name}").records] == \
        [r.to_dict() for r in res.records]


def _rec(exports: Path, name: str, index: int = 0):
    return read_export(exports / name, "db").records[index]


def test_encodings(exports: Path) -> None:
    assert read_export(exports / "embase_ris_1.ris", "db").encoding == "utf-8-sig"
    assert read_export(exports / "scopus_csv_1.csv", "db").encoding == "utf-8-sig"
    assert read_export(exports / "proquest_ris_1.ris", "db").encoding == "utf-8"


def test_ovid_psycinfo(exports: Path) -> None:
    rec = _rec(exports, "ovid-psycinfo_ris_1.ris")
    assert rec.title.startswith("The influence of self-criticism on depression symptoms")
    assert rec.doi == "10.1002/cpp.2398"  # 'http://dx.doi.org/' prefix removed
    assert rec.year == 2019  # Y1 '2019//'
    assert rec.abstract.startswith("Considering that self-criticism")  # N2, not AB
    assert rec.authors[0].family == "Trindade" and rec.authors[0].given == "Ines A"
    assert rec.journal == "Clinical Psychology & Psychotherapy"
    assert rec.pages is None  # SP 'No' / EP 'Specified'
    # '1. ' number lines precede TY: the record starts on the TY line (line 2).
    assert rec.provenance.line == 2
    assert rec.raw["preamble"] == ["1."]
    # NL and the Ovid link come after ER in Ovid files: kept with the record.
    assert rec.raw["NL"] == ["Clin Psychol Psychother"]
    assert any("ovid" in v.lower() for v in rec.raw["Link to the Ovid Full Text or citation"])


def test_ovid_repeated_tags_all_kept(exports: Path) -> None:
    path = exports / "ovid-psycinfo_ris_1.ris"
    res = read_export(path, "db")
    text = path.read_text(encoding="utf-8")
    for tag in ("M1", "DO", "PB", "A1"):
        in_file = sum(1 for ln in split_lines(text) if ln.startswith(f"{tag}  - "))
        assert sum(len(r.raw.get(tag, [])) for r in res.records) == in_file, tag
    assert len(res.records[0].raw["DO"]) == 2


def test_ovid_eric_and_cab(exports: Path) -> None:
    rec = _rec(exports, "ovid-eric_ris_1.ris")
    assert rec.title == "Creationism and the Dinosaur Boom."
    assert rec.year == 1989
    cab = _rec(exports, "ovid-cababstracts_ris_1.ris")
    assert cab.title == "Detection of retention trees on clearcuts, a 50-year perspective."
    assert cab.doi == "10.4236/ojf.2020.101008"


def test_ebsco_two_abstracts(exports: Path) -> None:
    rec = _rec(exports, "ebsco-academicsearchpremier_ris_1.ris")
    assert len(rec.raw["AB"]) == 2
    assert rec.abstract == rec.raw["AB"][0]
    assert rec.abstract.startswith("Small rodents are common inhabitants of farmlands")
    assert rec.raw["AB"][1].startswith("Copyright of Agriculture, Ecosystems & Environment")
    assert rec.doi == "10.1016/j.agee.2016.06.041"  # EBSCO puts the DOI in L3
    assert rec.year == 2016 and rec.pages == "206-217"
    assert rec.authors[0].family == "Rodríguez-Pastor"
    assert rec.issn == ["0167-8809"]


def test_ebsco_psycinfo_repeated_sn(exports: Path) -> None:
    res = read_export(exports / "ebsco-psycinfo_ris_1.ris", "db")
    assert sum(len(r.raw.get("SN", [])) for r in res.records) == 119
    assert any(len(r.issn) == 2 for r in res.records)
    rec = res.records[0]
    assert rec.title.startswith("The different role of trait empathy and state social exclusion")


def test_ebsco_cinahl(exports: Path) -> None:
    rec = _rec(exports, "ebsco-cinahl_ris_1.ris")
    assert rec.title.startswith("Osteohistological insight into the growth dynamics")
    assert rec.doi == "10.1371/journal.pone.0298242"
    assert rec.year == 2024


def test_proquest(exports: Path) -> None:
    res = read_export(exports / "proquest_ris_1.ris", "db")
    rec = res.records[0]
    assert rec.title.startswith("Predictors of posttraumatic stress symptom trajectories")
    assert rec.doi == "10.1002/jts.22387"
    assert rec.year == 2019
    assert rec.issn == ["0894-9867"]  # 'SN 0894-9867, 0894-9867'
    assert len(rec.raw["L2"]) == 2 and len(rec.raw["N1"]) == 2
    assert rec.language == "English"
    # Records are separated by three blank lines: provenance still points at TY lines.
    assert res.records[1].provenance.line > rec.provenance.line


def test_scopus_ris_multiline_value(exports: Path) -> None:
    rec = _rec(exports, "scopus_ris_2.ris")
    # U3 spans several lines with blank lines inside: joined with single spaces.
    assert rec.raw["U3"] == ["Cited By :9 Export Date: 12 May 2022 Article"]
    assert rec.doi == "10.15598/aeee.v16i3.2698"
    assert rec.pages == "271-278"


def test_rayyan_keyword_continuation_lines(exports: Path) -> None:
    rec = _rec(exports, "rayyan_ris_1.ris")
    assert rec.keywords[:3] == ["Health Facility Administration", "Joint Commission",
                                "Standards"]
    assert rec.pages == "1-5"


def test_ieee_bare_cr_between_records(exports: Path) -> None:
    res = read_export(exports / "ieee_ris_1.ris", "db")
    assert res.records[0].title == "The European Approach to the Exascale Challenge"
    assert res.records[0].doi == "10.1109/mcse.2018.2884139"


def test_cochrane_double_space_separator(exports: Path) -> None:
    rec = _rec(exports, "cochrane-central_ris_2.ris")
    assert rec.title.startswith("The Incredible Years Therapeutic Dinosaur Programme")
    assert rec.year == 2011
    assert rec.pmid == "21314913"  # C3 'PUBMED 21314913'
    assert rec.provenance.line == 5  # after the 'Record #3 of 18' header lines
    assert rec.raw["preamble"] == ["Record #3 of 18", "Provider: John Wiley & Sons, Ltd.",
                                   'Content: text/plain; charset="UTF-8"']


def test_covidence_empty_tags_kept(exports: Path) -> None:
    rec = _rec(exports, "covidence_ris_1.ris")
    assert rec.raw["PD"] == [""] and rec.raw["AN"] == [""]
    assert rec.doi == "10.1038/s41467-024-48400-3"


def test_wos_ris_and_embase(exports: Path) -> None:
    rec = _rec(exports, "wos_ris_1.ris")
    assert rec.title.startswith("New Horned Dinosaurs from Utah")
    assert rec.doi == "10.1371/journal.pone.0012292" and rec.year == 2010
    emb = _rec(exports, "embase_ris_1.ris")
    assert emb.doi == "10.4103/2303-9027.138783" and emb.year == 2014


def test_pubmed_medline(exports: Path) -> None:
    res = read_export(exports / "pubmed_medline_2.txt", "pubmed")
    rec = res.records[0]
    assert rec.pmid == "30922926"
    assert rec.title == "Time lapse: A glimpse into prehistoric genomics."
    assert rec.doi == "10.1016/j.ejmg.2019.03.004"
    assert rec.year == 2020
    assert rec.journal == "European journal of medical genetics"  # JT over TA
    assert (rec.volume, rec.issue, rec.pages) == ("63", "2", "103640")
    assert rec.authors[0].family == "Griffin" and rec.authors[0].given == "Darren K"
    assert rec.issn[:2] == ["1878-0849", "1769-7212"]
    assert len(rec.raw["IS"]) == 3 and len(rec.raw["LID"]) == 3
    # Continuation lines (6-space indent) joined with single spaces.
    assert "reconstruction of ancestral (in this case dinosaur) karyotypes" in rec.abstract
    assert "\n" not in rec.abstract and "  " not in rec.abstract
    # Same PMID-keyed id whatever the file or position.
    other = read_export(exports / "pubmed_medline_2.txt", "pubmed", display_path="x.txt")
    assert other.records[0].id == rec.id


def test_pubmed_legacy_medline(exports: Path) -> None:
    res = read_export(exports / "pubmed_medline_1.txt", "pubmed")
    assert [r.provenance.line for r in res.records] == [2, 67, 127, 192]
    assert res.records[0].title == ("A high level interface to SCOP and ASTRAL implemented "
                                    "in python.")


def test_eric_nbib(exports: Path) -> None:
    res = read_export(exports / "eric_nbib_1.nbib", "eric")
    rec = res.records[0]
    assert rec.title == "Tests of Robustness in Peer Review"
    assert rec.year == 2021
    assert rec.raw["ISBN"] == ["979-8-2098-8762-1"]  # 4-letter tag, space before dash
    assert rec.raw["OID"] == ["ED620611"]
    assert rec.pmid is None


def test_scopus_csv(exports: Path) -> None:
    res = read_export(exports / "scopus_csv_1.csv", "scopus")
    rec = res.records[0]
    assert rec.title.startswith("Predictors of habitat use and nesting success")
    assert rec.doi == "10.1016/j.foreco.2019.02.016"
    assert rec.year == 2019 and rec.pages == "134-141"
    assert [a.family for a in rec.authors] == ["Craig", "Mazerolle", "Taylor", "Tremblay",
                                               "Villard"]
    assert rec.authors[4].given == "M.-A."
    assert rec.provenance.line == 2
    assert len(rec.raw) == 23
    new = read_export(exports / "scopus_csv_2.csv", "scopus").records[0]
    assert new.authors[0].family == "Wilson" and new.authors[0].given == "Lauren N."
    assert new.pmid == "38580657" and new.issn == ["2041-1723"]
    assert new.journal == "Nature Communications"


def test_wos_tagged(exports: Path) -> None:
    res = read_export(exports / "wos_plaintext_1.txt", "wos")
    rec = res.records[0]
    assert rec.title == ("Soil fauna diversity at different stages of reed restoration in a "
                         "lakeshore wetland at Lake Taihu, China")
    assert rec.doi == "10.1080/20964129.2020.1722034"
    assert rec.year == 2020
    assert len(rec.authors) == 10 and rec.raw["AU"][1] == "Dou, Zhiguo"
    assert rec.raw["UT"] == ["WOS:000514379300001"]
    assert rec.raw["Z8"] == ["0"]  # rarely seen tags kept
    assert rec.provenance.line == 3  # after the FN / VR header


def test_wos_cited_references_one_per_line(exports: Path) -> None:
    path = exports / "wos_plaintext_2.txt"
    res = read_export(path, "wos")
    text = path.read_text(encoding="utf-8-sig")
    cr_lines = 0
    in_cr = False
    for ln in split_lines(text):
        if ln.startswith("CR "):
            in_cr = True
            cr_lines += 1
        elif ln.startswith("   ") and in_cr:
            cr_lines += 1
        else:
            in_cr = False
    assert sum(len(r.raw.get("CR", [])) for r in res.records) == cr_lines


def test_wos_zoological_record_email_in_author(exports: Path) -> None:
    rec = _rec(exports, "wos-zoologicalrecord_plaintext_1.txt")
    assert rec.authors[0].family == "Stillman" and rec.authors[0].given == "Andrew N."
    assert "(andrew.stillman@uconn.edu)" in rec.raw["AU"][0]
