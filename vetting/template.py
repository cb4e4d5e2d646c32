"""An empty roster workbook for vetting teams to fill in (`vetting template`).

The workbook has the canonical headers (the input contract of spec/roster.md), drop-down lists
for the enumerated columns, text format for ID number, date and phone columns (so Excel cannot
turn `410103198503081234` into `4.10103E+17` or `1985.03` into a date serial), and a second
sheet that explains every column.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .messages import Catalogue
from .roster.columns import BUILTIN_FIELDS, FieldSpec
from .roster.types import FIELD_TYPES, field_type
from .xlsx_io import save_workbook

SHEET_NAME = "拟任人选"
TITLE_ROW, HINT_ROW, HEADER_ROW = 1, 2, 3
FIRST_DATA_ROW, LAST_DATA_ROW = 4, 2000
SERIAL_HEADER = "序号"

# Excel limits the literal list of a list validation to 255 characters.
MAX_LIST_FORMULA = 255

# Drop-down values by field type (from the field-type registry, `roster/types.py`).
CHOICES: dict[str, tuple[str, ...]] = {name: t.choices for name, t in FIELD_TYPES.items() if t.choices}

# Types whose cells are formatted as text ("@"), so Excel keeps what is typed.
TEXT_FORMAT_TYPES: frozenset[str] = frozenset({"id_number", "id_list", "date", "year", "text"})

# The title row stays in Chinese in both languages, as the headers do: it is part of the form.
_TITLE = '村(社区)"两委"换届拟任人选资格审查表'
_TEXT = Catalogue(__name__, {
    "notes_sheet": ("填表说明", "Notes"),
    "hint": ('填表说明见"填表说明"工作表；身份证号、日期列已设为文本格式，请勿改为数字。',
             'See the "Notes" sheet for every column; ID number and date columns are formatted as text, '
             "do not change them to numbers. Keep the Chinese headers: they are what the tool reads."),
})

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
_EVIDENCE_FILL = PatternFill("solid", fgColor="E2EFDA")
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")

# Evidence types that record a result rather than a finding: blank is "not filled in".
_RESULT_TYPES: frozenset[str] = frozenset({"term_rating", "assessment", "percent"})

# Minimum column width (in Excel character units) by type.
_MIN_WIDTH: dict[str, int] = {"id_number": 21, "id_list": 24, "date": 12, "text": 10}


def _display_width(text: str) -> int:
    """Width in Excel character units: CJK and full-width characters count as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def list_formula(values: Sequence[str]) -> str:
    """The `formula1` of a literal drop-down list; Excel rejects one over 255 characters."""
    formula = '"' + ",".join(values) + '"'
    if len(formula) > MAX_LIST_FORMULA:
        raise ValueError(f"drop-down list too long for Excel ({len(formula)} > 255): {formula}")
    return formula


def template_fields(fields: Sequence[FieldSpec]) -> list[FieldSpec]:
    """The template's columns after 序号: the built-in fields, then the given (evidence) fields,
    each key once."""
    out: dict[str, FieldSpec] = {f.key: f for f in BUILTIN_FIELDS}
    for f in fields:
        out.setdefault(f.key, f)
    return list(out.values())


