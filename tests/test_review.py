"""The joint review (联审): requests, returns as departments really send them, the merge rules,
RV001-RV009, the ledger, `review status`, forms printed to PDF, and `lint --returns`.

Every return file is generated here the way departments send them: the filled request
workbook, their own workbook with title rows and renamed headers, a GBK CSV, a hits-only list,
an ID number stored as a number, a second round that corrects an answer."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.conftest import make_xlsx
from vetting.cli import app
from vetting.errors import UserError
from vetting.policy.resolve import load_policies
from vetting.review.merge import merge_returns, read_returns
from vetting.review.people import batch_id, roster_people
from vetting.review.requests import write_requests
from vetting.review.run import run_review
from vetting.roster.load import load_roster
from vetting.testing import make_id

runner = CliRunner()
AS_OF = dt.date(2021, 1, 10)
IDS = [make_id(dt.date(1980 + i, 3, 8), i + 1, i % 2 == 1) for i in range(5)]
NAMES = ["张建国", "李秀英", "王志强", "赵丽华", "刘文军"]
HEADER = ["县(市、区)", "乡镇(街道)", "村(社区)", "姓名", "身份证号", "学历", "政治面貌", "拟任党组织职务", "拟任村(居)委会职务", "联系电话"]


@pytest.fixture(scope="module")
def policy():
    return load_policies(["national"])


def make_roster(tmp: Path, ids: list[str] = IDS) -> Path:
    rows: list[list[Any]] = [["白水河县两委换届拟任人选"], HEADER]
    posts = [("书记", "主任"), ("委员", "委员"), ("副书记", None), (None, "副主任"), ("委员", None)]
    for i, pid in enumerate(ids):
        rows.append(["白水河县", "城关镇" if i < 3 else "河口乡", "东村" if i < 3 else "西村", NAMES[i], pid,
                     "大专", "中共党员", posts[i][0], posts[i][1], "13800138000"])
    return make_xlsx(tmp / "名单.xlsx", rows, merges=["A1:J1"], number_formats={f"E{r}": "@" for r in range(3, 3 + len(ids))})


def requests_for(tmp: Path, roster: Path, policy, round_: int = 1) -> Path:
    r = load_roster([roster], fields=policy.fields.values())
    out = tmp / f"请求{round_}"
    write_requests(roster_people(r), policy.review, dict(policy.fields), out, round_=round_, date=dt.date(2021, 1, 4))
    return out


def fill_request(path: Path, answers: dict[str, dict[str, str]], *, doc_no: str | None = None, to: Path | None = None) -> Path:
    """Fill a request workbook as a department does: by ID number, header names."""
    wb = load_workbook(path)
    ws = wb["核查名单"]
    header = [c.value for c in ws[3]]
    col = {h: j + 1 for j, h in enumerate(header)}
    for r in range(4, ws.max_row + 1):
        pid = ws.cell(r, col["身份证号"]).value
        for h, v in answers.get(pid, {}).items():
            ws.cell(r, col[h], v)
    if doc_no:
        notes = wb["说明"]
        for r in range(1, notes.max_row + 1):
            if notes.cell(r, 1).value == "回复文号":
                notes.cell(r, 2, doc_no)
    dest = to or path
    wb.save(dest)
    return dest


def all_none(ids: list[str] = IDS) -> dict[str, dict[str, str]]:
    return {pid: {"核查结论": "无"} for pid in ids}


def codes(findings, prefix: str = "RV") -> list[tuple[str, str, int | None]]:
    return sorted((f.code, Path(f.location.path).name, f.location.row) for f in findings if f.code.startswith(prefix))


def merge(roster: Path, returns: list[Path], policy, hits_only=()):
    r = load_roster([roster], fields=policy.fields.values())
    return merge_returns(r, policy, read_returns(returns, policy, hits_only=hits_only))


def complete_round(tmp: Path, roster: Path, policy, overrides: dict[str, dict[str, dict[str, str]]] | None = None) -> list[Path]:
    """Every department answers 无 for everyone, except `overrides` (department -> answers)."""
    req = requests_for(tmp, roster, policy)
    out = []
    for d in policy.review.departments:
        answers = all_none()
        for pid, a in (overrides or {}).get(d.name, {}).items():
            answers[pid] = a
        out.append(fill_request(req / f"联审-1-{d.name}.xlsx", answers))
    return out


# ------------------------------------------------------------------------------------------
# policy data


def test_national_review_section_is_a_synthesis_with_the_default_split(policy):
    cfg = policy.review
    assert [d.name for d in cfg.departments][:3] == ["组织部门", "纪检监察机关", "公安机关"]
    assert cfg.synthesis and "综合整理" in cfg.synthesis
    assert cfg.by_name("长沙市开福区公安分局").name == "公安机关"
    assert cfg.by_name("县人民法院").name == "法院"
    assert {d.name for d in cfg.answering("criminal_record")} == {"公安机关", "检察院", "法院"}


def test_regional_override_changes_the_split_without_copying_it():
    pol = load_policies(["policies/regional/baishuihe-example"])
    names = [d.name for d in pol.review.departments]
    assert "检察院" not in names and names[-1] == "卫生健康部门"
    assert pol.review.by_name("环保局").required is False
    assert pol.review.by_name("卫健局").answers == ("family_planning_violation",)


def test_a_department_answering_an_unknown_column_is_an_error_with_its_position(tmp_path):
    p = tmp_path / "p.yaml"
    p.write_text("policy: x\nextends: national\nreview:\n  departments:\n    - name: 公安机关\n      answers: [criminal_recrod]\n", encoding="utf-8")
    with pytest.raises(UserError) as e:
        load_policies([str(p)])
    assert any("p.yaml:5" in d and "criminal_recrod" in d and "criminal_record" in d for d in e.value.details)


# ------------------------------------------------------------------------------------------
# requests


def test_requests_write_a_formula_in_the_roster_as_text(tmp_path, policy):
    """A roster cell that reads as a formula (CSV text `=HYPERLINK(…)`) reaches a department's
    workbook as text: opening the request must not run anything (as every workbook we write)."""
    formula = '=HYPERLINK("http://example.invalid","张建国")'
    rows = [HEADER, ["白水河县", "城关镇", "东村", formula, IDS[0], "大专", "中共党员", "书记", "主任", ""]]
    roster = tmp_path / "名单.csv"
    roster.write_text("\n".join(",".join(f'"{v}"' if "," in v else v for v in (x.replace('"', '""') for x in r))
                                for r in rows) + "\n", encoding="utf-8")
    req = requests_for(tmp_path, roster, policy)
    ws = load_workbook(req / "联审-1-公安机关.xlsx")["核查名单"]
    cells = [c for row in ws.iter_rows(min_row=4) for c in row if str(c.value).startswith("=")]
    assert [(c.value, c.data_type) for c in cells] == [(formula, "s")]


def test_requests_hold_only_what_each_department_needs(tmp_path, policy):
    roster = make_roster(tmp_path)
    req = requests_for(tmp_path, roster, policy)
    assert sorted(p.name for p in req.iterdir()) == sorted(f"联审-1-{d.name}.xlsx" for d in policy.review.departments)
    wb = load_workbook(req / "联审-1-公安机关.xlsx")
    assert wb.sheetnames == ["核查名单", "说明"]
    ws = wb["核查名单"]
    header = [c.value for c in ws[3]]
    assert header == ["序号", "县(市、区)", "乡镇(街道)", "村(社区)", "姓名", "性别", "身份证号", "拟任职务",
                      "刑事处罚", "涉黑涉恶", "非法宗教邪教黄赌毒", "聚众闹事违法信访", "行政拘留时间", "核查结论", "说明"]
    values = [c.value for row in ws.iter_rows(min_row=4) for c in row]
    assert "13800138000" not in values  # no phone numbers
    assert ws.cell(4, 7).value == IDS[0] and ws.cell(4, 7).number_format == "@"
    assert ws.cell(4, 8).value == "党组织书记、村(居)委会主任"
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["N4:N8"] == '"无,有,待查"'
    notes = {r[0].value: r[1].value for r in wb["说明"].iter_rows(min_row=3) if r[0].value}
    assert notes["批次号"] == batch_id(1, "公安机关", IDS)
    assert notes["核查单位"] == "公安机关" and notes["轮次"] == "第1轮" and notes["人数"] == "5"
    assert "身份证号列为文本格式" in notes["填写方法"]


def test_batch_id_does_not_depend_on_row_order_and_reveals_no_id():
    assert batch_id(2, "法院", IDS) == batch_id(2, "法院", list(reversed(IDS)))
    assert batch_id(2, "法院", IDS) != batch_id(1, "法院", IDS) != batch_id(1, "公安机关", IDS)
    assert not any(pid[-4:] in batch_id(1, "法院", IDS) for pid in IDS)


# ------------------------------------------------------------------------------------------
# merge rules


def test_a_complete_round_of_none_answers_reviews_everyone(tmp_path, policy):
    roster = make_roster(tmp_path)
    m = merge(roster, complete_round(tmp_path, roster, policy), policy)
    assert codes(m.findings) == []
    assert m.complete
    cell = m.cells[(IDS[0], "criminal_record")]
    assert (cell.text, cell.hit) == ("无", False)
    assert sorted(p.department for p in cell.provenance) == ["公安机关", "检察院", "法院"]
    assert m.roster.frame["criminal_record"].to_list() == [False] * 5


def test_blank_row_is_not_an_answer_and_missing_departments_are_rv001(tmp_path, policy):
    roster = make_roster(tmp_path)
    req = requests_for(tmp_path, roster, policy)
    answers = all_none()
    del answers[IDS[3]]  # left blank
    ret = fill_request(req / "联审-1-公安机关.xlsx", answers)
    m = merge(roster, [ret], policy)
    missing_police = [f for f in m.findings if f.code == "RV001" and f.message.startswith("公安机关")]
    assert [(f.subject.id_number, f.location.row) for f in missing_police] == [(IDS[3], 6)]
    # the other 11 departments sent nothing: everyone is missing them
    assert sum(1 for f in m.findings if f.code == "RV001") == 1 + 11 * 5
    assert not m.complete


def test_any_yes_wins_and_names_each_department_then_findings_cite_provenance(tmp_path, policy):
    roster = make_roster(tmp_path)
    rets = complete_round(tmp_path, roster, policy, {
        "公安机关": {IDS[1]: {"核查结论": "有", "刑事处罚": "2015年因盗窃罪被判处有期徒刑1年"}},
        "法院": {IDS[1]: {"核查结论": "有", "刑事处罚": "有", "说明": "（2015）某刑初12号"}},
    })
    run = run_review([roster], rets, policy, as_of=AS_OF)
    cell = run.merge.cells[(IDS[1], "criminal_record")]
    assert cell.text == "2015年因盗窃罪被判处有期徒刑1年（公安机关）；有（法院）"
    assert cell.departments == ["公安机关", "法院"]
    # 检察院 said 无 while two said 有: RV004
    assert [(f.code, f.subject.id_number) for f in run.merge.findings] == [("RV004", IDS[1])]
    tn = [f for f in run.ledger.lint.findings if f.subject.id_number == IDS[1] and "刑事处罚" in f.message and not f.code.startswith("RV")]
    assert tn, "the criminal record must fire a policy rule"
    assert "（公安机关，第1轮，联审-1-公安机关.xlsx 第5行；法院，第1轮，联审-1-法院.xlsx 第5行）" in tn[0].message
    entry = next(e for e in run.ledger.entries if e.person.id == IDS[1])
    assert entry.conclusion == "不通过" and tn[0].code in entry.reason


def test_a_later_round_supersedes_without_rv004_and_the_history_keeps_the_first(tmp_path, policy):
    roster = make_roster(tmp_path)
    rets = complete_round(tmp_path, roster, policy, {
        "公安机关": {IDS[2]: {"核查结论": "有", "行政拘留时间": "2019.05"}},
    })
    req2 = requests_for(tmp_path, roster, policy, round_=2)
    second = fill_request(req2 / "联审-2-公安机关.xlsx", all_none(), doc_no="公(2021)12号")
    m = merge(roster, [*rets, second], policy)
    assert codes(m.findings) == []
    cell = m.cells[(IDS[2], "detention_date")]
    assert cell.text == "无" and cell.provenance[0].round == 2 and cell.provenance[0].doc_no == "公(2021)12号"
    hist = [(a.round, a.status, a.superseded) for a in m.history if a.department == "公安机关" and a.id == IDS[2]]
    assert hist == [(1, "有", True), (2, "无", False)]
    assert m.latest_round["公安机关"] == 2


def test_a_second_round_that_leaves_someone_out_leaves_rv001(tmp_path, policy):
    roster = make_roster(tmp_path)
    rets = complete_round(tmp_path, roster, policy)
    req2 = requests_for(tmp_path, roster, policy, round_=2)
    answers = all_none()
    del answers[IDS[0]]
    second = fill_request(req2 / "联审-2-公安机关.xlsx", answers)
    m = merge(roster, [*rets, second], policy)
    assert [(f.code, f.subject.id_number) for f in m.findings] == [("RV001", IDS[0])]
    assert "第2轮尚未回复" in m.findings[0].message


def department_workbook(tmp: Path, name: str, rows: list[list[Any]], *, above: list[list[Any]], header: list[str],
                        numeric_id_rows: tuple[int, ...] = ()) -> Path:
    """A department's own workbook: its title rows, its own header names."""
    body = [*above, header, *rows]
    p = make_xlsx(tmp / name, body, number_formats={})
    if numeric_id_rows:
        wb = load_workbook(p)
        ws = wb.active
        col = header.index("公民身份号码") + 1
        for i in numeric_id_rows:
            r = len(above) + 2 + i
            ws.cell(r, col).value = int(ws.cell(r, col).value[:17] + "0") if False else float(ws.cell(r, col).value[:17])
        wb.save(p)
    return p


