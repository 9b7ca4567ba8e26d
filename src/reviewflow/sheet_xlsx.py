"""Writing the sheets people fill in, with openpyxl (`sheets.write_sheet` calls this).

Kept apart from `sheets.py` so that the jobs that only read sheets never import openpyxl."""

from __future__ import annotations

import io
import math
import numbers
import os
import re
import zipfile
from collections.abc import Sequence
from copy import copy
from typing import Any
from xml.etree.ElementTree import _escape_cdata

from openpyxl import Workbook
from openpyxl import xml as openpyxl_xml
from openpyxl.cell import _writer as cell_writer
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet import _writer as worksheet_writer
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.functions import Element, SubElement, tostring, whitespace

from .fsio import atomic_write_bytes
from .sheets import (
    AUTHOR,
    CHOICES_TITLE,
    FIXED_TIME,
    INSTRUCTIONS_TITLE,
    MAX_CELL_CHARS,
    MAX_INLINE_LIST,
    ZIP_TIME,
    Column,
    _sheet_title,
    highlight_pattern,
    neutralise,
)

_XML_NS = "http://www.w3.org/XML/1998/namespace"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_EDIT_HEADER_FILL = PatternFill("solid", fgColor="FFD966")
_EDIT_FILL = PatternFill("solid", fgColor="FFF2CC")
_LINK_FONT = Font(color="0563C1", underline="single")
_HIGHLIGHT_FONT = InlineFont(b=True, color="C00000")
_HIGHLIGHT_RPR = _HIGHLIGHT_FONT.to_tree(tagname="rPr")
_LOCKED = Protection(locked=True)
_UNLOCKED = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_SAFE_URL = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
_BARE_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def _write_cell(xf: Any, worksheet: Any, cell: Any, styled: bool | None = None) -> None:
    """openpyxl's cell writer for the cells sheets are made of (plain text, numbers, empty styled
    cells), as one string: the same bytes as `etree_write_cell`, which builds and serialises an
    element tree per cell and took half the time of writing a 4,000-row sheet. Rich text, links and
    other types go to openpyxl's writer (tests/test_sheets.py compares the two on random sheets)."""
    kind, value = cell.data_type, cell._value
    if cell.hyperlink or kind not in ("s", "n") or (kind == "s" and value is not None and not isinstance(value, str)):
        cell_writer.etree_write_cell(xf, worksheet, cell, styled)
        return
    head = f'<c r="{cell.coordinate}"' + (f' s="{cell.style_id}"' if styled else "") + (
        ' t="inlineStr"' if kind == "s" else ' t="n"')
    if value is None or value == "":
        xf._file(head + " />")
    elif kind == "s":
        stripped = value.strip()
        space = ' xml:space="preserve"' if stripped and value != stripped else ""
        xf._file(f"{head}><is><t{space}>{_escape_cdata(value)}</t></is></c>")
    else:
        xf._file(f"{head}><v>{safe_string(value)}</v></c>")


if not openpyxl_xml.LXML and worksheet_writer.write_cell is cell_writer.etree_write_cell:
    # openpyxl's standard-library writer (the one reviewflow uses: see reviewflow/__init__.py).
    worksheet_writer.write_cell = _write_cell


class _Highlight(TextBlock):
    """A highlighted run whose `<rPr>` is built once: openpyxl would rebuild it per run."""

    def __init__(self, text: str) -> None:
        super().__init__(_HIGHLIGHT_FONT, text)

    def to_tree(self) -> Element:
        """The `<r>` element; ElementTree lets the shared `<rPr>` sit under many runs. lxml moves an
        element it appends, so where openpyxl was loaded with lxml (imported before reviewflow set
        OPENPYXL_LXML) each run gets its own copy, or only the last run of a cell would be bold."""
        run = Element("r")
        run.append(copy(_HIGHLIGHT_RPR) if openpyxl_xml.LXML else _HIGHLIGHT_RPR)
        t = SubElement(run, "t")
        t.text = self.text
        whitespace(t)
        return run


