# Records removed before screening: duplicates.


rule dedup:
    input:
        records=expand("results/import/{db}.jsonl", db=DATABASES),
    output:
        groups="results/dedup/groups.csv",
        unique="results/dedup/unique.jsonl",
        summary="results/dedup/summary.json",
    log:
        "results/logs/dedup.log",
    script:
        "../../scripts/dedup.py"
