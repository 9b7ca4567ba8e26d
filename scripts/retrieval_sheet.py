from reviewflow.fulltext.run import run_retrieval_sheet
from reviewflow.scripting import aliases, guard, returned_one

sm = snakemake  # noqa: F821
guard(run_retrieval_sheet, sm.input.unique, sm.input.title_abstract, sm.output.queue, sm.output.sheet,
      returned_one(sm.input), aliases(sm.input))
