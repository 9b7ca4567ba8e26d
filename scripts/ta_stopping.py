from reviewflow.scripting import guard
from reviewflow.screen.run import run_stopping

sm = snakemake  # noqa: F821
guard(run_stopping, sm.config, sm.input.queue, sm.input.decisions, sm.output.stopping)
