from reviewflow.demo.reviewers import simulate_reviewer
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(simulate_reviewer, sm.config, sm.wildcards.stage, sm.wildcards.reviewer, sm.input.queue,
      sm.input.unique, sm.params.truth, sm.output.sheet)
