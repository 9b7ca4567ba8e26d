from reviewflow.ledger import StageInputs
from reviewflow.report.run import run_ledger
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
inputs = StageInputs(imports=sm.input.records, rejects=sm.input.rejects, groups=sm.input.groups,
                     auto=sm.input.auto, title_abstract=sm.input.title_abstract,
                     retrieval=sm.input.retrieval, full_text=sm.input.full_text)
guard(run_ledger, sm.config, inputs, sm.output.ledger)
