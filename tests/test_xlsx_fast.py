"""The faster xlsx path (fastexcel for the text, one scan of the sheet's XML for the numbers,
booleans and merged ranges) gives what python-calamine gives, or steps aside."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import make_xlsx
from vetting.roster.readers import read_table, xlsx
from vetting.roster.readers.xlsx_fast import FastSource, fast_columns, scan_sheet_xml

pytest.importorskip("fastexcel")

TITLE = "二七区村(社区)两委换届拟任人选资格审查表"
HEADER = ["序号", "姓名", "身份证号", "村(社区)", "出生年月", "联系电话", "是否现任"]


def _sheets(path: Path, name: str | None = None) -> tuple[xlsx._Sheet, xlsx._Sheet, bool]:
    """(fast path's sheet, python-calamine's sheet, whether the fast path answered)."""
    data = path.read_bytes()
    wb, fast = xlsx._open_workbook(str(path), data)
    assert fast is not None
    name = name or wb.sheet_names[0]
    answered = fast_columns(fast, name) is not None
    return xlsx._load_sheet(str(path), wb, name, fast), xlsx._load_sheet(str(path), wb, name, None), answered


def _same(a: xlsx._Sheet, b: xlsx._Sheet) -> None:
    assert (a.height, a.width) == (b.height, b.width)
    assert [c.to_list() for c in a.cols] == [c.to_list() for c in b.cols]
    assert [n.to_list() if n is not None else None for n in a.numeric] == [
        n.to_list() if n is not None else None for n in b.numeric
    ]
    assert a.merges == b.merges


def _roster_rows() -> list[list[Any]]:
    return [
        [TITLE],
        HEADER,
        [1.0, " 张三 ", "410103198503081234", "王村", "1985.03", 13800000000, "是"],
        [2, "李四\u3000", 410103198503081234, "王村", 198503.0, "13800000001", True],
        [3.5, "_x001C_王五_x001F_", "41010319850308123X", None, -0.0, 1e-7, False],
        [None, None, None, None, None, None, None],
        [4, "赵六", 12345678901234567890, "  ", 0.1 + 0.2, 999999999999999.0, 1e15],
        ["填表人：某某"],
    ]


def test_roster_with_title_merges_numbers_and_booleans(tmp_path: Path) -> None:
    p = make_xlsx(tmp_path / "r.xlsx", _roster_rows(), merges=["A1:G1", "D3:D5", "A8:C8"])
    fast, slow, answered = _sheets(p)
    assert answered
    _same(fast, slow)
    assert sorted(fast.merges) == [(0, 0, 0, 6), (2, 3, 4, 3), (7, 0, 7, 2)]
    assert fast.cols[2].to_list()[3] == "410103198503081000"  # Excel's 15 digits, as before
    assert fast.numeric[0] is not None and fast.numeric[0].to_list()[2:5] == [True, True, True]


def test_data_not_at_a1_and_trailing_blank_rows(tmp_path: Path) -> None:
    rows: list[list[Any]] = [[], [], [None, None, "姓名", "身份证号", "村(社区)"], [None, None, "张三", 1, "王村"]]
    p = make_xlsx(tmp_path / "r.xlsx", [*rows, [], [None, None, None, None, "  "]])
    fast, slow, answered = _sheets(p)
    assert answered
    _same(fast, slow)
    assert fast.width == 5


def test_empty_sheet_and_second_sheet(tmp_path: Path) -> None:
    p = make_xlsx(tmp_path / "r.xlsx", [], extra_sheets={"名单": [HEADER, [1, "张三"]]})
    for name in ("Sheet1", "名单"):
        fast, slow, answered = _sheets(p, name)
        assert answered
        _same(fast, slow)


def test_shared_and_inline_strings_formulas(tmp_path: Path) -> None:
    """Workbooks as XlsxWriter writes them: shared strings, or inline strings in constant-memory
    mode; formulas with a cached number or text."""
    import xlsxwriter

    for i, options in enumerate(({}, {"constant_memory": True})):
        p = tmp_path / f"w{i}.xlsx"
        wb = xlsxwriter.Workbook(str(p), options)
        ws = wb.add_worksheet("名单")
        ws.merge_range("A1:C1", TITLE)
        ws.write_row(1, 0, HEADER)
        ws.write_row(2, 0, [1, " 张三", "4101", "王村"])
        ws.write_formula(3, 0, "=A3+1", None, 2)
        ws.write_formula(3, 1, '="李"&"四"', None, "李四")
        ws.write_boolean(3, 2, True)
        ws.write_number(3, 3, 0.25)
        wb.close()
        fast, slow, answered = _sheets(p)
        assert answered, options
        _same(fast, slow)
        assert fast.cols[0].to_list()[3] == "2" and fast.cols[1].to_list()[3] == "李四"


def test_whole_day_dates_read_as_python_calamine_reads_them(tmp_path: Path) -> None:
    """Numbers under a date format (built-in or a code of year, month and day) are dates on the
    fast path too, across Excel's phantom 29 February 1900 and up to 9999-12-31."""
    serials = [1, 2, 59, 60, 61, 365, 366, 31114.0, 44197, 2958465]
    formats = ["mm-dd-yy", "yyyy/m/d", "yyyy-mm-dd", 'yyyy"年"m"月"d"日";@', "d-mmm-yy"]
    rows: list[list[Any]] = [["姓名", *formats]]
    rows += [[f"人{i}", *([v] * len(formats))] for i, v in enumerate(serials)]
    rows += [["张三", dt.date(1985, 3, 8), dt.datetime(1990, 1, 1), dt.date(1900, 1, 1), "1985.03", None]]
    fmt = {f"{chr(66 + j)}{r}": code for j, code in enumerate(formats) for r in range(2, len(rows) + 1)}
    fast, slow, answered = _sheets(make_xlsx(tmp_path / "d.xlsx", rows, number_formats=fmt))
    assert answered
    _same(fast, slow)
    assert fast.cols[1].to_list()[1:5] == ["1900-01-01", "1900-01-02", "1900-02-28", "1900-02-28"]
    assert fast.numeric[1] is None  # dates are not numbers stored as such


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (dt.time(9, 30), "h:mm"),  # a time of day
        (dt.datetime(1985, 3, 8, 10, 30), "yyyy-mm-dd h:mm"),  # a date with a time
        (31114.5, "yyyy/m/d"),  # a fraction under a date format: a datetime
        (1.5, "[h]:mm:ss"),  # a duration
        (3, '0.0"岁"'),  # a number format of its own, not known to be plain
    ],
)
def test_times_durations_and_unknown_formats_leave_it_to_calamine(tmp_path: Path, value: Any, code: str) -> None:
    rows = [HEADER, [1, "张三", "x", "王村", value]]
    fast, slow, answered = _sheets(make_xlsx(tmp_path / "t.xlsx", rows, number_formats={"E2": code}))
    assert not answered
    _same(fast, slow)


