from reviewflow.records import (
    Author,
    Provenance,
    Record,
    assign_ids,
    make_id,
    normalise_doi,
    parse_author,
    parse_year,
)


def test_normalise_doi_strips_prefixes_case_and_trailing_punctuation():
    assert normalise_doi("https://doi.org/10.1016/J.DRUGPO.2023.104182.") == "10.1016/j.drugpo.2023.104182"
    assert normalise_doi("http://dx.doi.org/10.1186/s12954-019-0306-3") == "10.1186/s12954-019-0306-3"
    assert normalise_doi("doi: 10.1000/ABC;") == "10.1000/abc"
    assert normalise_doi("10.1000/xyz [doi]") == "10.1000/xyz"
    assert normalise_doi("not a doi") is None
    assert normalise_doi(None) is None


def test_parse_year_from_database_date_forms():
    assert parse_year("2016/09//") == 2016
    assert parse_year("Sep 2016") == 2016
    assert parse_year("2019-01-05") == 2019
    assert parse_year("no date") is None


def test_parse_author_forms():
    assert parse_author("Smith, John A.") == Author("Smith", "John A.")
    assert parse_author("Smith JA") == Author("Smith", "JA")
    assert parse_author("Consortium") == Author("Consortium", "")


def test_ids_are_stable_and_fall_back_to_position_for_repeated_keys():
    recs = [Record("", Provenance("pubmed", "a.nbib", i, 1 + 10 * i)) for i in range(3)]
    assign_ids(recs, ["111", "222", "222"])
    assert recs[0].id == make_id("pubmed", "111", "a.nbib", 0)
    assert recs[1].id == make_id("pubmed", None, "a.nbib", 1)
    assert len({r.id for r in recs}) == 3
    # A key does not depend on the file or position.
    assert make_id("pubmed", "111", "other.nbib", 9) == recs[0].id


def test_record_round_trips_through_dict():
    r = Record("x", Provenance("wos", "f.txt", 0, 3), title="T", authors=[Author("A", "B")],
               raw={"TI": ["T"], "ZZ": ["1", "2"]})
    assert Record.from_dict(r.to_dict()) == r


def test_to_dict_is_what_asdict_gives_and_shares_no_list():
    from dataclasses import asdict

    r = Record("x", Provenance("wos", "f.txt", 0, 3), title="T", abstract="A", authors=[Author("A", "B")],
               year=2020, journal="J", volume="1", issue="2", pages="3-4", doi="10.1/x", pmid="9",
               issn=["1234-5678"], language="en", publication_type=["Article"], keywords=["k"], url="u",
               raw={"TI": ["T"], "ZZ": ["1", "2"]})
    d = r.to_dict()
    assert d == asdict(r) and list(d) == list(asdict(r)) and list(d["provenance"]) == list(asdict(r)["provenance"])
    d["raw"]["ZZ"].append("3")
    d["issn"].append("x")
    assert r.raw["ZZ"] == ["1", "2"] and r.issn == ["1234-5678"]


def test_jsonl_reads_what_it_writes_and_what_only_the_standard_library_reads(tmp_path):
    import pytest

    from reviewflow.fsio import iter_jsonl, write_jsonl

    rows = [{"a": "Ünïcode – “quotes”", "n": 3, "x": [1.5, None, True]}, {"nan": float("nan")}]
    write_jsonl(tmp_path / "r.jsonl", rows)
    back = list(iter_jsonl(tmp_path / "r.jsonl"))
    assert back[0] == rows[0] and back[1]["nan"] != back[1]["nan"]   # NaN read back (orjson refuses it)
    (tmp_path / "bad.jsonl").write_text('{"a": 1}\n{"a": \n', encoding="utf-8")
    with pytest.raises(ValueError):
        list(iter_jsonl(tmp_path / "bad.jsonl"))
