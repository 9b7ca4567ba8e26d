from reviewflow.screen.run import run_eligibility
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(run_eligibility, sm.config, sm.input.unique, sm.output.auto, sm.output.summary)
