"""Pairwise decisions: hard vetoes that prove two records are different reports, and the rules
that call a pair a duplicate, uncertain (for a reviewer) or distinct.

The rules look at one pair at a time and nothing else, so a decision never depends on the
other records, their order, or how the pairs were split between worker processes.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from .features import Feat
from .normalise import journals_compatible, pages_overlap

DUPLICATE, UNCERTAIN, DISTINCT = "duplicate", "uncertain", "distinct"

# Title similarity (rapidfuzz ratio of the folded titles, 0-100).
NEAR_IDENTICAL = 95.0
SIMILAR = 80.0   # chosen leave-one-dataset-out (benchmarks/dedup_lodo.py; 85 before)
# A title shorter than this (in characters) matches by chance: 'Cardiovascular disease'.
SHORT_TITLE = 30
# A truncated title (databases cut at 250 characters, some at 100) still identifies a work
# when the shared part is this long.
TRUNCATED_MIN = 60


def same_journal(a: Feat, b: Feat) -> bool:
    """Both name a journal and the names (or ISSNs) agree, abbreviations allowed."""
    if a.issn and b.issn and a.issn & b.issn:
        return True
    return bool(a.journal and b.journal) and journals_compatible(a.journal, b.journal)


def other_journal(a: Feat, b: Feat) -> bool:
    """Both name a journal and the names cannot be one journal."""
    return bool(a.journal and b.journal) and not same_journal(a, b)


def _same_abstract_venue(a: Feat, b: Feat) -> bool:
    """A conference abstract against a record of the journal that printed it.

    Embase names an abstract 'Circulation. Conference: ...', other databases 'Circulation 136
    (Suppl 1)' or just 'Circulation': the kinds differ only in how the databases describe it.
    A full paper that grew out of an abstract is in another journal, volume or year, and those
    vetoes still apply."""
    if {a.kind, b.kind} != {"conference", "article"}:
        return False
    article, meeting = (a, b) if a.kind == "article" else (b, a)
    if article.supplement or article.issn & meeting.issn:
        # (An ISSN names the journal that printed the meeting's abstracts: 'Circ Res' and
        # 'Circulation Research. Conference: ...' share 0009-7330.)
        return True
    # 'Heart. Conference: British Atherosclerosis Society ...' against 'Heart': the meeting's
    # venue starts with the journal's name (not 'Workshop of Digital Studies' vs 'Journal of ...').
    n = len(article.journal)
    return n > 0 and len(meeting.journal) >= n and journals_compatible(meeting.journal[:n], article.journal)


def same_report_text(a: Feat, b: Feat) -> bool:
    """The same title word for word (six words or more), the same list of two or more authors and the
    same year. In one journal that is one report even where the pages or the issue disagree (a database
    that gives the pages another way, 'e3' / 'e8-e9'). Not across journals: a guideline or an abstract
    printed in two journals is two reports, each with its own citation (the labelled sets disagree among
    themselves there). Parts of a series and replies have their own guards; DOIs, PMIDs, kinds of
    report and volumes still veto."""
    return (bool(a.tkey) and a.tkey == b.tkey and min(a.nwords, b.nwords) >= 6 and len(a.authors) >= 2
            and a.authors == b.authors and bool(a.year) and a.year == b.year)


def thesis_and_listing(a: Feat, b: Feat) -> bool:
    """A thesis against a record of another kind (its listing in Dissertation Abstracts, or the
    article it became): the same title, but whether it is one report is a reviewer's call."""
    return a.kind != b.kind and "thesis" in (a.kind, b.kind) and "article" in (a.kind, b.kind)


def _supplement_volume(a: Feat, b: Feat) -> bool:
    """One record gives the supplement's number as its volume ('16 (Suppl 1)' against '1')."""
    return bool(a.suppl_no and a.suppl_no == b.volume) or bool(b.suppl_no and b.suppl_no == a.volume)


