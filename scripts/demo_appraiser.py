from reviewflow.demo.reviewers import simulate_appraiser
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(simulate_appraiser, sm.config, sm.wildcards.appraiser, sm.input.queue, sm.output.sheet)
