from pathlib import Path

from reviewflow.demo.citations import write_demo_citations
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(write_demo_citations, sm.config, sm.input.unique, sm.input.full_text, Path(sm.output.snapshots).parent,
      sm.output.truth)
