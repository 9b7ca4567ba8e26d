"""The HTML report: full and empty contexts, escaping, self-containment and determinism."""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser

import pytest

from reviewflow.report.flow import flow_svg
from reviewflow.report.html import fmt_dec, fmt_num, fmt_pct, fmt_value, render_report

SECTIONS = ["status", "summary", "methods", "flow", "sources", "dedup", "automation", "agreement",
            "fulltext", "included", "extraction", "casp", "themes", "cerqual", "reproducibility"]


def _context() -> dict:
    """A context with every key the report knows, shaped like the demo review's."""
    counts = {
        "identified": {"pubmed": 1234, "cinahl": 7574},
        "duplicates_removed": 4445, "automation_excluded": 420, "other_removed": 3,
        "screened": 3940, "screen_excluded": 3800, "sought": 140, "not_retrieved": 5,
        "assessed": 135, "fulltext_excluded": {"wrong_design": 100},
        "included": 33, "reports_included": 35,
        "awaiting": {"title_abstract": 0},
    }
    labels = {"databases": {"pubmed": "PubMed", "cinahl": "CINAHL Complete"},
              "reasons": {"wrong_design": "Not a qualitative design"},
              "automation_rules": {"before_1990": 420}}
    return {
        "review": {"id": "peer-work", "title": "Experiences of peer work in drug use services",
                   "question": "How do peer workers experience their work?",
                   "synthesis_method": "thematic synthesis"},
        "counts": counts,
        "flow_svg": flow_svg(counts, labels),
        "status": [],
        "searches": [{"name": "PubMed (MEDLINE)", "interface": "NCBI E-utilities", "query": "peer worker*[tiab]",
                      "filters": "", "searched_at": "2022-09-01T09:30:00Z", "reported": 812, "retrieved": 810,
                      "shortfall": 2, "shortfall_allowed": True, "snapshot": "20220901T093000Z-abc",
                      "generated": False}],
        "sources": [
            {"id": "pubmed", "name": "PubMed", "platform": "NCBI", "export": "medline",
             "file": "data/exports/pubmed/pubmed.nbib", "records": 1234, "rejected": 0},
            {"id": "cinahl", "name": "CINAHL Complete", "platform": "EBSCOhost",
             "export": "ris (ebsco)", "file": "data/exports/cinahl/cinahl.ris", "records": 7574,
             "rejected": 3},
        ],
        "dedup": {"method": "DOI, then fuzzy title within year blocks", "groups": 4012,
                  "duplicates_removed": 4445},
        "automation": [{"rule": "before_1990", "description": "Published before 1990",
                        "n": 420}],
        "agreement": [{"stage": "title_abstract", "reviewers": "A vs B", "n": 3940,
                       "percent_agreement": 0.9691, "kappa": 0.61234, "pabak": 0.939,
                       "table": {"both_include": 98, "a_include_b_exclude": 62,
                                 "a_exclude_b_include": 58, "both_exclude": 3722},
                       "conflicts": 120, "interpretation": "substantial"}],
        "fulltext": {"assessed": 135, "not_retrieved": 5,
                     "excluded": [{"code": "wrong_design", "label": "Not a qualitative design",
                                   "n": 100}]},
        "included": [
            {"study_id": "S2", "record_id": "r-0002", "doi": "10.1016/j.drugpo.2023.104182",
             "citation": "Chen et al. (2023). Experiences of peer work. Int J Drug Policy.",
             "year": 2023, "country": "Canada", "setting": "harm reduction"},
            {"study_id": "S10", "record_id": "r-0010", "doi": "",
             "citation": "Reed (2019). Peers in treatment. Addiction.", "year": 2019,
             "country": "USA", "setting": "treatment"},
        ],
        "extraction": {"fields": ["study_id", "country", "participants"],
                       "rows": [{"study_id": "S2", "country": "Canada", "participants": 1500},
                                {"study_id": "S10", "country": "USA", "participants": None}]},
        "themes": [
            {"id": "BEN", "label": "Benefits of incorporating peers", "subthemes": [
                {"id": "BEN.CLIENT", "label": "Client-level benefits", "n_studies": 2,
                 "n_segments": 14, "studies": ["S10", "S2"],
                 "quotes": [{"text": "They've been there, they get it.", "study_id": "S2",
                             "kind": "participant_quote", "page": "7"},
                            {"text": "Peers built trust with clients.", "study_id": "S10",
                             "kind": "author_statement"}]},
                {"id": "BEN.ORG", "label": "Organisational benefits", "n_studies": 1,
                 "n_segments": 3, "studies": ["S2"], "quotes": []}]},
            {"id": "CHA", "label": "Challenges", "subthemes": [
                {"id": "CHA.TRIG", "label": "Triggering", "n_studies": 1, "n_segments": 2,
                 "studies": ["S10"], "quotes": []}]},
        ],
        "accuracy": [{"stage": "dedup", "metrics": {"precision": 0.9951, "recall": 1.0,
                                                    "pairs": 4012, "verdict": "ok"},
                      "note": "Compared with the demo's generated duplicate groups."}],
        "invariants": [{"name": "screened = excluded + sought", "ok": True,
                        "detail": "3940 = 3800 + 140"},
                       {"name": "nothing awaits people", "ok": False, "detail": "ta: 3"}],
        "manifest": [{"path": "results/prisma/counts.json", "sha256": "a" * 64}],
        "provenance": {"reviewflow_version": "0.1.0", "config_sha256": "b" * 64},
        "methods": [{"heading": "Searches", "text": "We searched 2 bibliographic databases."}],
        "casp": {"tool": "CASP Qualitative Studies Checklist", "rule": "a stated rule",
                 "items": [{"id": "Q1", "label": "Q1 aims stated"},
                           {"id": "Q6", "label": "Q6 researcher\u2013participant relationship"}],
                 "rows": [{"study_id": "S2", "Q1": "yes", "Q6": "no", "concerns": "minor", "notes": "Q6: absent"},
                          {"study_id": "S10", "Q1": "yes", "Q6": "can't tell", "concerns": "no or very minor",
                           "notes": ""}]},
        "candidates": [{"candidate": "NEW1", "n_segments": 4, "studies": 2, "top_terms": "hours; staffing",
                        "example": "Several sites opened longer hours."}],
        "cerqual": {"rules": {"adequacy": "a rule"}, "findings": [
            {"finding": "BEN.CLIENT", "label": "Client-level benefits", "summary": "Peers help clients.",
             "studies": ["S2", "S10"], "n_studies": 2,
             "final": {"limitations": "minor", "coherence": "no or very minor", "adequacy": "moderate",
                       "relevance": "minor", "overall": "low"},
             "source": {"limitations": "proposed", "coherence": "proposed", "adequacy": "reviewer",
                        "relevance": "proposed", "overall": "proposed"},
             "explanation": {"limitations": "1 of 2", "coherence": "0 of 14", "adequacy": "2 studies",
                             "relevance": "2 countries"}, "reviewer_explanation": ""}]},
    }


