from reviewflow.ledger import StageInputs
from reviewflow.report.run import run_ledger
from reviewflow.scripting import guard

sm = snakemake  # noqa: F821
inputs = StageInputs(imports=sm.input.records, rejects=sm.input.rejects, groups=sm.input.groups,
                     auto=sm.input.auto, title_abstract=sm.input.title_abstract,
                     retrieval=sm.input.retrieval, full_text=sm.input.full_text)
other = None
if "cit_records" in sm.input.keys():  # citation searching: PRISMA's other-methods branch
    other = StageInputs(imports=[sm.input.cit_records], rejects=[sm.input.cit_rejects], groups=sm.input.cit_groups,
                        auto=sm.input.cit_auto, title_abstract=sm.input.cit_title_abstract,
                        retrieval=sm.input.cit_retrieval, full_text=sm.input.cit_full_text)
guard(run_ledger, sm.config, inputs, sm.output.ledger, other)
