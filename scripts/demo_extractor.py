from reviewflow.demo.reviewers import simulate_extractor
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(simulate_extractor, sm.config, sm.input.queue, sm.output.sheet)
