"""The proposed slate as a workbook that `vetting lint` reads as a roster.

It is the user's roster data with the plan applied, not a report: full ID numbers (the title row
says so), the columns of the user's roster under their own headers, the values as written.
Rows that change are filled yellow, the changed cells are bold, and a note on the name cell
says what changed and where the person comes from. When the roster workbook holds its unit table
(a 单位信息 sheet), that sheet is copied as it is (values and number formats), so that linting
the proposed slate checks the same declared seats and dates without `--units`.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from ..messages import text
from ..roster.load import Roster
from ..roster.sheets import PLAN_SHEET
from ..suggest.model import Change

FILL = PatternFill("solid", fgColor="FFF2CC")
STAMP = (2020, 1, 1, 0, 0, 0)


def _columns(roster: Roster) -> list[tuple[str, str]]:
    """(frame column, header) in the order of the user's files."""
    out: dict[str, str] = {}
    for s in roster.sources:
        cols = sorted(s.columns.items(), key=lambda kv: (len(kv[1][1] or ""), kv[1][1] or ""))
        for key, (header, _) in cols:
            out.setdefault(f"{key}:raw", header)
    for c in roster.frame.columns:
        if c.startswith("x:"):
            out.setdefault(c, c[2:].rstrip("'"))
    return list(out.items())


def write(slate: Roster, origin: list[int], changes: list[Change], path: Path, *, columns_from: Roster,
          pool_rows: dict[int, Change], roster_rows: dict[int, Change]) -> None:
    """`origin[n]`: the roster frame row of slate row n, or -(pool frame row + 1)."""
    cols = [(c, h) for c, h in _columns(columns_from) if c in slate.frame.columns]
    wb = Workbook()
    ws = wb.active
    ws.title = "拟任人选（调整方案）"
    ws.append(["拟任人选（按后备人选调整方案调整后）——本表是名单数据，保留完整身份证号码，请按个人信息妥善保管；黄色为调整的行"])
    ws.append([h for _, h in cols])
    for c in ws[2]:
        c.font = Font(bold=True)
    frame = slate.frame.select([c for c, _ in cols])
    seq_col = next((j for j, (c, h) in enumerate(cols) if h in ("序号", "编号")), None)
    name_col = next((j for j, (c, _) in enumerate(cols) if c == "name:raw"), 0)
    post_cols = {j for j, (c, _) in enumerate(cols) if c in ("party_post:raw", "committee_post:raw")}
    for n, row in enumerate(frame.iter_rows()):
        values = ["" if v is None else str(v) for v in row]
        if seq_col is not None:
            values[seq_col] = str(n + 1)
        ws.append([v if v != "" else None for v in values])
        o = origin[n]
        ch = pool_rows.get(-o - 1) if o < 0 else roster_rows.get(o)
        if ch is None:
            continue
        r = ws.max_row
        for j in range(len(cols)):
            cell = ws.cell(r, j + 1)
            cell.fill = FILL
            if j in post_cols:
                cell.font = Font(bold=True)
        note = f"{text('action.' + ch.action)}：{ch.post_text}"
        if ch.pool_row is not None:
            note += f"（后备人选台账第{ch.pool_row}行）"
        if ch.replaces_name and ch.action == "replace":
            note += f"，接替{ch.replaces_name}"
        ws.cell(r, name_col + 1).comment = Comment(note, "vetting")
    for j in range(len(cols)):
        ws.column_dimensions[ws.cell(2, j + 1).column_letter].width = 14
    for c in ws[1][:1]:
        c.font = Font(bold=True)
    _changes_sheet(wb, changes)
    _unit_sheets(wb, slate)
    buf = io.BytesIO()
    wb.properties.created = wb.properties.modified = dt.datetime(*STAMP)
    wb.save(buf)
    _reproducible(buf.getvalue(), path)


def _changes_sheet(wb: Workbook, changes: list[Change]) -> None:
    """A second sheet listing the changes (removals included: their rows are gone from the
    first). `vetting lint` reads the first sheet."""
    ws = wb.create_sheet(PLAN_SHEET)
    ws.append(["调整", "乡镇(街道)", "村(社区)", "姓名", "调整后职务", "接替/退出", "后备人选台账行", "名单行", "解决"])
    for c in ws[1]:
        c.font = Font(bold=True)
    for ch in changes:
        ws.append([text("action." + ch.action), ch.unit[1], ch.unit[2], ch.name,
                   ch.post_text if ch.action != "remove" else "—", ch.replaces_name or "",
                   ch.pool_row, ch.roster_row, " ".join(ch.fixes)])
    for col in "ABCDEFGHI":
        ws.column_dimensions[col].width = 16


def _unit_sheets(wb: Workbook, slate: Roster) -> None:
    """Copy the 单位信息 sheets that came from the roster workbooks themselves (a separate
    `--units` file stays separate: the user names it again when linting the slate)."""
    table = getattr(slate, "units", None)
    if table is None:
        return
    roster_paths = {str(s.path) for s in slate.sources}
    for src in table.sources:
        if src.format != "xlsx" or str(src.path) not in roster_paths or src.sheet in wb.sheetnames:
            continue
        swb = load_workbook(src.path, read_only=True)
        try:
            if src.sheet not in swb.sheetnames:
                continue
            ws = wb.create_sheet(src.sheet)
            for r, row in enumerate(swb[src.sheet].iter_rows(), start=1):
                for c, cell in enumerate(row, start=1):
                    if cell.value is None:
                        continue
                    out = ws.cell(r, c, cell.value)
                    out.number_format = cell.number_format
        finally:
            swb.close()


def _reproducible(data: bytes, path: Path) -> None:
    """Fixed member times and document dates: the same plan writes the same bytes."""
    import re

    stamp = "2020-01-01T00:00:00Z"
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), content)
            out = zipfile.ZipInfo(info.filename, date_time=STAMP)
            out.compress_type = zipfile.ZIP_DEFLATED
            out.external_attr = info.external_attr
            dst.writestr(out, content)
