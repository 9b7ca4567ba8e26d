from pathlib import Path

from reviewflow.audit import build_manifest
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(build_manifest, Path("."), sm.config, Path(sm.output.manifest))