def test_dates_of_the_1904_system_leave_it_to_calamine(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    p = make_xlsx(tmp_path / "d.xlsx", [HEADER, [1, "张三", "x", "王村", 31114]], number_formats={"E2": "yyyy/m/d"})
    wb = load_workbook(p)
    wb.epoch = dt.datetime(1904, 1, 1)  # openpyxl writes date1904="1"
    wb.save(p)
    with zipfile.ZipFile(p) as z:
        assert b'date1904="1"' in z.read("xl/workbook.xml")
    fast, slow, answered = _sheets(p)
    assert not answered
    _same(fast, slow)
    rows = [HEADER, [1, "张三", "x", "王村", 7]]
    assert _sheets(make_xlsx(tmp_path / "n.xlsx", rows))[2]  # (plain numbers: the fast path)


def test_date_styles_on_text_and_empty_cells_do_not_matter(tmp_path: Path) -> None:
    """A date or time format on cells that hold text (dates typed as text, as rosters often
    have them) or nothing changes no value."""
    rows = [HEADER, [1, "张三", "x", "王村", "1985.03"], [2, "李四", "y", "王村", None, 3.5]]
    formats = {"E2": "yyyy/m/d", "E3": "h:mm", "F3": "0.00"}
    fast, slow, answered = _sheets(make_xlsx(tmp_path / "t.xlsx", rows, number_formats=formats))
    assert answered
    _same(fast, slow)


def _rewrite_sheet(src: Path, dst: Path, edit: Any) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data)
            zout.writestr(item, data)
    return dst


@pytest.mark.parametrize(
    "edit",
    [
        # an error value
        lambda x: x.replace(b'<c r="A3" t="n"><v>1</v></c>', b'<c r="A3" t="e"><v>#N/A</v></c>'),
        # single-quoted attributes
        lambda x: x.replace(b'<c r="A3" t="n">', b"<c r='A3' t='n'>"),
        # a value element with an attribute
        lambda x: x.replace(b'<c r="A3" t="n"><v>1</v>', b'<c r="A3" t="n"><v xml:space="preserve">1</v>'),
        # elements with a namespace prefix
        lambda x: re.sub(rb"<(/?)(\w+)", rb"<\1x:\2", x).replace(b'xmlns="', b'xmlns:x="'),
        # a number calamine would parse differently (or not at all)
        lambda x: x.replace(b"<v>1</v>", b"<v>1_0</v>"),
        # a merged range written in a way the scan does not read
        lambda x: x.replace(b'<mergeCell ref="A1:D1" />', b'<mergeCell ref="$A$1:$D$1" />'),
    ],
)
def test_unusual_xml_steps_aside(tmp_path: Path, edit: Any) -> None:
    rows = [[TITLE], HEADER, [1, "张三", "4101"], [2, "李四", "4102"]]
    base = make_xlsx(tmp_path / "base.xlsx", rows, merges=["A1:D1"])
    with zipfile.ZipFile(base) as z:
        original = z.read("xl/worksheets/sheet1.xml")
    assert edit(original) != original  # the edit applies to what openpyxl writes
    p = _rewrite_sheet(base, tmp_path / "edited.xlsx", edit)
    data = p.read_bytes()
    with zipfile.ZipFile(p) as z:
        xml = z.read("xl/worksheets/sheet1.xml")
    assert scan_sheet_xml(xml) is None
    assert fast_columns(FastSource(data, {"xl/worksheets/sheet1.xml": [xml]}), "Sheet1") is None


