from reviewflow.screen.stages import make_decisions, stage_for
from reviewflow.scripting import aliases, guard, optional

sm = snakemake  # noqa: F821
decisions = {r: optional(p) for r, p in zip(sm.params.reviewers, sm.params.decisions, strict=True)}
guard(make_decisions, stage_for(sm.config, sm.wildcards.stage, aliases(sm.input)), sm.input.queue, decisions,
      dict(zip(sm.params.reviewers, sm.params.decisions, strict=True)), sm.params.adjudicator,
      optional(sm.params.adjudication), sm.params.adjudication, sm.output.decisions, sm.output.status)
