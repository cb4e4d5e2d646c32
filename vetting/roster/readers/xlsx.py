"""The xlsx reader: the header row among the first rows of a sheet, merged cells filled,
titles and signature lines kept as notes."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from ...errors import UserError
from ..headers import HeaderMatcher
from ..sheets import is_plan_sheet, is_unit_sheet
from .common import (
    HEADER_SCAN_ROWS,
    RawTable,
    _find_header,
    _generated_header,
    _HeaderScan,
    _is_note,
    _no_header_error,
    _note_text,
    _scalar_text,
    column_letter,
)
from .xlsx_guard import check_workbook


def _open_workbook(path: str, data: bytes) -> Any:
    from python_calamine import CalamineError, CalamineWorkbook

    check_workbook(path, data)  # zip bombs and far-away cells, before any dense grid is built

    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, OSError, ValueError) as e:
        if data[:8] == bytes.fromhex("D0CF11E0A1B11AE1"):
            hint = (
                "该文件可能设置了打开密码，或是改了扩展名的旧版 .xls 文件：请在 Excel 中取消密码，"
                "并用 文件→另存为→Excel 工作簿(*.xlsx) 保存。 / The file may be password-protected"
                " or an old .xls file renamed to .xlsx: remove the password and save it as .xlsx."
            )
        elif _looks_like_text(data):
            hint = (
                "该文件看起来是文本文件（可能是 CSV），请把扩展名改为 .csv。 / It looks like a text"
                " file (CSV?): rename it to .csv."
            )
        else:
            hint = "请在 Excel 中打开并另存为 .xlsx。 / Open it in Excel and save it as .xlsx."
        raise UserError(
            f"无法作为 Excel 工作簿读取 / cannot be read as an Excel workbook: {path} ({e})",
            path=path,
            hint=hint,
        ) from e


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    if b"\0" in head:
        return False
    for enc in ("utf-8", "gb18030"):
        try:
            head.decode(enc)
            return True
        except UnicodeDecodeError:
            continue
    return False


_OTHER = object()


def _sheet_grid(
    ws: Any,
) -> tuple[list[list[str | None]], set[tuple[int, int]], list[tuple[int, int, int, int]]]:
    """Cell text (row-major, from A1), numeric cells and merged ranges of one sheet."""
    raw = ws.to_python(skip_empty_area=False)
    grid: list[list[str | None]] = []
    numeric: set[tuple[int, int]] = set()
    other = _OTHER
    for r, row in enumerate(raw):
        # Most cells are text: one comprehension per row, then a second look at the others.
        out: list[Any] = [(v.strip() or None) if v.__class__ is str else other for v in row]
        if other in out:
            for c, v in enumerate(row):
                if out[c] is other:
                    text, num = _scalar_text(v)
                    if num:
                        numeric.add((r, c))
                    out[c] = text
        grid.append(out)
    width = max((len(row) for row in grid), default=0)
    for row in grid:
        if len(row) < width:
            row.extend([None] * (width - len(row)))
    merges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (ws.merged_cell_ranges or [])]
    return grid, numeric, merges


def _xlsx_candidates(
    grid: list[list[str | None]], merges: list[tuple[int, int, int, int]]
) -> list[tuple[int, list[str | None]]]:
    """The first non-blank rows as header candidates: (row index, cells), with empty cells
    that a merge from a row above covers taking that merge's value (two-row headers)."""
    out: list[tuple[int, list[str | None]]] = []
    for r, row in enumerate(grid):
        if len(out) >= HEADER_SCAN_ROWS:
            break
        if not any(row):
            continue
        out.append((r, _fill_from_above(grid, merges, r)))
    return out


def _fill_from_above(
    grid: list[list[str | None]], merges: list[tuple[int, int, int, int]], r: int
) -> list[str | None]:
    cells = list(grid[r])
    for r0, c0, r1, c1 in merges:
        if r0 < r <= r1 and r0 < len(grid):
            top = grid[r0][c0] if c0 < len(grid[r0]) else None
            for c in range(c0, min(c1, len(cells) - 1) + 1):
                if cells[c] is None:
                    cells[c] = top
    return cells


