"""Low-level readers: xlsx, csv, yaml, json -> RawTable."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vetting.errors import UserError
from vetting.roster import readers
from vetting.roster.columns import BUILTIN_FIELDS, FieldSpec
from vetting.roster.headers import HeaderMatcher
from vetting.roster.readers import RawTable, column_letter, read_table

EVIDENCE = (
    FieldSpec(
        key="criminal_record", header="刑事处罚", aliases=("受过刑事处罚",), type="flag_text"
    ),
    FieldSpec(key="gang_involvement", header="涉黑涉恶", type="flag_text"),
)
MATCHER = HeaderMatcher((*BUILTIN_FIELDS, *EVIDENCE))

XlsxFactory = Callable[..., Path]


def col(t: RawTable, header: str) -> list[str | None]:
    return list(t.columns[t.headers.index(header)])


def read(path: Path | str, **kw: Any) -> RawTable:
    return read_table(path, matcher=MATCHER, **kw)


def error(path: Path | str, **kw: Any) -> UserError:
    with pytest.raises(UserError) as exc:
        read(path, **kw)
    return exc.value


# ------------------------------------------------------------------------------------------
# xlsx

TITLE = '二七区村(社区)"两委"换届拟任人选资格审查表'
HEADER = [
    "序号",
    "县（市、区）",
    "乡镇",
    "村(社区)",
    "姓 名",
    "身份证号",
    "出生年月",
    "拟任党组织职务",
]


def roster_rows() -> list[list[Any]]:
    return [
        [TITLE],  # 1, merged A1:H1
        ["填报单位：二七区委组织部"],  # 2
        [],  # 3 blank
        HEADER + [None, None, None],  # 4; I..K have no header
        [1, "二七区", "马寨镇", "王村", "张三", "410103198503081234", dt.date(1985, 3, 8), "书记"],
        [
            2,
            "二七区",
            None,
            "王村",
            " 李四 ",
            410103198503081000,
            "1985.03",
            "委员",
            None,
            None,
            "补录",
        ],
        [3, "二七区", None, "李村", "王五", "410103199001021234", dt.datetime(1990, 1, 2), "委员"],
        [],  # 8 blank
        [4, "二七区", "侯寨乡", "刘村", "赵六", "41010319850308123X", 31116, True],
        ["填表人：张某"],  # 10, merged A10:D10
        ["审核人：李某", None, None, None, None, "填表日期：2021年1月"],  # 11
        [],
    ]


def test_xlsx_full_roster(xlsx_factory: XlsxFactory) -> None:
    p = xlsx_factory(roster_rows(), merges=["A1:H1", "C5:C7", "A10:D10"])
    t = read(p)
    assert t.format == "xlsx"
    assert t.path == str(p)
    assert t.sheet == "Sheet1"
    assert t.encoding is None
    assert t.header_row == 4
    # headers as written (stripped); I and J are empty everywhere and dropped, K has data.
    assert t.headers == [*HEADER, "(列K)"]
    assert t.letters == ["A", "B", "C", "D", "E", "F", "G", "H", "K"]
    assert t.rows == [5, 6, 7, 9]
    assert t.notes == [
        (1, TITLE),
        (2, "填报单位：二七区委组织部"),
        (10, "填表人：张某"),
        (11, "审核人：李某 填表日期：2021年1月"),
    ]
    assert col(t, "序号") == ["1", "2", "3", "4"]
    # vertical merge: every cell of the range gets the top-left value
    assert col(t, "乡镇") == ["马寨镇", "马寨镇", "马寨镇", "侯寨乡"]
    assert col(t, "姓 名") == ["张三", "李四", "王五", "赵六"]
    # a damaged ID stored as a number reads as Excel shows it, and is marked numeric
    assert col(t, "身份证号") == [
        "410103198503081234",
        "410103198503081000",
        "410103199001021234",
        "41010319850308123X",
    ]
    ids = t.headers.index("身份证号")
    assert t.numeric[ids] == {1}
    births = t.headers.index("出生年月")
    assert col(t, "出生年月") == ["1985-03-08", "1985.03", "1990-01-02", "31116"]
    assert t.numeric[births] == {3}
    assert t.numeric[0] == {0, 1, 2, 3}
    assert col(t, "拟任党组织职务") == ["书记", "委员", "委员", "是"]
    assert col(t, "(列K)") == [None, "补录", None, None]
    assert len(t.columns) == len(t.headers) == len(t.letters) == len(t.numeric)
    assert all(len(c) == len(t.rows) for c in t.columns)
    assert t.n_rows == 4


def test_xlsx_header_matches_fullwidth_and_spaces(xlsx_factory: XlsxFactory) -> None:
    p = xlsx_factory(
        [["县（市、区）", "姓 名", "公民身份号码", "村 (社区)"], ["二七区", "张三", "1", "王村"]]
    )
    t = read(p)
    assert t.header_row == 1
    assert [MATCHER.match(h) for h in t.headers] == ["district", "name", "id_number", "unit"]


def test_xlsx_two_row_header(xlsx_factory: XlsxFactory) -> None:
    rows = [
        ["资格审查表"],
        ["姓名", "身份证号", "村(社区)", "联审情况"],
        [None, None, None, "刑事处罚", "涉黑涉恶"],
        ["张三", "410103198503081234", "王村", "无", "否"],
    ]
    p = xlsx_factory(rows, merges=["A1:E1", "A2:A3", "B2:B3", "C2:C3", "D2:E2"])
    t = read(p)
    assert t.header_row == 3
    assert t.headers == ["姓名", "身份证号", "村(社区)", "刑事处罚", "涉黑涉恶"]
    assert t.rows == [4]
    assert t.notes == [(1, "资格审查表")]  # the group-header row is part of the header


def test_xlsx_two_row_header_unknown_subheaders(xlsx_factory: XlsxFactory) -> None:
    rows = [
        ["姓名", "身份证号", "村(社区)", "联审意见"],
        [None, None, None, "公安", "法院"],
        ["张三", "410103198503081234", "王村", "无", "无"],
    ]
    p = xlsx_factory(rows, merges=["A1:A2", "B1:B2", "C1:C2", "D1:E1"])
    t = read(p)
    assert t.header_row == 2
    assert t.headers == ["姓名", "身份证号", "村(社区)", "公安", "法院"]


def test_xlsx_multiline_header_kept_as_written(xlsx_factory: XlsxFactory) -> None:
    p = xlsx_factory([["姓名", " 身份证号\n（18位） ", "村(社区)"], ["张三", "x", "王村"]])
    assert read(p).headers == ["姓名", "身份证号\n（18位）", "村(社区)"]


def test_xlsx_values(xlsx_factory: XlsxFactory) -> None:
    rows = [
        ["姓名", "村(社区)", "a", "b", "c", "d", "e", "f"],
        ["张三", "王村", 31000.0, 0.83, dt.datetime(2021, 1, 2, 10, 30), dt.time(8, 5), False, ""],
        ["李四", "王村", 12345678901234567890, -2, "  ", "x\ny", 1e-7, 410103198503081234],
    ]
    t = read(xlsx_factory(rows))
    assert col(t, "a") == ["31000", "12345678901234600000"]  # Excel's 15 significant digits
    assert col(t, "b") == ["0.83", "-2"]
    assert col(t, "c") == ["2021-01-02 10:30:00", None]
    assert col(t, "d") == ["08:05:00", "x\ny"]
    assert col(t, "e") == ["否", "1e-07"]
    assert col(t, "f") == [None, "410103198503081000"]  # as Excel shows 410103198503081234
    assert t.numeric[t.headers.index("a")] == {0, 1}
    assert t.numeric[t.headers.index("c")] == set()


def test_xlsx_horizontal_merge_in_data(xlsx_factory: XlsxFactory) -> None:
    rows = [["姓名", "村(社区)", "刑事处罚", "涉黑涉恶"], ["张三", "王村", "无", None]]
    t = read(xlsx_factory(rows, merges=["C2:D2"]))
    assert col(t, "刑事处罚") == ["无"]
    assert col(t, "涉黑涉恶") == ["无"]


def test_xlsx_data_not_at_a1(xlsx_factory: XlsxFactory) -> None:
    rows = [[], [], [None, None, "姓名", "身份证号", "村(社区)"], [None, None, "张三", "1", "王村"]]
    t = read(xlsx_factory(rows))
    assert t.header_row == 3
    assert t.letters == ["C", "D", "E"]
    assert t.rows == [4]


def test_xlsx_header_only(xlsx_factory: XlsxFactory) -> None:
    t = read(xlsx_factory([["姓名", "身份证号", "村(社区)"]]))
    assert t.headers == ["姓名", "身份证号", "村(社区)"]
    assert t.rows == [] and [list(c) for c in t.columns] == [[], [], []]


def test_xlsx_incomplete_and_signature_like_rows(xlsx_factory: XlsxFactory) -> None:
    rows = [
        ["姓名", "身份证号", "村(社区)", "备注"],
        ["张三", None, None, None],  # incomplete: still data
        [None, None, None, "说明：待补充"],  # only a notes-like cell: a note
        ["单位（盖章）", None, None, None],
        ["李四", None, "王村", "备注：借调"],  # has data besides the remark: data
    ]
    t = read(xlsx_factory(rows))
    assert t.rows == [2, 5]
    assert t.notes == [(3, "说明：待补充"), (4, "单位（盖章）")]


def test_xlsx_sheet_selection(xlsx_factory: XlsxFactory) -> None:
    p = xlsx_factory(
        [["说明页"]],
        sheet="封面",
        extra_sheets={"第二批": [["姓名", "身份证号", "村(社区)"], ["张三", "1", "王村"]]},
    )
    t = read(p, sheet="第二批")
    assert t.sheet == "第二批"
    assert t.rows == [2]
    # default is the first sheet; it has no header, the error names the sheet that has one
    e = error(p)
    assert e.path == str(p)
    assert "找不到表头" in e.message
    assert "封面" in e.message
    assert e.hint is not None and "第二批" in e.hint
    # unknown sheet
    e = error(p, sheet="第三批")
    assert "第三批" in e.message
    assert any("封面" in d and "第二批" in d for d in e.details)
    # sheet names are matched loosely when unambiguous
    assert read(p, sheet=" 第二批 ").sheet == "第二批"


def test_xlsx_skips_hidden_first_sheet(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    hidden = wb.active
    assert hidden is not None
    hidden.title = "隐藏"
    hidden.sheet_state = "hidden"
    ws = wb.create_sheet("名单")
    ws.append(["姓名", "身份证号", "村(社区)"])
    ws.append(["张三", "1", "王村"])
    p = tmp_path / "h.xlsx"
    wb.save(p)
    assert read(p).sheet == "名单"


def test_xlsx_no_header(xlsx_factory: XlsxFactory) -> None:
    p = xlsx_factory([["张三", "410103198503081234", "王村"], ["李四", "x", "y"]])
    e = error(p)
    assert e.path == str(p)
    text = str(e)
    for h in ("身份证号", "姓名", "村(社区)"):
        assert h in text
    assert "张三" in text  # what the first rows looked like
    assert "410103198503081234" not in text  # ID numbers are masked


def test_xlsx_needs_a_required_column(xlsx_factory: XlsxFactory) -> None:
    p = xlsx_factory([["性别", "民族", "学历"], ["男", "汉", "高中"]])
    assert "找不到表头" in error(p).message


def test_not_an_xlsx(tmp_path: Path) -> None:
    p = tmp_path / "roster.xlsx"
    p.write_text("姓名,身份证号\n张三,1\n", encoding="utf-8")
    e = error(p)
    assert "无法作为 Excel 工作簿读取" in e.message
    assert "roster.xlsx" in e.message
    assert e.path == str(p)
    assert e.hint is not None and ".csv" in e.hint

    z = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("a.txt", "hi")
    assert "无法作为 Excel 工作簿读取" in error(z).message

    ole = tmp_path / "locked.xlsx"  # an encrypted workbook is an OLE2 container
    ole.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 1024)
    e = error(ole)
    assert "无法作为 Excel 工作簿读取" in e.message
    assert e.hint is not None and "密码" in e.hint


@pytest.mark.parametrize("name", ["empty.xlsx", "empty.csv", "empty.yaml", "empty.json"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    p = tmp_path / name
    p.write_bytes(b"")
    e = error(p)
    assert "文件为空" in e.message
    assert e.path == str(p)


def test_missing_file(tmp_path: Path) -> None:
    p = tmp_path / "nope.xlsx"
    e = error(p)
    assert "文件不存在" in e.message
    assert e.path == str(p)


def test_unsupported_extension(tmp_path: Path) -> None:
    p = tmp_path / "roster.docx"
    p.write_bytes(b"x")
    e = error(p)
    assert ".docx" in e.message
    assert e.path == str(p)
    assert e.hint is not None and ".xlsx" in e.hint and ".csv" in e.hint and ".json" in e.hint


def test_xls_must_be_saved_as_xlsx(tmp_path: Path) -> None:
    p = tmp_path / "roster.XLS"
    p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1"))
    e = error(p)
    assert ".xls" in e.message
    assert e.hint is not None and "另存为" in e.hint and "Excel 工作簿" in e.hint


def test_extension_case_insensitive(xlsx_factory: XlsxFactory) -> None:
    p = xlsx_factory([["姓名", "身份证号", "村(社区)"], ["张三", "1", "王村"]], name="R.XLSX")
    assert read(p).format == "xlsx"


def test_column_letter() -> None:
    assert [column_letter(i) for i in (0, 10, 25, 26, 27, 701, 702)] == [
        "A",
        "K",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


# ------------------------------------------------------------------------------------------
# csv

BASIC_CSV = "序号,姓名,身份证号,村(社区)\n1,张三,410103198503081234,王村\n2, 李四 ,41010319850308123X,李村\n"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_csv_utf8(tmp_path: Path) -> None:
    t = read(write(tmp_path, "r.csv", BASIC_CSV))
    assert t.format == "csv" and t.encoding == "utf-8" and t.sheet is None
    assert t.header_row == 1
    assert t.headers == ["序号", "姓名", "身份证号", "村(社区)"]
    assert t.letters == ["A", "B", "C", "D"]
    assert t.rows == [2, 3]
    assert col(t, "姓名") == ["张三", "李四"]
    assert t.numeric == [set(), set(), set(), set()]
    assert t.notes == []


def test_csv_utf8_sig(tmp_path: Path) -> None:
    t = read(write(tmp_path, "r.csv", BASIC_CSV, "utf-8-sig"))
    assert t.encoding == "utf-8-sig"
    assert t.headers[0] == "序号"


def test_csv_gbk(tmp_path: Path) -> None:
    t = read(write(tmp_path, "r.csv", BASIC_CSV.replace("\n", "\r\n"), "gbk"))
    assert t.encoding == "gb18030"
    assert t.headers == ["序号", "姓名", "身份证号", "村(社区)"]
    assert col(t, "村(社区)") == ["王村", "李村"]
    assert t.rows == [2, 3]


@pytest.mark.parametrize("name", ["r.tsv", "r.txt", "r.csv"])
def test_csv_tab(tmp_path: Path, name: str) -> None:
    text = "姓名\t身份证号\t村(社区)\t备注\n张三\t410103198503081234\t王村\t调入,原任委员\n"
    t = read(write(tmp_path, name, text))
    assert t.headers == ["姓名", "身份证号", "村(社区)", "备注"]
    assert col(t, "备注") == ["调入,原任委员"]


def test_csv_title_rows_and_trailing_notes(tmp_path: Path) -> None:
    text = (
        f'"{TITLE.replace(chr(34), chr(34) * 2)}",,,\n'
        ",,,\n"
        "姓名,身份证号,村(社区),拟任党组织职务\n"
        "张三,410103198503081234,王村,书记\n"
        "填表人：张某,,,\n"
        "审核人：李某,,填表日期：2021.1,\n"
    )
    t = read(write(tmp_path, "r.csv", text))
    assert t.header_row == 3
    assert t.rows == [4]
    assert t.notes == [(1, TITLE), (5, "填表人：张某"), (6, "审核人：李某 填表日期：2021.1")]


def test_csv_quoted_newline_shifts_rows(tmp_path: Path) -> None:
    text = (
        "姓名,身份证号,村(社区),备注\n"
        '张三,410103198503081234,王村,"第一行\n第二行"\n'
        "李四,41010319850308123X,李村,\n"
    )
    t = read(write(tmp_path, "r.csv", text))
    assert t.rows == [2, 4]
    assert col(t, "备注") == ["第一行\n第二行", None]


def test_csv_multiline_header(tmp_path: Path) -> None:
    text = '姓名,"身份证号\n(18位)",村(社区)\n张三,1,王村\n李四,2,李村\n'
    t = read(write(tmp_path, "r.csv", text))
    assert t.header_row == 1
    assert t.headers[1] == "身份证号\n(18位)"
    assert t.rows == [3, 4]


def test_csv_blank_lines(tmp_path: Path) -> None:
    text = "\n姓名,身份证号,村(社区)\n\n张三,1,王村\n\n\n李四,2,李村\n  \n,,\n"
    t = read(write(tmp_path, "r.csv", text))
    assert t.header_row == 2
    assert t.rows == [4, 7]


def test_csv_crlf(tmp_path: Path) -> None:
    t = read(write(tmp_path, "r.csv", BASIC_CSV.replace("\n", "\r\n")))
    assert t.rows == [2, 3]
    assert col(t, "村(社区)") == ["王村", "李村"]


def test_csv_ragged_rows(tmp_path: Path) -> None:
    text = "姓名,身份证号,村(社区),\n张三,1\n李四,2,李村,,extra\n王五,3,王村,\n"
    t = read(write(tmp_path, "r.csv", text))
    assert t.headers == ["姓名", "身份证号", "村(社区)", "(列E)"]
    assert t.letters == ["A", "B", "C", "E"]
    assert col(t, "村(社区)") == [None, "李村", "王村"]
    assert col(t, "(列E)") == [None, "extra", None]
    assert t.rows == [2, 3, 4]


def test_csv_first_data_row_wider_than_header(tmp_path: Path) -> None:
    text = "姓名,身份证号,村(社区)\n张三,1,王村,x\n李四,2,李村\n"
    t = read(write(tmp_path, "r.csv", text))
    assert t.headers == ["姓名", "身份证号", "村(社区)", "(列D)"]
    assert col(t, "(列D)") == ["x", None]


def test_csv_no_header(tmp_path: Path) -> None:
    p = write(tmp_path, "r.csv", "a,b,c\n1,2,3\n")
    e = error(p)
    assert e.path == str(p)
    assert "身份证号" in str(e)


def test_csv_undecodable(tmp_path: Path) -> None:
    p = tmp_path / "r.csv"
    p.write_bytes(b"\xef\xbb\xbf\xff\xfe\n")
    assert "编码" in error(p).message


def _both_paths(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[RawTable, RawTable, bool]:
    used_fast: list[bool] = []
    real_fast = readers.csv._csv_fast

    def spy(*a: Any, **kw: Any) -> Any:
        out = real_fast(*a, **kw)
        used_fast.append(out is not None)
        return out

    with monkeypatch.context() as m:
        m.setattr(readers.csv, "_csv_fast", spy)
        fast = read(path)
    with monkeypatch.context() as m:
        m.setattr(readers.csv, "_fast_path_ok", lambda *a: False)
        slow = read(path)
    return fast, slow, bool(used_fast and used_fast[0])


def test_csv_fast_and_slow_paths_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "二七区资格审查表,,,\n"
        "姓名,身份证号,村(社区),出生年月,\n"
        "张三,410103198503081234,王村,1985.03\r\n"
        " 李四\u3000,\xa041010319850308123X, ,\n"
        ",,,\n"
        "王五,3\n"
        "赵六,4,刘村,1990年1月,extra\n"
        "填表人：张某,,,\n"
    )
    p = write(tmp_path, "r.csv", text, "gb18030")
    fast, slow, used = _both_paths(p, monkeypatch)
    assert fast == slow
    assert fast.rows == [3, 4, 6, 7]
    assert col(fast, "姓名") == ["张三", "李四", "王五", "赵六"]
    assert col(fast, "身份证号")[1] == "41010319850308123X"
    assert fast.notes == [(1, "二七区资格审查表"), (8, "填表人：张某")]
    # the first data row defines polars' width, so the wider row forces the slow path here
    assert not used

    text2 = (
        "二七区资格审查表,,,\r\n"
        "姓名,身份证号,村(社区),出生年月,\r\n"
        "张三,410103198503081234,王村,1985.03,x\r\n"
        " 李四\u3000,\xa041010319850308123X, ,\r\n"
        ",,,\r\n"
        "   \r\n"
        "王五,3\r\n"
        "填表人：张某,,审核人：李某,\r\n"
        "赵六,4,刘村,1990年1月,\r\n"
    )
    p2 = write(tmp_path, "r2.csv", text2, "gb18030")
    fast, slow, used = _both_paths(p2, monkeypatch)
    assert used
    assert fast == slow
    assert fast.encoding == "gb18030"
    assert fast.headers == ["姓名", "身份证号", "村(社区)", "出生年月", "(列E)"]
    assert fast.rows == [3, 4, 7, 9]
    assert col(fast, "姓名") == ["张三", "李四", "王五", "赵六"]
    assert col(fast, "村(社区)") == ["王村", None, None, "刘村"]
    assert fast.notes == [(1, "二七区资格审查表"), (8, "填表人：张某 审核人：李某")]


_CELL = st.text(alphabet="张三王村 0123456789X注：填表人\u3000", max_size=6)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(_CELL, min_size=0, max_size=6), max_size=8),
    crlf=st.booleans(),
)
def test_csv_paths_agree_property(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: list[list[str]], crlf: bool
) -> None:
    eol = "\r\n" if crlf else "\n"
    lines = ["姓名,身份证号,村(社区)"] + [",".join(r) for r in rows if r and any(r)]
    p = write(tmp_path, "p.csv", eol.join(lines) + eol)
    fast, slow, _ = _both_paths(p, monkeypatch)
    assert fast == slow


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(_CELL, min_size=0, max_size=6), max_size=8),
    titles=st.integers(min_value=0, max_value=3),
    head=st.integers(min_value=8, max_value=200),
)
def test_csv_head_decoding_agrees_property(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: list[list[str]], titles: int, head: int
) -> None:
    # Large files are read from a decoded head (the header scan) plus polars (the rest): the
    # same table as decoding everything, wherever the head ends.
    lines = ["二七区资格审查表,,"] * titles + ["姓名,身份证号,村(社区)"] + [",".join(r) for r in rows if r and any(r)]
    p = write(tmp_path, "h.csv", "\n".join(lines) + "\n")
    whole = read(p)
    with monkeypatch.context() as m:
        m.setattr(readers.csv, "_HEAD_BYTES", head)
        assert read(p) == whole


def test_csv_utf8_head_then_other_bytes_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A head that is UTF-8 does not make the file UTF-8: the rest is checked too, and the file
    # is then read (or refused) as when it is decoded whole.
    text = "姓名,身份证号,村(社区)\n张三,1,王村\n"
    p = tmp_path / "mixed.csv"
    p.write_bytes(text.encode("utf-8") + "李四,2,刘村\n".encode("gb18030"))
    whole = error(p).message
    monkeypatch.setattr(readers.csv, "_HEAD_BYTES", 16)
    assert error(p).message == whole
    assert "编码" in whole


def test_csv_columns_to_strip() -> None:
    f = pl.DataFrame({
        "c0": ["a", "b c", None], "c1": [" a", "b", None], "c2": ["a\u3000", None, None],
        "c3": ["a\xa0b", "x", None], "c4": [None, None, None], "c5": ["\tx", "y", "z"],
    })
    assert readers.csv._columns_to_strip(f) == {"c1", "c2", "c5"}
    assert readers.csv._columns_to_strip(f.head(0)) == set()


# ------------------------------------------------------------------------------------------
# yaml / json

YAML_LIST = """\
# 二七区拟任人选
- 姓名: 张三
  身份证号: '410103198503081234'
  出生日期: 1985-03-08
  是否现任: true
  推荐得票率: 0.83
  年龄: 36.0
  近亲属身份证号: [41010319850308123X, 无]
  备注:
