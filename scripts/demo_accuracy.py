from reviewflow.demo.accuracy import run_accuracy
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
guard(run_accuracy, sm.config, sm.params.truth, sm.input.records, sm.input.groups, sm.input.auto,
      sm.input.title_abstract, sm.input.full_text, sm.input.ledger, sm.input.segments, sm.input.codes,
      sm.output.accuracy, extraction_queue=getattr(sm.input, "extraction_queue", None),
      extraction_suggestions=getattr(sm.input, "extraction_suggestions", None),
      citation_records=getattr(sm.input, "citation_records", None),
      citation_groups=getattr(sm.input, "citation_groups", None))
