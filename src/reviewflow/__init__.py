"""reviewflow: a reproducible systematic-review pipeline."""

__version__ = "0.1.0"
