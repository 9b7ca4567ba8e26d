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


def returned_sheets(*paths):
    """People's filled sheets that exist, for the rule that regenerates their sheets to carry the
    decisions already made. Not in the demo: there the simulated people's sheets are made from the
    regenerated ones (a cycle), and made again whenever those change."""
    return [] if DEMO else [p for path in paths for p in present_file(path)]


def one_of(ids):
    """A wildcard constraint matching exactly these ids (none: matches nothing)."""
    return "|".join(re.escape(i) for i in ids) if ids else "(?!)"


def snapshots_of(source):
    """A source's snapshots: the demo's generated folder, or every file a team's searches stored.

    Listing the files (not the folder) makes a refreshed or resumed search rerun the stage.
    """
    if DEMO:
        return [f"{GENERATED}/snapshots/{source}"]
    folder = Path(SNAPSHOTS) / source
    return sorted(str(p) for p in folder.glob("*/*") if p.is_file())


def snapshot_files(wildcards):
    return snapshots_of(wildcards.db)


def citation_snapshot_files(wildcards):
    """Citation searching's snapshots: one per included study."""
    return snapshots_of("citation_searching")


def folder_input(folder):
    """A folder people fill: in the demo a simulated person's output, else used once it exists."""
    return [folder] if DEMO or Path(folder).is_dir() else []


def citation_fulltext_folder(wildcards):
    return folder_input(CITATION_FULLTEXT)


def stage_records(wildcards):
    """The records a screening stage's rows come from: the databases', or citation searching's."""
    if wildcards.stage.startswith("citations_"):
        return "results/citations/unique.jsonl"
    return "results/dedup/unique.jsonl"


def groups_of(stage):
    """The duplicate groups a stage's sheets are read through (identity.py): a decision follows
    its study to whichever record represents it today."""
    if stage.startswith("citations_"):
        return ["results/dedup/groups.csv", "results/citations/groups.csv"]
    return ["results/dedup/groups.csv"]


def review_groups():
    """Every duplicate group of the review, for stages over all included studies."""
    return groups_of("citations_" if CHASING else "")


def stage_groups(wildcards):
    return groups_of(wildcards.stage)


def citation_branch(wildcards):
    """The other-methods branch's stage files, for the ledger (none without citation searching)."""
    if not CHASING:
        return {}
    return {
        "cit_records": "results/citations/records.jsonl",
        "cit_rejects": "results/citations/rejects.jsonl",
        "cit_groups": "results/citations/groups.csv",
        "cit_auto": "results/citations/auto.csv",
        "cit_title_abstract": "results/screen/citations_title_abstract.csv",
        "cit_retrieval": "results/fulltext/citations_retrieval.csv",
        "cit_full_text": "results/screen/citations_full_text.csv",
    }


def export_files(wildcards):
    """The demo's generated exports, or every file a team put under exports/<database id>/."""
    if DEMO:
        return DEMO_EXPORTS[wildcards.db]
    folder = Path(EXPORTS) / wildcards.db
    files = sorted(
        str(p) for p in folder.glob("*") if p.is_file() and not p.name.startswith(".")
    )
    if not files:
        raise ValueError(
            f"{folder}: no export files for database '{wildcards.db}' (put its exports there)"
        )
    return files


def batch_merged(reviewer):
    """A reviewer's returned batches, merged into one sheet in the layout the stage reads."""
    return f"results/screen/title_abstract.batches/reviewer_{reviewer}.xlsx"


def reviewer_decisions(wildcards):
    if wildcards.stage == "title_abstract" and TA_BATCH:
        return [batch_merged(r) for r in TA_REVIEWERS]
    return [
        f"{DECISIONS}/{wildcards.stage}/reviewer_{r}.xlsx"
        for r in STAGE_REVIEWERS[wildcards.stage]
    ]


def present_reviewer_decisions(wildcards):
    if wildcards.stage == "title_abstract" and TA_BATCH:
        return reviewer_decisions(wildcards)  # made by rule ta_batches, present or not
    return [p for path in reviewer_decisions(wildcards) for p in decision_file(path)]


def fulltext_folder(wildcards):
    """In the demo the simulated librarian fills the folder; a team's folder is used as it is."""
    return folder_input(FULLTEXT)


def demo_accuracy(wildcards):
    """Only the demo has a truth to measure the stages against."""
    return ["results/demo/accuracy.json"] if DEMO else []


# The thin entry points in scripts/ (one per stage).
SCRIPTS = Path(workflow.current_basedir).parent.parent / "scripts"


def in_process(job, name, big_in_own_process=False):
    """Run scripts/<name>.py for a `run:` job (its locals) in Snakemake's own process.

    Not `script:`, which starts a new Python for every job: see reviewflow.scripting.run_script
    (`big_in_own_process`: a job with big inputs does get a Python of its own).
    """
    from reviewflow.scripting import StageFailed, run_script

    try:
        run_script(
            SCRIPTS / f"{name}.py", job, config, big_in_own_process=big_in_own_process
        )
    except StageFailed as failed:
        # A user's mistake, already printed: raised again here, Snakemake's report of it shows this
        # line and the rule's, not the library's traceback.
        raise StageFailed(str(failed)) from None
