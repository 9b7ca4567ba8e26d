from reviewflow.scripting import aliases, guard, returned_one
from reviewflow.synthesis.run import run_coding

sm = snakemake  # noqa: F821
guard(run_coding, sm.config, sm.input.full_text, sm.input.retrieval, sm.output.segments,
      sm.output.codes, sm.output.queue, sm.output.sheet, sm.input.unique, returned_one(sm.input),
      sm.output.findings, aliases(sm.input))
