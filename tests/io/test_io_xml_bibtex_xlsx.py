"""PubMed XML, EndNote XML, BibTeX and XLSX readers."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from reviewflow.errors import InputFileError
from reviewflow.io import read_export


@pytest.mark.shared
@pytest.mark.parametrize(("name", "pmids"), [
    ("ncbi-eutils_efetch-pubmed_1.xml", ["11748933", "11700088"]),
    ("ncbi-eutils_efetch-pubmed_2.xml", ["12091962", "9997"]),
    ("ncbi-eutils_efetch-pubmed_3.xml", ["27797938"]),
])
def test_pubmed_xml(shared_dir: Path, name: str, pmids: list[str]) -> None:
    res = read_export(shared_dir / "fixtures" / "api" / name, "pubmed")
    assert (res.format, res.dialect) == ("pubmed_xml", "pubmed")
    assert [r.pmid for r in res.records] == pmids and res.rejects == []
    for rec in res.records:
        assert rec.raw["MedlineCitation/PMID"][0] == rec.pmid


@pytest.mark.shared
def test_pubmed_xml_values(shared_dir: Path) -> None:
    path = shared_dir / "fixtures" / "api" / "ncbi-eutils_efetch-pubmed_1.xml"
    rec = read_export(path, "pubmed").records[0]
    assert rec.title.startswith("Is cryopreservation a homogeneous process?")
    assert rec.doi == "10.1006/cryo.2001.2328" and rec.year == 2001
    assert (rec.journal, rec.volume, rec.issue, rec.pages) == ("Cryobiology", "42", "4",
                                                               "244-55")
    assert rec.issn == ["0011-2240"] and rec.provenance.line == 4
    structured = read_export(shared_dir / "fixtures" / "api" /
                             "ncbi-eutils_efetch-pubmed_3.xml", "pubmed").records[0]
    assert structured.abstract.startswith("OBJECTIVE: Telomere shortening")


@pytest.mark.shared
def test_endnote_xml(exports: Path) -> None:
    res = read_export(exports / "endnote_xml_2.xml", "endnote")
    rec = res.records[0]
    assert rec.title.startswith("Inventory of Managed Aquifer Recharge sites in Europe")
    assert rec.authors[2].family == "Hernández-García"
    assert rec.journal == "Sustainable Water Resources Management"
    assert rec.publication_type == ["Journal Article"]
    assert rec.raw["custom2"] == ["DEMEAU"] and rec.raw["rec-number"] == ["865"]
    assert sum(1 for r in res.records if r.doi) > 0


@pytest.mark.shared
def test_bibtex_fixtures(exports: Path) -> None:
    scopus = read_export(exports / "scopus_bib_1.bib", "scopus").records[0]
    assert scopus.title.startswith("Soil fauna diversity at different stages")
    assert scopus.doi == "10.1080/20964129.2020.1722034" and scopus.year == 2020
    assert scopus.authors[0].family == "Li" and scopus.authors[0].given == "W."
    assert scopus.provenance.line == 2  # the file starts with a blank line
    funding = [len(r.raw.get("funding_details", [])) for r in
               read_export(exports / "scopus_bib_1.bib", "scopus").records]
    assert max(funding) >= 2  # duplicate fields kept
    wos = read_export(exports / "wos_bib_1.bib", "wos").records[0]
    assert wos.title == ("Fire Frequency Affects Structure and Composition of Xeric Forests "
                         "of Eastern Oklahoma")  # double braces, wrapped line
    assert wos.pages == "370-379" and wos.year == 2010
    trap = read_export(exports / "handwritten-bibtexparser_bib_1.bib", "x").records[0]
    assert trap.title == "An amazing title" and "Laidé" in trap.authors[0].family
    macro = read_export(exports / "handwritten-bibtexparser_bib_4.bib", "x").records[0]
    assert macro.title == "A great title"  # @string macro
    epmc = read_export(exports / "europepmc_bib_1.bib", "epmc").records[0]
    assert epmc.pmid == "18888888" and epmc.doi == "10.1111/s5555-333-55555-1"


def test_bibtex_unterminated_entry_is_reject(tmp_path: Path) -> None:
    path = tmp_path / "x.bib"
    path.write_text("@article{a,\n title = {One},\n}\n\n@article{b,\n title = {Two\n")
    res = read_export(path, "db")
    assert [r.title for r in res.records] == ["One"]
    assert [(j.index, j.line) for j in res.rejects] == [(1, 5)]
    assert res.rejects[0].text == "@article{b,\n title = {Two"


def test_xml_truncated(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text('<?xml version="1.0"?>\n<PubmedArticleSet>\n<PubmedArticle>\n'
                    "<MedlineCitation><PMID>1</PMID>\n")
    with pytest.raises(InputFileError) as info:
        read_export(path, "db", display_path="x.xml")
    assert info.value.file == "x.xml" and info.value.line == 5
    assert "malformed XML" in info.value.message


def test_xml_entities_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [\n'
                    '<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
                    "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>&e;</PMID>"
                    "</MedlineCitation></PubmedArticle></PubmedArticleSet>\n")
    with pytest.raises(InputFileError):
        read_export(path, "db")


def test_xlsx(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["record_id", "title", "authors", "year", "doi", "abstract"])
    ws.append(["r1", "A title", "Smith, Jane; Doe, J", 2021, "10.1000/x1", "An abstract"])
    ws.append([None, None, None, None, None, None])
    ws.append(["r2", None, None, None, None, None])
    ws.append(["r3", "Third", None, "2019", None, None])
    path = tmp_path / "sheet.xlsx"
    wb.save(path)
    res = read_export(path, "asreview")
    assert (res.format, res.dialect) == ("xlsx", "asreview")
    assert [(r.title, r.provenance.line) for r in res.records] == [("A title", 2),
                                                                    ("Third", 5)]
    assert res.records[0].authors[1].family == "Doe" and res.records[0].year == 2021
    assert [(j.index, j.line) for j in res.rejects] == [(1, 4)]
