"""The empty roster workbook written by `vetting.template.write_template`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineWorkbook

from vetting.roster.columns import BUILTIN_FIELDS, FieldSpec, FieldType
from vetting.template import (
    CHOICES,
    FIRST_DATA_ROW,
    HEADER_ROW,
    LAST_DATA_ROW,
    SHEET_NAME,
    list_formula,
    write_template,
)

# Evidence columns as a policy declares them: one of every kind the national policy uses.
EVIDENCE = [
    FieldSpec(
        key="criminal_record", header="刑事处罚", aliases=("受过刑事处罚",), type="flag_text"
    ),
    FieldSpec(key="sanction", header="党纪政务处分", type="text"),
    FieldSpec(key="sanction_end", header="处分影响期截止", type="date"),
    FieldSpec(key="term_rating", header="任期考核", type="term_rating"),
    FieldSpec(key="recalled", header="被依法罢免", type="flag"),
    FieldSpec(key="unqualified_member_year", header="不合格党员年度", type="year"),
    FieldSpec(key="pledge_signed", header="签订承诺书", type="flag"),
    FieldSpec(key="recommendation_rate", header="民主推荐得票率", type="percent"),
    FieldSpec(key="assessment", header="考察结论", type="assessment"),
]
ALL_FIELDS = [*BUILTIN_FIELDS, *EVIDENCE]
HEADERS = ["序号", *(f.header for f in ALL_FIELDS)]


def _check_char(body: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def _id(birth: str, seq: str) -> str:
    body = f"410103{birth}{seq}"
    return body + _check_char(body)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "template.xlsx"
    write_template(path, EVIDENCE)
    return path


def _sheet(path: Path, name: str = SHEET_NAME) -> Worksheet:
    ws = openpyxl.load_workbook(path)[name]
    assert isinstance(ws, Worksheet)
    return ws


def _column(header: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(HEADERS.index(header) + 1)


def _validations(ws: Worksheet) -> dict[str, Any]:
    """Column letter -> its data validation (each covers one column of the data rows)."""
    out: dict[str, Any] = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            first, last = rng.split(":")
            letter = first.rstrip("0123456789")
            assert rng == f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_DATA_ROW}"
            assert last.rstrip("0123456789") == letter
            assert letter not in out
            out[letter] = dv
    return out


def test_title_hint_and_headers(template: Path) -> None:
    ws = _sheet(template)
    assert ws.cell(1, 1).value == '村(社区)"两委"换届拟任人选资格审查表'
    assert "填表说明" in str(ws.cell(2, 1).value)
    last = _column(HEADERS[-1])
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {f"A1:{last}1", f"A2:{last}2"} <= merged
    row = [c.value for c in ws[HEADER_ROW]]
    assert row == HEADERS
    assert row[1:20] == [f.header for f in BUILTIN_FIELDS]
    assert all(c.font.bold for c in ws[HEADER_ROW])
    assert ws.freeze_panes is not None and ws.freeze_panes.endswith(str(FIRST_DATA_ROW))
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:{last}{HEADER_ROW}"
    assert ws.max_row == LAST_DATA_ROW  # formatted, empty data rows
    assert all(c.value is None for c in ws[FIRST_DATA_ROW])
    for letter in ("B", "C", last):
        assert (ws.column_dimensions[letter].width or 0) >= 8


def test_drop_down_lists(template: Path) -> None:
    dvs = _validations(_sheet(template))
    expected = {
        "性别": '"男,女"',
        "学历": '"小学,初中,高中,中专,职高,技校,大专,本科,硕士研究生,博士研究生"',
        "类型": '"村,社区"',
        "拟任党组织职务": '"书记,副书记,委员,纪检委员"',
        "拟任村(居)委会职务": '"主任,副主任,委员"',
        "拟任村(居)务监督委员会职务": '"主任,委员"',
        "是否现任": '"是,否"',
        "刑事处罚": '"是,否"',
        "被依法罢免": '"是,否"',
        "签订承诺书": '"是,否"',
        "任期考核": '"优秀,称职,基本称职,不称职"',
        "考察结论": '"优秀,合格,基本合格,不合格"',
    }
    for header, formula in expected.items():
        dv = dvs[_column(header)]
        assert dv.type == "list" and dv.formula1 == formula, header
    status = dvs[_column("政治面貌")].formula1
    for value in ("中共党员", "中共预备党员", "共青团员", "群众", "无党派人士", "九三学社社员"):
        assert value in status
    # Free columns have no list.
    for header in (
        "身份证号",
        "姓名",
        "出生日期",
        "近亲属身份证号",
        "党纪政务处分",
        "民主推荐得票率",
    ):
        assert _column(header) not in dvs, header
    assert len(dvs) == len(expected) + 1
    # A flag column rejects other values; a flag/text column lets a description through.
    flag, flag_text = dvs[_column("是否现任")], dvs[_column("刑事处罚")]
    assert flag.showErrorMessage and flag.errorStyle == "stop"
    assert not flag_text.showErrorMessage and flag_text.errorStyle == "information"
    assert all(len(dv.formula1) <= 255 for dv in dvs.values())


def test_drop_down_values_are_readable() -> None:
    types = pytest.importorskip("vetting.roster.types")
    for type_, choices in CHOICES.items():
        parser = types.field_type(type_).parse
        for choice in choices:
            assert parser(choice) is not None, (type_, choice)


def test_list_formula_limit() -> None:
    assert list_formula(("是", "否")) == '"是,否"'
    with pytest.raises(ValueError, match="255"):
        list_formula(tuple(f"选项{i:03d}" for i in range(60)))


def test_text_format_for_ids_dates_and_phone(template: Path) -> None:
    ws = _sheet(template)
    for header in ("身份证号", "出生日期", "入党时间", "近亲属身份证号", "联系电话", "姓名",
                   "处分影响期截止", "不合格党员年度"):  # fmt: skip
        letter = _column(header)
        for row in (FIRST_DATA_ROW, 100, LAST_DATA_ROW):
            assert ws[f"{letter}{row}"].number_format == "@", (header, row)
    for header in ("性别", "是否现任", "民主推荐得票率"):
        assert ws[f"{_column(header)}{FIRST_DATA_ROW}"].number_format == "General", header


def test_notes_sheet_has_a_row_per_column(template: Path) -> None:
    notes = _sheet(template, "填表说明")
    assert [c.value for c in notes[1]] == ["列名", "可用别名", "类型", "说明"]
    rows = list(notes.iter_rows(min_row=2, max_row=len(HEADERS) + 1, values_only=True))
    assert [r[0] for r in rows] == HEADERS
    by_header = {r[0]: r for r in rows}
    assert by_header["出生日期"][1] == "出生年月、出生年月日"
    assert "1985.03" in by_header["出生日期"][2] and "1985年3月" in by_header["出生日期"][2]
    assert "必填" in by_header["身份证号"][3]
    assert "留空表示联审未发现问题" in by_header["刑事处罚"][3]
    assert "是/否" in by_header["刑事处罚"][3] and "情况说明" in by_header["刑事处罚"][3]
    assert all(r[2] and r[3] for r in rows)
    assert notes.cell(2, 3).alignment.wrap_text


def test_english_notes_keep_chinese_headers(tmp_path: Path) -> None:
    path = tmp_path / "template_en.xlsx"
    write_template(path, EVIDENCE, lang="en")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [SHEET_NAME, "单位信息", "Notes"]
    assert [c.value for c in wb[SHEET_NAME][HEADER_ROW]] == HEADERS
    notes = wb["Notes"]
    assert notes.cell(1, 1).value == "Column"
    rows = list(notes.iter_rows(min_row=2, max_row=len(HEADERS) + 1, values_only=True))
    assert [r[0] for r in rows] == HEADERS
    date_row = rows[HEADERS.index("出生日期")]
    assert date_row[1] == "date of birth" and "1985.03" in date_row[3]


def test_every_field_type_is_described(tmp_path: Path) -> None:
    fields = [FieldSpec(key=f"x_{t}", header=f"测试{t}", type=t) for t in get_args(FieldType)]
    path = tmp_path / "all_types.xlsx"
    write_template(path, fields)
    assert openpyxl.load_workbook(path)[SHEET_NAME].cell(HEADER_ROW, len(HEADERS) + 1).value


def test_duplicate_keys_and_bad_language(tmp_path: Path) -> None:
    write_template(tmp_path / "dup.xlsx", [BUILTIN_FIELDS[0], *EVIDENCE, EVIDENCE[0]])
    row = [c.value for c in _sheet(tmp_path / "dup.xlsx")[HEADER_ROW]]
    assert row == HEADERS
    with pytest.raises(ValueError, match="language"):
        write_template(tmp_path / "x.xlsx", EVIDENCE, lang="fr")


# --------------------------------------------------------------------------------------------
# Round trip: fill the template as a user would, read it back.

ID_A = _id("19850308", "123")  # male
ID_B = _id("19920611", "042")  # female
ID_REL = _id("19600101", "011")

FILLED: list[dict[str, str]] = [
    {
        "序号": "1", "身份证号": ID_A, "姓名": "张建国", "性别": "男", "出生日期": "1985.03",
        "学历": "大专", "政治面貌": "中共党员", "入党时间": "2005.07", "县(市、区)": "二七区",
        "乡镇(街道)": "侯寨乡", "村(社区)": "樱桃沟村", "类型": "村",
        "拟任党组织职务": "书记", "拟任村(居)委会职务": "主任", "是否现任": "是",
        "近亲属身份证号": ID_REL, "联系电话": "13803710001",
        "刑事处罚": "2015年因盗窃罪被判处有期徒刑1年", "签订承诺书": "是",
        "民主推荐得票率": "86.5%", "考察结论": "优秀", "不合格党员年度": "2019",
    },
    {
        "序号": "2", "身份证号": ID_B, "姓名": "李秀梅", "性别": "女",
        "出生日期": "1992年6月", "学历": "本科", "政治面貌": "群众", "县(市、区)": "二七区",
        "乡镇(街道)": "侯寨乡", "村(社区)": "樱桃沟村",
        "拟任村(居)委会职务": "委员", "是否现任": "否", "近亲属身份证号": "无",
        "刑事处罚": "否", "处分影响期截止": "2021-03-08",
    },
]  # fmt: skip


def _fill(path: Path, out: Path) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_NAME]
    for i, person in enumerate(FILLED):
        for header, value in person.items():
            ws.cell(FIRST_DATA_ROW + i, HEADERS.index(header) + 1, value)
    wb.save(out)


def test_round_trip_through_calamine(template: Path, tmp_path: Path) -> None:
    filled = tmp_path / "filled.xlsx"
    _fill(template, filled)
    sheet = CalamineWorkbook.from_path(str(filled)).get_sheet_by_name(SHEET_NAME)
    rows = sheet.to_python(skip_empty_area=False)
    assert rows[HEADER_ROW - 1] == HEADERS  # header on row 3
    assert len(rows) == HEADER_ROW + len(FILLED)  # formatted empty rows are not data
    for i, person in enumerate(FILLED):
        got = rows[FIRST_DATA_ROW - 1 + i]
        expected = [person.get(h, "") for h in HEADERS]
        assert got == expected
    assert rows[FIRST_DATA_ROW - 1][1] == ID_A  # not 4.10103E+17


def test_round_trip_through_reader(template: Path, tmp_path: Path) -> None:
    readers = pytest.importorskip("vetting.roster.readers")
    from vetting.roster.headers import HeaderMatcher

    filled = tmp_path / "filled.xlsx"
    _fill(template, filled)
    matcher = HeaderMatcher(ALL_FIELDS)
    table = readers.read_table(filled, matcher=matcher)
    assert table.header_row == HEADER_ROW
    keys = [matcher.match(h) for h in table.headers]
    assert keys[0] is None and matcher.is_ignored(table.headers[0])
    assert keys[1:] == [f.key for f in ALL_FIELDS]
    assert list(table.rows) == [FIRST_DATA_ROW, FIRST_DATA_ROW + 1]
    id_col = table.columns[table.headers.index("身份证号")]
    assert list(id_col) == [ID_A, ID_B]
    date_col = table.columns[table.headers.index("出生日期")]
    assert list(date_col) == ["1985.03", "1992年6月"]
