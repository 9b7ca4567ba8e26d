from reviewflow.screen.run import run_ta_sheets
from reviewflow.scripting import aliases, guard, returned

sm = snakemake  # noqa: F821
guard(run_ta_sheets, sm.config, sm.input.unique, sm.input.auto, sm.output.queue,
      dict(zip(sm.params.reviewers, sm.output.sheets, strict=True)), returned(sm.input),
      stage_name=sm.params.get("stage", "title_abstract"), aliases=aliases(sm.input))
