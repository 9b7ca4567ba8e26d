"""Full reports of the documents that reach full-text assessment, as journals deliver them, and their truth.

A report is first an `Article` (`article(doc, seed)`): front matter (title; authors with numbered
affiliations, one of which is sometimes in another country than the study's; a correspondence
e-mail; received and accepted dates; the abstract, structured as Background / Methods / Results /
Conclusions where its sentences allow; keywords), body sections (Background or Introduction,
Methods, Results or Findings holding the authors' theme subsections, Discussion, Conclusions;
numbered '3. Results' in some journals), back matter (Acknowledgements, Funding, Competing
interests) and a numbered reference list whose titles name methods ('grounded theory', 'focus
groups') and countries that are not the study's, cited in brackets ('[2–4]') in the Introduction,
the Discussion and, in some articles, after the analysis method in the Methods. Each report is
written in one form, drawn per document (`fulltext_format`, shares in `FORMAT_SHARES`):

- PDF (`.pdf`, `pdf_article`): an A4 journal page laid out by reportlab's platypus: front matter
  full width on page 1, then two columns of body text; running heads (journal and year; first
  author et al. and a short title) and the page number on every page; section headings in a bold
  larger sans, theme headings in bold or italic body type; participant quotes set as indented
  block quotes in a smaller or italic face with the speaker's label after them or on a line of
  their own; paragraphs marked by a first-line indent or by space; some long words hyphenated at
  line ends. The same bytes on every run (`invariant=1`, standard fonts).
- JATS XML (`.xml`, `jats_xml`), as PMC serves it: <front> (journal-meta, article-meta with
  title-group, contrib-group and aff, abstract with <sec>s, kwd-group), <body> with
  <sec sec-type="intro|methods|results|discussion|conclusions"> (in some articles titles only),
  theme <sec>s inside the results, <disp-quote> with <attrib>, <back> with <ack>, a competing
  interests note and <ref-list>; a DOCTYPE with the JATS public identifier, no entities.
- DOCX (`.docx`, `docx_bytes`): Title, Heading 1 and Heading 2 styles, 'Quote' paragraphs, a
  numbered reference list; fixed core properties and zip entry dates, so the same bytes every run.
- plain text (`.txt`, `plain_text`): what a team pastes from a word processor: headings on lines
  of their own, blocks separated by blank lines, no pages.

The demo's old markup ('# title', '## Findings', '###' theme headings) is in none of them;
`render_markup` still writes it (with `paged_text`, `pdf_bytes` and `paginate` for its pages) for
tests that want a manuscript in that form.

Truth (`Article.truth`): the findings are drawn from the same seeded streams as before, so every
document keeps its segments and their codes. A finding segment is one paragraph or one block
quote (the quote with its speaker's label) of a theme subsection of the Results, numbered from 1
in reading order. Pages (`render`, read with `paginate`): a PDF report's pages hold what each PDF
page shows, paragraph by paragraph (front matter, body and back matter, without running heads and
page numbers; a paragraph continued in the next column is one text, one continued on the next page
is split there; hyphens at line ends undone); a report in another form is one page.
"""

from __future__ import annotations

import functools
import io
import random
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reviewflow.demo import findings as F
from reviewflow.demo import phrases as P
from reviewflow.demo.corpus import Doc

THEME_CODES = {
    "BEN": ("BEN.CLIENT", "BEN.ORG", "BEN.SOC", "BEN.GROWTH"),
    "CHAL": ("CHAL.TRIGGER", "CHAL.BOUNDARY", "CHAL.TRAPPED", "CHAL.ROLE", "CHAL.PRECARITY"),
    "ORG": ("ORG.MISSION", "ORG.CULTURE", "ORG.STRUCTURE"),
}
ORG_TYPES = ("a regional health authority", "a non-profit community health agency",
             "a university hospital", "a municipal public health department",
             "a national addiction treatment provider")
# An included study's Introduction: background, what earlier work left open, and the aim. Other
# countries and settings come up here too, as in real papers: a study's own are in its Methods.
INTRODUCTION_CONTEXT = (
    "Peer workers now staff supervised consumption sites in Canada, needle and syringe programmes in "
    "Australia and opioid treatment services across the United States and Europe.",
    "Peer roles range from volunteer outreach in street-based services to salaried posts in "
    "hospitals, shelters and community health centres in many countries.",
    "In several countries, including Canada, the United Kingdom and Norway, national strategies now "
    "call for people with lived experience to be employed in drug services.",
)
INTRODUCTION_GAPS = (
    "Earlier studies, most of them from North America, described what peers contribute to services and "
    "the strain the work can bring. Few examined how organisations shape that work, and fewer still "
    "heard from clients and non-peer staff alongside peers.",
    "Evaluations have mostly counted contacts, referrals and overdoses reversed. Much less is known "
    "about how peers themselves experience the work, or about what employing organisations do to "
    "support it.",
    "Reviews of peer work have called for studies that look beyond outcomes to the conditions of the "
    "work: how roles are defined, paid and supervised, and how peers are received by colleagues.",
)


def included_introduction(doc: Doc, seed: int) -> list[str]:
    """Three paragraphs, drawn from their own seeded stream (the findings' draws stay as they were)."""
    rng = random.Random(f"{seed}:introduction:{doc.doc_id}")
    aim = rng.choice(P.INCLUDED_AIMS).format(**doc.ctx)
    return [f"{rng.choice(P.INCLUDED_BACKGROUND)} {rng.choice(INTRODUCTION_CONTEXT)}",
            rng.choice(INTRODUCTION_GAPS),
            f"{aim} We drew on the accounts of peers, clients and the staff who work beside them."]


DISCUSSION_INCLUDED = (
    "Our findings add to a growing body of work showing that lived experience is both what "
    "makes peer work effective and what makes it demanding.",
    "Organisations that employ peers need to plan for the emotional and practical demands of "
    "the work rather than treating peers as an add-on to existing teams.",
    "The study was limited to {n_sites} sites in one region, and peers who had left their "
    "jobs were not interviewed.",
)

# Why each kind of near miss fails at full text: (methods, findings heading, findings, discussion).
NEAR_MISS_TEXT: dict[str, tuple[str, str, list[str], str]] = {
    "design": (
        "Design: a quasi-experimental evaluation comparing clients who received {role} support "
        "with clients receiving usual care in {setting_methods} in {place}, {country}. Outcomes "
        "were taken from service records and structured questionnaires. No interviews, focus "
        "groups or open-ended responses were collected or analysed.",
        "Programme outcomes",
        ["Of 412 eligible clients, 236 received {role} support and 176 received usual care.",
         "At six months, {outcome} was higher in the supported group (adjusted odds ratio "
         "1.48, 95% CI 1.02 to 2.15).",
         "Staff questionnaire scores on programme acceptability were high (median 4 of 5)."],
        "The evaluation reports quantitative outcomes only; experiences of peer work were not "
        "examined.",
    ),
    "setting": (
        "Setting: an overdose response programme in {place}, {country}, founded, governed and "
        "staffed by a drug user union. No health authority, hospital or non-profit agency "
        "manages the programme. Data collection: interviews with {n_peers} members.",
        "Running our own response",
        ["Members described deciding together how the site would run and who would work shifts.",
         "The union negotiated funding directly with the city and refused conditions it saw as "
         "controlling."],
        "The study concerns a user-led organisation rather than peers employed in a mainstream "
        "service.",
    ),
    "alcohol": (
        "Setting: recovery programmes for people with alcohol problems in {place}, {country}. "
        "People whose main problem was another drug were referred elsewhere. Data collection: "
        "interviews with {n_peers} peer mentors.",
        "Mentoring in alcohol recovery",
        ["Mentors described accompanying clients to mutual-help meetings and checking in by "
         "phone between sessions.",
         "Clients' drinking goals shaped what mentors talked about with them."],
        "The services studied address alcohol only and fall outside drug-use services.",
    ),
    "population": (
        "Participants: {n_peers} peer support workers employed in community mental health teams "
        "in {place}, {country}. Their lived experience concerned psychiatric illness; none "
        "worked in drug-use or addiction services, and substance use was not part of their "
        "role. Data collection: semi-structured interviews.",
        "Working from experience of mental illness",
        ["Workers described drawing on their own experience of psychosis and depression when "
         "supporting service users.",
         "Team meetings focused on medication, welfare forms and crisis plans."],
        "The workers' lived experience was of mental illness only; drug-use services were not "
        "studied.",
    ),
    "peer_pressure": (
        "Participants: {n_clients} young people aged 15 to 19 in {place}, {country}. In this "
        "study 'peers' means participants' friends and classmates; no participant held a service "
        "role. Data collection: focus groups in schools.",
        "Friends and first use",
        ["Participants described trying cannabis for the first time at parties with older "
         "friends.",
         "Group norms about what was acceptable varied between friendship circles."],
        "The study concerns peer influence among young people, not peer workers.",
    ),
    "secondary": (
        "This article describes how a {role} programme was set up in {setting_methods} in "
        "{place}, {country}: recruitment, role design and planned evaluation. No empirical data "
        "were collected for this paper.",
        "Lessons from setting up the programme",
        ["The programme team drafted role descriptions with a working group of clinicians and "
         "people with lived experience.",
         "Recruitment took longer than planned, and the start date moved twice."],
        "As a programme description, the paper reports no primary research findings.",
    ),
    "language": (
        "[The body of this article is written in {language}; only the title and abstract are "
        "available in English.]",
        "Resultater",
        ["[Findings reported in {language}; no English translation is available.]"],
        "[Discussion in {language}.]",
    ),
    "conference": (
        "Conference abstract presented at the {meeting}, published in a journal supplement. No "
        "full paper reporting methods or findings in detail was found.",
        "Results (abstract only)",
        ["The abstract summarises themes in one paragraph without participant data."],
        "Only the conference abstract is available; it is not a peer-reviewed journal article.",
    ),
}


