# Title/abstract screening by two blinded reviewers, then conflicts and adjudication.
# The conflict and decision rules serve the full-text stage too ({stage} wildcard).


rule ta_sheets:
    input:
        unique="results/dedup/unique.jsonl",
        auto="results/eligibility/auto.csv",
        groups=groups_of("title_abstract"),
        returned=lambda w: returned_sheets(
            *(f"{DECISIONS}/title_abstract/reviewer_{r}.xlsx" for r in TA_REVIEWERS)
        ),
    output:
        queue="results/screen/title_abstract.queue.jsonl",
        sheets=expand("results/sheets/title_abstract/reviewer_{r}.xlsx", r=TA_REVIEWERS),
    log:
        "results/logs/ta_sheets.log",
    params:
        reviewers=TA_REVIEWERS,
    run:
        in_process(locals(), "ta_sheets")


rule conflicts:
    input:
        queue="results/screen/{stage}.queue.jsonl",
        groups=stage_groups,
        decisions=present_reviewer_decisions,
        returned=lambda w: returned_sheets(f"{DECISIONS}/{w.stage}/adjudication.xlsx"),
    output:
        sheet="results/sheets/{stage}/adjudication.xlsx",
        conflicts="results/screen/{stage}.conflicts.jsonl",
        agreement="results/screen/{stage}.agreement.json",
    log:
        "results/logs/{stage}_conflicts.log",
    wildcard_constraints:
        stage=one_of(SCREEN_STAGES),
    params:
        reviewers=lambda w: STAGE_REVIEWERS[w.stage],
        decisions=reviewer_decisions,
    run:
        in_process(locals(), "conflicts")


rule decisions:
    input:
        queue="results/screen/{stage}.queue.jsonl",
        conflicts="results/screen/{stage}.conflicts.jsonl",
        groups=stage_groups,
        decisions=present_reviewer_decisions,
        adjudication=lambda w: decision_file(f"{DECISIONS}/{w.stage}/adjudication.xlsx"),
    output:
        decisions="results/screen/{stage}.csv",
        status="results/status/{stage}.json",
    log:
        "results/logs/{stage}_decisions.log",
    wildcard_constraints:
        stage=one_of(SCREEN_STAGES),
    params:
        reviewers=lambda w: STAGE_REVIEWERS[w.stage],
        decisions=reviewer_decisions,
        adjudicator=ADJUDICATOR,
        adjudication=lambda w: f"{DECISIONS}/{w.stage}/adjudication.xlsx",
    run:
        in_process(locals(), "decisions")


if TA_BATCH:

    rule ta_batches:
        input:
            queue="results/screen/title_abstract.queue.jsonl",
            groups=groups_of("title_abstract"),
            returned=lambda w: sorted(
                str(p)
                for p in Path(f"{DECISIONS}/title_abstract").glob(
                    "batch_*/reviewer_*.xlsx"
                )
            ),
        output:
            sheets=expand(
                "results/sheets/title_abstract/batch/reviewer_{r}.xlsx", r=TA_REVIEWERS
            ),
            merged=[batch_merged(r) for r in TA_REVIEWERS],
            order="results/screen/title_abstract.order.jsonl",
            summary="results/screen/title_abstract.batches.json",
        log:
            "results/logs/ta_batches.log",
        params:
            reviewers=TA_REVIEWERS,
            decisions=f"{DECISIONS}/title_abstract",
            batch_size=TA_BATCH,
            # The ranker's features by content hash: a rerun after each batch loads them.
            cache="results/cache/ranker",
        run:
            in_process(locals(), "ta_batches")


rule ta_stopping:
    input:
        # With batches, the order people were given the records in.
        queue=(
            "results/screen/title_abstract.order.jsonl"
            if TA_BATCH
            else "results/screen/title_abstract.queue.jsonl"
        ),
        decisions="results/screen/title_abstract.csv",
    output:
        stopping="results/screen/title_abstract.stopping.json",
    log:
        "results/logs/ta_stopping.log",
    run:
        in_process(locals(), "ta_stopping")
