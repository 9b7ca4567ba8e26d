"""XLSX sheets that people fill in: deterministic to the byte, neutralised, read back strictly."""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook, SheetTypeEnum

from .errors import SheetError

__all__ = ["Column", "SheetRead", "write_sheet", "read_sheet", "read_returned", "carry_over", "neutralise",
           "highlight_pattern"]

INSTRUCTIONS_TITLE = "Instructions"
CHOICES_TITLE = "_choices"
AUTHOR = "reviewflow"
# Fixed document timestamps: a rerun must not change a byte of a sheet.
FIXED_TIME = _dt.datetime(2000, 1, 1, 0, 0, 0)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Excel refuses longer cell text; the sheet is a view, the records keep the full text.
MAX_CELL_CHARS = 32767
# Excel's inline list validation ("a,b,c") is limited to 255 characters.
MAX_INLINE_LIST = 255

# Characters that make a spreadsheet treat text as a formula (CSV/formula injection, OWASP).
_FORMULA_START = ("=", "+", "-", "@")
# Tab and CR per OWASP; LF too, because XML reads a stored CR back as LF and the quote we
# added must still be recognised (and stripped) on the way back.
_CONTROL_START = ("\t", "\r", "\n")



@dataclass(frozen=True)
class Column:
    """One column of a sheet: a field of the row dicts and how it is shown and read back."""

    key: str
    header: str
    width: float = 16
    choices: tuple[str, ...] | None = None
    editable: bool = False
    required: bool = False
    link: bool = False
    wrap: bool = False
    highlight: bool = False


@dataclass
class SheetRead:
    """A filled sheet: complete rows by key, and keys whose required cells are still empty.

    `partial` holds the cells of pending rows that are in the sheet (a note without a decision),
    so that a regenerated sheet can carry them too."""

    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)
    partial: dict[str, dict[str, str]] = field(default_factory=dict)
    # Read with aliases (`read_sheet`): key -> the ids the sheet wrote for it, where they differ (records
    # found to be one study since the sheet was written); keys whose rows disagreed and so wait for a
    # decision again; ids of rows whose records are in the review but no longer in this stage.
    merged: dict[str, list[str]] = field(default_factory=dict)
    conflicting: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- neutralising


def _is_dangerous(text: str) -> bool:
    """True if a spreadsheet could read `text` as a formula."""
    if text.startswith(_CONTROL_START):
        return True
    # Excel ignores leading blanks before a formula sign, so look past them.
    return text.lstrip(" \t\r\n").startswith(_FORMULA_START)


def _needs_quote(text: str) -> bool:
    """True if `text` gets a quote prefix; also quote text that already looks quoted, so
    reading back (which strips one quote) gives back exactly what was written."""
    if _is_dangerous(text):
        return True
    return text.startswith("'") and _needs_quote(text[1:])


def neutralise(text: str) -> str:
    """Prefix a single quote to text a spreadsheet could run as a formula."""
    return "'" + text if _needs_quote(text) else text


def _unneutralise(text: str) -> str:
    """Undo `neutralise`: drop the quote we added, and only that one."""
    if text.startswith("'") and _needs_quote(text[1:]):
        return text[1:]
    return text


# --------------------------------------------------------------------------- highlighting


def highlight_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive regex for all terms; a trailing `*` truncates (`work*` = work...)."""
    parts = []
    for term in terms:
        term = term.strip()
        truncated = term.endswith("*")
        words = term.rstrip("*").split()
        if not words:
            continue
        # Words of a phrase may be split by any whitespace (line breaks in abstracts).
        body = r"\s+".join(re.escape(w) for w in words)
        parts.append((len(term), rf"\b{body}\w*" if truncated else rf"\b{body}\b"))
    if not parts:
        return None
    # Longest terms first, so "peer work*" wins over "peer" where both match.
    parts.sort(key=lambda p: (-p[0], p[1]))
    return re.compile("|".join(p for _, p in parts), re.IGNORECASE)


def _sheet_title(title: str) -> str:
    """A legal worksheet name: no []:*?/\\, at most 31 characters, not our other sheets' names."""
    name = re.sub(r"[\[\]:*?/\\]", "_", title).strip().strip("'")[:31].strip() or "Sheet"
    if name.lower() in (INSTRUCTIONS_TITLE.lower(), CHOICES_TITLE):
        name = (name + " data")[:31]
    return name


