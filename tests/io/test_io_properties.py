"""Property-based round trips: generated records written as RIS or BibTeX read back the same."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewflow.io import read_export
from reviewflow.io.text import LineCounter, line_of_offset
from reviewflow.io.writers import write_bibtex, write_ris
from reviewflow.records import FIELDS, Author, Provenance, Record

# Any printable text (no control characters: a text export cannot hold them), with the
# characters that trouble RIS and BibTeX made common.
_TRICKY = "{}\"'\\%&#_$~^`@=-,;:.()[]<>/|*+!? \n\t\u00a0"
_CHARS = st.one_of(
    st.characters(blacklist_categories=("Cs", "Cc")),
    st.sampled_from(_TRICKY),
    st.sampled_from("aeiouéüßøłçñ日本語Ωж"),
)
_TEXT = st.text(_CHARS, min_size=1, max_size=60)
_NUMBER = st.integers(1, 99999).map(str)
_WORDS = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Lo")), min_size=1, max_size=12)


def _flat(value: str | None) -> str | None:
    """One line per value in RIS and BibTeX: whitespace inside a value collapses."""
    if value is None:
        return None
    return " ".join(value.split()) or None


@st.composite
def _title(draw: st.DrawFn) -> str:
    lead = draw(st.sampled_from(["", "-", "=", "+", "@", "- ", "== ", "ER  - ", "TY  - ", "{", "\"", "}"]))
    title = lead + draw(_TEXT)
    return title if _flat(title) else title + "x"


@st.composite
def _author(draw: st.DrawFn) -> Author:
    # Family names hold no comma ("Family, Given" is the written form); anything else goes:
    # particles, hyphens, apostrophes, initials-like and corporate names with "and".
    family = draw(st.one_of(
        _WORDS,
        st.builds(lambda a, b: f"{a} {b}", st.sampled_from(["van der", "de", "O'", "Mc"]), _WORDS),
        st.builds(lambda a, b: f"{a}-{b}", _WORDS, _WORDS),
        st.builds(lambda a, b: f"{a} and {b}", _WORDS, _WORDS),
        st.builds(lambda a: f"{a} J.", _WORDS),
        st.just("WHO Group ABC"),
    ))
    given = draw(st.one_of(st.just(""), _WORDS, st.sampled_from(["J.", "J. R.", "M.-A.", "Anna Maria"])))
    return Author(family, given)


_KEYWORD = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=";"),
                   min_size=1, max_size=25).filter(lambda k: _flat(k) is not None)


@st.composite
def records(draw: st.DrawFn) -> list[Record]:
    out = []
    for i in range(draw(st.integers(1, 4))):
        keywords = draw(st.lists(_KEYWORD, max_size=6))
        keywords += draw(st.lists(st.sampled_from(keywords), max_size=4)) if keywords else []  # repeats
        out.append(Record(
            id=f"r{i}", provenance=Provenance("db", "gen", i, 1),
            title=draw(_title()),
            abstract=draw(st.one_of(st.none(), _TEXT,
                                    st.builds(lambda t, n: t * n, _TEXT, st.integers(50, 300)))),
            authors=draw(st.lists(_author(), max_size=draw(st.sampled_from([3, 20, 120])))),
            year=draw(st.one_of(st.none(), st.integers(1500, 2099))),
            journal=draw(st.one_of(st.none(), _TEXT)),
            volume=draw(st.one_of(st.none(), _NUMBER)),
            issue=draw(st.one_of(st.none(), _NUMBER, st.builds("{}-{}".format, _NUMBER, _NUMBER))),
            pages=draw(st.one_of(st.none(), _NUMBER, st.builds("{}-{}".format, _NUMBER, _NUMBER),
                                 st.builds("e{}".format, _NUMBER))),
            doi=draw(st.one_of(st.none(), st.builds("10.{}/{}{}".format, st.integers(1000, 999999),
                                                    st.sampled_from(["", "j.", "abc(1)-", "x_y/"]),
                                                    _NUMBER))),
            pmid=draw(st.one_of(st.none(), _NUMBER)),
            issn=draw(st.lists(st.builds("{:04d}-{:03d}{}".format, st.integers(0, 9999), st.integers(0, 999),
                                         st.sampled_from("0123456789X")), max_size=2, unique=True)),
            language=draw(st.one_of(st.none(), st.sampled_from(["eng", "English", "fre; ger"]))),
            publication_type=draw(st.lists(st.sampled_from(["Journal Article", "Review", "JOUR", "Book"]),
                                           max_size=2, unique=True)),
            keywords=keywords,
            url=draw(st.one_of(st.none(), st.builds("https://ex.org/{}?q={}&p=50%~{}".format,
                                                    _NUMBER, _WORDS, _NUMBER))),
        ))
    return out


def _expected(rec: Record) -> dict[str, object]:
    """What a reader must give back: values on one line, repeated keywords once."""
    kws: list[str] = []
    for k in rec.keywords:
        f = _flat(k)
        if f and f not in kws:
            kws.append(f)
    return {
        "title": _flat(rec.title), "abstract": _flat(rec.abstract),
        "authors": [Author(_flat(a.family) or "", _flat(a.given) or "") for a in rec.authors],
        "year": rec.year, "journal": _flat(rec.journal), "volume": rec.volume, "issue": rec.issue,
        "pages": rec.pages, "doi": rec.doi, "pmid": rec.pmid, "issn": rec.issn, "language": rec.language,
        "publication_type": rec.publication_type, "keywords": kws, "url": rec.url,
    }


def _got(rec: Record) -> dict[str, object]:
    return {f: getattr(rec, f) for f in FIELDS}


def _round_trip(recs: list[Record], ext: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"out.{ext}"
        (write_ris if ext == "ris" else write_bibtex)(recs, path)
        res = read_export(path, "db")
    assert res.rejects == []
    assert len(res.records) == len(recs)
    for a, b in zip(recs, res.records, strict=True):
        assert _got(b) == _expected(a)


_SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(records())
def test_ris_round_trip(recs: list[Record]) -> None:
    _round_trip(recs, "ris")


@_SETTINGS
@given(records())
def test_bibtex_round_trip(recs: list[Record]) -> None:
    _round_trip(recs, "bib")


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("ab\r\n@"), max_size=40), st.lists(st.integers(0, 40), max_size=8))
def test_line_counter_matches_line_of_offset(text: str, offsets: list[int]) -> None:
    counter = LineCounter(text)
    for off in sorted(min(o, len(text)) for o in offsets):
        assert counter.line_at(off) == line_of_offset(text, off)
