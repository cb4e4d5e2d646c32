"""Write the example reserve pool (后备人选台账) that goes with the example roster.

    python examples/make_pool.py        # writes 二七区后备人选台账.xlsx beside this script

The people are made up (ID numbers computed with the GB 11643-1999 check character, region
410103). The list is kept in order of preference, as a township keeps it; it holds people who
fit, people who may not be proposed (a criminal record, an over-age new entrant, a low
recommendation rate), and a near relative of a 马寨村 member. Same output every run.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
ROSTER = HERE / "二七区两委换届拟任人选.xlsx"
POOL = HERE / "二七区后备人选台账.xlsx"
REGION = "410103"
DISTRICT = "二七区"
TITLE = "二七区村(社区)“两委”后备人选台账"
SUBTITLE = "填报单位：二七区委组织部      更新日期：2020年12月"
HEADERS = (
    "序号", "县(市、区)", "乡镇(街道)", "村(社区)", "姓名", "性别", "出生年月", "公民身份号码", "学历",
    "政治面貌", "入党时间", "是否现任", "可任职务", "民主推荐得票率", "考察意见", "签订承诺书",
    "受过刑事处罚", "近亲属身份证号", "备注",
)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ZIP_TIME = (2020, 12, 28, 9, 0, 0)


def check_char(body17: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, ID_WEIGHTS, strict=True)) % 11]


def id_number(birth: date, seq: int, gender: str) -> str:
    seq = seq * 2 + (1 if gender == "男" else 0)
    body = f"{REGION}{birth:%Y%m%d}{seq:03d}"
    return body + check_char(body)


def relative_in(unit: str) -> str:
    """The ID number of the first 村(居)委会 member of `unit` in the example roster."""
    ws = load_workbook(ROSTER, read_only=True).active
    rows = ws.iter_rows(values_only=True)
    header = None
    for row in rows:
        if row and "村(社区)" in [str(c) for c in row if c]:
            header = [str(c) if c else "" for c in row]
            break
    assert header is not None
    iu, iid = header.index("村(社区)"), header.index("公民身份号码")
    ic = next(i for i, h in enumerate(header) if "委会职务" in h)
    for row in rows:
        if row[iu] == unit and row[ic]:
            return str(row[iid])
    raise SystemExit(f"no committee member in {unit}")


# (township, unit or "", name, gender, birth, education, political status, joined, posts, rate,
#  assessment, pledge, criminal record, relative, remark)
PEOPLE = (
    ("马寨镇", "", "周晓丽", "女", date(1993, 4, 12), "大专", "群众", None, "村(居)委会委员", 0.88, None, "是", None, "马寨村", "马寨村委会委员的近亲属"),
    ("马寨镇", "", "杜建国", "男", date(1969, 8, 3), "高中", "中共党员", "1995.06", "", 0.91, None, "是", None, None, "51岁，新进超龄"),
    ("马寨镇", "", "冯雅琴", "女", date(1991, 11, 20), "本科", "中共党员", "2013.05", "", 0.93, None, "是", None, None, None),
    ("马寨镇", "", "韩梅", "女", date(1987, 2, 14), "大专", "群众", None, "村(居)委会委员", 0.86, None, "是", None, None, None),
    ("马寨镇", "钱庄村", "蒋志勇", "男", date(1985, 6, 30), "高中", "中共党员", "2009.07", "党组织委员", 0.62, None, "是", None, None, None),
    ("马寨镇", "", "曹磊", "男", date(1990, 1, 8), "大专", "中共党员", "2015.12", "", 0.41, None, "是", None, None, "推荐得票率低"),
    ("侯寨乡", "", "郭凯", "男", date(1988, 9, 9), "本科", "中共党员", "2010.06", "", 0.90, None, "是", "2016年因寻衅滋事罪被判处拘役", None, None),
    ("侯寨乡", "罗庄村", "罗晨", "男", date(1994, 3, 16), "大专", "中共党员", "2017.06", "党组织委员、村(居)委会委员", 0.89, None, "是", None, None, None),
    ("侯寨乡", "罗庄村", "罗志刚", "男", date(1978, 12, 1), "本科", "中共党员", "2002.07", "书记、主任", 0.95, "合格", "是", None, None, "拟接任书记、主任"),
    ("侯寨乡", "", "许文静", "女", date(1986, 5, 27), "大专", "中共党员", "2011.11", "", 0.87, None, "是", None, None, None),
    ("侯寨乡", "", "何亮", "男", date(1983, 10, 10), "高中", "群众", None, "村(居)委会委员", 0.84, None, "是", None, None, None),
    ("建中街街道", "兴华北街社区", "宋佳", "女", date(1992, 7, 7), "本科", "共青团员", None, "村(居)委会委员", 0.9, None, "是", None, None, None),
    ("建中街街道", "", "唐浩然", "男", date(1989, 4, 4), "硕士研究生", "中共党员", "2012.06", "", 0.92, None, "是", None, None, None),
)


def rows() -> list[tuple]:
    out = []
    for n, p in enumerate(PEOPLE, start=1):
        town, unit, name, gender, birth, edu, pol, joined, posts, rate, assess, pledge, crime, rel, remark = p
        relative = relative_in(rel) if rel else None
        out.append((n, DISTRICT, town, unit or None, name, gender, birth, id_number(birth, 100 + n, gender), edu,
                    pol, joined, "否", posts or None, rate, assess, pledge, crime, relative, remark))
    return out


def write(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "后备人选"
    ws.append([TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([SUBTITLE])
    ws.append(list(HEADERS))
    for c in ws[3]:
        c.font = Font(bold=True)
    for r in rows():
        ws.append(list(r))
        row = ws.max_row
        ws.cell(row, 7).number_format = "yyyy/m/d"
        ws.cell(row, 8).number_format = "@"
        ws.cell(row, 14).number_format = "0.0%"
    ws.append([])
    ws.append(["填表人：王某某    审核人：李某某"])
    wb.properties.creator = "二七区委组织部"
    wb.properties.created = wb.properties.modified = datetime(*ZIP_TIME)
    buf = io.BytesIO()
    wb.save(buf)
    # a reproducible zip: fixed member times and document dates
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*ZIP_TIME).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            member = zipfile.ZipInfo(info.filename, ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            z.writestr(member, content)
    path.write_bytes(out.getvalue())

if __name__ == "__main__":
    write(POOL)
    print(f"wrote {POOL.name}: {len(PEOPLE)} people")