def test_merged_ranges_as_openpyxl_sees_them(tmp_path: Path) -> None:
    """The scan's merged ranges against openpyxl's view of the same workbook."""
    from openpyxl import load_workbook

    merges = ["A1:G1", "B3:B9", "C4:F4", "AA10:AC12", "D20:D21"]
    p = make_xlsx(tmp_path / "m.xlsx", [HEADER, [1, "张三"]], merges=merges)
    with zipfile.ZipFile(p) as z:
        scan = scan_sheet_xml(z.read("xl/worksheets/sheet1.xml"))
    assert scan is not None
    ws = load_workbook(p).active
    assert ws is not None
    seen = sorted((r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1) for r in ws.merged_cells.ranges)
    assert sorted(scan.merges) == seen


_TEXT = st.text(alphabet=st.sampled_from(list("张三 王\u3000\xa0\t\n村1x _")), max_size=6)
_CELL = st.one_of(
    st.none(),
    _TEXT,
    st.booleans(),
    st.integers(min_value=-(10**18), max_value=10**18),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(_CELL, min_size=0, max_size=6), min_size=0, max_size=8),
    top=st.integers(min_value=0, max_value=3),
    left=st.integers(min_value=0, max_value=3),
    merge=st.booleans(),
)
def test_paths_agree_property(tmp_path: Path, rows: list[list[Any]], top: int, left: int, merge: bool) -> None:
    grid: list[list[Any]] = [[] for _ in range(top)] + [[None] * left + r for r in rows]
    p = make_xlsx(tmp_path / "p.xlsx", grid, merges=["B2:C3"] if merge else [])
    fast, slow, answered = _sheets(p)
    assert answered
    _same(fast, slow)


def test_reader_output_equal_without_fastexcel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole table (headers, values, rows, letters, number flags, notes) with and without the
    optional package, for the example workbook and a roster with titles and merges."""
    from vetting.roster.columns import BUILTIN_FIELDS
    from vetting.roster.headers import HeaderMatcher

    matcher = HeaderMatcher(BUILTIN_FIELDS)
    made = make_xlsx(tmp_path / "r.xlsx", _roster_rows(), merges=["A1:G1", "D3:D5", "A8:C8"])
    example = Path(__file__).resolve().parent.parent / "examples" / "二七区两委换届拟任人选.xlsx"
    for path in (made, example):
        fast = read_table(path, matcher=matcher)
        with monkeypatch.context() as m:
            m.setattr(xlsx, "fast_available", lambda: False)
            slow = read_table(path, matcher=matcher)
        assert fast == slow
        assert all(isinstance(c, pl.Series) for c in fast.columns)


def test_keep_returns_the_sheets_xml(tmp_path: Path) -> None:
    from vetting.roster.readers.xlsx_guard import check_workbook

    p = make_xlsx(tmp_path / "r.xlsx", [HEADER], extra_sheets={"二": [["x"]]})
    data = p.read_bytes()
    kept = check_workbook(str(p), data, keep=True)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        expected = {n: z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")}
    assert {n: b"".join(pieces) for n, pieces in kept.items()} == expected
    assert check_workbook(str(p), data) == {}


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.floats(allow_nan=False, allow_infinity=False, width=64).map(repr),
        st.from_regex(r"-?[0-9]{1,25}(\.[0-9]{0,25})?([eE][-+]?[0-9]{1,3})?", fullmatch=True),
    )
)
def test_value_text_to_float_as_python_reads_it(text: str) -> None:
    """Polars turns a cell's value text into the float Python's float() (and calamine) make."""
    from vetting.roster.readers.xlsx_fast import _NUMBER

    if not re.fullmatch(_NUMBER.strip("^$"), text):
        return
    got = pl.Series([text]).cast(pl.Float64).item()
    want = float(text)
    assert got == want or (got != got and want != want)
    assert repr(got) == repr(want)  # -0.0 too


def test_alignment_check_catches_a_shifted_frame(tmp_path: Path) -> None:
    """If fastexcel placed rows or columns other than where the XML puts its cells (another
    reading of `skip_rows=0` or `absolute_index`), the fast path steps aside."""
    from vetting.roster.readers.xlsx_fast import _aligned

    p = make_xlsx(tmp_path / "a.xlsx", [[], [None, "姓名"], [None, 1.0], [None, True]])
    with zipfile.ZipFile(p) as z:
        scan = scan_sheet_xml(z.read("xl/worksheets/sheet1.xml"))
    assert scan is not None and scan.first_cell == (1, 1)
    frame = pl.DataFrame({"B": [None, "姓名", "1", "true"]})
    assert _aligned(frame, 1, scan)
    assert not _aligned(frame.slice(1), 1, scan)  # rows counted from the first non-empty one
    assert not _aligned(frame, 0, scan)  # columns counted from A although the data starts at B
    assert not _aligned(pl.DataFrame({"B": [None, "姓名", None, "true"]}), 1, scan)