def header(doc: Doc) -> list[str]:
    """The old manuscript markup's header lines (`render_markup`)."""
    authors = "; ".join(f"{f}, {g}" for f, g in doc.authors) or "[No authors listed]"
    return [f"# {doc.title}", authors, f"{doc.journal.name} {doc.year}", "",
            "## Abstract", doc.abstract or "[No abstract available.]", ""]


def included_findings(doc: Doc, rng: random.Random) -> list[tuple[str, F.Segment | None]]:
    """Themes and segments of an included study: (heading, None) or ('', segment)."""
    out: list[tuple[str, F.Segment | None]] = []
    seen: set[str] = set()

    def push(seg: F.Segment) -> None:
        # One use per study of each lead sentence or quote, whatever its participant label.
        key = seg.text.rsplit(" (", 1)[0].split(". ")[0]
        if key not in seen:
            seen.add(key)
            out.append(("", seg))

    groups = ["BEN", "CHAL", "ORG"]
    if rng.random() < 0.3:
        groups.insert(rng.randint(0, 3), rng.choice(["BEN", "CHAL"]))
    for gi, group in enumerate(groups):
        out.append((rng.choice(F.HEADINGS[group]), None))
        if gi == 0 and rng.random() < 0.6:
            push(F.context_segment(rng))
        codes = rng.sample(THEME_CODES[group], rng.randint(2, min(3, len(THEME_CODES[group]))))
        for code in codes:
            r = rng.random()
            if r < 0.55:
                push(F.author_segment(code, rng))
                push(F.quote_segment(code, rng))
            elif r < 0.8:
                push(F.quote_segment(code, rng))
            else:
                push(F.author_segment(code, rng))
        if rng.random() < 0.5:
            push(F.dual_segment(rng, group))
        if rng.random() < 0.15:
            push(F.context_segment(rng))
    return out


def included_methods(doc: Doc, rng: random.Random) -> list[str]:
    c = doc.ctx
    return [
        f"Design: {c['design']} using {c['collection']}.",
        f"Setting: {c['setting_methods']} in {c['place']}, {c['country']}. The services are run "
        f"by {rng.choice(ORG_TYPES)} and employ {c['roles']} alongside clinical and social "
        "care staff.",
        f"Participants: {c['n_peers']} {c['roles']}, {c['n_clients']} clients and {c['n_staff']} "
        "non-peer staff and managers, recruited purposively through the services.",
        f"Data collection and analysis: {c['collection']} lasting 45 to 90 minutes were audio "
        f"recorded and transcribed; the team used {c['analysis']}, with two researchers coding "
        "independently and meeting to compare codes.",
    ]


@dataclass(frozen=True)
class Content:
    """What a report says, whatever its form: drawn from the document's own seeded streams."""

    introduction: list[str]
    methods: list[str]
    findings: list[tuple[str, F.Segment | None]]   # (theme heading, None) or ('', segment)
    discussion: str
    truth: list[tuple[int, tuple[str, ...]]]       # (segment number, true codes), included studies only


def content(doc: Doc, seed: int) -> Content:
    """The report's text: introduction (included studies), methods, findings and discussion."""
    rng = random.Random(f"{seed}:fulltext:{doc.doc_id}")
    ctx = dict(doc.ctx, language=doc.language[0] if doc.language[1] != "eng" else "Norwegian")
    ctx.setdefault("n_sites", "3")
    if doc.kind == "included":
        intro = included_introduction(doc, seed)
        methods = included_methods(doc, rng)
        found = included_findings(doc, rng)
        truth = [(n, seg.codes) for n, seg in enumerate((s for _, s in found if s is not None), start=1)]
        return Content(intro, methods, found, " ".join(s.format(**ctx) for s in DISCUSSION_INCLUDED), truth)
    kind = doc.kind.removeprefix("cited_")   # a near miss only citation searching finds reads as any other
    key = {"conference_abstract": "conference"}.get(kind, kind.removeprefix("near_miss_"))
    method, heading, paras, discussion = NEAR_MISS_TEXT.get(key, NEAR_MISS_TEXT["design"])
    fill = dict(ctx)
    for k in ("role", "roles", "setting_methods", "place", "country", "outcome", "n_peers",
              "n_clients", "meeting"):
        fill.setdefault(k, "")
    found = [(heading, None)] + [("", F.Segment(p.format(**fill), ())) for p in paras]
    return Content([], [method.format(**fill)], found, discussion.format(**fill), [])


def render_markup(doc: Doc, seed: int) -> tuple[str, list[tuple[int, tuple[str, ...]]]]:
    """The report in the demo's old manuscript markup ('# title', '## Findings', '###' themes),
    paged as `paginate` lays it out, and (segment number, codes) pairs: for tests only."""
    c = content(doc, seed)
    lines = header(doc)
    if c.introduction:
        lines += ["## Introduction", "\n\n".join(c.introduction), ""]
    lines += ["## Methods", "\n\n".join(c.methods), "", "## Findings"]
    for heading, seg in c.findings:
        lines += [f"### {heading}", ""] if seg is None else [seg.text, ""]
    lines += ["## Discussion", c.discussion, ""]
    return paged_text("\n".join(lines)), c.truth


# --------------------------------------------------------------------------- the old markup's pages and PDF

# An author's accepted manuscript (`render_markup`): A4, one column, 12 pt type at 1.5 line spacing.
PAGE_W, PAGE_H = 595.28, 841.89          # A4 in points
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 72.0, 72.0, 72.0
GAP = 18.0                                # blank space between paragraphs
# Line prefix -> (font, size, leading); the markdown-like markers stay in the text (see above).
STYLES = {"# ": ("Helvetica-Bold", 15.0, 21.0), "## ": ("Helvetica-Bold", 13.0, 19.0),
          "### ": ("Helvetica-BoldOblique", 12.0, 18.0), "": ("Helvetica", 12.0, 18.0)}
PAGE_BREAK = "\n\f\n"


def _style(line: str) -> tuple[str, float, float]:
    return next(v for k, v in STYLES.items() if line.startswith(k))


