"""The PRISMA 2020 flow diagram: valid SVG, every count and label, deterministic layout."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring

from reviewflow.report.flow import flow_svg, fmt_n, stage_key

SVG = "{http://www.w3.org/2000/svg}"
SRC = Path(__file__).resolve().parents[2] / "src"


def _counts() -> dict:
    """A counts.json shaped like the demo: 15 databases, automation, three exclusion reasons."""
    identified = {f"db{i:02d}": 480 + 37 * i for i in range(15)}
    identified["db07"] = 7574
    total = sum(identified.values())
    return {
        "identified": identified,
        "duplicates_removed": total - 3940 - 420 - 3,
        "automation_excluded": 420,
        "other_removed": 3,
        "screened": 3940,
        "screen_excluded": 3800,
        "sought": 140,
        "not_retrieved": 5,
        "assessed": 135,
        "fulltext_excluded": {"wrong_design": 60, "wrong_population": 30, "not_peer": 10},
        "included": 33,
        "reports_included": 35,
        "awaiting": {"title_abstract": 0, "retrieval": 0, "full_text": 0},
    }


def _labels() -> dict:
    """Display names: config order differs from the counts' key order on purpose."""
    databases = {f"db{i:02d}": f"Database {i} via EBSCOhost (CINAHL Complete)"
                 for i in reversed(range(15))}
    return {
        "databases": databases,
        "reasons": {"wrong_population": "Population not peer workers or their clients",
                    "wrong_design": "Not a qualitative design",
                    "not_peer": "Peer work not examined"},
        "automation_rules": {"published_before_1990": 300, "not_english": 120},
    }


def _other() -> dict:
    """The other-methods branch (template v2)."""
    return {"identified": {"citation_searching": 1234, "websites": 4}, "sought": 12,
            "not_retrieved": 2, "assessed": 10, "fulltext_excluded": {"wrong_design": 8}}


def _texts(root) -> tuple[str, str]:
    """(visible text joined by spaces, every text node including tooltips)."""
    visible = " ".join(el.text or "" for el in root.iter(f"{SVG}text"))
    everything = "\n".join(el.text for el in root.iter() if el.text)
    return visible, everything


def _norm(text: str) -> str:
    """Collapse whitespace as wrapping does."""
    return " ".join(text.split())


def _assert_shows(svg: str, phrases: list[str]) -> None:
    """Each phrase is in the visible text (wrapped lines joined) and verbatim in a tooltip."""
    visible, everything = _texts(fromstring(svg))
    for phrase in phrases:
        assert _norm(phrase) in _norm(visible), phrase
        assert phrase in everything, phrase


def test_svg_parses_and_is_pure_svg() -> None:
    svg = flow_svg(_counts(), _labels())
    root = fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("version") == "1.1"
    assert 'font-family="sans-serif"' in svg
    for banned in ("<script", "href", "@import", "url(http", "<foreignObject", "<style"):
        assert banned not in svg
    assert "\x00" not in svg


def test_every_number_and_template_label() -> None:
    counts, labels = _counts(), _labels()
    svg = flow_svg(counts, labels)
    total = sum(counts["identified"].values())
    phrases = [
        "Identification of studies via databases and registers",
        "Identification", "Screening", "Included",
        "Records identified from*:",
        f"Databases (n = {total:,})", "Registers (n = 0)",
        "Records removed before screening:",
        f"Duplicate records removed (n = {counts['duplicates_removed']:,})",
        "Records marked as ineligible by automation tools (n = 420)",
        "published_before_1990 (n = 300)", "not_english (n = 120)",
        "Records removed for other reasons (n = 3)",
        "Records screened", "(n = 3,940)",
        "Records excluded**", "(n = 3,800)",
        "Reports sought for retrieval", "(n = 140)",
        "Reports not retrieved", "(n = 5)",
        "Reports assessed for eligibility", "(n = 135)",
        "Reports excluded:",
        "Population not peer workers or their clients (n = 30)",
        "Not a qualitative design (n = 60)",
        "Peer work not examined (n = 10)",
        "Studies included in review (n = 33)",
        "Reports of included studies (n = 35)",
        "Records excluded by a human: 3,800; by automation tools: 420",
    ]
    phrases += [f"{labels['databases'][k]} (n = {n:,})" for k, n in counts["identified"].items()]
    _assert_shows(svg, phrases)
    assert "7,574" in svg and "7574" not in svg


def test_database_and_reason_order_follow_the_labels() -> None:
    svg = flow_svg(_counts(), _labels())
    visible, _ = _texts(fromstring(svg))
    assert visible.index("Database 14 via") < visible.index("Database 0 via")
    assert visible.index("Population not peer") < visible.index("Not a qualitative design")


def test_deterministic_bytes() -> None:
    counts, labels = _counts(), _labels()
    first = flow_svg(counts, labels)
    assert flow_svg(copy.deepcopy(counts), copy.deepcopy(labels)) == first
    assert counts == _counts() and labels == _labels()  # inputs not mutated


