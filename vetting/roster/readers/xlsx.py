"""The xlsx reader: the header row among the first rows of a sheet, merged cells filled,
titles and signature lines kept as notes."""

from __future__ import annotations

import gc
import io
from collections.abc import Sequence
from typing import Any

import polars as pl

from ...errors import UserError
from ..headers import HeaderMatcher
from ..sheets import is_plan_sheet, is_unit_sheet
from .common import (
    HEADER_SCAN_ROWS,
    RawTable,
    _find_header,
    _generated_header,
    _HeaderScan,
    _no_header_error,
    _note_text,
    _scalar_text,
    _strip_texts,
    column_letter,
    note_rows,
)
from .xlsx_fast import FastSource, fast_available, fast_columns
from .xlsx_guard import check_workbook


def _open_workbook(path: str, data: bytes) -> tuple[Any, FastSource | None]:
    """The workbook (python-calamine) and, when fastexcel is installed, what the faster path
    for a sheet's cells needs (the file's bytes and the sheets' XML the guard inflated)."""
    from python_calamine import CalamineError, CalamineWorkbook

    fast = fast_available()
    # zip bombs and far-away cells, before any dense grid is built
    kept = check_workbook(path, data, keep=fast)

    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data)), FastSource(data, kept) if fast else None
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


class _Sheet:
    """One sheet's cells as text, column by column from A1: polars String columns of the
    whole sheet height (None = empty cell), the cells stored as numbers (a Boolean column, or
    None when a column has none) and the merged ranges (r0, c0, r1, c1), 0-based."""

    def __init__(
        self, cols: list[pl.Series], numeric: list[pl.Series | None], merges: list[tuple[int, int, int, int]]
    ) -> None:
        self.cols = cols
        self.numeric = numeric
        self.merges = merges
        self.height = len(cols[0]) if cols else 0
        self.width = len(cols)
        self.frame = pl.DataFrame({str(c): col for c, col in enumerate(cols)})
        self._nonblank: list[int] | None = None

    def nonblank_rows(self) -> list[int]:
        """Indices of the rows with at least one cell of text."""
        if self._nonblank is None:
            if not self.width:
                self._nonblank = []
            else:
                mask = self.frame.select(pl.any_horizontal(pl.all().is_not_null()))
                self._nonblank = mask.to_series().arg_true().to_list()
        return self._nonblank

    def rows(self, upto: int) -> list[list[str | None]]:
        """The first `upto` rows as lists of cells (the header area only)."""
        return [list(r) for r in self.frame.head(upto).rows()]

    def row(self, r: int) -> list[str | None]:
        return list(self.frame.row(r)) if self.width else []


def _sheet(ws: Any) -> _Sheet:
    """Cell text of one sheet, built a column at a time: strings are stripped in polars and
    only the cells that are not strings (numbers, dates, ...) pass through Python one by one
    when polars cannot write them as `_scalar_text` does."""
    # The cells arrive as one Python list per row (100,000 rows: 100,000 lists that live until
    # the columns are built). They hold no cycles, so the cyclic collector, which would walk
    # them again and again as they are made, is paused meanwhile (a quarter of this step).
    paused = gc.isenabled()
    gc.disable()
    try:
        return _sheet_columns(ws)
    finally:
        if paused:
            gc.enable()


def _sheet_columns(ws: Any) -> _Sheet:
    raw = ws.to_python(skip_empty_area=False)
    merges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (ws.merged_cell_ranges or [])]
    if not raw:
        return _Sheet([], [], merges)
    width = max(len(row) for row in raw)
    if any(len(row) != width for row in raw):
        raw = [list(row) + [None] * (width - len(row)) for row in raw]
    cols: list[pl.Series] = []
    numeric: list[pl.Series | None] = []
    for values in zip(*raw, strict=True):
        text, num = _column_text(values)
        cols.append(text)
        numeric.append(num)
    return _Sheet(cols, numeric, merges)


