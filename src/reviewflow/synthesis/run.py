"""Synthesis stage: segment the included reports' findings, suggest codes, write the coding sheet;
then read people's coding back and roll the codes up into themes (Thomas & Harden 2008)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from ..article.read import read_article
from ..errors import InputFileError
from ..fsio import iter_jsonl, read_csv, read_json, write_csv, write_json, write_jsonl
from ..status import awaits, sheet_paths
from ..studies import study_labels
from .codebook import codes_from_config
from .coding import suggest_codes
from .inductive import candidate_codes
from .segments import Findings, find_findings
from .sheet import KEY, read_coding_sheet, split_codes, write_coding_sheet

QUOTES_PER_CODE = 3


def _settings(config: dict) -> dict:
    return config.get("synthesis") or {}


SEGMENT_COLUMNS = ["segment_id", "record_id", "segment", "line", "kind", "heading", "text", "page", "attribution",
                   "basis"]


def read_findings(record_id: str, file: str) -> tuple[Findings | None, dict]:
    """One study's findings and what to tell people about them (a row of findings.json)."""
    row = {"record_id": record_id, "file": file, "format": "", "findings_heading": "", "themes": [],
           "segments": 0, "basis": "", "problem": ""}
    try:
        article = read_article(file)
    except InputFileError as exc:
        return None, {**row, "problem": f"the full text cannot be read: {exc.message}"}
    found = find_findings(record_id, article)
    return found, {**row, "format": article.format, "findings_heading": "; ".join(found.headings),
                   "themes": list(found.themes), "segments": len(found.segments),
                   "basis": found.segments[0].basis if found.segments else "", "problem": found.problem}


def run_coding(config: dict, assessment: Path, retrieval: Path, out_segments: Path,
               out_codes: Path, out_queue: Path | None = None, out_sheet: Path | None = None,
               unique: Path | None = None, returned: Path | None = None, out_findings: Path | None = None,
               aliases: Mapping[str, str] | None = None) -> None:
    """Segments, suggested codes, and the coding sheet for people (one row per segment; the
    coder's decisions from their returned sheet, if any, carried). `out_findings` says per study
    what was read: the findings section found (or why none was) and how many segments it gave."""
    files = {r["record_id"]: r["file"] for r in read_csv(retrieval)}
    included = sorted(r["record_id"] for r in read_csv(assessment) if r["decision"] == "include")
    segments, studies = [], []
    for rid in included:
        found, row = read_findings(rid, files[rid])
        studies.append(row)
        if found is not None:
            segments += found.segments
    codes = codes_from_config(config["codebook"])
    suggestions = suggest_codes(segments, codes, _settings(config).get("similarity", "tfidf"))
    write_csv(out_segments, SEGMENT_COLUMNS,
              ({"segment_id": s.id, "record_id": s.record_id, "segment": s.segment, "line": s.line,
                "kind": s.kind, "heading": s.heading, "text": s.text, "page": s.page,
                "attribution": s.attribution, "basis": s.basis} for s in segments))
    write_csv(out_codes, ["segment_id", "code", "score", "basis"],
              ({"segment_id": g.segment_id, "code": g.code, "score": f"{g.score:.4f}",
                "basis": g.basis} for g in suggestions))
    labels = {}
    if unique is not None:
        wanted = set(included)
        labels = study_labels({d["id"]: d for d in iter_jsonl(unique) if d["id"] in wanted})
    if out_findings is not None:
        write_json(out_findings, {"studies": [{**r, "study": labels.get(r["record_id"], r["record_id"])}
                                              for r in studies]})
    if out_queue is None or out_sheet is None:
        return
    by_seg: dict[str, list] = {}
    for g in suggestions:
        by_seg.setdefault(g.segment_id, []).append(g)
    rows = [{KEY: s.id, "record_id": s.record_id, "study": labels.get(s.record_id, s.record_id),
             "heading": s.heading, "kind": s.kind.replace("_", " "), "text": s.text, "page": str(s.page or ""),
             "attribution": s.attribution, "basis": s.basis,
             "suggested": "; ".join(g.code for g in by_seg.get(s.id, [])),
             "why": "; ".join(f"{g.code}: {g.basis} ({g.score:.2f})" for g in by_seg.get(s.id, []))}
            for s in segments]
    write_jsonl(out_queue, rows)
    unread = [f"{labels.get(r['record_id'], r['record_id'])}: {r['problem']}" for r in studies if r["problem"]]
    write_coding_sheet(out_sheet, [c.id for c in codes], rows, returned, notes=unread, aliases=aliases)


