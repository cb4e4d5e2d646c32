"""Checks on a workbook's ZIP before the xlsx reader opens it: what a 2 KB file can ask of memory.

- Zip bombs: the entries' declared uncompressed sizes must add up to at most `MAX_XLSX_BYTES`
  (300 MB, about 700,000 roster rows; `VETTING_MAX_XLSX_MB` raises it), and no large entry may
  inflate more than `MAX_RATIO` times; the check reads only the ZIP directory.
- Sheet extent: the reader builds a dense grid from A1 to the farthest cell, so one cell at
  `XFD1048576` (or a row number past Excel's 1,048,576) would ask for hundreds of GB. Each sheet's
  XML is scanned (streamed, a chunk at a time) for cells holding a value beyond column
  `MAX_COLUMNS` (1000, `ALL`) or row 1,048,576, and for a grid larger than `MAX_CELLS`.
"""

from __future__ import annotations

import io
import os
import re
import zipfile

from ...errors import UserError
from .common import MAX_COLUMNS, column_letter

__all__ = ["MAX_CELLS", "MAX_COLUMNS", "MAX_XLSX_BYTES", "check_workbook"]

MAX_XLSX_BYTES = int(float(os.environ.get("VETTING_MAX_XLSX_MB", "300")) * 1_000_000)
MAX_RATIO = 200
MAX_ROWS = 1_048_576
MAX_CELLS = int(os.environ.get("VETTING_MAX_XLSX_CELLS", "10000000"))
# A cheap pass finds the rare far references (a column of three letters, a row of seven digits);
# the exact patterns below run only on a chunk that has one. (One regex search: a third of the
# time of mapping letters and digits with bytes.translate and four plain searches.)
# (Possessive: after up to two letters, a third letter or seven digits; no backtracking.)
_SUSPECT = re.compile(rb'r="[A-Z]{0,2}+(?:[A-Z]|[0-9]{7})')
_FAR_COLUMN = re.compile(rb'<c r="([A-Z]{3,})(\d+)"[^>]*?(/?)>')
_LONG_ROW = re.compile(rb'<(?:c|row) r="([A-Z]*)(\d{7,})"[^>]*?(/?)>')
_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?(/?)>')
_HINT = (
    "如确为正常名单，可用环境变量 VETTING_MAX_XLSX_MB / VETTING_MAX_XLSX_CELLS 提高上限；否则请在 Excel 中"
    "删除多余的行列后另存。 / If the workbook is genuine, raise the limit with VETTING_MAX_XLSX_MB or"
    " VETTING_MAX_XLSX_CELLS; otherwise delete the stray rows and columns in Excel and save again."
)


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def check_workbook(path: str, data: bytes, *, keep: bool = False) -> dict[str, list[bytes]]:
    """A `UserError` (exit 2) for a workbook that would exhaust memory; nothing for others (and
    nothing for files that are not ZIPs: the reader says what they are). With `keep`, the
    sheets' XML read on the way, in pieces, by ZIP member name (so that no one has to inflate it
    again)."""
    kept: dict[str, list[bytes]] = {}
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return kept
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_XLSX_BYTES:
            raise UserError(
                f"工作簿解压后有 {total / 1e6:.0f} MB，超过上限 {MAX_XLSX_BYTES / 1e6:.0f} MB / the workbook"
                " inflates beyond the limit",
                path=path, hint=_HINT,
            )
        for i in infos:
            if i.file_size > 10_000_000 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                raise UserError(
                    f"工作簿中的 {i.filename} 压缩比异常（{i.file_size / max(i.compress_size, 1):.0f} 倍），疑似压缩炸弹"
                    " / an entry inflates suspiciously (a zip bomb?)",
                    path=path, hint=_HINT,
                )
        for i in infos:
            if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml"):
                chunks: list[bytes] | None = [] if keep else None
                _check_sheet(path, zf, i, chunks)
                if chunks is not None:
                    kept[i.filename] = chunks
    return kept


def _check_sheet(path: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo, chunks: list[bytes] | None) -> None:
    max_row = 0
    max_col = 0
    tail = b""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(1 << 20)
            if not chunk:
                break
            if chunks is not None:
                chunks.append(chunk)
            buf = tail + chunk
            if _SUSPECT.search(buf):
                for m in _FAR_COLUMN.finditer(buf):
                    if m[3] != b"/":  # a cell that holds something (not only a format)
                        max_col = max(max_col, _col_index(m[1]))
                        max_row = max(max_row, int(m[2]))
                for m in _LONG_ROW.finditer(buf):
                    if m[3] != b"/" or not m[1]:
                        max_row = max(max_row, int(m[2]))
            # the last cells written (rows come in order): the grid's extent so far
            for m in _CELL.finditer(buf, max(0, len(buf) - 8192)):
                if m[3] != b"/":
                    max_col = max(max_col, _col_index(m[1]))
                    max_row = max(max_row, int(m[2]))
            tail = buf[-256:]
            if max_col > MAX_COLUMNS or max_row > MAX_ROWS or max_row * max(max_col, 1) > MAX_CELLS:
                break
    sheet = info.filename.rsplit("/", 1)[-1]
    if max_col > MAX_COLUMNS or max_row > MAX_ROWS:
        raise UserError(
            f"工作表（{sheet}）有数据写到了 {column_letter(max_col - 1) if max_col else ''}{max_row}，超出名单的合理范围"
            f"（最多 {MAX_COLUMNS} 列、{MAX_ROWS} 行）/ a cell lies beyond {MAX_COLUMNS} columns or {MAX_ROWS} rows",
            path=path, hint=_HINT,
        )
    if max_row * max(max_col, 1) > MAX_CELLS:
        raise UserError(
            f"工作表（{sheet}）有 {max_row} 行 × {max_col} 列，超过 {MAX_CELLS} 个单元格的上限 / the sheet's grid is"
            " larger than the limit",
            path=path, hint=_HINT,
        )