def write_sheet(path: str | os.PathLike, columns: list[Column], rows: list[dict], *,
                title: str, instructions: Sequence[str] = (),
                highlight_terms: Sequence[str] = (), key: str = "record_id") -> None:
    """Write a protected, filterable sheet with dropdowns and an Instructions sheet, atomically."""
    # openpyxl (a fifth of a second to import) only in the jobs that write sheets: reading is calamine's.
    from .sheet_xlsx import write_xlsx

    write_xlsx(path, columns, rows, title=title, instructions=instructions, highlight_terms=highlight_terms, key=key)


# --------------------------------------------------------------------------- reading


def _cell_text(value: Any) -> str:
    """A read cell as stripped text: integral floats lose their '.0', dates are ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime | _dt.date | _dt.time):
        return value.isoformat()
    return _unneutralise(str(value)).strip()


def _norm_header(text: Any) -> str:
    """Header text compared case- and space-insensitively."""
    return " ".join(_cell_text(text).split()).lower()


def _own_header(col: Column) -> str:
    """A column's configured header as `_norm_header` reads it from a cell (where our quote is gone)."""
    return " ".join(col.header.split()).lower()


def _find_sheet(wb: CalamineWorkbook, columns: list[Column], key_col: Column, file: str,
                sheet_title: str | None = None) -> list[list[Any]]:
    """The data sheet's rows from A1 (row 1 the header): the first worksheet whose first row has the
    key column's header.

    With `sheet_title`, that worksheet must carry the name `write_sheet` gave it for `title`:
    a sheet written for another stage or person is refused, even when its columns fit."""
    wanted = _own_header(key_col)
    for meta in wb.sheets_metadata:
        if meta.name in (INSTRUCTIONS_TITLE, CHOICES_TITLE) or meta.typ != SheetTypeEnum.WorkSheet:
            continue
        # From A1 whatever the first used cell (row numbers are the ones people see), and from the
        # cells themselves: a stale stored <dimension> (other writers) does not cut rows off.
        rows = wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
        if rows and wanted in {_norm_header(v) for v in rows[0]}:
            if sheet_title is not None and meta.name != _sheet_title(sheet_title):
                raise SheetError(f"this is the sheet {meta.name!r}, not {_sheet_title(sheet_title)!r}: "
                                 "a sheet of another stage or person was saved under this name", file=file)
            return rows
    raise SheetError(f"no sheet has a {key_col.header!r} column", file=file, line=1,
                     column=key_col.header)


def read_sheet(path: str | os.PathLike, columns: list[Column], *, key: str = "record_id",
               expected_keys: Collection[str] | None = None, allow_missing: bool = False,
               sheet_title: str | None = None, aliases: Mapping[str, str] | None = None,
               lenient: bool = False) -> SheetRead:
    """Read a filled sheet back; any bad cell raises SheetError with file, row and column.

    expected_keys: the keys the stage waits for; another key in the sheet is an error, and so is
    an expected key missing from it, unless `allow_missing` (a sheet returned before more records
    arrived): then the missing keys are pending. sheet_title: see `_find_sheet`.
    aliases: every record id of the review -> the id of its duplicate group today (`identity`). A row
    is then read for its group, whatever member it was written for, and a row of a record that has
    left the stage (now excluded earlier, or merged into a group decided elsewhere) is set aside in
    `left`; only an id the review never had is an error. Two rows that are one study now keep their
    decision if they agree; if they do not, the study waits for a decision again (`conflicting`).
    lenient: bad rows are left out instead of raising (a missing column or a file that is not a
    workbook still raises)."""
    file = str(path)
    by_key = {c.key: c for c in columns}
    if key not in by_key:
        raise ValueError(f"key column {key!r} is not among the columns")
    key_col = by_key[key]
    if not Path(path).is_file():
        raise SheetError("sheet not found", file=file)
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # zip, XML and calamine's own errors: all mean not a workbook
        raise _unreadable(exc, file) from None
    try:
        return _read(wb, columns, key_col, file, expected_keys, allow_missing, sheet_title, aliases, lenient)
    except SheetError:
        raise
    except Exception as exc:  # a sheet's part is parsed when it is read: a damaged part fails only here
        raise _unreadable(exc, file) from None
    finally:
        wb.close()


