from reviewflow.extract.run import run_extraction_sheet
from reviewflow.scripting import aliases, guard, returned_one

sm = snakemake  # noqa: F821
guard(run_extraction_sheet, sm.config, sm.input.unique, sm.input.full_text, sm.input.retrieval,
      sm.output.queue, sm.output.sheet, returned_one(sm.input),
      suggestions=sm.output.suggestions, aliases=aliases(sm.input))
