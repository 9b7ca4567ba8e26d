"""Documents of the demo corpus: what each one is, its true bibliographic data and its truth."""

from __future__ import annotations

import random
import re
import zlib
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from reviewflow.demo import phrases as P
from reviewflow.demo.plan import Plan

# Full-text exclusion reason -> near-miss types that reach full text for that reason.
REASON_TYPES = {"X2_language": ("language",), "X3_secondary": ("secondary",),
                "X4_population": ("population", "population", "peer_pressure"),
                "X5_setting": ("setting", "setting", "alcohol"), "X6_design": ("design",)}


@dataclass
class Doc:
    """One unique document with its true metadata and its place in the review."""

    doc_id: str
    kind: str
    title: str
    abstract: str
    authors: list[tuple[str, str]]
    year: int
    month: int
    journal: P.Journal
    volume: str
    issue: str
    pages: tuple[int, int] | None
    article_no: str
    doi: str
    pmid: str
    pub_type: str = "journal-article"
    language: tuple[str, str] = ("English", "eng")
    keywords: list[str] = field(default_factory=list)
    mesh: list[str] = field(default_factory=list)
    study_id: str = ""
    auto_rule: str = ""
    ta_include: int = 0
    ft_decision: str = ""
    ft_reason: str = ""
    retrievable: int = 1
    venue: str = ""
    year_shift_ok: bool = False
    # Families of databases the document may appear in (None: any), and those it must reach.
    allowed: frozenset[str] | None = None
    needs: frozenset[str] | None = None
    # Study context used by the full text.
    ctx: dict[str, str] = field(default_factory=dict)

    @property
    def reaches_full_text(self) -> bool:
        return self.ta_include == 1 and not self.auto_rule and self.retrievable == 1


class TitleBook:
    """Keeps generated titles far enough apart that no two distinct documents look alike."""

    def __init__(self) -> None:
        self.norms: list[str] = []
        self.keys: set[tuple] = set()

    @staticmethod
    def norm(title: str) -> str:
        return re.sub(r"[^a-z0-9 ]", "", title.lower())

    def fresh_slots(self, family: str, slots: tuple[str, ...]) -> bool:
        """True if no earlier title of `family` shares all but one of `slots` (then reserve)."""
        keys = [(family, i, slots[:i] + slots[i + 1:]) for i in range(len(slots))]
        if any(k in self.keys for k in keys):
            return False
        self.keys.update(keys)
        return True

    def fresh_text(self, title: str, cutoff: float = 85.0) -> bool:
        """True if `title` is not close to any title kept so far (then keep it)."""
        n = self.norm(title)
        if any(fuzz.ratio(n, other, score_cutoff=cutoff) for other in self.norms):
            return False
        self.norms.append(n)
        return True


def cap(text: str) -> str:
    """Upper-case the first character only."""
    return text[:1].upper() + text[1:]


def sentence_join(parts: list[str]) -> str:
    return " ".join(p.strip() for p in parts if p.strip())


