"""A full text as one structured model, whatever its file: PDF, JATS XML, DOCX, plain text, Markdown.

`read_article(path)` picks the reader by the file's content (not only its extension) and returns an
`Article`; `sections.py` names each section's role (methods, findings, ...) as authors write them.
"""

from .model import Article, Block

__all__ = ["Article", "Block"]
