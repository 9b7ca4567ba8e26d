# Thematic synthesis (Thomas & Harden 2008): finding segments, suggested codes, the coding sheet;
# people's coding read back into themes and candidate new codes; the CERQual evidence profile.


rule coding:
    input:
        full_text="results/included/full_text.csv",
        retrieval="results/included/retrieval.csv",
        unique="results/included/unique.jsonl",
        groups=review_groups(),
        returned=lambda w: returned_sheets(f"{DECISIONS}/coding/coding.xlsx"),
    output:
        segments="results/synthesis/segments.csv",
        codes="results/synthesis/suggested_codes.csv",
        queue="results/synthesis/coding.queue.jsonl",
        sheet="results/sheets/coding/coding.xlsx",
        findings="results/synthesis/findings.json",
    log:
        "results/logs/coding.log",
    run:
        in_process(locals(), "coding")


rule themes:
    input:
        segments="results/synthesis/segments.csv",
        queue="results/synthesis/coding.queue.jsonl",
        findings="results/synthesis/findings.json",
        groups=review_groups(),
        decisions=lambda w: decision_file(f"{DECISIONS}/coding/coding.xlsx"),
    output:
        coded="results/synthesis/coded.csv",
        themes="results/synthesis/themes.json",
        candidates="results/synthesis/candidate_codes.csv",
        status="results/status/coding.json",
    log:
        "results/logs/themes.log",
    params:
        decisions=f"{DECISIONS}/coding/coding.xlsx",
    run:
        in_process(locals(), "themes")


rule cerqual:
    input:
        themes="results/synthesis/themes.json",
        appraisal="results/appraisal/studies.csv",
        extraction="results/extract/extraction.csv",
        decisions=lambda w: decision_file(f"{DECISIONS}/cerqual/cerqual.xlsx"),
    output:
        table="results/synthesis/cerqual.json",
        sheet="results/sheets/cerqual/cerqual.xlsx",
        status="results/status/cerqual.json",
    log:
        "results/logs/cerqual.log",
    params:
        decisions=f"{DECISIONS}/cerqual/cerqual.xlsx",
    run:
        in_process(locals(), "cerqual")
