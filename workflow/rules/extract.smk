# Extraction of study characteristics from the included reports.


rule extraction_sheet:
    input:
        unique="results/dedup/unique.jsonl",
        full_text="results/screen/full_text.csv",
        retrieval="results/fulltext/retrieval.csv",
    output:
        queue="results/extract/extraction.queue.jsonl",
        sheet="results/sheets/extraction/extraction.xlsx",
    log:
        "results/logs/extraction_sheet.log",
    script:
        "../../scripts/extraction_sheet.py"


rule extraction:
    input:
        queue="results/extract/extraction.queue.jsonl",
        decisions=lambda w: decision_file(f"{DECISIONS}/extraction/extraction.xlsx"),
    output:
        table="results/extract/extraction.csv",
    log:
        "results/logs/extraction.log",
    params:
        decisions=f"{DECISIONS}/extraction/extraction.xlsx",
    script:
        "../../scripts/extraction.py"
