from reviewflow.screen.stages import make_conflicts, stage_for
from reviewflow.scripting import aliases, guard, optional, returned_one

sm = snakemake  # noqa: F821
decisions = {r: optional(p) for r, p in zip(sm.params.reviewers, sm.params.decisions, strict=True)}
guard(make_conflicts, stage_for(sm.config, sm.wildcards.stage, aliases(sm.input)), sm.input.queue, decisions,
      dict(zip(sm.params.reviewers, sm.params.decisions, strict=True)), sm.output.sheet,
      sm.output.conflicts, sm.output.agreement, returned_one(sm.input))
