# The ledger, PRISMA counts from it alone, the flow diagram, and the report.


rule ledger:
    input:
        unpack(citation_branch),
        records=expand("results/import/{db}.jsonl", db=DATABASES),
        rejects=expand("results/import/{db}.rejects.jsonl", db=DATABASES),
        groups="results/dedup/groups.csv",
        auto="results/eligibility/auto.csv",
        title_abstract="results/screen/title_abstract.csv",
        retrieval="results/fulltext/retrieval.csv",
        full_text="results/screen/full_text.csv",
    output:
        ledger="results/ledger/ledger.csv",
    log:
        "results/logs/ledger.log",
    run:
        in_process(locals(), "ledger")


rule prisma:
    input:
        ledger="results/ledger/ledger.csv",
        automation="results/eligibility/summary.json",
        previous=lambda w: present_file(f"{DECISIONS}/previous_version.json"),
    output:
        counts="results/prisma/counts.json",
        svg="results/prisma/flow.svg",
        invariants="results/prisma/invariants.json",
    log:
        "results/logs/prisma.log",
    params:
        previous=f"{DECISIONS}/previous_version.json",
    run:
        in_process(locals(), "prisma")


rule prisma2020_csv:
    input:
        counts="results/prisma/counts.json",
    output:
        csv="results/prisma/prisma2020.csv",
    log:
        "results/logs/prisma2020_csv.log",
    run:
        in_process(locals(), "prisma2020")


rule report:
    input:
        counts="results/prisma/counts.json",
        flow_svg="results/prisma/flow.svg",
        invariants="results/prisma/invariants.json",
        ledger="results/ledger/ledger.csv",
        unique="results/included/unique.jsonl",
        import_summaries=expand("results/import/{db}.summary.json", db=DATABASES),
        dedup_summary="results/dedup/summary.json",
        automation="results/eligibility/summary.json",
        agreement=expand(
            "results/screen/{stage}.agreement.json",
            stage=["title_abstract", "full_text"],
        ),
        status=expand(
            "results/status/{stage}.json",
            stage=["title_abstract", "retrieval", "full_text"]
            + (
                [
                    "citations_title_abstract",
                    "citations_retrieval",
                    "citations_full_text",
                ]
                if CHASING
                else []
            ),
        ),
        extraction="results/extract/extraction.csv",
        themes="results/synthesis/themes.json",
        candidates="results/synthesis/candidate_codes.csv",
        cerqual="results/synthesis/cerqual.json",
        appraisal_items="results/appraisal/items.csv",
        appraisal_studies="results/appraisal/studies.csv",
        stage_status=expand(
            "results/status/{stage}.json",
            stage=["extraction", "appraisal", "coding", "cerqual"],
        ),
        prisma2020="results/prisma/prisma2020.csv",
        accuracy=demo_accuracy,
        coding_accuracy=lambda w: ["results/demo/coding_accuracy.json"] if DEMO else [],
        stopping="results/screen/title_abstract.stopping.json",
        citation_searches=lambda w: (
            ["results/citations/searches.json"] if CHASING else []
        ),
    output:
        html="results/report/index.html",
    log:
        "results/logs/report.log",
    params:
        config_path="config/config.yaml",
    run:
        in_process(locals(), "report")


rule manifest:
    input:
        html="results/report/index.html",
        counts="results/prisma/counts.json",
        svg="results/prisma/flow.svg",
        accuracy=demo_accuracy,
    output:
        manifest="results/manifest.json",
    log:
        "results/logs/manifest.log",
    run:
        in_process(locals(), "manifest")