def _column_text(values: tuple[Any, ...]) -> tuple[pl.Series, pl.Series | None]:
    """(text, stored-as-number or None) of one column's cells, as `_scalar_text` gives them."""
    try:  # most columns hold only text: no look at each cell's type in Python
        return _strip_texts(pl.Series(values, dtype=pl.String, strict=True)), None
    except TypeError:
        pass
    kinds = set(map(type, values))
    n = len(values)
    text = _strip_texts(pl.Series([v if v.__class__ is str else None for v in values], dtype=pl.String))
    num: pl.Series | None = None
    other: list[int] = []
    if float in kinds:
        floats = pl.Series([v if v.__class__ is float else None for v in values], dtype=pl.Float64)
        is_float = floats.is_not_null()
        # Integral values below 1e15 read as integers; the rest (fractions, Excel's 15-digit
        # ID numbers, inf, nan) go through `_number_text` one by one.
        plain = is_float & floats.is_finite().fill_null(False) & (floats == floats.floor()) & (floats.abs() < 1e15)
        plain = plain.fill_null(False)
        ints = floats.set(~plain, None).cast(pl.Int64).cast(pl.String)  # type: ignore[arg-type]
        text = text.fill_null(ints)
        other.extend((is_float & ~plain).arg_true().to_list())
        num = is_float
    dates = [
        i for i, v in enumerate(values) if v.__class__ is not str and v.__class__ is not float and v is not None
    ] if kinds - {str, float, type(None)} else []
    other.extend(dates)
    if other:
        found = [_scalar_text(values[i]) for i in other]
        text = text.scatter(other, pl.Series([t for t, _ in found], dtype=pl.String))
        flags = [i for i, (_, is_num) in zip(other, found, strict=True) if is_num]
        if flags:
            base = num if num is not None else pl.repeat(False, n, dtype=pl.Boolean, eager=True)
            num = base.scatter(flags, True)
    return text, num


def _xlsx_candidates(sheet: _Sheet) -> list[tuple[int, list[str | None]]]:
    """The first non-blank rows as header candidates: (row index, cells), with empty cells
    that a merge from a row above covers taking that merge's value (two-row headers)."""
    rows = sheet.nonblank_rows()[:HEADER_SCAN_ROWS]
    if not rows:
        return []
    grid = sheet.rows(rows[-1] + 1)
    return [(r, _fill_from_above(grid, sheet.merges, r)) for r in rows]


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
    wb, fast = _open_workbook(path, data)
    try:
        names: list[str] = list(wb.sheet_names)
        if not names:
            raise UserError("工作簿中没有工作表 / the workbook has no sheets", path=path)
        if sheet is not None:
            name = _pick_sheet(path, names, sheet)
        else:
            name = _first_visible_sheet(wb, names)
        grid = _load_sheet(path, wb, name, fast)
        cands = _xlsx_candidates(grid)
        scan = _find_header(cands, matcher)
        if scan.index is None:
            others: list[str] = []
            if sheet is None:
                for other in names:
                    if other == name:
                        continue
                    try:
                        g = _load_sheet(path, wb, other, fast)
                    except UserError:
                        continue
                    if _find_header(_xlsx_candidates(g), matcher).index is not None:
                        others.append(other)
            raise _no_header_error(
                path,
                matcher,
                _HeaderScan(None, (0, 0), [(r + 1, cells) for r, cells in scan.first_rows]),
                sheet=name,
                other_sheets=others,
            )
        return _xlsx_table(path, name, grid, cands, scan.index)
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


def _load_sheet(path: str, wb: Any, name: str, fast: FastSource | None) -> _Sheet:
    from python_calamine import CalamineError

    if fast is not None:
        got = fast_columns(fast, name)
        if got is not None:
            return _Sheet(*got)
    try:
        ws = wb.get_sheet_by_name(name)
        return _sheet(ws)
    except (CalamineError, ValueError) as e:
        raise UserError(
            f"无法读取工作表“{name}” / cannot read sheet '{name}': {e}", path=path
        ) from e


