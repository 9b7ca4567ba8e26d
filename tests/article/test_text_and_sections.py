"""Plain text and Markdown full texts, section roles as authors name them, and participant quotes."""

from __future__ import annotations

import pytest

from reviewflow.article.model import HEADING, QUOTE
from reviewflow.article.quotes import is_participant_quote, split_attribution
from reviewflow.article.read import read_article, read_article_bytes
from reviewflow.article.sections import BACK, BACKGROUND, DISCUSSION, FINDINGS, METHODS, heading_role, spans
from reviewflow.article.text import read_text
from reviewflow.errors import InputFileError
from reviewflow.synthesis.segments import FALLBACK_BASIS, find_findings

PLAIN = """Peer work in harm reduction: a qualitative study

Abstract

Background: peers matter to services.

Results: three themes.

1. Introduction

Peer workers are increasingly em-
ployed in services across Canada.

2. Methods

We held semi-structured interviews with twenty peer workers (N = 20) in Oslo, Norway.

3. Results

Trust built through shared experience

Participants described trust that grew from having used drugs themselves.

    "They get it because they have been there." (P12, peer worker)

Carrying the weight

Staff worried about the boundaries between work and
\f
friendship, which peers saw differently.

4. Discussion

This matters for services.

References

1. Smith J. Grounded theory in focus groups. 2019.
"""


def test_plain_headings_numbered_or_not_and_theme_subheadings():
    a = read_text(PLAIN, "a.txt")
    assert a.title == "Peer work in harm reduction: a qualitative study"
    assert [b.text for b in a.abstract if b.kind != HEADING] == ["Background: peers matter to services.",
                                                                 "Results: three themes."]
    heads = [(b.text, b.level) for b in a.body if b.kind == HEADING]
    assert heads == [("1. Introduction", 1), ("2. Methods", 1), ("3. Results", 1),
                     ("Trust built through shared experience", 2), ("Carrying the weight", 2), ("4. Discussion", 1)]
    body = " ".join(b.text for b in a.body)
    assert "employed in services" in body and "Grounded theory" not in body
    assert [b.text for b in a.back][0] == "References"


def test_a_paragraph_goes_on_across_a_page_break_and_keeps_its_first_page():
    a = read_text(PLAIN, "a.txt")
    para = next(b for b in a.body if b.text.startswith("Staff worried"))
    assert para.text == "Staff worried about the boundaries between work and friendship, which peers saw differently."
    assert para.page == 1
    assert next(b for b in a.body if b.text.startswith("This matters")).page == 2


def test_indented_block_is_a_quote_and_the_findings_segments_keep_its_speaker():
    found = find_findings("r1", read_text(PLAIN, "a.txt"))
    assert found.headings == ("3. Results",)
    assert found.themes == ("Trust built through shared experience", "Carrying the weight")
    kinds = [(s.kind, s.heading) for s in found.segments]
    assert kinds == [("author_statement", "Trust built through shared experience"),
                     ("participant_quote", "Trust built through shared experience"),
                     ("author_statement", "Carrying the weight")]
    quote = found.segments[1]
    assert quote.attribution == "P12, peer worker" and quote.text == '"They get it because they have been there."'
    assert not found.problem


def test_markdown_headings_levels_and_block_quotes():
    md = ("# Title\n\n## Methods\nWe interviewed peers.\n\n## Findings\n### Being there\n"
          "> \u201cI know.\u201d\n> [Peer 4]\n")
    a = read_text(md, "a.md", markdown=True)
    assert a.title == "Title"
    assert [(b.text, b.level) for b in a.body if b.kind == HEADING] == [("Methods", 2), ("Findings", 2),
                                                                        ("Being there", 3)]
    q = next(b for b in a.body if b.kind == QUOTE)
    assert split_attribution(q.text) == ("\u201cI know.\u201d", "Peer 4")


@pytest.mark.parametrize("heading,role", [
    ("Results", FINDINGS), ("3. RESULTS", FINDINGS), ("Findings", FINDINGS), ("Results and discussion", FINDINGS),
    ("Themes", FINDINGS), ("IV. Findings", FINDINGS), ("Results of the interviews", FINDINGS),
    ("Materials and methods", METHODS), ("2.1 Methodology", METHODS), ("Background", BACKGROUND),
    ("Introduction", BACKGROUND), ("Discussion", DISCUSSION), ("Conclusions", DISCUSSION),
    ("References", BACK), ("Acknowledgements", BACK), ("Competing interests", BACK),
    ("Authors' contributions", BACK), ("Trust built through shared experience", None), ("Data analysis", None),
])
def test_heading_roles(heading, role):
    assert heading_role(heading) == role