def final_codes(queue: list[dict], decisions: dict[str, dict]) -> list[dict]:
    """Per segment: the codes that count, and where they come from (people's decision or suggestion)."""
    out = []
    for q in queue:
        d = decisions.get(q[KEY])
        if d is None:
            codes, source = split_codes(q["suggested"]), "suggested (unconfirmed)"
        else:
            codes, source = d["codes"], {"confirm": "confirmed", "recode": "recoded",
                                         "reject": "rejected"}[d["decision"]]
        out.append({KEY: q[KEY], "record_id": q["record_id"], "codes": codes, "source": source})
    return out


def _quotes(hits: list[dict], n: int) -> list[dict]:
    """Up to n example quotes: participants' words first, one per study before a second from any."""
    ordered = sorted(hits, key=lambda s: (s["kind"] != "participant_quote", s["record_id"], int(s["segment"])))
    picked: list[dict] = []
    seen: set[str] = set()
    for s in ordered:
        if len(picked) < n and s["record_id"] not in seen:
            picked.append(s)
            seen.add(s["record_id"])
    for s in ordered:
        if len(picked) < n and s not in picked and s["kind"] == "participant_quote":
            picked.append(s)
    return [{"text": s["text"], "study_id": s["record_id"], "kind": s["kind"], "segment_id": s[KEY],
             "page": s.get("page", "")} for s in picked]


def build_themes(config: dict, segments: list[dict], coded: list[dict]) -> list[dict]:
    """Descriptive themes (subthemes) under analytical themes, as the codebook's hierarchy says."""
    seg = {s["segment_id"]: s for s in segments}
    n_quotes = int(_settings(config).get("quotes_per_finding", QUOTES_PER_CODE))
    theme_of = {c.id: c.theme_id for c in codes_from_config(config["codebook"])}
    themes = []
    for theme in config["codebook"]["themes"]:
        subs = []
        for sub in theme["subthemes"]:
            rows = [c for c in coded if sub["id"] in c["codes"]]
            hits = [seg[c[KEY]] for c in rows]
            per_study = Counter(s["record_id"] for s in hits)
            other_theme = sum(1 for c in rows if any(theme_of.get(x) not in (None, theme["id"])
                                                     for x in c["codes"]))
            subs.append({"id": sub["id"], "label": sub["label"], "definition": sub.get("definition", ""),
                         "n_segments": len(hits), "studies": sorted(per_study), "n_studies": len(per_study),
                         "segments_per_study": dict(sorted(per_study.items())),
                         "n_participant_quotes": sum(1 for s in hits if s["kind"] == "participant_quote"),
                         "n_confirmed": sum(1 for c in rows if c["source"] in ("confirmed", "recoded")),
                         "n_cross_theme": other_theme,
                         "quotes": _quotes(hits, n_quotes)})
        studies = sorted({s for sub in subs for s in sub["studies"]})
        themes.append({"id": theme["id"], "label": theme["label"], "definition": theme.get("definition", ""),
                       "studies": studies, "n_studies": len(studies), "subthemes": subs})
    return themes


def findings_waiting(findings: Path | None) -> tuple[list[dict], list[dict]]:
    """(waiting, notes) for status from findings.json: a study that gave no segment waits on the team
    (the review is not complete without its findings); one read without a findings section is a note."""
    if findings is None or not Path(findings).exists():
        return [], []
    waiting, notes = [], []
    for r in read_json(findings)["studies"]:
        if not r["problem"]:
            continue
        entry = {"who": "the team", "n": 1, "file": r["file"], "study": r.get("study", r["record_id"]),
                 "message": f"{r.get('study', r['record_id'])} ({r['file']}): {r['problem']}"}
        if r["segments"]:
            notes.append(entry)
        else:
            entry["message"] += (": put a full text with a text layer (or its XML) in its place, or code the "
                                 "study's findings by hand")
            waiting.append(entry)
    return waiting, notes


