"""Issue 14's check on the real articles, against the facts we read in them (tests/fulltext_labels.yaml):
every research article's findings section is found, each qualitative one yields coded segments, and a
file without a Results section says so instead of inventing one."""

from __future__ import annotations

import pytest
import yaml

from reviewflow.article.read import read_article
from reviewflow.config import load_config
from reviewflow.synthesis.codebook import codes_from_config
from reviewflow.synthesis.coding import suggest_codes
from reviewflow.synthesis.segments import find_findings
from tests.conftest import ROOT, SHARED, need

LABELS = yaml.safe_load((ROOT / "tests" / "fulltext_labels.yaml").read_text(encoding="utf-8"))
FULLTEXT = SHARED / "fixtures" / "fulltext"


def findings(name: str):
    return find_findings("x", read_article(need(FULLTEXT / name, "shared full-text fixture")))


@pytest.mark.parametrize("name", sorted(n for n, lab in LABELS.items() if lab["findings_heading"]))
def test_findings_section_found_as_printed_with_every_paragraph(name):
    label = LABELS[name]
    f = findings(name)
    assert f.found and f.headings == (label["findings_heading"],)
    assert f.segments and all(s.basis == "findings section" for s in f.segments)
    assert set(label["theme_headings"]) <= set(f.themes)


@pytest.mark.parametrize("name", sorted(n for n, lab in LABELS.items() if lab["qualitative"]))
def test_qualitative_articles_yield_coded_segments(name):
    codes = codes_from_config(load_config(ROOT / "config" / "config.yaml", ROOT)["codebook"])
    f = findings(name)
    coded = {s.segment_id for s in suggest_codes(f.segments, codes)}
    assert coded and coded <= {s.id for s in f.segments}


@pytest.mark.parametrize("name", sorted(n for n, lab in LABELS.items() if not lab["findings_heading"]))
def test_a_file_without_results_says_so_and_marks_its_fallback(name):
    f = findings(name)
    assert not f.found and not f.headings
    assert all(s.basis == "no findings section" for s in f.segments)


def test_labels_cover_every_fixture():
    folder = need(FULLTEXT, "shared full-text fixtures")
    assert sorted(p.name for p in folder.iterdir() if p.suffix in (".pdf", ".xml")) == sorted(LABELS)