def test_department_own_workbook_title_rows_renamed_headers_and_an_id_stored_as_a_number(tmp_path, policy):
    roster = make_roster(tmp_path)
    rows = [[i + 1, NAMES[i], pid, "无" if i != 4 else "2010年因故意伤害罪被判处有期徒刑3年", "无"] for i, pid in enumerate(IDS)]
    p = department_workbook(
        tmp_path, "公安复函.xlsx", rows,
        above=[["关于两委换届人选联审情况的复函"], ["核查单位：白水河县公安局", None, None, "文号：白公函〔2021〕3号"]],
        header=["编号", "姓名", "公民身份号码", "违法犯罪记录", "核查意见"], numeric_id_rows=(2,),
    )
    m = merge(roster, [p], policy)
    rf = m.returns[0]
    assert (rf.department.name, rf.how, rf.round, rf.doc_no) == ("公安机关", "表头上方", 1, "白公函〔2021〕3号")
    got = [(f.code, f.location.row, f.location.cell) for f in m.findings if f.code != "RV001"]
    assert got == [("RV009", 6, "C6")]  # row 3 of the data: never matched by name
    cell = m.cells[(IDS[4], "criminal_record")]
    assert cell.text == "2010年因故意伤害罪被判处有期徒刑3年（公安机关）"
    assert cell.provenance[0].cite() == "公安机关，第1轮，白公函〔2021〕3号，公安复函.xlsx 第8行"
    assert (IDS[2], "criminal_record") not in m.cells


