"""JATS XML full texts (PMC / Europe PMC open-access XML, publisher XML) as an `Article`.

Parsed with lxml with every door to the outside shut: no DTD loaded, no entity resolved, no
network (a JATS file's DOCTYPE names an external DTD, which is never fetched). A document that
declares entities of its own is refused: nothing a journal publishes needs them, and they are how
an XML bomb works.

- **Title** from `front/article-meta/title-group/article-title`; **abstract** from the first
  `<abstract>` without an `abstract-type` (PLOS's author summary and eLife's digest are not the
  abstract), structured abstracts keeping their section titles as headings.
- **Body**: each `<sec>` is a heading (its `<title>`, level by nesting, its `sec-type` kept) and
  its paragraphs; `<disp-quote>` is a block quote with its `<attrib>` as the attribution; list
  items are paragraphs. Figures, tables, boxed text, supplementary material, formulas set apart
  and floats are furniture, kept out; a `<disp-quote>` inside a `<p>` cuts the paragraph around it.
  A top-level section that is back matter by its title or sec-type (Supporting information,
  Abbreviations) goes to `back`.
- **Back**: `<back>` (acknowledgements, funding, notes, references) and sub-articles (eLife's
  decision letter and author response) are never body.

JATS has no pages: every block has page 0 and `line`, its line in the XML file.
"""

from __future__ import annotations

from lxml import etree

from ..errors import InputFileError
from .model import HEADING, PARAGRAPH, QUOTE, Article, Block
from .quotes import attach_attributions, split_attribution
from .sections import BACK, heading_role

# Furniture: never part of the running text (their tail text is).
_SKIP = {"fig", "fig-group", "table-wrap", "table-wrap-group", "boxed-text", "supplementary-material",
         "graphic", "media", "disp-formula", "disp-formula-group", "alternatives", "chem-struct-wrap",
         "array", "code", "preformat", "fn", "table", "floats-group", "def-list", "glossary", "ref-list"}
_INLINE_SKIP = {"fig", "table-wrap", "boxed-text", "supplementary-material", "disp-formula", "graphic",
                "media", "fn", "disp-quote", "list", "table", "def-list", "array", "code", "preformat"}


def _local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""                          # a comment or processing instruction
    return etree.QName(tag).localname


def _clean(text: str) -> str:
    return " ".join(text.split())


