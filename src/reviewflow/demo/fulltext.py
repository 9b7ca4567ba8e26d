"""Plain-text full reports for documents that reach full-text assessment, with true finding codes.

Layout (the coding stage relies on it): '# title', authors line, 'journal year', then
'## Abstract', '## Methods', '## Findings' ('###' theme headings, segments separated by blank
lines), '## Discussion'.
"""

from __future__ import annotations

import random

from reviewflow.demo import findings as F
from reviewflow.demo.corpus import Doc

THEME_CODES = {
    "BEN": ("BEN.CLIENT", "BEN.ORG", "BEN.SOC", "BEN.GROWTH"),
    "CHAL": ("CHAL.TRIGGER", "CHAL.BOUNDARY", "CHAL.TRAPPED", "CHAL.ROLE", "CHAL.PRECARITY"),
    "ORG": ("ORG.MISSION", "ORG.CULTURE", "ORG.STRUCTURE"),
}
ORG_TYPES = ("a regional health authority", "a non-profit community health agency",
             "a university hospital", "a municipal public health department",
             "a national addiction treatment provider")
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
        return "\n".join(lines), truth
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
    return "\n".join(lines), truth
