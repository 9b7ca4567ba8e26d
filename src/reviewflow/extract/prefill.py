"""Suggested values for the extraction sheet, read from a full text, with the page they came from.

Suggestions come from the Methods section (`article.sections`: Methods, Materials and methods,
Study design, and the Participants / Setting / Data collection sections of articles that have no
one Methods heading); only where the Methods say nothing of a field is the Abstract read. Never the
Introduction (other studies' countries and settings; the one exception: the country, where Methods and
Abstract name none and the Introduction names exactly one), the Results, affiliations, keywords, or
the back matter (titles of cited works, acknowledgements). Within a section, the sentence that states
the field best gives the suggestion: the one with the field's vocabulary and a cue for the field
('Setting:', 'data were collected', 'analysed using'...), else the first with its vocabulary. The
suggestion keeps the page of that sentence and the sentence itself as the supporting snippet.
Participants are counted from the sentence that lists them ('28 peer workers, 24 clients and 13
staff'): the groups with their numbers, and their sum as the sample size, unless a total is stated
('30 participants (12 peers and 18 clients)', 'N = 20', '(n=31)'); a count of groups, interviews or
sites is not a count of people ('eight focus groups (n = 31)' is 31 participants in 8 groups).
Author themes are the headings under Findings/Results.

These are cues for the extractor (marked as suggestions in the sheet, with their page and snippet
beside them); the extractor confirms or corrects every value. Spelling variants (programme/program,
centre/center, analyse/analyze) and plurals match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..article.model import HEADING, Article
from ..article.sections import BACKGROUND, DISCUSSION, FINDINGS, FRONT, METHODS, spans
from ..article.text import as_article

# Every country ISO 3166 names (pycountry), by its common name ('Tanzania', not 'Tanzania, United
# Republic of'), with the names authors write for those whose ISO name they do not ('South Korea').
_WRITTEN = (
    "United States", "United Kingdom", "England", "Scotland", "Wales", "Northern Ireland", "Czech Republic",
    "Russia", "Iran", "Vietnam", "South Korea", "North Korea", "Taiwan", "Hong Kong", "Bolivia", "Venezuela",
    "Tanzania", "Syria", "Laos", "Moldova", "Palestine", "Democratic Republic of the Congo", "Ivory Coast",
    "Turkey", "Macau",
)
# Names that are also common words or places elsewhere ('Georgia' is a US state, 'Jordan' a name).
_AMBIGUOUS = {"Georgia", "Jordan", "Chad", "Guinea", "Niger", "Dominica", "Jersey", "Montserrat"}


def _country_names() -> tuple[str, ...]:
    import pycountry

    names = set(_WRITTEN)
    for c in pycountry.countries:
        name = getattr(c, "common_name", None) or c.name
        if "," not in name and "(" not in name and name not in _AMBIGUOUS:
            names.add(name)
    return tuple(sorted(names))


COUNTRIES = _country_names()
# Parts of a country, dropped from a suggestion that names the country too ('Wales, United Kingdom').
COUNTRY_PARTS = {"England": "United Kingdom", "Scotland": "United Kingdom", "Wales": "United Kingdom",
                 "Northern Ireland": "United Kingdom"}
# Other names of a country (abbreviations are matched in capitals only).
COUNTRY_ALIASES = {"United States of America": "United States", "USA": "United States",
                   "U.S.A.": "United States", "U.S.": "United States", "US": "United States",
                   "UK": "United Kingdom", "U.K.": "United Kingdom", "Great Britain": "United Kingdom",
                   "Republic of Ireland": "Ireland", "The Netherlands": "Netherlands"}
SETTINGS = (
    "supervised consumption site", "supervised injection site", "supervised injection facility",
    "safe consumption site", "overdose prevention site", "overdose prevention centre",
    "syringe service programme", "needle and syringe programme", "needle exchange",
    "opioid agonist treatment", "opioid substitution treatment", "methadone clinic",
    "methadone maintenance", "emergency department", "inpatient addiction", "inpatient hospital",
    "hospital ward", "shelter", "supportive housing", "housing first", "street outreach", "outreach",
    "recovery community centre", "recovery support programme", "recovery residence", "drug checking",
    "re-entry programme", "prison", "community health centre", "primary care", "harm reduction programme",
    "harm reduction service", "harm reduction agency", "outpatient treatment", "residential treatment",
    "treatment centre", "detoxification", "withdrawal management", "hepatitis C treatment", "HIV clinic",
    "mental health and addiction agency",
)
ROLES = (
    "peer worker", "peer support worker", "peer support specialist", "peer recovery coach",
    "peer recovery specialist", "recovery coach", "peer navigator", "peer mentor", "peer educator",
    "peer outreach worker", "peer advocate", "peer specialist", "peer counsellor", "experiential worker",
    "natural helper", "community health worker", "lay health worker", "harm reduction worker",
    "satellite site worker",
)
COLLECTION = (
    "semi-structured interviews", "in-depth interviews", "qualitative interviews", "narrative interviews",
    "walking interviews", "telephone interviews", "interviews", "focus group discussions", "focus groups",
    "group discussions", "participant observation", "ethnographic fieldwork", "ethnographic observation",
    "field notes", "photovoice", "open-ended survey", "open-ended questions", "qualitative survey",
    "document analysis", "diaries",
    # Mixed-methods and quantitative studies collect data in these ways too.
    "structured interviews", "exit interviews", "key informant interviews", "questionnaires", "questionnaire",
    "surveys", "survey", "checklists", "checklist", "document review", "observations", "observation",
    "participatory observation", "direct observation", "chart review", "case notes",
)
ANALYSIS = (
    "reflexive thematic analysis", "inductive thematic analysis", "thematic analysis", "thematic synthesis",
    "interpretive description", "constructivist grounded theory", "grounded theory",
    "qualitative content analysis", "content analysis", "framework method", "framework analysis",
    "constant comparative method", "constant comparison", "interpretative phenomenological analysis",
    "phenomenological analysis", "narrative analysis", "discourse analysis", "qualitative description",
    # A review's synthesis of qualitative studies.
    "framework synthesis", "meta-ethnography", "meta-aggregation", "critical interpretive synthesis",
    "narrative synthesis",
    # Mixed-methods and quantitative studies name their analysis too.
    "log-binomial", "logistic regression", "Poisson regression",
    "linear regression", "multilevel model", "meta-analysis", "life cycle assessment", "Cronbach's alpha",
    "intraclass correlation", "descriptive statistics",
)
GROUPS = ("peer workers", "peers", "clients", "service users", "patients", "staff", "managers", "nurses",
          "physicians", "clinicians", "co-workers", "supervisors", "stakeholders")

# Words that, in a sentence, say it is about the field (any one is a cue).
CUES = {
    "country": ("setting", "conducted in", "took place", "based in", "located in", "country", "study site"),
    "setting": ("setting", "site", "conducted", "took place", "recruited from", "recruited through",
                "services", "service", "based"),
    "peer_role_titles": ("participants", "employ", "worked as", "role", "hired", "recruited"),
    "participant_groups": ("participants", "interviewed", "recruited", "sample", "took part", "participated"),
    "sample_size": ("participants", "interviewed", "recruited", "sample", "took part", "participated", "total",
                    "included", "analysed", "analyzed"),
    "data_collection": ("data collection", "data were collected", "collected", "we conducted", "we held",
                        "were conducted", "were held", "recorded"),
    "analysis_method": ("analysis", "analysed", "analyzed", "analysing", "analyzing", "coded", "coding",
                        "we used", "the team used"),
}
VOCAB = {"country": COUNTRIES, "setting": SETTINGS, "peer_role_titles": ROLES,
         "data_collection": COLLECTION, "analysis_method": ANALYSIS}
# Every field this module suggests, in the order the sheet shows them.
FIELDS = ("country", "setting", "peer_role_titles", "participant_groups", "sample_size", "data_collection",
          "analysis_method", "author_themes")

# Where to look, in order: Methods, then the Abstract (never the rest).
SECTION_ORDER = (("methods",), ("abstract",))
_ROLE_SECTION = {METHODS: "methods", FINDINGS: "findings", BACKGROUND: "intro", DISCUSSION: "discussion",
                 FRONT: "text"}
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")
_SPELLING = ((r"programme", r"program(?:me)?"), (r"centre", r"cent(?:re|er)"), (r"counsellor", r"counsel(?:l)?or"),
             (r"analys", r"analy[sz]"), (r"organis", r"organi[sz]"))
SNIPPET_CHARS = 300

_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
for _t, _v in _TENS.items():
    _NUMBER_WORDS[_t] = _v
    for _u in range(1, 10):
        for _sep in ("-", " "):
            _NUMBER_WORDS[f"{_t}{_sep}{list(_NUMBER_WORDS)[_u]}"] = _v + _u
_NUMBER_WORDS.update({"a hundred": 100, "one hundred": 100, "two hundred": 200})
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d{1,5}|" + "|".join(
    re.escape(w) for w in sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_COUNT = re.compile(r"(?<![\w.,-])(" + _NUMBER + r")(?![\w.,]\d)(?:\s+|-)(?=[A-Za-z])", re.I)
# 'N = 20', '(n=31)', 'n: 12' - a stated count of the people (or units) named just before it.
_N_EQUALS = re.compile(r"[(\[,;]?\s*\b[nN]\s*[=:]\s*(\d{1,5})\b\s*[)\],;]?")
# Counted things that are not people: groups and sessions hold people, they are not them.
_GROUPS = re.compile(r"^(?:focus[\s-]+groups?|groups?|group discussions?|group interviews?|workshops?|"
                     r"sessions?|dyads?|triads?|households?|families|sites?|services?|organi[sz]ations?|"
                     r"agencies|clinics?|programmes?|programs?|teams?|cases?|communities|countries|districts?|"
                     r"categories|types|kinds|rounds|waves|phases|stages|levels|strata|cohorts?)\b",
                     re.I)
# A counted label is a group of people only if one of its words names people.
_PEOPLE = re.compile(r"\b(?:\w+-)?(?:out|in)?(?:workers?|clients?|staff|managers?|peers?|participants?|people|persons?|"
                     r"individuals?|nurses?|physicians?|doctors?|clinicians?|coaches|coach|navigators?|mentors?|"
                     r"specialists?|educators?|users?|members?|providers?|practitioners?|stakeholders?|women|men|"
                     r"residents?|patients?|employees?|volunteers?|supervisors?|leaders?|helpers?|counsell?ors?|"
                     r"advocates?|interviewees?|informants?|co-workers?|colleagues?)\b", re.I)
_NOT_A_LABEL = re.compile(r"^(?:of|to|and|or|the|a|an|per|more|times|years?|months?|weeks?|days?|hours?|minutes?)\b",
                          re.I)
_TOTAL_WORDS = re.compile(r"^(?:participants?|people|persons|individuals|interviewees|informants)\b", re.I)
_LABEL_STOP = re.compile(r",|;|\(|\)|\bwho\b|\bwere\b|\bwas\b|\bfrom\b|\bat\b|\bin\b|\brecruited\b|"
                         r"\bparticipated\b|\btook\b", re.I)


@dataclass(frozen=True)
class Suggestion:
    """A suggested value, the page(s) it came from ('3' or '3, 4') and the supporting text."""

    field: str
    value: str
    page: str
    snippet: str
    section: str


@dataclass(frozen=True)
class Sentence:
    text: str
    page: int
    section: str


def term_pattern(term: str, case_sensitive: bool = False) -> re.Pattern[str]:
    """A vocabulary term as a pattern: whole words, any spacing, spelling variants and plurals
    (of any of its words: 'syringe services programs' is a 'syringe service programme')."""
    words = []
    for word in term.split():
        body = re.escape(word)
        for plain, variant in _SPELLING:
            body = body.replace(plain, variant)
        if word.endswith("s") and not word.endswith(("ss", "sis")):
            body += "?"                   # 'focus groups' also matches 'focus group'
        words.append(body + (r"(?:s|es)?" if word[-1:].isalpha() else ""))
    prefix = r"(?<!New\s)(?<!South\s)" if term in ("England", "Wales") else ""
    return re.compile(prefix + r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])", 0 if case_sensitive else re.I)


_PATTERNS = {f: [(t, term_pattern(t)) for t in vocab] for f, vocab in VOCAB.items()}
_PATTERNS["country"] += [(canon, term_pattern(alias, case_sensitive=alias.isupper() or "." in alias))
                         for alias, canon in COUNTRY_ALIASES.items()]
_AMBIGUOUS_PATTERNS = [(n, term_pattern(n, case_sensitive=True)) for n in sorted(_AMBIGUOUS)]
_CUE_PATTERNS = {f: [term_pattern(c) for c in cues] for f, cues in CUES.items()}


_MAKER = re.compile(r"(?:\(|^)[^()]*\b(?:Inc|Ltd|LLC|Corp|Corporation|GmbH|Software|Statistical|SPSS|Stata|StataCorp|"
                    r"NVivo|QSR|ATLAS\.ti|MAXQDA|Dedoose|SAS Institute|IBM|version|Version)\b[^()]*\)")


# A review collects its data by searching bibliographic databases: 'Databases searched were Scopus,
# CINAHL, ...', 'publications ... were identified using PubMed, EMBASE, and Medline'.
_BIBLIOGRAPHIC = (r"(?:PubMed|MEDLINE|Medline|EMBASE|Embase|CINAHL|PsycINFO|PsycInfo|Scopus|Web of Science|"
                  r"Cochrane Library|CENTRAL|ERIC|ASSIA|Sociological Abstracts|Google Scholar)")
_DATABASE_SEARCH = re.compile(
    r"\bdatabases?\s+(?:were\s+)?searched\b|\bsearch(?:ed|es)?\b[^.;]{0,80}?\b" + _BIBLIOGRAPHIC + r"\b|"
    r"\b(?:identified|retrieved|found)\s+(?:using|in|through|from)\s+" + _BIBLIOGRAPHIC + r"\b")


def _hits(field: str, text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical term) of the field's vocabulary in `text`, without hits inside longer ones."""
    found = [(m.start(), m.end(), term) for term, pat in _PATTERNS[field] for m in pat.finditer(text)]
    if field == "data_collection":
        found += [(m.start(), m.end(), "database search") for m in _DATABASE_SEARCH.finditer(text)][:1]
    if field == "country" and len({h[2] for h in found}) >= 2:
        # A name that is also a word or a person ('Niger', 'Chad', 'Jordan') is a country in a list of
        # countries ('Mali, Nepal, Niger, Sierra Leone'), written with its capital.
        found += [(m.start(), m.end(), name) for name, pat in _AMBIGUOUS_PATTERNS for m in pat.finditer(text)]
    if field == "country":
        # A maker's address in brackets ('(Stata Statistical Software, College Station, TX, USA)') is not
        # where the study was.
        makers = [(m.start(), m.end()) for m in _MAKER.finditer(text)]
        found = [h for h in found if not any(a <= h[0] < b for a, b in makers)]
    found.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[tuple[int, int, str]] = []
    for h in found:
        if not any(o[0] <= h[0] and h[1] <= o[1] for o in out):
            out.append(h)
    return out


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    return [x for x in items if not (x.lower() in seen or seen.add(x.lower()))]


