"""results/prisma/prisma2020.csv: the PRISMA2020 app's layout, our own texts, counts from counts.json."""

from __future__ import annotations

import csv
import io

from reviewflow.report.prisma2020 import prisma2020_csv

from ..conftest import SHARED, need

COUNTS = {
    "identified": {"pubmed": 812, "embase": 1104}, "duplicates_removed": 900, "automation_excluded": 16,
    "other_removed": 1, "screened": 999, "screen_excluded": 950, "sought": 49, "not_retrieved": 2,
    "assessed": 47, "fulltext_excluded": {"X1": 10, "X2": 0, "X3": 4}, "included": 31, "reports_included": 33,
}
DATABASES = {"pubmed": "PubMed (MEDLINE)", "embase": "Embase, Ovid"}
REASONS = {"X1": "Not primary research", "X2": "Wrong language", "X3": "Wrong setting; peer-led"}


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_same_header_and_box_keys_as_the_app_template():
    template = need(SHARED / "domain" / "prisma2020_template.csv", "the PRISMA2020 template CSV")
    want = _rows(template.read_text(encoding="utf-8"))
    text = prisma2020_csv(COUNTS, DATABASES, REASONS)
    assert text.splitlines()[0] == "data,node,box,description,boxtext,tooltips,url,n"
    got = _rows(text)
    assert [(r["data"], r["box"]) for r in got] == [(r["data"], r["box"]) for r in want]
    assert [r["node"] for r in got] == [r["node"] for r in want]
    # Our own words: no description copied from the template.
    assert not {r["description"] for r in got} & {r["description"] for r in want}


def test_counts_and_multi_value_cells():
    n = {r["data"]: r["n"] for r in _rows(prisma2020_csv(COUNTS, DATABASES, REASONS)) if r["data"] != "NA"}
    assert n["database_results"] == "1916"
    assert n["database_specific_results"] == "PubMed (MEDLINE), 812; Embase Ovid, 1104"
    assert n["dbr_excluded"] == "Not primary research, 10; Wrong setting peer-led, 4"
    assert (n["duplicates"], n["excluded_automatic"], n["excluded_other"]) == ("900", "16", "1")
    assert (n["records_screened"], n["records_excluded"]) == ("999", "950")
    assert (n["dbr_sought_reports"], n["dbr_notretrieved_reports"], n["dbr_assessed"]) == ("49", "2", "47")
    assert (n["new_studies"], n["new_reports"], n["total_studies"], n["total_reports"]) == ("31", "33", "31", "33")
    assert n["register_results"] == "0" and n["other_sought_reports"] == "0"


def test_other_methods_branch():
    counts = {**COUNTS, "other_methods": {"identified": {"citation_chasing": 12, "websites": 3},
                                          "sought": 6, "not_retrieved": 1, "assessed": 5,
                                          "fulltext_excluded": {"X1": 2}}}
    n = {r["data"]: r["n"] for r in _rows(prisma2020_csv(counts, DATABASES, REASONS))}
    assert (n["citations_results"], n["website_results"], n["organisation_results"]) == ("12", "3", "0")
    assert (n["other_sought_reports"], n["other_notretrieved_reports"], n["other_assessed"]) == ("6", "1", "5")
    assert n["other_excluded"] == "Not primary research, 2"


def test_deterministic():
    assert prisma2020_csv(COUNTS, DATABASES, REASONS) == prisma2020_csv(COUNTS, DATABASES, REASONS)
