from reviewflow.extract.appraisal import run_appraisal_sheets
from reviewflow.scripting import aliases, guard, returned

sm = snakemake  # noqa: F821
guard(run_appraisal_sheets, sm.config, sm.input.unique, sm.input.full_text, sm.output.queue,
      sm.output.sheets, returned(sm.input), aliases(sm.input))
