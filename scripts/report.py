from reviewflow.report.run import run_report
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(run_report, sm.config, sm.params.config_path, dict(sm.input.items()), sm.output.html)