def test_gbk_csv_named_by_round_and_department(tmp_path, policy):
    roster = make_roster(tmp_path)
    lines = ["法院联审核查结果", "序号,姓名,身份证号码,失信联合惩戒对象,受过刑事处罚,核查结论"]
    lines += [f"{i + 1},{NAMES[i]},{pid},{'是' if i == 0 else '否'},无,{'有' if i == 0 else '无'}" for i, pid in enumerate(IDS)]
    p = tmp_path / "联审-1-法院.csv"
    p.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    m = merge(roster, [p], policy)
    assert (m.returns[0].department.name, m.returns[0].how) == ("法院", "文件名")
    assert m.cells[(IDS[0], "dishonest_debtor")].text == "是"
    assert m.cells[(IDS[0], "dishonest_debtor")].provenance[0].row == 3
    assert m.roster.frame["dishonest_debtor"].to_list() == [True, False, False, False, False]
    assert [f.code for f in m.findings if f.code != "RV001"] == []


def test_hits_only_list_by_cell_and_by_option(tmp_path, policy):
    roster = make_roster(tmp_path)
    p = make_xlsx(tmp_path / "信访.xlsx", [
        ["核查单位：县信访局"], ["核查方式：仅列有问题人员"],
        ["姓名", "身份证号", "违法信访"], [NAMES[3], IDS[3], "2019年多次组织越级上访"],
    ])
    m = merge(roster, [p], policy)
    assert m.returns[0].hits_only
    st = {pid: m.statuses[(pid, "信访部门")].status for pid in IDS}
    assert st == {IDS[0]: "无", IDS[1]: "无", IDS[2]: "无", IDS[3]: "有", IDS[4]: "无"}
    assert m.cells[(IDS[0], "disturbance")].provenance[0].row is None
    assert "未列出" in m.cells[(IDS[0], "disturbance")].cite()
    # the same list without the cell, declared on the command line; one-column department
    q = make_xlsx(tmp_path / "失信名单.xlsx", [["姓名", "身份证号", "案号"], [NAMES[1], IDS[1], "（2020）执12号"]])
    pol = load_policies(["policies/regional/baishuihe-example"])
    m2 = merge(roster, [], pol, hits_only=[("卫健局", q)])
    assert m2.statuses[(IDS[1], "卫生健康部门")].status == "有"
    assert m2.cells[(IDS[1], "family_planning_violation")].hit


