from reviewflow.extract.appraisal import run_appraisal
from reviewflow.scripting import aliases, guard, optional

sm = snakemake  # noqa: F821
guard(run_appraisal, sm.config, sm.input.queue, sm.input.decisions, sm.input.conflicts,
      optional(sm.params.consensus), sm.output.answers, sm.output.studies, sm.output.status,
      aliases(sm.input))
