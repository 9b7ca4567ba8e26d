"""Blinding: nothing a reviewer receives (their sheet) shows another reviewer's decisions before
adjudication, however the sheets are regenerated and whatever the other reviewer has returned."""

from __future__ import annotations

import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewflow.screen.stages import make_sheets

from ..faults.people import fill, values
from .kinds import FT, TA

SETTINGS = settings(max_examples=15, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
IDS = [f"r{i:02d}" for i in range(8)]


def _rows(ids: list[str], full_text: bool) -> list[dict]:
    rows = [{"record_id": i, "title": f"Peer work study {i}", "abstract": "Interviews.", "authors": "Lee, K",
             "year": "2020", "journal": "J", "doi": ""} for i in ids]
    return [{**r, "fulltext": f"{r['record_id']}.pdf"} for r in rows] if full_text else rows


def _text(path: Path) -> str:
    """Everything in the workbook, every part, as text."""
    with zipfile.ZipFile(path) as zf:
        return "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())


def _decision(full_text: bool):
    reasons = ["X1_pubtype", "X2_population"]
    plain = st.fixed_dictionaries({"Decision": st.sampled_from(["include", "exclude"])})
    if not full_text:
        return plain
    return st.one_of(plain, st.fixed_dictionaries({"Decision": st.just("exclude"),
                                                   "Exclusion reason": st.sampled_from(reasons)}))


@SETTINGS
@given(data=st.data(), full_text=st.booleans())
def test_a_reviewers_sheet_shows_only_their_own_decisions(tmp_path: Path, data: st.DataObject,
                                                         full_text: bool) -> None:
    stage = FT if full_text else TA
    decided_a = data.draw(st.dictionaries(st.sampled_from(IDS), _decision(full_text), max_size=len(IDS)), label="A")
    decided_b = data.draw(st.dictionaries(st.sampled_from(IDS), _decision(full_text), max_size=len(IDS)), label="B")
    out, dec = tmp_path / "results", tmp_path / "decisions"
    sheets = {"A": out / "reviewer_A.xlsx", "B": out / "reviewer_B.xlsx"}
    make_sheets(stage, _rows(IDS, full_text), out / "q.jsonl", sheets)
    blank_b = sheets["B"].read_bytes()
    # A returns a sheet with decisions and notes only A wrote; B's regenerated sheet is unchanged.
    a = fill(sheets["A"], dec / "reviewer_A.xlsx",
             {k: {**v, "Note": f"only-A-wrote-this-{k}"} for k, v in decided_a.items()})
    make_sheets(stage, _rows(IDS, full_text), out / "q.jsonl", sheets, [a])
    assert sheets["B"].read_bytes() == blank_b
    assert "only-A-wrote-this" not in _text(sheets["B"])
    # B returns theirs; more records arrive; both sheets are regenerated from both returned files.
    (out / "blank_B.xlsx").write_bytes(blank_b)
    b = fill(out / "blank_B.xlsx", dec / "reviewer_B.xlsx",
             {k: {**v, "Note": f"only-B-wrote-this-{k}"} for k, v in decided_b.items()})
    more = ["r99", *reversed(IDS)]
    make_sheets(stage, _rows(more, full_text), out / "q.jsonl", sheets, [a, b])
    for me, other, mine in (("A", "B", decided_a), ("B", "A", decided_b)):
        text = _text(sheets[me])
        assert f"only-{other}-wrote-this" not in text
        got = values(sheets[me])
        assert list(got) == more
        # Exactly the reviewer's own columns: no other reviewer's, no adjudicator's.
        assert list(next(iter(got.values()))) == [c.header for c in stage.columns]
        for k in more:
            own = mine.get(k, {})
            assert got[k]["Decision"] == own.get("Decision"), (me, k)
            if full_text:
                assert got[k]["Exclusion reason"] == own.get("Exclusion reason"), (me, k)
            assert got[k]["Note"] == (f"only-{me}-wrote-this-{k}" if k in mine else None)
