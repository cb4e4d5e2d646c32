"""Low-level roster file readers: xlsx, csv, yaml and json into one `RawTable` shape.

A reader finds the header row, keeps every cell the user wrote as text (column-major), and
remembers where each value came from (the row a person sees, the column letter), so that the
caller can match headers, parse values and point at the right cell in messages.

What counts as a row:
- blank rows (every cell empty) are skipped; their row numbers are not reused;
- rows above the header (titles) and rows after it whose every non-empty cell starts like a
  signature/notes line (`填表人：…`, `审核人`, `制表`, `备注`, `说明`, `注：`, `单位（盖章）`) go to
  `notes`, not to the data;
- any other row is data, even when incomplete (the caller reports missing values).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from ..errors import UserError
from .headers import HeaderMatcher

__all__ = ["HEADER_SCAN_ROWS", "RawTable", "column_letter", "read_table"]

# The header must be within the first this-many non-blank rows (lines for CSV).
HEADER_SCAN_ROWS = 30

SUPPORTED = ".xlsx/.xlsm（Excel）、.csv/.tsv/.txt（CSV）、.yaml/.yml、.json"
SUPPORTED_EN = ".xlsx/.xlsm (Excel), .csv/.tsv/.txt (CSV), .yaml/.yml, .json"

_FORMATS: dict[str, str] = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
}

# A signature / notes line below (or above) the table. The same pattern is used by Python `re`
# (xlsx) and by polars (Rust regex, csv), so keep it to the common syntax.
NOTE_PATTERN = (
    r"^(?:填表|填报|制表|审核|审批|审查人|联系人|负责人|经办人|备注|说明|附注|注\s*[:：]"
    r"|[^\s]{0,20}[(（]\s*(?:盖章|公章|签章|签字|签名)\s*[)）])"
)
_NOTE_RE = re.compile(NOTE_PATTERN)
# Digit runs long enough to be an ID or phone number: masked in error messages.
_LONG_DIGITS = re.compile(r"\d{7,}[\dXx]?")


@dataclass(eq=False)
class RawTable:
    """One file's table as text, before header matching and value parsing."""

    path: str  # as the user gave it
    format: str  # "xlsx" | "csv" | "yaml" | "json"
    sheet: str | None  # sheet name for xlsx, else None
    header_row: int  # 1-based row/line of the header as a person sees it; 0 for yaml/json
    headers: list[str]  # one per column, as written (stripped); generated `(列K)` when empty
    # column-major cell text per data row; None = empty cell. A list per column, or (CSV) a
    # polars String series, handed to the loader without a round trip through Python objects.
    columns: list[list[str | None]] | list[pl.Series]
    # per data row: spreadsheet row (xlsx), physical line where the record starts (csv), line of
    # the record's first key (yaml), record index + 1 (json)
    rows: list[int]
    letters: list[str | None]  # per column: spreadsheet column letter (xlsx, csv); None otherwise
    numeric: list[set[int]]  # per column: data-row indices of cells stored as numbers (xlsx)
    notes: list[tuple[int, str]] = field(default_factory=list)  # skipped non-data rows
    encoding: str | None = None  # csv: "utf-8" | "utf-8-sig" | "gb18030"

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    def column_values(self, j: int) -> list[str | None]:
        """Column j as a list (whatever the reader built it as)."""
        col = self.columns[j]
        return col.to_list() if isinstance(col, pl.Series) else list(col)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RawTable):
            return NotImplemented
        mine = [getattr(self, f.name) for f in fields(self) if f.name != "columns"]
        theirs = [getattr(other, f.name) for f in fields(other) if f.name != "columns"]
        return mine == theirs and [self.column_values(j) for j in range(len(self.columns))] == [
            other.column_values(j) for j in range(len(other.columns))
        ]


# ------------------------------------------------------------------------------------------
# entry point


