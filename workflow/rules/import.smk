# Identification: each database's exports into records (and rejects, kept and counted).


rule import_export:
    input:
        files=export_files,
    output:
        records="results/import/{db}.jsonl",
        rejects="results/import/{db}.rejects.jsonl",
        summary="results/import/{db}.summary.json",
    log:
        "results/logs/import/{db}.log",
    wildcard_constraints:
        db="[a-z0-9_]+",
    script:
        "../../scripts/import_export.py"
