from reviewflow.dedup.run import run_dedup
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(run_dedup, sm.input.records, sm.output.groups, sm.output.unique, sm.output.summary)
