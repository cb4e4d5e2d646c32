"""The unit table (单位信息) and the election procedure rules PR001-PR012, end to end: a roster
workbook with a 单位信息 sheet, and the same table as a separate GBK CSV (`--units`)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import make_xlsx
from vetting.cli import app
from vetting.policy.resolve import load_policies
from vetting.roster.load import load_roster
from vetting.testing import make_id
from vetting.units.load import load_units

runner = CliRunner()
ROSTER_HEADER = ["姓名", "身份证号", "民族", "乡镇(街道)", "村(社区)", "拟任党组织职务", "拟任村(居)委会职务", "拟任村(居)务监督委员会职务"]
UNIT_HEADER = [
    "序号", "乡镇（街道）", "村(社区)", "是否多民族", "正式党员数", "党组织类型", "党组织委员职数", "党组织委员候选人数",
    "村(居)委会职数", "主任候选人数", "副主任职数", "副主任候选人数", "村(居)委会委员候选人数", "选民名单公布日期",
    "候选人名单公布日期", "离任审计结果公布日期", "选举日期", "村(居)民代表人数", "女性代表人数",
]
# A unit meeting every rule (its roster: 书记兼主任, a 委员 on both, a 村委会委员).
PASSING: dict[str, Any] = {
    "是否多民族": "否", "正式党员数": "30人", "党组织类型": "党支部", "党组织委员职数": 2, "党组织委员候选人数": 3,
    "村(居)委会职数": 3, "主任候选人数": 2, "副主任职数": 0, "副主任候选人数": "/", "村(居)委会委员候选人数": 3,
    "选民名单公布日期": dt.date(2020, 12, 1), "候选人名单公布日期": "2021.01.01", "离任审计结果公布日期": "2020年12月20日",
    "选举日期": dt.date(2021, 1, 10), "村(居)民代表人数": 30, "女性代表人数": 10,
}
VARIANTS: list[tuple[str, str, dict[str, Any]]] = [
    ("某镇", "甲村", {"党组织委员候选人数": 2, "选民名单公布日期": "2020.12.22"}),  # PR001, PR003
    ("某镇", "乙村", {"主任候选人数": 1, "候选人名单公布日期": "2021年1月6日"}),  # PR002, PR004
    ("某镇", "丙村", {"离任审计结果公布日期": dt.date(2021, 1, 10), "女性代表人数": 9}),  # PR005, PR009
    ("某镇", "丁村", {"是否多民族": "是"}),  # PR006 (all 汉族), PR011 (2 supervisors)
    ("某镇", "戊村", {"正式党员数": 6, "党组织类型": "党总支", "党组织委员职数": 3, "党组织委员候选人数": 4}),  # PR007, PR008, PR010
    ("某镇", "庚村", {}),  # PR012: no people in the roster
    ("别镇", "辛村", {}),  # DQ003: a township the roster does not know
    ("某镇", "甲村", {}),  # DQ005: 甲村 twice
    ("某镇", "壬村", {"候选人名单公布日期": "下月初"}),  # DQ003 (and DQ010 for PR004)
]
EXPECTED = sorted([
    ("PR001", "甲村", "党组织委员候选人数", 3),
    ("PR003", "甲村", "选民名单公布日期", 3),
    ("PR002", "乙村", "主任候选人数", 4),
    ("PR004", "乙村", "候选人名单公布日期", 4),
    ("PR005", "丙村", "离任审计结果公布日期", 5),
    ("PR009", "丙村", "女性代表人数", 5),
    ("PR006", "丁村", "是否多民族", 6),
    ("PR011", "丁村", "村(社区)", 6),
    ("PR007", "戊村", "正式党员数", 7),
    ("PR008", "戊村", "党组织类型", 7),
    ("PR010", "戊村", "党组织委员职数", 7),
    ("PR012", "庚村", "村(社区)", 8),
    ("DQ003", "辛村", "乡镇（街道）", 9),
    ("DQ005", "甲村", "村(社区)", 10),
    ("DQ003", "壬村", "候选人名单公布日期", 11),
    ("DQ010", "壬村", "候选人名单公布日期", 11),
])


def _people() -> list[list[Any]]:
    rows: list[list[Any]] = []
    n = 0
    for unit in ("甲村", "乙村", "丙村", "丁村", "戊村", "壬村", "己村"):
        for name, party, committee, sup in (("书记", "书记", "主任", None), ("委员", "委员", "委员", None), ("村委", None, "委员", None)):
            n += 1
            rows.append([f"{unit}{name}", make_id(dt.date(1980, 1, 1) + dt.timedelta(days=n), n, False), "汉族", "某镇", unit, party, committee, sup])
    for i in range(2):  # 丁村's supervisory committee: 2 people
        n += 1
        rows.append([f"丁村监委{i}", make_id(dt.date(1980, 1, 1) + dt.timedelta(days=n), n, False), "汉族", "某镇", "丁村", None, None, "委员"])
    return rows


def _unit_rows() -> list[list[Any]]:
    out = []
    for i, (town, unit, changes) in enumerate(VARIANTS, start=1):
        values = {**PASSING, **changes}
        out.append([i, town, unit, *(values[h] for h in UNIT_HEADER[3:])])
    return out


def _workbook(path: Path) -> Path:
    title = ["某镇村(社区)“两委”换届基本情况表"]
    return make_xlsx(
        path, [["某镇两委换届拟任人选"], ROSTER_HEADER, *_people()], merges=["A1:H1"],
        extra_sheets={"单位信息": [title, UNIT_HEADER, *_unit_rows(), ["填表人：张某"]]},
    )


def _gbk_csv(path: Path) -> Path:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["某镇村(社区)“两委”换届基本情况表"])
    w.writerow(UNIT_HEADER)
    for row in _unit_rows():
        w.writerow([v.strftime("%Y/%m/%d") if isinstance(v, dt.date) else v for v in row])
    path.write_bytes(buf.getvalue().encode("gbk"))
    return path


def _findings(args: list[str]) -> list[dict[str, Any]]:
    r = runner.invoke(app, ["lint", *args, "-f", "json", "--select", "PR,DQ003,DQ004,DQ005,DQ010", "--as-of", "2021-01-10"])
    assert r.exit_code == 1, r.output
    return json.loads(r.stdout)["findings"]


def _key(f: dict[str, Any]) -> tuple[str, str, str, int]:
    return (f["code"], f["subject"]["unit"], f["location"]["column"], f["location"]["row"])


def test_every_pr_code_fires_where_units_md_says_on_the_workbook_sheet(tmp_path: Path) -> None:
    wb = _workbook(tmp_path / "roster.xlsx")
    found = _findings([str(wb)])
    table = sorted(_key(f) for f in found if f["location"]["sheet"] == "单位信息" and f["subject"]["unit"] != "己村")
    assert table == EXPECTED
    (pr012,) = [f for f in found if f["code"] == "PR012" and f["subject"]["unit"] == "己村"]
    assert pr012["location"]["sheet"] == "Sheet1" and pr012["location"]["row"] == 21  # its first roster row
    by = {(f["code"], f["subject"]["unit"]): f for f in found}
    assert by["PR001", "甲村"]["message"].startswith("党组织委员差额比例 (2−2)/2 = 0% < 20%，还需1名候选人")
    assert by["PR001", "甲村"]["location"]["cell"] == "H3"
    assert by["PR001", "甲村"]["measure"] == {"numerator": 0.0, "denominator": 2.0, "value": 0.0, "target": 0.2, "missing": 1}
    assert by["PR003", "甲村"]["message"].startswith("选民名单于选举前19日公布，少于20日")
    assert "村(居)委会3人，均为汉族" in by["PR006", "丁村"]["message"]
    assert by["PR010", "戊村"]["message"].startswith("名单中党组织拟任2人，职数3人")
    assert "下月初" in by["DQ003", "壬村"]["message"]


def test_a_separate_gbk_csv_gives_the_same_findings(tmp_path: Path) -> None:
    roster = make_xlsx(tmp_path / "roster.xlsx", [ROSTER_HEADER, *_people()])
    units = _gbk_csv(tmp_path / "单位信息.csv")
    found = _findings([str(roster), "--units", str(units)])
    table = sorted(_key(f) for f in found if f["location"]["path"] == str(units))
    assert table == EXPECTED
    assert any(f["code"] == "PR012" and f["subject"]["unit"] == "己村" for f in found)


def test_without_a_unit_table_one_note_and_no_pr_finding(tmp_path: Path) -> None:
    roster = make_xlsx(tmp_path / "roster.xlsx", [ROSTER_HEADER, *_people()])
    r = runner.invoke(app, ["lint", str(roster), "-f", "json", "--as-of", "2021-01-10"])
    assert not [f for f in json.loads(r.stdout)["findings"] if f["code"].startswith("PR")]
    assert r.stderr.count("没有单位信息表") == 1 and "PR001-PR012" in r.stderr


def test_a_unit_table_without_a_unit_column_is_exit_2_naming_the_file(tmp_path: Path) -> None:
    roster = make_xlsx(tmp_path / "roster.xlsx", [ROSTER_HEADER, *_people()])
    units = make_xlsx(tmp_path / "units.xlsx", [["乡镇(街道)", "正式党员数", "党组织委员职数"], ["某镇", 30, 5]])
    r = runner.invoke(app, ["lint", str(roster), "--as-of", "2021-01-10", "--units", str(units)])
    assert r.exit_code == 2
    assert str(units) in r.stderr and "单位信息表" in r.stderr and "Traceback" not in r.stderr


def test_unit_names_match_without_township_when_unique_and_ambiguity_is_dq004(tmp_path: Path) -> None:
    pol = load_policies(["national"])
    roster_path = tmp_path / "r.json"
    people = [
        {"姓名": "甲", "身份证号": make_id(dt.date(1980, 1, 1), 1, False), "乡镇(街道)": "东镇", "村(社区)": "新村", "拟任党组织职务": "书记"},
        {"姓名": "乙", "身份证号": make_id(dt.date(1980, 1, 2), 2, False), "乡镇(街道)": "西镇", "村(社区)": "新村", "拟任党组织职务": "书记"},
        {"姓名": "丙", "身份证号": make_id(dt.date(1980, 1, 3), 3, False), "乡镇(街道)": "西镇", "村(社区)": "老村", "拟任党组织职务": "书记"},
    ]
    roster_path.write_text(json.dumps(people, ensure_ascii=False), encoding="utf-8")
    roster = load_roster([roster_path], fields=pol.fields.values())
    units_path = tmp_path / "u.yaml"
    units_path.write_text("- {村(社区): 新村}\n- {村(社区): 老村, 正式党员数: 12}\n- {乡镇(街道): 东镇, 村(社区): 新村}\n", encoding="utf-8")
    table = load_units([(units_path, None)], roster)
    assert [(f.code, f.location.row, f.location.column) for f in table.findings] == [("DQ004", 1, "乡镇(街道)")]
    groups = {r.row: r.group for r in table.rows}
    assert groups == {1: None, 2: (None, "西镇", "老村"), 3: (None, "东镇", "新村")}
    assert table.unmatched_roster == []  # the ambiguous row claims both 新村: no PR012 for them


@pytest.mark.parametrize("code", [f"PR{i:03d}" for i in range(1, 13)])
def test_explain_works_for_every_pr_code(code: str) -> None:
    r = runner.invoke(app, ["explain", code])
    assert r.exit_code == 0, r.output
    assert code in r.stdout


def test_template_unit_sheet_filled_in_is_read_and_checked(tmp_path: Path) -> None:
    import openpyxl

    from vetting.template import write_template
    from vetting.units.template import FIRST_DATA_ROW, HEADER_ROW, UNIT_SHEET

    path = tmp_path / "t.xlsx"
    write_template(path, [])
    wb = openpyxl.load_workbook(path)
    ws = wb[UNIT_SHEET]
    headers = [c.value for c in ws[HEADER_ROW]]
    assert headers[:4] == ["序号", "县(市、区)", "乡镇(街道)", "村(社区)"] and "选民名单公布日期" in headers
    assert ws.cell(HEADER_ROW, headers.index("党组织类型") + 1).comment is not None
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    col = openpyxl.utils.get_column_letter(headers.index("党组织类型") + 1)
    assert lists[f"{col}{FIRST_DATA_ROW}"] == '"党支部,党总支,党委"'
    roster = wb["拟任人选"]
    roster_headers = [c.value for c in roster[3]]
    person = {"身份证号": make_id(dt.date(1980, 5, 1), 1, False), "姓名": "张三", "乡镇(街道)": "某镇", "村(社区)": "甲村", "拟任党组织职务": "书记"}
    for k, v in person.items():
        roster.cell(4, roster_headers.index(k) + 1, v)
    unit = {"乡镇(街道)": "某镇", "村(社区)": "甲村", "选民名单公布日期": "2020-12-22", "选举日期": "2021-01-10"}
    for k, v in unit.items():
        ws.cell(FIRST_DATA_ROW, headers.index(k) + 1, v)
    wb.save(path)
    found = _findings([str(path)])
    (pr003,) = [f for f in found if f["code"] == "PR003"]
    col = openpyxl.utils.get_column_letter(headers.index("选民名单公布日期") + 1)
    assert pr003["location"]["sheet"] == UNIT_SHEET and pr003["location"]["cell"] == f"{col}{FIRST_DATA_ROW}"


def test_stats_adds_margin_and_days_of_notice(tmp_path: Path) -> None:
    wb = _workbook(tmp_path / "roster.xlsx")
    r = runner.invoke(app, ["stats", str(wb), "--as-of", "2021-01-10", "-f", "json"])
    assert r.exit_code == 0, r.output
    proc = json.loads(r.stdout)["procedure"]
    by = {u["unit"]: u for u in proc["units"]}
    assert by["甲村"]["party_margin"] == 0.0 and by["甲村"]["voter_list_days"] == 19
    assert by["乙村"]["candidate_list_days"] == 4 and by["丙村"]["party_margin"] == 0.5
    assert by["壬村"]["candidate_list_days"] is None  # unreadable: not counted
    assert proc["min_voter_list_days"] == 19 and proc["min_candidate_list_days"] == 4
    # Σ(candidates − seats) / Σ seats over the units giving both (甲村 twice counts once)
    units = [u for u in proc["units"] if u["party_seats"]]
    want = sum(u["party_candidates"] - u["party_seats"] for u in units) / sum(u["party_seats"] for u in units)
    assert proc["party_margin"] == pytest.approx(want)
    text = runner.invoke(app, ["stats", str(wb), "--as-of", "2021-01-10"]).stdout
    assert "换届程序" in text and "最少19" in text


def test_reports_show_the_unit_table(tmp_path: Path) -> None:
    import openpyxl

    wb = _workbook(tmp_path / "roster.xlsx")
    base = ["lint", str(wb), "--as-of", "2021-01-10"]
    console = runner.invoke(app, [*base, "--select", "PR,DQ"]).stdout
    block = console.split("某镇 › 甲村", 1)[1].split("\n\n", 1)[0]
    assert "换届程序（单位信息）" in block and "PR001" in block and "PR003" in block
    html = runner.invoke(app, [*base, "-f", "html"]).stdout
    section = html.split('<section class="wrap procedure">', 1)[1].split("</section>", 1)[0]
    assert "换届程序（单位信息表）" in section and "<b>甲村</b>" in section and "PR001" in section
    out = tmp_path / "out.xlsx"
    r = runner.invoke(app, [*base, "-f", "xlsx", "-o", str(out)])
    assert r.exit_code == 1, r.output
    ws = openpyxl.load_workbook(out)["单位信息"]
    assert ws["H3"].comment is not None and ws["H3"].comment.text.startswith("PR001 错误：党组织委员差额比例 (2−2)/2")
    assert ws["H3"].fill.fgColor.rgb.endswith("FFC7CE")
    # a separate GBK CSV unit table becomes its own sheet, its cells where they were in the file
    roster = make_xlsx(tmp_path / "r2.xlsx", [ROSTER_HEADER, *_people()])
    units = _gbk_csv(tmp_path / "单位信息.csv")
    out2 = tmp_path / "out2.xlsx"
    runner.invoke(app, ["lint", str(roster), "--units", str(units), "--as-of", "2021-01-10", "-f", "xlsx", "-o", str(out2)])
    ws2 = openpyxl.load_workbook(out2)["单位信息"]
    assert ws2["H3"].value == "2" and ws2["H3"].comment.text.startswith("PR001")


def test_bad_unit_table_files_are_exit_2_with_the_file(tmp_path: Path) -> None:
    roster = make_xlsx(tmp_path / "roster.xlsx", [ROSTER_HEADER, *_people()])
    missing = runner.invoke(app, ["lint", str(roster), "--as-of", "2021-01-10", "--units", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2 and "nope.csv" in missing.stderr and "文件不存在" in missing.stderr
    bad_yaml = tmp_path / "u.yaml"
    bad_yaml.write_text("- {村(社区): 甲村\n", encoding="utf-8")
    r = runner.invoke(app, ["lint", str(roster), "--as-of", "2021-01-10", "--units", str(bad_yaml)])
    assert r.exit_code == 2 and f"{bad_yaml}:" in r.stderr and "Traceback" not in r.stderr


def test_el007_lower_bound_is_left_out_where_the_unit_table_shows_fewer_than_7_members(tmp_path: Path) -> None:
    pol = load_policies(["national"])
    roster_path = tmp_path / "r.json"
    people = [
        {"姓名": "甲", "身份证号": make_id(dt.date(1980, 1, 1), 1, False), "村(社区)": "小村", "拟任党组织职务": "书记"},
        {"姓名": "乙", "身份证号": make_id(dt.date(1980, 1, 2), 2, False), "村(社区)": "大村", "拟任党组织职务": "书记"},
    ]
    roster_path.write_text(json.dumps(people, ensure_ascii=False), encoding="utf-8")
    units_path = tmp_path / "u.json"
    units_path.write_text(json.dumps([{"村(社区)": "小村", "正式党员数": "5"}, {"村(社区)": "大村", "正式党员数": "40"}], ensure_ascii=False), encoding="utf-8")
    from vetting.engine import evaluate
    from vetting.units.load import attach

    roster = load_roster([roster_path], fields=pol.fields.values())
    before = {f.subject.unit for f in evaluate(roster, pol, as_of=dt.date(2021, 1, 10)) if f.code == "EL007"}
    attach(roster, load_units([(units_path, None)], roster))
    after = {f.subject.unit for f in evaluate(roster, pol, as_of=dt.date(2021, 1, 10)) if f.code == "EL007"}
    assert before == {"小村", "大村"} and after == {"大村"}


def test_a_count_known_only_as_a_range_is_undecided_for_that_reason_not_for_a_date(tmp_path: Path) -> None:
    # 丁村 is multi-ethnic; its 村委会 is 汉族, 汉族 and one person whose 民族 is blank: 0-1 minority
    people = [[*p[:2], None if p[0] == "丁村村委" else p[2], *p[3:]] for p in _people()]
    wb = make_xlsx(
        tmp_path / "roster.xlsx", [ROSTER_HEADER, *people],
        extra_sheets={"单位信息": [UNIT_HEADER, *_unit_rows()]},
    )
    found = _findings([str(wb)])
    (dq,) = [f for f in found if f["code"] == "DQ010" and f["subject"]["unit"] == "丁村"]
    assert "PR006" in dq["message"]
    assert "名单中有人的相关信息空缺或无法识别，人数只能确定为0-1人" in dq["message"]
    assert "日期" not in dq["message"]
