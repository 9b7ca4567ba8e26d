from pathlib import Path

from reviewflow.demo.reviewers import simulate_retrieval
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(simulate_retrieval, sm.config, sm.input.queue, sm.input.unique, sm.params.truth,
      Path(sm.input.library), Path(sm.output.fulltext), sm.output.sheet)