def _read_xlsx(path: str, data: bytes, matcher: HeaderMatcher, sheet: str | None) -> RawTable:
    wb = _open_workbook(path, data)
    try:
        names: list[str] = list(wb.sheet_names)
        if not names:
            raise UserError("工作簿中没有工作表 / the workbook has no sheets", path=path)
        if sheet is not None:
            name = _pick_sheet(path, names, sheet)
        else:
            name = _first_visible_sheet(wb, names)
        grid, numeric, merges = _load_sheet(path, wb, name)
        cands = _xlsx_candidates(grid, merges)
        scan = _find_header(cands, matcher)
        if scan.index is None:
            others: list[str] = []
            if sheet is None:
                for other in names:
                    if other == name:
                        continue
                    try:
                        g, _, m = _load_sheet(path, wb, other)
                    except UserError:
                        continue
                    if _find_header(_xlsx_candidates(g, m), matcher).index is not None:
                        others.append(other)
            raise _no_header_error(
                path,
                matcher,
                _HeaderScan(None, (0, 0), [(r + 1, cells) for r, cells in scan.first_rows]),
                sheet=name,
                other_sheets=others,
            )
        return _xlsx_table(path, name, grid, numeric, merges, cands, scan.index)
    finally:
        close = getattr(wb, "close", None)
        if close is not None:
            close()


def _pick_sheet(path: str, names: list[str], sheet: str) -> str:
    if sheet in names:
        return sheet
    loose = [n for n in names if n.strip().casefold() == sheet.strip().casefold()]
    if len(loose) == 1:
        return loose[0]
    raise UserError(
        f"工作簿中没有名为“{sheet}”的工作表 / no sheet named '{sheet}'",
        path=path,
        details=["现有工作表 / sheets: " + "、".join(f"“{n}”" for n in names)],
    )


