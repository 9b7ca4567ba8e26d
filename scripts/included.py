from reviewflow.included import run_included
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(run_included, sm.input.unique, sm.input.full_text, sm.input.retrieval, sm.output.unique, sm.output.full_text,
      sm.output.retrieval)
