from reviewflow.report.run import run_prisma2020
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(run_prisma2020, sm.config, sm.input.counts, sm.output.csv)
