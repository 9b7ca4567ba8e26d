from pathlib import Path

from reviewflow.fulltext.retrieval import read_retrieval
from reviewflow.scripting import aliases, guard, optional

sm = snakemake  # noqa: F821
guard(read_retrieval, sm.input.queue, optional(sm.params.decisions), sm.params.decisions,
      Path(sm.params.fulltext), sm.output.retrieval, sm.output.status, aliases(sm.input))
