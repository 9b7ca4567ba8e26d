from reviewflow.extract.appraisal import run_appraisal_conflicts
from reviewflow.scripting import aliases, guard, returned_one

sm = snakemake  # noqa: F821
guard(run_appraisal_conflicts, sm.config, sm.input.queue, sm.input.decisions, sm.output.conflicts,
      sm.output.sheet, returned_one(sm.input), aliases(sm.input))