def _split(text: str, page: int, section: str) -> list[Sentence]:
    return [Sentence(piece.strip(), page, section) for piece in _SENTENCE_END.split(text.strip()) if piece.strip()]


def sentences(article: Article) -> tuple[list[Sentence], list[tuple[str, int]]]:
    """The sentences of the abstract and the body (with page and section), and the author's theme
    headings under the findings."""
    out: list[Sentence] = []
    for b in article.abstract:
        if b.kind != HEADING:
            out += _split(b.text, b.page, "abstract")
    themes: list[tuple[str, int, int]] = []
    for span in spans(article):
        section = _ROLE_SECTION.get(span.role)
        if section is None:
            continue                      # back matter: never read
        for b in span.blocks:
            if b.kind == HEADING:
                if span.role == FINDINGS:
                    themes.append((b.text, b.page, b.level))
                continue
            out += _split(b.text, b.page, section)
    # Every heading under the findings: a PDF's typography does not always say which are themes and
    # which subthemes, and the extractor keeps the ones that are.
    return out, [(t, p) for t, p, _ in themes]


def _snippet(text: str, start: int) -> str:
    if len(text) <= SNIPPET_CHARS:
        return text
    lo = max(0, min(start - SNIPPET_CHARS // 3, len(text) - SNIPPET_CHARS))
    body = text[lo:lo + SNIPPET_CHARS].strip()
    return ("\u2026" if lo else "") + body + ("\u2026" if lo + SNIPPET_CHARS < len(text) else "")


def _cued(field: str, text: str) -> bool:
    return any(p.search(text) for p in _CUE_PATTERNS.get(field, ()))


def _best(field: str, sents: list[Sentence], scorer) -> tuple[Sentence, object] | None:
    """The best sentence for `field`: by section (Methods first), then cue, then what it holds, then order."""
    for sections in SECTION_ORDER:
        scored = []
        for i, s in enumerate(sents):
            if s.section not in sections:
                continue
            got = scorer(s.text)
            if not got:
                continue
            cue = _cued(field, s.text)
            scored.append((not cue, -len(got), i, s, got))
        if scored:
            _, _, _, s, got = min(scored, key=lambda t: t[:3])
            return s, got
    return None


PEOPLE, TOTAL, GROUPS_KIND, UNITS, PLACES = "people", "total", "groups", "units", "places"
# Words for a set of people that a bare 'n = 20' after them counts ('a purposive sample (n = 20)').
_HOLDS_PEOPLE = re.compile(r"\b(?:sample|cohort|total|respondents?|interviews?)\b", re.I)
# Things other than people that a study may count as its sample (documents analysed, studies reviewed).
_UNITS = re.compile(r"\b(?:documents?|complaints?|transcripts?|records?|reports?|papers?|studies|articles?|"
                    r"publications?|policies|files|letters|posts|narratives)\b", re.I)
_UNIT_CUES = re.compile(r"\b(?:analy[sz]ed|coded|reviewed|examined|included|sampled|selected|sample|"
                        r"analysis|analytic(?:al)?)\b", re.I)
# Places a study may take as its units of analysis (programme data by district, records by clinic): a
# sample only where the sentence says they are the data, and only where no person or document is counted.
_PLACES = re.compile(r"^(?:districts?|counties|county|municipalit(?:y|ies)|regions?|provinces?|states|countries|"
                     r"villages?|communities|facilities|hospitals?|clinics?|schools?|practices|sites?)\b", re.I)
_PLACE_CUES = re.compile(r"\b(?:data(?:set)?|analy[sz]ed|analysis|units? of analysis)\b", re.I)
# '14 districts were removed': places or documents left out of the sample are not it.
_DROPPED = re.compile(r"\s*(?:were|was|had been|are)\s+(?:removed|excluded|dropped|lost|discarded|omitted)\b", re.I)
_BEFORE_N = re.compile(r"(?:^|[,;:(\[]|\band\b|\bwith\b|\bof\b|\bincluding\b|\bwere\b|\bincluded\b|"
                       r"\binterviewed\b|\bcomprised\b)\s*([A-Za-z][\w -]{0,60}?)\s*$", re.I)


def _value(raw: str) -> int:
    raw = raw.lower().replace(",", "")
    return int(raw) if raw.isdigit() else _NUMBER_WORDS[re.sub(r"\s+", " ", raw)]


def _counts(text: str, after: str = "") -> list[tuple[int, str, int, str]]:
    """(n, label, position, kind) for each count in a sentence: 'N <people>' ('28 peer workers'),
    'N = 20' after what it counts, and counts of groups ('eight focus groups') or of documents.
    A count of documents or places needs a word saying they were the sample, in the sentence or in
    the one `after` it ('41 complaints in 18 cases did. These complaints formed our analytical sample.')."""
    matches = list(_COUNT.finditer(text))
    out: list[tuple[int, str, int, str]] = []
    for k, m in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        label = text[m.end():end]
        stop = _LABEL_STOP.search(label)
        label = label[:stop.start()] if stop else label
        label = re.sub(r"(?:\s+and|\s+or|[\s.:])+$", "", label).strip()
        n = _value(m.group(1))
        if not label or len(label.split()) > 8 or _NOT_A_LABEL.match(label) or 1900 <= n <= 2100:
            continue
        dropped = _DROPPED.match(text, m.end() + len(label))
        if _PLACES.match(label) and (_PLACE_CUES.search(text) or _PLACE_CUES.search(after)) and not dropped:
            out.append((n, label, m.start(), PLACES))
        elif _GROUPS.match(label):
            out.append((n, label, m.start(), GROUPS_KIND))
        elif _PEOPLE.search(label):
            out.append((n, label, m.start(), TOTAL if _TOTAL_WORDS.match(label) else PEOPLE))
        elif _UNITS.search(label) and (_UNIT_CUES.search(text) or _UNIT_CUES.search(after)) and not dropped:
            out.append((n, label, m.start(), UNITS))
    for m in _N_EQUALS.finditer(text):
        n = int(m.group(1))
        before = _BEFORE_N.search(text[:m.start()])
        label = before.group(1).strip() if before else ""
        if not before:      # 'male adult C57BL/6J mice (n = 4)': the last words before it
            label = " ".join(re.findall(r"[A-Za-z][\w-]*", text[max(0, m.start() - 40):m.start()])[-3:])
        near = [c for c in out if 0 <= m.start() - (text.find(c[1], c[2]) + len(c[1])) <= 4]
        if near and near[-1][0] == n:
            continue                            # 'twenty peer workers (N = 20)': the same count
        after_groups = bool(near) and near[-1][3] in (GROUPS_KIND, PLACES)
        if after_groups or not label or _GROUPS.search(label) or _HOLDS_PEOPLE.search(label):
            out.append((n, "participants", m.start(), TOTAL))   # 'eight focus groups (n = 31)'
        elif _PEOPLE.search(label):
            out.append((n, label, m.start(), PEOPLE))
        elif _UNITS.search(label):
            out.append((n, label, m.start(), UNITS))
        # else: a count of something that is not people ('adult mice (n = 4)', 'cells (n = 120)')
    return sorted(out, key=lambda c: c[2])


def _people(counts: list[tuple[int, str, int, str]]) -> list[tuple[int, str, int, str]]:
    return [c for c in counts if c[3] in (PEOPLE, TOTAL)]


def sample_size(counts: list[tuple[int, str, int, str]]) -> int | None:
    """A stated total, else the sum of the groups of people; documents only where no person is counted,
    and places only where neither is."""
    totals = [c[0] for c in counts if c[3] == TOTAL]
    if totals:
        return totals[0]
    people = [c[0] for c in counts if c[3] == PEOPLE]
    if people:
        return sum(people)
    for kind in (UNITS, PLACES):
        found = [c[0] for c in counts if c[3] == kind]
        if found:
            return found[0]
    return None


def _first_places(sents: list[Sentence], after: dict[str, str]) -> tuple[Sentence, list] | None:
    """The first sentence that counts places as the data (Methods, then Abstract): a programme's data
    are described before the places left out or analysed in subsets."""
    for sections in SECTION_ORDER:
        for s in sents:
            if s.section in sections:
                places = [c for c in _counts(s.text, after.get(s.text, "")) if c[3] == PLACES]
                if places:
                    return s, places
    return None


def _page(page: int) -> str:
    return str(page) if page else ""


def suggest_values(article: Article | str) -> dict[str, Suggestion]:
    """Field -> suggestion, for the fields this module knows (those with nothing found are left out)."""
    article = as_article(article)
    sents, themes = sentences(article)
    out: dict[str, Suggestion] = {}
    for field in VOCAB:
        best = _best(field, sents, lambda t, f=field: _hits(f, t))
        if field == "country" and article.title and _hits(field, article.title):
            # A title that names a country ('... in Lilongwe, Malawi') says where the study was, better
            # than a Methods sentence that mentions one (where a questionnaire came from, 'a hospital in
            # Pakistan that has a setting similar to ours').
            title_page = next((b.page for b in (*article.abstract, *article.body) if b.page), 0)
            best = (Sentence(article.title, min(title_page, 1) if title_page else 0, "title"),
                    _hits(field, article.title))
        if best:
            s, hits = best
            terms = _unique(h[2] for h in hits)
            if field == "country":
                terms = _unique(COUNTRY_PARTS.get(t, t) for t in terms)   # 'Wales' is the United Kingdom
            out[field] = Suggestion(field, "; ".join(terms), _page(s.page),
                                    _snippet(s.text, hits[0][0]), s.section)
    best = _best("participant_groups", sents, lambda t: _people(_counts(t)))
    after = {a.text: b.text for a, b in zip(sents, sents[1:], strict=False) if a.section == b.section}
    # Places count as the sample only in a study where no sentence counts people or documents.
    size_best = _best("sample_size", sents,
                      lambda t: [c for c in _counts(t, after.get(t, "")) if c[3] not in (GROUPS_KIND, PLACES)]) \
        or _first_places(sents, after)
    if best:
        s, counts = best
        groups = "; ".join(f"{n} {label}" for n, label, _, kind in counts if kind == PEOPLE) or \
            "; ".join(f"{n} {label}" for n, label, _, _ in counts)
        out["participant_groups"] = Suggestion("participant_groups", groups, _page(s.page),
                                               _snippet(s.text, counts[0][2]), s.section)
    if size_best:
        s, counts = size_best
        all_counts = _counts(s.text, after.get(s.text, ""))
        size = sample_size(all_counts)
        if size is not None:
            out["sample_size"] = Suggestion("sample_size", str(size), _page(s.page),
                                            _snippet(s.text, counts[0][2]), s.section)
        if "data_collection" not in out and size is not None and all(c[3] == UNITS for c in counts):
            # A sample of documents that names no way of collecting them was collected by reading them.
            out["data_collection"] = Suggestion("data_collection", "document analysis", _page(s.page),
                                                _snippet(s.text, counts[0][2]), s.section)
    if "country" not in out:
        background = [s for s in sents if s.section == "intro"]
        named = {COUNTRY_PARTS.get(h[2], h[2]) for s in background for h in _hits("country", s.text)}
        if len(named) == 1:
            # Methods that name only an institution ('the clinic of ACTA'): the one country the
            # Background names is where the study was. Two or more there are other studies' countries.
            s = next(s for s in background if _hits("country", s.text))
            out["country"] = Suggestion("country", named.pop(), _page(s.page),
                                        _snippet(s.text, _hits("country", s.text)[0][0]), s.section)
    if not best:
        best = _best("participant_groups", sents,
                     lambda t: [g for g in GROUPS if re.search(r"(?<![\w-])" + re.escape(g) + r"(?![\w-])", t, re.I)])
        if best:
            s, groups = best
            out["participant_groups"] = Suggestion("participant_groups", "; ".join(groups), _page(s.page),
                                                   _snippet(s.text, 0), s.section)
    if themes:
        names = _unique(name for name, _ in themes)
        pages = sorted({p for _, p in themes if p})
        out["author_themes"] = Suggestion("author_themes", "; ".join(names), ", ".join(map(str, pages)),
                                          _snippet("; ".join(f"{n} (p. {p})" if p else n
                                                             for n, p in _unique_pairs(themes)), 0), "findings")
    return out


def _unique_pairs(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    seen: set[str] = set()
    return [(n, p) for n, p in pairs if not (n.lower() in seen or seen.add(n.lower()))]


def prefill(text: Article | str) -> dict[str, str]:
    """Field -> suggested value ('' where nothing was found), for every field in FIELDS."""
    got = suggest_values(text)
    return {f: got[f].value if f in got else "" for f in FIELDS}