def _note(f: FieldSpec, evidence: bool, lang: str) -> str:
    zh = lang != "en"
    parts: list[str] = []
    if f.required:
        parts.append("必填" if zh else "required")
    elif evidence and f.type in _RESULT_TYPES:
        parts.append("考察、考核或推荐结果" if zh else "result of an assessment, rating or vote")
    elif evidence and getattr(f, "blank", "none") == "unknown":
        parts.append(
            "联审结果，留空表示情况不明，相关规则无法判定"
            if zh
            else "joint review result; blank = unknown, rules that need it cannot decide"
        )
    elif evidence:
        parts.append(
            "联审结果，留空表示联审未发现问题" if zh else "joint review result; blank = no finding"
        )
    else:
        parts.append("选填" if zh else "optional")
    if f.type == "flag_text":
        parts.append(
            "可填“是/否”或情况说明（填写说明即视为“是”）"
            if zh
            else "是/否 or a description (a description counts as 是)"
        )
    if f.key in ("gender", "birth_date"):
        parts.append("空白时按身份证号推算" if zh else "taken from the ID number when blank")
    if f.key == "unit_type":
        parts.append("空白时按村(社区)名称推断" if zh else "taken from the unit's name when blank")
    if f.type in ("party_post", "committee_post", "supervisory_post"):
        parts.append(
            "三项职务至少填一项；兼任的职务填在同一行"
            if zh
            else "at least one of the three posts; posts held together go in the same row"
        )
    if f.personal:
        parts.append("个人信息，审查结果中默认脱敏" if zh else "personal data, masked in reports")
    if f.description:
        parts.append(f.description)
    return "；".join(parts) if zh else "; ".join(parts)


def _validation(f: FieldSpec, lang: str) -> DataValidation | None:
    values = CHOICES.get(f.type)
    if values is None:
        return None
    dv = DataValidation(type="list", formula1=list_formula(values), allow_blank=True)
    dv.showDropDown = False  # (sic) False shows the in-cell arrow
    if f.type == "flag_text":
        # A description may be typed instead of 是/否: warn nothing, stop nothing.
        dv.showErrorMessage = False
        dv.errorStyle = "information"
        dv.showInputMessage = True
        dv.promptTitle = f.header[:32]
        dv.prompt = (
            "可选“是/否”，也可直接填写情况说明；留空表示联审未发现问题"
            if lang != "en"
            else "Pick 是/否 or type a description; blank = no finding"
        )
    else:
        dv.showErrorMessage = True
        dv.errorStyle = "stop"
        dv.errorTitle = "输入无效" if lang != "en" else "Invalid value"
        dv.error = ("请从下拉列表中选择：" if lang != "en" else "Pick one of: ") + "、".join(values)
    return dv


