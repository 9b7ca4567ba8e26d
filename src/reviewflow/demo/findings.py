"""Our own phrase bank for finding segments, keyed by codebook subtheme, and its composition.

Every sentence paraphrases a subtheme's meaning without the codebook's indicator phrases, so
that coding the demo tests meaning rather than keyword matching.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# Author interpretations: a lead sentence and a supporting sentence are combined per segment.
AUTHOR_LEADS: dict[str, tuple[str, ...]] = {
    "BEN.CLIENT": (
        "Clients often said they opened up to peers sooner than to clinicians because peers had "
        "lived through the same things.",
        "Peers described walking clients through intake, appointments and paperwork that had "
        "previously put them off services.",
        "For many clients, a worker who had used drugs made a first visit feel less risky.",
        "Participants explained that peers could put clinical advice into street language that "
        "clients actually took in.",
        "Peers were described as the people clients sought out when something went wrong.",
    ),
    "BEN.ORG": (
        "Managers credited peers with bringing in people the service had never managed to see.",
        "Non-peer staff reported that working beside peers changed how they spoke to and about "
        "clients.",
        "Peers were often the ones who noticed when a new rule kept people away and told managers "
        "why.",
        "Several sites could only open longer hours because peers filled most of the shifts.",
        "Staff described peers as go-betweens who calmed tense moments at the front desk before "
        "they escalated.",
    ),
    "BEN.SOC": (
        "Peers saw their overdose response as keeping people alive where no one else would.",
        "Participants framed peer work as proof to the wider public that people who use drugs "
        "are capable and worth investing in.",
        "Peers linked their daily work to a broader fight for fair treatment of people who use "
        "drugs in their city.",
        "Several peers described neighbourhood networks that they had built up through the job.",
    ),
    "BEN.GROWTH": (
        "For many peers, the job gave structure to their days and a reason to stay well.",
        "Peers described learning new skills, from first aid to running groups, that they had "
        "not imagined having.",
        "Participants spoke of pride in being given responsibility after years of being "
        "written off.",
        "Some peers saw the role as a way into further study or other jobs in health and social "
        "services.",
        "Turning a painful past into something useful to others was a recurring source of pride.",
    ),
    "CHAL.TRIGGER": (
        "Responding to overdoses and deaths brought peers' own histories uncomfortably close.",
        "Peers described the weight of attending funerals of clients they had known for years.",
        "Handling drug paraphernalia and watching people use stirred up old urges for some peers.",
        "Participants told of carrying clients' crises with them long after a shift ended, "
        "leaving them drained.",
        "Several peers had gone back to using for a period, which they connected to the strain "
        "of the work.",
    ),
    "CHAL.BOUNDARY": (
        "Because peers worked in the communities they came from, clients were often old "
        "acquaintances, neighbours or relatives.",
        "Peers struggled to decide how much of their own past to reveal to clients and "
        "colleagues.",
        "Clients knew where peers lived and sought them out on weekends and late at night.",
        "Peers described not knowing where helping a friend ended and doing their job began.",
    ),
    "CHAL.TRAPPED": (
        "Peers felt that colleagues saw their drug history first and their skills second.",
        "Participants described being invited to meetings for show while their suggestions were "
        "brushed aside.",
        "Several peers felt that the peer title confined them to one kind of job with nowhere "
        "to go from there.",
        "Peers sensed that they were expected to keep performing their past to justify their "
        "place in the service.",
    ),
    "CHAL.ROLE": (
        "Peers and managers gave very different accounts of what peers were supposed to do.",
        "Peers were asked to do whatever needed doing, from cleaning to crisis response, with "
        "no clear limits.",
        "Clinicians were often unsure which tasks they could hand over to peers.",
    ),
    "CHAL.PRECARITY": (
        "Most peers were paid by the hour on short contracts or in gift cards, with little "
        "certainty from one month to the next.",
        "Peers earned a fraction of what non-peer staff earned for overlapping work.",
        "Peers described going to work unwell because a missed shift meant a missed payment.",
        "Short-term grants meant peer positions could disappear with a few weeks' notice.",
    ),
    "ORG.MISSION": (
        "Where a service was committed to meeting people where they were, peers felt their "
        "approach fitted in.",
        "Peers in abstinence-based programmes described a clash between the rules and their own "
        "approach to drug use.",
        "Participants contrasted leaders who meant what they said about lived experience with "
        "those who only put it on posters.",
    ),
    "ORG.CULTURE": (
        "Peers noticed small signs of exclusion, such as separate break rooms or being left off "
        "team emails.",
        "Some clinicians spoke about peers with suspicion and questioned whether they could be "
        "relied on.",
        "Where managers openly praised what peers knew, peers felt equal to other staff.",
        "Peers described a pecking order in which clinical credentials counted for more than "
        "knowing the street.",
    ),
    "ORG.STRUCTURE": (
        "Peers asked for regular check-ins with someone who understood the work, which few sites "
        "offered.",
        "Few organisations had a routine for talking things through after a difficult overdose "
        "response.",
        "Strict rules on past convictions and drug use shut out many of the people best placed "
        "to do the work.",
        "Peers wanted preparation courses, written duties and a pay scale that matched other "
        "roles.",
    ),
}

AUTHOR_SUPPORTS: dict[str, tuple[str, ...]] = {
    "BEN.CLIENT": (
        "This shared history made it easier for clients to come back.",
        "Clients contrasted this with services where they had felt looked down on.",
    ),
    "BEN.ORG": (
        "Managers saw this as something the service could not have achieved on its own.",
        "Several staff said they had rethought their own practice as a result.",
    ),
    "BEN.SOC": (
        "Peers saw this as part of something larger than their own service.",
        "For them, the work reached well beyond the walls of the site.",
    ),
    "BEN.GROWTH": (
        "Peers tied this to feeling more confident in other parts of their lives.",
        "This gave many of them a reason to get up in the morning.",
    ),
    "CHAL.TRIGGER": (
        "Peers said this took a toll that their colleagues rarely saw.",
        "Some had thought about leaving the job because of it.",
    ),
    "CHAL.BOUNDARY": (
        "Peers found that the work followed them into their private lives.",
        "They developed their own informal rules about when to answer the phone.",
    ),
    "CHAL.TRAPPED": (
        "Peers felt this kept them in a box they could not easily climb out of.",
        "This left several participants feeling they would always be seen as former users.",
    ),
    "CHAL.ROLE": (
        "This uncertainty left peers unsure whether they were doing the job well.",
        "Peers said they learned what the role involved only by trial and error.",
    ),
    "CHAL.PRECARITY": (
        "This made it hard for peers to plan their lives or pay rent reliably.",
        "Peers pointed out that the people doing the riskiest work had the least security.",
    ),
    "ORG.MISSION": (
        "The fit between the service's aims and peers' approach shaped how at ease peers felt.",
        "Peers judged organisations by what they did rather than what they said.",
    ),
    "ORG.CULTURE": (
        "These everyday signals told peers where they stood in the organisation.",
        "Peers said such moments mattered more to them than formal statements.",
    ),
    "ORG.STRUCTURE": (
        "Peers saw the absence of such arrangements as a sign of how little thought had gone "
        "into their roles.",
        "Where such arrangements existed, peers described feeling able to stay in the job.",
    ),
}

# Participant quotes: (speaker group, text).
QUOTES: dict[str, tuple[tuple[str, str], ...]] = {
    "BEN.CLIENT": (
        ("Client", "With her I don't have to pretend. She has lived it, so I tell her the truth."),
        ("Client", "He didn't look at me like I was dirt. First time in years somebody didn't."),
        ("Peer worker", "I say it the way we say it outside. Then the doctor's words start to make "
                        "sense to them."),
        ("Client", "I only went to the clinic because she walked me there and waited with me."),
        ("Peer worker", "They know I won't lecture them. I've been where they're standing."),
    ),
    "BEN.ORG": (
        ("Manager", "Half the people in the waiting room now came in because a peer told them "
                    "about us."),
        ("Nurse", "Watching them work, I stopped talking about clients the way I used to."),
        ("Manager", "Without the peers we would have closed at five. They keep the doors open."),
        ("Staff member", "When a client is about to blow up at reception, the peer steps in and "
                         "it settles."),
    ),
    "BEN.SOC": (
        ("Peer worker", "I have brought back more people than I can count. Nobody else was "
                        "there to do it."),
        ("Peer worker", "Every time someone sees us do this job, it chips away at the idea that "
                        "we're worthless."),
        ("Peer navigator", "It's bigger than this building. We are fighting for people to be "
                           "treated like people."),
    ),
    "BEN.GROWTH": (
        ("Peer worker", "This job is why I get out of bed. It gives my days a shape."),
        ("Peer worker", "Two years ago I couldn't hold a conversation with a nurse. Now I run "
                        "the morning group."),
        ("Peer mentor", "All that pain finally counts for something, because I can use it for "
                        "somebody else."),
        ("Peer worker", "I'm doing courses now. I want to be a counsellor one day."),
    ),
    "CHAL.TRIGGER": (
        ("Peer worker", "Seeing someone go down brought my own using days right back, the "
                        "smell, everything."),
        ("Peer worker", "I have buried so many people I knew. You go to the funeral and then "
                        "you go back to work."),
        ("Peer worker", "Some nights I go home and I can't stop shaking. It all comes back up."),
        ("Peer worker", "Being around it every day, there were times the pull to use was "
                        "really strong."),
    ),
    "CHAL.BOUNDARY": (
        ("Peer worker", "These are people I used with. Now I'm supposed to be their worker. "
                        "Where's the line?"),
        ("Peer worker", "They knock on my door on Sunday morning. They know where I live."),
        ("Peer navigator", "How much do I tell them about my past? Too much and it's about me, "
                           "too little and I'm just staff."),
        ("Peer worker", "I never really clock out. Walking to the shop, someone needs "
                        "something."),
    ),
    "CHAL.TRAPPED": (
        ("Peer worker", "They see the addict first. Whatever I do, that's what I am to them."),
        ("Peer worker", "They bring us into the meeting so they can say we were there. Then "
                        "nobody asks what we think."),
        ("Peer worker", "I have done this work for eight years and the title never changes."),
    ),
    "CHAL.ROLE": (
        ("Peer worker", "One day I'm an outreach worker, the next day I'm mopping floors. "
                        "Nobody ever told me what the job was."),
        ("Nurse", "Honestly, I'm not sure what I'm allowed to ask the peers to do."),
        ("Peer worker", "I made the job up as I went along."),
    ),
    "CHAL.PRECARITY": (
        ("Peer worker", "If I'm sick I don't get paid, so I come in sick."),
        ("Peer worker", "The nurses make three times what I make and I'm the one doing the "
                        "overdose calls."),
        ("Peer worker", "Every spring we wait to hear if the grant comes through. If it "
                        "doesn't, we're gone."),
    ),
    "ORG.MISSION": (
        ("Peer worker", "Here they really mean it when they say they meet people where they're "
                        "at. That's why I stay."),
        ("Peer mentor", "The programme wants everyone clean. I'm supposed to hand out kits and "
                        "preach abstinence at the same time?"),
        ("Manager", "You can't put lived experience in the strategy and then never ask the "
                    "peers anything."),
    ),
    "ORG.CULTURE": (
        ("Peer worker", "We have our own lunch table. Nobody said it, but everybody knows."),
        ("Peer worker", "Some of the nurses still lock their bags when we come in."),
        ("Peer worker", "My manager tells the doctors to ask me. That changed everything."),
    ),
    "ORG.STRUCTURE": (
        ("Peer worker", "After a bad call there's nobody to talk it through with. You just "
                        "start the next shift."),
        ("Peer worker", "I'd like someone who has done this job checking in with me every "
                        "week."),
        ("Manager", "Our rules on criminal records shut out the very people we wanted to "
                    "hire."),
    ),
}

# Segments that express two subthemes at once: (codes, kind, speaker or '', text).
DUAL_SEGMENTS: tuple[tuple[tuple[str, str], str, str, str], ...] = (
    (("CHAL.PRECARITY", "ORG.STRUCTURE"), "author", "",
     "Peers were paid by the shift with no paid leave, and no organisation in the study had a "
     "pay scale that placed peer roles alongside other staff."),
    (("CHAL.TRIGGER", "ORG.STRUCTURE"), "quote", "Peer worker",
     "I did CPR on a friend and the next day I was back on the floor. Nobody asked how I was."),
    (("CHAL.BOUNDARY", "CHAL.TRIGGER"), "quote", "Peer worker",
     "When it's your cousin who overdoses in the bathroom, you don't leave that at work."),
    (("CHAL.TRAPPED", "ORG.CULTURE"), "author", "",
     "Peers felt that some clinicians would always see them as former clients, and that this "
     "view shaped who was asked for an opinion in team meetings."),
    (("CHAL.ROLE", "ORG.STRUCTURE"), "author", "",
     "Without written duties, peers' tasks depended on whichever manager was on shift."),
    (("BEN.CLIENT", "BEN.ORG"), "quote", "Manager",
     "Clients talk to the peers first, and then the peers tell us what the clients actually "
     "need."),
    (("ORG.MISSION", "ORG.CULTURE"), "author", "",
     "Services whose leaders openly backed harm reduction tended to have teams in which peers "
     "were consulted as equals."),
    (("BEN.SOC", "BEN.CLIENT"), "quote", "Client",
     "If she hadn't been there with the naloxone I wouldn't be alive. She's the reason I came "
     "back here."),
    (("BEN.GROWTH", "CHAL.PRECARITY"), "quote", "Peer worker",
     "I love this job, it gave me my life back, but I can't live on what it pays."),
)

# Segments that describe context and carry no code.
CONTEXT_SEGMENTS: tuple[str, ...] = (
    "Peers' tasks varied across sites and included handing out sterile supplies, responding to "
    "overdoses, accompanying clients to appointments and running drop-in groups.",
    "Most participants had worked in their current position for between one and six years.",
    "Participants worked at sites that differed in size, opening hours and staffing.",
    "Interviews with clients focused on their most recent contact with the service.",
    "Several participants had held more than one position within the same organisation.",
)

# Author theme headings, by the part of the findings they open.
HEADINGS: dict[str, tuple[str, ...]] = {
    "BEN": (
        "Opening doors that stay shut to others", "What shared history makes possible",
        "More than an extra pair of hands", "Someone who knows the road",
    ),
    "CHAL": (
        "Paying a personal price", "Too close to home", "Carrying the work home",
        "Living with the past at work",
    ),
    "ORG": (
        "Working inside someone else's house", "What the organisation makes possible",
        "Conditions of the job", "Words and deeds",
    ),
}

SPEAKER_MAX = 24


@dataclass(frozen=True)
class Segment:
    """A finding segment: its text as it appears in the full text and its true codes."""

    text: str
    codes: tuple[str, ...]


def _quote(speaker: str, text: str, rng: random.Random) -> str:
    """Format a participant quote with a numbered participant label."""
    return f"\"{text}\" ({speaker} {rng.randint(1, SPEAKER_MAX)})"


def author_segment(code: str, rng: random.Random) -> Segment:
    """An author paragraph expressing one subtheme."""
    text = f"{rng.choice(AUTHOR_LEADS[code])} {rng.choice(AUTHOR_SUPPORTS[code])}"
    return Segment(text, (code,))


def quote_segment(code: str, rng: random.Random) -> Segment:
    """A participant quote expressing one subtheme."""
    speaker, text = rng.choice(QUOTES[code])
    return Segment(_quote(speaker, text, rng), (code,))


def dual_segment(rng: random.Random, group: str | None = None) -> Segment:
    """A segment expressing two subthemes (optionally one from `group`)."""
    pool = [d for d in DUAL_SEGMENTS if group is None or any(c.startswith(group) for c in d[0])]
    codes, kind, speaker, text = rng.choice(pool or DUAL_SEGMENTS)
    if kind == "quote":
        return Segment(_quote(speaker, text, rng), tuple(sorted(codes)))
    return Segment(text, tuple(sorted(codes)))


def context_segment(rng: random.Random) -> Segment:
    """A descriptive segment without a code."""
    return Segment(rng.choice(CONTEXT_SEGMENTS), ())


def all_bank_texts() -> list[str]:
    """Every string in the bank (for the indicator-disjointness check)."""
    texts: list[str] = []
    for bank in (AUTHOR_LEADS, AUTHOR_SUPPORTS):
        for items in bank.values():
            texts.extend(items)
    for quotes in QUOTES.values():
        texts.extend(t for _, t in quotes)
    texts.extend(d[3] for d in DUAL_SEGMENTS)
    texts.extend(CONTEXT_SEGMENTS)
    for heads in HEADINGS.values():
        texts.extend(heads)
    return texts
