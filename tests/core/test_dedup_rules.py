from reviewflow.dedup.engine import deduplicate, group_records
from reviewflow.dedup.merge import merge
from reviewflow.dedup.normalise import fold, title_key
from reviewflow.records import Author, Provenance, Record
from reviewflow.screen.rules import Rules, language_code, publication_types


def r(i, title, year=2020, doi=None, **kw):
    return Record(f"r{i}", Provenance("db", "f", i, i + 1), title=title, year=year, doi=doi, **kw)


def test_fold_removes_case_html_diacritics_and_punctuation():
    assert fold("<i>Peer</i> Workers' Expériences: A  Study!") == "peer workers experiences a study"
    assert title_key("Peer-work") == title_key("peer work") == "peerwork"
    assert fold("Nørgaard Łukasz Straße") == "norgaard lukasz strasse"


def test_groups_by_doi_or_title_and_year():
    recs = [r(0, "Peer work in harm reduction services", doi="10.1/a"),
            r(1, "PEER WORK IN HARM REDUCTION SERVICES.", doi=None),
            r(2, "Something else entirely", doi="10.1/a"),
            r(3, "Peer work in harm reduction services", year=2021),   # online vs print year
            r(4, "Peer work in harm reduction services", year=2023),   # too far apart
            r(5, "", year=None)]
    # 2 shares 0's DOI under another title (a supplement's DOI on every abstract in it): apart.
    # 3 is a year off with nothing else to compare: uncertain, so left apart for a reviewer.
    assert group_records(recs) == [0, 0, 2, 3, 4, 5]
    result = deduplicate(recs)
    assert {(p.a, p.b) for p in result.uncertain} >= {("r0", "r3")}


def test_look_alikes_that_are_different_reports_stay_apart():
    base = dict(authors=[Author("Lee", "K")], journal="Harm Reduction Journal")
    recs = [r(0, "Peer workers at overdose prevention sites", doi="10.1/a", pages="10-19", **base),
            r(1, "Erratum: Peer workers at overdose prevention sites", doi="10.1/b", **base),
            r(2, "Peer workers at overdose prevention sites", publication_type=["Conference Abstract"],
              authors=[Author("Lee", "K")], journal="Abstracts of the Harm Reduction Conference"),
            r(3, "Peer workers at overdose prevention sites", doi="10.1/c", **base),   # other DOI
            r(4, "Peer workers at overdose prevention sites", pages="200-209", **base),  # not 0: pages
            r(5, "Peer workers at overdose prevention sites.", pages="10-9",
              authors=[Author("Lee", "K")], journal="Harm Reduct J")]                   # same report
    # 4 may be 3 (nothing tells them apart) but never 0 or 5, and 5 never joins 3 through 0.
    assert group_records(recs) == [0, 1, 2, 3, 3, 0]


def test_near_identical_titles_merge_within_author_blocks():
    a = r(0, "Peer navigators in emergency departments: a qualitative study of their roles",
          authors=[Author("Okafor", "N")])
    b = r(1, "Peer navigators in emergency department: a qualitative study of their roles",
          authors=[Author("Okafor", "N.")])
    c = r(2, "Peer navigators in emergency department: a qualitative study of their roles",
          authors=[Author("Smith", "J")])
    assert group_records([a, b, c]) == [0, 0, 2]


def test_merge_fills_missing_fields_from_later_members():
    a = r(0, "T", doi=None, authors=[])
    b = r(1, "T", doi="10.1/x", authors=[Author("Lee", "K")], abstract="abs")
    m = merge([a, b])
    assert m.id == "r0" and m.doi == "10.1/x" and m.abstract == "abs" and m.authors[0].family == "Lee"
    c = merge([r(0, "T", publication_type=["Article"]), r(1, "T", publication_type=["Review"])])
    assert c.publication_type == ["Article", "Review"]


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