def _first_visible_sheet(wb: Any, names: list[str]) -> str:
    """The first sheet a person sees in Excel (hidden sheets are skipped)."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    for meta in wb.sheets_metadata:
        if meta.visible == SheetVisibleEnum.Visible and meta.typ == SheetTypeEnum.WorkSheet:
            return str(meta.name)
    return names[0]


def _load_sheet(
    path: str, wb: Any, name: str
) -> tuple[list[list[str | None]], set[tuple[int, int]], list[tuple[int, int, int, int]]]:
    from python_calamine import CalamineError

    try:
        ws = wb.get_sheet_by_name(name)
        return _sheet_grid(ws)
    except (CalamineError, ValueError) as e:
        raise UserError(
            f"无法读取工作表“{name}” / cannot read sheet '{name}': {e}", path=path
        ) from e


def _xlsx_table(
    path: str,
    sheet: str,
    grid: list[list[str | None]],
    numeric: set[tuple[int, int]],
    merges: list[tuple[int, int, int, int]],
    cands: list[tuple[int, list[str | None]]],
    header_at: int,
) -> RawTable:
    h = cands[header_at][0]
    header_cells = cands[header_at][1]
    # Rows above the header are titles (notes), except the upper row of a two-row header
    # (its cells are merged down into the header row).
    header_part = {r0 for r0, _, r1, _ in merges if r0 < h <= r1}
    notes: list[tuple[int, str]] = []
    for r, _ in cands[:header_at]:
        if r not in header_part:
            notes.append((r + 1, _note_text([c for c in grid[r] if c])))

    # Classify rows below the header on what the user wrote in them (before merge filling).
    data_idx: list[int] = []
    for r in range(h + 1, len(grid)):
        texts = [c for c in grid[r] if c]
        if not texts:
            continue
        if _is_note(texts):
            notes.append((r + 1, _note_text(texts)))
        else:
            data_idx.append(r)

    # Merged cells in the data area: every cell of the range gets the top-left value.
    is_data = dict.fromkeys(data_idx)
    for r0, c0, r1, c1 in merges:
        if r0 <= h or r0 >= len(grid):  # (a merge on blank rows below the data holds nothing)
            continue
        top = grid[r0][c0] if c0 < len(grid[r0]) else None
        top_numeric = (r0, c0) in numeric
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            if r not in is_data:
                continue
            row = grid[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if (r, c) == (r0, c0):
                    continue
                row[c] = top
                if top_numeric:
                    numeric.add((r, c))
                else:
                    numeric.discard((r, c))

    width = len(header_cells)
    cols_all: list[list[str | None]] = (
        [list(col) for col in zip(*(grid[r] for r in data_idx), strict=True)]
        if data_idx
        else [[] for _ in range(width)]
    )
    row_pos = {r: i for i, r in enumerate(data_idx)}
    numeric_by_col: dict[int, set[int]] = {}
    for r, c in numeric:
        i = row_pos.get(r)
        if i is not None:
            numeric_by_col.setdefault(c, set()).add(i)

    headers: list[str] = []
    columns: list[list[str | None]] = []
    letters: list[str | None] = []
    numeric_out: list[set[int]] = []
    for c in range(width):
        head = header_cells[c]
        col = cols_all[c]
        if head is None and not any(v is not None for v in col):
            continue
        headers.append(head if head is not None else _generated_header(c))
        columns.append(col)
        letters.append(column_letter(c))
        numeric_out.append(numeric_by_col.get(c, set()))
    notes.sort(key=lambda n: n[0])
    return RawTable(
        path=path,
        format="xlsx",
        sheet=sheet,
        header_row=h + 1,
        headers=headers,
        columns=columns,
        rows=[r + 1 for r in data_idx],
        letters=letters,
        numeric=numeric_out,
        notes=notes,
        encoding=None,
    )


# A roster sheet names people: its header has one of these columns.
_PERSON_KEYS = ("name", "id_number")


def _read_xlsx_sheets(
    path: str, data: bytes, matcher: HeaderMatcher, sheets: Sequence[str] | None
) -> tuple[list[RawTable], list[tuple[str, str]]]:
    """Every sheet that holds a roster header (or the `sheets` asked for, in that order), and
    the sheets skipped with the reason: (sheet, reason)."""
    wb = _open_workbook(path, data)
    try:
        names: list[str] = list(wb.sheet_names)
        if not names:
            raise UserError("工作簿中没有工作表 / the workbook has no sheets", path=path)
        if sheets:
            picked: list[str] = []
            for s in sheets:
                name = _pick_sheet(path, names, s)
                if name not in picked:
                    picked.append(name)
            return [_read_one(path, wb, names, name, matcher, asked=True) for name in picked], []
        visible = _visible_worksheets(wb)
        tables: list[RawTable] = []
        skipped: list[tuple[str, str]] = []
        first_error: UserError | None = None
        for name in names:
            if name not in visible:
                skipped.append((name, "隐藏的工作表或图表 / hidden sheet or chart"))
                continue
            if is_unit_sheet(name):
                continue  # the unit table: read as such (vetting.units), not a roster sheet skipped
            if is_plan_sheet(name):
                skipped.append((name, "vetting suggest 写的调整说明，不是名单 / the change list of vetting suggest"))
                continue
            try:
                table = _read_one(path, wb, names, name, matcher, asked=False)
            except UserError as e:
                first_error = first_error or e
                skipped.append((name, "没有可识别的名单表头 / no roster header"))
                continue
            if not any(matcher.match(h) in _PERSON_KEYS for h in table.headers):
                skipped.append((name, "表头没有姓名或身份证号列 / no name or ID number column"))
                continue
            tables.append(table)
        if not tables:
            if first_error is not None:
                raise first_error
            raise UserError(
                "工作簿中没有可读的人员名单工作表 / no sheet of the workbook holds a roster",
                path=path,
                details=[f"工作表“{n}”：{why}" for n, why in skipped],
            )
        return tables, skipped
    finally:
        close = getattr(wb, "close", None)
        if close is not None:
            close()


def _visible_worksheets(wb: Any) -> set[str]:
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    return {
        str(m.name)
        for m in wb.sheets_metadata
        if m.visible == SheetVisibleEnum.Visible and m.typ == SheetTypeEnum.WorkSheet
    }


def _read_one(
    path: str, wb: Any, names: list[str], name: str, matcher: HeaderMatcher, *, asked: bool
) -> RawTable:
    grid, numeric, merges = _load_sheet(path, wb, name)
    cands = _xlsx_candidates(grid, merges)
    scan = _find_header(cands, matcher)
    if scan.index is None:
        raise _no_header_error(
            path,
            matcher,
            _HeaderScan(None, (0, 0), [(r + 1, cells) for r, cells in scan.first_rows]),
            sheet=name,
        )
    return _xlsx_table(path, name, grid, numeric, merges, cands, scan.index)
