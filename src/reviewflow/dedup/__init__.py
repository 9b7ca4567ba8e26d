"""Deduplication: normalise, block, compare, cluster, merge."""
