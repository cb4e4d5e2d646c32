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

import datetime as dt
from pathlib import Path
from typing import Any

from .._gc import gc_paused
from ..pii import mask_id
from .ledger import FAIL, PASS, PENDING, Ledger, share_text, status_cell

MERGED_SHEET = "名单（已合并联审）"
LEDGER_SHEET = "联审台账"
SUMMARY_SHEET = "联审汇总"
HISTORY_SHEET = "联审明细"
FILES_SHEET = "回复文件"
FILLS = {
    "有": "FFC7CE", "未回复": "FFE699", "待查": "FFE699",
    PASS: "E2EFDA", FAIL: "FFC7CE", PENDING: "FFE699",
}


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
    filled = {k for _, k in ledger.merge.cells}
    for key in [k for k in ledger.merge.config.keys if k in filled]:
        name = f"{key}:raw"
        if name not in have:
            out.append((roster.fields[key].header, name))
            have.add(name)
    return out


def write_merged(ledger: Ledger, path: Path, *, with_ledger: bool, show_pii: bool = False) -> None:
    with gc_paused():
        book = _Book(path, ledger.as_of)
        _merged_sheet(book, ledger)
        if with_ledger:
            _ledger_sheets(book, ledger, show_pii=show_pii)
        book.close()


def write_ledger(ledger: Ledger, path: Path, *, show_pii: bool = False) -> None:
    with gc_paused():
        book = _Book(path, ledger.as_of)
        _ledger_sheets(book, ledger, show_pii=show_pii)
        book.close()


class _Book:
    """xlsxwriter (shared strings): several times faster than openpyxl for a county's merged
    roster and ledger (benchmarks/review_merge.py)."""

    def __init__(self, path: Path, as_of: dt.date):
        import xlsxwriter

        self.path = path
        self.wb = xlsxwriter.Workbook(str(path), {"constant_memory": False, "strings_to_numbers": False,
                                                  "strings_to_formulas": False, "strings_to_urls": False})
        # a fixed date (the review's as_of), so that the same inputs give the same bytes
        self.wb.set_properties({"author": "vetting", "created": dt.datetime.combine(as_of, dt.time(0, 0))})
        self.formats: dict[tuple[Any, ...], Any] = {}
        self.title = self.fmt(bold=True, size=14)
        self.head = self.fmt(bold=True, font_color="#FFFFFF", bg_color="#A61B1B")

    def fmt(self, **kw: Any) -> Any:
        key = tuple(sorted(kw.items()))
        got = self.formats.get(key)
        if got is None:
            got = self.formats[key] = self.wb.add_format(kw)
        return got

    def fill(self, colour: str | None, **kw: Any) -> Any:
        if colour is None and not kw:
            return None
        if colour is not None:
            kw["bg_color"] = "#" + colour
        return self.fmt(**kw)

    def sheet(self, name: str, widths: list[int] | None = None) -> _Sheet:
        ws = self.wb.add_worksheet(name)
        for j, w in enumerate(widths or []):
            ws.set_column(j, j, w)
        return _Sheet(self, ws)

    def close(self) -> None:
        from ..errors import UserError

        try:
            self.wb.close()
        except OSError as e:
            raise UserError(f"无法写入文件 / cannot write: {e.strerror or e}", path=str(self.path)) from e


class _Sheet:
    def __init__(self, book: _Book, ws: Any):
        self.book, self.ws, self.row = book, ws, 0

    def append(self, values: list[Any], formats: dict[int, Any] | None = None,
               comments: dict[int, str] | None = None) -> None:
        ws, r = self.ws, self.row
        for j, v in enumerate(values):
            f = formats.get(j) if formats else None
            if v is None:
                if f is not None:
                    ws.write_blank(r, j, None, f)
            elif isinstance(v, str):
                ws.write_string(r, j, v, f)
            else:
                ws.write(r, j, v, f)
        if comments:
            for j, text in comments.items():
                ws.write_comment(r, j, text, {"author": "vetting", "x_scale": 2, "y_scale": 1.5})
        self.row += 1

    def title(self, text: str) -> None:
        self.append([text], {0: self.book.title})

    def header(self, headers: list[str]) -> None:
        self.append(headers, dict.fromkeys(range(len(headers)), self.book.head))


def _merged_sheet(book: _Book, ledger: Ledger) -> None:
    merge = ledger.merge
    roster = merge.roster
    cols = merged_columns(ledger)
    ws = book.sheet(MERGED_SHEET)
    names = "、".join(Path(s.path).name for s in roster.sources)
    ws.title(f"{names}（已合并{len(merge.returns)}份联审回复）")
    ws.header([h for h, _ in cols])
    f = roster.frame
    data = [f[c].to_list() for _, c in cols]
    keys = [c[:-4] if c.endswith(":raw") else None for _, c in cols]
    person_of_row: dict[int, str] = {}
    for p in merge.people.people:
        for i in p.rows:
            person_of_row[i] = p.id
    srcs, rows = f["_src"].to_list(), f["_row"].to_list()
    hits = {k: c for k, c in merge.cells.items() if c.hit or c.roster_value}
    for i in sorted(range(f.height), key=lambda i: (srcs[i], rows[i])):
        pid = person_of_row.get(i)
        comments: dict[int, str] = {}
        if pid is not None and hits:
            for j, key in enumerate(keys):
                cell = hits.get((pid, key)) if key is not None else None
                if cell is not None:
                    lines = [pr.cite() for pr in cell.provenance]
                    if cell.roster_value:
                        lines.append(f"合并前名单中为：{cell.roster_value}")
                    comments[j] = "联审来源：\n" + "\n".join(dict.fromkeys(lines))
        ws.append([col[i] for col in data], comments=comments)


