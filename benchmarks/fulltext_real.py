"""The full-text readers on real open-access articles, scored against labels we wrote by reading them.

Articles: ../shared/fixtures/fulltext (PDF and JATS XML from BMC, PLOS, eLife, PeerJ, PMC).
Truth: tests/fulltext_labels.yaml (sample size, country, data collection, analysis method, the
Results section's heading, theme headings and every findings paragraph's opening words).

Per field: precision = right suggestions / suggestions made, recall = right suggestions / articles
that state the field. Findings paragraphs recovered: a labelled paragraph counts when its opening
words (normalised) begin, or fall inside, one paragraph the reader put in the findings section.
Nothing here was tuned on a held-out set: these eleven articles are all we have, so the figures say
how the readers do on them, not on the next article.

Run: .venv/bin/python -m benchmarks.fulltext_real [--no-write]
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

import yaml

from .markdown import ROOT, machine, write_section

FIXTURES = ROOT.parent / "shared" / "fixtures" / "fulltext"
LABELS = ROOT / "tests" / "fulltext_labels.yaml"
FIELDS = ("sample_size", "country", "data_collection", "analysis_method")
GOALS = {"sample_size": 0.9, "country": 0.9, "data_collection": 0.9}
PDF_RECOVERY_GOAL = 0.95


def norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = re.sub(r"[\u2010-\u2015-]", "-", text)
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s'-]", " ", text.lower())).strip()


def _terms(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [norm(str(v)) for v in value if str(v).strip()]
    return [norm(v) for v in str(value).split(";") if v.strip()]


def stated(label: dict, field: str) -> bool:
    v = label.get(field)
    return v not in (None, [], "")


def right(field: str, value: str, label: dict) -> bool:
    """Whether a suggested value agrees with the label (numbers exactly; terms by overlap)."""
    truth = label.get(field)
    if field == "sample_size":
        # A mixed-methods study states one sample per strand: any of them is a right reading.
        wanted = truth if isinstance(truth, list) else [truth]
        try:
            return int(value) in {int(t) for t in wanted}
        except (TypeError, ValueError):
            return False
    got, want = _terms(value), _terms(truth)
    if not got or not want:
        return False
    if field == "country":
        return set(got) == set(want)        # a multi-country study: every country, and no other
    # A method named more or less specifically ('interviews' for 'key informant interviews').
    return any(g in w or w in g for g in got for w in want)


def recovered(paragraphs: list[str], openings: list[str]) -> tuple[int, list[str]]:
    """How many labelled openings are found in the reader's findings paragraphs, and the missed ones."""
    texts = [norm(p) for p in paragraphs]
    missed = [o for o in openings if not any(norm(o) in t for t in texts)]
    return len(openings) - len(missed), missed


def findings_paragraphs(path: Path) -> list[str]:
    from reviewflow.article.model import HEADING
    from reviewflow.article.read import read_article
    from reviewflow.article.sections import FINDINGS, spans

    article = read_article(path)
    return [b.text for s in spans(article) if s.role == FINDINGS for b in s.blocks if b.kind != HEADING]


def evaluate(fixtures: Path = FIXTURES, labels_path: Path = LABELS) -> dict:
    from reviewflow.article.inspect import inspect_file

    labels = yaml.safe_load(labels_path.read_text(encoding="utf-8"))
    per_file, seconds = [], {}
    for name in sorted(labels):
        label = labels[name]
        path = fixtures / name
        t0 = time.perf_counter()
        got = inspect_file(path)
        seconds[name] = time.perf_counter() - t0
        sugg = {s["field"]: s for s in got.get("suggestions", [])}
        row = {"file": name, "format": got.get("format", "error"), "error": got.get("error", ""),
               "kind": label.get("kind"), "qualitative": bool(label.get("qualitative")),
               "want_heading": label.get("findings_heading"),
               "found_headings": got.get("findings", {}).get("headings", []), "segments": got.get("segments", 0),
               "fields": {}}
        want = label.get("findings_heading")
        row["findings_right"] = (norm(want) in [norm(h) for h in row["found_headings"]]) if want else \
            not row["found_headings"]
        for field in FIELDS:
            s = sugg.get(field)
            row["fields"][field] = {"stated": stated(label, field), "value": s["value"] if s else "",
                                    "page": s["page"] if s else "",
                                    "right": bool(s) and right(field, s["value"], label)}
        openings = label.get("findings_paragraphs") or []
        if openings and not row["error"]:
            n, missed = recovered(findings_paragraphs(path), openings)
            row["paragraphs"] = {"labelled": len(openings), "recovered": n, "missed": missed}
        want_themes = [norm(t) for t in label.get("theme_headings") or []]
        got_themes = [norm(t) for t in got.get("findings", {}).get("themes", [])]
        row["themes"] = {"labelled": len(want_themes), "recovered": sum(1 for t in want_themes if t in got_themes)}
        per_file.append(row)
    fields = {}
    for field in FIELDS:
        made = [r for r in per_file if r["fields"][field]["value"]]
        ok = [r for r in made if r["fields"][field]["right"]]
        states = [r for r in per_file if r["fields"][field]["stated"]]
        ok_stated = [r for r in states if r["fields"][field]["right"]]
        fields[field] = {"suggested": len(made), "right": len(ok), "stated": len(states),
                         "precision": round(len(ok) / len(made), 3) if made else None,
                         "recall": round(len(ok_stated) / len(states), 3) if states else None}
    rec = {}
    for fmt in ("pdf", "jats"):
        rows = [r for r in per_file if r["format"] == fmt and "paragraphs" in r]
        lab = sum(r["paragraphs"]["labelled"] for r in rows)
        got = sum(r["paragraphs"]["recovered"] for r in rows)
        rec[fmt] = {"articles": len(rows), "labelled": lab, "recovered": got,
                    "share": round(got / lab, 3) if lab else None}
    return {"files": per_file, "fields": fields, "recovery": rec, "seconds": seconds}


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.0%}"


