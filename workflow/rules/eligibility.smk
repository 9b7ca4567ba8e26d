# Records removed before screening: marked ineligible by automatic rules from the config.


rule eligibility:
    input:
        unique="results/dedup/unique.jsonl",
    output:
        auto="results/eligibility/auto.csv",
        summary="results/eligibility/summary.json",
    log:
        "results/logs/eligibility.log",
    script:
        "../../scripts/eligibility.py"
