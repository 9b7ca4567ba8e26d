"""Normalisation, vetoes, determinism, provenance, the review sheet and the `dedup` command."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from reviewflow.cli import main as cli_main
from reviewflow.dedup.compare import DISTINCT, DUPLICATE, UNCERTAIN, classify, veto
from reviewflow.dedup.engine import deduplicate
from reviewflow.dedup.features import features
from reviewflow.dedup.merge import merge_group
from reviewflow.dedup.normalise import clean_title, doi_key, fold, journal_tokens, journals_compatible, pages_key
from reviewflow.dedup.review import columns, read_review_decisions, write_review_sheet
from reviewflow.records import Author, Provenance, Record
from reviewflow.sheets import write_sheet
from tests.conftest import SHARED, need

BENCH = SHARED / "bench" / "dedup"


def rec(i: int, title: str | None, **kw) -> Record:
    kw.setdefault("year", 2020)
    kw.setdefault("authors", [Author("Lee", "K")])
    kw.setdefault("journal", "Harm Reduction Journal")
    return Record(f"r{i:02d}", Provenance(kw.pop("source", "db"), "f", i, i + 1), title=title, **kw)


def feat(r: Record):
    return features(r, r.id)


def test_titles_normalise_html_greek_tags_and_translation_brackets():
    assert fold("TNF-&alpha; and <i>β</i>-cells") == fold("TNF-alpha and beta-cells")
    assert clean_title("Human papillomavirus and cervical cancer. [Review] [133 refs]") == \
        "Human papillomavirus and cervical cancer."
    assert clean_title("[Peer work in German drug services].") == "Peer work in German drug services"
    assert fold(clean_title("INNOVATION OUTCOMES OF SEARCH CAPABILITY 1")) == "innovation outcomes of search capability"


def test_pages_journals_and_dois():
    assert pages_key("104-9") == pages_key("104-109") == ("104", "109")
    assert pages_key("e0123") == ("e123", "")
    assert pages_key("pt-51") == ("", "")  # junk is unknown, never a veto
    assert journals_compatible(journal_tokens("Int J Drug Policy"),
                               journal_tokens("International Journal of Drug Policy"))
    assert journals_compatible(journal_tokens("Proc Natl Acad Sci U S A"), journal_tokens(
        "Proceedings of the National Academy of Sciences of the United States of America"))
    assert not journals_compatible(journal_tokens("Addiction"), journal_tokens("Drug and Alcohol Dependence"))
    assert doi_key("https://doi.org/10.1016/S0025-7753%2817%2930624-3") == "10.1016/s0025-7753(17)30624-3"
    assert doi_key("10.25300/MISQ/2020/14911/") == doi_key("10.25300/misq/2020/14911")  # a link's slash
    # Both names of two words: either may be the abbreviation.
    for x, y in (("Surgical Endoscopy", "Surg Endosc"), ("Surg Endosc", "Surgical Endoscopy")):
        assert journals_compatible(journal_tokens(x), journal_tokens(y))
    assert not journals_compatible(journal_tokens("Surgical Endoscopy"), journal_tokens("Social Epistemology"))


def test_hard_vetoes():
    base = rec(0, "Peer workers at overdose prevention sites: a qualitative study", doi="10.1234/a1", volume="12",
               pages="10-19")
    assert veto(feat(base), feat(rec(1, base.title, doi="10.1234/a2"))) == "doi"  # DOIs never fuzzy
    assert veto(feat(base), feat(rec(1, "Erratum: " + base.title))) == "kind"
    assert veto(feat(base), feat(rec(1, "Comment on: " + base.title))) == "kind"
    assert veto(feat(base), feat(rec(1, base.title + ": study protocol"))) == "kind"
    assert veto(feat(base), feat(rec(1, base.title, volume="13"))) == "volume"
    assert veto(feat(base), feat(rec(1, base.title, volume="12", pages="200-209"))) == "pages"
    assert veto(feat(base), feat(rec(1, base.title, volume="12", pages="19"))) == ""  # last page only
    assert veto(feat(base), feat(rec(1, base.title, year=2023))) == "year"
    conf = rec(1, base.title, journal=None, raw={"booktitle": ["Annual Conference on Harm Reduction"]})
    assert veto(feat(base), feat(conf)) == "kind"


def test_empty_short_and_generic_titles_never_match_on_title():
    a, b = rec(0, ""), rec(1, "")
    assert classify(feat(a), feat(b))[0] == DISTINCT
    assert classify(feat(rec(0, "Editorial")), feat(rec(1, "Editorial")))[0] == DISTINCT
    assert classify(feat(rec(0, "Harm Reduction Journal")), feat(rec(1, "Harm Reduction Journal")))[0] == DISTINCT
    # The same long title, authors and year: a duplicate.
    t = "Peer workers at overdose prevention sites: a qualitative study"
    assert classify(feat(rec(0, t)), feat(rec(1, t.upper() + ".")))[0] == DUPLICATE


def test_kinds_of_duplicate_the_vetoes_used_to_refuse():
    # A database drops the subtitle; authors, journal, year, volume, issue and pages all agree.
    full = dict(volume="29", issue="2", pages="126-134", journal="Topics in Geriatric Rehabilitation")
    a, b = rec(0, "Unilateral neglect in stroke", **full), rec(1, "Unilateral neglect in stroke: a comparative study",
                                                                   **full)
    assert classify(feat(a), feat(b))[:1] == (DUPLICATE,)
    assert classify(feat(a), feat(rec(1, b.title, **{**full, "pages": "135-140"})))[0] == DISTINCT
    # An abstract in a supplement, one database giving the supplement's number as the volume.
    t = "Glucagon-like peptide-1 receptor is expressed in atherosclerotic vascular lesions: an animal study"
    sup = rec(0, t, volume="16", issue="SUPPL. 1", journal="European Heart Journal Cardiovascular Imaging")
    as_volume = rec(1, t, volume="1", pages="i22-i23", journal="European Heart Journal Cardiovascular Imaging")
    assert veto(feat(sup), feat(as_volume)) == ""
    assert veto(feat(sup), feat(rec(1, t, volume="2", pages="i22-i23", journal=sup.journal))) == "volume"
    # A meeting's front matter: a title that says little, no author, the same abstract and issue.
    text = "The proceedings contain 65 papers. The topics discussed include: " + "differentiation of cells; " * 4
    head = dict(title="BAS/BSCR Poster Abstracts", authors=[], volume="97", issue="20", issn=["1355-6037"],
                abstract=text)
    meeting = rec(0, journal="Heart. Conference: British Atherosclerosis Society Annual Meeting", **head)
    assert classify(feat(meeting), feat(rec(1, journal="Heart", **head)))[0] == DUPLICATE
    assert classify(feat(meeting), feat(rec(1, journal="Heart", **{**head, "abstract": text[:-30] + "x"})))[0] \
        == DISTINCT
    # The same title, author list and year in one issue of one journal, pages given another way.
    team = [Author("Yablon", "S"), Author("Sherer", "M"), Author("Todd", "N")]
    t3 = "Amantadine hydrochloride for treatment of symptoms of the posttraumatic confusional state"
    where = dict(journal="Archives of Physical Medicine and Rehabilitation", volume="91", issue="10", authors=team,
                 year=2010)
    assert classify(feat(rec(0, t3, pages="e8-e9", **where)), feat(rec(1, t3 + ":", pages="e3", **where)))[0] \
        == DUPLICATE
    # Not with one author fewer, another volume, another year (in one volume: the pages veto), or in
    # another journal (two reports).
    first = feat(rec(0, t3, pages="e8-e9", **where))
    for other, why in (({"authors": team[:2]}, "pages"), ({"volume": "92"}, "volume"), ({"year": 2012}, "pages"),
                       ({"journal": "Stroke", "volume": "41"}, "venue")):
        assert veto(first, feat(rec(1, t3, pages="e3", **{**where, **other}))) == why, other
    # A journal's ISSN ties a meeting abstract to the journal that printed it ('Circ Res').
    t2 = "Cardiac sodium glucose cotransporter 1 is cardioprotective in ischemia reperfusion injury"
    c = rec(0, t2, journal="Circulation Research. Conference: Basic Cardiovascular Sciences", volume="111",
            issn=["0009-7330"])
    assert classify(feat(c), feat(rec(1, t2, journal="Circ Res", volume="111", issn=["0009-7330"])))[0] == DUPLICATE


def test_the_same_pages_of_one_journal_volume_are_one_article():
    # Written from the kinds of pair missed on the labelled sets (a title translated by one
    # database, a study group or a garbled first author), not from any record of them.
    at = dict(journal="Annales Francaises d'Anesthesie et de Reanimation", volume="13", pages="280-284", year=1994)
    french = rec(0, "Comparison of amoxicillin and cefamandole in the prevention of bronchopulmonary infections",
                 **at)
    english = rec(1, "Antibiotic prophylaxis in pulmonary surgery: a double-blind study of amoxicillin",
                  **{**at, "journal": "Ann Fr Anesth Reanim"})
    assert classify(feat(french), feat(english))[0] == DUPLICATE
    # The same title under the study group's name, or the first author's name garbled.
    t = "A randomized trial on the management of low-grade squamous intraepithelial lesion cytology"
    walker = rec(2, t, **at)
    for other in ([Author("ALTS Group", "")], [Author("Taaaj", "A")]):
        assert classify(feat(walker), feat(rec(3, t, **{**at, "authors": other})))[0] == DUPLICATE
    # Other authors and another title at the same pages: a data error, not a duplicate.
    stranger = rec(4, english.title, **{**at, "authors": [Author("Okafor", "N")]})
    assert classify(feat(french), feat(stranger))[0] == DISTINCT
    # Not one page (several letters or abstracts share a page), not a supplement, not another volume.
    for kw_a, kw_b in (({"pages": "280"}, {"pages": "280"}), ({"issue": "Suppl 2"}, {"issue": "Suppl 2"}),
                       ({}, {"volume": "14"}), ({}, {"pages": "280-285"}), ({"issue": "1"}, {"issue": "2"})):
        pair = feat(rec(5, french.title, **{**at, **kw_a})), feat(rec(6, english.title, **{**at, **kw_b}))
        assert classify(*pair)[0] == DISTINCT


def test_a_heading_or_a_misspelt_first_author_in_one_issue():
    issue = dict(journal="Journal of Substance Use", volume="13", issue="4", year=1989)
    t = "Managing the merger: building partnership through IT planning"
    plain = rec(0, t, **issue)
    # A section heading before the title, or a subtitle after it, that one source leaves out.
    for longer in ("Original article: " + t, t + ": lessons from the field"):
        assert classify(feat(plain), feat(rec(1, longer, **issue)))[0] == DUPLICATE
    # Not another part of a series, nor another issue, nor a recurring three-word column title.
    assert classify(feat(plain), feat(rec(1, t + ", part 2", **issue)))[0] != DUPLICATE
    one, two = rec(0, t + ", part 1", **issue), rec(1, t + ", part II", **issue)
    assert classify(feat(one), feat(two))[0] == DISTINCT
    assert classify(feat(two), feat(rec(2, t + ", part 2", **issue)))[0] == DUPLICATE  # 2 and II
    assert classify(feat(plain), feat(rec(1, t + ": a rejoinder", **issue)))[0] != DUPLICATE
    # 'Part of' is not a part number: a subtitle one source leaves out still merges.
    assert classify(feat(plain), feat(rec(1, t + ": being part of the team", **issue)))[0] == DUPLICATE
    assert classify(feat(plain), feat(rec(1, "Original article: " + t, **{**issue, "issue": "3"})))[0] \
        != DUPLICATE
    column = rec(2, "Editor's comments", **issue)
    assert classify(feat(column), feat(rec(3, "Editor's comments: the rhetoric of positivism", **issue)))[0] \
        != DUPLICATE
    # The same title in one issue, the first author's name read or spelt another way.
    hertog = rec(4, "The 1985 opinion survey of information managers: key issues", authors=[Author("Hertog", "J")],
                 **issue)
    assert classify(feat(hertog), feat(rec(5, hertog.title, authors=[Author("Hartog", "J")], **issue)))[0] \
        == DUPLICATE
    for other, where in ((Author("Okafor", "N"), issue), (Author("Hartog", "J"), {**issue, "volume": "14"}),
                         (Author("Lei", "K"), issue)):
        first = hertog if other.family != "Lei" else rec(4, hertog.title, **issue)   # Lee
        assert classify(feat(first), feat(rec(5, hertog.title, authors=[other], **where)))[0] != DUPLICATE


def test_a_thesis_and_its_listing_go_to_a_reviewer_and_never_merge():
    t = "A within-subjects experimental evaluation of a television assisted prompting system"
    thesis = rec(0, t, volume="Ph.D.", pages="62 p", journal=None, year=2008)
    listing = rec(1, t, volume="69", issue="8-B", pages="4714", year=2009,
                  journal="Dissertation Abstracts International: Section B: The Sciences and Engineering")
    assert feat(thesis).kind == "thesis" and feat(listing).kind == "article"
    assert veto(feat(thesis), feat(listing)) == "thesis"   # so groups are never joined across it
    assert classify(feat(thesis), feat(listing))[0] == UNCERTAIN
    assert classify(feat(thesis), feat(rec(1, t, volume="12", pages="1-9", year=2012)))[0] == DISTINCT  # its article
    assert classify(feat(thesis), feat(rec(1, t, volume="PhD", pages="62 p", journal=None, year=2008)))[0] == DUPLICATE
    assert deduplicate([thesis, listing]).uncertain[0].reason.startswith("same title, a thesis")


def test_one_doi_on_different_titles_is_not_a_duplicate():
    a = rec(0, "Linagliptin and plaque volume in rabbits", doi="10.1093/eurheartj/ehx502")
    b = rec(1, "Sitagliptin and renal function in a cohort of older adults", doi="10.1093/eurheartj/ehx502")
    assert classify(feat(a), feat(b))[0] == DISTINCT


def _corpus() -> list[Record]:
    t1 = "Peer workers at overdose prevention sites: a qualitative study"
    t2 = "Boundary negotiation among peer support workers in harm reduction"
    return [
        rec(0, t1, doi="10.1234/a1", volume="12", pages="10-19"),
        rec(1, t1.upper(), volume="12", pages="10-9", journal="Harm Reduct J", source="embase"),
        rec(2, t1 + " [Review]", authors=[Author("Lee", "K."), Author("Park", "J")]),
        rec(3, t1, doi="10.1234/a9"),          # another DOI: never with 0
        rec(4, "Erratum: " + t1),
        rec(5, t2, authors=[Author("Okafor", "N")], volume="3"),
        rec(6, t2.lower(), authors=[Author("Okafor", "N")], volume="3"),
        rec(7, "", authors=[Author("Okafor", "N")], volume="3"),
    ]


def _partition(result, keys):
    return sorted(sorted(keys[i] for i in g) for g in result.groups)


def test_groups_do_not_depend_on_row_order_or_jobs():
    records = _corpus()
    keys = [r.id for r in records]
    expected = _partition(deduplicate(records, keys), keys)
    assert ["r00", "r01", "r02"] in expected and ["r03"] in expected and ["r05", "r06"] in expected
    for seed in range(5):
        order = list(range(len(records)))
        random.Random(seed).shuffle(order)
        shuffled = [records[i] for i in order]
        skeys = [keys[i] for i in order]
        assert _partition(deduplicate(shuffled, skeys, jobs=2), skeys) == expected


def test_worker_processes_give_the_same_groups(monkeypatch):
    from reviewflow.dedup import engine

    records = _corpus()
    keys = [r.id for r in records]
    serial = deduplicate(records, keys, jobs=1)
    monkeypatch.setattr(engine, "PARALLEL_MIN_PAIRS", 0)
    monkeypatch.setattr(engine, "PARALLEL_MIN_RECORDS", 0)
    parallel = deduplicate(records, keys, jobs=2)
    assert _partition(parallel, keys) == _partition(serial, keys) and parallel.uncertain == serial.uncertain


def test_different_dois_never_share_a_group_even_through_a_bridge():
    t = "Peer workers at overdose prevention sites: a qualitative study"
    records = [rec(0, t, doi="10.1234/x1"), rec(1, t), rec(2, t, doi="10.1234/x2")]
    groups = deduplicate(records).groups
    assert all(not {0, 2} <= set(g) for g in groups)


def test_merge_keeps_every_member_and_says_where_each_field_came_from():
    a = rec(0, "T title of a report", authors=[], source="pubmed")
    b = rec(1, "T title of a report", doi="10.1/x", abstract="abs", source="embase", publication_type=["Review"])
    merged, prov = merge_group([a, b])
    assert merged.id == "r00" and merged.doi == "10.1/x" and merged.abstract == "abs"
    assert prov["members"] == ["r00", "r01"] and prov["sources"] == ["pubmed", "embase"]
    assert prov["fields"]["title"] == "r00" and prov["fields"]["doi"] == "r01"
    assert prov["accumulated"]["publication_type"] == {"Review": "r01"}


def test_review_sheet_round_trip_and_decisions_win(tmp_path: Path):
    t = "Peer workers at overdose prevention sites: a qualitative study"
    records = [rec(0, t, year=2020, authors=[]), rec(1, t, year=2021, authors=[], journal=None)]
    result = deduplicate(records)
    assert len(result.groups) == 2 and len(result.uncertain) == 1  # uncertain: not merged
    sheet = tmp_path / "pairs.xlsx"
    by_id = {r.id: r for r in records}
    write_review_sheet(sheet, result.uncertain, by_id)
    first = sheet.read_bytes()
    write_review_sheet(sheet, result.uncertain, by_id)
    assert sheet.read_bytes() == first  # deterministic to the byte
    decisions, pending = read_review_decisions(sheet, by_id)
    assert decisions == {} and pending == ["r00 | r01"]
    # A reviewer fills the decision (simulated by writing the same sheet with the cell filled).
    from reviewflow.dedup.review import INSTRUCTIONS, review_rows
    rows = review_rows(result.uncertain, by_id)
    assert "year" in rows[0]["differs"] and rows[0]["a_year"].startswith("≠")
    rows[0]["decision"] = "duplicate"
    write_sheet(sheet, columns(), rows, title="uncertain pairs", instructions=INSTRUCTIONS, key="pair")
    decisions, pending = read_review_decisions(sheet, by_id)
    assert decisions == {("r00", "r01"): "duplicate"} and pending == []
    merged = deduplicate(records, decisions=decisions)
    assert len(merged.groups) == 1 and merged.uncertain == []
    apart = deduplicate(records, decisions={("r00", "r01"): "different"})
    assert len(apart.groups) == 2 and apart.uncertain == []


def _read_pred(path: Path) -> dict[str, str]:
    with open(path, newline="", encoding="utf-8") as fh:
        return {row["record_id"]: row["group_id"] for row in csv.DictReader(fh)}


def test_cli_on_a_bench_dataset_copies_ids_and_keeps_every_row(tmp_path: Path, capsys):
    ds = need(BENCH / "special_cases", "the dedup bench")
    out = tmp_path / "pred.csv"
    assert cli_main(["dedup", str(ds / "records.csv"), "-o", str(out), "--jobs", "2"]) == 0
    pred = _read_pred(out)
    with open(ds / "truth.csv", newline="", encoding="utf-8") as fh:
        truth = {row["record_id"]: row["group_id"] for row in csv.DictReader(fh)}
    assert set(pred) == set(truth)
    by_truth: dict[str, set[str]] = {}
    for rid, g in truth.items():
        by_truth.setdefault(g, set()).add(pred[rid])
    assert all(len(gs) == 1 for gs in by_truth.values())  # no missed duplicate here
    assert len(set(pred.values())) == len(set(truth.values()))


def test_cli_keeps_rows_without_a_title_and_rejects_repeated_ids(tmp_path: Path, capsys):
    src = tmp_path / "in.csv"
    src.write_text("record_id,title,author,year\nx1,A study of peer work in drug services,\"Lee, K\",2020\n"
                   "x2,,,\nx3,A study of peer work in drug services,\"Lee, K\",2020\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert cli_main(["dedup", str(src), "-o", str(out)]) == 0
    assert _read_pred(out) == {"x1": "x1", "x2": "x2", "x3": "x1"}
    src.write_text("record_id,title\nx1,A title\nx1,Another title\n", encoding="utf-8")
    assert cli_main(["dedup", str(src), "-o", str(out)]) == 2
    assert "repeats" in capsys.readouterr().err
