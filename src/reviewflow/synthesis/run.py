"""Synthesis stage: segment the included reports' findings and code them against the codebook."""

from __future__ import annotations

from pathlib import Path

from ..fsio import read_csv, write_csv, write_json
from .codebook import codes_from_config
from .coding import suggest_codes
from .segments import split_findings

QUOTES_PER_CODE = 3


def run_coding(config: dict, assessment: Path, retrieval: Path, out_segments: Path,
               out_codes: Path, out_themes: Path) -> None:
    """Segments, suggested codes, and the theme table (codes -> studies -> example quotes)."""
    files = {r["record_id"]: r["file"] for r in read_csv(retrieval)}
    included = sorted(r["record_id"] for r in read_csv(assessment) if r["decision"] == "include")
    segments = []
    for rid in included:
        segments += split_findings(rid, Path(files[rid]).read_text(encoding="utf-8"))
    codes = codes_from_config(config["codebook"])
    suggestions = suggest_codes(segments, codes)
    write_csv(out_segments, ["segment_id", "record_id", "segment", "line", "kind", "heading", "text"],
              ({"segment_id": s.id, "record_id": s.record_id, "segment": s.segment, "line": s.line,
                "kind": s.kind, "heading": s.heading, "text": s.text} for s in segments))
    write_csv(out_codes, ["segment_id", "code", "score", "basis"],
              ({"segment_id": g.segment_id, "code": g.code, "score": f"{g.score:.4f}",
                "basis": g.basis} for g in suggestions))
    by_id = {s.id: s for s in segments}
    themes = []
    for theme in config["codebook"]["themes"]:
        subs = []
        for sub in theme["subthemes"]:
            hits = [by_id[g.segment_id] for g in suggestions if g.code == sub["id"]]
            quotes = [s for s in hits if s.kind == "participant_quote"][:QUOTES_PER_CODE]
            subs.append({"id": sub["id"], "label": sub["label"], "n_segments": len(hits),
                         "studies": sorted({s.record_id for s in hits}),
                         "n_studies": len({s.record_id for s in hits}),
                         "quotes": [{"text": s.text, "study_id": s.record_id, "kind": s.kind}
                                    for s in quotes]})
        themes.append({"id": theme["id"], "label": theme["label"], "subthemes": subs})
    write_json(out_themes, {"segments": len(segments), "studies": len(included),
                            "coded_segments": len({g.segment_id for g in suggestions}),
                            "themes": themes})
