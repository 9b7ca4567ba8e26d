from reviewflow.dedup.normalise import fold, title_key
from reviewflow.dedup.simple import group_records, merge
from reviewflow.records import Author, Provenance, Record
from reviewflow.screen.rules import Rules, language_code, publication_types


def r(i, title, year=2020, doi=None, **kw):
    return Record(f"r{i}", Provenance("db", "f", i, i + 1), title=title, year=year, doi=doi, **kw)


def test_fold_removes_case_html_diacritics_and_punctuation():
    assert fold("<i>Peer</i> Workers' Expériences: A  Study!") == "peer workers experiences a study"
    assert title_key("Peer-work") == title_key("peer work") == "peerwork"


def test_groups_by_doi_or_title_and_year():
    recs = [r(0, "Peer work in harm reduction", doi="10.1/a"),
            r(1, "PEER WORK IN HARM REDUCTION.", doi=None),
            r(2, "Something else", doi="10.1/a"),
            r(3, "Peer work in harm reduction", year=2021),
            r(4, "", year=None)]
    assert group_records(recs) == [0, 0, 0, 3, 4]


def test_merge_fills_missing_fields_from_later_members():
    a = r(0, "T", doi=None, authors=[])
    b = r(1, "T", doi="10.1/x", authors=[Author("Lee", "K")], abstract="abs")
    m = merge([a, b])
    assert m.id == "r0" and m.doi == "10.1/x" and m.abstract == "abs" and m.authors[0].family == "Lee"


def test_rules_apply_in_order_and_missing_fields_pass():
    rules = Rules.from_config({"publication_years": {"from": 2000, "to": 2022}, "languages": ["en"],
                               "publication_types": {"exclude": ["review", "editorial", "erratum"]}})
    assert rules.apply(r(0, "t", year=1998, language="French")) == "year"
    assert rules.apply(r(0, "t", language="French")) == "language"
    assert rules.apply(r(0, "t", language="eng", publication_type=["Journal Article", "Review"])) == "publication_type"
    assert rules.apply(r(0, "t", year=None)) == ""
    assert rules.apply(r(0, "t", language="English; French")) == ""
    assert rules.apply(r(0, "t", publication_type=["Peer Reviewed Journal"])) == ""


def test_vocabularies():
    assert language_code("ENG") == "en" and language_code("Spanish") == "es" and language_code("") is None
    assert publication_types(["Editorial Material"]) == {"editorial"}
    assert publication_types(["Published Erratum"]) == {"erratum"}
    assert "conference-abstract" in publication_types(["Meeting Abstract"])