class _Spaces(TextBlock):
    """A plain run of whitespace alone (between two highlighted terms). openpyxl marks a run's text
    xml:space="preserve" only when it has other characters too, and without it a reader may drop
    the run: the two terms ran together ('peerrecovery coach')."""

    def __init__(self, text: str) -> None:
        super().__init__(InlineFont(), text)

    def to_tree(self) -> Element:
        run = Element("r")
        t = SubElement(run, "t")
        t.text = self.text
        t.set(f"{{{_XML_NS}}}space", "preserve")
        return run


def _rich(text: str, pattern: re.Pattern[str]) -> CellRichText | str:
    """Split text into plain runs and bold coloured runs for each term match."""
    blocks: list[str | TextBlock] = []
    pos = 0
    for m in pattern.finditer(text):
        if m.start() == m.end():
            continue
        if m.start() > pos:
            plain = text[pos:m.start()]
            blocks.append(plain if plain.strip() else _Spaces(plain))
        blocks.append(_Highlight(m.group()))
        pos = m.end()
    if not blocks:
        return text
    if pos < len(text):
        blocks.append(text[pos:])
    return CellRichText(blocks)


def _clean_text(value: Any) -> str:
    """Text Excel accepts, neutralised: no XML-illegal control characters, at most 32,767
    characters counting the quote `neutralise` may add (a longer cell is cut, not the quote)."""
    text = neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "\u2026"
    return text


def _link_target(text: str) -> str | None:
    """The URL to link to, or None: only web and mail links, never file: or javascript:."""
    if _BARE_DOI.match(text):
        return "https://doi.org/" + text
    if _SAFE_URL.match(text) and not any(c.isspace() for c in text):
        return text
    return None


def _set_value(cell: Any, value: Any, column: Column | None,
               pattern: re.Pattern[str] | None) -> bool:
    """Store a value: numbers as numbers, the rest as neutralised, never-formula text.

    Returns True if the cell got a hyperlink (the caller styles it as a link)."""
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        value = "TRUE" if value else "FALSE"
    if isinstance(value, numbers.Real):
        # numbers.Real also covers numpy scalars; a pandas NaN means "no value", and Excel
        # has no infinity, so that one is written as text.
        if math.isnan(value):
            return False
        if math.isfinite(value):
            cell.value = value
            return False
    text = _clean_text(value)
    linked = False
    if column is not None and column.link:
        target = _link_target(text)
        if target is not None:
            cell.hyperlink = target
            linked = True
    if column is not None and column.highlight and pattern is not None:
        rich = _rich(text, pattern)
        if isinstance(rich, CellRichText):
            cell.value = rich
            cell.data_type = "s"
            return linked
    cell.value = text
    # openpyxl would turn "=..." into a formula and "#N/A" into an error; text stays text.
    cell.data_type = "s"
    return linked


def _add_choices(wb: Workbook, ws: Any, columns: list[Column], n_rows: int) -> None:
    """Dropdowns for every `choices` column; long or comma-bearing lists go on a hidden sheet."""
    list_ws = None
    list_col = 0
    for idx, col in enumerate(columns, start=1):
        if not col.choices or n_rows == 0:
            continue
        # The list and its message are XML attributes too: no XML-illegal characters there either.
        choices = [ILLEGAL_CHARACTERS_RE.sub("", c) for c in col.choices]
        inline = ",".join(choices)
        if len(inline) + 2 <= MAX_INLINE_LIST and not any(
                "," in c or '"' in c for c in choices):
            formula = f'"{inline}"'
        else:
            if list_ws is None:
                list_ws = wb.create_sheet(CHOICES_TITLE)
                list_ws.sheet_state = "hidden"
            list_col += 1
            for r, choice in enumerate(col.choices, start=1):
                _set_value(list_ws.cell(row=r, column=list_col), choice, None, None)
            letter = get_column_letter(list_col)
            formula = (f"{quote_sheetname(CHOICES_TITLE)}!${letter}$1:"
                       f"${letter}${len(col.choices)}")
        dv = DataValidation(type="list", formula1=formula, allow_blank=True,
                            showErrorMessage=True, showDropDown=False,
                            errorTitle="Not an option",
                            error="Choose one of: " + ", ".join(choices)[:200])
        letter = get_column_letter(idx)
        dv.add(f"{letter}2:{letter}{n_rows + 1}")
        ws.add_data_validation(dv)


