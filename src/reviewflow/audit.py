"""Audit: every PRISMA count recomputed and reconciled, the inputs checked against the manifest,
and one record's path traced from its source line to its final state."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from .config import other_methods
from .fsio import iter_jsonl, read_csv, read_json, write_json
from .ledger import read_ledger
from .report.counts import check_invariants, prisma_counts

PACKAGES = ("reviewflow", "snakemake", "biopython", "rapidfuzz", "pandas", "openpyxl", "python-calamine",
            "scikit-learn", "jinja2", "defusedxml", "pyyaml")


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _files(folder: Path, skip: Iterable[str] = ()) -> list[Path]:
    skip = set(skip)
    if not folder.exists():
        return []
    if folder.is_file():
        return [folder]
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and not p.name.startswith(".") and not skip & set(p.parts))


def input_files(root: Path, config: dict) -> list[Path]:
    """The review's own inputs: config, exports, full texts, people's decisions (relative to root)."""
    paths = config["paths"]
    out = [root / "config" / "config.yaml"]
    for key in ("exports", "fulltext", "decisions"):
        out += _files(root / paths[key])
    return out


def build_manifest(root: Path, config: dict, out: Path) -> None:
    """SHA-256 of every input and every output under results/ (logs and the manifest aside)."""
    results = [p for p in _files(root / "results", skip={"logs"}) if p.resolve() != out.resolve()]
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None

    def entry(paths: list[Path]) -> dict[str, str]:
        return {str(p.relative_to(root)): sha256(p) for p in paths}

    write_json(out, {"inputs": entry(input_files(root, config)), "outputs": entry(results),
                     "packages": versions})


class Finding:
    """One audit check: what was compared, and whether it agreed."""

    def __init__(self, name: str, ok: bool, detail: str = "") -> None:
        self.name, self.ok, self.detail = name, ok, detail

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Finding({self.name!r}, {self.ok}, {self.detail!r})"


def audit(root: Path, config: dict) -> list[Finding]:
    """Every check, in the order an auditor would read them; stops nothing, reports all."""
    res = root / "results"
    found: list[Finding] = []
    for p in ("prisma/counts.json", "ledger/ledger.csv", "manifest.json"):
        if not (res / p).exists():
            return [Finding(f"results/{p} exists", False, "run the workflow first (`snakemake`)")]

    manifest = read_json(res / "manifest.json")
    now = {str(p.relative_to(root)): sha256(p) for p in input_files(root, config)}
    changed = sorted(k for k in manifest["inputs"] if now.get(k) != manifest["inputs"][k])
    added = sorted(set(now) - set(manifest["inputs"]))
    found.append(Finding("inputs unchanged since the run (manifest)", not changed and not added,
                         _list("changed or missing", changed) + _list("new", added)))
    outs = [k for k, h in manifest["outputs"].items() if not (root / k).exists() or sha256(root / k) != h]
    found.append(Finding("outputs unchanged since the run (manifest)", not outs, _list("changed", outs)))

    ledger = read_ledger(res / "ledger" / "ledger.csv")
    dbs = [d["id"] for d in config["databases"]]
    reasons = [r["code"] for r in config["full_text_exclusion_reasons"]]
    recomputed = prisma_counts(ledger, dbs, reasons, other_methods(config))
    stored = read_json(res / "prisma" / "counts.json")
    diff = _diff(recomputed, stored)
    found.append(Finding("counts.json = counts recomputed from the ledger", not diff, "; ".join(diff)))

    found += _conservation(root, config, ledger)
    for inv in check_invariants(stored):
        if inv["name"] != "nothing awaits people":
            found.append(Finding(f"invariant: {inv['name']}", inv["ok"], inv["detail"]))

    svg = (res / "prisma" / "flow.svg").read_text(encoding="utf-8") if (res / "prisma/flow.svg").exists() else ""
    html = (res / "report" / "index.html").read_text(encoding="utf-8") if (res / "report/index.html").exists() else ""
    for name, text in (("flow diagram", svg), ("report", html)):
        missing = [f"{k} = {v:,}" for k, v in _boxes(stored) if f"n = {v:,}" not in text]
        found.append(Finding(f"{name} shows every count of counts.json", bool(text) and not missing,
                             _list("not shown", missing) if text else "file missing"))
    return found


def _list(what: str, items: list[str], limit: int = 5) -> str:
    if not items:
        return ""
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return f"{what}: {', '.join(items[:limit])}{more}. "


def _diff(a: dict, b: dict, prefix: str = "") -> list[str]:
    out = []
    for k in sorted(set(a) | set(b)):
        va, vb = a.get(k), b.get(k)
        if isinstance(va, dict) and isinstance(vb, dict):
            out += _diff(va, vb, f"{prefix}{k}.")
        elif va != vb:
            out.append(f"{prefix}{k}: ledger gives {va}, counts.json says {vb}")
    return out


def _boxes(c: dict) -> list[tuple[str, int]]:
    """The numbers a PRISMA diagram prints."""
    out = [(f"identified.{k}", v) for k, v in c["identified"].items()]
    out.append(("databases", sum(c["identified"].values())))
    for k in ("duplicates_removed", "automation_excluded", "other_removed", "screened", "screen_excluded",
              "sought", "not_retrieved", "assessed", "included", "reports_included"):
        out.append((k, c[k]))
    out += [(f"fulltext_excluded.{k}", v) for k, v in c["fulltext_excluded"].items() if v]
    o = c.get("other_methods")
    if o:  # the other-methods column (citation searching)
        out += [(f"other_methods.identified.{k}", v) for k, v in o["identified"].items()]
        out += [(f"other_methods.{k}", o[k]) for k in ("duplicates_removed", "automation_excluded", "screened",
                                                        "screen_excluded", "sought", "not_retrieved", "assessed")
                if k in o]
        out += [(f"other_methods.fulltext_excluded.{k}", v) for k, v in o["fulltext_excluded"].items() if v]
    return out


def _conservation(root: Path, config: dict, ledger: list[dict]) -> list[Finding]:
    """Each box's records are exactly those the stage files say: nothing appears or vanishes."""
    res = root / "results"
    out = []
    ids = [r["record_id"] for r in ledger]
    out.append(Finding("every ledger record appears once", len(ids) == len(set(ids)),
                       f"{len(ids) - len(set(ids))} repeated" if len(ids) != len(set(ids)) else ""))
    imported = {}
    for db in config["databases"]:
        n = sum(1 for _ in iter_jsonl(res / "import" / f"{db['id']}.jsonl"))
        n += sum(1 for _ in iter_jsonl(res / "import" / f"{db['id']}.rejects.jsonl"))
        imported[db["id"]] = n
    main = [r for r in ledger if r.get("branch", "databases") != "other"]
    other = [r for r in ledger if r.get("branch") == "other"]
    per_source: dict[str, int] = {}
    for r in main:
        per_source[r["source"]] = per_source.get(r["source"], 0) + 1
    bad = [f"{k}: imported {v}, ledger {per_source.get(k, 0)}" for k, v in imported.items()
           if per_source.get(k, 0) != v]
    out.append(Finding("identified per database = records read + rejected", not bad, "; ".join(bad)))
    cit = res / "citations"
    if other_methods(config):
        n = sum(1 for _ in iter_jsonl(cit / "records.jsonl")) + sum(1 for _ in iter_jsonl(cit / "rejects.jsonl"))
        out.append(Finding("identified by citation searching = records found + rejected", n == len(other),
                           f"found {n}, ledger {len(other)}" if n != len(other) else ""))
    groups = {r["record_id"]: r["group_id"] for r in read_csv(res / "dedup" / "groups.csv")}
    if (cit / "groups.csv").exists():
        groups.update({r["record_id"]: r["group_id"] for r in read_csv(cit / "groups.csv")})
    wrong = [r["record_id"] for r in ledger if r["state"] == "duplicate"
             and groups.get(r["record_id"]) != r["duplicate_of"]]
    out.append(Finding("every duplicate points at its group's representative", not wrong,
                       _list("wrong", wrong)))
    branches = [("", main, "")]
    if other_methods(config):
        branches.append(("citations_", other, " (citation searching)"))
    for prefix, rows, which in branches:
        for stage, state, label in (("title_abstract", "ta_excluded", "title/abstract exclusions"),
                                    ("full_text", "ft_excluded", "full-text exclusions")):
            decided = {r["record_id"] for r in read_csv(res / "screen" / f"{prefix}{stage}.csv")
                       if r["decision"] == "exclude"}
            in_ledger = {r["record_id"] for r in rows if r["state"] == state}
            out.append(Finding(f"{label}{which} in the ledger = decisions file", decided == in_ledger,
                               f"{len(decided ^ in_ledger)} differ" if decided != in_ledger else ""))
    return out


