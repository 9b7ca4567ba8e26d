from reviewflow.report.run import run_prisma
from reviewflow.scripting import guard, optional

sm = snakemake  # noqa: F821
guard(run_prisma, sm.config, sm.input.ledger, sm.input.automation, sm.output.counts,
      sm.output.svg, sm.output.invariants, optional(sm.params.previous))
