# Records removed before screening: marked ineligible by automatic rules from the config. The
# review-like titles rule's exclusions go to a sheet a reviewer may check (optional: never waits).


rule eligibility:
    input:
        unique="results/dedup/unique.jsonl",
        groups="results/dedup/groups.csv",
        returned=lambda w: present_file(f"{DECISIONS}/{RULE_CHECK_SHEET}"),
    output:
        auto="results/eligibility/auto.csv",
        summary="results/eligibility/summary.json",
        sheet=f"results/sheets/{RULE_CHECK_SHEET}",
    log:
        "results/logs/eligibility.log",
    run:
        in_process(locals(), "eligibility")
