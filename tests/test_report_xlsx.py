"""The annotated workbook: a copy of the roster with highlighted, commented cells, a findings
sheet and a summary; the source file is never changed."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.conftest import make_xlsx
from tests.test_report_html import AS_OF, ID_BAD, build_result, roster_rows
from vetting.cli import app
from vetting.engine import LintResult, lint
from vetting.errors import UserError
from vetting.findings import Finding, Location, Severity, Subject
from vetting.policy.resolve import load_policies
from vetting.report import ReportOptions
from vetting.report.xlsx import FILLS, write
from vetting.roster.load import load_roster

COLUMNS = ["代码", "级别", "类别", "标题", "县(市、区)", "乡镇(街道)", "村(社区)", "姓名", "身份证号",
           "行", "单元格", "问题说明", "依据", "豁免"]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fill(cell) -> str:  # type: ignore[no-untyped-def]
    return str(cell.fill.fgColor.rgb)[-6:] if cell.fill and cell.fill.fill_type == "solid" else ""


def with_extra(result: LintResult, *more: Finding) -> LintResult:
    return dataclasses.replace(result, findings=[*result.findings, *more])


def test_xlsx_input_is_copied_and_annotated(tmp_path: Path) -> None:
    result = build_result(tmp_path)
    src = Path(result.inputs[0].path)
    before = sha(src)
    s0 = result.roster.sources[0]  # type: ignore[union-attr]
    # A second, weaker finding on the DQ001 cell (B3): one comment lists both, red wins.
    weaker = Finding("SQ01", Severity.WARNING, "七不宜", "person", "测试", "第二个问题",
                     subject=Subject(None, "甲镇", "东村", "张三", ID_BAD, "p1"),
                     location=Location(s0.path, s0.sheet, 3, "身份证号", "B3"))
    result = with_extra(result, weaker)
    out = tmp_path / "out.xlsx"
    write(result, ReportOptions(), out)
    assert sha(src) == before  # the roster itself is only read

    wb = load_workbook(out)
    assert wb.sheetnames == ["Sheet1", "审查结果", "汇总"]
    ws = wb["Sheet1"]
    # the copy keeps the user's content and merges
    assert ws["A1"].value == "某县两委换届拟任人选" and "A1:I1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["B3"].value == ID_BAD[:6] + "*" * 8 + ID_BAD[-4:]  # masked in the copy (cli.md)
    # DQ001 (error) and SQ01 (warning) on B3: red, one comment with both
    assert fill(ws["B3"]) == FILLS["error"]
    text = ws["B3"].comment.text
    assert "DQ001 错误" in text and "SQ01 警告：第二个问题" in text
    assert text.index("DQ001") < text.index("SQ01")
    assert ID_BAD not in text  # messages are masked
    # DQ002 on the gender cell of the hostile-name row (row 6: C6)
    assert fill(ws["C6"]) == FILLS["error"] and "DQ002" in ws["C6"].comment.text
    # ST001 on row 8 has no cell: the row's name cell (A8) is highlighted; TN07 on A8 is waived
    assert fill(ws["A8"]) == FILLS["warning"]
    assert "ST001" in ws["A8"].comment.text and "TN07" in ws["A8"].comment.text and "已豁免" in ws["A8"].comment.text
    # cells without findings are left as they were
    assert ws["A4"].comment is None and fill(ws["A4"]) == ""

    fs = wb["审查结果"]
    header = [c.value for c in fs[1]]
    assert header == COLUMNS
    rows = list(fs.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(result.findings)
    assert fs.freeze_panes == "A2"
    assert fs.auto_filter.ref == f"A1:N{len(rows) + 1}"
    by_code = {r[0]: r for r in rows}
    dq1 = by_code["DQ001"]
    assert dq1[1] == "错误" and dq1[7] == "张三" and dq1[8] == ID_BAD[:6] + "********" + ID_BAD[-4:]
    assert dq1[9] == 3 and dq1[10] == "B3" and dq1[12] == "GB 11643-1999"
    link = fs.cell(row=2 + [r[0] for r in rows].index("DQ001"), column=11).hyperlink
    assert link is not None and link.location == "'Sheet1'!B3"
    assert by_code["TN07"][13].startswith("已豁免：经区委组织部研究同意")
    assert by_code["ST002"][5] == "甲镇" and by_code["ST002"][9] is None
    for r in rows:
        assert r[8] is None or "*" in r[8]

    summ = wb["汇总"]
    cells = [v for row in summ.iter_rows(values_only=True) for v in row if v is not None]
    assert "按规则" in cells and "按乡镇(街道)" in cells and "甲镇" in cells and "乙乡" in cells
    c = result.counts()
    labels = [c2.value for c2 in next(r for r in summ.iter_rows() if r[0].value == "错误")]
    row_idx = next(r[0].row for r in summ.iter_rows() if r[0].value == "错误")
    assert labels[:4] == ["错误", "警告", "提示", "已豁免"]
    assert [summ.cell(row=row_idx + 1, column=j).value for j in range(1, 5)] == [
        c["error"], c["warning"], c["info"], c["waived"]]


def test_show_pii_keeps_full_ids(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    write(build_result(tmp_path), ReportOptions(show_pii=True), out)
    ids = [r[8] for r in load_workbook(out)["审查结果"].iter_rows(min_row=2, values_only=True)]
    assert ID_BAD in ids


def csv_roster(tmp_path: Path) -> Path:
    rows = roster_rows()
    lines = ["某县两委换届拟任人选"] + [",".join("" if v is None else str(v) for v in r) for r in rows[1:]]
    p = tmp_path / "roster.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def lint_paths(*paths: Path) -> LintResult:
    pol = load_policies(["national"])
    roster = load_roster(list(paths), fields=pol.fields.values())
    return lint(roster, pol, as_of=AS_OF, select=["DQ"])


def test_csv_input_becomes_a_sheet_with_the_same_cells(tmp_path: Path) -> None:
    src = csv_roster(tmp_path)
    before = sha(src)
    result = lint_paths(src)
    dq1 = next(f for f in result.findings if f.code == "DQ001")
    assert dq1.location.cell == "B3"
    out = tmp_path / "out.xlsx"
    write(result, ReportOptions(), out)
    assert sha(src) == before
    wb = load_workbook(out)
    assert wb.sheetnames == ["roster", "审查结果", "汇总"]
    ws = wb["roster"]
    assert ws["A1"].value == "某县两委换届拟任人选"  # the title line, where it was
    assert [c.value for c in ws[2]][:9] == roster_rows()[1]  # the original headers on line 2
    assert ws["B3"].value == ID_BAD[:6] + "*" * 8 + ID_BAD[-4:] and isinstance(ws["B3"].value, str)
    assert ws["A4"].value == "李四"
    assert fill(ws["B3"]) == FILLS["error"] and "DQ001" in ws["B3"].comment.text
    dq2 = next(f for f in result.findings if f.code == "DQ002")
    assert fill(ws[dq2.location.cell]) == FILLS["error"]  # type: ignore[index]
    assert len(list(wb["审查结果"].iter_rows(min_row=2))) == len(result.findings)


def test_yaml_input_rows_follow_the_records(tmp_path: Path) -> None:
    src = tmp_path / "r.yaml"
    src.write_text(
        f'- 姓名: 张三\n  身份证号: "{ID_BAD}"\n  村(社区): 东村\n  拟任党组织职务: 书记\n'
        '- 姓名: 李四\n  身份证号: "x"\n  村(社区): 东村\n  拟任党组织职务: 委员\n  籍贯: 河南\n',
        encoding="utf-8",
    )
    result = lint_paths(src)
    out = tmp_path / "out.xlsx"
    write(result, ReportOptions(), out)
    ws = load_workbook(out)["r"]
    header = [c.value for c in ws[1]]
    assert header[0] == "原文件行" and "身份证号" in header and "籍贯" in header
    id_col = "ABCDEFGHIJ"[header.index("身份证号")]
    assert ws["A2"].value == 1 and ws["B2"].value == "张三"
    assert fill(ws[f"{id_col}2"]) == FILLS["error"] and "DQ001" in ws[f"{id_col}2"].comment.text
    # the unknown column's note sits on its header cell
    origin_col = "ABCDEFGHIJ"[header.index("籍贯")]
    assert "DQ008" in ws[f"{origin_col}1"].comment.text


def test_several_inputs_each_get_a_sheet(tmp_path: Path) -> None:
    a = make_xlsx(tmp_path / "a.xlsx", roster_rows(), merges=["A1:I1"])
    b = csv_roster(tmp_path)
    result = lint_paths(a, b)
    out = tmp_path / "out.xlsx"
    write(result, ReportOptions(), out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["a-Sheet1", "roster", "审查结果", "汇总"]
    assert "A1:I1" in {str(r) for r in wb["a-Sheet1"].merged_cells.ranges}
    for name in ("a-Sheet1", "roster"):
        assert "DQ001" in wb[name]["B3"].comment.text
    header = [c.value for c in wb["审查结果"][1]]
    assert header[-1] == "文件"


def test_output_must_not_be_the_roster(tmp_path: Path) -> None:
    result = build_result(tmp_path)
    with pytest.raises(UserError):
        write(result, ReportOptions(), Path(result.inputs[0].path))


def test_cli_xlsx_needs_o_and_writes(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "r.xlsx", roster_rows(), merges=["A1:I1"])
    runner = CliRunner()
    r = runner.invoke(app, ["lint", str(path), "--select", "DQ", "-f", "xlsx"])
    assert r.exit_code == 2
    out = tmp_path / "annotated.xlsx"
    r = runner.invoke(app, ["lint", str(path), "--select", "DQ", "--as-of", "2021-01-10", "-f", "xlsx", "-o", str(out)])
    assert r.exit_code == 1, r.output
    assert "审查结果" in load_workbook(out).sheetnames


def test_without_the_roster_only_the_report_sheets(tmp_path: Path) -> None:
    result = dataclasses.replace(build_result(tmp_path), roster=None)
    out = tmp_path / "out.xlsx"
    write(result, ReportOptions(), out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["审查结果", "汇总"]
    assert len(list(wb["审查结果"].iter_rows(min_row=2))) == len(result.findings)
