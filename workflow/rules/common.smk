# Input functions shared by the stage files.
import re
from pathlib import Path


def decision_file(path):
    """A decisions file as an input: made by a simulated person in the demo, else only if present.

    A missing decisions file is not an error: the stage writes its sheets and a status
    saying what waits on whom; when the file appears, the changed input set reruns the stage.
    """
    if DEMO or Path(path).exists():
        return [path]
    return []


def present_file(path):
    """A file people may add at any time (no simulated person makes it): an input once it exists."""
    return [path] if Path(path).exists() else []


def one_of(ids):
    """A wildcard constraint matching exactly these ids (none: matches nothing)."""
    return "|".join(re.escape(i) for i in ids) if ids else "(?!)"


def snapshot_files(wildcards):
    """A searched database's snapshots: the demo's generated ones, or every file a team's searches stored.

    Listing the files (not the folder) makes a refreshed or resumed search rerun the stage.
    """
    if DEMO:
        return [f"{GENERATED}/snapshots"]
    folder = Path(SNAPSHOTS) / wildcards.db
    return sorted(str(p) for p in folder.glob("*/*") if p.is_file())


EXPORT_EXT = {"nbib": "nbib", "ris": "ris", "scopus_csv": "csv", "wos_plaintext": "txt"}


def export_files(wildcards):
    """The demo's generated export, or every file a team put under exports/<database id>/."""
    if DEMO:
        ext = EXPORT_EXT.get(EXPORT_FORMAT[wildcards.db], "txt")
        return [f"{GENERATED}/exports/{wildcards.db}/{wildcards.db}.{ext}"]
    folder = Path(EXPORTS) / wildcards.db
    files = sorted(
        str(p) for p in folder.glob("*") if p.is_file() and not p.name.startswith(".")
    )
    if not files:
        raise ValueError(
            f"{folder}: no export files for database '{wildcards.db}' (put its exports there)"
        )
    return files


def reviewer_decisions(wildcards):
    return [
        f"{DECISIONS}/{wildcards.stage}/reviewer_{r}.xlsx"
        for r in STAGE_REVIEWERS[wildcards.stage]
    ]


def present_reviewer_decisions(wildcards):
    return [p for path in reviewer_decisions(wildcards) for p in decision_file(path)]


def fulltext_folder(wildcards):
    """In the demo the simulated librarian fills the folder; a team's folder is used as it is."""
    return [FULLTEXT] if DEMO or Path(FULLTEXT).is_dir() else []


def demo_accuracy(wildcards):
    """Only the demo has a truth to measure the stages against."""
    return ["results/demo/accuracy.json"] if DEMO else []
