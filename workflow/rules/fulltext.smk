# Reports sought, retrieved, and assessed at full text by two blinded reviewers.


rule retrieval_sheet:
    input:
        unique="results/dedup/unique.jsonl",
        title_abstract="results/screen/title_abstract.csv",
        groups=groups_of("retrieval"),
        returned=lambda w: returned_sheets(f"{DECISIONS}/retrieval/retrieval.xlsx"),
    output:
        queue="results/fulltext/retrieval.queue.jsonl",
        sheet="results/sheets/retrieval/retrieval.xlsx",
    log:
        "results/logs/retrieval_sheet.log",
    run:
        in_process(locals(), "retrieval_sheet")


rule retrieval:
    input:
        queue="results/fulltext/retrieval.queue.jsonl",
        groups=groups_of("retrieval"),
        decisions=lambda w: decision_file(f"{DECISIONS}/retrieval/retrieval.xlsx"),
        fulltext=fulltext_folder,
    output:
        retrieval="results/fulltext/retrieval.csv",
        status="results/status/retrieval.json",
    log:
        "results/logs/retrieval.log",
    params:
        decisions=f"{DECISIONS}/retrieval/retrieval.xlsx",
        fulltext=FULLTEXT,
    run:
        in_process(locals(), "retrieval")


rule ft_sheets:
    input:
        unique="results/dedup/unique.jsonl",
        retrieval="results/fulltext/retrieval.csv",
        groups=groups_of("full_text"),
        returned=lambda w: returned_sheets(
            *(f"{DECISIONS}/full_text/reviewer_{r}.xlsx" for r in FT_REVIEWERS)
        ),
    output:
        queue="results/screen/full_text.queue.jsonl",
        sheets=expand("results/sheets/full_text/reviewer_{r}.xlsx", r=FT_REVIEWERS),
    log:
        "results/logs/ft_sheets.log",
    params:
        reviewers=FT_REVIEWERS,
    run:
        in_process(locals(), "ft_sheets")