def trace(root: Path, config: dict, record_id: str) -> dict:
    """One record's path: source file and line, duplicates absorbed, every decision with who made it."""
    res = root / "results"
    ledger = {r["record_id"]: r for r in read_ledger(res / "ledger" / "ledger.csv")}
    row = ledger.get(record_id)
    if row is None:
        matches = [k for k in ledger if k.startswith(record_id)]
        if len(matches) != 1:
            from .errors import ReviewflowError

            raise ReviewflowError(f"no record {record_id!r} in results/ledger/ledger.csv"
                                  + (f" ({len(matches)} ids start with it)" if matches else ""))
        row = ledger[matches[0]]
    rid = row["record_id"]
    other = row.get("branch") == "other"  # found by citation searching
    records = res / "citations" / "records.jsonl" if other else res / "import" / f"{row['source']}.jsonl"
    rec = next((d for d in iter_jsonl(records) if d["id"] == rid), None) if records.exists() else None
    out = {"record_id": rid, "source": row["source"], "file": row["file"], "line": int(row["line"]),
           "index": int(row["index"]), "title": (rec or {}).get("title"), "state": row["state"],
           "reason": row["reason"], "path": row["path"].split(";"), "duplicate_of": row["duplicate_of"],
           "absorbed": [{"record_id": r["record_id"], "source": r["source"], "file": r["file"],
                         "line": int(r["line"])} for r in ledger.values() if r["duplicate_of"] == rid],
           "decisions": []}
    if other and rec:
        out["found_through"] = list((rec.get("raw") or {}).get("reviewflow:citation", []))
    auto_csv = res / "citations" / "auto.csv" if other else res / "eligibility" / "auto.csv"
    auto = {r["record_id"]: r["rule"] for r in read_csv(auto_csv)} if auto_csv.exists() else {}
    if auto.get(rid):
        out["decisions"].append({"stage": "automation", "who": "automatic rule", "decision": "exclude",
                                 "reason": auto[rid]})
    out["decisions"] += _sheet_decisions(root, config, rid, "citations_" if other else "")
    return out


