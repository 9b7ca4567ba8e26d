"""GRADE-CERQual-style assessment of each review finding (Lewin et al. 2018, Implement Sci 13:2).

For every subtheme with at least one contributing study the pipeline assembles the evidence
(contributing studies, their CASP concerns, segments and quotes, contexts) and proposes a
judgement per component by a stated rule, and an overall confidence. These are proposals: a
reviewer's judgement in the CERQual sheet wins wherever it is given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ..sheets import Column, carry_over, read_returned, read_sheet, write_sheet

LEVELS = ("no or very minor", "minor", "moderate", "serious")
CONFIDENCE = ("high", "moderate", "low", "very low")
COMPONENTS = ("limitations", "coherence", "adequacy", "relevance")
COMPONENT_LABEL = {"limitations": "Methodological limitations", "coherence": "Coherence",
                   "adequacy": "Adequacy", "relevance": "Relevance"}
RULES = {
    "limitations": "share of the finding's segments from studies with moderate or serious CASP concerns: "
                   "<25% no or very minor, <50% minor, <75% moderate, else serious",
    "coherence": "share of the finding's segments also coded to another theme (ambiguous or contrasting "
                 "data): <10% no or very minor, <25% minor, <40% moderate, else serious",
    "adequacy": ">=5 studies and >=5 participant quotes: no or very minor; >=3 studies and >=2 quotes: minor; "
                ">=2 studies: moderate; one study: serious",
    "relevance": "contributing studies from >=2 countries and >=2 settings: no or very minor; one country "
                 "or one setting (partial relevance): minor; one study: moderate",
    "overall": "start at high; one level down per moderate concern, two per serious concern, one for two or "
               "more minor concerns; never below very low",
}


def _band(share: float, cuts: Sequence[float]) -> str:
    for level, cut in zip(LEVELS, cuts, strict=False):
        if share < cut:
            return level
    return LEVELS[-1]


def _values(text: str) -> set[str]:
    return {v.strip().lower() for v in (text or "").split(";") if v.strip()}


def overall(levels: Mapping[str, str]) -> str:
    down = sum({"moderate": 1, "serious": 2}.get(v, 0) for v in levels.values())
    down += 1 if sum(1 for v in levels.values() if v == "minor") >= 2 else 0
    return CONFIDENCE[min(down, len(CONFIDENCE) - 1)]


def assess(sub: Mapping, concerns: Mapping[str, str], extraction: Mapping[str, Mapping]) -> dict:
    """The evidence and proposed judgements for one finding (a subtheme dict from themes.json)."""
    studies = list(sub["studies"])
    per_study = sub.get("segments_per_study") or {s: 1 for s in studies}
    n_seg = sum(per_study.values()) or 1
    flagged = [s for s in studies if concerns.get(s) in ("moderate", "serious")]
    unknown = [s for s in studies if concerns.get(s) in (None, "", "pending")]
    share_lim = sum(per_study.get(s, 0) for s in flagged) / n_seg
    share_coh = sub.get("n_cross_theme", 0) / n_seg
    n, q = len(studies), sub.get("n_participant_quotes", 0)
    adequacy = LEVELS[0] if n >= 5 and q >= 5 else LEVELS[1] if n >= 3 and q >= 2 else \
        LEVELS[2] if n >= 2 else LEVELS[3]
    countries = set().union(*[_values(extraction.get(s, {}).get("country", "")) for s in studies]) if studies \
        else set()
    settings = set().union(*[_values(extraction.get(s, {}).get("setting", "")) for s in studies]) if studies \
        else set()
    relevance = LEVELS[2] if n < 2 else LEVELS[0] if len(countries) >= 2 and len(settings) >= 2 else LEVELS[1]
    levels = {"limitations": _band(share_lim, (0.25, 0.5, 0.75)),
              "coherence": _band(share_coh, (0.10, 0.25, 0.40)),
              "adequacy": adequacy, "relevance": relevance}
    explain = {
        "limitations": f"{len(flagged)} of {n} studies with moderate/serious CASP concerns "
                       f"({share_lim:.0%} of segments)" + (f"; {len(unknown)} not yet appraised" if unknown else ""),
        "coherence": f"{sub.get('n_cross_theme', 0)} of {n_seg} segments also coded to another theme",
        "adequacy": f"{n} studies, {sub.get('n_segments', 0)} segments, {q} participant quotes",
        "relevance": f"{len(countries)} countries, {len(settings)} settings",
    }
    return {"finding": sub["id"], "label": sub["label"], "summary": sub.get("definition", ""),
            "studies": studies, "n_studies": n, "n_segments": sub.get("n_segments", 0), "n_quotes": q,
            "proposed": {**levels, "overall": overall(levels)}, "explanation": explain}


def cerqual_columns() -> list[Column]:
    return [Column("finding", "Finding", width=16), Column("label", "Label", width=30, wrap=True),
            Column("evidence", "Evidence", width=40, wrap=True), Column("proposed", "Proposed (rule)", width=40,
                                                                        wrap=True),
            *[Column(c, COMPONENT_LABEL[c], width=16, choices=LEVELS, editable=True) for c in COMPONENTS],
            Column("overall", "Overall confidence", width=16, choices=CONFIDENCE, editable=True),
            Column("explanation", "Explanation of judgement", width=40, wrap=True, editable=True)]


def write_cerqual_sheet(path: Path, rows: list[dict], returned: Path | None = None) -> None:
    """The judgement sheet; judgements from the returned sheet (`returned`), if any, are carried."""
    sheet_rows = [{"finding": r["finding"], "label": r["label"],
                   "evidence": f"{r['n_studies']} studies; " + "; ".join(r["explanation"].values()),
                   "proposed": "; ".join(f"{COMPONENT_LABEL.get(k, 'Overall')}: {v}"
                                         for k, v in r["proposed"].items())} for r in rows]
    cols = cerqual_columns()
    sheet_rows = carry_over(sheet_rows, cols, read_returned(returned, cols, key="finding"), key="finding")
    write_sheet(path, cols, sheet_rows, title="CERQual", key="finding", instructions=[
        "One row per review finding. The pipeline proposes a judgement per component by the rules in the "
        "report; enter your own where you judge otherwise (empty cells keep the proposal).",
        "Overall confidence: high, moderate, low or very low, with an explanation."])


def read_judgements(path: Path | None, findings: set[str]) -> dict[str, dict]:
    if path is None or not Path(path).exists():
        return {}
    rows = read_sheet(path, cerqual_columns(), key="finding").rows
    return {k: v for k, v in rows.items() if k in findings}


def cerqual_table(themes: Sequence[Mapping], concerns: Mapping[str, str], extraction: Mapping[str, Mapping],
                  judgements: Mapping[str, Mapping] | None = None) -> list[dict]:
    """One row per subtheme with >=1 study; reviewers' judgements override the proposals."""
    out = []
    for theme in themes:
        for sub in theme["subthemes"]:
            if not sub["studies"]:
                continue
            row = assess(sub, concerns, extraction)
            row["theme"] = theme["label"]
            given = (judgements or {}).get(sub["id"], {})
            final, source = {}, {}
            for c in (*COMPONENTS, "overall"):
                final[c] = given.get(c) or row["proposed"][c]
                source[c] = "reviewer" if given.get(c) else "proposed"
            if not given.get("overall") and any(given.get(c) for c in COMPONENTS):
                final["overall"] = overall({c: final[c] for c in COMPONENTS})
            row.update(final=final, source=source, reviewer_explanation=given.get("explanation", ""))
            out.append(row)
    return out
