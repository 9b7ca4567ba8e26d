from reviewflow.demo.coding_accuracy import run_coding_accuracy
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(run_coding_accuracy, sm.config, sm.params.truth, sm.input.unique, sm.input.segments,
      sm.input.codes, sm.input.coded, sm.output.accuracy)
