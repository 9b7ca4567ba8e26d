from reviewflow.extract.prefill import prefill
from reviewflow.synthesis.codebook import Code
from reviewflow.synthesis.coding import suggest_codes
from reviewflow.synthesis.segments import split_findings

TEXT = """# A study
Lee K; Ng P
Harm Reduction Journal 2019

## Abstract
Peer workers were interviewed.

## Methods
We held semi-structured interviews with 14 peer workers at a supervised consumption site
in Canada and used reflexive thematic analysis.

## Findings
### Being there for people
Peers described long hours with clients
who trusted them.

"I know what it is like out there, so they talk to me." (Peer worker 3)

### Carrying the weight
"After the third death that month I could not sleep." (Peer worker 9)

## Discussion
Nothing to code here.
"""


def test_findings_are_split_into_blocks_with_headings_and_kinds():
    segs = split_findings("r1", TEXT)
    assert [s.segment for s in segs] == [1, 2, 3]
    assert segs[0].kind == "author_statement" and segs[0].heading == "Being there for people"
    assert segs[0].text == "Peers described long hours with clients who trusted them."
    assert segs[0].line == 14
    assert segs[1].kind == "participant_quote"
    assert segs[2].heading == "Carrying the weight"
    assert segs[2].id == "r1:3"


def test_suggestions_use_indicators_first_then_similarity():
    codes = [Code("GRIEF", "Grief and loss", "T", "T", "Sadness after a death of clients", ("death",)),
             Code("TRUST", "Trust", "T", "T", "Clients talk openly to peers who know their life", ())]
    sugg = suggest_codes(split_findings("r1", TEXT), codes)
    by_seg = {}
    for s in sugg:
        by_seg.setdefault(s.segment_id, []).append(s)
    assert by_seg["r1:3"][0].code == "GRIEF" and by_seg["r1:3"][0].basis == "indicator: death"
    assert sugg == suggest_codes(split_findings("r1", TEXT), codes)


def test_prefill_reads_the_methods_vocabulary():
    got = prefill(TEXT)
    assert got["country"] == "Canada"
    assert got["setting"] == "supervised consumption site"
    assert got["data_collection"] == "semi-structured interviews"
    assert got["analysis_method"] == "reflexive thematic analysis"
    assert got["author_themes"] == "Being there for people; Carrying the weight"