@functools.cache
def _width(word: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(word, font, size)


@functools.lru_cache(maxsize=4096)
def _wrap(line: str) -> tuple[str, ...]:
    """The line broken at spaces to fit the text width (greedy, as a typesetter without hyphenation)."""
    font, size, _ = _style(line)
    room, space = PAGE_W - 2 * MARGIN_X, _width(" ", font, size)
    out: list[str] = []
    words: list[str] = []
    used = 0.0
    for word in line.split(" "):
        w = _width(word, font, size)
        if words and used + space + w > room:
            out.append(" ".join(words))
            words, used = [], 0.0
        used += (space if words else 0.0) + w
        words.append(word)
    out.append(" ".join(words))
    return tuple(out)


def _blocks(text: str) -> list[list[str]]:
    """Paragraphs (runs of non-blank lines); a block ending in a heading is kept with the next."""
    blocks: list[list[str]] = []
    glue = False
    for para in text.replace(PAGE_BREAK, "\n\n").split("\n\n"):
        lines = [ln for ln in para.split("\n") if ln.strip()]
        if not lines:
            continue
        if glue:
            blocks[-1] += [""] + lines
        else:
            blocks.append(lines)
        glue = lines[-1].startswith("#")
    return blocks


def _height(block: list[str]) -> float:
    return sum(GAP if not ln else _style(ln)[2] * len(_wrap(ln)) for ln in block)


def paginate(text: str) -> list[list[list[str]]]:
    """The text's blocks (lists of lines), page by page.

    A manuscript in the old markup (starting '# ') is laid out on its A4 pages (a block taller than a page gets a
    page of its own); any other text (`render`'s) has its pages already: between form feeds."""
    if not text.startswith("# "):
        return [[b.split("\n") for b in page.split("\n\n") if b.strip()] for page in text.split(PAGE_BREAK)]
    room = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
    pages: list[list[list[str]]] = [[]]
    used = 0.0
    for block in _blocks(text):
        h = _height(block)
        if pages[-1] and used + GAP + h > room:
            pages.append([])
            used = 0.0
        used += (GAP if pages[-1] else 0.0) + h
        pages[-1].append(block)
    return pages


def paged_text(text: str) -> str:
    """The text with a form feed (on a line of its own) between pages; paragraphs as they were."""
    return PAGE_BREAK.join("\n\n".join("\n".join(b) for b in page) for page in paginate(text)) + "\n"


def pdf_bytes(text: str) -> bytes:
    """The report as a PDF, page for page as `paginate` lays it out; the same bytes on every run."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    pdf.setTitle(text.split("\n", 1)[0].removeprefix("# ").strip())
    pdf.setAuthor("reviewflow demo")
    pdf.setCreator("reviewflow demo")
    pdf.setProducer("reviewflow demo")
    for page in paginate(text):
        # One text object per page: a line moves down by the leading from the one before or, after a
        # paragraph gap or a change of style, is placed absolutely; fonts are set when they change.
        out = pdf.beginText()
        y, style = PAGE_H - MARGIN_TOP, None
        for i, block in enumerate(page):
            gap = GAP if i else 0.0
            for line in block:
                if not line:
                    gap += GAP
                    continue
                font, size, leading = now = _style(line)
                for part in _wrap(line):
                    y -= leading + gap
                    if now != style:
                        out.setFont(font, size, leading)
                    if gap or now != style:
                        out.setTextOrigin(MARGIN_X, y)
                    else:
                        out.moveCursor(0, leading)
                    out.textOut(part)
                    style, gap = now, 0.0
        pdf.drawText(out)
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


# --------------------------------------------------------------------------- the article

# Cities where authors of each study country work (at invented institutions).
CITIES: dict[str, tuple[str, ...]] = {
    "Canada": ("Vancouver", "Toronto", "Montréal", "Calgary", "Ottawa"),
    "United States": ("Baltimore", "Boston", "Philadelphia", "San Francisco", "Seattle", "Providence", "Lexington",
                      "Columbus"),
    "Australia": ("Sydney", "Melbourne", "Brisbane"),
    "United Kingdom": ("Glasgow", "London", "Cardiff", "Bristol"),
    "Ireland": ("Dublin", "Cork"),
    "Norway": ("Oslo", "Tromsø", "Bergen"),
    "Sweden": ("Malmö", "Stockholm", "Lund"),
    "Denmark": ("Copenhagen", "Aarhus"),
    "France": ("Marseille", "Paris", "Lyon"),
    "Netherlands": ("Amsterdam", "Rotterdam", "Utrecht"),
    "New Zealand": ("Auckland", "Wellington"),
}
# How affiliations print a country: the study's country name is one of these.
COUNTRY_AS_PRINTED = {"United States": ("United States", "USA", "United States of America"),
                      "United Kingdom": ("United Kingdom", "UK")}
DEPARTMENTS = ("School of Population and Public Health", "Department of Social Work",
               "Centre for Addiction Research", "Faculty of Health Sciences", "Department of Psychiatry",
               "School of Nursing", "Institute for Health Services Research", "Department of Sociology",
               "School of Public Health")
INSTITUTIONS = ("University of {city}", "{city} University", "{city} Institute of Public Health",
                "{city} University Hospital")
FUNDERS = {"Canada": "Canadian Institutes of Health Research", "United States": "National Institute on Drug Abuse",
           "Australia": "National Health and Medical Research Council",
           "United Kingdom": "National Institute for Health and Care Research", "Ireland": "Health Research Board",
           "Norway": "Research Council of Norway", "Sweden": "Swedish Research Council",
           "Denmark": "Independent Research Fund Denmark", "France": "French National Research Agency",
           "Netherlands": "ZonMw", "New Zealand": "Health Research Council of New Zealand"}
ARTICLE_TYPES = ("ORIGINAL ARTICLE", "RESEARCH", "Original Research", "Research Article")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

# Reference titles: methods and countries here are not the study's, and a reader must keep them out of it.
REFERENCE_TITLES = (
    "Peer workers' experiences of harm reduction work in {country}: a grounded theory study",
    "Focus groups with people who use drugs about peer-delivered services in {city}",
    "Lived experience in the addiction workforce: a thematic analysis of interviews in {country}",
    "Peer support in opioid treatment services: a systematic review",
    "Overdose response by peer workers at supervised consumption sites in {city}, {country}",
    "Emotional strain among harm reduction workers in {country}: a cross-sectional survey of {n} staff",
    "An ethnographic study of peer outreach in {city}",
    "Peer navigation and hepatitis C treatment uptake: a randomised controlled trial in {country}",
    "Burnout among peer support workers in addiction services: a mixed-methods study",
    "Integrating peer workers into hospital teams in {country}: semi-structured interviews with managers",
    "Photovoice with women who use drugs in {city}",
    "The professionalisation of peer work in drug services: an interpretative phenomenological analysis",
    "Naloxone distribution by peers in {country}: a programme evaluation",
    "Pay and precarity in peer work: a framework analysis of {n} interviews",
    "Disclosure of drug use histories among peer workers in {country}",
    "Peer-delivered harm reduction outside the cities of {country}: focus groups with {n} service users",
)
METHOD_REFERENCES = {
    "reflexive thematic analysis": "Thematic analysis: a practical guide",
    "inductive thematic analysis": "Using thematic analysis in health research",
    "interpretive description": "Interpretive description: qualitative research for applied practice",
    "constructivist grounded theory": "Constructing grounded theory",
    "qualitative content analysis": "Qualitative content analysis in nursing research: concepts and procedures",
    "the framework method": "Using the framework method for the analysis of qualitative data in "
                            "multi-disciplinary health research",
}
PUBLISHERS = (("London", "Sage"), ("New York", "Routledge"), ("Thousand Oaks", "Sage"), ("Oxford", "Wiley-Blackwell"))
CONCLUSIONS = (
    "Peer work brings something to services that they cannot easily obtain in other ways, and it asks a "
    "great deal of the people who do it.",
    "Employers should recognise peer work as skilled work, with the pay, supervision and clarity of role "
    "that follow from that.",
    "Future studies should follow peers over time and include those who have left their posts.",
)
ACKNOWLEDGEMENTS = (
    "We thank the peer workers, clients and staff who gave their time to this study, and the services that "
    "hosted the fieldwork.",
    "The authors are grateful to everyone who took part in the interviews and to the community advisory "
    "group that guided the project.",
)
COMPETING = ("The authors declare that they have no competing interests.", "None declared.",
             "The authors report no conflicts of interest.")
JATS_DOCTYPE = ('<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD '
                'v1.2 20190208//EN" "JATS-archivearticle1.dtd">')
SEC_TYPES = {"intro": "intro", "methods": "methods", "results": "results", "discussion": "discussion",
             "conclusions": "conclusions"}
_QUOTE_SEGMENT = re.compile(r'^"(?P<text>.+)" \((?P<speaker>[^()]+) (?P<n>\d+)\)$', re.S)
_RUN_IN = re.compile(r"^(Design|Setting|Participants|Data collection and analysis): ")
_CITE = re.compile(r"\[(\d+(?:(?:, |\u2013)\d+)*)\]")


@dataclass(frozen=True)
class Quote:
    """A participant quote: the words (without quotation marks) and who said them."""

    text: str
    speaker: str      # 'Peer worker'
    number: int


@dataclass
class Theme:
    heading: str
    blocks: list[str | Quote]      # paragraphs and quotes: one finding segment each


@dataclass
class Section:
    role: str                      # intro | methods | results | discussion | conclusions
    title: str                     # as the journal prints it ('Findings', '3. Results')
    paragraphs: list[str]
    themes: list[Theme] = field(default_factory=list)


@dataclass(frozen=True)
class Affiliation:
    department: str
    institution: str
    city: str
    country: str                   # as printed ('USA')

    def text(self) -> str:
        return f"{self.department}, {self.institution}, {self.city}, {self.country}"


@dataclass(frozen=True)
class Author:
    family: str
    given: str
    affiliations: tuple[int, ...]  # 1-based numbers into Article.affiliations

    @property
    def name(self) -> str:
        return f"{self.given} {self.family}"


@dataclass(frozen=True)
class Reference:
    authors: tuple[tuple[str, str], ...]   # (family, initials)
    etal: bool
    title: str
    source: str                    # the journal's abbreviation, or a book's publisher
    year: int
    volume: str = ""
    issue: str = ""
    fpage: int = 0
    lpage: int = 0
    doi: str = ""
    place: str = ""                # a book's place of publication

    def text(self) -> str:
        """Vancouver style, as medical journals print their references."""
        who = ", ".join(f"{f} {i}" for f, i in self.authors) + (", et al." if self.etal else ".")
        if self.place:
            return f"{who} {self.title}. {self.place}: {self.source}; {self.year}."
        return (f"{who} {self.title}. {self.source}. {self.year};{self.volume}({self.issue}):{self.fpage}\u2013"
                f"{self.lpage}. doi:{self.doi}")


@dataclass(frozen=True)
class Layout:
    """A journal's house style, drawn per document."""

    numbered: bool          # '1. Introduction', '3. Results'
    upper: bool             # section headings in capitals (PDF)
    theme_italic: bool      # theme headings in italic (else bold) body type
    quote_italic: bool      # quotes in italic body type (else smaller roman)
    marks: str              # quotation marks around block quotes: '', '"' or '\u201c'
    attribution: str        # paren '(Peer worker 3)' | pid '(P3, peer worker)' | bracket '[Client 4]' | dash
    apart: bool             # the speaker's label on a line of its own under the quote
    indent: bool            # paragraphs marked by a first-line indent (else by space)
    hyphenate: bool         # long words may break at a hyphen at line ends (PDF)
    sec_types: bool         # JATS <sec sec-type=...> (else titles only)
    structured: bool        # the abstract as Background / Methods / Results / Conclusions, where it can be


def draw_layout(seed: int, doc_id: str) -> Layout:
    r = random.Random(f"{seed}:fulltext:layout:{doc_id}")
    numbered = r.random() < 0.3
    attribution = r.choice(("paren", "pid", "bracket", "dash"))
    return Layout(numbered=numbered, upper=not numbered and r.random() < 0.15, theme_italic=r.random() < 0.35,
                  quote_italic=r.random() < 0.4, marks=r.choice(("", "", "\u201c", '"')), attribution=attribution,
                  apart=r.random() < (0.7 if attribution == "dash" else 0.3), indent=r.random() < 0.5,
                  hyphenate=r.random() < 0.65, sec_types=r.random() < 0.75, structured=r.random() < 0.85)


@dataclass
class Article:
    """A report as a journal publishes it, whatever file it comes in."""

    doc_id: str
    kind: str
    title: str
    journal: P.Journal
    year: int
    volume: str
    issue: str
    pages: str               # '345\u2013360' or an article number
    doi: str
    pmid: str
    article_type: str
    authors: list[Author]
    affiliations: list[Affiliation]
    email: str               # the corresponding (first) author's
    received: tuple[int, int, int]
    accepted: tuple[int, int, int]
    abstract: list[tuple[str, str]]          # (run-in label or '', text)
    keywords: list[str]
    sections: list[Section]
    back: list[tuple[str, str]]              # (heading, text): acknowledgements, funding, competing interests
    references: list[Reference]
    layout: Layout
    truth: list[tuple[int, tuple[str, ...]]]

    def segments(self) -> list[str | Quote]:
        """The finding segments in reading order: segment n is `segments()[n - 1]`."""
        return [b for s in self.sections if s.role == "results" for t in s.themes for b in t.blocks]

    @property
    def short_title(self) -> str:
        words, out = self.title.replace("\u201c", "").replace("\u201d", "").split(), ""
        for w in words:
            if len(out) + len(w) > 48:
                return out.rstrip(":,") + "\u2026"
            out = f"{out} {w}".strip()
        return out

    @property
    def running_authors(self) -> str:
        if not self.authors:
            return ""
        return self.authors[0].family + (" et al." if len(self.authors) > 2 else
                                         f" and {self.authors[1].family}" if len(self.authors) == 2 else "")


def attribution(q: Quote, lay: Layout) -> tuple[str, str]:
    """A quote's speaker label as printed ('(P3, peer worker)') and bare ('P3, peer worker')."""
    bare = f"{q.speaker[0]}{q.number}, {q.speaker.lower()}" if lay.attribution == "pid" else f"{q.speaker} {q.number}"
    printed = {"bracket": f"[{bare}]", "dash": f"\u2014 {bare}"}.get(lay.attribution, f"({bare})")
    return printed, bare


def quoted(q: Quote, lay: Layout) -> str:
    """The quote's words in the journal's quotation marks (many set block quotes without)."""
    return {"": q.text, '"': f'"{q.text}"'}.get(lay.marks, f"\u201c{q.text}\u201d")


def _block(seg: F.Segment) -> str | Quote:
    m = _QUOTE_SEGMENT.match(seg.text)
    return Quote(m["text"], m["speaker"], int(m["n"])) if m else seg.text


@functools.cache
def _aim_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(re.sub(r"\\{\w+\\}|\{\w+\}", ".+?", re.escape(a))) for a in P.INCLUDED_AIMS)


