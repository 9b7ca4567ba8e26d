"""Suggested values for the extraction sheet, read from a full text, with the page they came from.

For each field the Methods section is read first, then the Abstract, then the rest of the text.
Within a section, the sentence that states the field best gives the suggestion: the one with the
field's vocabulary and a cue for the field ('Setting:', 'data were collected', 'analysed using'...),
else the first with its vocabulary. The suggestion keeps the page of that sentence and the sentence
itself as the supporting snippet. Participants are counted from the sentence that lists them
('28 peer workers, 24 clients and 13 staff'): the groups with their numbers, and their sum as the
sample size. Author themes are the headings under Findings/Results.

These are cues for the extractor (marked as suggestions in the sheet, with their page and snippet
beside them); the extractor confirms or corrects every value. Spelling variants (programme/program,
centre/center, analyse/analyze) and plurals match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .pages import FullText, text_pages

COUNTRIES = (
    "United States", "Canada", "Mexico", "Brazil", "Argentina", "Chile", "Colombia", "Peru",
    "United Kingdom", "England", "Scotland", "Wales", "Northern Ireland", "Ireland", "France",
    "Germany", "Netherlands", "Belgium", "Luxembourg", "Switzerland", "Austria", "Italy", "Spain",
    "Portugal", "Greece", "Denmark", "Norway", "Sweden", "Finland", "Iceland", "Estonia", "Latvia",
    "Lithuania", "Poland", "Czech Republic", "Czechia", "Slovakia", "Hungary", "Slovenia", "Croatia",
    "Serbia", "Romania", "Bulgaria", "Ukraine", "Russia", "Turkey", "Israel", "Iran", "India",
    "Pakistan", "Bangladesh", "Nepal", "China", "Hong Kong", "Taiwan", "Japan", "South Korea",
    "Vietnam", "Thailand", "Malaysia", "Singapore", "Indonesia", "Philippines", "Australia",
    "New Zealand", "South Africa", "Kenya", "Tanzania", "Uganda", "Nigeria", "Ghana", "Mozambique",
    "Egypt", "Morocco",
)
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
)
ANALYSIS = (
    "reflexive thematic analysis", "inductive thematic analysis", "thematic analysis", "thematic synthesis",
    "interpretive description", "constructivist grounded theory", "grounded theory",
    "qualitative content analysis", "content analysis", "framework method", "framework analysis",
    "constant comparative method", "constant comparison", "interpretative phenomenological analysis",
    "phenomenological analysis", "narrative analysis", "discourse analysis", "qualitative description",
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

# Where to look, in order: Methods, then the Abstract, then the rest (never the references).
SECTION_ORDER = (("methods",), ("abstract",), ("text", "intro", "findings", "discussion"))
_SECTION_NAMES = {
    "abstract": "abstract", "summary": "abstract", "methods": "methods", "method": "methods",
    "materials and methods": "methods", "methodology": "methods", "study design": "methods",
    "design and methods": "methods", "results": "findings", "findings": "findings",
    "results and discussion": "findings", "discussion": "discussion", "conclusion": "discussion",
    "conclusions": "discussion", "introduction": "intro", "background": "intro", "references": "references",
    "acknowledgements": "references", "acknowledgments": "references",
}
_PLAIN_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s+)?([A-Za-z][A-Za-z ]{2,40}?)\s*:?$")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")
_SPELLING = ((r"programme", r"program(?:me)?"), (r"centre", r"cent(?:re|er)"), (r"counsellor", r"counsel(?:l)?or"),
             (r"analys", r"analy[sz]"), (r"organis", r"organi[sz]"))
SNIPPET_CHARS = 300

_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60})
_COUNT = re.compile(r"(?<![\w.,-])(\d{1,4}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) +
                    r")(?![\w.,]\d)\s+(?=[A-Za-z])", re.I)
# A counted label is a group of people only if one of its words names people.
_PEOPLE = re.compile(r"\b(?:\w+-)?(?:workers?|clients?|staff|managers?|peers?|participants?|people|persons?|"
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
_CUE_PATTERNS = {f: [term_pattern(c) for c in cues] for f, cues in CUES.items()}


def _hits(field: str, text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical term) of the field's vocabulary in `text`, without hits inside longer ones."""
    found = [(m.start(), m.end(), term) for term, pat in _PATTERNS[field] for m in pat.finditer(text)]
    found.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[tuple[int, int, str]] = []
    for h in found:
        if not any(o[0] <= h[0] and h[1] <= o[1] for o in out):
            out.append(h)
    return out


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    return [x for x in items if not (x.lower() in seen or seen.add(x.lower()))]


def _heading(line: str) -> tuple[int, str] | None:
    """(level, name) for a heading line: markdown '#'s, or a known section name on its own line."""
    s = line.strip()
    if s.startswith("#"):
        level = len(s) - len(s.lstrip("#"))
        return level, s[level:].strip()
    m = _PLAIN_HEADING.match(s)
    if m and m.group(1).strip().lower() in _SECTION_NAMES:
        return 2, m.group(1).strip()
    return None


