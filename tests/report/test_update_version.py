"""An updated review's counts: PRISMA 2020's previous / new / total studies, from the ledger and the
previous version the team saved."""

from __future__ import annotations

import json

import pytest

from reviewflow.errors import InputFileError, ReviewflowError
from reviewflow.report.counts import check_invariants, prisma_counts, update_rows
from reviewflow.report.flow import flow_svg
from reviewflow.report.prisma2020 import prisma2020_values
from reviewflow.versions import read_previous_version


def _row(rid, state, *, dup="", study="", reason="", source="db"):
    return {"record_id": rid, "source": source, "state": state, "reason": reason, "duplicate_of": dup,
            "study_id": study if state == "included" else "", "branch": "databases"}


# The previous version identified p1..p4 and included p1 (study S1). The update adds n1 (a new record of
# S1 that now represents it), n2 (a new report of S1's study, a separate record), n3 (new, included as
# S3), n4 (excluded at title/abstract) and n5, a duplicate of the new n3.
LEDGER = [
    _row("p1", "duplicate", dup="n1"), _row("p2", "ta_excluded"), _row("p3", "ft_excluded", reason="X1"),
    _row("p4", "duplicate", dup="p2"),
    _row("n1", "included", study="S1"), _row("n2", "included", study="S1"), _row("n3", "included", study="S3"),
    _row("n4", "ta_excluded"), _row("n5", "duplicate", dup="n3"),
]
PREVIOUS = {"label": "Review of 2024", "identified": ["p1", "p2", "p3", "p4"], "studies": ["S1"],
            "reports": ["p1"]}


def test_the_update_counts_only_what_it_identified():
    rows = {r["record_id"]: r["state"] for r in update_rows(LEDGER, PREVIOUS)}
    # n1 represents a study the previous version held: in the update it is a duplicate removed.
    assert rows == {"n1": "duplicate", "n2": "included", "n3": "included", "n4": "ta_excluded", "n5": "duplicate"}

    c = prisma_counts(LEDGER, ["db"], ["X1"], previous=PREVIOUS)
    assert c["identified"] == {"db": 5} and c["duplicates_removed"] == 2 and c["screened"] == 3
    assert c["screen_excluded"] == 1 and c["assessed"] == 2 and c["fulltext_excluded"] == {"X1": 0}
    assert (c["included"], c["reports_included"]) == (1, 2)        # S3 is new; n2 reports S1 again
    assert c["previous"] == {"label": "Review of 2024", "studies": 1, "reports": 1}
    assert c["total"] == {"studies": 2, "reports": 4}               # S1, S3; p1, n1, n2, n3
    assert all(check["ok"] for check in check_invariants(c) if check["name"] != "nothing awaits people")

    plain = prisma_counts(LEDGER, ["db"], ["X1"])
    assert "previous" not in plain and plain["identified"] == {"db": 9}


def test_the_diagram_and_the_app_csv_draw_the_updated_template():
    c = prisma_counts(LEDGER, ["db"], ["X1"], previous=PREVIOUS)
    svg = flow_svg(c, {"databases": {"db": "Database"}, "reasons": {"X1": "Wrong population"}})
    for text in ("Previous studies", "Studies included in previous version of review (n = 1)",
                 "Identification of new studies via databases and registers", "New studies included in review (n = 1)",
                 "Reports of new included studies (n = 2)", "Total studies included in review (n = 2)",
                 "Reports of total included studies (n = 4)", "Review of 2024"):
        assert text in svg, text
    assert "Previous studies" not in flow_svg(prisma_counts(LEDGER, ["db"], ["X1"]), {})
    values = prisma2020_values(c, {"db": "Database"}, {"X1": "Wrong population"})
    assert (values["previous_studies"], values["previous_reports"]) == (1, 1)
    assert (values["new_studies"], values["new_reports"], values["total_studies"], values["total_reports"]) == \
        (1, 2, 2, 4)


def test_a_broken_previous_version_file_is_named(tmp_path):
    bad = tmp_path / "previous_version.json"
    bad.write_text('{"identified": ["a"],\n "studies": 3}', encoding="utf-8")
    with pytest.raises(InputFileError, match="previous_version.json: 'studies': expected a list of ids"):
        read_previous_version(bad)
    bad.write_text('{"identified": [\n', encoding="utf-8")
    with pytest.raises(InputFileError, match=r"previous_version.json:2: not JSON"):
        read_previous_version(bad)
    good = tmp_path / "ok.json"
    good.write_text(json.dumps(PREVIOUS), encoding="utf-8")
    assert read_previous_version(good)["studies"] == ["S1"]
    assert issubclass(InputFileError, ReviewflowError)
