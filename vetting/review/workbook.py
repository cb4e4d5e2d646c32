"""MERGED.xlsx and the ledger workbook (`vetting review merge -o … [--ledger …]`).

MERGED.xlsx is the roster with the evidence columns filled in: the same columns in the same
order (evidence columns the roster lacked are added at the end), the same rows, ID numbers as
text, and a cell comment with the provenance of every merged cell that reports something (a 有,
a date, a rating). A plain 无 gets no comment: its provenance (department, round, 文号, file,
row) is in the ledger's 联审明细 sheet, because a comment on each of tens of thousands of 无
cells makes a workbook Excel opens slowly. It is a working copy of the roster, so it keeps the
roster's personal data as the roster has it; the ledger sheets mask ID numbers and the text of
answers unless `--show-pii`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill

from ..pii import mask_id
from ..roster.readers import column_letter
from .ledger import FAIL, PASS, PENDING, Ledger, share_text, status_cell
from .merge import ROSTER_SOURCE

MERGED_SHEET = "名单（已合并联审）"
LEDGER_SHEET = "联审台账"
SUMMARY_SHEET = "联审汇总"
HISTORY_SHEET = "联审明细"
FILES_SHEET = "回复文件"
FILLS = {
    "有": "FFC7CE", "未回复": "FFE699", "待查": "FFE699",
    PASS: "E2EFDA", FAIL: "FFC7CE", PENDING: "FFE699",
}
_HEAD_FILL = PatternFill("solid", fgColor="A61B1B")
_HEAD_FONT = Font(bold=True, color="FFFFFF")
_TITLE_FONT = Font(bold=True, size=14)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _letter_index(letter: str | None) -> int:
    if not letter:
        return -1
    n = 0
    for ch in letter:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def merged_columns(ledger: Ledger) -> list[tuple[str, str]]:
    """(header, frame column) of the merged sheet: the roster's columns in the file's order,
    then the evidence columns the merge filled that the roster did not have."""
    roster = ledger.merge.roster
    frame_cols = set(roster.frame.columns)
    placed: list[tuple[int, int, str, str]] = []  # (source, position, header, frame column)
    seen_frame: set[str] = set()
    for si, s in enumerate(roster.sources):
        for key, (header, letter) in s.columns.items():
            name = f"{key}:raw"
            if name in frame_cols and name not in seen_frame:
                placed.append((si, _letter_index(letter), header, name))
                seen_frame.add(name)
        for header, letter in s.extra_columns:
            name = f"x:{header}"
            while name in seen_frame:
                name += "'"
            if name in frame_cols:
                placed.append((si, _letter_index(letter), header, name))
                seen_frame.add(name)
    # Known columns no rule reads (序号): first, as they usually are.
    ignored = [c for c in roster.frame.columns if c.startswith("x:") and c not in seen_frame]
    out = [(c[2:], c) for c in ignored]
    out += [(h, c) for _, _, h, c in sorted(placed, key=lambda t: (t[0], t[1]))]
    have = {c for _, c in out}
    for (_pid, key) in sorted({k for k in ledger.merge.cells}, key=lambda k: ledger.merge.config.keys.index(k[1])):
        name = f"{key}:raw"
        if name not in have:
            out.append((roster.fields[key].header, name))
            have.add(name)
    return out


def write_merged(ledger: Ledger, path: Path, *, with_ledger: bool, show_pii: bool = False) -> None:
    wb = Workbook(write_only=True)
    _merged_sheet(wb, ledger)
    if with_ledger:
        _ledger_sheets(wb, ledger, show_pii=show_pii)
    _save(wb, path)


def write_ledger(ledger: Ledger, path: Path, *, show_pii: bool = False) -> None:
    wb = Workbook(write_only=True)
    _ledger_sheets(wb, ledger, show_pii=show_pii)
    _save(wb, path)


def _save(wb: Workbook, path: Path) -> None:
    from ..errors import UserError

    try:
        wb.save(path)
    except OSError as e:
        raise UserError(f"无法写入文件 / cannot write: {e.strerror or e}", path=str(path)) from e


def _cell(ws: Any, value: Any, *, fill: str | None = None, font: Font | None = None, text: bool = False,
          wrap: bool = False, comment: str | None = None) -> WriteOnlyCell:
    c = WriteOnlyCell(ws, value=value)
    if fill:
        c.fill = PatternFill("solid", fgColor=fill)
    if font is not None:
        c.font = font
    if text:
        c.number_format = "@"
    if wrap:
        c.alignment = _WRAP
    if comment:
        cm = Comment(comment, "vetting")
        cm.width, cm.height = 320, 120
        c.comment = cm
    return c


def _header(ws: Any, headers: list[str]) -> None:
    ws.append([_cell(ws, h, fill="A61B1B", font=_HEAD_FONT) for h in headers])


def _merged_sheet(wb: Workbook, ledger: Ledger) -> None:
    merge = ledger.merge
    roster = merge.roster
    ws = wb.create_sheet(MERGED_SHEET)
    cols = merged_columns(ledger)
    ws.column_dimensions["A"].width = 8
    names = "、".join(Path(s.path).name for s in roster.sources)
    ws.append([_cell(ws, f"{names}（已合并{len(merge.returns)}份联审回复）", font=_TITLE_FONT)])
    _header(ws, [h for h, _ in cols])
    f = roster.frame
    data = {c: f[c].to_list() for _, c in cols}
    key_of = {c: c[:-4] for _, c in cols if c.endswith(":raw")}
    person_of_row: dict[int, str] = {}
    for p in merge.people.people:
        for i in p.rows:
            person_of_row[i] = p.id
    order = sorted(range(f.height), key=lambda i: (int(f["_src"][i]), int(f["_row"][i])))
    for i in order:
        pid = person_of_row.get(i)
        row = []
        for _, c in cols:
            v = data[c][i]
            key = key_of.get(c)
            comment = None
            if pid is not None and key is not None:
                cell = merge.cells.get((pid, key))
                if cell is not None and cell.hit:
                    lines = [pr.cite() for pr in cell.provenance]
                    if ROSTER_SOURCE in cell.departments:
                        lines.append(f"{ROSTER_SOURCE}（合并前名单中已有）")
                    comment = "联审来源：\n" + "\n".join(dict.fromkeys(lines))
            row.append(_cell(ws, v, text=key == "id_number" or c == "id_number:raw", comment=comment))
        ws.append(row)


def _masked(v: str | None, show_pii: bool) -> str | None:
    return v if show_pii else mask_id(v)


def _ledger_sheets(wb: Workbook, ledger: Ledger, *, show_pii: bool) -> None:
    merge = ledger.merge
    depts = merge.config.departments
    ws = wb.create_sheet(LEDGER_SHEET)
    for j, w in enumerate([6, 10, 12, 14, 9, 21, 20, *(18 for _ in depts), 8, 30], start=0):
        ws.column_dimensions[column_letter(j)].width = w
    ws.append([_cell(ws, "村(社区)“两委”换届候选人联审台账", font=_TITLE_FONT)])
    _header(ws, ["序号", "县(市、区)", "乡镇(街道)", "村(社区)", "姓名", "身份证号", "拟任职务",
                 *(d.name + ("" if d.required else "（选）") for d in depts), "结论", "说明"])
    for n, e in enumerate(ledger.entries, start=1):
        p = e.person
        row = [_cell(ws, n), _cell(ws, p.district), _cell(ws, p.township), _cell(ws, "、".join(p.units) or p.unit),
               _cell(ws, p.name), _cell(ws, _masked(p.id, show_pii), text=True), _cell(ws, p.posts, wrap=True)]
        for d in depts:
            s = e.statuses[d.name]
            shown = status_cell(s, show_pii=show_pii)
            key = "未回复" if not s.current else s.status
            row.append(_cell(ws, shown, fill=FILLS.get(key), wrap=True))
        row.append(_cell(ws, e.conclusion, fill=FILLS[e.conclusion], font=Font(bold=True)))
        row.append(_cell(ws, e.reason, wrap=True))
        ws.append(row)
    for _src, rown, name in ledger.unusable:
        ws.append([_cell(ws, None), None, None, None, _cell(ws, name),
                   _cell(ws, f"名单第{rown}行：身份证号码无效，未列入联审", fill=FILLS["未回复"])])

    sm = wb.create_sheet(SUMMARY_SHEET)
    for j, w in enumerate([20, 10, 10, 10, 10, 10, 10, 12], start=0):
        sm.column_dimensions[column_letter(j)].width = w
    sm.append([_cell(sm, "联审汇总：按部门", font=_TITLE_FONT)])
    _header(sm, ["部门", "是否必须", "最新轮次", "请求人数", "已回复", "有问题", "待查", "未回复"])
    for d in ledger.departments:
        sm.append([d.name, "是" if d.required else "否", d.round or "—", d.requested, d.answered, d.hits, d.pending,
                   _cell(sm, d.missing, fill=FILLS["未回复"] if d.missing and d.required else None)])
    sm.append([])
    sm.append([_cell(sm, "联审汇总：按乡镇(街道)", font=_TITLE_FONT)])
    _header(sm, ["乡镇(街道)", "人数", "已审完", "完成率", "通过", "不通过", "待定", "有问题人数"])
    for t in ledger.townships:
        sm.append([t.name, t.people, t.reviewed, share_text(t.reviewed, t.people), t.passed,
                   _cell(sm, t.to_replace, fill=FILLS[FAIL] if t.to_replace else None), t.pending, t.with_findings])

    hs = wb.create_sheet(HISTORY_SHEET)
    for j, w in enumerate([14, 6, 26, 10, 6, 16, 12, 9, 21, 8, 40, 10], start=0):
        hs.column_dimensions[column_letter(j)].width = w
    _header(hs, ["部门", "轮次", "文件", "工作表", "行", "文号", "日期", "姓名", "身份证号", "结论", "内容", "状态"])
    names = {p.id: p.name for p in merge.people.people}
    for a in sorted(merge.history, key=lambda a: (a.department, a.id, a.round)):
        pr = a.prov
        content = ""
        if a.status == "有":
            hits = [(k, v) for k, v in a.values.items() if v[2] == "hit"]
            if hits:
                content = "；".join(f"{merge.roster.fields[k].header}：{v[0] if show_pii else '（已隐去）'}" for k, v in hits)
            else:
                content = "未说明" if not a.remark else (a.remark if show_pii else "（说明已隐去）")
        hs.append([a.department, a.round, Path(pr.path).name, pr.sheet, pr.row if pr.row is not None else "未列出（视为无）",
                   pr.doc_no, pr.date, names.get(a.id), _cell(hs, _masked(a.id, show_pii), text=True),
                   _cell(hs, a.status, fill=FILLS.get(a.status)), content, "已被新一轮取代" if a.superseded else "有效"])

    fs = wb.create_sheet(FILES_SHEET)
    for j, w in enumerate([30, 14, 6, 12, 8, 10, 18, 16, 30], start=0):
        fs.column_dimensions[column_letter(j)].width = w
    _header(fs, ["文件", "部门", "轮次", "部门识别自", "行数", "仅列问题", "批次号", "文号", "状态"])
    for rf in merge.returns:
        fs.append([rf.path, rf.department.name, rf.round, rf.how, len(rf.rows), "是" if rf.hits_only else "否",
                   rf.batch, rf.doc_no, "已合并"])
    for rf in merge.rejected:
        fs.append([rf.path, rf.department.name, rf.round, rf.how, len(rf.rows), "是" if rf.hits_only else "否",
                   rf.batch, rf.doc_no, _cell(fs, "未合并：批次号与本名单的请求不符（RV006）", fill=FILLS[FAIL])])