def test_jats_sec_type_names_the_role():
    assert heading_role("What we saw", "results") == FINDINGS
    assert heading_role("Study", "materials|methods") == METHODS


def test_a_theme_heading_at_the_sections_level_stays_in_the_findings():
    # A PDF's typography may give a theme heading the same level as 'Results'.
    md = "# T\n\n# Results\nThree themes came out of the interviews.\n\n# Being there\nPeers were there for " \
         "people.\n\n# Discussion\nDone.\n"
    roles = [(s.role, s.title) for s in spans(read_text(md, "a.md", markdown=True))]
    assert roles == [(FINDINGS, "Results"), (DISCUSSION, "Discussion")]


def test_weak_method_headings_start_methods_only_before_results():
    md = "# T\n\n# Introduction\nWhy.\n\n# Participants\nWe recruited 12 peers.\n\n# Results\n## Participants\n" \
         "All twelve peers had used drugs.\n"
    assert [(s.role, s.title) for s in spans(read_text(md, "a.md", markdown=True))] == [
        (BACKGROUND, "Introduction"), (METHODS, "Participants"), (FINDINGS, "Results")]


def test_no_findings_section_falls_back_and_says_so():
    essay = "A good life\n\nI was lucky to have good mentors, who taught me how to think about science.\n\n" \
            "Science is a social enterprise, and the people you work with matter more than anything else.\n"
    found = find_findings("r", read_text(essay, "essay.txt"))
    assert not found.found and found.headings == ()
    assert [s.basis for s in found.segments] == [FALLBACK_BASIS, FALLBACK_BASIS]
    assert "no Results or Findings section was found" in found.problem


def test_methods_only_gives_no_segment_and_a_problem():
    found = find_findings("r", "# T\n\n## Methods\nWe interviewed twenty peers in two cities over a year.\n")
    assert found.segments == () and found.problem.startswith("no Results or Findings section")


@pytest.mark.parametrize("text,label", [
    ("\u201cIt follows me home.\u201d (P12, peer worker)", "P12, peer worker"),
    ('"It follows me home." \u2014 Participant 3, female', "Participant 3, female"),
    ('"It follows me home." [Peer 4]', "Peer 4"),
    ('"We all felt it." (FG2)', "FG2"),
    ('"We all felt it." (Client, 45 years)', "Client, 45 years"),
])
def test_attributions_in_real_styles(text, label):
    assert split_attribution(text)[1] == label
    assert is_participant_quote(text)


@pytest.mark.parametrize("text", [
    "Peers were valued by staff (Smith 2019).",
    "Peers were valued by staff (see Table 2).",
    "Peers were valued (p. 12).",
    "Trust mattered (Figure 3).",
])
def test_citations_are_not_speakers(text):
    assert split_attribution(text) == (text, "")
    assert not is_participant_quote(text)


def test_bad_files_get_one_clear_line(tmp_path):
    cases = {"empty.pdf": b"", "login.pdf": b"<!DOCTYPE html><html><body>Sign in</body></html>",
             "word.docx": b"not a zip at all", "old.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64,
             "latin1.txt": "Caf\u00e9 au lait".encode("latin-1"), "blob.bin": b"\x00\x01\x02\x03" * 10,
             "page.xml": b"<!DOCTYPE html><html><body>Error 404</body></html>"}
    msgs = {}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(InputFileError) as err:
            read_article(tmp_path / name)
        assert str(err.value).startswith(str(tmp_path / name) + ": ")
        msgs[name] = err.value.message
    assert "empty" in msgs["empty.pdf"]
    assert "not a PDF" in msgs["login.pdf"] and "HTML" in msgs["login.pdf"]
    assert "not a DOCX" in msgs["word.docx"] and "Word 97-2003" in msgs["old.doc"]
    assert "UTF-8" in msgs["latin1.txt"] and "binary" in msgs["blob.bin"] and "HTML" in msgs["page.xml"]
    with pytest.raises(InputFileError, match="cannot read"):
        read_article(tmp_path / "missing.pdf")


def test_text_is_read_whatever_its_extension_and_markdown_by_name():
    a = read_article_bytes(b"# Title\n\n## Results\nPeers spoke of trust in the service.\n", "notes.md")
    assert a.format == "markdown" and [b.text for b in a.body if b.kind == HEADING] == ["Results"]
