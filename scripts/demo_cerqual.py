from reviewflow.demo.reviewers import simulate_cerqual_reviewers
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(simulate_cerqual_reviewers, sm.input.themes, sm.output.sheet)