def _text(el: etree._Element, skip: set[str] = _INLINE_SKIP) -> str:
    """An element's running text: its own and its children's, furniture left out (their tails kept)."""
    parts: list[str] = [el.text or ""]
    for child in el:
        name = _local(child)
        if name and name not in skip:
            parts.append(_text(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)


def check_jats(data: bytes, name: str) -> etree._Element:
    """The root of a JATS article parsed safely; InputFileError for bad XML, own entities or another root."""
    return _parse(data, name)


def _parse(data: bytes, name: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or None
        raise InputFileError(f"not well-formed XML ({exc.msg}): download the XML again, or use the PDF",
                             file=name, line=line) from None
    tree = root.getroottree()
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise InputFileError("the XML declares its own entities (refused: an XML bomb works that way); "
                             "use the publisher's JATS file or the PDF", file=name)
    if _local(root) != "article":
        found = _local(root) or "?"
        raise InputFileError(f"XML whose root is <{found}>, not a JATS <article>: use the article's JATS XML "
                             "(PMC / Europe PMC) or its PDF", file=name)
    return root


def _child(el: etree._Element | None, *names: str) -> etree._Element | None:
    """The first descendant along a path of local names (namespace-blind)."""
    for n in names:
        if el is None:
            return None
        el = next((c for c in el if _local(c) == n), None)
    return el


class _Walker:
    """Blocks of a JATS body (or abstract) in document order."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.back: list[Block] = []

    def paragraph(self, p: etree._Element, out: list[Block]) -> None:
        """A <p>, cut around any <disp-quote> or <list> it holds."""
        pieces: list[str] = [p.text or ""]
        line = p.sourceline or 0

        def flush() -> None:
            text = _clean("".join(pieces))
            if text:
                out.append(Block(PARAGRAPH, text, 0, line))
            pieces.clear()

        for child in p:
            name = _local(child)
            if name == "disp-quote":
                flush()
                self.quote(child, out)
            elif name == "list":
                flush()
                self.container(child, out, 0)
            elif name and name not in _INLINE_SKIP:
                pieces.append(_text(child))
            pieces.append(child.tail or "")
        flush()

    def quote(self, dq: etree._Element, out: list[Block]) -> None:
        attrib = _child(dq, "attrib")
        paras = [_clean(_text(c)) for c in dq if _local(c) == "p"]
        text = " ".join(t for t in paras if t) or _clean(_text(dq, _INLINE_SKIP | {"attrib"}))
        label = _clean(_text(attrib)).lstrip("\u2014\u2013- ").strip("()[] ") if attrib is not None else ""
        if not label:
            text, label = split_attribution(text)
        if text:
            out.append(Block(QUOTE, text, 0, dq.sourceline or 0, 0, label))

    def container(self, el: etree._Element, out: list[Block], level: int) -> None:
        """Children of a <sec>, <body>, <abstract>, <list> or <list-item>, in order."""
        for child in el:
            name = _local(child)
            if not name or name in _SKIP or name == "title" or name == "label":
                continue
            if name == "sec":
                self.section(child, out, level + 1)
            elif name == "p":
                self.paragraph(child, out)
            elif name == "disp-quote":
                self.quote(child, out)
            elif name in ("list", "list-item", "statement", "speech"):
                self.container(child, out, level)
            elif name == "verse-group":
                text = _clean(" ".join(_text(v) for v in child))
                if text:
                    out.append(Block(QUOTE, text, 0, child.sourceline or 0))

    def section(self, sec: etree._Element, out: list[Block], level: int) -> None:
        title = _child(sec, "title")
        heading = _clean(_text(title)) if title is not None else ""
        sec_type = (sec.get("sec-type") or "").strip()
        target = out
        if level == 1 and out is self.blocks and heading_role(heading, sec_type) == BACK:
            target = self.back
        if heading:
            target.append(Block(HEADING, heading, 0, title.sourceline or 0, level, section_type=sec_type))
        self.container(sec, target, level)


def _abstract(meta: etree._Element | None) -> list[Block]:
    if meta is None:
        return []
    abstracts = [a for a in meta if _local(a) == "abstract"]
    main = next((a for a in abstracts if not a.get("abstract-type")), abstracts[0] if abstracts else None)
    if main is None:
        return []
    w = _Walker()
    w.container(main, w.blocks, 0)
    return w.blocks


def _back(back: etree._Element | None) -> list[Block]:
    """Acknowledgements, funding, notes and references as blocks (kept apart; never read for content)."""
    if back is None:
        return []
    out: list[Block] = []
    for el in back.iter():
        name = _local(el)
        if name == "title":
            out.append(Block(HEADING, _clean(_text(el)), 0, el.sourceline or 0, 1))
        elif name in ("p", "ref"):
            text = _clean(_text(el, set()))
            if text:
                out.append(Block(PARAGRAPH, text, 0, el.sourceline or 0))
    return out


def read_jats(data: bytes, name: str) -> Article:
    """The Article of a JATS XML file (see the module's rules); InputFileError for one it cannot read."""
    root = _parse(data, name)
    meta = _child(root, "front", "article-meta")
    title_el = _child(meta, "title-group", "article-title")
    title = _clean(_text(title_el, {"xref", "fn"})) if title_el is not None else ""
    body_el = _child(root, "body")
    w = _Walker()
    if body_el is not None:
        w.container(body_el, w.blocks, 0)
    notes: list[str] = []
    if body_el is None or not w.blocks:
        notes.append("the XML has no body text (an abstract-only record?): put the PDF in the folder")
    back = [*w.back, *_back(_child(root, "back"))]
    return Article("jats", name, 0, title, tuple(_abstract(meta)), tuple(attach_attributions(w.blocks)),
                   tuple(back), tuple(notes))
