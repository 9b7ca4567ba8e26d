"""The report's methods text, written from the config (and the stages' own summaries)."""

from __future__ import annotations

from importlib import metadata

TOOLS = ("snakemake", "scikit-learn", "rapidfuzz", "openpyxl", "python-calamine", "jinja2", "pandas", "pdfminer.six",
         "lxml", "python-docx", "snowballstemmer")


def _join(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _version(pkg: str) -> str | None:
    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:
        return None


def tool_versions(version: str) -> list[str]:
    out = [f"reviewflow {version}"]
    out += [f"{p} {v}" for p in TOOLS if (v := _version(p))]
    return out


def methods_text(config: dict, version: str, dedup_method: str = "", n_codes: int = 0,
                 unread: list[str] | None = None, no_findings: list[str] | None = None) -> list[dict]:
    """[{heading, text}] paragraphs; every fact comes from the config or a stage summary."""
    dbs = config["databases"]
    by_platform: dict[str, list[str]] = {}
    for d in dbs:
        by_platform.setdefault(d.get("platform") or "", []).append(d["name"])
    platforms = _join([f"{_join(names)}{f' (via {p})' if p else ''}" for p, names in by_platform.items()])
    rep = config.get("report") or {}
    when = f" The searches were run on {rep['search_date']}." if rep.get("search_date") else ""
    elig = config.get("eligibility") or {}
    years = elig.get("publication_years") or {}
    crit = []
    if years:
        crit.append(f"published {years.get('from', '…')}\u2013{years.get('to', '…')}")
    if elig.get("languages"):
        crit.append("in " + _join(elig["languages"]))
    if (elig.get("publication_types") or {}).get("exclude"):
        crit.append("not of type " + _join(elig["publication_types"]["exclude"]))
    reasons = [r["label"] for r in config["full_text_exclusion_reasons"]]
    scr = config["screening"]
    ta, ft = scr["reviewers"], scr.get("full_text_reviewers") or scr["reviewers"]
    appraisers = (config.get("appraisal") or {}).get("appraisers") or ft
    coder = (config.get("synthesis") or {}).get("coder", "a reviewer")
    themes = config["codebook"]["themes"]
    n_sub = sum(len(t["subthemes"]) for t in themes)
    paras = [
        {"heading": "Searches", "text": f"We searched {len(dbs)} bibliographic databases: {platforms}.{when} "
                                        "Each database's export was read as it was delivered, every record "
                                        "traced to its file and line."},
        {"heading": "Deduplication", "text": "Duplicate records were removed before screening"
                                             + (f" by {dedup_method}" if dedup_method else "") + "."},
        {"heading": "Eligibility", "text": ("Records were removed automatically when they were not "
                                            + _join(crit) + ". " if crit else "")
         + f"At full text, each excluded report got one primary reason, the first that applied in this "
           f"order: {'; '.join(reasons)}."},
        {"heading": "Screening", "text": f"Reviewers {_join(ta)} screened titles and abstracts independently "
                                         f"and blinded to each other; reviewer {scr['adjudicator']} settled "
                                         f"their conflicts. Reviewers {_join(ft)} assessed the full texts in the "
                                         "same way. Agreement is reported as percent agreement, Cohen's \u03ba "
                                         "and PABAK."},
        {"heading": "Data extraction", "text": "An extraction sheet pre-filled from each included report's "
                                               "Methods and Findings ("
         + _join([f.replace("_", " ") for f in (config.get("extraction") or {}).get("fields", [])])
         + ") was checked and corrected by the extractor."},
        {"heading": "Quality appraisal", "text": f"Appraisers {_join(appraisers)} appraised each study "
                                                 "independently with the CASP Qualitative Studies Checklist "
                                                 "(Critical Appraisal Skills Programme, 2018) and agreed "
                                                 "disagreements by discussion. No study was excluded on "
                                                 "quality; the appraisal informs the confidence in each finding."},
        {"heading": "Synthesis", "text": "We followed the thematic synthesis of Thomas and Harden (2008): the "
                                         "whole Results or Findings section of "
                                         + ("every included study" if not (unread or no_findings)
                                            else "each included study where one was found")
                                         + " was split into segments (participant quotes and author statements "
                                         "kept apart) and "
                                         f"coded against an a priori codebook of {len(themes)} analytical "
                                         f"themes and {n_sub} descriptive subthemes. The pipeline suggested "
                                         "codes from the codebook's indicator phrases and TF-IDF similarity to "
                                         f"each code's definition; {coder} confirmed, recoded or rejected every "
                                         "suggestion, and those decisions are the coding used here. Segments "
                                         "no code fitted were clustered (TF-IDF, agglomerative clustering) "
                                         "into candidate new codes for the team to name."},
        {"heading": "Confidence in the findings", "text": "For each review finding we assembled the evidence "
                                                          "for the four GRADE-CERQual components "
                                                          "(methodological limitations, coherence, adequacy, "
                                                          "relevance; Lewin et al. 2018); the pipeline "
                                                          "proposes a judgement by the stated rules and the "
                                                          "reviewers' judgements replace them where given."},
        {"heading": "Tools", "text": "The review ran as a Snakemake workflow with "
                                     + _join(tool_versions(version)) + "; the same inputs give the same "
                                     "outputs, byte for byte."},
    ]
    if no_findings:
        paras[6]["text"] += (f" No Results or Findings section was found in {_join(no_findings)}: their body "
                             "paragraphs outside the Background and Methods were coded instead.")
    if unread:
        paras[6]["text"] += f" No findings could be read from {_join(unread)}; they are not in the synthesis."
    if n_codes:
        paras[6]["text"] += f" {n_codes} codes were in use."
    return paras