def read_table(path: str | Path, *, matcher: HeaderMatcher, sheet: str | None = None) -> RawTable:
    """Read one roster file. Raises `UserError` for anything the user has to fix."""
    shown = str(path)
    p = Path(path)
    if not p.exists():
        raise UserError(f"文件不存在 / file not found: {shown}", path=shown)
    if p.is_dir():
        raise UserError(
            f"这是一个文件夹，不是文件 / is a directory, not a file: {shown}", path=shown
        )
    ext = p.suffix.lower()
    fmt = _FORMATS.get(ext)
    if fmt is None:
        if ext == ".xls":
            raise UserError(
                "不支持旧版 Excel 97-2003 格式（.xls）/ the old .xls format is not supported",
                path=shown,
                hint=(
                    "请在 Excel 中打开该文件，选择 文件→另存为→Excel 工作簿(*.xlsx) 后再读取。"
                    " / Open it in Excel and save it as .xlsx: File → Save As → Excel Workbook."
                ),
            )
        raise UserError(
            f"不支持的文件格式“{ext or '（无扩展名）'}” / unsupported file type "
            f"'{ext or '(no extension)'}'",
            path=shown,
            hint=f"支持的格式 / supported formats: {SUPPORTED}",
        )
    try:
        data = p.read_bytes()
    except OSError as e:
        raise UserError(
            f"无法读取文件 / cannot read the file: {e.strerror or e}", path=shown
        ) from e
    if not data[:65536].strip() and not data.strip():
        raise UserError("文件为空 / the file is empty", path=shown)
    if fmt == "xlsx":
        return _read_xlsx(shown, data, matcher, sheet)
    if fmt == "csv":
        # The bytes are handed over in a box that the CSV reader empties once polars has read
        # them (a large file's bytes would otherwise stay alive beside the table).
        box = [data]
        del data
        return _read_csv(shown, box, matcher, tab=ext == ".tsv")
    if fmt == "yaml":
        return _read_yaml(shown, data)
    return _read_json(shown, data)


# ------------------------------------------------------------------------------------------
# shared helpers


def column_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA"."""
    s = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _generated_header(index: int) -> str:
    return f"(列{column_letter(index)})"


def _number_text(v: float | int) -> str:
    """A number as a person sees it: integral values without `.0`, no binary noise.

    Integral floats of 16 digits or more keep Excel's 15 significant digits, so an ID number
    that Excel stored as 4.10103198503081E+17 reads "410103198503081000", as Excel shows it
    (the damage stays visible instead of hiding behind `...081024`).
    """
    if isinstance(v, int):
        return str(int(v))
    if not math.isfinite(v):
        return repr(v)
    if v.is_integer():
        if -1e15 < v < 1e15:
            return str(int(v))
        return str(int(Decimal(format(v, ".15g"))))
    return repr(float(v))


def _date_text(v: dt.date) -> str:
    if isinstance(v, dt.datetime):
        if v.time() == dt.time(0, 0) and v.tzinfo is None:
            return v.date().isoformat()
        return v.isoformat(sep=" ")
    return v.isoformat()


def _scalar_text(v: Any) -> tuple[str | None, bool]:
    """(text, stored-as-number) for one value from a workbook, YAML or JSON."""
    if v is None:
        return None, False
    if isinstance(v, str):
        return (v.strip() or None), False
    if isinstance(v, bool):
        return ("是" if v else "否"), False
    if isinstance(v, int | float):
        return _number_text(v), True
    if isinstance(v, dt.date):
        return _date_text(v), False
    if isinstance(v, dt.time):
        return v.isoformat(), False
    if isinstance(v, dt.timedelta):
        return str(v), False
    s = str(v).strip()
    return (s or None), False


def _is_note(texts: Sequence[str]) -> bool:
    return bool(texts) and all(_NOTE_RE.match(t) for t in texts)


def _note_text(texts: Sequence[str]) -> str:
    seen: list[str] = []
    for t in texts:
        if t not in seen:
            seen.append(t)
    return " ".join(seen)


def _mask(text: str) -> str:
    return _LONG_DIGITS.sub(lambda m: m[0][:3] + "*" * (len(m[0]) - 3), text)


@dataclass
class _HeaderScan:
    """The outcome of looking for the header among the first rows."""

    index: int | None  # position in the candidate list
    score: tuple[int, int]
    first_rows: list[tuple[int, list[str | None]]]  # (row number, cells) of the scanned rows


