from reviewflow.demo.reviewers import simulate_adjudicator
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(simulate_adjudicator, sm.config, sm.wildcards.stage, sm.input.conflicts, sm.input.unique,
      sm.params.truth, sm.output.sheet)
