"""Full texts page by page: PDFs made here with reportlab and read back through pypdf; plain text."""

from __future__ import annotations

import io

import pytest
from reportlab.pdfgen import canvas

from reviewflow.demo.fulltext import paged_text, pdf_bytes
from reviewflow.errors import InputFileError
from reviewflow.extract.pages import pdf_pages, read_fulltext, text_pages

REPORT = """# Peer work in a harm reduction service
Lee, Kim; Ng, Pat
Harm Reduction Journal 2019

## Abstract
Peer workers were interviewed about their work.

## Methods
Setting: two overdose prevention sites in Toronto, Canada.

Participants: 12 peer workers and 9 clients.

## Findings
### Being there
Peers described long hours with clients who trusted them.

"I know what it is like out there, so they talk to me." (Peer worker 3)

## Discussion
Nothing to code here.
"""


def _pdf(pages: list[list[tuple[float, str]]]) -> bytes:
    """A PDF whose pages hold lines at given heights (points from the bottom)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for lines in pages:
        for y, text in lines:
            c.setFont("Helvetica", 11)
            c.drawString(72, y, text)
        c.showPage()
    c.save()
    return buf.getvalue()


def test_pdf_pages_keep_their_numbers_and_paragraph_gaps():
    data = _pdf([[(760, "Methods"), (745, "We held interviews with"), (731, "twelve peer workers."),
                  (700, "Participants were paid.")],
                 [(760, "Findings"), (745, "Peers spoke of trust.")]])
    ft = pdf_pages(data)
    assert ft.kind == "pdf"
    assert [p.number for p in ft.pages] == [1, 2]
    # Lines 14 pt apart belong to one paragraph; a 31 pt gap is a blank line.
    assert ft.pages[0].text == "Methods\nWe held interviews with\ntwelve peer workers.\n\nParticipants were paid."
    assert ft.pages[1].text == "Findings\nPeers spoke of trust."


def test_a_paragraph_cut_by_a_page_break_goes_on_and_a_finished_one_does_not():
    ft = pdf_pages(_pdf([[(760, "Peers described the"), (746, "work as")], [(760, "demanding."), (746, "Next.")]]))
    assert ft.lines == [(1, "Peers described the"), (1, "work as"), (2, "demanding."), (2, "Next.")]
    ft = pdf_pages(_pdf([[(760, "The work was demanding.")], [(760, "Next paragraph.")]]))
    assert ft.lines == [(1, "The work was demanding."), (1, ""), (2, "Next paragraph.")]


def test_demo_report_reads_back_the_same_from_pdf_and_from_text():
    text = paged_text(REPORT)
    data = pdf_bytes(text)
    assert data == pdf_bytes(text)                        # no timestamps: the same bytes every time
    assert b"/CreationDate (D:20000101000000" in data
    from_pdf, from_text = pdf_pages(data), text_pages(text)

    def paragraphs(ft):
        return [" ".join(p.split("\n")) for p in ft.text.split("\n\n")]

    assert paragraphs(from_pdf) == paragraphs(from_text)
    assert [p.number for p in from_pdf.pages] == [p.number for p in from_text.pages]


def test_long_demo_report_spans_pages_in_both_forms():
    long = REPORT.replace("Nothing to code here.", "\n\n".join(f"Paragraph {i} " + "word " * 60 for i in range(12)))
    text = paged_text(long)
    assert text.count("\f") >= 1 and "\n\f\n" in text
    pdf, plain = pdf_pages(pdf_bytes(text)), text_pages(text)
    assert len(pdf.pages) == len(plain.pages) == text.count("\f") + 1
    for a, b in zip(pdf.pages, plain.pages, strict=True):
        assert a.text.split()[:3] == b.text.split()[:3]   # each page starts with the same words


@pytest.mark.parametrize("text, pages", [
    ("one page\nstill one", [(1, "one page\nstill one")]),
    ("first.\n\f\nsecond", [(1, "first."), (2, "second")]),
    ("first\fsecond\f", [(1, "first"), (2, "second")]),                  # pdftotext ends with a form feed
    ("a\f\fc", [(1, "a"), (2, ""), (3, "c")]),                            # a blank page keeps its number
    ("intro\n--- Page 12 ---\ntwelve\n[p. 13]\nthirteen", [(1, "intro"), (12, "twelve"), (13, "thirteen")]),
    ("=== page 5 ===\nfive\r\nstill five", [(5, "five\nstill five")]),
    ("\ufeffBOM  and   spaces \n\n\n\nafter", [(1, "BOM and spaces\n\nafter")]),
])
def test_text_page_breaks(text, pages):
    assert [(p.number, p.text) for p in text_pages(text).pages] == pages


def test_a_marker_in_running_text_is_not_a_break():
    ft = text_pages("See page 3 of the report.\nPage 4\nmore")
    assert [p.number for p in ft.pages] == [1]


def test_read_fulltext_by_extension_and_by_header(tmp_path):
    data = _pdf([[(760, "From a PDF.")]])
    (tmp_path / "a.pdf").write_bytes(data)
    (tmp_path / "b.txt").write_bytes(data)                  # a PDF saved under the wrong name
    (tmp_path / "c.txt").write_text("Plain.\fPage two.", encoding="utf-8")
    assert read_fulltext(tmp_path / "a.pdf").text == "From a PDF."
    assert read_fulltext(tmp_path / "b.txt").kind == "pdf"
    assert [p.text for p in read_fulltext(tmp_path / "c.txt").pages] == ["Plain.", "Page two."]


def test_unreadable_full_texts_are_user_errors(tmp_path):
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf\n%%EOF\n")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(InputFileError, match="pypdf cannot read"):
        read_fulltext(tmp_path / "bad.pdf")
    with pytest.raises(InputFileError, match="not UTF-8"):
        read_fulltext(tmp_path / "latin1.txt")
    with pytest.raises(InputFileError, match="cannot read"):
        read_fulltext(tmp_path / "missing.txt")