def veto(a: Feat, b: Feat) -> str:
    """The reason two records cannot be one report, or '' if nothing proves them different.

    Used for every candidate pair and again, across groups, before two groups are joined.
    """
    if a.doi and b.doi and a.doi != b.doi:
        return "doi"
    if a.pmid and b.pmid and a.pmid != b.pmid:
        return "pmid"
    if thesis_and_listing(a, b):
        return "thesis"
    if a.kind != b.kind and not _same_abstract_venue(a, b):
        return "kind"
    same_id = bool(a.doi and a.doi == b.doi) or bool(a.pmid and a.pmid == b.pmid)
    same_volume = bool(a.volume and a.volume == b.volume) and same_journal(a, b) and bool(a.journal)
    if a.year and b.year and not same_id and not same_volume:
        # (One volume of one journal is one year: a year that disagrees with it is a typo.)
        gap = abs(a.year - b.year)
        # Online-first vs print: one year apart. Conferences are annual: the same title a year
        # later is next year's paper (or minitrack introduction), not a copy.
        if gap > 1 or (gap == 1 and "conference" in (a.kind, b.kind)):
            return "year"
    if same_id:
        return ""
    overlap = pages_overlap((a.fpage, a.lpage), (b.fpage, b.lpage))
    if same_journal(a, b):
        if a.supplement or b.supplement:
            # Supplements number issues and pages their own way, and a database may give the
            # supplement's number as the volume ('Suppl 1' -> 1): the same pages outweigh that.
            return "volume" if a.volume and b.volume and a.volume != b.volume and not overlap \
                and not _supplement_volume(a, b) else ""
        if a.volume and b.volume and a.volume != b.volume:
            return "volume"
        # Pages only when both records are in the same state: an online-first record (no volume
        # yet) has its own pagination ('1-17' against the issue's '566-582'); and not against the
        # same title, author list and year, whose pages a database gave another way ('e3' / 'e8-e9').
        if bool(a.volume) == bool(b.volume) and overlap is False and not same_report_text(a, b):
            return "pages"
        if a.volume and b.volume and a.issue and b.issue and a.issue != b.issue and not overlap \
                and not same_report_text(a, b):
            return "issue"
    elif other_journal(a, b) and ((a.volume and b.volume and a.volume != b.volume) or overlap is False):
        # Another journal, volume and pages: the same abstract printed in two journals, or a
        # paper published twice. Two reports, each with its own citation.
        return "venue"
    return ""


def title_similarity(a: Feat, b: Feat) -> float:
    """0-100; a title cut short by a database counts as near-identical to the full one."""
    if not a.title or not b.title:
        return 0.0
    if a.tkey == b.tkey:
        return 100.0
    score = fuzz.ratio(a.title, b.title)
    if score < NEAR_IDENTICAL:
        short, long_ = (a.tkey, b.tkey) if len(a.tkey) <= len(b.tkey) else (b.tkey, a.tkey)
        if len(short) >= TRUNCATED_MIN and long_.startswith(short):
            return NEAR_IDENTICAL
    return score


def authors_agree(a: Feat, b: Feat) -> bool | None:
    """True if the first authors are one person, False if not, None if a list is missing."""
    if not a.first or not b.first:
        return None
    if a.first == b.first or fuzz.ratio(a.first, b.first) >= 85:
        return True
    # Family names in two parts or in the other order ('Andres, Gamboa O' / 'Andres-Gamboa, O').
    if a.first in b.first_names or b.first in a.first_names:
        return True
    # The first author garbled or lost (PDF extraction), but the other list's first author is
    # among this one's first five, or two of the first five authors agree.
    return a.first in b.surnames or b.first in a.surnames or len(a.surnames & b.surnames) >= 2


def _position(a: Feat, b: Feat) -> int:
    """How many of volume, first page, year and journal agree (0-4)."""
    return sum((bool(a.volume and a.volume == b.volume), bool(a.fpage and a.fpage == b.fpage),
                bool(a.year and a.year == b.year), same_journal(a, b) and bool(a.journal)))


def _subtitle_dropped(a: Feat, b: Feat) -> bool:
    """One title is the other's main title, without what follows its colon."""
    return bool(a.mkey and a.mkey == b.tkey) or bool(b.mkey and b.mkey == a.tkey)


def _full_position(a: Feat, b: Feat) -> bool:
    """Same journal, year, volume, issue, first and last page."""
    return bool(a.volume and a.issue and a.fpage and a.lpage) and _position(a, b) == 4 \
        and (a.issue, a.lpage) == (b.issue, b.lpage)


def _same_page_range(a: Feat, b: Feat) -> bool:
    """One journal, year and volume, and the same range of two or more pages, outside supplements.

    Two articles cannot fill the same pages of one volume: the records are one article, whatever
    their titles say (a title translated by one database, kept in the original by another). Not a
    single page, nor a supplement: there, several abstracts share a page."""
    # (One issue: a journal may start every issue at page 1.)
    return bool(a.fpage and a.lpage and a.year) and a.fpage != a.lpage and not (a.supplement or b.supplement) \
        and (a.fpage, a.lpage, a.year) == (b.fpage, b.lpage, b.year) and _one_issue(a, b)


