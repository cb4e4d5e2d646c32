"""Real ledger habits, none rejected: 连任/新任 for 是否连任, one combined 拟任职务 column, and a
township's column order and header words differing from the next township's."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import make_xlsx
from vetting.cli import app
from vetting.policy.resolve import load_policies
from vetting.roster.combined_post import split_combined
from vetting.roster.load import load_roster
from vetting.testing import make_id

runner = CliRunner()
ID1 = make_id(dt.date(1970, 3, 1), 1, False)  # 50 on 2021-01-10
ID2 = make_id(dt.date(1964, 5, 2), 2, True)  # 56
ID3 = make_id(dt.date(1990, 1, 3), 3, True)
ID4 = make_id(dt.date(1985, 1, 4), 4, False)


def workbook(tmp_path: Path) -> Path:
    a = [
        ["序号", "姓名", "公民身份号码", "性别", "乡镇(街道)", "村(社区)", "拟任职务", "是否连任"],
        [1, "甲", ID1, "男", "侯寨乡", "一村", "村党支部书记、村委会主任", "新任"],
        [2, "乙", ID2, "女", "侯寨乡", "一村", "党支部委员、村委会委员", "连任"],
    ]
    b = [  # another township: other order, other header words
        ["村（社区）", "乡镇", "姓名", "性别", "身份证号码", "现任两委成员", "拟任职务"],
        ["二村", "马寨镇", "丙", "女", ID3, "是", "监委会主任"],
        ["二村", "马寨镇", "丁", "男", ID4, "否", "村委会副主任"],
    ]
    return make_xlsx(tmp_path / "ledger.xlsx", a, sheet="侯寨乡", extra_sheets={"马寨镇": b})


def test_split_combined_posts() -> None:
    assert split_combined("村党支部书记、村委会主任") == {"party_post": "村党支部书记", "committee_post": "村委会主任"}
    assert split_combined("党支部委员、村委会委员") == {"party_post": "党支部委员", "committee_post": "村委会委员"}
    assert split_combined("监委会主任") == {"supervisory_post": "监委会主任"}
    assert split_combined("书记兼主任") == {"party_post": "书记", "committee_post": "主任"}


def test_the_ledger_reads_as_the_three_post_columns(tmp_path: Path) -> None:
    pol = load_policies(["national"])
    roster = load_roster([workbook(tmp_path)], fields=pol.fields.values())
    rows = roster.frame.select("name", "township", "party_post", "committee_post", "supervisory_post", "incumbent").rows()
    assert rows == [
        ("甲", "侯寨乡", "书记", "主任", None, False),
        ("乙", "侯寨乡", "委员", "委员", None, True),
        ("丙", "马寨镇", None, None, "主任", True),
        ("丁", "马寨镇", None, "副主任", None, False),
    ]
    assert [f.code for f in roster.findings if f.code in ("DQ003", "DQ008")] == []
    assert roster.sources[0].columns["party_post"] == ("拟任职务", "G")


def test_the_rules_see_them(tmp_path: Path) -> None:
    r = runner.invoke(app, ["lint", str(workbook(tmp_path)), "--as-of", "2021-01-10", "--select", "ST004,ST005,ST001,DQ", "-f", "json"])
    doc = json.loads(r.stdout)
    got = sorted((f["code"], f["subject"]["name"], f["location"]["cell"]) for f in doc["findings"])
    assert ("ST004", "甲", "I2") not in got  # (ST004 points at the age column)
    assert [g[:2] for g in got] == [("ST004", "甲"), ("ST005", "乙")]


def test_an_unplaceable_piece_is_reported_at_its_cell(tmp_path: Path) -> None:
    rows = [["姓名", "身份证号", "村(社区)", "拟任职务"], ["甲", ID1, "一村", "委员"]]
    r = runner.invoke(app, ["lint", str(make_xlsx(tmp_path / "x.xlsx", rows)), "--as-of", "2021-01-10", "--select", "DQ003", "-f", "json"])
    (f,) = json.loads(r.stdout)["findings"]
    assert f["location"]["cell"] == "D2" and "委员" in f["message"]