def abstract_parts(abstract: str) -> list[tuple[str, str]]:
    """The abstract as (label, text) parts: Background (with the aim), Methods, Results, Conclusions when its
    labels or its sentences show them; one unlabelled part otherwise."""
    labelled = re.split(r"(?:^| )(BACKGROUND|METHODS|RESULTS|CONCLUSIONS): ", abstract)
    if len(labelled) == 9 and not labelled[0]:
        return [(labelled[i].capitalize(), labelled[i + 1].strip()) for i in range(1, 9, 2)]
    bg = next((b for b in P.INCLUDED_BACKGROUND if abstract.startswith(b)), None)
    res = next((r for r in P.INCLUDED_RESULTS if f" {r} " in abstract), None)
    conc = next((c for c in P.INCLUDED_CONCLUSIONS if abstract.endswith(f" {c}")), None)
    if bg and res and conc:
        middle = abstract[len(bg):abstract.index(f" {res} ")].strip()
        for pat in _aim_patterns():
            m = re.match(pat.pattern + r"\.? (?=[A-Z])", middle)
            if m:
                aim, method = middle[:m.end()].strip(), middle[m.end():].strip()
                return [("Background", f"{bg} {aim}"), ("Methods", method), ("Results", res), ("Conclusions", conc)]
    return [("", abstract)] if abstract else []


def _fold(text: str) -> str:
    """ASCII letters for an e-mail address ('Tomás Øberg' -> 'tomas oberg')."""
    text = text.lower().replace("ø", "o").replace("æ", "ae").replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii() and (c.isalnum() or c in " .-"))


def _front(doc: Doc, r: random.Random) -> tuple[list[Author], list[Affiliation], str]:
    """Authors, affiliations (sometimes one, or all, in another country than the study's) and an e-mail."""
    home = doc.ctx.get("country") if doc.ctx.get("country") in CITIES else r.choice(sorted(CITIES))
    others = [c for c in sorted(CITIES) if c != home]
    n = max(1, min(len(doc.authors), r.choice((1, 1, 2, 2, 3))))
    countries = [home] * n
    roll = r.random()
    if roll < 0.12:
        countries = [r.choice(others)] * n                       # the authors all work abroad
    elif roll < 0.4 and n > 1:
        countries[-1] = r.choice(others)                          # a co-author abroad
    elif roll < 0.55:
        countries[0] = r.choice(others)                           # the first affiliation abroad
    style = r.random()            # a journal prints each country one way ('USA' throughout, or 'United States')
    affs = []
    for country in countries:
        city = r.choice(CITIES[country])
        names = COUNTRY_AS_PRINTED.get(country, (country,))
        affs.append(Affiliation(r.choice(DEPARTMENTS), r.choice(INSTITUTIONS).format(city=city), city,
                                names[int(style * len(names))]))
    authors = []
    for i, (family, given) in enumerate(doc.authors):
        own = {i % n + 1} | ({r.randint(1, n)} if r.random() < 0.25 else set())
        authors.append(Author(family, given, tuple(sorted(own))))
    email = ""
    if authors:
        first = authors[0]
        city = affs[first.affiliations[0] - 1].city
        email = f"{_fold(first.given)[:1]}.{_fold(first.family).replace(' ', '')}@{_fold(city).replace(' ', '')}" \
                ".example.org"     # reserved for examples: never a real person's address
    return authors, affs, email


