from reviewflow.dedup.run import run_dedup
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(run_dedup, sm.input.records, sm.output.groups, sm.output.unique, sm.output.summary,
      out_provenance=sm.output.provenance, review_sheet=sm.output.sheet, decisions=list(sm.input.decisions),
      jobs=sm.threads)
