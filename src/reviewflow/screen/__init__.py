"""Screening: automatic eligibility rules, sheets, conflicts, agreement."""
