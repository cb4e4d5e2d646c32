"""Request workbooks (`vetting review requests`): one per department, holding only what that
department needs (data minimisation): who the people are, its own answer columns with
drop-downs, a 核查结论 and a 说明 column, and a `说明` sheet with the request's identity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from copy import copy
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import UserError
from ..policy.resolve import EffectivePolicy
from ..policy.review import Department, ReviewConfig
from ..roster.columns import FieldSpec
from ..roster.load import load_roster
from ..template import list_formula
from ..xlsx_io import save_workbook
from .merge import review_config
from .people import People, batch_id, roster_people

DATA_SHEET = "核查名单"
NOTES_SHEET = "说明"
TITLE = "村(社区)“两委”换届候选人联审核查表"
BASE_HEADERS = ("序号", "县(市、区)", "乡镇(街道)", "村(社区)", "姓名", "性别", "身份证号", "拟任职务")
CONCLUSION_HEADER = "核查结论"
REMARK_HEADER = "说明"
CONCLUSIONS = ("无", "有", "待查")
HEADER_ROW = 3
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_ANSWER_FILL = PatternFill("solid", fgColor="FFF2CC")

_HOW_TO: dict[str, str] = {
    "flag": "填“无”或“有”",
    "flag_text": "没有填“无”；有则写明情况（如“2015年因盗窃罪被判处有期徒刑1年”），或填“有”并在“说明”列写明",
    "text": "没有填“无”；有则写明情况",
    "date": "没有填“无”；有则填日期，如 2019-05-08、2019.05 或 2019年5月",
    "year": "没有填“无”；有则填年份，如 2019，多个年份用“、”分隔",
    "term_rating": "填 优秀、称职、基本称职 或 不称职",
    "assessment": "填 优秀、合格、基本合格 或 不合格",
    "percent": "填得票率，如 85% 或 0.85",
}


@dataclass
class WrittenRequest:
    path: Path
    department: str
    round: int
    batch: str
    people: int


def request_name(round_: int, department: str) -> str:
    return f"联审-{round_}-{department}.xlsx"


def write_requests(
    people: People,
    config: ReviewConfig,
    fields: dict[str, FieldSpec],
    out_dir: Path,
    *,
    round_: int = 1,
    departments: list[Department] | None = None,
    date: dt.date,
    force: bool = False,
    roster_name: str = "",
) -> list[WrittenRequest]:
    depts = departments if departments is not None else config.departments
    if not people.people:
        raise UserError("名单中没有可核查的人员（没有有效的身份证号码）/ nobody to ask about")
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = [(d, out_dir / request_name(round_, d.name)) for d in depts]
    existing = [str(p) for _, p in targets if p.exists()]
    if existing and not force:
        raise UserError(
            "以下请求文件已存在；如要覆盖请加 --force / files exist: " + "、".join(existing),
            path=str(out_dir),
        )
    ids = [p.id for p in people.people]
    out: list[WrittenRequest] = []
    for d, path in targets:
        batch = batch_id(round_, d.name, ids)
        _write_one(path, people, d, fields, round_=round_, batch=batch, date=date, roster_name=roster_name)
        out.append(WrittenRequest(path, d.name, round_, batch, len(ids)))
    return out


def _write_one(path: Path, people: People, d: Department, fields: dict[str, FieldSpec], *, round_: int, batch: str,
               date: dt.date, roster_name: str) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    answer_fields = [fields[k] for k in d.answers]
    headers = [*BASE_HEADERS, *(f.header for f in answer_fields), CONCLUSION_HEADER, REMARK_HEADER]
    width = len(headers)
    ws.cell(1, 1, f"{TITLE}（{d.name}·第{round_}轮）").font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.cell(2, 1, f"核查单位：{d.name}")
    ws.cell(2, 4, f"轮次：第{round_}轮")
    ws.cell(2, 7, f"批次号：{batch}")
    for j, h in enumerate(headers, start=1):
        c = ws.cell(HEADER_ROW, j, h)
        c.font = Font(bold=True)
        c.fill = _ANSWER_FILL if j > len(BASE_HEADERS) else _HEAD_FILL
        c.border = _BORDER
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for j, f in enumerate(answer_fields, start=len(BASE_HEADERS) + 1):
        ws.cell(HEADER_ROW, j).comment = Comment(_HOW_TO.get(f.type, "按实际情况填写"), "vetting")
    first = HEADER_ROW + 1
    last = HEADER_ROW + len(people.people)
    id_col = BASE_HEADERS.index("身份证号") + 1
    styles: list[StyleArray] = []  # each column's cell style, made on the first row, copied below
    for i, p in enumerate(people.people):
        r = first + i
        row = [i + 1, p.district, p.township, "、".join(p.units) or p.unit, p.name, p.gender, p.id, p.posts]
        if styles:  # (setting a style attribute per cell costs most of a county's request)
            for j, v in enumerate(row, start=1):
                ws.cell(r, j, v)._style = copy(styles[j - 1])
            for j in range(len(BASE_HEADERS) + 1, width + 1):
                ws.cell(r, j)._style = copy(styles[j - 1])
            continue
        for j, v in enumerate(row, start=1):
            c = ws.cell(r, j, v)
            c.border = _BORDER
        ws.cell(r, id_col).number_format = "@"
        for j in range(len(BASE_HEADERS) + 1, width + 1):
            c = ws.cell(r, j)
            c.border = _BORDER
            c.number_format = "@"  # dates and years stay as typed
        styles = [ws.cell(r, j)._style for j in range(1, width + 1)]
    # Drop-downs: flags (a description is allowed where the column takes one), ratings, 核查结论.
    for j, f in enumerate(answer_fields, start=len(BASE_HEADERS) + 1):
        letter = get_column_letter(j)
        dv: DataValidation | None = None
        if f.type in ("flag", "flag_text", "text"):
            dv = DataValidation(type="list", formula1=list_formula(["无", "有"]), allow_blank=True)
            if f.type != "flag":  # a description may be typed instead
                dv.errorStyle = "information"
                dv.showErrorMessage = False
        elif f.type == "term_rating":
            dv = DataValidation(type="list", formula1=list_formula(["优秀", "称职", "基本称职", "不称职"]), allow_blank=True)
        elif f.type == "assessment":
            dv = DataValidation(type="list", formula1=list_formula(["优秀", "合格", "基本合格", "不合格"]), allow_blank=True)
        if dv is not None:
            dv.add(f"{letter}{first}:{letter}{max(last, first)}")
            ws.add_data_validation(dv)
    conc = get_column_letter(width - 1)
    dv = DataValidation(type="list", formula1=list_formula(list(CONCLUSIONS)), allow_blank=True)
    dv.error = "请填写 无、有 或 待查"
    dv.add(f"{conc}{first}:{conc}{max(last, first)}")
    ws.add_data_validation(dv)
    widths = [6, 10, 12, 14, 10, 6, 22, 22, *(16 for _ in answer_fields), 10, 24]
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = ws.cell(first, 1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0

    notes = wb.create_sheet(NOTES_SHEET)
    what = "、".join(f.header for f in answer_fields)
    lines: list[tuple[str, str]] = [
        ("批次号", batch),
        ("核查单位", d.name),
        ("轮次", f"第{round_}轮"),
        ("日期", date.isoformat()),
        ("人数", str(len(people.people))),
        ("核查内容", what),
        ("核查方式", "逐人填写（名单中每个人都要填写核查结论）"),
        ("回复文号", "（由核查单位填写）"),
        ("回复日期", "（由核查单位填写）"),
        ("填写方法", "\n".join([
            f"1. 请逐人核查“{DATA_SHEET}”页所列人员，在黄色各列填写核查结果：",
            *(f"   · {f.header}：{_HOW_TO.get(f.type, '按实际情况填写')}" for f in answer_fields),
            "2. “核查结论”列每人必填：没有问题填“无”（该行各列视为“无”），有问题填“有”并在对应列写明，尚未查清填“待查”。",
            "3. 请勿修改身份证号、姓名等前几列，勿增删行列，勿改动本页的批次号；身份证号列为文本格式，请勿改为数字。",
            "4. 若只能提供有问题人员的名单，可另附表格，并注明“核查方式：仅列有问题人员”。",
            "5. 本表含个人信息，仅用于本次换届资格审查，请妥善保管，按规定渠道回复。",
        ])),
    ]
    if people.unusable:
        lines.append(("未列入", f"名单中另有{len(people.unusable)}人身份证号码无效或缺失，未列入本表，更正后将补充发函。"))
    if roster_name:
        lines.append(("名单文件", roster_name))
    notes.column_dimensions["A"].width = 12
    notes.column_dimensions["B"].width = 90
    notes.cell(1, 1, "联审核查请求说明").font = Font(bold=True, size=14)
    for i, (label, value) in enumerate(lines, start=3):
        notes.cell(i, 1, label).font = Font(bold=True)
        c = notes.cell(i, 2, value)
        c.alignment = Alignment(wrap_text=True, vertical="top")
    wb.properties.creator = "vetting"
    stamp = dt.datetime.combine(date, dt.time(0, 0))
    wb.properties.created = stamp
    save_workbook(wb, path, when=stamp)  # the same request, the same bytes: times are its date


def choose_departments(config: ReviewConfig, text: str | None) -> list[Department] | None:
    """`--departments 公安,法院` (commas, 、 or ，; names or aliases) -> the policy's departments in
    the order given; None (every department) when not given."""
    if not text:
        return None
    chosen: list[Department] = []
    for name in [n.strip() for n in text.replace("，", ",").replace("、", ",").split(",") if n.strip()]:
        d = config.by_name(name)
        if d is None:
            raise UserError(f"--departments 中的“{name}”不是政策中的联审部门 / unknown department",
                            hint="政策中的部门：" + "、".join(x.name for x in config.departments))
        if d not in chosen:
            chosen.append(d)
    return chosen


@dataclass
class RequestsRun:
    written: list[WrittenRequest]
    people: People  # who was asked about; `people.unusable`: rows without a usable ID number

    def note(self) -> str | None:
        """What a person must be told: rows left out of the requests for want of an ID number."""
        if not self.people.unusable:
            return None
        rows = "、".join(str(r) for _, r, _ in self.people.unusable[:10])
        return (f"注意：名单中有{len(self.people.unusable)}行身份证号码无效或缺失，未列入请求（第{rows}行）；"
                "请先更正（vetting lint）。")


def make_requests(
    rosters: Sequence[str | Path],
    policy: EffectivePolicy,
    out_dir: Path,
    *,
    round_: int = 1,
    departments: str | None = None,
    date: dt.date,
    force: bool = False,
    sheet: str | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> RequestsRun:
    """`vetting review requests` (and the page's 联审 download): one request workbook per
    department (or per department named in `departments`, e.g. "公安,法院") in `out_dir`, named
    `联审-<round>-<department>.xlsx`. Writing workbooks is output, so this is not in `vetting.api`."""
    if round_ < 1:
        raise UserError(f"--round 应为正整数，而不是 {round_} / --round must be 1 or more")
    config = review_config(policy)
    chosen = choose_departments(config, departments)
    loaded = load_roster(rosters, fields=policy.fields.values(), sheet=sheet, on_progress=on_progress)
    people = roster_people(loaded)
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError("-o 应是文件夹 / -o must be a folder", path=str(out_dir))
    written = write_requests(people, config, dict(policy.fields), out_dir, round_=round_, departments=chosen,
                             date=date, force=force, roster_name=", ".join(Path(r).name for r in rosters))
    return RequestsRun(written, people)
