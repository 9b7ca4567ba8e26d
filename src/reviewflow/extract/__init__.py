"""Extraction of study characteristics from included reports."""
