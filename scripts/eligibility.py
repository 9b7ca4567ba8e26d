from reviewflow.screen.run import run_eligibility
from reviewflow.scripting import aliases, guard, returned_one

sm = snakemake  # noqa: F821
guard(run_eligibility, sm.config, sm.input.unique, sm.output.auto, sm.output.summary, sm.output.sheet,
      returned_one(sm.input), aliases=aliases(sm.input))
