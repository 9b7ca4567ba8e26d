from reviewflow.extract.run import run_extraction_read
from reviewflow.scripting import aliases, guard, optional

sm = snakemake  # noqa: F821
guard(run_extraction_read, sm.config, sm.input.queue, optional(sm.params.decisions),
      sm.output.table, aliases(sm.input), sm.output.status)
