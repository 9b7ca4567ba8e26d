"""An updated review: the previous version saved as people's record, so the next run counts the update.

`reviewflow version save` writes `<paths.decisions>/previous_version.json` from the ledger: the ids
of every record identified so far, and the studies and reports included. With that file present,
the PRISMA counts are the update's (report/counts.py: `update_rows`), beside the previous version's
studies and the review's total, as PRISMA 2020's template for updated reviews draws them. Decisions
need nothing of this: they belong to studies (identity.py) and stay decided whatever is added.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from .config import find_root
from .errors import InputFileError, ReviewflowError
from .fsio import atomic_write_text, read_csv
from .status import decisions_dir, load_config, review_status

FILE = "previous_version.json"


def previous_version_path(config: dict) -> str:
    return f"{decisions_dir(config)}/{FILE}"


def read_previous_version(path: str | Path) -> dict:
    """The saved previous version, checked: a JSON object with the lists of ids it needs."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"cannot read the previous version ({exc})", file=str(path)) from None
    except json.JSONDecodeError as exc:
        raise InputFileError(f"not JSON: {exc.msg}", file=str(path), line=exc.lineno) from None
    if not isinstance(data, dict):
        raise InputFileError("expected a JSON object (written by `reviewflow version save`)", file=str(path))
    for key in ("identified", "studies", "reports"):
        ids = data.get(key)
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise InputFileError(f"{key!r}: expected a list of ids", file=str(path))
    return data


def save_previous_version(root: Path, label: str, *, force: bool = False,
                          today: dt.date | None = None) -> tuple[Path, dict]:
    """Save the review as it stands as the previous version of its update; returns the file and what
    it holds.

    Refused while people are awaited or the last run failed (a version with open decisions is not a
    version anyone published) and when a saved version exists, unless `force`."""
    config = load_config(root)
    ledger = root / "results" / "ledger" / "ledger.csv"
    if not ledger.is_file():
        raise ReviewflowError("no ledger yet: run `snakemake` to the end first", file=str(ledger))
    st = review_status(root)
    if not force and (st["waiting"] or st.get("failed")):
        first = (st.get("failed") or [w["message"] for w in st["waiting"]])[0].splitlines()[0]
        raise ReviewflowError(f"the review is not complete ({first}); finish it first, or save it anyway "
                              "with --force")
    out = root / previous_version_path(config)
    if out.exists() and not force:
        raise ReviewflowError("a previous version is saved already; --force replaces it with the review as it "
                              "is now (the next update then counts from here)", file=str(out))
    rows = read_csv(ledger)
    included = [r for r in rows if r["state"] == "included"]
    data = {"label": label, "saved": (today or dt.date.today()).isoformat(),
            "identified": sorted(r["record_id"] for r in rows),
            "studies": sorted({r["study_id"] for r in included}),
            "reports": sorted(r["record_id"] for r in included)}
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    return out, data


def cmd_version_save(args: argparse.Namespace) -> int:
    root = find_root(args.directory)
    out, data = save_previous_version(root, args.label, force=args.force)
    print(f"Saved {out.relative_to(root)}: {len(data['studies'])} studies ({len(data['reports'])} reports) "
          f"from {len(data['identified'])} records identified. Add the update's exports and run `snakemake`: "
          "the PRISMA counts are then the update's, with this version's studies beside them.")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    v = sub.add_parser("version", help="an updated review: save the review as the previous version")
    vs = v.add_subparsers(dest="version_command", required=True)
    s = vs.add_parser("save", help="save the review as it stands as the previous version of an update")
    s.add_argument("--label", default="", help="how the report names the previous version (e.g. 'Review of 2024')")
    s.add_argument("--force", action="store_true",
                   help="save although people are awaited, or replace a saved version")
    s.set_defaults(func=cmd_version_save)
