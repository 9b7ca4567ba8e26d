"""How the demo scores extraction suggestions against the characteristics its generator wrote."""

from __future__ import annotations

from reviewflow.demo.extraction_accuracy import _page_right, is_correct
from reviewflow.demo.reviewers import PDF_SHARE, delivered_as_pdf

TRUE = {"country": "United Kingdom", "setting": "two supervised consumption sites run by a health authority",
        "peer_role_titles": "community health workers with lived experience",
        "data_collection": "ethnographic fieldwork with participant observation and interviews",
        "analysis_method": "the framework method", "participant_groups": [9, 13, 28], "sample_size": 50,
        "pages": ["Title. Abstract. Glasgow, United Kingdom.", "Participants: 28 peers, 13 clients and 9 staff."]}


def test_a_suggested_term_counts_when_the_true_phrase_holds_it():
    assert is_correct("setting", "supervised consumption site", TRUE)
    assert not is_correct("setting", "supervised consumption site; shelter", TRUE)    # every term must hold
    assert is_correct("peer_role_titles", "community health worker", TRUE)
    assert is_correct("data_collection", "participant observation; interviews", TRUE)
    assert is_correct("analysis_method", "framework method", TRUE)
    assert not is_correct("analysis_method", "interpretive description; framework method", TRUE)
    assert is_correct("country", "United Kingdom", TRUE) and not is_correct("country", "Wales; United Kingdom", TRUE)
    assert is_correct("participant_groups", "28 peer workers; 13 clients; 9 staff and managers", TRUE)
    assert not is_correct("participant_groups", "clients; staff", TRUE)
    assert is_correct("sample_size", "50", TRUE) and not is_correct("sample_size", "", TRUE)


def test_the_page_cited_must_show_the_true_value():
    assert _page_right("country", "1", TRUE) and not _page_right("country", "2", TRUE)
    assert _page_right("sample_size", "2", TRUE) and not _page_right("sample_size", "1", TRUE)
    assert not _page_right("country", "7", TRUE) and not _page_right("country", "", TRUE)


def test_about_half_the_reports_come_as_pdfs_and_always_the_same_ones():
    drawn = [delivered_as_pdf(20230901, f"D{i:05d}") for i in range(400)]
    assert drawn == [delivered_as_pdf(20230901, f"D{i:05d}") for i in range(400)]
    assert abs(sum(drawn) / len(drawn) - PDF_SHARE) < 0.1
