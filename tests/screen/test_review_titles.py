"""Issue 16: records whose own words say they are a review, protocol, editorial or commentary."""

from __future__ import annotations

import pytest

from reviewflow.records import Provenance, Record
from reviewflow.screen.review_titles import self_described
from reviewflow.screen.rules import RULE_ORDER, Rules

EXCLUDING = {"publication_types": {"exclude": ["review", "systematic-review", "scoping-review", "editorial",
                                               "commentary"]}}


def _rec(title: str, abstract: str | None = None, types: tuple[str, ...] = ("Journal Article",)) -> Record:
    return Record(id="r1", provenance=Provenance("db", "f.ris", 0, 1), title=title, abstract=abstract,
                  publication_type=list(types))


@pytest.mark.parametrize("title", [
    "Peer support for people who use drugs: a systematic review of engagement",
    "Peer workers in harm reduction services: a scoping review",
    "Peer delivered interventions and retention: systematic review and meta-analysis",
    "Experiences of peer work in addiction services: a meta-synthesis",
    "Peer roles in emergency departments: a narrative review",
    "A rapid review of peer navigation programmes",
    "Editorial: the future of peer workers in outpatient services",
    "Peers are not a cheaper workforce: a commentary",
])
def test_review_like_titles_typed_as_journal_articles_are_excluded_by_their_own_rule(title: str) -> None:
    assert Rules.from_config(EXCLUDING).apply(_rec(title)) == "review_title"


@pytest.mark.parametrize(("title", "abstract"), [
    ("A retrospective chart review of naloxone distribution", None),
    ("Protocol-driven peer outreach after overdose: a qualitative study", None),
    ("Peer recovery coaches in emergency departments: an interview study",
     "Previous systematic reviews have found benefits of peer support. We interviewed 24 coaches."),
    ("Pooled outcomes of two peer-led trials", "Our meta-analysis of both trials' data showed fewer relapses."),
    ("Reviewing the role of peers: perspectives of workers", None),
])
def test_primary_studies_that_mention_reviews_are_not(title: str, abstract: str | None) -> None:
    assert Rules.from_config(EXCLUDING).apply(_rec(title, abstract)) == ""


def test_an_abstract_that_describes_itself_as_a_review() -> None:
    rec = _rec("Peer work in drug services", "This scoping review maps the roles peers hold in services.")
    assert Rules.from_config(EXCLUDING).apply(rec) == "review_title"


def test_only_types_the_protocol_excludes_and_only_where_it_is_on() -> None:
    protocol = _rec("Study protocol for an evaluation of peer workers in outpatient services")
    assert self_described(protocol.title) == ("protocol",)
    assert Rules.from_config(EXCLUDING).apply(protocol) == ""          # protocols are not excluded here
    review = _rec("Peer workers in harm reduction services: a scoping review")
    assert Rules.from_config({"publication_types": {"exclude": ["erratum"]}}).apply(review) == ""
    off = {"publication_types": {**EXCLUDING["publication_types"], "from_titles": False}}
    assert Rules.from_config(off).apply(review) == ""


def test_a_record_typed_as_a_review_stays_under_the_publication_type_rule() -> None:
    rec = _rec("Peer workers in harm reduction services: a scoping review", types=("Review",))
    assert Rules.from_config(EXCLUDING).apply(rec) == "publication_type"
    assert RULE_ORDER[-1] == "review_title" and "review_title" in Rules.from_config(EXCLUDING).describe()
