from reviewflow.demo.reviewers import simulate_appraisal_consensus
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(simulate_appraisal_consensus, sm.config, sm.input.conflicts, sm.output.sheet)