# Words that make the longer title another part of a series or a reply to the paper, not the paper
# ('reply' and 'rejoinder' are in Feat.replies, which classify compares before this).
_PART_WORDS = frozenset("part parts i ii iii iv v vi 1 2 3 4 5 6 continued response responses "
                        "commentary comment erratum correction corrigendum retraction".split())
def _heading_added(a: Feat, b: Feat) -> bool:
    """The shorter title (four words or more) is the start or the end of the longer one, and what
    the longer adds does not number a part ('... part 2') or make it a reply ('...: a rejoinder')."""
    short, long_ = sorted((a.title.split(), b.title.split()), key=len)
    n = len(short)
    if n < 4 or n == len(long_):
        return False
    if long_[:n] == short:
        extra = long_[n:]
    elif long_[-n:] == short:
        extra = long_[:-n]
    else:
        return False
    return not _PART_WORDS.intersection(extra)


def _one_issue(a: Feat, b: Feat) -> bool:
    """One volume of one journal, the issues and years agreeing where both give them."""
    return bool(a.volume and a.volume == b.volume) and same_journal(a, b) \
        and not (a.issue and b.issue and a.issue != b.issue) and not (a.year and b.year and a.year != b.year)


def _name_misspelt(x: str, y: str) -> bool:
    """Two surnames of five letters or more that differ by a letter or two (not 'Lee' / 'Lei')."""
    return min(len(x), len(y)) >= 5 and fuzz.ratio(x, y) >= 70


def _contained(a: Feat, b: Feat) -> float:
    """partial_ratio of the shorter title within the longer (0 if the shorter is too short)."""
    short, long_ = (a.title, b.title) if len(a.title) <= len(b.title) else (b.title, a.title)
    if len(short) < 30 or len(short.split()) < 5:
        return 0.0
    score = fuzz.partial_ratio(short, long_, score_cutoff=95)
    return score


