"""The PDF reader: real journal PDFs (../shared fixtures) and small PDFs made here with reportlab."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from reviewflow.article.model import HEADING, PARAGRAPH, QUOTE, Article
from reviewflow.article.pdf import read_pdf
from reviewflow.errors import InputFileError
from tests.conftest import SHARED, need

FULLTEXT = SHARED / "fixtures" / "fulltext"
_READ: dict[str, Article] = {}


def fixture(name: str) -> Article:
    """A shared fixture PDF read once for the whole module."""
    if name not in _READ:
        data = need(FULLTEXT / name, "shared full-text fixture").read_bytes()
        _READ[name] = read_pdf(data, name)
    return _READ[name]


def headings(blocks, level: int | None = None) -> list[str]:
    return [b.text for b in blocks if b.kind == HEADING and (level is None or b.level == level)]


def text_of(blocks) -> str:
    return "\n".join(b.text for b in blocks)


def section(article: Article, title: str) -> list:
    """The body blocks after the heading `title`, up to the next heading of its level or above."""
    blocks = list(article.body)
    start = next(i for i, b in enumerate(blocks) if b.kind == HEADING and b.text == title)
    level = blocks[start].level
    out = []
    for b in blocks[start + 1:]:
        if b.kind == HEADING and b.level <= level:
            break
        out.append(b)
    return out


# ----------------------------------------------------------------------------------------------
# real PDFs


def test_bmc_qualitative_sections_in_order_with_subsections_below_results():
    a = fixture("agyemanduah2014-bmchsr.pdf")
    assert (a.format, a.source, a.pages) == ("pdf", "agyemanduah2014-bmchsr.pdf", 10)
    assert a.title.startswith("Understanding the barriers to setting up a healthcare quality improvement process")
    assert a.title.endswith("Kamuzu Central Hospital in Lilongwe, Malawi")
    assert headings(a.body, 1) == ["Background", "Methods", "Results", "Discussion", "Conclusions"]
    results = section(a, "Results")
    subs = headings(results)
    assert subs[:2] == ["Structured patient interviews", "Stakeholder in-depth interviews"]
    assert all(b.level > 1 for b in results if b.kind == HEADING)
    assert "Setting" in headings(section(a, "Methods"))
    # The paragraphs under Results: complete and in the printed order (across the column break).
    paras = [b.text for b in results if b.kind == PARAGRAPH]
    assert paras[0] == "The results reported below reflect the views of the different stakeholders interviewed."
    assert paras[1].startswith("Out of the 100 sampled outpatients, 98 responded and only two declined.")
    assert paras[1].endswith("40% as ‘good’ and only 1% as ‘poor’.")
    order = ["Out of the 100 sampled", "General satisfaction was further divided", "Three options: staff performance",
             "The responses by stakeholders", "Emerging themes from the in-depth interviews",
             "The medical staff in the Medical Department", "Patient flow information, as depicted in Figure 1"]
    starts = [next(i for i, p in enumerate(paras) if p.startswith(o)) for o in order]
    assert starts == sorted(starts)
    staffing = next(p for p in paras if p.startswith("The medical staff in the Medical Department"))
    assert "2A (female ward), 2B (male ward)" in staffing          # joined across the column break
    assert a.body[0].where == "p. 2, line 1"


def test_bmc_abstract_apart_with_its_own_subheads():
    a = fixture("agyemanduah2014-bmchsr.pdf")
    assert headings(a.abstract) == ["Background", "Methods", "Results", "Conclusions"]
    assert all(b.level == 2 for b in a.abstract if b.kind == HEADING)
    abstract = text_of(a.abstract)
    assert "Human resource shortages, staff attitudes and shortage of equipment" in abstract
    body = text_of(a.body)
    assert "Human resource shortages, staff attitudes" not in body
    assert "Keywords" not in abstract + body


def test_bmc_furniture_front_matter_tables_and_back_kept_out_of_body():
    a = fixture("agyemanduah2014-bmchsr.pdf")
    body = text_of(a.body)
    for furniture in ("BMC Health Services Research", "biomedcentral", "Page 3 of 10", "Correspondence",
                      "jossey.ach@gmail.com", "Project Officer, Project Fives Alive", "licensee BioMed Central",
                      "Told how to take your medication", "Patient-provider relationship during",
                      "Patient flow pattern at the medical department",
                      "Ovretveit J, Serouri A", "The authors declare that they have no competing interests",
                      "Josephine Nana Afrakoma", "SHORT STAY", "Received:"):
        assert furniture not in body, furniture
    back = text_of(a.back)
    assert {"Competing interests", "Acknowledgments", "References"} <= set(headings(a.back))
    assert "1. Ovretveit J, Serouri A: Hospital quality management system" in back
    assert "no competing interests" in back


def test_bmc_hyphenation_at_line_ends():
    body = text_of(fixture("agyemanduah2014-bmchsr.pdf").body)
    # 'pur-|posively', 'obser-|vation', 'out-|patients', 'in-|ductively' joined; 'non-|medical' keeps its hyphen
    for joined in ("purposively sampled", "participatory observation and in-depth", "inpatients and outpatients",
                   "done inductively", "medical and non-medical care"):
        assert joined in body, joined
    for broken in ("pur- posively", "purposively-", "obser- vation", "non medical", "nonmedical"):
        assert broken not in body, broken


def test_bmc_short_systematic_review():
    a = fixture("datta2010-jtmo.pdf")
    assert a.title == ("Complications related to deep venous thrombosis prophylaxis in trauma: a systematic review "
                       "of the literature")
    assert headings(a.body) == ["Introduction", "Methods", "Conclusion"]
    assert len(a.abstract) == 1
    assert a.abstract[0].text.startswith("Deep venous thrombosis prophylaxis is essential to the appropriate")
    assert a.abstract[0].text.endswith("they must be appropriately utilized.")     # 'appro-|priately'
    intro = section(a, "Introduction")
    assert intro[0].text.startswith("Multisystem traumatic injury is a significant risk factor")
    body = text_of(a.body)
    assert "Kudsk KA" not in body and "ball.chad@gmail.com" not in body and "Page 9 of 11" not in body
    assert "References" in headings(a.back) and "Kudsk KA, Fabian TC" in text_of(a.back)


def test_line_numbered_manuscript():
    a = fixture("lintz2016-elife13833-poa.pdf")
    assert a.pages == 38
    assert a.title == "Basal ganglia output reflects internally-specified movements"
    assert headings(a.body, 1) == ["Introduction", "Results", "Discussion", "Materials and Methods"]
    assert headings(section(a, "Results")) == [
        "Behavioral assay dissociates stimulus-guided and internally-specified movements",
        "SNr activity differs for stimulus-guided and internally-specified movements",
        "Modulation of SNr activity by task-relevant variables"]
    assert all(b.level == 2 for b in section(a, "Results") if b.kind == HEADING)
    first = next(b for b in section(a, "Results") if b.kind == PARAGRAPH)
    assert first.text.startswith("We trained mice on a delayed-response spatial choice task comprised of interleaved "
                                 "blocks of “stimulus-guided” (SG) trials, in which the direction of movement")
    # Across a page break with a page number and margin line numbers in between:
    assert "in IS trials, a balanced mixture of the two odors" in first.text
    assert "(IS) trials, in which the direction of an otherwise-identical movement is selected" in first.text
    results = headings(a.body).index("Results")
    assert a.body[[i for i, b in enumerate(a.body) if b.kind == HEADING][results]].where == "p. 4, line 21"
    assert a.abstract[0].text.startswith("How movements are selected is a fundamental question")
    body = text_of(a.body)
    for furniture in ("Abbreviated title", "gidon.felsen@ucdenver.edu", "To whom correspondence", "Azulay, J.P.",
                      "Lintz - Figure"):
        assert furniture not in body, furniture
    assert "Azulay, J.P., Mesure, S." in text_of(a.back)
    assert {"Acknowledgements", "Competing interests", "References"} <= set(headings(a.back))


def test_essay_without_sections_has_paragraphs_and_no_invented_heading():
    a = fixture("marder2012-elife00353.pdf")
    assert a.title == "A good life"
    assert not headings(a.body) and not headings(a.abstract)
    assert all(b.kind == PARAGRAPH for b in a.body) and len(a.body) >= 8
    assert a.body[0].text.startswith("Some years ago I had a postdoc who said to me, “I don’t want to be like you")
    assert a.abstract[0].text == ("Following a career in science involves long hours and hard work, but as Eve "
                                  "Marder explains in the first of a series of columns, it can also be extremely "
                                  "rewarding.")
    body = text_of(a.body)
    assert body.count("the intellectual space to develop as") == 1      # the pull quote is not read twice
    assert "too many stupid meetings, and yes there is much wrong" in body  # joined across the pull quote
    assert "lifetimes. " not in body and "friendships that endure for lifetimes." in body
    for furniture in ("Living science | A good life", "Copyright Marder", "eLife 2012;1:e00353", "ILLUSTRATION",
                      "This illustration of Eve Marder", "FEATURE ARTICLE", "marder@brandeis.edu"):
        assert furniture not in body, furniture


def test_peerj_with_margin_sidebar():
    a = fixture("webb2017-peerjcs.pdf")
    assert a.title == "VESPA: Very large-scale Evolutionary and Selective Pressure Analyses"
    assert headings(a.body, 1) == ["INTRODUCTION", "METHODS", "RESULTS", "DISCUSSION", "CONCLUSION"]
    assert headings(a.abstract) == ["Background", "Methods", "Results", "Discussion"]
    assert a.abstract[1].text.startswith("Large-scale molecular evolutionary analyses of protein coding sequences")
    assert "along with downstream selective pressure" in text_of(a.abstract)
    results = [b for b in section(a, "RESULTS") if b.kind == PARAGRAPH]
    assert results[0].text.startswith("As detailed above, VESPA incorporates two analyses")
    body = text_of(a.body)
    for furniture in ("Academic editor", "James Procter", "Corresponding author", "m.oconnell@leeds.ac.uk",
                      "Submitted 25 March 2016", "PeerJ Comput. Sci.", "Overview of the 5 Phases", "Keywords",
                      "Afgan E, Baker D", "Bioinformatics and Molecular Evolution Group", "OPEN ACCESS"):
        assert furniture not in body, furniture
    assert "REFERENCES" in headings(a.back) and "Afgan E, Baker D" in text_of(a.back)
    assert "Funding" in headings(a.back)


# ----------------------------------------------------------------------------------------------
# PDFs made here

PAGE_W, PAGE_H = A4
MARGIN, GUTTER = 50.0, 20.0
COLUMN = (PAGE_W - 2 * MARGIN - GUTTER) / 2
TOP, BOTTOM = PAGE_H - 80, 70.0
RUNNING_HEAD = "Okafor et al. Journal of Peer Support Studies 2021, 7:12"


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if stringWidth(trial, font, size) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    return [*lines, line] if line else lines


class TwoColumns:
    """A two-column journal page: running head and 'Page x of y' on top, the page number at the foot."""

    def __init__(self, pages: int) -> None:
        self.buf = io.BytesIO()
        self.canvas = canvas.Canvas(self.buf, pagesize=A4)
        self.pages = pages
        self.page, self.col, self.y, self.top = 1, 0, TOP, TOP

    def furniture(self) -> None:
        c = self.canvas
        c.setFont("Helvetica", 8)
        c.drawString(MARGIN, PAGE_H - 40, RUNNING_HEAD)
        c.drawRightString(PAGE_W - MARGIN, PAGE_H - 40, f"Page {self.page} of {self.pages}")
        c.drawCentredString(PAGE_W / 2, 35, str(self.page))

    def line(self, text: str, font: str, size: float, lead: float, indent: float = 0.0) -> None:
        if self.y - lead < BOTTOM:
            if self.col == 0:
                self.col, self.y = 1, self.top
            else:
                self.furniture()
                self.canvas.showPage()
                self.page, self.col, self.y, self.top = self.page + 1, 0, TOP, TOP
        self.y -= lead
        self.canvas.setFont(font, size)
        self.canvas.drawString(MARGIN + self.col * (COLUMN + GUTTER) + indent, self.y, text)

    def right_aligned(self, text: str, font: str, size: float, lead: float) -> None:
        self.line("", font, size, lead)
        self.canvas.drawRightString(MARGIN + self.col * (COLUMN + GUTTER) + COLUMN, self.y, text)

    def full_width(self, text: str, font: str, size: float, lead: float) -> None:
        for ln in wrap(text, font, size, PAGE_W - 2 * MARGIN):
            self.y -= lead
            self.canvas.setFont(font, size)
            self.canvas.drawString(MARGIN, self.y, ln)

    def heading(self, text: str, size: float = 11, font: str = "Helvetica-Bold") -> None:
        if self.y - 40 < BOTTOM:
            self.y = BOTTOM
        self.y -= 8
        self.line(text, font, size, size + 3)

    def para(self, text: str = "", lines: list[str] | None = None, font: str = "Times-Roman", size: float = 10,
             lead: float = 12.5, first: float = 12, indent: float = 0, right: float = 0) -> None:
        for i, ln in enumerate(lines or wrap(text, font, size, COLUMN - indent - right - first)):
            self.line(ln, font, size, lead, indent + (first if i == 0 else 0))

    def finish(self) -> bytes:
        self.furniture()
        self.canvas.showPage()
        self.canvas.save()
        return self.buf.getvalue()


def paragraph(tag: str, sentences: int) -> str:
    return " ".join(f"In {tag} the peer workers said that sentence {k} of their account mattered to the service "
                    f"and to the clients they met." for k in range(1, sentences + 1))


TEXT = {tag: paragraph(tag, n) for tag, n in (("background one", 5), ("background two", 4), ("methods", 6),
                                              ("results one", 5), ("results two", 3), ("results three", 4),
                                              ("results four", 2), ("discussion one", 9), ("discussion two", 8))}


def qualitative_pdf() -> bytes:
    doc = TwoColumns(pages=2)
    c = doc.canvas
    doc.y = TOP - 10
    for ln in wrap("Peer support workers in community mental health: a qualitative study of what they do",
                   "Helvetica-Bold", 18, PAGE_W - 2 * MARGIN):
        doc.y -= 22
        c.setFont("Helvetica-Bold", 18)
        c.drawString(MARGIN, doc.y, ln)
    doc.y -= 8
    doc.full_width("Adaeze Okafor1*, Brian Lund2 and Chen Wei1", "Helvetica", 10, 14)
    doc.full_width("1 Department of Nursing, University of Exampleton, Exampleton, UK", "Helvetica", 8, 11)
    doc.y -= 10
    doc.full_width("Abstract", "Helvetica-Bold", 11, 15)
    doc.full_width("Background: Peer support is offered in many services, and little is known about what peer "
                   "workers do in a working day.", "Helvetica", 9.5, 12)
    doc.full_width("Results: Three themes were found in the interviews with twenty peer workers, about trust, "
                   "being believed and the limits of the role.", "Helvetica", 9.5, 12)
    doc.full_width("Keywords: peer support, mental health, qualitative", "Helvetica", 9, 12)
    doc.y -= 16
    doc.top = doc.y
    doc.heading("Background")
    doc.para(TEXT["background one"])
    doc.para(TEXT["background two"])
    doc.heading("Methods")
    doc.para(TEXT["methods"])
    doc.heading("Results")
    doc.para(TEXT["results one"])
    doc.heading("Trust in peers", size=10, font="Helvetica-BoldOblique")
    doc.para(lines=["Most of the interviewed partici-", "pants said that the semi-", "structured interviews felt "
                    "like a", "conversation with a well-", "known colleague."])
    doc.para(lines=["Several peer workers described the first", "meeting as the moment trust began:"])
    doc.para(lines=["I felt that nobody listened to me until the", "peer worker came. She knew what it was like",
                    "to wait for hours. (P12, peer worker)"], font="Times-Italic", size=9, lead=11, first=0,
             indent=20)
    doc.para(TEXT["results two"])
    doc.heading("Being believed", size=10, font="Helvetica-BoldOblique")
    doc.para(lines=["Managers said the same in other words:"])
    doc.para(lines=["They come in and they get it straight away,", "they do not need the training we give. [Peer 4]"],
             first=0, indent=24, right=24)
    doc.para(TEXT["results three"])
    doc.para(lines=["It changed how I saw my own recovery and what", "I could do for others. \u2014 Participant 3, "
                    "female"], size=8.5, lead=10.5, first=0)
    doc.para(TEXT["results four"])
    doc.para(lines=["Nobody there asked me why I was late, and that", "was the first time in years I did not have to",
                    "explain myself to a room full of people."], size=9, lead=11, first=0, indent=20)
    doc.right_aligned("(FG2, woman)", "Times-Roman", 9, 11)
    doc.heading("Discussion")
    doc.para(TEXT["discussion one"])
    doc.para(TEXT["discussion two"])
    doc.heading("References")
    for k in range(1, 6):
        doc.para(lines=[f"{k}. Author A, Author B: A title of a paper about peer", "support. J Peer Stud 2019, "
                        f"3:{k}-10."], size=8, lead=10, first=0)
    return doc.finish()


@pytest.fixture(scope="module")
def qualitative() -> Article:
    return read_pdf(qualitative_pdf(), "okafor2021.pdf")


def test_two_columns_read_column_by_column_without_running_heads(qualitative):
    a = qualitative
    assert a.pages == 2
    assert a.title == "Peer support workers in community mental health: a qualitative study of what they do"
    assert headings(a.body, 1) == ["Background", "Methods", "Results", "Discussion"]
    assert headings(section(a, "Results")) == ["Trust in peers", "Being believed"]
    assert all(b.level == 2 for b in section(a, "Results") if b.kind == HEADING)
    paras = [b.text for b in a.body if b.kind == PARAGRAPH]
    # Every paragraph whole and in order, though the columns and the page cut some of them.
    expected = [TEXT[t] for t in ("background one", "background two", "methods", "results one")]
    assert paras[:4] == expected
    assert paras[-2:] == [TEXT["discussion one"], TEXT["discussion two"]]
    body = text_of(a.body)
    assert RUNNING_HEAD not in body and "Page 1 of 2" not in body and "Page 2 of 2" not in body
    assert not any(b.text.strip() in ("1", "2") for b in a.body)
    assert "Okafor1" not in body and "University of Exampleton" not in body
    assert "Author A, Author B" not in body and "Author A, Author B" in text_of(a.back)


def test_block_quotes_and_their_attributions(qualitative):
    quotes = [b for b in qualitative.body if b.kind == QUOTE]
    assert [(q.text, q.attribution) for q in quotes] == [
        ("I felt that nobody listened to me until the peer worker came. She knew what it was like to wait for "
         "hours.", "P12, peer worker"),
        ("They come in and they get it straight away, they do not need the training we give.", "Peer 4"),
        ("It changed how I saw my own recovery and what I could do for others.", "Participant 3, female"),
        ("Nobody there asked me why I was late, and that was the first time in years I did not have to explain "
         "myself to a room full of people.", "FG2, woman")]
    lead_in = next(b for b in qualitative.body if b.text.startswith("Several peer workers"))
    assert lead_in.kind == PARAGRAPH and lead_in.text.endswith("the moment trust began:")


def test_hyphenation_joined_and_compounds_kept(qualitative):
    text = next(b.text for b in qualitative.body if b.text.startswith("Most of the"))
    assert text == ("Most of the interviewed participants said that the semi-structured interviews felt like a "
                    "conversation with a well-known colleague.")


def test_structured_abstract_kept_apart(qualitative):
    a = qualitative
    assert headings(a.abstract) == ["Background", "Results"]
    assert [b.text for b in a.abstract if b.kind == PARAGRAPH][1].startswith("Three themes were found")
    assert "Three themes were found" not in text_of(a.body)
    assert "Keywords" not in text_of(a.abstract) + text_of(a.body)


def test_pages_and_lines(qualitative):
    background = next(b for b in qualitative.body if b.kind == HEADING and b.text == "Background")
    assert background.page == 1 and background.line > 5           # below the title, authors and abstract
    assert all(b.page in (1, 2) and b.line >= 1 for b in qualitative.body)
    discussion = next(b for b in qualitative.body if b.kind == HEADING and b.text == "Discussion")
    assert (discussion.page, discussion.line) > (background.page, background.line)


def line_numbered_pdf() -> bytes:
    """A single-column manuscript with a line number in the margin of every line."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    number = 0
    blocks = [("Results", "Helvetica-Bold", 12), (paragraph("the first interviews", 6), "Times-Roman", 11),
              ("Discussion", "Helvetica-Bold", 12), (paragraph("the discussion", 5), "Times-Roman", 11)]
    y = PAGE_H - 72
    c.setFont("Helvetica-Bold", 16)
    c.drawString(90, y, "A manuscript with numbered lines")
    y -= 40
    for text, font, size in blocks:
        for ln in wrap(text, font, size, PAGE_W - 180):
            number += 1
            c.setFont("Helvetica", 9)
            c.drawRightString(70, y, str(number))
            c.setFont(font, size)
            c.drawString(90, y, ln)
            y -= 24
        y -= 12
    c.setFont("Helvetica", 9)
    c.drawCentredString(PAGE_W / 2, 30, "1")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_margin_line_numbers_removed():
    a = read_pdf(line_numbered_pdf(), "manuscript.pdf")
    assert a.title == "A manuscript with numbered lines"
    assert headings(a.body) == ["Results", "Discussion"]
    assert [b.text for b in a.body if b.kind == PARAGRAPH] == [paragraph("the first interviews", 6),
                                                               paragraph("the discussion", 5)]