class _Checker(HTMLParser):
    """Collects tags, external references and unbalanced elements."""

    VOID = {"meta", "br", "link", "img", "input", "hr", "path", "rect", "polyline"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.refs: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "srcset") or (name == "href" and tag != "a"):
                self.refs.append(f"{tag} {name}={value}")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
        else:
            self.stack.pop()


def _check(html: str) -> _Checker:
    """Parse the page and assert that its elements nest and nothing is fetched."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    assert checker.errors == []
    assert checker.stack == []
    assert checker.refs == []
    assert "script" not in checker.tags
    return checker


def test_full_context() -> None:
    html = render_report(_context())
    checker = _check(html)
    assert html.startswith("<!DOCTYPE html>")
    for section in SECTIONS + ["accuracy"]:
        assert f'<section id="{section}"' in html
    assert "svg" in checker.tags and "<svg" in html  # the diagram is inlined
    assert "Not yet available" not in html
    for text in ["Experiences of peer work in drug use services", "thematic synthesis",
                 "8,808", "4,445", "3,940", "7,574", "CINAHL Complete", "EBSCOhost",
                 "Published before 1990", "96.9%", "0.61", "0.94", "substantial", "3,722",
                 "Not a qualitative design", "https://doi.org/10.1016/j.drugpo.2023.104182",
                 "1,500", "Client-level benefits", "They&#39;ve been there, they get it.",
                 "Peers built trust with clients.", "Accuracy against the demo’s truth",
                 "0.995", "1.000", "4,012", "a" * 64, "b" * 64, "✓ holds", "✗ fails",
                 "2 studies included, 2 reports", "participant, S2, p. 7",
                 "peer worker*[tiab]", "2022-09-01T09:30:00Z", "(shortfall 2, accepted)", "20220901T093000Z-abc"]:
        assert text in html, text
    assert "0.61234" not in html


def test_theme_table_and_matrix() -> None:
    html = render_report(_context())
    matrix = html[html.index('<table class="matrix">'):]
    matrix = matrix[:matrix.index("</table>")]
    # A heat map: without segment counts per study each contributing study's cell shows 1.
    assert matrix.count('class="heat"') + matrix.count('class="heat hi"') == 6  # 3 subthemes x 2 studies
    assert len(re.findall(r'class="heat[^"]*"[^>]*>1</td>', matrix)) == 4  # BEN.CLIENT 2, BEN.ORG 1, CHA.TRIG 1
    assert matrix.index(">S2<") < matrix.index(">S10<")  # natural order of study ids
    assert "Triggering" in matrix and "Benefits of incorporating peers" in matrix
    assert "S2, S10" in html
    assert 'class="participant"' in html and 'class="author"' in html


@pytest.mark.parametrize("context", [{}, None, {key: None for key in _context()},
                                     {key: {} for key in _context()},
                                     {key: [] for key in _context()}])
def test_empty_context_renders_placeholders(context: dict | None) -> None:
    html = render_report(context)  # type: ignore[arg-type]
    _check(html)
    for section in SECTIONS:
        assert f'<section id="{section}"' in html
    assert "Not yet available" in html
    assert "Flow diagram not yet available" in html
    assert "Accuracy against" not in html
    assert "<svg" not in html


def test_status_is_prominent_and_fills_waiting_sections() -> None:
    context = {"counts": {"screened": 3940}, "status": [
        {"stage": "title_abstract",
         "message": "312 records await reviewer B: decisions/title_abstract/reviewer_B.xlsx"}]}
    html = render_report(context)
    _check(html)
    assert html.index('id="status"') < html.index('id="summary"')
    assert '<section id="status" class="status">' in html
    agreement = html[html.index('<section id="agreement"'):html.index('<section id="fulltext"')]
    assert "312 records await reviewer B" in agreement
    assert "waiting on people" in agreement
    # the diagram is drawn from counts when no SVG is given
    assert "<svg" in html


def test_nothing_waits() -> None:
    html = render_report(_context())
    assert "Nothing waits on people" in html


def test_script_in_title_is_escaped() -> None:
    context = _context()
    context["review"]["title"] = "Peer work <script>alert('x')</script>"
    context["included"][0]["citation"] = '<img src=x onerror="alert(1)">'
    context["themes"][0]["subthemes"][0]["quotes"][0]["text"] = "</blockquote><script>"
    html = render_report(context)
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    _check(html)


def test_foreign_svg_with_script_is_not_inlined() -> None:
    context = _context()
    context["flow_svg"] = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    html = render_report(context)
    assert "<script" not in html and "alert(1)" not in html
    context["flow_svg"] = '<svg><rect onload="alert(1)"/></svg>'
    assert "alert(1)" not in render_report(context)
    labels = {"databases": {"pubmed": "Medline online = <javascript:x> onload=1"}}
    context["flow_svg"] = flow_svg({"identified": {"pubmed": 5}}, labels)
    assert "Medline online = &lt;javascript:x&gt; onload=1 (n = 5)" in render_report(context)


def test_deterministic() -> None:
    context = _context()
    first = render_report(context)
    assert render_report(copy.deepcopy(context)) == first
    assert context == _context()
    # No timestamps but the searches' own dates (PRISMA-S: when each search was run, from its snapshot).
    assert not re.search(r"\b20\d\d-\d\d-\d\d[T ]\d\d:\d\d", first.replace("2022-09-01T09:30:00Z", ""))


def test_formatters() -> None:
    assert fmt_num(7574) == "7,574"
    assert fmt_num(None) == "\u2013"
    assert fmt_dec(0.61234) == "0.61"
    assert fmt_dec(-0.05) == "-0.05"
    assert fmt_dec(None) == "\u2013"
    assert fmt_pct(0.9691) == "96.9%"
    assert fmt_pct(96.91) == "96.9%"
    assert fmt_pct(1) == "100.0%"
    assert fmt_value(["a", "b"]) == "a; b"
    assert fmt_value(12345) == "12,345"
    assert fmt_value(None) == ""


def test_heat_map_counts_segments_per_study() -> None:
    ctx = _context()
    ctx["themes"][0]["subthemes"][0]["segments_per_study"] = {"S2": 5, "S10": 1}
    html = render_report(ctx)
    matrix = html[html.index('<table class="matrix">'):]
    matrix = matrix[:matrix.index("</table>")]
    assert ">5</td>" in matrix and "background:#" in matrix
    assert 'class="heat hi"' in matrix  # the darkest cells get white text


def test_casp_cerqual_methods_and_candidates_render() -> None:
    html = render_report(_context())
    casp = html[html.index('<section id="casp">'):html.index('<section id="themes">')]
    assert "Q6 researcher–participant relationship" in casp
    assert ">N<" in casp and ">?<" in casp and "Q6: absent" in casp
    cq = html[html.index('<section id="cerqual">'):]
    assert "Client-level benefits" in cq and ">low<" in cq and 'class="rev">reviewer' in cq
    assert "We searched 2 bibliographic databases." in html
    assert "NEW1" in html and "hours; staffing" in html
    # The official CASP question wording stays out of the report.
    assert "Was there a clear statement" not in html