def classify(a: Feat, b: Feat) -> tuple[str, float, str]:
    """(decision, strength, reason) for one candidate pair."""
    why = veto(a, b)
    if why == "thesis" and a.title and title_similarity(a, b) >= NEAR_IDENTICAL and authors_agree(a, b) is not False \
            and not (a.year and b.year and abs(a.year - b.year) > 1):
        # Never merged (nor joined through others), but worth a reviewer's look: a listing comes
        # within a year; the article a thesis became, years later, is another report.
        return UNCERTAIN, 30.0, "same title, a thesis and another kind of record"
    if why:
        return DISTINCT, 0.0, f"veto:{why}"
    tsim = title_similarity(a, b)
    auth = authors_agree(a, b)
    same_id = bool(a.doi and a.doi == b.doi) or bool(a.pmid and a.pmid == b.pmid)
    if same_id:
        # One DOI on two different titles: a supplement's DOI on every abstract in it, or a DOI
        # pasted onto the wrong record. Identifiers decide only when the titles do not object.
        if not a.title or not b.title or tsim >= 80:
            return (DUPLICATE, 100.0 + tsim / 100, "same identifier") if auth is not False or tsim >= 80 else (
                UNCERTAIN, 50.0, "same identifier, other authors")
        if auth and tsim >= 60:
            return UNCERTAIN, 50.0 + tsim / 100, "same identifier, titles differ"
        return DISTINCT, 0.0, "same identifier, other title"
    if not a.title or not b.title:
        # Never a title match on an empty or generic title: it would pull in every record of a
        # journal issue. Only the full bibliographic position makes it worth a look.
        if auth and a.year == b.year and a.volume and a.volume == b.volume and a.fpage and a.fpage == b.fpage \
                and same_journal(a, b):
            return UNCERTAIN, 40.0, "no title, same authors and position"
        return DISTINCT, 0.0, "no title"
    if _same_page_range(a, b) and (auth is not False or tsim >= NEAR_IDENTICAL):
        # A translated title, or the same title under a study group or a first author's name
        # garbled by a database ('Talalaj' / 'Taaaj'): the pages decide.
        return DUPLICATE, 55.0 + tsim / 100, "same pages of one journal volume"
    if a.part != b.part:
        # 'Part 1' and 'Part 2' of a series: the same authors, title and often issue, two papers.
        return DISTINCT, 0.0, "another part of a series"
    if a.replies != b.replies:
        # '...: a rejoinder' by the same authors in the same issue: a reply to the paper, not the paper.
        return DISTINCT, 0.0, "a reply to the other"
    if auth and _subtitle_dropped(a, b) and _full_position(a, b):
        # A database that drops the subtitle ('Unilateral neglect in stroke' against '...: a
        # comparative study'): the main title, authors, journal, volume, issue and pages agree.
        return DUPLICATE, 60.0 + tsim / 100, "subtitle dropped, same authors and position"
    if auth and _heading_added(a, b) and _one_issue(a, b) and a.year and a.year == b.year:
        # A section heading before the title ('Original article: ...') or a subtitle after it
        # that one source leaves out, by the same authors in the same issue.
        return DUPLICATE, 55.0 + tsim / 100, "title with a heading or subtitle the other lacks, same authors and issue"
    if tsim < SIMILAR:
        contained = _contained(a, b)
        if contained and auth and _position(a, b) >= 2:
            # PDF extraction glues a running head or a footnote to the title; the real title is
            # still there, whole.
            return DUPLICATE, 60.0 + contained / 100, "title contained in the other"
        if contained and auth:
            return UNCERTAIN, 30.0 + contained / 100, "title contained in the other, little else to compare"
        if auth and a.volume and a.volume == b.volume and a.fpage and a.fpage == b.fpage and same_journal(a, b) \
                and a.year == b.year and tsim >= 50:
            # Same first author, journal, volume and first page: a translated or re-worded title.
            return UNCERTAIN, 40.0 + tsim / 100, "same position, other title"
        return DISTINCT, 0.0, "titles differ"
    year_ok = not (a.year and b.year) or abs(a.year - b.year) <= 1
    position = _position(a, b)
    short = min(len(a.tkey), len(b.tkey)) < SHORT_TITLE or min(a.nwords, b.nwords) < 4
    if auth is False:
        if tsim >= NEAR_IDENTICAL and not short and _one_issue(a, b) and _name_misspelt(a.first, b.first):
            # The first author's name spelt or read another way ('Hertog' / 'Hartog', 'Aiioway' /
            # 'Alloway') on the same title in one issue of one journal.
            return DUPLICATE, 50.0 + tsim / 100, "same title and issue, first author spelt another way"
        # Same title, other first author: a different paper with a common title, or authors
        # in another order. Only a full bibliographic match makes it worth a look.
        if tsim >= NEAR_IDENTICAL and position >= 3 and not short:
            return UNCERTAIN, 30.0 + tsim / 100, "same title and position, other first author"
        return DISTINCT, 0.0, "other first author"
    if short:
        if tsim >= 98 and auth and year_ok and position >= 2:
            return DUPLICATE, 60.0 + tsim / 100, "short title, same authors and position"
        if tsim >= 98 and auth is not False and a.akey and a.akey == b.akey and position >= 3:
            # A meeting's front matter ('BAS/BSCR Poster Abstracts', author Anonymous) exported
            # twice: the title says little, the same abstract and position say it is one record.
            return DUPLICATE, 60.0 + tsim / 100, "short title, same abstract and position"
        if tsim >= 98 and auth and year_ok:
            return UNCERTAIN, 30.0 + tsim / 100, "short title, same authors"
        return DISTINCT, 0.0, "short title"
    if tsim >= NEAR_IDENTICAL:
        if a.kind == "article" and other_journal(a, b) and not (a.volume == b.volume and a.fpage == b.fpage != ""):
            # Two journal names that cannot be one journal: a commentary in a digest journal, or
            # an abbreviation we cannot resolve. A false merge deletes a study: ask a reviewer.
            return UNCERTAIN, 35.0 + tsim / 100, "same title, other journal"
        if auth or position >= 2 or (auth is None and a.year and a.year == b.year):
            return DUPLICATE, 80.0 + tsim / 100, "same title"
        return UNCERTAIN, 30.0 + tsim / 100, "same title, little else to compare"
    # 85 <= tsim < 95: a re-worded or mistyped title needs the authors and the venue to agree.
    if auth and year_ok and position >= 2:
        return DUPLICATE, 70.0 + tsim / 100, "similar title, same authors and position"
    if auth and year_ok:
        return UNCERTAIN, 30.0 + tsim / 100, "similar title, same authors"
    return DISTINCT, 0.0, "similar title only"