def _find_header(
    candidates: Sequence[tuple[int, Sequence[str | None]]], matcher: HeaderMatcher
) -> _HeaderScan:
    """The header is the candidate with the most recognised cells (at least 2, one of them a
    required field); ties go to the row with more distinct non-empty cells (the sub-header row
    of a two-row header), then to the first."""
    required = {k for k, f in matcher.fields.items() if f.required}
    best: int | None = None
    best_score = (0, 0)
    for i, (_, cells) in enumerate(candidates):
        keys = [matcher.match(c) for c in cells if c]
        recognised = [k for k in keys if k is not None]
        n = len(recognised)
        if n < 2 or (required and not required.intersection(recognised)):
            continue
        score = (n, len({c for c in cells if c}))
        if score > best_score:
            best, best_score = i, score
    return _HeaderScan(best, best_score, [(r, list(c)) for r, c in candidates])


def _no_header_error(
    path: str,
    matcher: HeaderMatcher,
    scan: _HeaderScan,
    *,
    sheet: str | None = None,
    other_sheets: Sequence[str] = (),
) -> UserError:
    expected = matcher.expected_headers()
    others = [f.header for f in matcher.fields.values() if not f.required]
    where = f"工作表“{sheet}”" if sheet is not None else "文件"
    details = [
        "必须包含的列 / required columns: " + "、".join(expected),
        "其他可识别的列（部分）/ other known columns (some): " + "、".join(others[:20]),
    ]
    if scan.first_rows:
        details.append("前几行的内容 / the first rows look like:")
        for r, cells in scan.first_rows[:5]:
            shown = " | ".join(c for c in cells if c)
            shown = _mask(shown)
            if len(shown) > 120:
                shown = shown[:117] + "..."
            details.append(f"第 {r} 行 / row {r}: {shown}")
    else:
        details.append("没有任何非空行 / there are no non-empty rows")
    hint = (
        "表头行应在前 30 个非空行之内，至少包含“姓名”“身份证号”“村(社区)”中的一列和另一可识别列。"
        " / The header must be within the first 30 non-empty rows and name at least two known"
        " columns, one of them a required one."
    )
    if other_sheets:
        hint += (
            " 以下工作表有可识别的表头，可用 --sheet 指定 / these sheets do have a header, pick one"
            " with --sheet: " + "、".join(other_sheets)
        )
    return UserError(
        f"在{where}中找不到表头行 / no header row found"
        + (f" in sheet '{sheet}'" if sheet is not None else ""),
        path=path,
        details=details,
        hint=hint,
    )


# ------------------------------------------------------------------------------------------
# xlsx


def _open_workbook(path: str, data: bytes) -> Any:
    from python_calamine import CalamineError, CalamineWorkbook

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
        if r0 < r <= r1:
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
        if r0 <= h:
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


# ------------------------------------------------------------------------------------------
# csv