def _references(doc: Doc, r: random.Random, n: int) -> list[Reference]:
    home = doc.ctx.get("country", "")
    refs = []
    for _ in range(n):
        country = r.choice([c for c in sorted(CITIES) if c != home] if r.random() < 0.8 else sorted(CITIES))
        named = f"the {country}" if country in ("United States", "United Kingdom", "Netherlands") else country
        title = r.choice(REFERENCE_TITLES).format(country=named, city=r.choice(CITIES[country]),
                                                  n=r.randint(12, 480))
        refs.append(_reference(r, title, doc.year))
    return refs


def _reference(r: random.Random, title: str, before: int, book: bool = False) -> Reference:
    k = r.randint(1, 7)
    names = tuple((f, "".join(w[0] for w in r.choice(P.GIVEN_NAMES).split()) + r.choice(("", P.MIDDLE_INITIALS[0],
                                                                                           r.choice(P.MIDDLE_INITIALS))))
                  for f in r.sample(P.FAMILY_NAMES, min(k, 6)))
    year = r.randint(1998, max(1999, before - 1))
    if book:
        place, publisher = r.choice(PUBLISHERS)
        return Reference(names[:2], False, title, publisher, year, place=place)
    journal = r.choice(P.FIELD_JOURNALS)
    fpage = r.randint(12, 1400)
    doi = f"10.5555/{journal.stem}.{year}.{r.randint(100, 99999)}"
    return Reference(names, k > 6, title, journal.medline, year, str(max(1, year - 1960 - r.randint(0, 30))),
                     str(r.randint(1, 12)), fpage, fpage + r.randint(5, 14), doi)


def _cite(numbers: list[int]) -> str:
    if len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"[{numbers[0]}\u2013{numbers[-1]}]"
    return "[" + ", ".join(map(str, numbers)) + "]"


def _with_citation(text: str, cite: str) -> str:
    """`text` with a citation before its final full stop."""
    return f"{text[:-1]} {cite}." if text.endswith(".") else f"{text} {cite}"


