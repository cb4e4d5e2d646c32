"""The 单位信息 sheet of the template workbook: one row per village/community with the facts the
election procedure rules (PR) read; headers, drop-downs and a note on every header."""

from __future__ import annotations

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..messages import Catalogue, pick
from ..roster.sheets import UNIT_SHEETS
from ..roster.types import field_type
from .columns import UNIT_FIELDS

UNIT_SHEET = UNIT_SHEETS[0]
TITLE_ROW, HINT_ROW, HEADER_ROW = 1, 2, 3
FIRST_DATA_ROW, LAST_DATA_ROW = 4, 1000
_TEXT = Catalogue(__name__, {
    "hint": ("每个村(社区)填一行，乡镇(街道)、村(社区)名称与名单一致；职数、人数填整数，日期如 2021-01-10；"
             "选举日期空白按基准日。用于检查换届程序（差额、公布天数、审计公布、党组织设置等）。",
             "One row per village/community, named as in the roster; seats and counts as whole numbers, dates"
             " like 2021-01-10; a blank election date means the reference date. Read by the election procedure"
             " rules (PR)."),
})


def write_unit_sheet(ws: Worksheet, lang: str = "zh") -> None:
    from ..template import (
        _BORDER,
        _HEADER_FILL,
        _REQUIRED_FILL,
        _display_width,
        _validation,
    )

    columns = list(UNIT_FIELDS)
    ncols = len(columns) + 1
    last = get_column_letter(ncols)
    ws.cell(TITLE_ROW, 1, "村(社区)“两委”换届基本情况表")
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    ws.cell(TITLE_ROW, 1).font = Font(size=16, bold=True)
    ws.cell(TITLE_ROW, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.cell(HINT_ROW, 1, _TEXT.text("hint", lang))
    ws.merge_cells(f"A{HINT_ROW}:{last}{HINT_ROW}")
    ws.cell(HINT_ROW, 1).font = Font(size=10, color="C00000")
    ws.cell(HEADER_ROW, 1, "序号")
    for j, f in enumerate(columns, start=2):
        cell = ws.cell(HEADER_ROW, j, f.header)
        note = [field_type(f.type).help_text(lang)]
        if f.aliases:
            note.append((pick(lang, "别名：", "aliases: ")) + "、".join(f.aliases))
        if f.description:
            note.append(f.description)
        if f.key == "unit":
            note.append(pick(lang, "必填，与名单中的名称一致", "required, as in the roster"))
        cell.comment = Comment("\n".join(note), "vetting")
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = max(8, min(_display_width(f.header) + 2, 20))
        dv = _validation(f, lang)
        if dv is not None:
            dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_DATA_ROW}")
            ws.add_data_validation(dv)
        if f.type == "date":
            ws.column_dimensions[letter].number_format = "@"
    for j in range(1, ncols + 1):
        cell = ws.cell(HEADER_ROW, j)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
        cell.fill = _REQUIRED_FILL if j > 1 and columns[j - 2].key == "unit" else _HEADER_FILL
    ws.row_dimensions[HEADER_ROW].height = 36
    ws.column_dimensions["A"].width = 6
    ws.freeze_panes = f"D{FIRST_DATA_ROW}"
