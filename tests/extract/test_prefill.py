"""Suggested extraction values, each with the page it came from and the sentence that says it."""

from __future__ import annotations

from reviewflow.article.text import read_text
from reviewflow.extract.prefill import FIELDS, prefill, suggest_values

PAGED = """# Peers in supervised consumption
## Abstract
We interviewed peer workers in Vancouver, Canada.

## Introduction
Peer roles began in supervised consumption sites in Canada and needle and syringe programmes in Australia.
\f
## Methods
Design: an interpretive description using focus groups.

Setting: three syringe services programs and a community health center in Glasgow, Scotland, United Kingdom.
The services employ peer navigators.

Participants: 12 peer navigators, nine clients and 5 managers and supervisors, recruited through the services.

Data collection and analysis: focus groups lasting 60 to 90 minutes were recorded; transcripts were analyzed
using reflexive thematic analysis.
\f
## Findings
### Opening doors
Peers spoke of trust.

### Too close to home
"It follows me home." (Peer worker 2)
\f
### Opening doors
A repeated heading.
"""


def test_values_pages_and_snippets_come_from_the_methods():
    got = suggest_values(read_text(PAGED, "paged.md", markdown=True))
    assert got["country"].value == "United Kingdom"          # Scotland is part of it; the Introduction's are not
    assert got["country"].page == "2" and got["country"].section == "methods"
    assert "Glasgow, Scotland, United Kingdom" in got["country"].snippet
    assert got["setting"].value == "syringe service programme; community health centre"   # US spellings match
    assert got["peer_role_titles"].value == "peer navigator"
    assert got["participant_groups"].value == "12 peer navigators; 9 clients; 5 managers and supervisors"
    assert got["sample_size"].value == "26" and got["sample_size"].page == "2"
    assert got["data_collection"].value == "focus groups"
    # The design sentence names 'interpretive description'; the analysis sentence says what was used.
    assert got["analysis_method"].value == "reflexive thematic analysis"
    assert got["analysis_method"].snippet.startswith("Data collection and analysis: focus groups")
    assert got["author_themes"].value == "Opening doors; Too close to home"
    assert got["author_themes"].page == "3, 4"


def test_introduction_results_and_references_are_never_read():
    text = ("Introduction\n\nPeer work began in Canada, where grounded theory studies abound.\n\n"
            "Methods\n\nWe interviewed eleven peer workers in Oslo, Norway, and analysed the transcripts "
            "with reflexive thematic analysis.\n\nResults\n\nIn 2019, 300 clients attended the service in "
            "Sweden.\n\nReferences\n\n1. Smith J. Grounded theory with focus groups in Denmark. 2019.\n")
    got = suggest_values(read_text(text, "t.txt"))
    assert got["country"].value == "Norway"
    assert got["analysis_method"].value == "reflexive thematic analysis"
    assert got["sample_size"].value == "11"
    assert "data_collection" not in got           # 'focus groups' is only in a cited title


def test_sample_size_notations():
    cases = {"Eight focus groups (n = 31) were held with peer workers.": "31",
             "We interviewed twenty peer workers (N = 20).": "20",
             "In all, 31 participants in eight focus groups took part.": "31",
             "Peers (n = 12) and clients (n=18) were interviewed.": "30",
             "Twenty-four peer workers were interviewed.": "24",
             "Structured exit interviews were held with 100 outpatients.": "100"}
    for sentence, want in cases.items():
        got = suggest_values(read_text(f"Methods\n\n{sentence}\n", "t.txt"))
        assert got["sample_size"].value == want, sentence
    got = suggest_values(read_text("Methods\n\nEight focus groups (n = 31) were held with peers.\n", "t.txt"))
    assert got["participant_groups"].value == "31 participants"


def test_plain_headings_and_a_stated_total():
    text = ("2. METHODS\nA total of 30 participants (12 peers and 18 clients) took part in semi-structured "
            "interviews at a methadone clinic in Oslo, Norway. Interviews were analysed using grounded theory.\n\n"
            "3. Results\nPeers felt valued.\n")
    got = suggest_values(text)
    assert got["sample_size"].value == "30"
    assert got["country"].value == "Norway" and got["setting"].value == "methadone clinic"
    assert got["analysis_method"].value == "grounded theory" and got["analysis_method"].section == "methods"
    assert got["data_collection"].value == "semi-structured interviews"


