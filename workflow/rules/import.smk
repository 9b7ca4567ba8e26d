# Identification: each database's exports, or its API search, into records (and rejects, kept and counted).


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
        db=one_of(EXPORTED),
    params:
        export=lambda w: EXPORT_FORMAT[w.db],
    run:
        # Big exports in a Python each: two of them import on two cores at once.
        in_process(locals(), "import_export", big_in_own_process=True)


# A database searched through its API: its snapshot replayed (searched live only when none exists).
rule search_api:
    input:
        snapshots=snapshot_files,
    output:
        records="results/import/{db}.jsonl",
        rejects="results/import/{db}.rejects.jsonl",
        summary="results/import/{db}.summary.json",
        log="results/search/{db}.prisma-s.json",
    log:
        "results/logs/search/{db}.log",
    wildcard_constraints:
        db=one_of(SEARCHED),
    params:
        search=lambda w: SEARCHED[w.db],
        snapshots=SNAPSHOTS,
        offline=DEMO or bool(SEARCH_SETTINGS.get("offline", False)),
        allow_shortfall=bool(SEARCH_SETTINGS.get("allow_shortfall", False)),
    run:
        in_process(locals(), "search_api")