def _xlsx_table(
    path: str,
    sheet_name: str,
    sheet: _Sheet,
    cands: list[tuple[int, list[str | None]]],
    header_at: int,
) -> RawTable:
    h = cands[header_at][0]
    header_cells = cands[header_at][1]
    merges = sheet.merges
    height = sheet.height
    # Rows above the header are titles (notes), except the upper row of a two-row header
    # (its cells are merged down into the header row).
    header_part = {r0 for r0, _, r1, _ in merges if r0 < h <= r1}
    notes: list[tuple[int, str]] = []
    for r, _ in cands[:header_at]:
        if r not in header_part:
            notes.append((r + 1, _note_text([c for c in sheet.row(r) if c])))

    # Classify rows below the header on what the user wrote in them (before merge filling):
    # a row whose every text is a signature or notes line is a note.
    below = [r for r in sheet.nonblank_rows() if r > h]
    noted = set(note_rows(sheet.cols, pl.Series(below, dtype=pl.UInt32)).to_list())
    for r in sorted(noted):
        notes.append((r + 1, _note_text([c for c in sheet.row(r) if c])))
    data_idx: list[int] = [r for r in below if r not in noted]

    # Merged cells in the data area: every cell of the range gets the top-left value.
    cols = list(sheet.cols)
    numeric = list(sheet.numeric)
    is_data = dict.fromkeys(data_idx)
    text_at: dict[int, dict[int, str | None]] = {}
    num_at: dict[int, dict[int, bool]] = {}

    def cell(r: int, c: int) -> tuple[str | None, bool]:
        if r in text_at.get(c, {}):
            return text_at[c][r], num_at[c][r]
        num = numeric[c]
        return cols[c][r], bool(num[r]) if num is not None else False

    for r0, c0, r1, c1 in merges:
        if r0 <= h or r0 >= height:  # (a merge on blank rows below the data holds nothing)
            continue
        top, top_numeric = cell(r0, c0) if c0 < sheet.width else (None, False)
        for r in range(r0, min(r1, height - 1) + 1):
            if r not in is_data:
                continue
            for c in range(c0, min(c1, sheet.width - 1) + 1):
                if (r, c) == (r0, c0):
                    continue
                text_at.setdefault(c, {})[r] = top
                num_at.setdefault(c, {})[r] = top_numeric
    for c, cells in text_at.items():
        at = list(cells)
        cols[c] = cols[c].scatter(at, pl.Series(list(cells.values()), dtype=pl.String))
        base = numeric[c]
        if base is None:
            base = pl.repeat(False, height, dtype=pl.Boolean, eager=True)
        numeric[c] = base.scatter(at, pl.Series(list(num_at[c].values()), dtype=pl.Boolean))

    take = pl.Series(data_idx, dtype=pl.UInt32)
    width = len(header_cells)
    headers: list[str] = []
    columns: list[pl.Series] = []
    letters: list[str | None] = []
    numeric_out: list[set[int]] = []
    for c in range(width):
        head = header_cells[c]
        col = cols[c].gather(take) if c < sheet.width else pl.Series([None] * len(data_idx), dtype=pl.String)
        if head is None and col.null_count() == len(col):
            continue
        headers.append(head if head is not None else _generated_header(c))
        columns.append(col)
        letters.append(column_letter(c))
        num = numeric[c] if c < sheet.width else None
        numeric_out.append(set(num.gather(take).arg_true().to_list()) if num is not None else set())
    notes.sort(key=lambda n: n[0])
    return RawTable(
        path=path,
        format="xlsx",
        sheet=sheet_name,
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
    wb, fast = _open_workbook(path, data)
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
            return [_read_one(path, wb, fast, name, matcher, asked=True) for name in picked], []
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
                table = _read_one(path, wb, fast, name, matcher, asked=False)
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
    path: str, wb: Any, fast: FastSource | None, name: str, matcher: HeaderMatcher, *, asked: bool
) -> RawTable:
    grid = _load_sheet(path, wb, name, fast)
    cands = _xlsx_candidates(grid)
    scan = _find_header(cands, matcher)
    if scan.index is None:
        raise _no_header_error(
            path,
            matcher,
            _HeaderScan(None, (0, 0), [(r + 1, cells) for r, cells in scan.first_rows]),
            sheet=name,
        )
    return _xlsx_table(path, name, grid, cands, scan.index)