def sentences(ft: FullText) -> tuple[list[Sentence], list[tuple[str, int]]]:
    """The text's sentences with page and section, and the author's theme headings under Findings."""
    out: list[Sentence] = []
    themes: list[tuple[str, int]] = []
    section = "text"
    para: list[tuple[int, str]] = []

    def flush() -> None:
        if not para:
            return
        text, starts = "", []
        for page, line in para:
            starts.append((len(text), page))
            text += line.strip() + " "
        pos = 0
        for piece in _SENTENCE_END.split(text.strip()):
            at = text.index(piece, pos)
            page = next(p for off, p in reversed(starts) if off <= at)
            out.append(Sentence(piece.strip(), page, section))
            pos = at + len(piece)
        para.clear()

    for page, line in ft.lines:
        head = _heading(line)
        if head is not None:
            flush()
            level, name = head
            key = _SECTION_NAMES.get(name.lower().rstrip(":"))
            if level <= 2 and key:
                section = key
            elif level <= 1:
                section = "text"
            elif section == "findings" and level >= 3 and name:
                themes.append((name, page))
            continue
        if line.strip():
            para.append((page, line))
        else:
            flush()
    flush()
    return out, themes


def _snippet(text: str, start: int) -> str:
    if len(text) <= SNIPPET_CHARS:
        return text
    lo = max(0, min(start - SNIPPET_CHARS // 3, len(text) - SNIPPET_CHARS))
    body = text[lo:lo + SNIPPET_CHARS].strip()
    return ("\u2026" if lo else "") + body + ("\u2026" if lo + SNIPPET_CHARS < len(text) else "")


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
            cue = any(p.search(s.text) for p in _CUE_PATTERNS.get(field, ()))
            scored.append((not cue, -len(got), i, s, got))
        if scored:
            _, _, _, s, got = min(scored, key=lambda t: t[:3])
            return s, got
    return None


def _counts(text: str) -> list[tuple[int, str, int]]:
    """(n, group label, position) for each 'N <people>' in a sentence ('28 peer workers, 24 clients')."""
    matches = list(_COUNT.finditer(text))
    out = []
    for k, m in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        label = text[m.end():end]
        stop = _LABEL_STOP.search(label)
        label = label[:stop.start()] if stop else label
        label = re.sub(r"(?:\s+and|\s+or|[\s.:])+$", "", label).strip()
        if not label or not _PEOPLE.search(label) or len(label.split()) > 8 or _NOT_A_LABEL.match(label):
            continue
        raw = m.group(1).lower()
        n = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        if 1900 <= n <= 2100:
            continue
        out.append((n, label, m.start()))
    return out


def suggest_values(ft: FullText | str) -> dict[str, Suggestion]:
    """Field -> suggestion, for the fields this module knows (those with nothing found are left out)."""
    if isinstance(ft, str):
        ft = text_pages(ft)
    sents, themes = sentences(ft)
    out: dict[str, Suggestion] = {}
    for field in VOCAB:
        best = _best(field, sents, lambda t, f=field: _hits(f, t))
        if best:
            s, hits = best
            terms = _unique(h[2] for h in hits)
            if field == "country":
                terms = [t for t in terms if COUNTRY_PARTS.get(t) not in terms]
            out[field] = Suggestion(field, "; ".join(terms), str(s.page),
                                    _snippet(s.text, hits[0][0]), s.section)
    best = _best("participant_groups", sents, _counts)
    if best:
        s, counts = best
        groups = "; ".join(f"{n} {label}" for n, label, _ in counts)
        out["participant_groups"] = Suggestion("participant_groups", groups, str(s.page),
                                               _snippet(s.text, counts[0][2]), s.section)
        totals = [n for n, label, _ in counts if _TOTAL_WORDS.match(label)]
        size = totals[0] if totals else sum(n for n, _, _ in counts)
        out["sample_size"] = Suggestion("sample_size", str(size), str(s.page), _snippet(s.text, counts[0][2]),
                                        s.section)
    else:
        best = _best("participant_groups", sents,
                     lambda t: [g for g in GROUPS if re.search(r"(?<![\w-])" + re.escape(g) + r"(?![\w-])", t, re.I)])
        if best:
            s, groups = best
            out["participant_groups"] = Suggestion("participant_groups", "; ".join(groups), str(s.page),
                                                   _snippet(s.text, 0), s.section)
    if themes:
        names = _unique(name for name, _ in themes)
        pages = sorted({p for _, p in themes})
        out["author_themes"] = Suggestion("author_themes", "; ".join(names), ", ".join(map(str, pages)),
                                          _snippet("; ".join(f"{n} (p. {p})" for n, p in _unique_pairs(themes)), 0),
                                          "findings")
    return out


def _unique_pairs(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    seen: set[str] = set()
    return [(n, p) for n, p in pairs if not (n.lower() in seen or seen.add(n.lower()))]


def prefill(text: FullText | str) -> dict[str, str]:
    """Field -> suggested value ('' where nothing was found), for every field in FIELDS."""
    got = suggest_values(text)
    return {f: got[f].value if f in got else "" for f in FIELDS}
