"""The deductive coder's method: indicators, similarity in word and character spaces, per-code calibration."""

from __future__ import annotations

import random

from reviewflow.article.text import read_text
from reviewflow.synthesis.codebook import Code, codes_from_config
from reviewflow.synthesis.coding import MIN_SEGMENTS, content, suggest_codes
from reviewflow.synthesis.segments import Segment, split_findings

CODES = [
    # A broadly worded code: its words are in nearly every segment of a review about peers.
    Code("WORK", "Peer work with clients", "T", "Peer work", "Peers and clients in services, and the work of peers "
         "with clients and staff.", ()),
    Code("GRIEF", "Grief and loss", "T", "Peer work", "Grief after the deaths of clients: funerals, mourning and "
         "loss.", ("bereavement",)),
    Code("PAY", "Low pay", "T", "Peer work", "Low wages, unpaid shifts and short contracts; money worries.",
         ("stipend",)),
]
GRIEF = ["Peers went to the funerals of clients they had worked with for years.",
         "Peers mourned clients who died, and the loss stayed with them at work.",
         "The deaths of clients left peers grieving while they kept working with staff.",
         "Peers spoke of funerals almost every month and of the grief that followed.",
         "Losing clients to overdose deaths was a loss peers carried into the service.",
         "Peers described mourning for clients and friends lost over the years."]
PAY = ["Peers were paid low wages for the same work as staff.",
       "Short contracts left peers worried about money from one month to the next.",
       "Unpaid shifts were common, and peers said the wages did not cover rent.",
       "Peers working with clients earned low wages compared with other staff.",
       "Money worries followed peers because contracts were short.",
       "Peers were often asked to work extra shifts that were unpaid."]
OTHER = ["Peers and clients met in the service most days.",
         "Staff and peers worked with clients in the same services.",
         "The service opened in the morning and peers greeted clients.",
         "Peers talked with clients and staff at the front desk.",
         "Clients came to the service to see peers and staff.",
         "Peers and staff shared the work of the service with clients.",
         "Participants worked at sites that differed in size.",
         "Some sites had a kitchen and a garden."]


def _segments(texts: list[str]) -> list[Segment]:
    return [Segment("r", i + 1, "", "author_statement", t, i + 1) for i, t in enumerate(texts)]


def _first(sugg, seg_id):
    return next((s for s in sugg if s.segment_id == seg_id), None)


def test_calibration_keeps_a_broad_code_from_taking_every_segment():
    segs = _segments(GRIEF + PAY + OTHER)
    assert len(segs) >= MIN_SEGMENTS
    sugg = suggest_codes(segs, CODES)
    for seg in segs[:len(GRIEF)]:
        assert _first(sugg, seg.id).code == "GRIEF", seg.text
    for seg in segs[len(GRIEF):len(GRIEF) + len(PAY)]:
        assert _first(sugg, seg.id).code == "PAY", seg.text
    assert all(s.basis.startswith("calibrated similarity to the code's definition; shared: ") for s in sugg)


def test_unrelated_segments_get_no_suggestion():
    segs = _segments(GRIEF + PAY + OTHER + ["It rained on Tuesday."])
    assert _first(suggest_codes(segs, CODES), segs[-1].id) is None


def test_suggestions_do_not_depend_on_segment_order():
    segs = _segments(GRIEF + PAY + OTHER)
    shuffled = segs[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(suggest_codes(segs, CODES), key=lambda s: (s.segment_id, s.code)) == \
        sorted(suggest_codes(shuffled, CODES), key=lambda s: (s.segment_id, s.code))
    assert suggest_codes(segs, CODES) == suggest_codes(segs, CODES)


def test_indicators_match_inflected_forms_and_come_first():
    segs = _segments(GRIEF + PAY + OTHER + ["Peers were paid stipends instead of wages."])
    first = _first(suggest_codes(segs, CODES), segs[-1].id)
    assert (first.code, first.basis) == ("PAY", "indicator: stipend")
    assert first.score >= 1


def test_a_second_code_needs_to_stand_out_and_come_close_to_the_first():
    # Two codes worded alike: a segment that stands out for one stands out as much for the other.
    twin = Code("MONEY", "Low pay", "T", "Peer work", CODES[2].definition, ())
    segs = _segments(GRIEF + PAY + OTHER)
    sugg = suggest_codes(segs, [*CODES, twin])
    money = segs[len(GRIEF) + 4]                       # 'Money worries followed peers ...'
    assert sorted(s.code for s in sugg if s.segment_id == money.id) == ["MONEY", "PAY"]
    # A segment about grief and pay that leans to grief by more than MARGIN gets grief alone.
    segs = _segments(GRIEF + PAY + OTHER + ["Peers grieved the deaths of clients and earned low wages."])
    both = suggest_codes(segs, CODES)
    assert [s.code for s in both if s.segment_id == segs[-1].id] == ["GRIEF"]
    # Stems match 'working with clients' to the broad code's 'work of peers with clients': that one
    # segment may carry it second; no other grief or pay segment does.
    plain = {x.id for x in segs[:len(GRIEF) + len(PAY)] if "working with clients" not in x.text}
    assert not any(s.code == "WORK" for s in both if s.segment_id in plain)


def test_small_reviews_use_the_raw_cosine():
    segs = _segments([GRIEF[3], OTHER[1]])
    sugg = suggest_codes(segs, CODES)
    assert [(s.segment_id, s.code) for s in sugg] == [("r:1", "GRIEF"), ("r:2", "WORK")]
    assert sugg[0].basis.startswith("cosine similarity")


def test_participant_labels_are_not_content():
    assert content('"We buried two friends that week." (Peer worker 12)') == "We buried two friends that week."
    assert content("\u201cIt was a lot.\u201d (Staff member 3)") == "It was a lot."
    assert content("Peers (n = 12) were interviewed.") == "Peers (n = 12) were interviewed."


def test_theme_definitions_are_part_of_each_code():
    codes = codes_from_config({"themes": [{"id": "T", "label": "Theme", "definition": "What the theme means.",
                                           "subthemes": [{"id": "T.A", "label": "A", "definition": "d"}]}]})
    assert codes[0].theme_definition == "What the theme means."


def test_segments_keep_the_page_they_start_on():
    ft = read_text("## Findings\n### Theme\nFirst finding, long enough to be one.\n\f\nSecond finding that goes\n"
                   "on.\n\n\"A quote.\" (Client 2)\n", "t.md", markdown=True)
    segs = split_findings("r", ft)
    assert [(s.segment, s.page, s.kind) for s in segs] == [(1, 1, "author_statement"), (2, 2, "author_statement"),
                                                          (3, 2, "participant_quote")]
    assert segs[1].text == "Second finding that goes on."
    assert segs[2].text == '"A quote."' and segs[2].attribution == "Client 2"