def _fix_properties(wb: Workbook) -> None:
    """Pin document properties that openpyxl fills with the clock and the user name."""
    props = wb.properties
    props.creator = AUTHOR
    props.lastModifiedBy = AUTHOR
    props.created = FIXED_TIME
    props.modified = FIXED_TIME


def _normalise_zip(data: bytes, core_xml: bytes) -> bytes:
    """Rewrite the XLSX zip with fixed entry times and attributes, same entry order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            payload = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl's save stamps `modified` with now; put the fixed one back.
                payload = core_xml
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            zout.writestr(entry, payload)
    return out.getvalue()


def write_xlsx(path: str | os.PathLike, columns: list[Column], rows: list[dict], *,
               title: str, instructions: Sequence[str] = (),
               highlight_terms: Sequence[str] = (), key: str = "record_id") -> None:
    """Write a protected, filterable sheet with dropdowns and an Instructions sheet, atomically."""
    keys = [c.key for c in columns]
    if key not in keys:
        raise ValueError(f"key column {key!r} is not among the columns")
    if len(set(keys)) != len(keys) or len({c.header.strip().lower() for c in columns}) != len(
            columns):
        raise ValueError("column keys and headers must be unique")
    # A sheet with a blank or repeated key could never be read back; that is our bug, not the
    # reviewer's, so it is a ValueError here rather than a SheetError later.
    seen_keys = [str(row.get(key) or "").strip() for row in rows]
    if not all(seen_keys) or len(set(seen_keys)) != len(seen_keys):
        raise ValueError(f"every row needs a distinct, non-empty {key!r}")
    pattern = highlight_pattern(highlight_terms)

    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(title)

    for idx, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=idx)
        _set_value(cell, col.header, None, None)
        cell.font = _HEADER_FONT
        cell.fill = _EDIT_HEADER_FILL if col.editable else _HEADER_FILL
        cell.alignment = _TOP
        cell.protection = _LOCKED
        ws.column_dimensions[get_column_letter(idx)].width = col.width

    # Style each kind of cell once, then copy its style array: openpyxl's style setters hash
    # the style objects on every call, which dominates the time of a 5,000-row sheet.
    protos: dict[tuple[int, bool], Any] = {}
    for r, row in enumerate(rows, start=2):
        for idx, col in enumerate(columns, start=1):
            cell = ws.cell(row=r, column=idx)
            linked = _set_value(cell, row.get(col.key), col, pattern)
            proto = protos.get((idx, linked))
            if proto is not None:
                cell._style = copy(proto)
                continue
            if linked:
                cell.font = _LINK_FONT
            if col.wrap:
                cell.alignment = _WRAP
            if col.editable:
                # The reviewer's cells: unlocked and tinted; everything else is read-only.
                cell.protection = _UNLOCKED
                cell.fill = _EDIT_FILL
            protos[(idx, linked)] = copy(cell._style)

    last = get_column_letter(len(columns))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    _add_choices(wb, ws, columns, len(rows))
    # Protection without a password: it stops slips, not people; filter/sort/resize stay allowed.
    prot = ws.protection
    prot.sheet = True
    prot.autoFilter = False
    prot.sort = False
    prot.formatColumns = False
    prot.formatRows = False

    info = wb.create_sheet(INSTRUCTIONS_TITLE, index=1)
    info.column_dimensions["A"].width = 100
    for r, line in enumerate(instructions, start=1):
        cell = info.cell(row=r, column=1)
        _set_value(cell, line, None, None)
        cell.alignment = _WRAP
    wb.active = 0

    _fix_properties(wb)
    buf = io.BytesIO()
    # Stored, not deflated: _normalise_zip compresses every entry once when it rewrites the zip.
    ExcelWriter(wb, zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED, allowZip64=True)).save()
    _fix_properties(wb)
    core_xml = tostring(wb.properties.to_tree())
    atomic_write_bytes(path, _normalise_zip(buf.getvalue(), core_xml))
