from reviewflow.demo.reviewers import simulate_coder
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(simulate_coder, sm.config, sm.input.queue, sm.input.unique, sm.params.truth, sm.output.sheet)
