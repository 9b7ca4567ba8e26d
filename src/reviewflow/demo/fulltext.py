"""Full reports for documents that reach full-text assessment, with true finding codes.

Layout (the coding stage relies on it): '# title', authors line, 'journal year', then
'## Abstract', ('## Introduction' in included studies), '## Methods', '## Findings' ('###' theme
headings, segments separated by blank lines), '## Discussion'.

A report is laid out on A4 pages as a publisher's PDF would be (`paginate`): the plain text has a
form feed between pages, as `pdftotext` writes, and `pdf_bytes` draws the same pages as a PDF
(reportlab, standard fonts, no timestamps: byte-identical on every run), so both forms of a report
cite the same page numbers. Paragraphs are never split across pages, and a heading stays with
the paragraph after it.
"""

from __future__ import annotations

import functools
import io
import random

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


def render(doc: Doc, seed: int) -> tuple[str, list[tuple[int, tuple[str, ...]]]]:
    """The full text of `doc` and, for included studies, (segment number, codes) pairs."""
    rng = random.Random(f"{seed}:fulltext:{doc.doc_id}")
    lines = header(doc)
    truth: list[tuple[int, tuple[str, ...]]] = []
    ctx = dict(doc.ctx, language=doc.language[0] if doc.language[1] != "eng" else "Norwegian")
    ctx.setdefault("n_sites", "3")
    if doc.kind == "included":
        lines += ["## Introduction", "\n\n".join(included_introduction(doc, seed)), ""]
        lines += ["## Methods", "\n\n".join(included_methods(doc, rng)), "", "## Findings"]
        n = 0
        for heading, seg in included_findings(doc, rng):
            if seg is None:
                lines += [f"### {heading}", ""]
                continue
            n += 1
            truth.append((n, seg.codes))
            lines += [seg.text, ""]
        disc = " ".join(s.format(**ctx) for s in DISCUSSION_INCLUDED)
        lines += ["## Discussion", disc, ""]
        return paged_text("\n".join(lines)), truth
    key = {"conference_abstract": "conference"}.get(doc.kind, doc.kind.removeprefix("near_miss_"))
    methods, heading, paras, discussion = NEAR_MISS_TEXT.get(key, NEAR_MISS_TEXT["design"])
    fill = dict(ctx)
    for k in ("role", "roles", "setting_methods", "place", "country", "outcome", "n_peers",
              "n_clients", "meeting"):
        fill.setdefault(k, "")
    lines += ["## Methods", methods.format(**fill), "", "## Findings", f"### {heading}", ""]
    for p in paras:
        lines += [p.format(**fill), ""]
    lines += ["## Discussion", discussion.format(**fill), ""]
    return paged_text("\n".join(lines)), truth


# --------------------------------------------------------------------------- pages and PDF

# An author's accepted manuscript: A4, one column, 12 pt type at 1.5 line spacing.
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
    """The text's blocks, page by page (a block taller than a page gets a page of its own)."""
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