def _unreadable(exc: Exception, file: str) -> SheetError:
    """One line, whatever the parser said (openpyxl's own messages span lines)."""
    said = " ".join(f"{type(exc).__name__}: {exc}".split())
    return SheetError(f"not a readable XLSX workbook ({said[:300]})", file=file)


def _read(wb: Any, columns: list[Column], key_col: Column, file: str,
          expected_keys: Collection[str] | None, allow_missing: bool = False,
          sheet_title: str | None = None, aliases: Mapping[str, str] | None = None,
          lenient: bool = False) -> SheetRead:
    """Map headers to columns, then check and collect each row."""
    sheet_rows = _find_sheet(wb, columns, key_col, file, sheet_title)
    header_row = sheet_rows[0]
    seen: dict[str, int] = {}
    for idx, value in enumerate(header_row):
        name = _norm_header(value)
        if not name:
            continue
        if name in seen:
            raise SheetError(f"header {_cell_text(value)!r} appears twice", file=file, line=1,
                             column=_cell_text(value))
        seen[name] = idx
    # The key and the reviewer's columns must be there; context columns may have been deleted.
    positions: dict[str, int] = {}
    for col in columns:
        idx = seen.get(_own_header(col))
        if idx is None:
            if col is key_col or col.editable:
                raise SheetError(f"missing column {col.header!r}", file=file, line=1,
                                 column=col.header)
            continue
        positions[col.key] = idx
    present = [c for c in columns if c.key in positions]
    expected = None if expected_keys is None else set(expected_keys)

    result = SheetRead()
    rows_of: dict[str, int] = {}      # key (the group's id, with aliases) -> its first row
    written_on: dict[str, int] = {}   # id as written in the sheet -> its row
    ids_of: dict[str, list[str]] = {}  # key -> the ids written for it
    errors: list[SheetError] = []      # every bad row, reported together: one fix per run is too slow
    for line, values in enumerate(sheet_rows[1:], start=2):
        cells = {c.key: _cell_text(values[positions[c.key]])
                 if positions[c.key] < len(values) else "" for c in present}
        if not any(cells.values()):
            continue  # blank rows (or rows Excel keeps for formatting) carry nothing
        record = cells[key_col.key]
        if not record:
            errors.append(SheetError(f"row has no {key_col.header}", file=file, line=line,
                                     column=key_col.header))
            continue
        if record in written_on:
            errors.append(SheetError(f"{key_col.header} {record!r} also on row {written_on[record]}",
                                     file=file, line=line, column=key_col.header))
            continue
        written_on[record] = line
        written = record
        if aliases is not None:
            if record not in aliases and (expected is None or record not in expected):
                errors.append(SheetError(f"{key_col.header} {record!r} is not a record of this review",
                                         file=file, line=line, column=key_col.header))
                continue
            record = aliases.get(record, record)
            if expected is not None and record not in expected:
                result.left.append(written)
                continue
        elif expected is not None and record not in expected:
            errors.append(SheetError(f"unknown {key_col.header} {record!r}", file=file, line=line,
                                     column=key_col.header))
            continue
        bad = len(errors)
        for col in present:
            if col.choices and cells[col.key]:
                try:
                    cells[col.key] = _canonical_choice(cells[col.key], col, file, line)
                except SheetError as exc:
                    errors.append(exc)
        if len(errors) > bad:
            continue
        cells = {**cells, key_col.key: record}
        complete = not any(col.required and col.editable and not cells[col.key] for col in present)
        ids_of.setdefault(record, []).append(written)
        if record in rows_of:
            _merge_row(result, record, written, line, cells, complete, rows_of[record], present)
            continue
        rows_of[record] = line
        if complete:
            result.rows[record] = cells
        else:
            result.pending.append(record)
            result.partial[record] = cells

    if errors and not lenient:
        raise errors[0] if len(errors) == 1 else _all_of(errors, file)
    result.merged = {k: ids for k, ids in ids_of.items() if ids != [k]}
    if expected is not None:
        missing = sorted(expected - rows_of.keys())
        if missing and allow_missing:
            result.pending += missing
        elif missing:
            shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
            raise SheetError(f"{len(missing)} expected {key_col.header} value(s) not in the "
                             f"sheet: {shown}", file=file, column=key_col.header)
    return result


