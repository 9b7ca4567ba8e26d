"""Records that say what they are: a review, a protocol, an editorial or a commentary.

Databases often type a review or an editorial as a plain journal article, so the publication-type
rule lets it through. Its title, or its abstract's description of itself, says it: 'a scoping
review', 'study protocol', 'Editorial:', 'we conducted a systematic review'. Each pattern names
what the record says it is; a primary study that only mentions reviews ('previous reviews found')
or reviews records ('a chart review') is not matched.
"""

from __future__ import annotations

import re

from ..dedup.normalise import fold

_REVIEW_KIND = r"(systematic|scoping|rapid|umbrella|narrative|integrative|realist|mapping|critical|literature)"
# (pattern on the folded title, the publication types of the config it stands for: any one excluded)
_TITLE = (
    (re.compile(r"\bsystematic (literature )?review\b|\bmeta (analysis|analyses)\b"),
     ("systematic-review", "review")),
    (re.compile(r"\bscoping (literature )?review\b|\bevidence map\b"), ("scoping-review", "review")),
    (re.compile(rf"\b{_REVIEW_KIND} (literature )?review\b|\bumbrella review\b|\breview of (the )?"
                r"(literature|reviews|evidence|research)\b|\bmeta (synthesis|ethnography)\b|"
                r"\boverview of (systematic )?reviews\b|\bliterature review\b"), ("review",)),
    (re.compile(r"\b(study|trial|review|research) protocol\b|\bprotocol for an? (systematic |scoping |"
                r"randomi[sz]ed |cluster |pilot |feasibility |mixed methods |qualitative )?"
                r"(review|study|trial|evaluation)\b"), ("protocol",)),
    (re.compile(r"^editorial\b|\ban editorial\b|\bguest editorial\b"), ("editorial",)),
    (re.compile(r"^(commentary|comment)\b|\ba commentary\b|\bcommentary on\b|\bcomment on\b"),
     ("commentary",)),
)
# The abstract describing the record itself ('this scoping review', 'we conducted a systematic review').
_SELF = re.compile(
    rf"\b(this|the present|the current|our) {_REVIEW_KIND} (literature )?review\b|"
    rf"\bwe (conducted|performed|undertook|carried out|report) an? {_REVIEW_KIND} (literature )?review\b|"
    # Not 'our meta-analysis': primary reports pool their own data so (a labelled set's included study did).
    r"\b(this|the present|our) (meta synthesis|umbrella review)\b")


def self_described(title: str | None, abstract: str | None = None) -> tuple[str, ...]:
    """The publication types a record's own words put it in (any of them excluded excludes it)."""
    t = fold(title)
    for pattern, types in _TITLE:
        if pattern.search(t):
            return types
    if abstract and _SELF.search(fold(abstract[:1500])):
        return ("review",) + (("systematic-review",) if "systematic" in fold(abstract[:1500]) else ())
    return ()
