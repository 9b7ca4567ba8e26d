from reviewflow.screen.run import run_stopping
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(run_stopping, sm.config, sm.input.queue, sm.input.decisions, sm.output.stopping)
