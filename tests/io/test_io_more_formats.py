"""Ovid tagged, WoS tab-delimited and generic tables, on the real fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewflow.io import read_export

pytestmark = pytest.mark.shared


def _first(exports: Path, name: str):
    return read_export(exports / name, "db").records[0]


def test_ovid_tagged_structured_abstract(exports: Path) -> None:
    one = read_export(exports / "ovid-embase_tagged_1.txt", "embase").records
    two = read_export(exports / "ovid-embase_tagged_2.txt", "embase").records
    rec = one[0]
    assert rec.title == ("Quality of life in patients with primary ciliary dyskinesia: "
                         "A systematic review.")
    assert rec.doi == "10.1186/s12919-018-0099-8" and rec.year == 2018
    # Unindented 'Method(s): ...' lines continue the abstract: both exports read the same.
    assert "Method(s): We searched MEDLINE" in rec.abstract
    assert [r.abstract for r in one] == [r.abstract for r in two]
    assert rec.raw["UI"] == ["621381829"]
    assert len(rec.raw["MH"]) == 20 and rec.authors[0].family == "Behan"
    assert rec.provenance.line == 1


def test_ovid_tagged_biosis_roles(exports: Path) -> None:
    rec = _first(exports, "ovid-biosis_tagged_1.txt")
    assert rec.title == ("Dietary supplements containing ultradense calcium citrate and "
                         "carbonyl iron")
    assert rec.authors[0].family == "Walsdorf" and rec.authors[0].given == "Neill B."
    assert rec.raw["AU"][0] == "Walsdorf, Neill B. [Inventor, Reprint Author]"
    assert rec.year == 2004


def test_wos_tabdelimited_utf8_and_utf16_agree(exports: Path) -> None:
    a = read_export(exports / "wos_tabdelimited_1.txt", "wos")
    b = read_export(exports / "wos_tabdelimited_2.txt", "wos")
    assert (a.encoding, b.encoding) == ("utf-8-sig", "utf-16")
    strip = [(r.title, r.doi, r.year, [x.family for x in r.authors]) for r in a.records]
    assert strip == [(r.title, r.doi, r.year, [x.family for x in r.authors])
                     for r in b.records]
    rec = b.records[0]
    assert rec.title.startswith("Knowledge networks as channels and conduits")
    assert rec.doi == "10.1287/orsc.1030.0054" and rec.pages == "5-21"
    assert rec.raw["UT"] == ["WOS:000220015600001"]
    assert len(rec.raw) == 59  # the trailing TAB adds no column


def test_wos_medline_tabdelimited_bare_cr(exports: Path) -> None:
    res = read_export(exports / "wos-medline_tabdelimited_1.txt", "wos")
    rec = res.records[0]
    assert rec.pmid == "29782655" and rec.pages == "1484-1496"
    assert rec.doi == "10.1111/1365-2656.12851"
    assert [r.provenance.line for r in res.records] == list(range(2, 12))


@pytest.mark.parametrize(("name", "title", "doi", "year", "family"), [
    ("pubmed_csv_1.csv", "Time lapse: A glimpse into prehistoric genomics",
     "10.1016/j.ejmg.2019.03.004", 2020, "Griffin"),
    ("rayyan_csv_1.csv", "Cellular structure of dinosaur scales reveals retention of "
     "reptile-type skin during the evolutionary transition to feathers",
     "10.1038/s41467-024-48400-3", 2024, "Yang"),
    ("covidence_csv_1.csv", "Cellular structure of dinosaur scales reveals retention of "
     "reptile-type skin during the evolutionary transition to feathers",
     "10.1038/s41467-024-48400-3", 2024, "Yang"),
    ("ebsco-cinahl_csv_1.csv", None, "10.1371/journal.pone.0298242", 2024, "Curry Rogers"),
    ("cochrane-central_csv_1.csv", None, "10.1186/1745-6215-12-39", 2011, "Bywater"),
    ("embase_csv_1.csv", "Duplication cysts: Diagnosis, management, and the role of "
     "endoscopic ultrasound", None, 2014, "Liu"),
    ("ieee_csv_1.csv", None, "10.1109/mcse.2013.95", 2013, "Kogge"),
])
def test_generic_tables(exports: Path, name: str, title: str | None, doi: str | None,
                        year: int, family: str) -> None:
    rec = _first(exports, name)
    if title:
        assert rec.title == title
    assert rec.doi == doi and rec.year == year
    assert rec.authors[0].family == family


def test_table_specifics(exports: Path) -> None:
    pub = _first(exports, "pubmed_csv_1.csv")
    assert [a.display() for a in pub.authors] == ["Griffin, DK", "Larkin, DM", "O'Connor, RE"]
    assert pub.pmid == "30922926"
    coch = _first(exports, "cochrane-central_csv_1.csv")
    assert coch.pmid == "21314913"  # 'PUBMED 21314913'
    ebsco = _first(exports, "ebsco-cinahl_csv_1.csv")
    assert ebsco.issn == ["1932-6203"]  # '="19326203"'
    rayyan = read_export(exports / "rayyan_csv_1.csv", "rayyan")
    assert rayyan.records[0].raw["key"] == ["rayyan-42924189"]
    ieee = _first(exports, "ieee_csv_1.csv")
    assert ieee.pages == "16-26"
