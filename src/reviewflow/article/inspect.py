"""`reviewflow fulltext inspect FILE... [--json]`: what the readers make of a full text.

Per file: its format and pages, the sections with their headings and roles, the findings section
found (its heading, first and last paragraph) or why none was, the segments with their kind, and
the extraction suggestions with sentence and page. A team checks a file with it before a run;
tests and benchmarks read its JSON (`segments` a count, `suggestions` a list of
`{field, value, page, sentence}`, per file).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..errors import InputFileError
from .model import HEADING
from .read import read_article
from .sections import heading_role, spans

PREVIEW = 160


def _preview(text: str) -> str:
    return text if len(text) <= PREVIEW else text[:PREVIEW - 1].rstrip() + "\u2026"


def inspect_file(path: str | Path) -> dict:
    """The inspection of one file (see the module); a file the readers refuse has `error`."""
    from ..extract.prefill import suggest_values
    from ..synthesis.segments import find_findings

    try:
        article = read_article(path)
    except InputFileError as exc:
        return {"file": str(path), "error": exc.message, "segments": 0, "suggestions": []}
    found = find_findings(Path(path).stem, article)
    parts = spans(article)
    findings = [s for s in parts if s.role == "findings"]
    paragraphs = [b for s in findings for b in s.blocks if b.kind != HEADING]
    sections = [{"heading": b.text, "level": b.level, "role": heading_role(b.text, b.section_type) or "",
                 "page": b.page, "line": b.line} for b in article.body if b.kind == HEADING]
    out: dict[str, Any] = {
        "file": str(path), "format": article.format, "pages": article.pages, "title": article.title,
        "abstract_paragraphs": sum(1 for b in article.abstract if b.kind != HEADING),
        "body_blocks": len(article.body), "back_blocks": len(article.back), "notes": list(article.notes),
        "sections": sections,
        "findings": {"found": found.found, "headings": list(found.headings), "themes": list(found.themes),
                     "paragraphs": len(paragraphs),
                     "first": _preview(paragraphs[0].text) if paragraphs else "",
                     "last": _preview(paragraphs[-1].text) if paragraphs else "",
                     "problem": found.problem},
        "segments": len(found.segments),
        "segment_list": [{"segment": s.segment, "kind": s.kind, "heading": s.heading, "page": s.page,
                          "line": s.line, "attribution": s.attribution, "basis": s.basis,
                          "text": _preview(s.text)} for s in found.segments],
        "suggestions": [{"field": s.field, "value": s.value, "page": s.page, "section": s.section,
                         "sentence": s.snippet} for s in suggest_values(article).values()],
    }
    return out


def format_inspection(d: dict) -> str:
    if "error" in d:
        return f"{d['file']}: {d['error']}"
    lines = [f"{d['file']}: {d['format']}" + (f", {d['pages']} pages" if d["pages"] else "")
             + (f": {d['title']}" if d["title"] else "")]
    lines += [f"  note: {n}" for n in d["notes"]]
    lines.append("  sections:")
    for s in d["sections"]:
        where = f"p. {s['page']}" if s["page"] else f"line {s['line']}"
        lines.append(f"    {'  ' * max(s['level'] - 1, 0)}{s['heading']}" + (f"  [{s['role']}]" if s["role"] else "")
                     + f"  ({where})")
    f = d["findings"]
    if f["found"]:
        lines.append(f"  findings: {'; '.join(f['headings'])}: {f['paragraphs']} paragraphs, "
                     f"{len(f['themes'])} theme headings")
        if f["first"]:
            lines += [f"    first: {f['first']}", f"    last:  {f['last']}"]
    if f["problem"]:
        lines.append(f"  findings: {f['problem']}")
    kinds: dict[str, int] = {}
    for s in d["segment_list"]:
        kinds[s["kind"]] = kinds.get(s["kind"], 0) + 1
    lines.append(f"  segments: {d['segments']}" + (" (" + ", ".join(f"{v} {k.replace('_', ' ')}"
                                                                  for k, v in sorted(kinds.items())) + ")"
                                                     if kinds else ""))
    lines.append("  suggestions:")
    for s in d["suggestions"]:
        where = f"p. {s['page']}" if s["page"] else s["section"]
        lines.append(f"    {s['field']}: {s['value']}  ({where}: \u201c{_preview(s['sentence'])}\u201d)")
    return "\n".join(lines)


def cmd_inspect(args: argparse.Namespace) -> int:
    got = [inspect_file(f) for f in args.files]
    if args.json:
        print(json.dumps({"files": got}, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        print("\n\n".join(format_inspection(d) for d in got))
    return 1 if any("error" in d for d in got) else 0


def register_inspect(fsub: Any) -> None:
    i = fsub.add_parser("inspect", help="what the readers make of full-text files (sections, findings, "
                                        "segments, extraction suggestions)")
    i.add_argument("files", nargs="+", help="PDF, JATS XML, DOCX, text or Markdown files")
    i.add_argument("--json", action="store_true", help="machine-readable output")
    i.set_defaults(func=cmd_inspect)