# ----------------------------------------------------------------------------------------------
# files it cannot read


def simple_pdf(pages: list[str | None]) -> bytes:
    """One page per entry: a text page, or (None) a page with a drawing and no text."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for text in pages:
        if text is None:
            c.setFillGray(0.5)
            c.rect(100, 200, 300, 400, fill=1)
        else:
            y = PAGE_H - 80
            for ln in wrap(text, "Times-Roman", 11, PAGE_W - 144):
                c.setFont("Times-Roman", 11)
                c.drawString(72, y, ln)
                y -= 14
        c.showPage()
    c.save()
    return buf.getvalue()


def encrypted(data: bytes, user: str) -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user, owner_password="owner-secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_password_protected_pdf_is_refused_with_what_to_do():
    with pytest.raises(InputFileError) as err:
        read_pdf(encrypted(simple_pdf([paragraph("a page", 4)]), user="secret"), "locked.pdf")
    assert err.value.file == "locked.pdf"
    assert "password-protected" in err.value.message and "unprotected copy" in err.value.message


def test_pdf_with_only_an_owner_password_opens():
    a = read_pdf(encrypted(simple_pdf([paragraph("an open page", 4)]), user=""), "owner.pdf")
    assert a.body and a.body[0].text == paragraph("an open page", 4)


def test_pdf_without_a_text_layer_is_refused():
    for pages in ([None], [None, None]):
        with pytest.raises(InputFileError) as err:
            read_pdf(simple_pdf(pages), "scan.pdf")
        assert "no text layer" in err.value.message and "ocrmypdf" in err.value.message


def test_pages_without_text_are_named_in_notes():
    a = read_pdf(simple_pdf([paragraph("page one", 4), None, paragraph("page three", 3)]), "mixed.pdf")
    assert a.pages == 3
    assert len(a.notes) == 1 and "page 2 " in a.notes[0] and "no text layer" in a.notes[0]
    assert paragraph("page one", 4) in text_of(a.body) and paragraph("page three", 3) in text_of(a.body)


@pytest.mark.parametrize("data", [b"%PDF-1.4\n1 0 obj garbage \x00\x01\x02 endobj\n%%EOF",
                                  b"this is a plain text file, not a PDF at all\n" * 20])
def test_damaged_file_is_refused(data):
    with pytest.raises(InputFileError) as err:
        read_pdf(data, "broken.pdf")
    assert "cannot be read as a PDF" in err.value.message and err.value.file == "broken.pdf"


def test_truncated_pdf_is_refused():
    data = simple_pdf([paragraph("a page", 10)])
    with pytest.raises(InputFileError) as err:
        read_pdf(data[: len(data) // 3], "cut.pdf")
    assert "cannot be read as a PDF" in err.value.message or "no text layer" in err.value.message


def test_empty_file_is_refused():
    with pytest.raises(InputFileError) as err:
        read_pdf(b"", "empty.pdf")
    assert "empty" in err.value.message


def test_reading_is_deterministic(qualitative):
    again = read_pdf(qualitative_pdf(), "okafor2021.pdf")
    assert again == qualitative