class Builder:
    """Builds the documents of a plan with one seeded RNG per purpose."""

    def __init__(self, plan: Plan, seed: int, db_families: dict[str, str]) -> None:
        self.plan = plan
        self.seed = seed
        self.rng = random.Random(f"{seed}:corpus")
        self.titles = TitleBook()
        self.families = set(db_families.values())
        self.pmids: set[str] = set()
        self.dois: set[str] = set()
        self.docs: list[Doc] = []

    # --- shared pieces -------------------------------------------------------------
    def authors(self, n_min: int = 2, n_max: int = 6) -> list[tuple[str, str]]:
        rng = self.rng
        fams = rng.sample(P.FAMILY_NAMES, rng.randint(n_min, n_max))
        out = []
        for fam in fams:
            given = rng.choice(P.GIVEN_NAMES)
            if rng.random() < 0.6:
                given += " " + rng.choice(P.MIDDLE_INITIALS)
            out.append((fam, given))
        return out

    def pmid(self) -> str:
        while True:
            p = str(self.rng.randint(10_000_000, 36_999_999))
            if p not in self.pmids:
                self.pmids.add(p)
                return p

    def doi(self, journal: P.Journal, year: int) -> str:
        # Crossref's test prefix 10.5555: synthetic DOIs must never resolve to a real paper.
        rng = self.rng
        while True:
            if journal.stem.startswith("s1"):
                d = f"10.5555/{journal.stem}-{year % 100:03d}-{rng.randint(100, 999):05d}-{rng.randint(0, 9)}"
            elif journal.stem.startswith("j."):
                d = f"10.5555/{journal.stem}.{year}.{rng.randint(1, 12):02d}.{rng.randint(1, 999):03d}"
            elif journal.stem.isupper():
                d = f"10.5555/{journal.stem}.{year}.{rng.randint(100000, 999999)}"
            else:
                d = f"10.5555/{journal.stem}.{year}.{rng.randint(1000000, 9999999)}"
            if d not in self.dois:
                self.dois.add(d)
                return d

    def biblio(self, year: int, journals: tuple[P.Journal, ...]) -> dict:
        """Journal, volume, issue, pages or article number, DOI and PMID for a new document."""
        rng = self.rng
        journal = rng.choice(journals)
        volume = str(max(1, year - 1950 - zlib.crc32(journal.name.encode()) % 40))
        pages: tuple[int, int] | None = None
        art = ""
        if journal.article_numbers and rng.random() < 0.7:
            art = str(rng.randint(100000, 104999)) if journal.stem.startswith("j.") \
                else str(rng.randint(1, 260))
        else:
            start = rng.randint(1, 1400)
            pages = (start, start + rng.randint(4, 16))
        return {"journal": journal, "volume": volume, "issue": str(rng.randint(1, 12)),
                "pages": pages, "article_no": art, "doi": self.doi(journal, year),
                "pmid": self.pmid(), "month": rng.randint(1, 12)}

    def context(self) -> dict[str, str]:
        """A study's setting, place, role and design, for titles, abstracts and full texts."""
        rng = self.rng
        country, place = rng.choice(P.PLACES)
        set_title, set_methods = rng.choice(P.SETTINGS)
        role, roles = rng.choice(P.ROLES)
        design, collection = rng.choice(P.QUAL_DESIGNS)
        return {"country": country, "place": place, "setting": set_title,
                "setting_methods": set_methods, "role": role, "roles": roles,
                "roles_cap": cap(roles), "design": design, "collection": collection,
                "analysis": rng.choice(P.ANALYSES), "outcome": rng.choice(P.OUTCOMES),
                "n_peers": str(rng.randint(8, 32)), "n_staff": str(rng.randint(4, 20)),
                "n_clients": str(rng.randint(6, 25)), "n_sites": str(rng.randint(2, 6)),
                # Near-miss title slots.
                "quant_design": rng.choice(P.QUANT_DESIGNS), "nm_suffix": rng.choice(P.NM_SUFFIXES),
                "user_org": (org := rng.choice(P.USER_ORGS)), "user_org_cap": cap(org),
                "activity": rng.choice(P.ACTIVITIES),
                "mh_role": (mh := rng.choice(P.MH_ROLES)), "mh_role_lower": mh.lower(),
                "mh_setting": rng.choice(P.MH_SETTINGS), "peer_factor": rng.choice(P.PEER_FACTORS),
                "substance": rng.choice(P.SUBSTANCES),
                "alc_role": (alc := rng.choice(P.ALC_ROLES)), "alc_role_lower": alc.lower(),
                "alc_setting": rng.choice(P.ALC_SETTINGS),
                "youth": (youth := rng.choice(P.YOUTH)), "youth_cap": cap(youth),
                "qual_suffix": rng.choice(P.QUAL_SUFFIXES),
                "recovery_service": rng.choice(P.RECOVERY_SERVICES)}

    def add(self, kind: str, title: str, abstract: str, year: int, journals=P.FIELD_JOURNALS,
            **kw) -> Doc:
        authors = kw.pop("authors", None) or self.authors()
        # Copies may show the online year (one earlier) only where both years are in range.
        shift = kw.pop("year_shift_ok", True) and 2002 <= year <= 2022
        bib = self.biblio(year, journals)
        bib.update({k: kw.pop(k) for k in list(kw) if k in bib})
        doc = Doc(doc_id="", kind=kind, title=title, abstract=abstract, authors=authors,
                  year=year, **bib, **kw)
        doc.year_shift_ok = shift
        self.docs.append(doc)
        return doc

    # --- titles -----------------------------------------------------------------------
    def study_title(self, ctx: dict[str, str]) -> str:
        """A title for a qualitative study of peer work, distinct from all earlier ones."""
        rng = self.rng
        for _ in range(400):
            core = rng.choice(P.INCLUDED_CORES)
            ctx2 = dict(ctx)
            core_t = core.format(**ctx2)
            if rng.random() < 0.5:
                hook = rng.choice(P.TITLE_HOOKS)
                title = f"\u201c{hook}\u201d: {core_t} in {ctx['place']}"
                slots = (core, ctx["roles"], ctx["setting"], ctx["place"], hook)
            else:
                title = f"{core_t} in {ctx['place']}: {ctx['design']}"
                slots = (core, ctx["roles"], ctx["setting"], ctx["place"], ctx["design"])
            if self.titles.fresh_text(title) and self.titles.fresh_slots("study", slots):
                return title
            ctx.update(self.context())
        raise RuntimeError("could not draw a distinct study title")  # pragma: no cover

    def templated_title(self, family: str, templates: tuple[str, ...], ctx: dict) -> str:
        """A title from `templates`, re-drawing context until it is distinct."""
        rng = self.rng
        for attempt in range(600):
            tpl = rng.choice(templates)
            title = cap(tpl.format(**ctx))
            # Small template spaces: after many draws accept titles that differ a little less.
            if self.titles.fresh_text(title, 85.0 if attempt < 300 else 95.0):
                return title
            ctx.update(self.context())
        raise RuntimeError(f"could not draw a distinct {family} title")  # pragma: no cover

    # --- abstracts ----------------------------------------------------------------------
    def study_abstract(self, ctx: dict[str, str], year: int) -> str:
        rng = self.rng
        y1 = year - rng.randint(2, 3)
        fill = dict(ctx, y1=str(y1), y2=str(y1 + 1), collection_cap=cap(ctx["collection"]))
        parts = [rng.choice(P.INCLUDED_BACKGROUND), rng.choice(P.INCLUDED_AIMS).format(**fill),
                 rng.choice(P.INCLUDED_METHODS).format(**fill),
                 rng.choice(P.INCLUDED_RESULTS), rng.choice(P.INCLUDED_CONCLUSIONS)]
        if rng.random() < 0.4:
            labels = ("BACKGROUND:", "", "METHODS:", "RESULTS:", "CONCLUSIONS:")
            parts = [f"{lab} {p}".strip() for lab, p in zip(labels, parts, strict=True)]
        return sentence_join(parts)

    def stat_fill(self) -> dict[str, str]:
        rng = self.rng
        orv = rng.uniform(0.6, 2.4)
        return {"or_value": f"{orv:.2f}", "ci_low": f"{orv * rng.uniform(0.6, 0.9):.2f}",
                "ci_high": f"{orv * rng.uniform(1.1, 1.6):.2f}"}

    # --- document kinds ----------------------------------------------------------------
    def included(self, k: int) -> Doc:
        ctx = self.context()
        year = self.rng.randint(2005, 2022)
        title = self.study_title(ctx)
        return self.add("included", title, self.study_abstract(ctx, year), year,
                        study_id=f"S{k:03d}", ta_include=1, ft_decision="include", ctx=ctx,
                        keywords=self.rng.sample(P.KEYWORDS_INCLUDED, 4),
                        mesh=sorted(self.rng.sample(P.MESH_INCLUDED, 5)))

    def near_miss(self, nm_type: str, at_full_text: bool, reason: str = "") -> Doc:
        ctx = self.context()
        ctx["outcome"] = self.rng.choice(P.OUTCOMES)
        variant = "ambiguous" if at_full_text else "clear"
        year = self.rng.randint(2003, 2022)
        if nm_type == "language":
            title = self.study_title(ctx)
            abstract = self.study_abstract(ctx, year)
        elif nm_type == "unretrieved":
            title = self.study_title(ctx)
            abstract = self.study_abstract(ctx, year)
        else:
            title = self.templated_title(nm_type, P.NEAR_MISS_TITLES[nm_type][variant], ctx)
            key = nm_type + ("_ambiguous" if at_full_text else "")
            fill = dict(ctx, **self.stat_fill())
            abstract = sentence_join([s.format(**fill) for s in P.NEAR_MISS_ABSTRACTS[key]])
        kw = {"ta_include": 1 if at_full_text else 0, "ctx": ctx,
              "keywords": self.rng.sample(P.KEYWORDS_INCLUDED, 3),
              "mesh": sorted(self.rng.sample(P.MESH_OTHER, 4))}
        if at_full_text and nm_type != "unretrieved":
            kw.update(ft_decision="exclude", ft_reason=reason)
        if nm_type == "unretrieved":
            kw["retrievable"] = 0
        ctx["nm_type"] = nm_type
        return self.add(f"near_miss_{nm_type}", title, abstract, year, **kw)

    def conference_abstract(self, of: Doc | None) -> Doc:
        """A conference abstract, of an included study's work (same title) or of another study."""
        rng = self.rng
        venue_journal, meeting = rng.choice(P.CONFERENCE_VENUES)
        journal = next(j for j in P.FIELD_JOURNALS if j.name == venue_journal)
        if of is not None:
            ctx, title, authors = dict(of.ctx), of.title, list(of.authors)
            year = of.year - 1 if of.year > 2001 else of.year
            abstract = self.study_abstract(ctx, year)
        else:
            ctx = self.context()
            title, authors, year = self.study_title(ctx), None, rng.randint(2006, 2022)
            abstract = self.study_abstract(ctx, year)
        ctx["meeting"] = meeting
        art = f"S{rng.randint(10, 250)}"
        doc = self.add("conference_abstract", title, abstract, year, journals=(journal,),
                       authors=authors, pub_type="conference-abstract", venue=meeting,
                       study_id=of.study_id if of else "", ta_include=1, ft_decision="exclude",
                       ft_reason="X1_pubtype", ctx=ctx, pages=None, article_no=art,
                       year_shift_ok=False)
        doc.doi = "" if rng.random() < 0.6 else doc.doi
        # Conference abstracts sit in Embase, Scopus and Web of Science, not in MEDLINE.
        doc.allowed = self.restrict({"ovid", "scopus", "wos"})
        return doc

    def restrict(self, families: set[str]) -> frozenset[str] | None:
        """`families` if the config has any of them, else no restriction."""
        return frozenset(families) if families & self.families else None

    def erratum(self, of: Doc) -> Doc:
        rng = self.rng
        lead = rng.choice(("Erratum: ", "Correction to: ", "Corrigendum to "))
        year = min(of.year + 1, 2022)
        doc = self.add("erratum", f"{lead}{of.title}", "", year, journals=(of.journal,),
                       authors=list(of.authors), pub_type="erratum",
                       study_id=of.study_id, auto_rule="publication_type",
                       pages=(of.pages[1] + 30, of.pages[1] + 30) if of.pages else None,
                       article_no="" if of.pages else str(int(of.article_no) + 7))
        doc.needs = self.restrict({"pubmed", "ovid", "scopus", "wos"})
        return doc

    def secondary(self, kind: str, typed: bool = True) -> Doc:
        """A review or commentary; an untyped review is exported as a journal article everywhere, so
        only its title says it is a review (the `review_title` rule's case)."""
        ctx = self.context()
        ctx["outcome"] = self.rng.choice(P.OUTCOMES)
        templates = P.REVIEW_TITLES if kind == "review" else P.COMMENTARY_TITLES
        title = self.templated_title(kind, templates, ctx)
        texts = P.REVIEW_ABSTRACT if kind == "review" else P.COMMENTARY_ABSTRACT
        abstract = sentence_join([s.format(**ctx) for s in texts])
        pub = "review" if kind == "review" else (
            "editorial" if title.startswith("Editorial") else "commentary")
        if not typed:
            return self.add(kind, title, abstract, self.rng.randint(2004, 2022), pub_type="journal-article",
                            auto_rule="review_title", ctx=ctx)
        doc = self.add(kind, title, abstract, self.rng.randint(2004, 2022), pub_type=pub,
                       auto_rule="publication_type", ctx=ctx)
        doc.needs = self.restrict({"pubmed", "ovid", "scopus", "wos"})
        return doc

    def out_of_range(self) -> Doc:
        ctx = self.context()
        year = self.rng.choice((1994, 1996, 1997, 1998, 2024))
        title = self.study_title(ctx)
        return self.add("out_of_range_year", title, self.study_abstract(ctx, year), year,
                        auto_rule="year", ctx=ctx, year_shift_ok=False)

    def other_language(self) -> Doc:
        rng = self.rng
        lang = rng.choice(P.OTHER_LANGUAGES)
        if rng.random() < 0.5:
            ctx = self.context()
            title, abstract = self.study_title(ctx), ""
            abstract = self.study_abstract(ctx, 2015)
        else:
            title, abstract, ctx = self.irrelevant_text()
        doc = self.add("other_language", title, abstract, rng.randint(2004, 2022), language=lang,
                       auto_rule="language", ctx=ctx)
        doc.needs = self.restrict({"pubmed", "scopus", "wos", "proquest"})
        return doc

    def irrelevant_text(self) -> tuple[str, str, dict]:
        rng = self.rng
        for _ in range(1000):
            topic = rng.choice(P.IRRELEVANT_TOPICS)
            pop = rng.choice(P.IRRELEVANT_POPULATIONS)
            _country, place = rng.choice(P.PLACES)
            design = rng.choice(P.IRRELEVANT_DESIGNS)
            if self.titles.fresh_slots("irrelevant", (topic, pop, place, design)):
                break
        else:  # pragma: no cover - the slot space is far larger than any shape
            raise RuntimeError("irrelevant title space exhausted")
        if rng.random() < 0.7:
            title = f"{topic} among {pop} in {place}: {design}"
        else:
            title = f"{cap(design)} of {topic[:1].lower() + topic[1:]} among {pop} in {place}"
        fill = {"topic_lower": topic[:1].lower() + topic[1:], "topic_cap": topic,
                "population": pop, "place": place, "design": design,
                "n": str(rng.randint(120, 9000)), "factor": rng.choice(P.IRRELEVANT_FACTORS),
                "field": rng.choice(P.IRRELEVANT_FIELDS), **self.stat_fill()}
        abstract = sentence_join([s.format(**fill) for s in P.IRRELEVANT_SENTENCES])
        return title, abstract, {"place": place}

    def irrelevant(self) -> Doc:
        title, abstract, ctx = self.irrelevant_text()
        journals = P.OTHER_JOURNALS + P.FIELD_JOURNALS[:6]
        return self.add("irrelevant", title, abstract, self.rng.randint(2000, 2022),
                        journals=journals, ctx=ctx, mesh=sorted(self.rng.sample(P.MESH_OTHER, 4)),
                        keywords=self.rng.sample(P.KEYWORDS_OTHER, 3))