def section(res: dict) -> str:
    lines = ["## Full texts: real articles (structure, findings, extraction)", "",
             f"Run: `.venv/bin/python -m benchmarks.fulltext_real` on {machine()}. "
             f"{len(res['files'])} real open-access articles from `../shared/fixtures/fulltext` (PDF and JATS "
             "XML); truth: `tests/fulltext_labels.yaml`, written by reading each article. No threshold was "
             "fitted on these files, but some vocabulary and three rules were added after reading them, so "
             "there is no held-out set of articles and these figures are optimistic for the next article. The "
             "vocabulary: a review's database search as its data collection; framework synthesis, regression "
             "and psychometric terms as analysis methods. The rules, each for a kind of study rather than a "
             "file: places (districts, clinics, sites) are the sample only where the sentence says they are "
             "the data and no sentence counts people or documents; a sample of documents that names no way "
             "of collecting them gives 'document analysis'; where the Methods and Abstract name no country, "
             "the one country the Background names (none where it names two or more).", "",
             "| field | articles stating it | suggested | right | precision | recall | goal |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for field, f in res["fields"].items():
        goal = GOALS.get(field)
        verdict = "" if goal is None else (f"≥ {goal:.0%}: " + ("met" if (f["recall"] or 0) >= goal else "not met"))
        lines.append(f"| {field.replace('_', ' ')} | {f['stated']} | {f['suggested']} | {f['right']} | "
                     f"{_pct(f['precision'])} | {_pct(f['recall'])} | {verdict} |")
    pdf = res["recovery"]["pdf"]
    jats = res["recovery"]["jats"]
    verdict = "met" if (pdf["share"] or 0) >= PDF_RECOVERY_GOAL else "not met"
    lines += ["", f"Findings paragraphs recovered: PDF {pdf['recovered']}/{pdf['labelled']} ({_pct(pdf['share'])}, "
                  f"{pdf['articles']} articles; goal ≥ {PDF_RECOVERY_GOAL:.0%}: {verdict}); JATS XML "
                  f"{jats['recovered']}/{jats['labelled']} ({_pct(jats['share'])}, {jats['articles']} articles).", "",
              "| article | format | findings heading (truth → found) | segments | theme headings | paragraphs | "
              "sample size | country | data collection | analysis | s |",
              "|---|---|---|---:|---:|---:|---|---|---|---|---:|"]
    for r in res["files"]:
        if r["error"]:
            lines.append(f"| {r['file']} | error | {r['error']} | | | | | | | | |")
            continue
        par = r.get("paragraphs")
        mark = {True: "✓", False: "✗"}
        cells = []
        for field in FIELDS:
            f = r["fields"][field]
            cells.append(f"{mark[f['right']]} {f['value'] or '—'}" if f["stated"] or f["value"] else "—")
        lines.append(f"| {r['file']} | {r['format']} | {r['want_heading'] or '(none)'} → "
                     f"{'; '.join(r['found_headings']) or '(none)'} {mark[r['findings_right']]} | {r['segments']} | "
                     f"{r['themes']['recovered']}/{r['themes']['labelled']} | "
                     f"{(str(par['recovered']) + '/' + str(par['labelled'])) if par else '—'} | " + " | ".join(cells)
                     + f" | {res['seconds'][r['file']]:.2f} |")
    missed = [(r["file"], m) for r in res["files"] for m in (r.get("paragraphs") or {}).get("missed", [])]
    if missed:
        lines += ["", "Findings paragraphs not recovered (opening words as labelled):", ""]
        lines += [f"- {f}: “{m}”" for f, m in missed[:30]]
        if len(missed) > 30:
            lines.append(f"- … and {len(missed) - 30} more")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    res = evaluate()
    body = section(res)
    print(body)
    if not args.no_write:
        write_section("fulltext_real", body)


if __name__ == "__main__":
    main()
