"""The JATS and DOCX readers: real PMC / PLOS / BMC / eLife XML (../shared fixtures), DOCX made here."""

from __future__ import annotations

import io
import json

import docx
import pytest

from reviewflow.article.docx import read_docx
from reviewflow.article.inspect import inspect_file
from reviewflow.article.jats import read_jats
from reviewflow.article.model import HEADING, QUOTE
from reviewflow.article.read import read_article, read_article_bytes
from reviewflow.article.sections import FINDINGS, findings_spans
from reviewflow.errors import InputFileError
from reviewflow.synthesis.segments import find_findings
from tests.conftest import SHARED, need

FULLTEXT = SHARED / "fixtures" / "fulltext"


def real(name: str):
    return read_article(need(FULLTEXT / name, "shared full-text fixture"))


@pytest.mark.parametrize("name, heading", [
    ("gallacher2013-pmed.xml", "Results"), ("kesselheim2011-pmed.xml", "Results"),
    ("pntd.0008301.xml", "Results"), ("vanderMeulen2008-bmcoralhealth.xml", "Results"),
    # PLOS types this section `conclusions`: the printed title wins over a wrong sec-type.
    ("pone.0234687.xml", "Results and discussion"),
])
def test_every_research_article_has_its_findings_section(name, heading):
    a = real(name)
    assert a.format == "jats" and a.pages == 0
    f = find_findings("x", a)
    assert f.headings == (heading,)
    assert f.segments and all(s.basis == "findings section" for s in f.segments)


def test_essay_says_it_has_no_findings_section_and_falls_back_marked():
    a = real("marder2012-elife00353.xml")
    assert a.title == "A good life"
    assert not findings_spans(a)
    f = find_findings("x", a)
    assert not f.found and f.segments and all(s.basis == "no findings section" for s in f.segments)


def test_qualitative_synthesis_keeps_theme_subheadings_and_quotes():
    a = real("gallacher2013-pmed.xml")
    f = find_findings("x", a)
    assert "Treatment Burden" in f.themes
    assert any(t.startswith("1) Making sense of stroke management") for t in f.themes)
    quotes = [s for s in f.segments if s.kind == "participant_quote"]
    assert quotes, "disp-quotes in the Results are participant quotes"
    # No reference, acknowledgement or figure caption in the body.
    body = " ".join(b.text for b in a.body)
    assert "Creative Commons" not in body
    assert all(b.kind != HEADING or b.text != "References" for b in a.body)
    assert any(b.text == "References" for b in a.back)


def test_document_analysis_sections_by_role():
    a = real("kesselheim2011-pmed.xml")
    heads = [b.text for b in a.body if b.kind == HEADING]
    assert heads[:2] == ["Introduction", "Methods"]
    assert "Qualitative Analysis" in heads
    assert a.abstract and not any("et al" in b.text for b in a.abstract[:1])


def test_xml_lines_point_into_the_file():
    a = real("vanderMeulen2008-bmcoralhealth.xml")
    assert all(b.line > 0 and b.page == 0 for b in a.body)


def _jats(body: str, doctype: str = "") -> bytes:
    return (f'<?xml version="1.0"?>{doctype}<article><front><article-meta><title-group><article-title>T'
            f'</article-title></title-group></article-meta></front><body>{body}</body></article>').encode()


def test_disp_quote_inside_a_paragraph_cuts_it_and_keeps_its_attribution():
    a = read_jats(_jats('<sec sec-type="results"><title>Findings</title><sec><title>Being there</title>'
                        '<p>Peers said so.<disp-quote><p>\u201cI know the road.\u201d</p><attrib>P12, peer worker'
                        '</attrib></disp-quote>And more.</p></sec></sec>'), "t.xml")
    kinds = [(b.kind, b.text, b.attribution) for b in a.body]
    assert kinds == [(HEADING, "Findings", ""), (HEADING, "Being there", ""), ("paragraph", "Peers said so.", ""),
                     (QUOTE, "\u201cI know the road.\u201d", "P12, peer worker"), ("paragraph", "And more.", "")]
    assert findings_spans(a)[0].role == FINDINGS


def test_entity_declarations_are_refused_and_external_dtd_is_never_fetched():
    bomb = '<!DOCTYPE article [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    with pytest.raises(InputFileError, match="entities"):
        read_jats(_jats("<p>&b;</p>", bomb), "bomb.xml")
    external = '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS//EN" "http://203.0.113.9/JATS.dtd">'
    a = read_jats(_jats("<sec><title>Results</title><p>Fine.</p></sec>", external), "ext.xml")
    assert [b.text for b in a.body] == ["Results", "Fine."]


def test_bad_xml_names_file_and_line():
    with pytest.raises(InputFileError) as err:
        read_article_bytes(b'<?xml version="1.0"?>\n<article>\n<body><p>cut off', "cut.xml")
    assert "cut.xml" in str(err.value) and "not well-formed" in str(err.value)
    with pytest.raises(InputFileError, match="HTML page"):
        read_article_bytes(b"<!DOCTYPE html><html><body>Sign in</body></html>", "login.xml")
    with pytest.raises(InputFileError, match="not a JATS"):
        read_article_bytes(b"<records><record/></records>", "endnote.xml")


def _docx(build) -> bytes:
    d = docx.Document()
    build(d)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_headings_by_style_or_bold_quotes_by_style_and_front_matter_left_out():
    def build(d):
        d.add_paragraph("Peer work in practice", style="Title")
        d.add_paragraph("A. Author, B. Author")
        d.add_paragraph("1 Department of Health, Some University, Leeds, UK")
        d.add_heading("Methods", level=1)
        d.add_paragraph("We interviewed twenty peer workers.")
        p = d.add_paragraph()
        p.add_run("Results").bold = True           # a heading set by hand
        d.add_heading("Being there", level=2)
        d.add_paragraph("Peers described being present.")
        d.add_paragraph("\u201cI know the road.\u201d", style="Quote")
        d.add_paragraph("(P12, peer worker)", style="Quote")
        d.add_heading("References", level=1)
        d.add_paragraph("1. Smith J. Peer work. J Peer Stud 2019;1:1-2.")

    a = read_docx(_docx(build), "m.docx")
    assert a.title == "Peer work in practice" and a.format == "docx"
    assert [b.text for b in a.body if b.kind == HEADING] == ["Methods", "Results", "Being there"]
    assert not any("Department" in b.text or "Author" in b.text for b in a.body)
    quote = next(b for b in a.body if b.kind == QUOTE)
    assert quote.text == "\u201cI know the road.\u201d" and quote.attribution == "P12, peer worker"
    assert any("Smith J" in b.text for b in a.back)
    f = find_findings("x", a)
    assert f.headings == ("Results",) and f.themes == ("Being there",)
    assert [s.kind for s in f.segments] == ["author_statement", "participant_quote"]


def test_doc_and_broken_docx_are_refused_with_what_to_do():
    with pytest.raises(InputFileError, match="Word 97-2003"):
        read_article_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600, "old.docx")
    with pytest.raises(InputFileError, match="DOCX"):
        read_article_bytes(b"PK\x03\x04not really a zip", "broken.docx")


def test_inspect_json_counts_segments_and_lists_suggestions():
    d = inspect_file(need(FULLTEXT / "kesselheim2011-pmed.xml", "shared full-text fixture"))
    json.dumps(d)
    assert d["format"] == "jats" and d["segments"] > 0
    assert all(set(s) >= {"field", "value", "page", "sentence"} for s in d["suggestions"])
    assert any(s["field"] == "country" and "United States" in s["value"] for s in d["suggestions"])
