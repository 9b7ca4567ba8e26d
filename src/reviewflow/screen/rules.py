"""Automatic eligibility rules from the config: year range, language, publication type, and what a
record's own title or abstract says it is (`review_titles`).

Each rule is named; an excluded record carries the first rule that applies, in the order
year, language, publication_type, review_title. A record missing the field passes (people decide).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..dedup.normalise import fold
from ..records import Record
from .review_titles import self_described

RULE_ORDER = ("year", "language", "publication_type", "review_title")

# Database language names and codes -> ISO 639-1.
_LANGUAGES = {
    "en": "en", "eng": "en", "english": "en",
    "fr": "fr", "fre": "fr", "fra": "fr", "french": "fr",
    "es": "es", "spa": "es", "spanish": "es",
    "de": "de", "ger": "de", "deu": "de", "german": "de",
    "pt": "pt", "por": "pt", "portuguese": "pt",
    "it": "it", "ita": "it", "italian": "it",
    "nl": "nl", "dut": "nl", "nld": "nl", "dutch": "nl",
    "no": "no", "nor": "no", "norwegian": "no",
    "sv": "sv", "swe": "sv", "swedish": "sv",
    "da": "da", "dan": "da", "danish": "da",
    "zh": "zh", "chi": "zh", "zho": "zh", "chinese": "zh",
    "ja": "ja", "jpn": "ja", "japanese": "ja",
    "ru": "ru", "rus": "ru", "russian": "ru",
    "pl": "pl", "pol": "pl", "polish": "pl",
    "fa": "fa", "per": "fa", "persian": "fa",
    "tr": "tr", "tur": "tr", "turkish": "tr",
    "ko": "ko", "kor": "ko", "korean": "ko",
}

# Publication-type wording across databases -> the config's canonical names.
_PUBTYPES = [
    (re.compile(r"\bsystematic review\b"), "systematic-review"),
    (re.compile(r"\bscoping review\b"), "scoping-review"),
    (re.compile(r"\b(review|literature review|meta analysis)\b"), "review"),
    (re.compile(r"\b(editorial|editorial material)\b"), "editorial"),
    (re.compile(r"\b(comment|commentary|note|opinion)\b"), "commentary"),
    (re.compile(r"\bletter\b"), "letter"),
    (re.compile(r"\b(erratum|published erratum|correction|corrigendum)\b"), "erratum"),
    (re.compile(r"\b(meeting abstract|conference abstract|conference paper|proceedings paper|"
                r"congresses|conference proceeding)\b"), "conference-abstract"),
    (re.compile(r"\b(dissertation|thesis)\b"), "dissertation"),
    (re.compile(r"\bbook chapter\b"), "book-chapter"),
    (re.compile(r"\bprotocol\b"), "protocol"),
    (re.compile(r"\bpreprint\b"), "preprint"),
    (re.compile(r"\b(journal article|article|academic journal|scholarly journals?|jour)\b"),
     "journal-article"),
]


def language_code(value: str | None) -> str | None:
    """ISO 639-1 code for a language name or code; None if unknown or empty."""
    if not value:
        return None
    return _LANGUAGES.get(fold(value).split(" ")[0] if fold(value) else "")


def publication_types(values: list[str]) -> set[str]:
    """Canonical types named by a record's publication-type values."""
    out: set[str] = set()
    for v in values:
        f = fold(v)
        for pat, name in _PUBTYPES:
            if pat.search(f):
                out.add(name)
    return out


@dataclass(frozen=True)
class Rules:
    year_from: int | None
    year_to: int | None
    languages: frozenset[str]
    excluded_types: frozenset[str]
    # On by default: it only ever excludes a kind (review, protocol, editorial, commentary) whose
    # publication type the config already excludes.
    review_titles: bool = True

    @classmethod
    def from_config(cls, eligibility: dict) -> Rules:
        years = eligibility.get("publication_years", {})
        types = eligibility.get("publication_types", {})
        return cls(years.get("from"), years.get("to"), frozenset(eligibility.get("languages", [])),
                   frozenset(types.get("exclude", [])), bool(types.get("from_titles", True)))

    def describe(self) -> dict[str, str]:
        return {
            "year": f"published outside {self.year_from}–{self.year_to}",
            "language": f"language not in {', '.join(sorted(self.languages)) or 'any'}",
            "publication_type": f"publication type one of {', '.join(sorted(self.excluded_types))}",
            "review_title": "title or abstract says it is one of those types (e.g. 'a scoping review', "
                            "'study protocol', 'Editorial:') where the database typed it otherwise",
        }

    def apply(self, rec: Record) -> str:
        """The first rule that excludes `rec`, or '' if it goes on to people."""
        return self.verdict(rec)[0]

    def verdict(self, rec: Record) -> tuple[str, str]:
        """(the first rule that excludes `rec`, what it found), ('', '') if it goes on to people. What
        the review-like titles rule found is the first excluded type the record's own words give."""
        if rec.year is not None:
            if (self.year_from and rec.year < self.year_from) or (self.year_to and rec.year > self.year_to):
                return "year", ""
        if self.languages:
            langs = {language_code(v) for v in re.split(r"[;,]", rec.language or "") if v.strip()}
            langs.discard(None)
            if langs and not (langs & self.languages):
                return "language", ""
        if self.excluded_types and publication_types(rec.publication_type) & self.excluded_types:
            return "publication_type", ""
        if self.review_titles:
            said = next((t for t in self_described(rec.title, rec.abstract) if t in self.excluded_types), "")
            if said:
                return "review_title", said
        return "", ""
