from reviewflow.scripting import guard, optional
from reviewflow.synthesis.run import run_cerqual

sm = snakemake  # noqa: F821
guard(run_cerqual, sm.config, sm.input.themes, sm.input.appraisal, sm.input.extraction,
      optional(sm.params.decisions), sm.output.table, sm.output.sheet, sm.output.status)
