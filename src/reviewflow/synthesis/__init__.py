"""Synthesis: segmenting findings, coding against the codebook, themes."""