def test_rv002_rv003_rv005_rv007_rv008_in_one_filled_request(tmp_path, policy):
    roster = make_roster(tmp_path)
    req = requests_for(tmp_path, roster, policy)
    p = fill_request(req / "联审-1-纪检监察机关.xlsx", {
        IDS[0]: {"核查结论": "无"},
        IDS[1]: {"核查结论": "有", "说明": "有问题"},  # RV007
        IDS[2]: {"核查结论": "有", "处分影响期截止": "去年"},  # RV005
        IDS[3]: {"核查结论": "无", "姓名": "赵丽"},  # RV003 (name edited)
        IDS[4]: {"核查结论": "不好说"},  # RV005 on 核查结论
    })
    wb = load_workbook(p)
    ws = wb["核查名单"]
    stranger = make_id(dt.date(1970, 1, 1), 9, False)
    ws.append([6, "白水河县", "城关镇", "东村", "陈某", "男", stranger, "", None, None, None, "无", None])  # RV002
    ws.append([7, "白水河县", "城关镇", "东村", NAMES[0], "男", IDS[0], "", "警告处分", "2022-01-01", None, "有", None])  # RV008
    wb.save(p)
    m = merge(roster, [p], policy)
    got = sorted((f.code, f.location.row, f.location.column) for f in m.findings if f.code != "RV001")
    assert got == [
        ("RV002", 9, "身份证号"),
        ("RV003", 7, "身份证号"),
        ("RV005", 6, "处分影响期截止"),
        ("RV005", 8, "核查结论"),
        ("RV007", 5, "核查结论"),
        ("RV008", 10, "身份证号"),
    ]
    assert m.statuses[(IDS[0], "纪检监察机关")].status == "有"  # the 有 answer of the two is merged
    assert m.cells[(IDS[0], "sanction_end")].text == "2022-01-01"
    assert m.statuses[(IDS[3], "纪检监察机关")].status == "无"  # RV003 still merged
    assert m.statuses[(IDS[2], "纪检监察机关")].status == "待查"


