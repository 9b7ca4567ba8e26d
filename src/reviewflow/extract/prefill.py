"""Suggested values for the extraction sheet, read from a full text's Methods and Findings.

These are cues for the extractor (marked as suggestions in the sheet), found by matching the
field's usual vocabulary; the extractor confirms or corrects every value.
"""

from __future__ import annotations

import re

COUNTRIES = ("United States", "Canada", "Australia", "United Kingdom", "Ireland", "Norway", "Sweden",
             "Denmark", "France", "Netherlands", "New Zealand", "Scotland", "England", "USA")
SETTINGS = ("supervised consumption site", "overdose prevention site", "syringe service programme",
            "syringe services program", "needle and syringe programme", "opioid agonist treatment",
            "methadone clinic", "emergency department", "inpatient addiction", "shelter",
            "supportive housing", "outreach", "recovery community centre", "drug checking",
            "re-entry", "community health centre", "harm reduction service", "treatment centre")
ROLES = ("peer worker", "peer support worker", "peer support specialist", "peer recovery coach",
         "recovery coach", "peer navigator", "peer mentor", "experiential worker", "natural helper",
         "peer specialist", "community health worker")
COLLECTION = ("semi-structured interviews", "in-depth interviews", "interviews", "focus groups",
              "participant observation", "ethnographic", "photovoice", "open-ended survey")
ANALYSIS = ("reflexive thematic analysis", "thematic analysis", "interpretive description",
            "grounded theory", "content analysis", "framework analysis", "framework method", "constant comparison",
            "interpretative phenomenological analysis")
GROUPS = ("peer workers", "clients", "service users", "staff", "managers", "nurses", "physicians",
          "co-workers", "supervisors")


def _section(text: str, name: str) -> str:
    m = re.search(rf"^## {name}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S | re.I)
    return m.group(1) if m else ""


def _found(vocab: tuple[str, ...], text: str) -> str:
    """Vocabulary items present (plurals too), without those inside a longer hit, in vocab order."""
    low = text.lower()
    hits = [v for v in vocab if re.search(r"(?<!\w)" + re.escape(v.lower()) + r"(?:s|es)?(?!\w)", low)]
    hits = [h for h in hits if not any(h != o and h.lower() in o.lower() for o in hits)]
    return "; ".join(hits)


def prefill(text: str) -> dict[str, str]:
    """Field -> suggested value ('' where nothing was found)."""
    methods = _section(text, "Methods")
    findings = _section(text, "Findings")
    headings = [h.strip() for h in re.findall(r"^### (.+)$", findings, re.M)]
    return {
        "country": _found(COUNTRIES, methods),
        "setting": _found(SETTINGS, methods),
        "peer_role_titles": _found(ROLES, methods),
        "participant_groups": _found(GROUPS, methods),
        "data_collection": _found(COLLECTION, methods),
        "analysis_method": _found(ANALYSIS, methods),
        "author_themes": "; ".join(headings),
    }
