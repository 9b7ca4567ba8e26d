from reviewflow.scripting import guard
from reviewflow.sources.stage import run_search_stage

sm = snakemake  # noqa: F821
guard(run_search_stage, sm.params.search, sm.wildcards.db, sm.params.snapshots, sm.output.records,
      sm.output.rejects, sm.output.summary, sm.output.log, offline=sm.params.offline,
      allow_shortfall=sm.params.allow_shortfall)