def _sheet_decisions(root: Path, config: dict, rid: str, prefix: str = "") -> list[dict]:
    """Who decided what about `rid` in each filled sheet under the decisions folder."""
    from .screen.dual import adjudication_columns
    from .screen.stages import reviewers_for, stage_for
    from .sheets import read_sheet

    decisions = root / config["paths"]["decisions"]
    out = []
    for stage in (f"{prefix}title_abstract", f"{prefix}full_text"):
        st = stage_for(config, stage)
        reviewers = reviewers_for(config, stage)
        sheets = [(f"reviewer {r}", decisions / stage / f"reviewer_{r}.xlsx", st.columns) for r in reviewers]
        sheets.append((f"adjudicator {config['screening']['adjudicator']}", decisions / stage / "adjudication.xlsx",
                       adjudication_columns(st, reviewers)))
        for who, path, cols in sheets:
            if path.exists():
                row = read_sheet(path, cols).rows.get(rid)
                if row:
                    out.append({"stage": stage, "who": who, "decision": row.get("decision", ""),
                                "reason": row.get("reason", ""), "file": str(path.relative_to(root))})
    retrieval = root / "results" / "fulltext" / f"{prefix}retrieval.csv"
    final = {r["record_id"]: r for r in read_csv(retrieval)} if retrieval.exists() else {}
    if rid in final:
        out.append({"stage": f"{prefix}retrieval", "who": "review team", "decision": final[rid]["status"],
                    "reason": "", "file": str(Path(config["paths"]["decisions"]) / f"{prefix}retrieval" /
                                              "retrieval.xlsx")})
    return out


def format_trace(t: dict) -> str:
    lines = [f"{t['record_id']}  {t['title'] or ''}",
             f"  from {t['source']}: {t['file']}:{t['line']} (record {t['index'] + 1} of the file)",
             f"  final state: {t['state']}" + (f" ({t['reason']})" if t["reason"] else "")]
    if t.get("found_through"):
        lines.append("  found by citation searching: " + ", ".join(t["found_through"]))
    if t["duplicate_of"]:
        lines.append(f"  duplicate of {t['duplicate_of']}")
    for a in t["absorbed"]:
        lines.append(f"  absorbed duplicate {a['record_id']} from {a['source']}: {a['file']}:{a['line']}")
    for d in t["decisions"]:
        extra = f" ({d['reason']})" if d.get("reason") else ""
        lines.append(f"  {d['stage']}: {d['who']} -> {d['decision']}{extra}")
    lines.append("  path: " + " -> ".join(t["path"]))
    return "\n".join(lines)


def report_json(findings: list[Finding]) -> str:
    return json.dumps([{"check": f.name, "ok": f.ok, "detail": f.detail.strip()} for f in findings], indent=2)



def rerun_compare(root: Path, config: dict, workdir: Path, run) -> list[Finding]:
    """Run the workflow again in `workdir` (a fresh copy) and compare every result file byte for byte.

    `run(path)` runs Snakemake in a folder. The demo regenerates its inputs from the seed; a real
    review's inputs (exports, full texts, decisions) are copied as they are.
    """
    import shutil

    for name in ("Snakefile", "workflow", "scripts", "profiles", "config"):
        src = root / name
        if src.is_dir():
            shutil.copytree(src, workdir / name)
        elif src.exists():
            shutil.copy(src, workdir / name)
    if not (config.get("demo") or {}).get("enabled"):
        for key in ("exports", "fulltext", "decisions"):
            src = root / config["paths"][key]
            if src.exists():
                shutil.copytree(src, workdir / config["paths"][key])
    run(workdir)
    mine = {str(p.relative_to(root)): p for p in _files(root / "results", skip={"logs"})}
    theirs = {str(p.relative_to(workdir)): p for p in _files(workdir / "results", skip={"logs"})}
    only_here = sorted(set(mine) - set(theirs))
    only_there = sorted(set(theirs) - set(mine))
    differ = sorted(k for k in set(mine) & set(theirs) if sha256(mine[k]) != sha256(theirs[k]))
    return [Finding("rerun writes the same set of result files", not only_here and not only_there,
                    _list("only in this run", only_here) + _list("only in the rerun", only_there)),
            Finding(f"rerun gives byte-identical results ({len(set(mine) & set(theirs))} files)", not differ,
                    _list("differ", differ))]