def article(doc: Doc, seed: int) -> Article:
    """The report of `doc` as its journal published it (the same every time for a seed)."""
    c = content(doc, seed)
    lay = draw_layout(seed, doc.doc_id)
    r = random.Random(f"{seed}:fulltext:article:{doc.doc_id}")
    authors, affs, email = _front(doc, r)
    fresh = 0

    def cite(k: int) -> str:
        nonlocal fresh
        numbers = list(range(fresh + 1, fresh + k + 1))
        fresh += k
        if fresh - k >= 1 and r.random() < 0.25:
            numbers = sorted({r.randint(1, fresh - k)} | set(numbers))
        return _cite(numbers)

    intro = [_with_citation(p, cite(r.randint(1, 3))) for p in c.introduction]
    methods = list(c.methods)
    analysis = doc.ctx.get("analysis", "")
    if doc.kind == "included" and r.random() < 0.5 and f"used {analysis}," in methods[-1]:
        before = fresh
        methods[-1] = methods[-1].replace(f"used {analysis},", f"used {analysis} {cite(1)},", 1)
        refs_method = (before, METHOD_REFERENCES.get(analysis, "Qualitative research practice"))
    else:
        refs_method = None
    discussion = c.discussion
    if not discussion.startswith("["):                            # not a note in place of a foreign text
        lead, _, rest = discussion.partition(". ")
        discussion = _with_citation(f"{lead}." if rest else lead, cite(r.randint(1, 3))) + (f" {rest}" if rest else "")
    refs = _references(doc, r, fresh)
    if refs_method:
        refs[refs_method[0]] = _reference(r, refs_method[1], doc.year, book=r.random() < 0.5)

    themes: list[Theme] = []
    for heading, seg in c.findings:
        if seg is None:
            themes.append(Theme(heading, []))
        else:
            themes[-1].blocks.append(_block(seg))
    names = {"intro": r.choice(("Background", "Introduction")),
             "methods": r.choice(("Methods", "Methods", "Materials and methods")),
             "results": r.choice(("Results", "Results", "Findings")), "discussion": "Discussion",
             "conclusions": r.choice(("Conclusions", "Conclusion"))}
    parts: list[tuple[str, list[str], list[Theme]]] = []
    if intro:
        parts.append(("intro", intro, []))
    parts += [("methods", methods, []), ("results", [], themes), ("discussion", [discussion], [])]
    if doc.kind == "included":
        parts.append(("conclusions", [" ".join(r.sample(CONCLUSIONS, 2))], []))
    sections = [Section(role, f"{i}. {names[role]}" if lay.numbered else names[role], paras, th)
                for i, (role, paras, th) in enumerate(parts, start=1)]

    country = doc.ctx.get("country", "")
    back = []
    if doc.kind == "included" or r.random() < 0.7:
        thanks = r.choice(ACKNOWLEDGEMENTS) if doc.kind == "included" else "We thank everyone who took part."
        back.append((r.choice(("Acknowledgements", "Acknowledgements", "Acknowledgments")), thanks))
    if country in FUNDERS and r.random() < 0.6:
        grant = r.randint(100000, 999999)
        back.append(("Funding", f"This work was supported by the {FUNDERS[country]} (grant {grant})."))
    back.append((r.choice(("Competing interests", "Competing interests", "Declaration of competing interest")),
                 r.choice(COMPETING)))

    pages = f"{doc.pages[0]}\u2013{doc.pages[1]}" if doc.pages else doc.article_no
    accepted = (doc.year, max(1, doc.month - 1), r.randint(1, 28))
    months = doc.year * 12 + accepted[1] - 1 - r.randint(3, 11)         # under review for some months
    received = (months // 12, months % 12 + 1, r.randint(1, 28))
    if lay.structured or doc.abstract.startswith("BACKGROUND: "):
        abstract = abstract_parts(doc.abstract)
    else:
        abstract = [("", doc.abstract)] if doc.abstract else []
    return Article(doc.doc_id, doc.kind, doc.title, doc.journal, doc.year, doc.volume, doc.issue, pages, doc.doi,
                   doc.pmid, r.choice(ARTICLE_TYPES), authors, affs, email, received, accepted, abstract,
                   list(doc.keywords), sections, back, refs, lay, c.truth)


def _date(d: tuple[int, int, int]) -> str:
    return f"{d[2]} {MONTHS[d[1] - 1]} {d[0]}"


# --------------------------------------------------------------------------- plain text


def plain_text(art: Article) -> str:
    """The report as a team pastes it from a word processor: no markup, headings on lines of their own."""
    lay = art.layout
    out = [art.title, ""]
    if art.authors:
        out.append(", ".join(f"{a.name}{','.join(map(str, a.affiliations))}" for a in art.authors))
        out += [f"{i} {aff.text()}" for i, aff in enumerate(art.affiliations, start=1)]
        out += [f"Correspondence: {art.email}", ""]
    if art.abstract:
        out += ["Abstract", ""]
        out += [x for label, text in art.abstract for x in (f"{label}: {text}" if label else text, "")]
    if art.keywords:
        out += [f"Keywords: {'; '.join(art.keywords)}", ""]
    pad = "    " if lay.indent else ""
    for sec in art.sections:
        out += [sec.title, ""]
        out += [x for p in sec.paragraphs for x in (p, "")]
        for theme in sec.themes:
            out += [theme.heading, ""]
            for b in theme.blocks:
                if isinstance(b, Quote):
                    printed, _ = attribution(b, lay)
                    b = f"{pad}{quoted(b, lay)}" + (f"\n{pad}{printed}" if lay.apart else f" {printed}")
                out += [b, ""]
    for heading, text in art.back:
        out += [heading, "", text, ""]
    if art.references:
        out += ["References", ""] + [f"{i}. {ref.text()}" for i, ref in enumerate(art.references, start=1)]
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------- JATS XML


def jats_xml(art: Article) -> bytes:
    """The report as JATS 1.2 XML (what PMC and Europe PMC serve)."""
    from lxml import etree

    lay = art.layout

    def sub(parent, tag: str, text: str = "", **attrs: str):
        el = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
        if text:
            el.text = text
        return el

    def para(parent, text: str, tag: str = "p"):
        """A paragraph whose bracketed citations '[1, 2]' become <xref>s, a run-in label <bold>."""
        p = sub(parent, tag)
        m = _RUN_IN.match(text)
        last = None
        if m:
            last = sub(p, "bold", m.group(0).strip())
            last.tail, text = " ", text[m.end():]
        pos = 0
        for c in _CITE.finditer(text):
            chunk = text[pos:c.start()] + "["
            if last is None:
                p.text = (p.text or "") + chunk
            else:
                last.tail = (last.tail or "") + chunk
            for j, num in enumerate(re.split(r"(, |\u2013)", c.group(1))):
                if j % 2:
                    last.tail = num
                else:
                    last = sub(p, "xref", num, ref_type="bibr", rid=f"R{num}")
            last.tail = (last.tail or "") + "]"
            pos = c.end()
        if last is None:
            p.text = (p.text or "") + text[pos:]
        else:
            last.tail = (last.tail or "") + text[pos:]
        return p

    root = etree.Element("article", {"article-type": "research-article", "dtd-version": "1.2",
                                     "{http://www.w3.org/XML/1998/namespace}lang": "en"},
                         nsmap={"xlink": "http://www.w3.org/1999/xlink", "mml": "http://www.w3.org/1998/Math/MathML"})
    front = sub(root, "front")
    jm = sub(front, "journal-meta")
    sub(jm, "journal-id", art.journal.medline, journal_id_type="nlm-ta")
    sub(jm, "journal-id", art.journal.iso, journal_id_type="iso-abbrev")
    sub(sub(jm, "journal-title-group"), "journal-title", art.journal.name)
    am = sub(front, "article-meta")
    if art.pmid:
        sub(am, "article-id", art.pmid, pub_id_type="pmid")
    sub(am, "article-id", art.doi, pub_id_type="doi")
    categories = sub(sub(am, "article-categories"), "subj-group", subj_group_type="heading")
    sub(categories, "subject", art.article_type.title())
    sub(sub(am, "title-group"), "article-title", art.title)
    if art.authors:
        cg = sub(am, "contrib-group")
        for i, a in enumerate(art.authors):
            contrib = sub(cg, "contrib", contrib_type="author", **({"corresp": "yes"} if i == 0 else {}))
            name = sub(contrib, "name")
            sub(name, "surname", a.family)
            sub(name, "given-names", a.given)
            for n in a.affiliations:
                sub(contrib, "xref", str(n), ref_type="aff", rid=f"aff{n}")
        for n, aff in enumerate(art.affiliations, start=1):
            el = sub(cg, "aff", id=f"aff{n}")
            sub(el, "label", str(n))
            sub(el, "institution", f"{aff.department}, {aff.institution}").tail = f", {aff.city}, "
            sub(el, "country", aff.country)
        corresp = sub(sub(am, "author-notes"), "corresp", "Correspondence: ", id="cor1")
        sub(corresp, "email", art.email)
    date = sub(am, "pub-date", pub_type="epub")
    sub(date, "month", str(art.accepted[1]))
    sub(date, "year", str(art.year))
    sub(am, "volume", art.volume)
    sub(am, "issue", art.issue)
    if "\u2013" in art.pages:
        fpage, lpage = art.pages.split("\u2013")
        sub(am, "fpage", fpage)
        sub(am, "lpage", lpage)
    elif art.pages:
        sub(am, "elocation-id", art.pages)
    history = sub(am, "history")
    for kind, d in (("received", art.received), ("accepted", art.accepted)):
        el = sub(history, "date", date_type=kind)
        for tag, v in zip(("day", "month", "year"), (d[2], d[1], d[0]), strict=True):
            sub(el, tag, str(v))
    perm = sub(am, "permissions")
    sub(perm, "copyright-statement", f"\u00a9 {art.year} The Author(s)")
    sub(perm, "copyright-year", str(art.year))
    if art.abstract:
        ab = sub(am, "abstract")
        for label, text in art.abstract:
            if label:
                s = sub(ab, "sec")
                sub(s, "title", label)
                sub(s, "p", text)
            else:
                sub(ab, "p", text)
    if art.keywords:
        kg = sub(am, "kwd-group", kwd_group_type="author")
        sub(kg, "title", "Keywords")
        for k in art.keywords:
            sub(kg, "kwd", k)

    body = sub(root, "body")
    for i, sec in enumerate(art.sections, start=1):
        el = sub(body, "sec", id=f"sec{i}", **({"sec_type": SEC_TYPES[sec.role]} if lay.sec_types else {}))
        sub(el, "title", sec.title)
        for p in sec.paragraphs:
            para(el, p)
        for j, theme in enumerate(sec.themes, start=1):
            ts = sub(el, "sec", id=f"sec{i}.{j}")
            sub(ts, "title", theme.heading)
            for b in theme.blocks:
                if isinstance(b, Quote):
                    printed, bare = attribution(b, lay)
                    dq = sub(ts, "disp-quote")
                    if lay.apart or lay.attribution != "paren":
                        sub(dq, "p", quoted(b, lay))
                        sub(dq, "attrib", bare)
                    else:
                        sub(dq, "p", f"{quoted(b, lay)} {printed}")
                else:
                    para(ts, b)
    back = sub(root, "back")
    for heading, text in art.back:
        if heading.startswith("Ack"):
            ack = sub(back, "ack")
            sub(ack, "title", heading)
            sub(ack, "p", text)
        elif heading == "Funding":
            s = sub(back, "sec", sec_type="funding")
            sub(s, "title", heading)
            sub(s, "p", text)
        else:
            fn = sub(sub(back, "fn-group"), "fn", fn_type="COI-statement")
            sub(fn, "p", text)
    rl = sub(back, "ref-list") if art.references else None
    if rl is not None:
        sub(rl, "title", "References")
    for n, ref in enumerate(art.references, start=1):
        el = sub(rl, "ref", id=f"R{n}")
        sub(el, "label", str(n))
        cit = sub(el, "element-citation", publication_type="book" if ref.place else "journal")
        pg = sub(cit, "person-group", person_group_type="author")
        for family, initials in ref.authors:
            name = sub(pg, "name")
            sub(name, "surname", family)
            sub(name, "given-names", initials)
        if ref.etal:
            sub(pg, "etal")
        if ref.place:
            sub(cit, "source", ref.title)
            sub(cit, "publisher-loc", ref.place)
            sub(cit, "publisher-name", ref.source)
            sub(cit, "year", str(ref.year))
        else:
            sub(cit, "article-title", ref.title)
            sub(cit, "source", ref.source)
            sub(cit, "year", str(ref.year))
            sub(cit, "volume", ref.volume)
            sub(cit, "issue", ref.issue)
            sub(cit, "fpage", str(ref.fpage))
            sub(cit, "lpage", str(ref.lpage))
            sub(cit, "pub-id", ref.doi, pub_id_type="doi")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", doctype=JATS_DOCTYPE, pretty_print=True)


# --------------------------------------------------------------------------- DOCX


def _fixed_zip(data: bytes, when: tuple[int, int, int, int, int, int]) -> bytes:
    """The zip rewritten with every entry dated `when` (python-docx dates entries with the clock)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def docx_bytes(art: Article) -> bytes:
    """The report as a Word document (the authors' own file, as some repositories hold it)."""
    import datetime

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    lay = art.layout
    d = docx.Document()
    stamp = (*art.accepted, 9, 30, 0)      # the accepted manuscript's date: the same on every run
    cp = d.core_properties
    cp.title, cp.subject = art.title, f"{art.journal.name} {art.year}"
    cp.author = "; ".join(a.name for a in art.authors)
    cp.keywords = "; ".join(art.keywords)
    cp.last_modified_by, cp.revision = cp.author[:60] or "author", 1
    cp.created = cp.modified = datetime.datetime(*stamp)
    d.add_paragraph(art.title, style="Title")
    if art.authors:
        p = d.add_paragraph()
        for i, a in enumerate(art.authors):
            p.add_run(("" if i == 0 else ", ") + a.name)
            p.add_run(",".join(map(str, a.affiliations)) + ("*" if i == 0 else "")).font.superscript = True
        for n, aff in enumerate(art.affiliations, start=1):
            p = d.add_paragraph()
            p.add_run(str(n)).font.superscript = True
            p.add_run(f" {aff.text()}").font.size = Pt(9)
        d.add_paragraph(f"*Correspondence: {art.email}").runs[0].font.size = Pt(9)
    if art.abstract:
        d.add_heading("Abstract", level=1)
        for label, text in art.abstract:
            p = d.add_paragraph()
            if label:
                p.add_run(f"{label}: ").bold = True
            p.add_run(text)
    if art.keywords:
        p = d.add_paragraph()
        p.add_run("Keywords: ").bold = True
        p.add_run("; ".join(art.keywords))
    for sec in art.sections:
        d.add_heading(sec.title, level=1)
        for text in sec.paragraphs:
            p = d.add_paragraph()
            m = _RUN_IN.match(text)
            if m:
                p.add_run(m.group(0)).bold = True
                text = text[m.end():]
            p.add_run(text)
        for theme in sec.themes:
            d.add_heading(theme.heading, level=2)
            for b in theme.blocks:
                if not isinstance(b, Quote):
                    d.add_paragraph(b)
                    continue
                printed, _ = attribution(b, lay)
                if lay.apart:
                    d.add_paragraph(quoted(b, lay), style="Quote")
                    d.add_paragraph(printed, style="Quote").alignment = WD_ALIGN_PARAGRAPH.RIGHT
                else:
                    d.add_paragraph(f"{quoted(b, lay)} {printed}", style="Quote")
    for heading, text in art.back:
        d.add_heading(heading, level=1)
        d.add_paragraph(text)
    if art.references:
        d.add_heading("References", level=1)
    for n, ref in enumerate(art.references, start=1):
        d.add_paragraph(f"{n}. {ref.text()}").runs[0].font.size = Pt(9)
    buf = io.BytesIO()
    d.save(buf)
    return _fixed_zip(buf.getvalue(), stamp)


# --------------------------------------------------------------------------- journal PDF

PDF_MARGIN_X, PDF_TOP, PDF_BOTTOM, COLUMN_GAP = 50.0, 64.0, 58.0, 18.0
FOOT_Y = 30.0
_VOWELS = set("aeiouy")


def _shy(text: str) -> str:
    """Soft hyphens in long words where a typesetter may break them: between two consonants ('inter-views') or
    before a consonant between vowels ('organi-sations'); reportlab breaks a word at one only when the line
    needs it, and prints the hyphen then."""
    def one(m: re.Match[str]) -> str:
        w = m.group(0)
        low = w.lower()

        def vowel(i: int) -> bool:
            return low[i] in _VOWELS

        cuts = [i for i in range(3, len(w) - 3)
                if (not vowel(i - 1) and not vowel(i) and vowel(i - 2) and vowel(i + 1)
                    and low[i - 1:i + 1] not in ("th", "ch", "sh", "ph", "wh", "gh", "ck"))
                or (vowel(i - 1) and not vowel(i) and vowel(i + 1))]
        out, last = [], 0
        for i in cuts:
            if i - last >= 2:
                out.append(w[last:i])
                last = i
        return "\xad".join([*out, w[last:]])

    return re.sub(r"(?<![\w-])[A-Za-z]{8,}(?![\w-])", one, text)


def _join_lines(lines: list[str], words: frozenset[str]) -> str:
    """A paragraph's lines as one text: a hyphen at a line end is undone when it split a word."""
    out = ""
    for ln in lines:
        ln = ln.replace("\xad", "").strip()
        if not ln:
            continue
        if out.endswith("-"):
            head, first = out.rsplit(" ", 1)[-1], ln.split(" ", 1)[0]
            if head[:-1] + first in words:
                out = out[:-1] + ln
                continue
            if head + first in words:
                out += ln
                continue
        out = f"{out} {ln}" if out else ln
    return re.sub(r"\s+", " ", out)


class _PageText:
    """What each PDF page shows, paragraph by paragraph, as platypus draws them: a paragraph continued in the
    next column is one text, one continued on the next page is split there (as the pages show it)."""

    def __init__(self) -> None:
        self.parts: dict[int, list[tuple[int, list[str], frozenset[str]]]] = {}

    def add(self, page: int, key: int, lines: list[str], words: frozenset[str]) -> None:
        on_page = self.parts.setdefault(page, [])
        if on_page and on_page[-1][0] == key:
            on_page[-1][1].extend(lines)
        else:
            on_page.append((key, list(lines), words))

    def pages(self) -> list[list[str]]:
        last = max(self.parts, default=0)
        return [[t for _, lines, words in self.parts.get(n, []) if (t := _join_lines(lines, words))]
                for n in range(1, last + 1)]


@functools.cache
def _recorded_paragraph():
    """A platypus Paragraph that tells a `_PageText` which page it (or each part of it) was drawn on."""
    from reportlab.platypus import Paragraph

    class Recorded(Paragraph):
        record: _PageText | None = None
        key = 0
        words: frozenset[str] = frozenset()

        def split(self, availWidth, availHeight):  # noqa: N803 (reportlab's names)
            parts = super().split(availWidth, availHeight)
            for part in parts:
                part.record, part.key, part.words = self.record, self.key, self.words
            return parts

        def draw(self):
            super().draw()
            bl = self.blPara
            if bl.kind == 0:
                lines = [" ".join(str(w) for w in line[1]) for line in bl.lines]
            else:
                lines = ["".join(getattr(f, "text", "") for f in line.words) for line in bl.lines]
            if self.record is not None:
                self.record.add(self.canv.getPageNumber(), self.key, lines, self.words)

    return Recorded


def _pdf_styles(lay: Layout) -> dict:
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle as S

    hy = {"embeddedHyphenation": 2 if lay.hyphenate else 0, "hyphenationLang": ""}
    body = S("body", fontName="Times-Roman", fontSize=9.5, leading=11.6, alignment=TA_JUSTIFY,
             firstLineIndent=11 if lay.indent else 0, spaceBefore=0 if lay.indent else 5, **hy)
    quote_font = ("Times-Italic", 9.5, 11.6) if lay.quote_italic else ("Times-Roman", 8.5, 10.4)
    quote = S("quote", parent=body, fontName=quote_font[0], fontSize=quote_font[1], leading=quote_font[2],
              leftIndent=12, rightIndent=8, firstLineIndent=0, spaceBefore=5, spaceAfter=1 if lay.apart else 5)
    return {
        "type": S("type", fontName="Helvetica", fontSize=7.5, leading=10, spaceAfter=6),
        "title": S("title", fontName="Times-Bold", fontSize=16, leading=19.5, spaceAfter=9),
        "authors": S("authors", fontName="Times-Roman", fontSize=10.5, leading=13, spaceAfter=5),
        "aff": S("aff", fontName="Times-Roman", fontSize=7.5, leading=9.2),
        "corr": S("corr", fontName="Times-Italic", fontSize=7.5, leading=9.2, spaceBefore=3),
        "dates": S("dates", fontName="Helvetica", fontSize=7, leading=9, spaceBefore=5, spaceAfter=4),
        "abs_head": S("abs_head", fontName="Helvetica-Bold", fontSize=9.5, leading=12, spaceBefore=4, spaceAfter=3),
        "abs": S("abs", fontName="Times-Roman", fontSize=9, leading=11, alignment=TA_JUSTIFY, spaceAfter=3),
        "kw": S("kw", fontName="Times-Roman", fontSize=8.5, leading=10.5, spaceBefore=3, spaceAfter=6),
        "h1": S("h1", fontName="Helvetica-Bold", fontSize=10.5, leading=13, spaceBefore=11, spaceAfter=4,
                keepWithNext=1, alignment=TA_LEFT),
        "h2": S("h2", fontName="Times-Italic" if lay.theme_italic else "Times-Bold", fontSize=9.5, leading=11.6,
                spaceBefore=7, spaceAfter=2, keepWithNext=1, alignment=TA_LEFT),
        "body": body,
        "first": S("first", parent=body, firstLineIndent=0),
        "quote": quote,
        "attrib": S("attrib", parent=quote, alignment=TA_RIGHT, spaceBefore=0, spaceAfter=5),
        "back_h": S("back_h", fontName="Helvetica-Bold", fontSize=8.5, leading=10.5, spaceBefore=8, spaceAfter=2,
                    keepWithNext=1),
        "back": S("back", fontName="Times-Roman", fontSize=8, leading=10, alignment=TA_LEFT),
        "ref": S("ref", fontName="Times-Roman", fontSize=7.5, leading=9.2, leftIndent=12, firstLineIndent=-12,
                 spaceAfter=1.5, alignment=TA_LEFT),
    }


def pdf_article(art: Article) -> tuple[bytes, list[list[str]]]:
    """The report as its journal's PDF, and what each page shows (one string a paragraph, or part of one)."""
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, NextPageTemplate, PageTemplate
    from reportlab.platypus.flowables import HRFlowable

    lay = art.layout
    st = _pdf_styles(lay)
    record = _PageText()
    recorded = _recorded_paragraph()
    made: list = []

    def para(markup: str, style: str, plain: str):
        p = recorded(markup, st[style])
        p.record, p.key, p.words = record, len(made), frozenset(plain.split())
        made.append(p)
        return p

    def text(plain: str, style: str, bold: str = "") -> object:
        body = _shy(escape(plain)) if lay.hyphenate and style in ("body", "first", "quote") else escape(plain)
        return para(f"<b>{escape(bold)}</b> {body}" if bold else body, style, f"{bold} {plain}")

    front = [para(escape(art.article_type), "type", art.article_type), para(escape(art.title), "title", art.title)]
    if art.authors:
        names = [f"{escape(a.name)}<super>{','.join(map(str, a.affiliations))}{'*' if i == 0 else ''}</super>"
                 for i, a in enumerate(art.authors)]
        plain = ", ".join(f"{a.name}{','.join(map(str, a.affiliations))}" for a in art.authors)
        front.append(para(", ".join(names), "authors", plain))
        front += [para(f"<super>{n}</super> {escape(aff.text())}", "aff", f"{n} {aff.text()}")
                  for n, aff in enumerate(art.affiliations, start=1)]
        front.append(para(f"*Correspondence: {escape(art.email)}", "corr", f"*Correspondence: {art.email}"))
    dates = f"Received: {_date(art.received)} / Accepted: {_date(art.accepted)}"
    front.append(para(dates, "dates", dates))
    front.append(HRFlowable(width="100%", thickness=0.5, spaceBefore=2, spaceAfter=4))
    if art.abstract:
        front.append(para("Abstract", "abs_head", "Abstract"))
        front += [text(t, "abs", label) for label, t in art.abstract]
    if art.keywords:
        front.append(text(" \u00b7 ".join(art.keywords), "kw", "Keywords"))
    front.append(HRFlowable(width="100%", thickness=0.5, spaceBefore=2, spaceAfter=0))

    body: list = []
    for sec in art.sections:
        title = sec.title.upper() if lay.upper else sec.title
        body.append(para(escape(title), "h1", title))
        style = "first"
        for p in sec.paragraphs:
            m = _RUN_IN.match(p)
            body.append(text(p[m.end():], style, m.group(0).strip()) if m else text(p, style))
            style = "body"
        for theme in sec.themes:
            body.append(para(escape(theme.heading), "h2", theme.heading))
            style = "first"
            for b in theme.blocks:
                if isinstance(b, Quote):
                    printed, _ = attribution(b, lay)
                    if lay.apart:
                        body += [text(quoted(b, lay), "quote"), para(escape(printed), "attrib", printed)]
                    else:
                        body.append(text(f"{quoted(b, lay)} {printed}", "quote"))
                    style = "first"
                else:
                    body.append(text(b, style))
                    style = "body"
    for heading, t in art.back:
        body += [para(escape(heading), "back_h", heading), para(escape(t), "back", t)]
    if art.references:
        body.append(para("References", "h1", "References"))
    body += [para(f"{n}. {escape(ref.text())}", "ref", f"{n}. {ref.text()}")
             for n, ref in enumerate(art.references, start=1)]

    page_w, page_h = PAGE_W, PAGE_H
    full = page_w - 2 * PDF_MARGIN_X
    col = (full - COLUMN_GAP) / 2
    top = page_h - PDF_TOP
    need = sum(f.wrap(full, page_h)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in front) + 6

    def columns(height: float, tag: str) -> list:
        return [Frame(PDF_MARGIN_X + i * (col + COLUMN_GAP), PDF_BOTTOM, col, height, leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0, id=f"{tag}{i}") for i in (0, 1)]

    journal_line = f"{art.journal.name} ({art.year}) {art.volume}:{art.pages}"

    def furniture(canv, doc) -> None:
        n = canv.getPageNumber()
        canv.saveState()
        canv.setLineWidth(0.4)
        if n == 1:
            canv.setFont("Helvetica-Bold", 8)
            canv.drawString(PDF_MARGIN_X, page_h - 40, art.journal.name)
            canv.setFont("Helvetica", 7.5)
            canv.drawRightString(page_w - PDF_MARGIN_X, page_h - 40, f"{art.year}, Vol. {art.volume}({art.issue}) "
                                 f"{art.pages}")
            canv.drawString(PDF_MARGIN_X, page_h - 50, f"https://doi.org/{art.doi}")
            canv.setFont("Helvetica", 6.5)
            canv.drawString(PDF_MARGIN_X, FOOT_Y + 10, f"\u00a9 {art.year} The Author(s). Published by the "
                            f"journal's publisher.")
        else:
            canv.setFont("Helvetica", 7.5)
            left, right = journal_line, f"{art.running_authors}: {art.short_title}".lstrip(": ")
            if n % 2:
                left, right = right, left
            canv.drawString(PDF_MARGIN_X, page_h - 40, left)
            canv.drawRightString(page_w - PDF_MARGIN_X, page_h - 40, right)
        canv.line(PDF_MARGIN_X, page_h - 44 if n > 1 else page_h - 54, page_w - PDF_MARGIN_X,
                  page_h - 44 if n > 1 else page_h - 54)
        canv.setFont("Helvetica", 8)
        canv.drawCentredString(page_w / 2, FOOT_Y - 6, str(n))
        canv.restoreState()

    first = [Frame(PDF_MARGIN_X, top - need, full, need, leftPadding=0, rightPadding=0, topPadding=0,
                   bottomPadding=0, id="front"), *columns(top - need - 8 - PDF_BOTTOM, "first")]
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=(page_w, page_h), leftMargin=PDF_MARGIN_X, rightMargin=PDF_MARGIN_X,
                          topMargin=PDF_TOP, bottomMargin=PDF_BOTTOM, title=art.title,
                          author=", ".join(a.name for a in art.authors), subject=journal_line,
                          keywords=art.keywords, creator="reviewflow demo", producer="reviewflow demo",
                          invariant=1, pageCompression=1)
    doc.addPageTemplates([PageTemplate("first", first, onPage=furniture),
                          PageTemplate("later", columns(top - PDF_BOTTOM - 6, "col"), onPage=furniture)])
    doc.build([NextPageTemplate("later"), *front, FrameBreak(), *body])
    return buf.getvalue(), record.pages()


# --------------------------------------------------------------------------- forms and pages

# How the reports come, drawn per document: (form, share); the file's extension is the form's.
FORMAT_SHARES: tuple[tuple[str, float], ...] = (("pdf", 0.45), ("xml", 0.30), ("docx", 0.15), ("txt", 0.10))
EXTENSIONS = {"pdf": ".pdf", "xml": ".xml", "docx": ".docx", "txt": ".txt"}


def fulltext_format(seed: int, doc_id: str) -> str:
    """The form this document's report comes in: pdf | xml | docx | txt (seeded per document)."""
    x = random.Random(f"{seed}:fulltext:format:{doc_id}").random()
    for form, share in FORMAT_SHARES:
        if x < share:
            return form
        x -= share
    return FORMAT_SHARES[-1][0]


def write_article(art: Article, form: str) -> bytes:
    """The article's file in `form`."""
    if form == "pdf":
        return pdf_article(art)[0]
    if form == "xml":
        return jats_xml(art)
    if form == "docx":
        return docx_bytes(art)
    return plain_text(art).encode("utf-8")


def fulltext_file(doc: Doc, seed: int) -> tuple[str, bytes, list[tuple[int, tuple[str, ...]]]]:
    """The report's file as the journal delivers it: (extension, bytes, (segment number, codes) pairs)."""
    form = fulltext_format(seed, doc.doc_id)
    art = article(doc, seed)
    return EXTENSIONS[form], write_article(art, form), art.truth


def render(doc: Doc, seed: int) -> tuple[str, list[tuple[int, tuple[str, ...]]]]:
    """What the report says, page by page, and (segment number, codes) pairs for included studies.

    A PDF report: the text each page shows (paragraphs, or their parts on that page, separated by blank lines;
    pages by a form feed on a line of its own); a report in another form: its plain text, one page. `paginate`
    reads the pages back."""
    art = article(doc, seed)
    if fulltext_format(seed, doc.doc_id) == "pdf":
        _, pages = pdf_article(art)
        return PAGE_BREAK.join("\n\n".join(page) for page in pages) + "\n", art.truth
    return plain_text(art), art.truth
