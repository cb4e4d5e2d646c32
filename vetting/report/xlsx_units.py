"""The annotated workbook's unit table (单位信息): the sheet whose cells the PR findings (and the
unit table's DQ findings) are written on. A 单位信息 sheet of the roster workbook is annotated
where it is; a separate unit table is added as its own sheet (a workbook's sheet copied, a CSV /
YAML / JSON table laid out from its text, CSV cells where they were in the file)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter

from ..result import LintResult


def unit_targets(result: LintResult, wb: Workbook, targets: list[Any], target_cls: Any, copy_sheet: Any,
                 header_letters: Any, sheet_title: Any) -> list[Any]:
    table = getattr(result.roster, "units", None)
    if table is None:
        return []
    out = []
    taken = set(wb.sheetnames)
    roster_paths = {tg.src.path for tg in targets}
    for i, src in enumerate(table.sources):
        if src.format == "xlsx" and src.path in roster_paths and src.sheet in wb.sheetnames:
            ws = wb[src.sheet]  # the roster workbook's own 单位信息 sheet
        elif src.format == "xlsx":
            swb = load_workbook(src.path)
            sws = swb[src.sheet] if src.sheet in swb.sheetnames else swb.worksheets[0]
            ws = wb.create_sheet(sheet_title(sws.title if sws.title not in taken else f"{Path(src.path).stem}-{sws.title}", taken))
            copy_sheet(sws, ws)
            swb.close()
        else:
            ws = wb.create_sheet(sheet_title(Path(src.path).stem, taken))
            _lay_out(ws, table, i, src)
            if src.format != "csv":  # records: one per row from row 2, as the roster's
                rows = [r.row for r in table.rows if r.src == i]
                out.append(target_cls(ws, src, dict(zip(rows, range(2, 2 + len(rows)), strict=True)),
                                      _letters(src), 1))
                taken.add(ws.title)
                continue
        taken.add(ws.title)
        out.append(target_cls(ws, src, None, header_letters(src), src.header_row))
    return out


def _letters(src: Any) -> dict[str, str]:
    """Records laid out one column per known key, in the table's order."""
    return {header: get_column_letter(j) for j, (header, _) in enumerate(src.columns.values(), start=1)}


def _lay_out(ws: Any, table: Any, i: int, src: Any) -> None:
    """The table's text: CSV cells at their letters and lines, records one per row."""
    csv = src.format == "csv"
    header_row = max(src.header_row, 1) if csv else 1
    keys = list(src.columns)
    for j, key in enumerate(keys, start=1):
        header, letter = src.columns[key]
        col = column_index_from_string(letter) if csv and letter else j
        c = ws.cell(header_row, col, header)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="F2F2F2")
        ws.column_dimensions[get_column_letter(col)].width = 14
    rows = [r for r in table.rows if r.src == i]
    for n, r in enumerate(rows):
        out_row = r.row if csv else 2 + n
        for j, key in enumerate(keys, start=1):
            header, letter = src.columns[key]
            col = column_index_from_string(letter) if csv and letter else j
            v = r.raw.get(key)
            if v is not None:
                ws.cell(out_row, col, v)
    if csv:
        for r, text in src.notes:
            ws.cell(r, 1, text)