@pytest.mark.parametrize("seed", ["0", "12345"])
def test_deterministic_across_processes(seed: str) -> None:
    code = ("import sys, json; from reviewflow.report.flow import flow_svg; "
            "c, l = json.load(sys.stdin); sys.stdout.write(flow_svg(c, l))")
    import json

    payload = json.dumps([_counts(), _labels()])
    env = {**os.environ, "PYTHONHASHSEED": seed,
           "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", code], input=payload, env=env, text=True,
                         capture_output=True, check=True, encoding="utf-8").stdout
    assert out == flow_svg(_counts(), _labels())


def test_template_v1_has_no_other_methods_column() -> None:
    svg = flow_svg(_counts(), _labels())
    assert "Identification of studies via other methods" not in svg
    assert "Records identified from:" not in svg


def test_template_v2_with_other_methods() -> None:
    counts = _counts() | {"other_methods": _other()}
    svg = flow_svg(counts, _labels())
    _assert_shows(svg, [
        "Identification of studies via other methods",
        "Records identified from:",
        "Citation searching (n = 1,234)", "Websites (n = 4)",
        "Reports sought for retrieval", "(n = 12)",
        "Reports not retrieved", "(n = 2)",
        "Reports assessed for eligibility", "(n = 10)",
        "Not a qualitative design (n = 8)",
    ])
    root = fromstring(svg)
    v1 = fromstring(flow_svg(_counts(), _labels()))
    assert int(root.get("width")) > int(v1.get("width"))
    # Arrows: 4 down + 4 across in the main column; 2 down + 2 across + 1 into "included".
    assert len(list(root.iter(f"{SVG}polyline"))) == 13
    assert len(list(v1.iter(f"{SVG}polyline"))) == 8


def test_awaiting_notes_beside_their_stage() -> None:
    counts = _counts()
    counts["awaiting"] = {"title_abstract": 12, "retrieval": 0, "full_text": 1500}
    svg = flow_svg(counts, _labels())
    _assert_shows(svg, ["Awaiting title/abstract decisions (n = 12)",
                        "Awaiting full-text decisions (n = 1,500)"])
    assert "Awaiting full-text retrieval" not in svg
    root = fromstring(svg)
    ys = {el.text: int(el.get("y")) for el in root.iter(f"{SVG}text")}
    note = next(y for t, y in ys.items() if t and t.startswith("Awaiting title/abstract"))
    screened = ys["Records screened"]
    assessed = ys["Reports assessed for eligibility"]
    assert abs(note - screened) < abs(note - assessed)
    assert "Awaiting" not in flow_svg(_counts(), _labels())


def _boxes(svg: str) -> list[tuple[tuple[int, int, int, int], list[int]]]:
    """Each box as ((x, y, w, h), [baselines of its text lines])."""
    out = []
    for g in fromstring(svg).iter(f"{SVG}g"):
        rect = g.find(f"{SVG}rect")
        if rect is None:
            continue
        box = tuple(int(rect.get(k)) for k in ("x", "y", "width", "height"))
        out.append((box, [int(t.get("y")) for t in g.findall(f"{SVG}text")]))
    return out


@pytest.mark.parametrize("other", [False, True])
def test_layout_fits_fifteen_databases(other: bool) -> None:
    counts = _counts() | ({"other_methods": _other()} if other else {})
    counts["awaiting"] = {"title_abstract": 3, "extraction": 2}
    svg = flow_svg(counts, _labels())
    root = fromstring(svg)
    width, height = int(root.get("width")), int(root.get("height"))
    boxes = _boxes(svg)
    assert len(boxes) >= 10
    for (x, y, w, h), baselines in boxes:
        assert 0 <= x and x + w <= width and 0 <= y and y + h <= height
        assert baselines and all(y < b < y + h for b in baselines)
    for i, ((ax, ay, aw, ah), _) in enumerate(boxes):
        for (bx, by, bw, bh), _ in boxes[i + 1:]:
            assert ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay
    ident = next(b for b, lines in boxes if len(lines) >= 17)
    assert ident[3] >= 17 * 16


def test_text_is_escaped() -> None:
    labels = _labels()
    labels["reasons"]["wrong_design"] = 'Design <not> "qualitative" & other'
    labels["databases"]["db00"] = "A&B <Index>"
    svg = flow_svg(_counts(), labels)
    assert "<not>" not in svg and "&amp;" in svg
    _assert_shows(svg, ['Design <not> "qualitative" & other (n = 60)', "A&B <Index> (n = 480)"])


def test_missing_and_partial_counts() -> None:
    for counts in ({}, {"identified": {}}, {"screened": 10, "fulltext_excluded": {}}):
        root = fromstring(flow_svg(counts, {}))
        assert root.tag == f"{SVG}svg"
    svg = flow_svg({"identified": {"pubmed": 1200}, "screened": 1000}, {})
    _assert_shows(svg, ["pubmed (n = 1,200)", "(n = 1,000)", "Reports excluded (n = \u2013)"])


def test_fmt_n_and_stage_key() -> None:
    assert fmt_n(7574) == "7,574"
    assert fmt_n(1234567.0) == "1,234,567"
    assert fmt_n(None) == "\u2013"
    assert fmt_n(True) == "\u2013"
    assert stage_key("Title/abstract") == "title_abstract"
    assert stage_key("full_text") == stage_key("fulltext") == "fulltext"
    assert stage_key("something new") == "something_new"
