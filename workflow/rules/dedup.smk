# Records removed before screening: duplicates. Pairs the rules cannot settle go to a
# reviewer's sheet; without a decision they stay apart, so this stage never waits.


rule dedup:
    input:
        records=expand("results/import/{db}.jsonl", db=DATABASES),
        decisions=lambda w: present_file(f"{DECISIONS}/dedup/uncertain_pairs.xlsx"),
    output:
        groups="results/dedup/groups.csv",
        unique="results/dedup/unique.jsonl",
        summary="results/dedup/summary.json",
        provenance="results/dedup/provenance.jsonl",
        sheet="results/sheets/dedup/uncertain_pairs.xlsx",
    log:
        "results/logs/dedup.log",
    threads: 2
    script:
        "../../scripts/dedup.py"