def _all_of(errors: list[SheetError], file: str) -> SheetError:
    """One error that lists every bad cell of a sheet, each with its row and column."""
    listed = "\n".join(f"  row {e.line}, {e.column}: {e.message}" for e in errors)
    return SheetError(f"{len(errors)} problems, all listed (fix them and save the sheet again):\n{listed}",
                      file=file)


def _merge_row(result: SheetRead, key: str, written: str, line: int, cells: dict[str, str], complete: bool,
               first_line: int, present: list[Column]) -> None:
    """A second row for a study (its records were found to be one since the sheet was written)."""
    if not complete or key in result.conflicting:
        return                                   # the first row stands, or the study waits already
    if key not in result.rows:                   # the first row was pending: this one decides
        result.pending.remove(key)
        result.partial.pop(key, None)
        result.rows[key] = cells
        return
    first = result.rows[key]
    decided = [c.key for c in present if c.editable and c.choices]
    if all(first[c] == cells[c] for c in decided):
        if written == key:                       # the group's own record's row wins (its note too)
            result.rows[key] = cells
        return
    shown = "; ".join(f"row {n}: {', '.join(v for v in (r[c] for c in decided) if v)}"
                      for n, r in ((first_line, first), (line, cells)))
    del result.rows[key]
    result.pending.append(key)
    result.conflicting.append(key)
    editable = {c.key for c in present if c.editable}
    again = {k: ("" if k in editable else v) for k, v in cells.items()}
    if "note" in editable:
        again["note"] = f"Found to be one study since: its rows disagreed ({shown}). Decide once."
    result.partial[key] = again


def _canonical_choice(value: str, col: Column, file: str, line: int) -> str:
    """The choice matching `value` case-insensitively, spelled as configured."""
    assert col.choices is not None
    folded = " ".join(value.split()).casefold()
    for choice in col.choices:
        if choice.casefold() == folded:
            return choice
    raise SheetError(f"{value!r} is not one of {', '.join(col.choices)}", file=file, line=line,
                     column=col.header)


# --------------------------------------------------------------------------- carrying decisions


def read_returned(path: str | os.PathLike | None, columns: list[Column], *, key: str = "record_id",
                  sheet_title: str | None = None, aliases: Mapping[str, str] | None = None) -> SheetRead | None:
    """A person's returned sheet as it is (any keys), to carry into its regenerated copy; None if
    there is none. With `aliases`, rows are read for the duplicate group their record is in today.

    Never an error: the stage that reads the decisions reports a bad sheet, every problem at once.
    Regenerating the sheets must not fail with it, or the run would take away every person's blank
    sheet for one person's typo. So the good rows are carried, a bad row is not (the person's own file
    is never written), and a file that cannot be read as a sheet at all carries nothing."""
    if path is None or not Path(path).exists():
        return None
    try:
        return read_sheet(path, columns, key=key, sheet_title=sheet_title, aliases=aliases, lenient=True)
    except SheetError:
        return None


def carry_over(rows: Sequence[dict], columns: Sequence[Column], returned: SheetRead | None, *,
               key: str = "record_id") -> list[dict]:
    """`rows` of a regenerated sheet with what a person already entered in their returned sheet.

    Matched by key, so new rows, rows in another order and rows that left the stage are all fine:
    the new sheet holds every decision made on its rows, and the returned file is never written.
    A complete row brings all its editable cells (an emptied suggestion stays empty); a pending
    row brings the cells it has (a note without a decision)."""
    if returned is None:
        return list(rows)
    editable = [c.key for c in columns if c.editable]
    out = []
    for row in rows:
        k = str(row.get(key) or "").strip()
        done, part = returned.rows.get(k), returned.partial.get(k)
        if done is not None:
            row = {**row, **{c: done.get(c, "") for c in editable if c in done}}
        elif part is not None:
            row = {**row, **{c: part[c] for c in editable if part.get(c)}}
        out.append(row)
    return out
