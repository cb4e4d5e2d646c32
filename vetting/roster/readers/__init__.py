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

from collections.abc import Sequence
from pathlib import Path

from ...errors import UserError
from ..headers import HeaderMatcher
from .common import HEADER_SCAN_ROWS, SUPPORTED, RawTable, column_letter
from .csv import _read_csv

# the workbook and YAML/JSON readers are imported by the calls that need them: a CSV roster's
# run does without them (and their imports)

__all__ = ["HEADER_SCAN_ROWS", "SUPPORTED", "RawTable", "column_letter", "read_table", "read_tables"]

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


def read_tables(
    path: str | Path, *, matcher: HeaderMatcher, sheets: Sequence[str] | None = None
) -> tuple[list[RawTable], list[tuple[str, str]]]:
    """Every roster table of one file: a workbook's sheets that hold a roster header (or the
    `sheets` asked for), and the sheets skipped with their reason; one table for other formats."""
    p = Path(path)
    if _FORMATS.get(p.suffix.lower()) == "xlsx":
        from .xlsx import _read_xlsx_sheets

        data = _file_bytes(str(path), p, "xlsx")
        return _read_xlsx_sheets(str(path), data, matcher, sheets)
    return [read_table(path, matcher=matcher)], []


def read_table(path: str | Path, *, matcher: HeaderMatcher, sheet: str | None = None) -> RawTable:
    """Read one roster file (a workbook: one sheet, the first visible one unless `sheet`).
    Raises `UserError` for anything the user has to fix."""
    shown = str(path)
    p = Path(path)
    fmt = _FORMATS.get(p.suffix.lower(), "")
    data = _file_bytes(shown, p, fmt)
    if fmt == "xlsx":
        from .xlsx import _read_xlsx

        return _read_xlsx(shown, data, matcher, sheet)
    if fmt == "csv":
        # The bytes are handed over in a box that the CSV reader empties once polars has read
        # them (a large file's bytes would otherwise stay alive beside the table).
        box = [data]
        del data
        return _read_csv(shown, box, matcher, tab=p.suffix.lower() == ".tsv")
    from .records import _read_json, _read_yaml

    if fmt == "yaml":
        return _read_yaml(shown, data)
    return _read_json(shown, data)


def _file_bytes(shown: str, p: Path, fmt: str) -> bytes:
    """The file's bytes, after the checks every format shares (exists, a file, a known type,
    not empty)."""
    if not p.exists():
        raise UserError(f"文件不存在 / file not found: {shown}", path=shown)
    if p.is_dir():
        raise UserError(
            f"这是一个文件夹，不是文件 / is a directory, not a file: {shown}", path=shown
        )
    if not p.is_file():
        raise UserError(f"不是普通文件 / not a regular file: {shown}", path=shown)
    ext = p.suffix.lower()
    if not fmt:
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
    return data
