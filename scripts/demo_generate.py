from pathlib import Path

from reviewflow.demo.generator import generate
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(generate, sm.config, Path(sm.params.out_dir))
