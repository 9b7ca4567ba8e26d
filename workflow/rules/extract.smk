# Extraction of study characteristics from the included reports.


rule extraction_sheet:
    input:
        unique="results/included/unique.jsonl",
        full_text="results/included/full_text.csv",
        retrieval="results/included/retrieval.csv",
        groups=review_groups(),
        returned=lambda w: returned_sheets(f"{DECISIONS}/extraction/extraction.xlsx"),
    output:
        queue="results/extract/extraction.queue.jsonl",
        sheet="results/sheets/extraction/extraction.xlsx",
        suggestions="results/extract/suggestions.csv",
    log:
        "results/logs/extraction_sheet.log",
    run:
        in_process(locals(), "extraction_sheet")


rule extraction:
    input:
        queue="results/extract/extraction.queue.jsonl",
        groups=review_groups(),
        decisions=lambda w: decision_file(f"{DECISIONS}/extraction/extraction.xlsx"),
    output:
        table="results/extract/extraction.csv",
        status="results/status/extraction.json",
    log:
        "results/logs/extraction.log",
    params:
        decisions=f"{DECISIONS}/extraction/extraction.xlsx",
    run:
        in_process(locals(), "extraction")


# Quality appraisal (CASP qualitative checklist) by two appraisers, then their consensus.
APPRAISERS = (config.get("appraisal") or {}).get("appraisers") or FT_REVIEWERS


rule appraisal_sheets:
    input:
        unique="results/included/unique.jsonl",
        full_text="results/included/full_text.csv",
        groups=review_groups(),
        returned=lambda w: returned_sheets(
            *(f"{DECISIONS}/appraisal/appraiser_{a}.xlsx" for a in APPRAISERS)
        ),
    output:
        queue="results/appraisal/appraisal.queue.jsonl",
        sheets=expand("results/sheets/appraisal/appraiser_{a}.xlsx", a=APPRAISERS),
    log:
        "results/logs/appraisal_sheets.log",
    run:
        in_process(locals(), "appraisal_sheets")


rule appraisal_conflicts:
    input:
        queue="results/appraisal/appraisal.queue.jsonl",
        groups=review_groups(),
        decisions=lambda w: [
            p
            for a in APPRAISERS
            for p in decision_file(f"{DECISIONS}/appraisal/appraiser_{a}.xlsx")
        ],
        returned=lambda w: returned_sheets(f"{DECISIONS}/appraisal/consensus.xlsx"),
    output:
        conflicts="results/appraisal/conflicts.jsonl",
        sheet="results/sheets/appraisal/consensus.xlsx",
    log:
        "results/logs/appraisal_conflicts.log",
    run:
        in_process(locals(), "appraisal_conflicts")


rule appraisal:
    input:
        queue="results/appraisal/appraisal.queue.jsonl",
        groups=review_groups(),
        decisions=lambda w: [
            p
            for a in APPRAISERS
            for p in decision_file(f"{DECISIONS}/appraisal/appraiser_{a}.xlsx")
        ],
        conflicts="results/appraisal/conflicts.jsonl",
        consensus=lambda w: decision_file(f"{DECISIONS}/appraisal/consensus.xlsx"),
    output:
        answers="results/appraisal/items.csv",
        studies="results/appraisal/studies.csv",
        status="results/status/appraisal.json",
    log:
        "results/logs/appraisal.log",
    params:
        consensus=f"{DECISIONS}/appraisal/consensus.xlsx",
    run:
        in_process(locals(), "appraisal")


# The demo only: the extraction suggestions against the characteristics the generator wrote.
if DEMO:

    rule demo_extraction_accuracy:
        input:
            unique="results/included/unique.jsonl",
            queue="results/extract/extraction.queue.jsonl",
            suggestions="results/extract/suggestions.csv",
            truth=f"{GENERATED}/truth/documents.csv",
        output:
            accuracy="results/demo/extraction_accuracy.json",
        log:
            "results/logs/demo/extraction_accuracy.log",
        params:
            truth=lambda w, input: Path(input.truth).parent,
        run:
            in_process(locals(), "demo_extraction_accuracy")
