from reviewflow.fulltext.run import run_ft_sheets
from reviewflow.scripting import aliases, guard, returned

sm = snakemake  # noqa: F821
guard(run_ft_sheets, sm.config, sm.input.unique, sm.input.retrieval, sm.output.queue,
      dict(zip(sm.params.reviewers, sm.output.sheets, strict=True)), returned(sm.input),
      stage_name=sm.params.get("stage", "full_text"), aliases=aliases(sm.input))
