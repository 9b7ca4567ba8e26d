from reviewflow.demo.extraction_accuracy import run_extraction_accuracy
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(run_extraction_accuracy, sm.config, sm.params.truth, sm.input.unique, sm.input.queue,
      sm.input.suggestions, sm.output.accuracy)
