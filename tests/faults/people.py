"""Playing a person with a spreadsheet program: fill, rename, delete, reorder, save."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

import openpyxl


def data_sheet(wb: openpyxl.Workbook):
    """The sheet people fill (the first one)."""
    return wb.worksheets[0]


def fill(sheet: Path, out: Path, cells: Mapping[str, Mapping[str, object]]) -> Path:
    """Open `sheet`, set {row key: {header: value}} (the key is the first column), save as `out`."""
    wb = openpyxl.load_workbook(sheet)
    ws = data_sheet(wb)
    col = {c.value: c.column for c in ws[1]}
    row = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for key, values in cells.items():
        for header, value in values.items():
            ws.cell(row[key], col[header]).value = value
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def values(sheet: Path) -> dict[str, dict[str, object]]:
    """{row key: {header: value}} of the data sheet, as a person would see it."""
    ws = data_sheet(openpyxl.load_workbook(sheet))
    headers = [c.value for c in ws[1]]
    return {r[0]: dict(zip(headers, r, strict=False)) for r in ws.iter_rows(min_row=2, values_only=True)
            if r[0] is not None}


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
