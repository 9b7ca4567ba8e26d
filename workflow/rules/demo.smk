# The demo only (config demo.enabled): generated inputs and simulated people.
# In a real review these rules are absent and the stages wait for people's sheets.

if DEMO:

    rule demo_generate:
        output:
            exports=[f for db in EXPORTED for f in DEMO_EXPORTS[db]],
            snapshots=[directory(f"{GENERATED}/snapshots/{db}") for db in SEARCHED],
            truth=f"{GENERATED}/truth/documents.csv",
            records=f"{GENERATED}/truth/records.csv",
        log:
            "results/logs/demo_generate.log",
        params:
            out_dir=lambda w, output: Path(output.truth).parent.parent,
            seed=config["demo"]["seed"],
            shape=config["demo"]["shape"],
        run:
            in_process(locals(), "demo_generate")

    # The full texts: a process of its own (script:, not run:), so that it writes them on the second
    # core while import, deduplication and title/abstract screening, which need none, run in Snakemake's.
    rule demo_fulltexts:
        output:
            library=directory(f"{GENERATED}/fulltext"),
            findings=f"{GENERATED}/truth/findings.csv",
        log:
            "results/logs/demo_fulltexts.log",
        params:
            out_dir=lambda w, output: Path(output.findings).parent.parent,
            seed=config["demo"]["seed"],
            shape=config["demo"]["shape"],
        script:
            "../../scripts/demo_fulltexts.py"

    rule demo_reviewer:
        input:
            queue="results/screen/{stage}.queue.jsonl",
            unique=stage_records,
            truth=f"{GENERATED}/truth/documents.csv",
        output:
            sheet=f"{DECISIONS}/{{stage}}/reviewer_{{reviewer}}.xlsx",
        log:
            "results/logs/demo/{stage}_reviewer_{reviewer}.log",
        wildcard_constraints:
            stage=one_of(SCREEN_STAGES),
            reviewer="[A-Za-z0-9_-]+",
        params:
            truth=lambda w, input: Path(input.truth).parent,
            seed=config["demo"]["seed"],
        run:
            in_process(locals(), "demo_reviewer")

    rule demo_adjudicator:
        input:
            conflicts="results/screen/{stage}.conflicts.jsonl",
            unique=stage_records,
            truth=f"{GENERATED}/truth/documents.csv",
        output:
            sheet=f"{DECISIONS}/{{stage}}/adjudication.xlsx",
        log:
            "results/logs/demo/{stage}_adjudicator.log",
        wildcard_constraints:
            stage=one_of(SCREEN_STAGES),
        params:
            truth=lambda w, input: Path(input.truth).parent,
        run:
            in_process(locals(), "demo_adjudicator")

    rule demo_retrieval:
        input:
            queue="results/fulltext/retrieval.queue.jsonl",
            unique="results/dedup/unique.jsonl",
            truth=f"{GENERATED}/truth/documents.csv",
            library=f"{GENERATED}/fulltext",
        output:
            sheet=f"{DECISIONS}/retrieval/retrieval.xlsx",
            fulltext=directory(FULLTEXT),
        log:
            "results/logs/demo/retrieval.log",
        params:
            truth=lambda w, input: Path(input.truth).parent,
        run:
            in_process(locals(), "demo_retrieval")

    rule demo_extractor:
        input:
            queue="results/extract/extraction.queue.jsonl",
        output:
            sheet=f"{DECISIONS}/extraction/extraction.xlsx",
        log:
            "results/logs/demo/extractor.log",
        run:
            in_process(locals(), "demo_extractor")

    rule demo_citation_snapshots:
        input:
            unique="results/dedup/unique.jsonl",
            full_text="results/screen/full_text.csv",
            truth=f"{GENERATED}/truth/documents.csv",
        output:
            snapshots=directory(f"{GENERATED}/snapshots/citation_searching"),
            truth=f"{GENERATED}/truth/citation_records.csv",
        log:
            "results/logs/demo/citation_snapshots.log",
        run:
            in_process(locals(), "demo_citations")

    rule demo_citations_retrieval:
        input:
            queue="results/fulltext/citations_retrieval.queue.jsonl",
            unique="results/citations/unique.jsonl",
            truth=f"{GENERATED}/truth/documents.csv",
            library=f"{GENERATED}/fulltext",
        output:
            sheet=f"{DECISIONS}/citations_retrieval/retrieval.xlsx",
            fulltext=directory(CITATION_FULLTEXT),
        log:
            "results/logs/demo/citations_retrieval.log",
        params:
            truth=lambda w, input: Path(input.truth).parent,
        run:
            in_process(locals(), "demo_retrieval")

    rule demo_accuracy:
        input:
            **(
                {
                    "citation_records": "results/citations/records.jsonl",
                    "citation_groups": "results/citations/groups.csv",
                }
                if CHASING
                else {}
            ),
            records=expand("results/import/{db}.jsonl", db=DATABASES),
            groups="results/dedup/groups.csv",
            auto="results/eligibility/auto.csv",
            title_abstract="results/screen/title_abstract.csv",
            full_text="results/screen/full_text.csv",
            ledger="results/ledger/ledger.csv",
            segments="results/synthesis/segments.csv",
            codes="results/synthesis/suggested_codes.csv",
            extraction_queue="results/extract/extraction.queue.jsonl",
            extraction_suggestions="results/extract/suggestions.csv",
            truth=f"{GENERATED}/truth/documents.csv",
            findings=f"{GENERATED}/truth/findings.csv",
        output:
            accuracy="results/demo/accuracy.json",
        log:
            "results/logs/demo/accuracy.log",
        params:
            truth=lambda w, input: Path(input.truth).parent,
        run:
            in_process(locals(), "demo_accuracy")

    rule demo_coder:
        input:
            queue="results/synthesis/coding.queue.jsonl",
            unique="results/included/unique.jsonl",
            truth=f"{GENERATED}/truth/documents.csv",
            findings=f"{GENERATED}/truth/findings.csv",
        output:
            sheet=f"{DECISIONS}/coding/coding.xlsx",
        log:
            "results/logs/demo/coder.log",
        params:
            truth=lambda w, input: Path(input.truth).parent,
        run:
            in_process(locals(), "demo_coder")

    rule demo_appraiser:
        input:
            queue="results/appraisal/appraisal.queue.jsonl",
        output:
            sheet=f"{DECISIONS}/appraisal/appraiser_{{appraiser}}.xlsx",
        log:
            "results/logs/demo/appraiser_{appraiser}.log",
        wildcard_constraints:
            appraiser="[A-Za-z0-9_-]+",
        run:
            in_process(locals(), "demo_appraiser")

    rule demo_appraisal_consensus:
        input:
            conflicts="results/appraisal/conflicts.jsonl",
        output:
            sheet=f"{DECISIONS}/appraisal/consensus.xlsx",
        log:
            "results/logs/demo/appraisal_consensus.log",
        run:
            in_process(locals(), "demo_appraisal_consensus")

    rule demo_cerqual:
        input:
            themes="results/synthesis/themes.json",
        output:
            sheet=f"{DECISIONS}/cerqual/cerqual.xlsx",
        log:
            "results/logs/demo/cerqual.log",
        run:
            in_process(locals(), "demo_cerqual")

    rule demo_coding_accuracy:
        input:
            unique="results/included/unique.jsonl",
            segments="results/synthesis/segments.csv",
            codes="results/synthesis/suggested_codes.csv",
            coded="results/synthesis/coded.csv",
            truth=f"{GENERATED}/truth/documents.csv",
            findings=f"{GENERATED}/truth/findings.csv",
        output:
            accuracy="results/demo/coding_accuracy.json",
        log:
            "results/logs/demo/coding_accuracy.log",
        params:
            truth=lambda w, input: Path(input.truth).parent,
        run:
            in_process(locals(), "demo_coding_accuracy")
