from pathlib import Path

from reviewflow.screen.batches import run_ta_batches
from reviewflow.screen.stages import stage_for
from reviewflow.scripting import aliases, guard

sm = snakemake  # noqa: F821
rv = list(sm.params.reviewers)
stage = stage_for(sm.config, "title_abstract", aliases(sm.input))
guard(run_ta_batches, sm.config, stage, Path(sm.input.queue), Path(sm.params.decisions),
      rv, sm.params.batch_size, dict(zip(rv, map(Path, sm.output.sheets), strict=True)),
      dict(zip(rv, map(Path, sm.output.merged), strict=True)), Path(sm.output.order), Path(sm.output.summary),
      display_dir=sm.params.decisions, cache_dir=Path(sm.params.cache))
