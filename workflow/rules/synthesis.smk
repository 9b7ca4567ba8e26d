# Thematic synthesis: finding segments coded against the codebook (suggestions for people).


rule coding:
    input:
        full_text="results/screen/full_text.csv",
        retrieval="results/fulltext/retrieval.csv",
    output:
        segments="results/synthesis/segments.csv",
        codes="results/synthesis/suggested_codes.csv",
        themes="results/synthesis/themes.json",
    log:
        "results/logs/coding.log",
    script:
        "../../scripts/coding.py"
