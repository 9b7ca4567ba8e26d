"""reviewflow: a reproducible systematic-review pipeline."""

import os

# openpyxl parses a workbook with lxml when lxml is installed (we need it for JATS full texts), and
# then bypasses defusedxml's guards: an entity bomb in a returned sheet's workbook.xml would be read.
# Keep openpyxl on the standard library parser, which defusedxml protects. Set before openpyxl loads.
os.environ.setdefault("OPENPYXL_LXML", "False")

__version__ = "0.1.0"
