# The reports included in either column, in one set of files: extraction, appraisal and synthesis
# read these, so a study citation searching found is extracted, appraised and coded like the rest.


rule included:
    input:
        unique=["results/dedup/unique.jsonl"]
        + (["results/citations/unique.jsonl"] if CHASING else []),
        full_text=["results/screen/full_text.csv"]
        + (["results/screen/citations_full_text.csv"] if CHASING else []),
        retrieval=["results/fulltext/retrieval.csv"]
        + (["results/fulltext/citations_retrieval.csv"] if CHASING else []),
    output:
        unique="results/included/unique.jsonl",
        full_text="results/included/full_text.csv",
        retrieval="results/included/retrieval.csv",
    log:
        "results/logs/included.log",
    run:
        in_process(locals(), "included")


# Citation searching (PRISMA "other methods"): backward and forward citations of the included
# studies through OpenAlex, each study's search snapshotted; what the databases did not find is
# screened like the rest (its own dual screening, retrieval and full-text stages).

if CHASING:

    # On a cluster it runs on the submit host: the one rule here that may reach the network.
    localrules:
        chase_citations,

    rule chase_citations:
        input:
            unique="results/dedup/unique.jsonl",
            full_text="results/screen/full_text.csv",
            snapshots=citation_snapshot_files,
        output:
            records="results/citations/records.jsonl",
            rejects="results/citations/rejects.jsonl",
            log="results/citations/searches.json",
        log:
            "results/logs/citations/chase.log",
        params:
            settings=config.get("citation_chasing", {}),
            snapshots=SNAPSHOTS,
            offline=DEMO or bool(SEARCH_SETTINGS.get("offline", False)),
            allow_shortfall=bool(SEARCH_SETTINGS.get("allow_shortfall", False)),
        run:
            in_process(locals(), "chase_citations")

    rule citation_candidates:
        input:
            chased="results/citations/records.jsonl",
            unique="results/dedup/unique.jsonl",
        output:
            groups="results/citations/groups.csv",
            unique="results/citations/unique.jsonl",
            auto="results/citations/auto.csv",
            summary="results/citations/summary.json",
        log:
            "results/logs/citations/candidates.log",
        threads: 2
        run:
            in_process(locals(), "citation_candidates")

    rule citations_ta_sheets:
        input:
            unique="results/citations/unique.jsonl",
            auto="results/citations/auto.csv",
            groups=groups_of("citations_title_abstract"),
            returned=lambda w: returned_sheets(
                *(
                    f"{DECISIONS}/citations_title_abstract/reviewer_{r}.xlsx"
                    for r in TA_REVIEWERS
                )
            ),
        output:
            queue="results/screen/citations_title_abstract.queue.jsonl",
            sheets=expand(
                "results/sheets/citations_title_abstract/reviewer_{r}.xlsx",
                r=TA_REVIEWERS,
            ),
        log:
            "results/logs/citations/ta_sheets.log",
        params:
            reviewers=TA_REVIEWERS,
            stage="citations_title_abstract",
        run:
            in_process(locals(), "ta_sheets")

    rule citations_retrieval_sheet:
        input:
            unique="results/citations/unique.jsonl",
            title_abstract="results/screen/citations_title_abstract.csv",
            groups=groups_of("citations_retrieval"),
            returned=lambda w: returned_sheets(
                f"{DECISIONS}/citations_retrieval/retrieval.xlsx"
            ),
        output:
            queue="results/fulltext/citations_retrieval.queue.jsonl",
            sheet="results/sheets/citations_retrieval/retrieval.xlsx",
        log:
            "results/logs/citations/retrieval_sheet.log",
        run:
            in_process(locals(), "retrieval_sheet")

    rule citations_retrieval:
        input:
            queue="results/fulltext/citations_retrieval.queue.jsonl",
            groups=groups_of("citations_retrieval"),
            decisions=lambda w: decision_file(
                f"{DECISIONS}/citations_retrieval/retrieval.xlsx"
            ),
            fulltext=citation_fulltext_folder,
        output:
            retrieval="results/fulltext/citations_retrieval.csv",
            status="results/status/citations_retrieval.json",
        log:
            "results/logs/citations/retrieval.log",
        params:
            decisions=f"{DECISIONS}/citations_retrieval/retrieval.xlsx",
            fulltext=CITATION_FULLTEXT,
        run:
            in_process(locals(), "retrieval")

    rule citations_ft_sheets:
        input:
            unique="results/citations/unique.jsonl",
            retrieval="results/fulltext/citations_retrieval.csv",
            groups=groups_of("citations_full_text"),
            returned=lambda w: returned_sheets(
                *(
                    f"{DECISIONS}/citations_full_text/reviewer_{r}.xlsx"
                    for r in FT_REVIEWERS
                )
            ),
        output:
            queue="results/screen/citations_full_text.queue.jsonl",
            sheets=expand(
                "results/sheets/citations_full_text/reviewer_{r}.xlsx", r=FT_REVIEWERS
            ),
        log:
            "results/logs/citations/ft_sheets.log",
        params:
            reviewers=FT_REVIEWERS,
            stage="citations_full_text",
        run:
            in_process(locals(), "ft_sheets")
