from reviewflow.importing import run_import
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(run_import, sm.input.files, sm.wildcards.db, sm.output.records, sm.output.rejects,
      sm.output.summary, expected_format=sm.params.get("export"))
