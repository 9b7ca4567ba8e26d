"""Deterministic synthetic demo review: corpus generator and simulated reviewers."""