def build_documents(plan: Plan, seed: int, db_families: dict[str, str]) -> list[Doc]:
    """All unique documents of the plan, with doc ids assigned in a seeded random order."""
    return build_corpus(plan, seed, db_families)[0]


def build_corpus(plan: Plan, seed: int, db_families: dict[str, str]) -> tuple[list[Doc], Builder]:
    """The documents the databases find, and the builder (to make documents only citations lead to)."""
    b = Builder(plan, seed, db_families)
    included = [b.included(k + 1) for k in range(plan.included)]
    for _ in range(plan.not_retrieved):
        b.near_miss("unretrieved", True)
    for reason in sorted(plan.ft_excluded):
        for k in range(plan.ft_excluded[reason]):
            if reason == "X1_pubtype":
                # The first conference abstracts report included studies' work: dedup traps.
                of = included[k] if k < len(included) and (k == 0 or k % 2 == 1) else None
                b.conference_abstract(of)
            else:
                types = REASON_TYPES.get(reason, ("design",))
                b.near_miss(types[k % len(types)], True, reason)
    for k in range(plan.erratum):
        b.erratum(included[k])
    for k in range(plan.review):
        b.secondary("review", typed=k >= plan.review_untyped)
    for _ in range(plan.commentary):
        b.secondary("commentary")
    for _ in range(plan.year):
        b.out_of_range()
    for _ in range(plan.language):
        b.other_language()
    for nm_type in sorted(plan.near_miss_ta):
        for _ in range(plan.near_miss_ta[nm_type]):
            b.near_miss(nm_type, False)
    for _ in range(plan.irrelevant):
        b.irrelevant()
    docs = b.docs
    order = list(range(len(docs)))
    random.Random(f"{seed}:doc-ids").shuffle(order)
    width = max(5, len(str(len(docs))))
    for n, i in enumerate(order, start=1):
        docs[i].doc_id = f"D{n:0{width}d}"
    return sorted(docs, key=lambda d: d.doc_id), b
