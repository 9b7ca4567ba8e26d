"""Full text: retrieval of reports sought, then dual full-text assessment (screen/dual.py)."""