def _write_roster_sheet(
    ws: Worksheet, columns: list[FieldSpec], evidence: set[str], lang: str
) -> None:
    ncols = len(columns) + 1
    last = get_column_letter(ncols)

    ws.cell(TITLE_ROW, 1, _TITLE)
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    title = ws.cell(TITLE_ROW, 1)
    title.font = Font(size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[TITLE_ROW].height = 30

    ws.cell(HINT_ROW, 1, _TEXT.text("hint", lang))
    ws.merge_cells(f"A{HINT_ROW}:{last}{HINT_ROW}")
    hint = ws.cell(HINT_ROW, 1)
    hint.font = Font(size=10, color="C00000")
    hint.alignment = Alignment(horizontal="left", vertical="center")

    headers = [SERIAL_HEADER, *(f.header for f in columns)]
    for j, header in enumerate(headers, start=1):
        cell = ws.cell(HEADER_ROW, j, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
        f = columns[j - 2] if j > 1 else None
        if f is not None and f.required:
            cell.fill = _REQUIRED_FILL
        elif f is not None and f.key in evidence:
            cell.fill = _EVIDENCE_FILL
        else:
            cell.fill = _HEADER_FILL
    ws.row_dimensions[HEADER_ROW].height = 36

    ws.column_dimensions["A"].width = 6
    for j, f in enumerate(columns, start=2):
        letter = get_column_letter(j)
        width = max(_MIN_WIDTH.get(f.type, 8), min(_display_width(f.header) + 2, 20))
        ws.column_dimensions[letter].width = width
        rng = f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_DATA_ROW}"
        dv = _validation(f, lang)
        if dv is not None:
            dv.add(rng)
            ws.add_data_validation(dv)
        if f.type in TEXT_FORMAT_TYPES:
            # The column style covers rows typed beyond LAST_DATA_ROW; the cells make sure.
            ws.column_dimensions[letter].number_format = "@"
            for r in range(FIRST_DATA_ROW, LAST_DATA_ROW + 1):
                ws.cell(r, j).number_format = "@"

    # Freeze the rows above the data and the 序号/身份证号/姓名 columns.
    ws.freeze_panes = f"D{FIRST_DATA_ROW}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"


def _write_notes_sheet(
    ws: Worksheet, columns: list[FieldSpec], evidence: set[str], lang: str
) -> None:
    en = lang == "en"
    heads = (
        ("Column", "In English", "Aliases", "Type", "Notes")
        if en
        else ("列名", "可用别名", "类型", "说明")
    )
    for j, h in enumerate(heads, start=1):
        cell = ws.cell(1, j, h)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
    rows: list[tuple[str, ...]] = []
    if en:
        rows.append((SERIAL_HEADER, "running number", "编号", "number", "optional, not checked"))
    else:
        rows.append((SERIAL_HEADER, "编号", "数字", "选填，流水号，不参与审查"))
    for f in columns:
        note = _note(f, f.key in evidence, lang)
        if en:
            rows.append((f.header, f.title_en or "", ", ".join(f.aliases), field_type(f.type).help_text(lang), note))
        else:
            rows.append((f.header, "、".join(f.aliases), field_type(f.type).help_text(lang), note))
    for i, values in enumerate(rows, start=2):
        for j, v in enumerate(values, start=1):
            cell = ws.cell(i, j, v or None)
            cell.alignment = _WRAP_TOP
            cell.border = _BORDER

    general_zh = (
        "通用说明：",
        "1. 第3行为列名，请勿修改列名；可增加其他列，但不参与审查。",
        "2. 每人每个村(社区)填一行，兼任的职务填在同一行的各职务列中。",
        "3. 空白、“/”、“-”、“—”视为未填；日期列中的“无”“暂无”也视为未填。",
        "4. 身份证号请完整填写 18 位，不要存为数字（Excel 只保留 15 位有效数字）。",
    )
    general_en = (
        "General notes:",
        "1. Row 3 holds the headers; do not rename them. Extra columns are kept but not checked.",
        "2. One row per person per unit; posts held together go in the same row.",
        "3. Blank, /, -, — mean not filled in; in date columns 无 and 暂无 too.",
        "4. Type all 18 characters of an ID number as text; Excel keeps only 15 digits of a "
        "number.",
    )
    start = len(rows) + 3
    for k, line in enumerate(general_en if en else general_zh):
        cell = ws.cell(start + k, 1, line)
        cell.font = Font(bold=k == 0)
        ws.merge_cells(
            start_row=start + k, start_column=1, end_row=start + k, end_column=len(heads)
        )

    widths = (22, 24, 28, 46, 60) if en else (22, 28, 46, 60)
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "A2"


def write_template(path: Path, fields: Sequence[FieldSpec], *, lang: str = "zh") -> None:
    """Write an empty roster workbook to `path` (.xlsx).

    Columns: 序号, the built-in fields in catalogue order, then `fields` (normally the evidence
    columns declared by the active policies). Headers are always the canonical Chinese ones;
    `lang="en"` writes the hint line and the notes sheet in English.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"unknown language {lang!r} (zh, en)")
    columns = template_fields(fields)
    builtin = {f.key for f in BUILTIN_FIELDS}
    evidence = {f.key for f in columns if f.key not in builtin}

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_NAME
    _write_roster_sheet(ws, columns, evidence, lang)
    _write_notes_sheet(wb.create_sheet(_TEXT.text("notes_sheet", lang)), columns, evidence, lang)
    from .units.template import UNIT_SHEET, write_unit_sheet

    write_unit_sheet(wb.create_sheet(UNIT_SHEET, 1), lang)
    wb.active = 0
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_workbook(wb, path)


__all__ = ["CHOICES", "SHEET_NAME", "list_formula", "template_fields", "write_template"]
