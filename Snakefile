# reviewflow: `snakemake` at the project root runs the review in config/config.yaml.
# Everything lives in workflow/. An included file cannot set the default target (Snakemake
# restores the includer's), so the root names it: the inputs of workflow/Snakefile's `rule all`.


include: "workflow/Snakefile"


rule default:
    default_target: True
    input:
        rules.all.input,