def _decode(path: str, data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            raise _encoding_error(path, e) from e
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as e:
        raise _encoding_error(path, e) from e


def _encoding_error(path: str, e: UnicodeDecodeError) -> UserError:
    return UserError(
        "无法识别文件编码（既不是 UTF-8 也不是 GBK/GB18030）/ unknown text encoding (neither"
        f" UTF-8 nor GBK/GB18030) at byte {e.start}",
        path=path,
        hint="请用 Excel 或记事本另存为“CSV UTF-8”。 / Save it again as 'CSV UTF-8'.",
    )


@dataclass
class _Record:
    cells: list[str]
    line: int  # physical line where the record starts
    last: int  # physical line where it ends (later than `line` when a quoted cell has breaks)
    end: int  # text offset just after the record


def _csv_records(text: str, sep: str) -> Iterator[_Record]:
    """Records with the physical line each starts on and the text offset after it."""
    f = io.StringIO(text, newline="")
    reader = csv.reader(f, delimiter=sep, quotechar='"', strict=False)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        yield _Record(cells, start, reader.line_num, f.tell())


def _scan_csv(
    path: str, text: str, sep: str, matcher: HeaderMatcher, *, complete: bool = True
) -> tuple[_HeaderScan, list[_Record]]:
    """The first non-blank records and the header among them. Works on a growing prefix of the
    text (a prefix's last record may be cut short and is not used), not on the whole file.
    When `text` is only the head of the file (not `complete`) and that is not enough, raises
    `_NeedMore`."""
    size = 1 << 16
    while True:
        chunk = text[:size]
        truncated = len(chunk) < len(text) or not complete
        if not complete and size > len(text) and size > 1 << 16:
            raise _NeedMore
        cands: list[tuple[int, list[str | None]]] = []
        records: list[_Record] = []
        try:
            for rec in _csv_records(chunk, sep):
                if truncated and rec.end >= len(chunk):
                    break
                cells = [c.strip() or None for c in rec.cells]
                if not any(cells):
                    continue
                records.append(rec)
                cands.append((rec.line, cells))
                if len(cands) >= HEADER_SCAN_ROWS:
                    break
        except csv.Error as e:
            if not truncated:
                raise UserError(f"CSV 格式错误 / malformed CSV: {e}", path=path) from e
            size *= 8
            continue
        if len(cands) >= HEADER_SCAN_ROWS or not truncated:
            return _find_header(cands, matcher), records
        size *= 8


# A large UTF-8 file is read without decoding all of it in Python: the header is found in the
# first part, and polars reads (and checks) the rest.
_HEAD_BYTES = 1 << 20


def _read_csv(path: str, box: list[bytes], matcher: HeaderMatcher, *, tab: bool) -> RawTable:
    """`box` holds the file's bytes (and is emptied when polars has read them)."""
    if len(box[0]) > _HEAD_BYTES:
        bom = 3 if box[0].startswith(b"\xef\xbb\xbf") else 0
        try:
            head = codecs.getincrementaldecoder("utf-8")().decode(box[0][bom : bom + _HEAD_BYTES], final=False)
        except UnicodeDecodeError:
            head = None
        if head is not None:
            table = _read_csv_text(path, box, head, "utf-8-sig" if bom else "utf-8", matcher, tab=tab, complete=False)
            if table is not None:
                return table
    text, encoding = _decode(path, box[0])
    table = _read_csv_text(path, box, text, encoding, matcher, tab=tab, complete=True)
    assert table is not None
    return table


class _NeedMore(Exception):
    """The header scan ran past the decoded head of the file."""


def _read_csv_text(
    path: str, box: list[bytes], text: str, encoding: str, matcher: HeaderMatcher, *, tab: bool, complete: bool
) -> RawTable | None:
    """Read from `text`, the decoded file or (not `complete`) its head; None when the head is
    not enough (the caller then decodes the whole file)."""
    reencode = encoding == "gb18030"  # the UTF-8 bytes are needed below, not the GB18030 ones
    try:
        if tab:
            scan, records = _scan_csv(path, text, "\t", matcher, complete=complete)
            sep = "\t"
        else:
            scan, records = _scan_csv(path, text, ",", matcher, complete=complete)
            sep = ","
            tscan, trecords = _scan_csv(path, text, "\t", matcher, complete=complete)
            if tscan.index is not None:
                use_tab = scan.index is None or tscan.score > scan.score
                if not use_tab and tscan.score == scan.score and scan.index is not None:
                    header_line = records[scan.index].cells
                    joined = sep.join(header_line)
                    use_tab = joined.count("\t") > joined.count(",")
                if use_tab:
                    scan, records, sep = tscan, trecords, "\t"
    except _NeedMore:
        return None
    if scan.index is None:
        if not complete:
            return None
        raise _no_header_error(path, matcher, scan)
    header_rec = records[scan.index]
    header_cells = [c.strip() or None for c in header_rec.cells]
    notes = [
        (r.line, _note_text([c.strip() for c in r.cells if c.strip()]))
        for r in records[: scan.index]
    ]
    # The data part as UTF-8 bytes, for polars: a slice of the file itself when it is UTF-8.
    if reencode:
        body, start = [text[header_rec.end :].encode("utf-8")], 0
    else:
        bom = 3 if encoding == "utf-8-sig" else 0
        body, start = box, bom + len(text[: header_rec.end].encode("utf-8"))  # no copy

    frame: pl.DataFrame | None = None
    strip: bool | set[str]
    if _fast_path_ok(body[0], start):
        frame = _csv_fast(body, start, sep)
    if frame is None:
        if not complete:
            return None
        frame, line_list = _csv_slow(path, text, sep, header_rec)
        lines = pl.Series("_line", line_list, dtype=pl.Int64)
        strip = True
    else:
        first = header_rec.last + 1
        lines = pl.int_range(first, first + frame.height, dtype=pl.Int64, eager=True).alias("_line")
        strip = _columns_to_strip(frame)
    return _csv_table(path, encoding, header_rec.line, header_cells, frame, lines, notes, strip=strip)


def _fast_path_ok(buf: bytes, start: int) -> bool:
    """polars can read the body (`buf` from `start`, UTF-8) and data row i is on its line i: no
    quotes and no bare carriage returns (`_csv_fast` checks that no line went missing)."""
    if buf.find(b'"', start) >= 0:
        return False
    if buf.find(b"\r", start) < 0:
        return True
    return buf.count(b"\r", start) == buf.count(b"\r\n", start)


# White space as polars' `strip_chars` sees it (Unicode White_Space).
_WHITE_SPACE = [
    "\t", "\n", "\x0b", "\x0c", "\r", " ", "\x85", "\xa0", "\u1680",
    *(chr(c) for c in range(0x2000, 0x200B)), "\u2028", "\u2029", "\u202f", "\u205f", "\u3000",
]


def _columns_to_strip(frame: pl.DataFrame) -> set[str]:
    """The columns where some cell starts or ends with white space: first those with white
    space anywhere (a fast multi-literal search), then the exact test on those few. Stripping
    every cell of every column instead costs several times more."""
    if not frame.width or not frame.height:
        return set()
    spaced = frame.select([pl.col(c).cast(pl.String).str.contains_any(_WHITE_SPACE).any() for c in frame.columns]).row(0)
    some = [c for c, has in zip(frame.columns, spaced, strict=True) if has]
    if not some:
        return set()
    edged = frame.select([pl.col(c).cast(pl.String).str.contains(r"^\s|\s$").any() for c in some]).row(0)
    return {c for c, has in zip(some, edged, strict=True) if has}


def _csv_fast(box: list[bytes], start: int, sep: str) -> pl.DataFrame | None:
    """Data rows read by polars (all strings), row i from line i of the body (the bytes in
    `box` from `start`; the box is emptied when they are read); None when polars cannot
    (ragged lines). Line numbers are kept apart (see `_csv_table`), not as a column."""
    buf = box[0]
    if start >= len(buf):
        return _frame_from_rows([], 0)
    skip = 0
    if start and buf[start - 1 : start] == b"\n":
        skip = buf.count(b"\n", 0, start)  # polars skips the head's lines: no copy of the body
    elif start:
        buf, start = buf[start:], 0
    try:
        df = pl.read_csv(
            io.BytesIO(buf),
            skip_lines=skip,
            has_header=False,
            infer_schema=False,
            separator=sep,
            quote_char='"',
            raise_if_empty=False,
        )
    except (pl.exceptions.ComputeError, pl.exceptions.SchemaError, pl.exceptions.NoDataError):
        return None
    lines = buf.count(b"\n", start) + (0 if buf.endswith(b"\n") else 1)
    if df.height != lines:  # a blank line skipped: row i would no longer be line start+i
        return None
    del buf
    box.clear()  # the bytes are no longer needed: freed before the columns are copied below
    # One piece per column, a column at a time (the pieces are freed as it goes): columns of
    # different chunkings make polars rechunk whole frames later, copying every column at once.
    cols: list[pl.Series | None] = list(df.get_columns())
    del df

    def one_piece(i: int) -> pl.Series:
        col, cols[i] = cols[i], None
        assert col is not None
        return col.rechunk().alias(f"c{i}")

    if len(cols) > 1 and cols[0] is not None and cols[0].len() >= 20_000:
        from concurrent.futures import ThreadPoolExecutor  # (imported when needed: start-up)

        with ThreadPoolExecutor(max_workers=2) as pool:  # copying releases the GIL
            return pl.DataFrame(list(pool.map(one_piece, range(len(cols)))))
    return pl.DataFrame([one_piece(i) for i in range(len(cols))])


def _csv_slow(path: str, text: str, sep: str, header_rec: _Record) -> tuple[pl.DataFrame, list[int]]:
    f = io.StringIO(text, newline="")
    f.seek(header_rec.end)
    reader = csv.reader(f, delimiter=sep, quotechar='"', strict=False)
    base = header_rec.last
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        while True:
            start = base + reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            if not cells:
                continue  # an empty line
            rows.append(cells)
            lines.append(start)
    except csv.Error as e:
        raise UserError(
            f"CSV 格式错误 / malformed CSV: {e}", path=path, line=base + reader.line_num
        ) from e
    width = max((len(r) for r in rows), default=0)
    return _frame_from_rows(rows, width), lines


def _frame_from_rows(rows: list[list[str]], width: int) -> pl.DataFrame:
    cols: dict[str, Any] = {}
    if rows:
        padded = (r + [""] * (width - len(r)) if len(r) < width else r for r in rows)
        for i, col in enumerate(zip(*padded, strict=True)):
            cols[f"c{i}"] = pl.Series(col, dtype=pl.String)
    return pl.DataFrame(cols)


def _csv_table(
    path: str,
    encoding: str,
    header_line: int,
    header_cells: list[str | None],
    frame: pl.DataFrame,
    lines: pl.Series,
    notes: list[tuple[int, str]],
    *,
    strip: bool | set[str] = True,
) -> RawTable:
    """Shared by the fast and the slow path, so both give the same table. `lines`: the line of
    each row of `frame`. Cells are stripped in the `strip` columns (True: all); in the others
    (where no cell starts or ends with white space) they are taken as polars read them (empty
    = null). Rows are filtered (a copy of every column) only
    when there are blank or notes rows to drop."""
    width = max(len(header_cells), frame.width)
    to_strip = set(frame.columns) if strip is True else set(strip or ())
    exprs = []
    for i in range(width):
        name = f"c{i}"
        if name in frame.columns and name not in to_strip:
            exprs.append(pl.col(name))
        elif name in frame.columns:
            s = pl.col(name).str.strip_chars()
            exprs.append(pl.when(s == "").then(None).otherwise(s).alias(name))
        else:
            exprs.append(pl.lit(None, dtype=pl.String).alias(name))
    names = [f"c{i}" for i in range(width)]
    df = frame.select(*exprs) if width else frame
    if width:
        drop = df.select(pl.all_horizontal([pl.col(n).is_null() for n in names])).to_series()
        # A notes row: every non-empty cell looks like a signature line. Cheap test first (the
        # first non-empty cell), the full one only on the few candidates.
        maybe = df.select(pl.coalesce(names).str.contains(NOTE_PATTERN).fill_null(False) & ~drop).to_series()
        if maybe.any():
            note = pl.all_horizontal(
                [pl.col(n).is_null() | pl.col(n).str.contains(NOTE_PATTERN) for n in names]
            )
            cands = df.filter(maybe).with_columns(lines.filter(maybe))
            is_note = cands.select(note).to_series()
            for row in cands.filter(is_note).select("_line", *names).iter_rows():
                notes.append((int(row[0]), _note_text([c for c in row[1:] if c])))
            if is_note.any():
                drop = drop | lines.is_in(cands.filter(is_note)["_line"].implode())
        if drop.any():
            df, lines = df.filter(~drop), lines.filter(~drop)
    else:
        df, lines = df.head(0), lines.head(0)

    headers: list[str] = []
    columns: list[pl.Series] = []
    letters: list[str | None] = []
    null_counts = df.select(names).null_count().row(0) if width else ()
    for i in range(width):
        head = header_cells[i] if i < len(header_cells) else None
        if head is None and null_counts[i] == df.height:
            continue
        headers.append(head if head is not None else _generated_header(i))
        columns.append(df[names[i]])
        letters.append(column_letter(i))
    notes.sort(key=lambda n: n[0])
    return RawTable(
        path=path,
        format="csv",
        sheet=None,
        header_row=header_line,
        headers=headers,
        columns=columns,
        rows=lines.to_list(),
        letters=letters,
        numeric=[set() for _ in headers],
        notes=notes,
        encoding=encoding,
    )


# ------------------------------------------------------------------------------------------
# yaml / json


def _records_of(
    path: str,
    doc: Any,
    what: str,
    line_of: Callable[[Any], int | None],
    item_line: Callable[[Any, int], int | None],
) -> list[Any]:
    """The list of records: the document itself or its `candidates`; each must be a mapping."""
    if isinstance(doc, dict):
        if "candidates" not in doc:
            raise UserError(
                f"{what} 顶层是映射但没有 candidates 键 / the top-level mapping has no"
                " 'candidates' key",
                path=path,
                line=line_of(doc),
                hint="应为人员记录的列表，或 {candidates: [...]}。 / Expected a list of records"
                " or {candidates: [...]}.",
            )
        doc = doc["candidates"]
    if not isinstance(doc, list):
        raise UserError(
            f"{what} 内容应为人员记录的列表 / expected a list of records, found {_kind(doc)}",
            path=path,
            line=line_of(doc),
            hint="应为人员记录的列表，或 {candidates: [...]}。 / Expected a list of records"
            " or {candidates: [...]}.",
        )
    for i, rec in enumerate(doc):
        if not isinstance(rec, dict):
            raise UserError(
                f"第 {i + 1} 条记录不是映射（键: 值）/ record {i + 1} is not a mapping"
                f" (found {_kind(rec)})",
                path=path,
                line=item_line(doc, i),
            )
    return doc


def _kind(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, dict):
        return "a mapping"
    if isinstance(v, list):
        return "a list"
    return f"a {type(v).__name__.lower()} scalar"


def _value_text(path: str, v: Any, where: str, line: int | None) -> str | None:
    if isinstance(v, list):
        parts = [_value_text(path, x, where, line) for x in v]
        return "、".join(p for p in parts if p) or None
    if isinstance(v, dict):
        raise UserError(
            f"{where} 的值不能是映射 / the value of {where} must not be a mapping",
            path=path,
            line=line,
        )
    return _scalar_text(v)[0]


def _records_table(
    path: str, fmt: str, records: list[Any], rows: list[int], lines: list[int | None]
) -> RawTable:
    headers: dict[str, None] = {}
    keyed: list[dict[str, Any]] = []
    for i, rec in enumerate(records):
        out: dict[str, Any] = {}
        for k, v in rec.items():
            key = str(k).strip() if k is not None else ""
            if not key:
                raise UserError(
                    f"第 {i + 1} 条记录有空键 / record {i + 1} has an empty key",
                    path=path,
                    line=lines[i],
                )
            headers.setdefault(key, None)
            out[key] = _value_text(
                path, v, f"第 {i + 1} 条记录的“{key}” / record {i + 1} '{key}'", lines[i]
            )
        keyed.append(out)
    names = list(headers)
    return RawTable(
        path=path,
        format=fmt,
        sheet=None,
        header_row=0,
        headers=names,
        columns=[[rec.get(h) for rec in keyed] for h in names],
        rows=rows,
        letters=[None for _ in names],
        numeric=[set() for _ in names],
        notes=[],
        encoding=None,
    )


def _read_yaml(path: str, data: bytes) -> RawTable:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    text, _ = _decode(path, data)
    yaml = YAML(typ="rt")
    try:
        doc = yaml.load(text)
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = " ".join(x for x in (e.context, e.problem) if x) or str(e)
        raise UserError(
            f"YAML 语法错误 / YAML syntax error: {problem}",
            path=path,
            line=mark.line + 1 if mark is not None else None,
            column=mark.column + 1 if mark is not None else None,
        ) from e
    except YAMLError as e:
        raise UserError(f"YAML 语法错误 / YAML syntax error: {e}", path=path) from e

    def line_of(node: Any) -> int | None:
        lc = getattr(node, "lc", None)
        line = getattr(lc, "line", None)
        return line + 1 if isinstance(line, int) else None

    def item_line(seq: Any, i: int) -> int | None:
        """The line where the i-th item of a sequence starts (its first key for a mapping)."""
        try:
            return int(seq.lc.item(i)[0]) + 1
        except (AttributeError, KeyError, IndexError, TypeError):
            return line_of(seq[i]) if i < len(seq) else None

    records = _records_of(path, doc, "YAML", line_of, item_line)
    seq = doc["candidates"] if isinstance(doc, dict) else doc
    lines = [item_line(seq, i) for i in range(len(records))]
    rows = [ln if ln is not None else i + 1 for i, ln in enumerate(lines)]
    return _records_table(path, "yaml", records, rows, lines)


def _read_json(path: str, data: bytes) -> RawTable:
    text, _ = _decode(path, data)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise UserError(
            f"JSON 语法错误 / JSON syntax error: {e.msg}", path=path, line=e.lineno, column=e.colno
        ) from e
    records = _records_of(path, doc, "JSON", lambda _: None, lambda _, __: None)
    n = len(records)
    return _records_table(path, "json", records, list(range(1, n + 1)), [None] * n)