def _masked(v: str | None, show_pii: bool) -> str | None:
    return v if show_pii else mask_id(v)


def _ledger_sheets(book: _Book, ledger: Ledger, *, show_pii: bool) -> None:
    merge = ledger.merge
    depts = merge.config.departments
    wrap = book.fmt(text_wrap=True, valign="top")
    ws = book.sheet(LEDGER_SHEET, [6, 10, 12, 14, 9, 21, 20, *(18 for _ in depts), 8, 30])
    ws.title("村(社区)“两委”换届候选人联审台账")
    ws.header(["序号", "县(市、区)", "乡镇(街道)", "村(社区)", "姓名", "身份证号", "拟任职务",
               *(d.name + ("" if d.required else "（选）") for d in depts), "结论", "说明"])
    first = 7
    for n, e in enumerate(ledger.entries, start=1):
        p = e.person
        values: list[Any] = [n, p.district, p.township, "、".join(p.units) or p.unit, p.name, _masked(p.id, show_pii), p.posts]
        formats: dict[int, Any] = {6: wrap}
        for j, d in enumerate(depts, start=first):
            s = e.statuses[d.name]
            values.append(status_cell(s, show_pii=show_pii))
            formats[j] = book.fill(FILLS.get("未回复" if not s.current else s.status), text_wrap=True, valign="top")
        formats[len(values)] = book.fill(FILLS[e.conclusion], bold=True)
        values.append(e.conclusion)
        formats[len(values)] = wrap
        values.append(e.reason)
        ws.append(values, formats)
    for _src, rown, name in ledger.unusable:
        ws.append([None, None, None, None, name, f"名单第{rown}行：身份证号码无效，未列入联审"], {5: book.fill(FILLS["未回复"])})

    sm = book.sheet(SUMMARY_SHEET, [20, 10, 10, 10, 10, 10, 10, 12])
    sm.title("联审汇总：按部门")
    sm.header(["部门", "是否必须", "最新轮次", "请求人数", "已回复", "有问题", "待查", "未回复"])
    for ds in ledger.departments:
        sm.append([ds.name, "是" if ds.required else "否", ds.round or "—", ds.requested, ds.answered, ds.hits, ds.pending, ds.missing],
                  {7: book.fill(FILLS["未回复"])} if ds.missing and ds.required else None)
    sm.append([])
    sm.title("联审汇总：按乡镇(街道)")
    sm.header(["乡镇(街道)", "人数", "已审完", "完成率", "通过", "不通过", "待定", "有问题人数"])
    for t in ledger.townships:
        sm.append([t.name, t.people, t.reviewed, share_text(t.reviewed, t.people), t.passed, t.to_replace, t.pending, t.with_findings],
                  {5: book.fill(FILLS[FAIL])} if t.to_replace else None)

    hs = book.sheet(HISTORY_SHEET, [14, 6, 26, 10, 6, 16, 12, 9, 21, 8, 40, 10])
    hs.title("联审明细：回复“有”“待查”的答复，以及被新一轮取代的答复")
    hs.header(["部门", "轮次", "文件", "工作表", "行", "文号", "日期", "姓名", "身份证号", "结论", "内容", "状态"])
    names = {p.id: p.name for p in merge.people.people}
    # Every answer that says something, or that a later round replaced. A plain current 无 is
    # not repeated here (tens of thousands of rows): its department, round and 文号 are in the
    # 台账 cell and its file in 回复文件.
    for a in sorted(merge.history, key=lambda a: (a.department, a.id, a.round)):
        if a.status == "无" and not a.superseded:
            continue
        pr = a.prov
        content = ""
        if a.status == "有":
            hit = [(k, v) for k, v in a.values.items() if v[2] == "hit"]
            if hit:
                content = "；".join(f"{merge.roster.fields[k].header}：{v[0] if show_pii else '（已隐去）'}" for k, v in hit)
            else:
                content = "未说明" if not a.remark else (a.remark if show_pii else "（说明已隐去）")
        hs.append([a.department, a.round, Path(pr.path).name, pr.sheet, pr.row if pr.row is not None else "未列出（视为无）",
                   pr.doc_no, pr.date, names.get(a.id), _masked(a.id, show_pii), a.status, content,
                   "已被新一轮取代" if a.superseded else "有效"], {9: book.fill(FILLS.get(a.status))})

    fs = book.sheet(FILES_SHEET, [30, 14, 6, 12, 8, 10, 18, 16, 30])
    fs.header(["文件", "部门", "轮次", "部门识别自", "行数", "仅列问题", "批次号", "文号", "状态"])
    for rf in merge.returns:
        fs.append([rf.path, rf.department.name, rf.round, rf.how, len(rf.rows), "是" if rf.hits_only else "否",
                   rf.batch, rf.doc_no, "已合并"])
    for rf in merge.rejected:
        fs.append([rf.path, rf.department.name, rf.round, rf.how, len(rf.rows), "是" if rf.hits_only else "否",
                   rf.batch, rf.doc_no, "未合并：批次号与本名单的请求不符（RV006）"], {8: book.fill(FILLS[FAIL])})
