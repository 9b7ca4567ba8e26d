from reviewflow.scripting import aliases, guard, optional
from reviewflow.synthesis.run import run_themes

sm = snakemake  # noqa: F821
guard(run_themes, sm.config, sm.input.segments, sm.input.queue, optional(sm.params.decisions),
      sm.output.coded, sm.output.themes, sm.output.candidates, sm.output.status, sm.input.findings,
      aliases(sm.input))