def test_durations_years_and_non_people_are_not_participants():
    got = suggest_values("## Methods\nParticipants: in 2019, 20 interviews lasting 45 to 90 minutes were held "
                         "with 14 peer workers at 3 sites.\n")
    assert got["participant_groups"].value == "14 peer workers"
    assert got["sample_size"].value == "14"


def test_nothing_found_is_left_out_and_prefill_fills_every_field():
    assert suggest_values("## Methods\nNothing to see.\n") == {}
    got = prefill("## Methods\nWe held interviews in New South Wales.\n")
    assert set(got) == set(FIELDS)
    assert got["country"] == "" and got["data_collection"] == "interviews"


def test_abstract_is_the_fallback():
    got = suggest_values("## Abstract\nMETHODS: We held focus groups with 8 peer mentors in Denmark.\n")
    assert got["country"].value == "Denmark" and got["country"].section == "abstract"
    assert got["peer_role_titles"].value == "peer mentor"


def test_documents_named_as_the_sample_in_the_next_sentence_are_the_sample_size():
    text = ("Methods\n\nWe searched the summaries of the allegations; 41 complaints in 18 cases did. These "
            "complaints formed our analytical sample.\n\nWe then obtained 12 reports from the agency.\n")
    assert suggest_values(read_text(text, "t.txt"))["sample_size"].value == "41"
    # Without a word saying they were the sample, a count of documents is no sample size.
    alone = "Methods\n\nWe then obtained 12 reports from the agency. They were long.\n"
    assert "sample_size" not in suggest_values(read_text(alone, "t.txt"))


def test_a_reviews_database_search_is_its_data_collection():
    text = "Methods\n\nDatabases searched were Scopus, CINAHL, Embase, Medline, and PsycINFO.\n"
    got = suggest_values(read_text(text, "t.txt"))
    assert got["data_collection"].value == "database search"
    assert "Databases searched" in got["data_collection"].snippet


def test_an_ambiguous_country_name_counts_in_a_list_of_countries_only():
    listed = "Methods\n\nThe study took place in Mali, Nepal, Niger and Sierra Leone.\n"
    assert suggest_values(read_text(listed, "t.txt"))["country"].value == "Mali; Nepal; Niger; Sierra Leone"
    river = "Methods\n\nThe study took place in villages on the Niger in Mali.\n"
    assert suggest_values(read_text(river, "t.txt"))["country"].value == "Mali"


def test_places_are_the_sample_only_when_they_are_the_data_and_no_person_is_counted():
    programme = ("Methods\n\nData for this analysis come from 212 districts in 9 countries. A total of 7 "
                 "districts were removed for missing data.\n")
    assert suggest_values(read_text(programme, "t.txt"))["sample_size"].value == "212"
    people = ("Methods\n\nData for this analysis come from 12 clinics. We interviewed 30 nurses there.\n")
    assert suggest_values(read_text(people, "t.txt"))["sample_size"].value == "30"
    # Places without a word saying they are the data are where people were found, not a sample.
    recruited = "Methods\n\nParticipants were recruited from 4 sites in Ohio.\n"
    assert "sample_size" not in suggest_values(read_text(recruited, "t.txt"))


def test_a_sample_of_documents_with_no_named_collection_is_document_analysis():
    text = ("Methods\n\nWe identified 57 inspection reports for our analytic sample. Two of us read each one.\n")
    got = suggest_values(read_text(text, "t.txt"))
    assert got["sample_size"].value == "57" and got["data_collection"].value == "document analysis"
    named = "Methods\n\nWe analysed 57 reports and held interviews with their authors.\n"
    assert suggest_values(read_text(named, "t.txt"))["data_collection"].value == "interviews"


def test_the_background_gives_the_country_only_when_the_methods_name_none_and_it_names_one():
    one = ("Background\n\nDental care in Belgium is paid by insurers.\n\nMethods\n\nPatients of the "
           "university clinic filled in a questionnaire.\n")
    got = suggest_values(read_text(one, "t.txt"))
    assert got["country"].value == "Belgium" and got["country"].section == "intro"
    two = ("Background\n\nStudies in Belgium and France differ.\n\nMethods\n\nPatients of the university "
           "clinic filled in a questionnaire.\n")
    assert "country" not in suggest_values(read_text(two, "t.txt"))
    methods = ("Background\n\nStudies in Belgium differ.\n\nMethods\n\nThe study took place in Chile.\n")
    assert suggest_values(read_text(methods, "t.txt"))["country"].value == "Chile"
