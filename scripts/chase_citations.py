from reviewflow.citations.chase import run_chase
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(run_chase, sm.params.settings, sm.params.snapshots, sm.input.unique, sm.input.full_text, sm.output.records,
      sm.output.rejects, sm.output.log, offline=sm.params.offline, allow_shortfall=sm.params.allow_shortfall)