def run_themes(config: dict, segments_csv: Path, queue: Path, decisions: Path | None, out_coded: Path,
               out_themes: Path, out_candidates: Path, out_status: Path, findings: Path | None = None,
               aliases: Mapping[str, str] | None = None) -> None:
    """Read the coding sheet back (decisions win; a segment id of a record merged since is read for its
    report today: `aliases`), roll codes up into themes, cluster the uncoded."""
    code_ids = [c.id for c in codes_from_config(config["codebook"])]
    rows = list(iter_jsonl(queue))
    decided = read_coding_sheet(decisions, code_ids, rows, aliases) if decisions is not None else {}
    coded = final_codes(rows, decided)
    write_csv(out_coded, [KEY, "record_id", "codes", "source"],
              ({**c, "codes": ";".join(c["codes"])} for c in coded))
    segments = read_csv(segments_csv)
    seg = {s["segment_id"]: s for s in segments}
    uncoded = [seg[c[KEY]] for c in coded if not c["codes"]]
    wanted = (_settings(config).get("inductive") or {}).get("clusters")
    candidates = candidate_codes(uncoded, wanted)
    write_csv(out_candidates, ["candidate", "n_segments", "n_studies", "top_terms", "segment_ids", "example"],
              ({"candidate": c["candidate"], "n_segments": len(c["segment_ids"]), "n_studies": len(c["studies"]),
                "top_terms": "; ".join(c["top_terms"]), "segment_ids": ";".join(c["segment_ids"]),
                "example": c["example"]} for c in candidates))
    pending = [c for c in coded if c["source"].startswith("suggested")]
    sources = Counter(c["source"] for c in coded)
    waiting = []
    if pending:
        who = _settings(config).get("coder", "the coder")
        waiting.append(awaits(len(pending), "finding segments", f"coder {who}" if who != "the coder" else who,
                              *sheet_paths(config, "coding/coding.xlsx")))
    unread, notes = findings_waiting(findings)
    waiting += unread
    write_json(out_status, {"stage": "coding", "complete": not waiting, "waiting": waiting, "notes": notes})
    write_json(out_themes, {
        "segments": len(coded), "studies": len({c["record_id"] for c in coded}),
        "coded_segments": sum(1 for c in coded if c["codes"]),
        "decisions": dict(sorted(sources.items())),
        "themes": build_themes(config, segments, coded),
        "candidates": [{**c, "n_segments": len(c["segment_ids"])} for c in candidates],
        "uncoded_segments": len(uncoded),
        "unread_studies": [w["study"] for w in unread], "no_findings_section": [n["study"] for n in notes],
    })


def run_cerqual(config: dict, themes: Path, appraisal_studies: Path, extraction: Path,
                decisions: Path | None, out_table: Path, out_sheet: Path, out_status: Path | None = None) -> None:
    """The CERQual evidence profile: proposals by rule, reviewers' judgements winning where given."""
    from .cerqual import RULES, cerqual_table, read_judgements, write_cerqual_sheet

    th = read_json(themes)["themes"]
    concerns = {r["study_id"]: r["concerns"] for r in read_csv(appraisal_studies)}
    extracted = {r.get("study_id") or r["record_id"]: r for r in read_csv(extraction)}
    findings = {s["id"] for t in th for s in t["subthemes"] if s["studies"]}
    judged = read_judgements(decisions, findings)
    rows = cerqual_table(th, concerns, extracted, judged)
    write_cerqual_sheet(out_sheet, rows, decisions)
    write_json(out_table, {"rules": RULES, "findings": rows})
    if out_status is not None:
        # The rules only propose: a finding's confidence is the reviewers' once they return the sheet
        # (cells left empty there accept the proposal); a finding new since then waits for them.
        unseen = [r["finding"] for r in rows if r["finding"] not in judged]
        waiting = [awaits(len(unseen), "review findings", "the reviewers' CERQual judgement",
                          *sheet_paths(config, "cerqual/cerqual.xlsx"))] if unseen else []
        write_json(out_status, {"stage": "cerqual", "complete": not waiting, "waiting": waiting})