- name: 李四
  unit: 王村
  id_number: 410103198503081234
"""


def test_yaml_list(tmp_path: Path) -> None:
    t = read(write(tmp_path, "r.yaml", YAML_LIST))
    assert t.format == "yaml" and t.header_row == 0 and t.sheet is None and t.encoding is None
    assert t.headers == [
        "姓名",
        "身份证号",
        "出生日期",
        "是否现任",
        "推荐得票率",
        "年龄",
        "近亲属身份证号",
        "备注",
        "name",
        "unit",
        "id_number",
    ]
    assert t.rows == [2, 10]  # the line of each record's first key
    assert col(t, "姓名") == ["张三", None]
    assert col(t, "出生日期") == ["1985-03-08", None]
    assert col(t, "是否现任") == ["是", None]
    assert col(t, "推荐得票率") == ["0.83", None]
    assert col(t, "年龄") == ["36", None]
    assert col(t, "近亲属身份证号") == ["41010319850308123X、无", None]
    assert col(t, "备注") == [None, None]
    assert col(t, "id_number") == [None, "410103198503081234"]
    assert t.letters == [None] * 11
    assert t.numeric == [set()] * 11
    assert t.notes == []


def test_yaml_candidates_mapping(tmp_path: Path) -> None:
    text = "policy: x\ncandidates:\n  - {姓名: 张三, 村(社区): 王村}\n  -\n    姓名: 李四\n"
    t = read(write(tmp_path, "r.yml", text))
    assert t.headers == ["姓名", "村(社区)"]
    assert t.rows == [3, 5]


def test_json(tmp_path: Path) -> None:
    text = (
        '[{"姓名": "张三", "推荐得票率": 83.0, "是否现任": false, "x": null, "id_number": '
        '410103198503081234}, {"姓名": "李四", "rel": ["a", "b"]}]'
    )
    t = read(write(tmp_path, "r.json", text))
    assert t.format == "json"
    assert t.headers == ["姓名", "推荐得票率", "是否现任", "x", "id_number", "rel"]
    assert t.rows == [1, 2]
    assert col(t, "推荐得票率") == ["83", None]
    assert col(t, "是否现任") == ["否", None]
    assert col(t, "id_number") == ["410103198503081234", None]
    assert col(t, "rel") == [None, "a、b"]


def test_json_candidates(tmp_path: Path) -> None:
    t = read(write(tmp_path, "r.json", '{"candidates": [{"姓名": "张三"}]}'))
    assert t.rows == [1] and t.headers == ["姓名"]


def test_bad_yaml(tmp_path: Path) -> None:
    p = write(tmp_path, "r.yaml", "- 姓名: 张三\n  村: [王村\n- 姓名: 李四\n")
    e = error(p)
    assert e.path == str(p)
    assert "YAML" in e.message
    assert e.line is not None and e.line >= 2


def test_yaml_duplicate_key(tmp_path: Path) -> None:
    p = write(tmp_path, "r.yaml", "- 姓名: 张三\n  姓名: 李四\n")
    e = error(p)
    assert e.line == 2


def test_bad_json(tmp_path: Path) -> None:
    p = write(tmp_path, "r.json", '[\n  {"姓名": "张三",}\n]')
    e = error(p)
    assert "JSON" in e.message
    assert e.line == 2


@pytest.mark.parametrize(
    ("name", "text", "line", "fragment"),
    [
        ("r.yaml", "just a string\n", None, "列表"),
        ("r.yaml", "- 张三\n- 李四\n", 1, "第 1 条"),
        ("r.yaml", "- 姓名: 张三\n\n- [李四]\n", 3, "第 2 条"),
        ("r.yaml", "姓名: 张三\n村: 王村\n", 1, "candidates"),
        ("r.yaml", "candidates: 3\n", None, "列表"),
        ("r.yaml", "- 姓名: 张三\n  x: {a: 1}\n", 1, "映射"),
        ("r.json", '{"people": []}', None, "candidates"),
        ("r.json", "[1, 2]", None, "第 1 条"),
    ],
)
def test_yaml_json_wrong_shape(
    tmp_path: Path, name: str, text: str, line: int | None, fragment: str
) -> None:
    p = write(tmp_path, name, text)
    e = error(p)
    assert e.path == str(p)
    assert e.line == line
    assert fragment in e.message


# A workbook column's cells, as python-calamine hands them over: every kind the reader meets.
_MIXED_CELLS: tuple[Any, ...] = (
    " 张三 ", "", "  ", None, "\x1c李四\x1f", "\u3000王五\xa0", 1.0, -0.0, 3.5, 1e-05, 0.1 + 0.2,
    410103198503081024.0, 4.10103198503081e17, 1e15, 999999999999999.0, float("inf"), float("nan"),
    7, True, False, dt.date(1990, 1, 1), dt.datetime(1985, 3, 8), dt.datetime(1985, 3, 8, 10, 30, 5, 123),
    dt.time(9, 30), dt.timedelta(days=1, hours=2),
)


@pytest.mark.parametrize("cells", [_MIXED_CELLS, tuple(c for c in _MIXED_CELLS if isinstance(c, str) or c is None)])
def test_xlsx_column_text_is_scalar_text_cell_by_cell(cells: tuple[Any, ...]) -> None:
    """The column-at-a-time conversion gives each cell the text and number flag `_scalar_text`
    gives it alone (Python's strip, including the separators Rust's whitespace lacks)."""
    from vetting.roster.readers.common import _scalar_text
    from vetting.roster.readers.xlsx import _column_text

    text, numeric = _column_text(cells)
    expected = [_scalar_text(v) for v in cells]
    assert text.to_list() == [t for t, _ in expected]
    flags = numeric.to_list() if numeric is not None else [False] * len(cells)
    assert flags == [n for _, n in expected]