def test_rv004_two_departments_give_different_dates(tmp_path, policy):
    pol = load_policies(["national"])
    roster = make_roster(tmp_path)
    rets = complete_round(tmp_path, roster, pol, {
        "公安机关": {IDS[0]: {"核查结论": "有", "聚众闹事违法信访": "2019年聚众闹事"}},
        "信访部门": {IDS[0]: {"核查结论": "无"}},
    })
    m = merge(roster, rets, pol)
    assert [(f.code, f.subject.id_number) for f in m.findings] == [("RV004", IDS[0])]
    assert "信访部门回复无" in m.findings[0].message


def test_rv006_a_request_of_another_roster_is_not_merged(tmp_path, policy):
    roster = make_roster(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    old = make_roster(other, IDS[:4])  # the roster before 刘文军 was added
    req = requests_for(other, old, policy)
    p = fill_request(req / "联审-1-民政部门.xlsx", all_none(IDS[:4]))
    m = merge(roster, [p], policy)
    assert codes(m.findings, "RV006") == [("RV006", "联审-1-民政部门.xlsx", None)]
    assert m.rejected and not m.returns
    assert all(m.statuses[(pid, "民政部门")].status == "未回复" for pid in IDS)


def test_unknown_department_is_a_clear_error(tmp_path, policy):
    roster = make_roster(tmp_path)
    p = make_xlsx(tmp_path / "回复.xlsx", [["核查单位：县气象局"], ["姓名", "身份证号", "核查结论"], [NAMES[0], IDS[0], "无"]])
    with pytest.raises(UserError) as e:
        merge(roster, [p], policy)
    assert "县气象局" in e.value.message and e.value.path == str(p)


# ------------------------------------------------------------------------------------------
# the command line


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_cli_merge_writes_only_what_was_asked_and_never_the_roster(tmp_path, policy):
    roster = make_roster(tmp_path)
    rets = complete_round(tmp_path, roster, policy, {"公安机关": {IDS[1]: {"核查结论": "有", "刑事处罚": "2015年因盗窃罪被判处有期徒刑1年"}}})
    before = {p: sha(p) for p in [roster, *rets]}
    out = tmp_path / "out"
    out.mkdir()
    res = runner.invoke(app, ["review", "merge", str(roster), *map(str, rets), "-o", str(out / "合并.xlsx"), "-f", "json", "--as-of", "2021-01-10"])
    assert res.exit_code == 0, res.output
    assert {p: sha(p) for p in before} == before
    assert sorted(x.name for x in out.iterdir()) == ["合并.xlsx"]
    doc = json.loads(res.stdout)
    assert doc["review"]["complete"] is True and doc["summary"]["error"] == 0
    assert IDS[1] not in res.stdout  # masked
    wb = load_workbook(out / "合并.xlsx")
    assert wb.sheetnames == ["名单（已合并联审）", "联审台账", "联审汇总", "联审明细", "回复文件"]
    ws = wb["名单（已合并联审）"]
    header = [c.value for c in ws[2]]
    j = header.index("刑事处罚")
    row = [c for c in ws[4]]
    assert row[j].value == "2015年因盗窃罪被判处有期徒刑1年（公安机关）"
    assert "公安机关，第1轮，联审-1-公安机关.xlsx 第5行" in row[j].comment.text
    assert row[header.index("身份证号")].value == IDS[1]  # the merged roster keeps the roster's data
    ledger = wb["联审台账"]
    lh = [c.value for c in ledger[2]]
    lrow = [c.value for c in ledger[4]]
    assert lrow[lh.index("身份证号")] == IDS[1][:6] + "********" + IDS[1][-4:]
    assert lrow[lh.index("公安机关")] == "有：刑事处罚（第1轮）"
    assert lrow[lh.index("结论")] == "不通过"
    # the merged roster lints like any roster: same finding, read back from the file
    res2 = runner.invoke(app, ["lint", str(out / "合并.xlsx"), "-f", "json", "--select", "TN", "--as-of", "2021-01-10"])
    assert any(f["subject"]["name"] == NAMES[1] for f in json.loads(res2.stdout)["findings"])


def test_cli_merge_refuses_to_overwrite_an_input(tmp_path, policy):
    roster = make_roster(tmp_path)
    res = runner.invoke(app, ["review", "merge", str(roster), str(roster), "-o", str(roster), "--as-of", "2021-01-10"])
    assert res.exit_code == 2 and "输出文件不能是输入文件" in res.output


def test_cli_status_exits_1_while_an_answer_is_missing_and_0_when_complete(tmp_path, policy):
    roster = make_roster(tmp_path)
    rets = complete_round(tmp_path, roster, policy)
    res = runner.invoke(app, ["review", "status", str(roster), *map(str, rets[1:]), "--as-of", "2021-01-10"])
    assert res.exit_code == 1
    assert "组织部门：" in res.output and "共5人" in res.output
    res = runner.invoke(app, ["review", "status", str(roster), *map(str, rets), "--as-of", "2021-01-10"])
    assert res.exit_code == 0, res.output
    assert "联审已完成" in res.output


def test_cli_lint_with_returns_merges_in_memory_and_cites(tmp_path, policy):
    roster = make_roster(tmp_path)
    rets = complete_round(tmp_path, roster, policy, {"公安机关": {IDS[1]: {"核查结论": "有", "刑事处罚": "2015年因盗窃罪被判处有期徒刑1年"}}})
    folder = rets[0].parent
    before = sorted(p.name for p in tmp_path.rglob("*"))
    res = runner.invoke(app, ["lint", str(roster), "--returns", str(folder), "-f", "json", "--as-of", "2021-01-10"])
    assert res.exit_code == 1
    found = json.loads(res.stdout)["findings"]
    msgs = [f["message"] for f in found if "刑事处罚" in f["message"] and not f["code"].startswith("RV")]
    assert msgs and msgs[0].endswith("（公安机关，第1轮，联审-1-公安机关.xlsx 第5行）")
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing written
    # a department missing: RV001 in lint too
    res = runner.invoke(app, ["lint", str(roster), "--returns", str(rets[0]), "-f", "json", "--select", "RV", "--as-of", "2021-01-10"])
    assert {f["code"] for f in json.loads(res.stdout)["findings"]} == {"RV001"}


def test_cli_requests_and_bad_hits_only_option(tmp_path):
    roster = make_roster(tmp_path)
    res = runner.invoke(app, ["review", "requests", str(roster), "-o", str(tmp_path / "rq"), "--departments", "公安局,法院", "--round", "2"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (tmp_path / "rq").iterdir()) == ["联审-2-公安机关.xlsx", "联审-2-法院.xlsx"]
    res = runner.invoke(app, ["review", "status", str(roster), "--hits-only", "法院", "--as-of", "2021-01-10"])
    assert res.exit_code == 2 and "部门=文件" in res.output


# ------------------------------------------------------------------------------------------
# forms and the summary page, printed


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def print_pdf(html: Path, pdf: Path, tmp: Path) -> bytes:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp / 'chrome'}",
           "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri()]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    return pdf.read_bytes()


def pdf_pages(data: bytes) -> int:
    import re

    return len(re.findall(rb"/Type\s*/Page(?!s)", data))


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs headless Chromium")
def test_forms_print_one_a4_page_per_person_plus_the_summary(tmp_path, policy):
    roster = make_roster(tmp_path)
    rets = complete_round(tmp_path, roster, policy, {"公安机关": {IDS[1]: {"核查结论": "有", "刑事处罚": "2015年因盗窃罪被判处有期徒刑1年"}}})
    html = tmp_path / "审查表.html"
    res = runner.invoke(app, ["review", "forms", str(roster), *map(str, rets), "-o", str(html), "--summary", "--as-of", "2021-01-10"])
    assert res.exit_code == 0, res.output
    text = html.read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text and "<script" not in text and "<link" not in text
    assert IDS[1] not in text and IDS[1][:6] + "********" + IDS[1][-4:] in text
    assert text.count("乡镇(街道)党(工)委意见") == 5 and text.count("县级组织部门审核意见") == 5
    data = print_pdf(html, tmp_path / "f.pdf", tmp_path)
    assert pdf_pages(data) == 1 + 5
    assert b"/MediaBox [0 0 595" in data or b"/MediaBox [0 0 594" in data  # A4 width in points


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs headless Chromium")
def test_summary_is_one_page_with_targets(tmp_path, policy):
    roster = make_roster(tmp_path)
    rets = complete_round(tmp_path, roster, policy)
    html = tmp_path / "汇总.html"
    res = runner.invoke(app, ["review", "summary", str(roster), *map(str, rets[:-1]), "-o", str(html), "--as-of", "2021-01-10"])
    assert res.exit_code == 0, res.output
    text = html.read_text(encoding="utf-8")
    assert "城关镇" in text and "河口乡" in text and "目标 ≥90%" in text
    assert "尚未完成的联审部门：乡镇(街道)党(工)委（5人）" in text
    assert pdf_pages(print_pdf(html, tmp_path / "s.pdf", tmp_path)) == 1


# ------------------------------------------------------------------------------------------
# the example round (examples/review/, written by examples/make_review_example.py)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_example_review_round(policy):
    roster = EXAMPLES / "二七区两委换届拟任人选.xlsx"
    returns = sorted((EXAMPLES / "review" / "returns").iterdir())
    assert len(sorted((EXAMPLES / "review" / "requests").iterdir())) == 13
    run = run_review([roster], returns, policy, as_of=AS_OF)
    m = run.merge
    rv = sorted((f.code, f.message.split("第", 1)[0].split("：", 1)[0]) for f in m.findings)
    # the roster had the detention typed in; 公安机关 withdrew it in round 2: replaced, and said
    assert rv == [("RV001", "纪检监察机关"), ("RV001", "纪检监察机关"), ("RV004", "“行政拘留时间”")]
    hows = {Path(r.path).name: (r.department.name, r.round, r.how, r.hits_only) for r in m.returns}
    assert hows["公安分局复函.xlsx"] == ("公安机关", 1, "表头上方", False)
    assert hows["联审-1-法院.csv"] == ("法院", 1, "文件名", False)
    assert hows["信访局-有问题人员.xlsx"] == ("信访部门", 1, "表头上方", True)
    assert hows["联审-2-公安机关.xlsx"] == ("公安机关", 2, "说明", False)
    corrected = [a for a in m.history if a.department == "公安机关" and a.superseded and "detention_date" in a.values]
    assert len(corrected) == 1
    assert m.cells[(corrected[0].id, "detention_date")].text == "无"
    pending = [e for e in run.ledger.entries if e.conclusion == "待定" and "纪检监察机关" in e.reason]
    assert len(pending) == 2
    assert len(run.ledger.unusable) == 3
    cited = [f for f in run.ledger.lint.findings if "联审-2-公安机关.xlsx" in f.message and not f.code.startswith("RV")]
    assert cited
    from vetting.review.forms import render_summary
    from vetting.review.ledger import township_figures

    township_figures(run.ledger, policy)
    page = render_summary(run.ledger, policy)
    assert "尚未完成的联审部门：纪检监察机关（2人，其中待查2人）。" in page
    assert [t.name for t in run.ledger.townships] == ["建中街街道", "侯寨乡", "马寨镇"]
