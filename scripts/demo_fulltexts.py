from pathlib import Path

from reviewflow.demo.generator import generate_fulltexts
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(generate_fulltexts, sm.config, Path(sm.params.out_dir))
