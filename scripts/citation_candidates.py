from reviewflow.citations.candidates import run_candidates
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(run_candidates, sm.config, sm.input.chased, sm.input.unique, sm.output.groups, sm.output.unique,
      sm.output.auto, sm.output.summary, jobs=sm.threads)
