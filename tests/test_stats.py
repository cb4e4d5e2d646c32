"""`vetting stats` (stats.md): figures, the previous term, claims, the four formats, the seeds.

A small hand-made roster whose every figure is worked out by hand below, run through the CLI.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import json
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from vetting.cli import app
from vetting.stats import (
    Stated,
    parse_mean,
    parse_share,
    previous_default_as_of,
    round_half_up,
    stated_agrees,
)
from vetting.testing import make_id

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds" / "rosters"
COLS = ["姓名", "身份证号", "县(市、区)", "乡镇(街道)", "村(社区)", "拟任党组织职务", "拟任村(居)委会职务",
        "拟任村(居)务监督委员会职务", "学历", "政治面貌", "民族", "是否现任", "人员来源"]


def pid(birth: str, seq: int, female: bool) -> str:
    return make_id(dt.date.fromisoformat(birth), seq, female)


# People (ages at 2021-01-10 / 2018-01-10)
A = pid("1980-06-01", 1, True)   # 40 / 37
B = pid("1990-06-01", 2, False)  # 30
C = pid("1955-06-01", 3, True)   # 65 / 62
D = pid("1986-06-01", 4, False)  # 34
E = pid("1975-06-01", 5, True)   # 45 / 42
S = pid("1970-06-01", 6, False)
F = pid("1965-06-01", 7, False)
G = pid("1964-06-01", 8, False)  # leaving, 56 at 2021-01-10: over 55
H = pid("1965-06-01", 9, True)   # leaving, 55 at 2021-01-10: not over
I_ = pid("1962-03-01", 10, False)  # leaving, 58: over

CURRENT = [
    # name, id, district, township, unit, party, committee, supervisory, edu, political, ethnicity, incumbent, source
    ["甲", A, "甲区", "一镇", "东村", "书记", "主任", "", "本科", "中共党员", "汉族", "是", "社区工作者"],
    ["乙", B, "甲区", "一镇", "东村", "副书记", "", "", "硕士研究生", "中共预备党员", "回族", "否", "社区民警"],
    ["乙", B, "甲区", "一镇", "东村", "", "委员", "", "硕士研究生", "中共预备党员", "回族", "否", "社区民警"],
    ["丙", C, "甲区", "一镇", "东村", "", "委员", "", "高中", "群众", "汉族", "是", ""],
    ["监", S, "甲区", "一镇", "东村", "", "", "委员", "高中", "群众", "汉族", "是", ""],
    ["丁", D, "甲区", "一镇", "西村", "书记", "", "", "大专", "中共党员", "汉族", "否", "社区工作者"],
    ["戊", E, "甲区", "一镇", "西村", "", "主任", "", "本科", "群众", "汉族", "是", "社区工作者"],
    ["己", F, "甲区", "二镇", "南村", "", "", "主任", "初中", "群众", "汉族", "是", ""],
]
PREVIOUS = [
    ["甲", A, "甲区", "一镇", "东村", "书记", "", "", "本科", "中共党员", "汉族", "", ""],
    ["丙", C, "甲区", "一镇", "东村", "", "主任", "", "高中", "群众", "汉族", "", ""],
    ["戊", E, "甲区", "一镇", "东村", "", "委员", "", "本科", "群众", "汉族", "", ""],
    ["庚", G, "甲区", "一镇", "东村", "委员", "", "", "大专", "中共党员", "汉族", "", ""],
    ["辛", H, "甲区", "一镇", "东村", "", "委员", "", "初中", "群众", "汉族", "", ""],
    ["壬", I_, "甲区", "一镇", "西村", "书记", "", "", "高中", "中共党员", "汉族", "", ""],
]


def write_csv(path: Path, rows: list[list[Any]], cols: list[str] = COLS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        w.writerows(rows)
    return path


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "now.csv", CURRENT)


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "before.csv", PREVIOUS)


def stats(*args: str | Path) -> Any:
    """`vetting stats` at the 2021 round (previous round 2018: a 3-year term) unless told."""
    given = list(map(str, args))
    if "--as-of" not in given:
        given += ["--as-of", "2021-01-10"]
    if "--previous" in given and "--previous-as-of" not in given:
        given += ["--previous-as-of", "2018-01-10"]
    return runner.invoke(app, ["stats", *given])


def stats_json(*args: str | Path, code: int = 0) -> dict[str, Any]:
    r = stats(*args, "--as-of", "2021-01-10", "-f", "json")
    assert r.exit_code == code, r.output
    return json.loads(r.stdout)


def group(doc: dict[str, Any], level: str, name: str | None = None) -> dict[str, Any]:
    for g in doc["groups"]:
        if g["level"] == level and (name is None or g[level] == name):
            return g
    raise AssertionError(f"no {level} {name}")


def claims_file(tmp_path: Path, text: str, name: str = "claims.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# -- figures ---------------------------------------------------------------------------------


def test_figures_of_the_whole_roster(roster: Path) -> None:
    f = group(stats_json(roster), "roster")["figures"]
    counts = {k: v["count"] for k, v in f.items() if "count" in v}
    assert counts == {
        "units": 3, "members": 5, "party_committee": 3, "village_committee": 4, "cross_appointed": 2,
        "supervisors": 2, "secretaries": 2, "deputies": 1, "directors": 2, "one_shoulder": 1,
        "women": 3, "age_35_or_under": 2, "college_or_above": 4, "bachelor_or_above": 3, "postgraduate": 1,
        "minority": 1, "party_members": 3, "new": 2, "secretary_women": 1, "secretary_age_35_or_under": 1,
        "secretary_college_or_above": 2, "secretary_bachelor": 1, "secretary_postgraduate": 0,
    }
    # shares and their denominators; figures without a share have none
    assert f["women"] == {"count": 3, "share": 0.6, "of": "members"}
    assert f["cross_appointed"] == {"count": 2, "share": 0.4, "of": "members"}
    assert f["one_shoulder"] == {"count": 1, "share": 0.5, "of": "secretaries"}
    assert f["secretary_bachelor"] == {"count": 1, "share": 0.5, "of": "secretaries"}
    for key in ("units", "members", "supervisors", "secretaries", "deputies", "directors"):
        assert set(f[key]) == {"count"}
    # means over known ages, with n: (40 + 30 + 65 + 34 + 45) / 5
    assert f["mean_age"] == {"mean": 42.8, "n": 5}
    assert f["secretary_mean_age"] == {"mean": 37.0, "n": 2}
    assert f["deputy_mean_age"] == {"mean": 30.0, "n": 1}
    # members = party + committee - cross-appointed, always
    assert counts["members"] == counts["party_committee"] + counts["village_committee"] - counts["cross_appointed"]


def test_a_person_on_two_rows_counts_once_and_is_cross_appointed(roster: Path) -> None:
    unit = group(stats_json(roster, "--by", "unit"), "unit", "东村")["figures"]
    assert unit["members"]["count"] == 3  # 甲, 乙 (two rows), 丙
    assert unit["cross_appointed"]["count"] == 2  # 甲, and 乙: 副书记 on one row, 委员 on the other
    assert unit["supervisors"]["count"] == 1


def test_an_empty_group_has_null_shares_and_means(roster: Path) -> None:
    f = group(stats_json(roster), "township", "二镇")["figures"]
    assert f["units"] == {"count": 1}
    assert f["members"] == {"count": 0}
    assert f["supervisors"] == {"count": 1}
    assert f["women"] == {"count": 0, "share": None, "of": "members"}
    assert f["one_shoulder"] == {"count": 0, "share": None, "of": "secretaries"}
    assert f["mean_age"] == {"mean": None, "n": 0}


def test_an_empty_roster_is_a_roster_of_nobody(tmp_path: Path, previous: Path) -> None:
    empty = write_csv(tmp_path / "empty.csv", [])
    doc = stats_json(empty, "--previous", previous)
    assert [g["level"] for g in doc["groups"]] == ["roster"]
    g = doc["groups"][0]
    assert g["figures"]["members"] == {"count": 0} and g["figures"]["mean_age"] == {"mean": None, "n": 0}
    assert g["previous"]["leaving"] == {"count": 6} and g["previous"]["changes"]["mean_age"] is None
    assert stats(empty).exit_code == 0


def test_levels_follow_by(roster: Path) -> None:
    levels = lambda doc: [(g["level"], g["district"], g["township"], g["unit"]) for g in doc["groups"]]  # noqa: E731
    assert levels(stats_json(roster)) == [
        ("roster", None, None, None), ("district", "甲区", None, None),
        ("township", "甲区", "一镇", None), ("township", "甲区", "二镇", None),
    ]
    assert levels(stats_json(roster, "--by", "district")) == levels(stats_json(roster))[:2]
    by_unit = levels(stats_json(roster, "--by", "unit"))
    assert by_unit[4:] == [("unit", "甲区", "一镇", "东村"), ("unit", "甲区", "一镇", "西村"), ("unit", "甲区", "二镇", "南村")]
    r = stats(roster, "--by", "village")
    assert r.exit_code == 2


def test_a_roster_without_a_district_column_has_no_district_level(tmp_path: Path) -> None:
    cols = [c for c in COLS if c != "县(市、区)"]
    p = write_csv(tmp_path / "r.csv", [[v for i, v in enumerate(row) if i != 2] for row in CURRENT], cols)
    assert [g["level"] for g in stats_json(p)["groups"]] == ["roster", "township", "township"]


def test_breakdown_by_any_column(roster: Path) -> None:
    doc = stats_json(roster, "--breakdown", "人员来源")
    b = group(doc, "roster")["breakdown"]["人员来源"]
    assert b == {
        "社区工作者": {"count": 3, "share": 0.6, "of": "members"},
        "社区民警": {"count": 1, "share": 0.2, "of": "members"},
        "（空白）": {"count": 1, "share": 0.2, "of": "members"},
    }
    # the canonical key names the same column; a known column counts its parsed values
    assert group(stats_json(roster, "--breakdown", "source"), "roster")["breakdown"] == {"人员来源": b}
    posts = group(stats_json(roster, "--breakdown", "党组织职务"), "roster")["breakdown"]["拟任党组织职务"]
    assert {k: v["count"] for k, v in posts.items()} == {"书记": 2, "副书记": 1, "（空白）": 2}
    r = stats(roster, "--breakdown", "星座")
    assert r.exit_code == 2 and "星座" in r.output


# -- the previous term -----------------------------------------------------------------------


def test_previous_term(roster: Path, previous: Path) -> None:
    doc = stats_json(roster, "--previous", previous)
    p = group(doc, "roster")["previous"]
    assert p["as_of"] == "2018-01-10"
    assert (p["continuing"], p["new"], p["leaving"], p["leaving_over_age"]) == (
        {"count": 3}, {"count": 2}, {"count": 3}, {"count": 2},  # 庚 56 and 壬 58 over 55; 辛 is 55
    )
    pf = p["figures"]
    assert pf["members"] == {"count": 6}
    assert pf["mean_age"]["n"] == 6 and pf["mean_age"]["mean"] == pytest.approx(301 / 6)
    assert pf["secretary_mean_age"] == {"mean": 46.0, "n": 2}
    assert p["changes"]["mean_age"] == pytest.approx(42.8 - 301 / 6)
    assert p["changes"]["secretary_mean_age"] == pytest.approx(-9.0)
    assert p["changes"]["college_or_above"] == 1  # 4 now, 3 before
    assert p["changes"]["women"] == -1  # 3 now, 4 before
    assert doc["previous"]["over_age_cap"] == 55


def test_the_over_age_cap_is_the_policys(roster: Path, previous: Path, tmp_path: Path) -> None:
    pol = tmp_path / "county.yaml"
    pol.write_text("policy: county\nextends: national\nparams: {incumbent_max_age: 57}\n", encoding="utf-8")
    doc = stats_json(roster, "--previous", previous, "-p", pol)
    assert group(doc, "roster")["previous"]["leaving_over_age"] == {"count": 1}  # 壬 58; 庚 56 is not over 57
    assert doc["previous"]["over_age_cap"] == 57


def test_previous_term_is_matched_within_each_group(roster: Path, previous: Path) -> None:
    """戊 moved from 东村 to 西村: leaving one unit and new in the other, continuing in the township."""
    doc = stats_json(roster, "--previous", previous, "--by", "unit")
    east = group(doc, "unit", "东村")["previous"]
    west = group(doc, "unit", "西村")["previous"]
    assert [east[k]["count"] for k in ("continuing", "new", "leaving", "leaving_over_age")] == [2, 1, 3, 1]
    assert [west[k]["count"] for k in ("continuing", "new", "leaving", "leaving_over_age")] == [0, 2, 1, 1]
    town = group(doc, "township", "一镇")["previous"]
    assert town["continuing"]["count"] == 3
    south = group(doc, "unit", "南村")["previous"]
    assert south["figures"]["members"] == {"count": 0} and south["changes"]["mean_age"] is None


def test_previous_as_of(roster: Path, previous: Path) -> None:
    doc = stats_json(roster, "--previous", previous, "--previous-as-of", "2017-12-01")
    p = group(doc, "roster")["previous"]
    assert p["as_of"] == "2017-12-01"
    # 壬 (born 1962-03-01) is 55 on 2017-12-01, as on 2018-01-10; 甲 (1980-06-01) 37
    assert p["figures"]["secretary_mean_age"] == {"mean": 46.0, "n": 2}
    assert stats(roster, "--previous-as-of", "2018-01-01").exit_code == 2
    assert stats(roster, "--previous", previous, "--previous-as-of", "去年").exit_code == 2


def test_previous_default_date() -> None:
    assert previous_default_as_of(dt.date(2021, 1, 28), 3) == dt.date(2018, 1, 28)
    assert previous_default_as_of(dt.date(2026, 1, 28)) == dt.date(2021, 1, 28)
    assert previous_default_as_of(dt.date(2024, 2, 29), 3) == dt.date(2021, 2, 28)


# -- claims ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "stated", "agrees"),
    [
        (Fraction(112, 114), "98.2%", True),
        (Fraction(33, 51), "64.47%", False),
        (Fraction(33, 51), "64.71%", True),
        (Fraction(48, 51), "94.11%", False),
        (Fraction(48, 51), "94.12%", True),
        (Fraction(4, 51), "8.08%", False),
        (Fraction(1, 8), "13%", True),  # 12.5% half-up
        (Fraction(1, 8), "12%", False),
        (Fraction(1, 1), "100%", True),
        (Fraction(112, 114), "0.982", True),  # a bare number <= 1 is a fraction
        (Fraction(112, 114), "98.25", True),  # a bare number above 1 is a percentage
    ],
)
def test_shares_agree_at_the_stated_precision(value: Fraction, stated: str, agrees: bool) -> None:
    assert stated_agrees(value, parse_share(stated))[0] is agrees


def test_rounding_is_half_up_on_the_magnitude() -> None:
    assert round_half_up(Fraction(-255, 100), 1) == Decimal("-2.6")
    assert round_half_up(Fraction(255, 100), 1) == Decimal("2.6")
    assert round_half_up(Fraction(-245, 100), 1) == Decimal("-2.5")
    assert round_half_up(Fraction(369, 8), 2) == Decimal("46.13")
    assert stated_agrees(Fraction(-255, 100), parse_mean("-2.6"))[0]
    assert not stated_agrees(Fraction(-255, 100), parse_mean("-2.5"))[0]
    assert stated_agrees(Fraction(-255, 100), parse_mean(-2.6)) == (True, "-2.6")


def test_a_quoted_number_keeps_its_trailing_zeros() -> None:
    assert parse_mean("46.10") == Stated(Decimal("46.10"), 2, False, "46.10")
    assert parse_mean(46.10).decimals == 1  # YAML read 46.10 as the float 46.1
    assert not stated_agrees(Fraction(369, 8), parse_mean("46.10"))[0]  # 46.125 -> 46.13
    assert stated_agrees(Fraction(369, 8), parse_mean(46.10))[0]  # 46.125 -> 46.1


CLAIMS = """\
- text: 一肩挑比例50%
  figure: one_shoulder
  share: 50%
- text: 平均年龄42.8岁
  figure: mean_age
  mean: 42.8
- text: 女性3人，占60.0%
  figure: women
  count: 3
  share: "60.0%"
- text: 东村两委成员3人
  figure: members
  count: 3
  group: {unit: 东村}
- text: 一镇社区工作者3名，占60%
  figure: breakdown.人员来源.社区工作者
  count: 3
  share: 60%
  group: {township: 一镇}
"""


def test_claims_that_agree_exit_0(roster: Path, tmp_path: Path) -> None:
    doc = stats_json(roster, "--claims", claims_file(tmp_path, CLAIMS))
    assert [c["agrees"] for c in doc["claims"]] == [True] * 5
    c = doc["claims"][2]
    assert c == {"text": "女性3人，占60.0%", "figure": "women", "group": None, "stated": "3, 60.0%",
                 "computed": {"count": 3, "share": 0.6}, "computed_as_stated": "3, 60.0%", "agrees": True}
    assert doc["claims"][0]["computed"] == 0.5
    assert doc["claims"][3]["group"] == {"unit": "东村"}
    # a breakdown a claim names is computed for it, not added to the groups
    assert all(g["breakdown"] == {} for g in doc["groups"])


def test_a_claim_that_disagrees_exits_1_with_both_numbers(roster: Path, tmp_path: Path) -> None:
    text = """\
- text: 女性3人，占60.5%
  figure: women
  count: 3
  share: 60.5%
- text: 女性4人
  figure: women
  count: 4
"""
    doc = stats_json(roster, "--claims", claims_file(tmp_path, text), code=1)
    first, second = doc["claims"]
    assert not first["agrees"] and first["stated"] == "3, 60.5%" and first["computed_as_stated"] == "3, 60.0%"
    assert not second["agrees"] and second["computed"] == 3
    out = stats(roster, "--as-of", "2021-01-10", "--claims", tmp_path / "claims.yaml")
    assert out.exit_code == 1
    assert "不一致" in out.output and "60.5%" in out.output and "60.0%" in out.output


def test_previous_claims(roster: Path, previous: Path, tmp_path: Path) -> None:
    text = """\
- text: 比上届年轻7.37岁
  figure: previous.changes.mean_age
  mean: "-7.37"
- text: 大专以上增加1人
  figure: previous.changes.college_or_above
  count: 1
- text: 超龄退出2人
  figure: previous.leaving_over_age
  count: 2
- text: 上届书记平均年龄46岁
  figure: previous.secretary_mean_age
  mean: 46
- text: 女性减少2人
  figure: previous.changes.women
  count: -2
"""
    doc = stats_json(roster, "--previous", previous, "--claims", claims_file(tmp_path, text), code=1)
    assert [c["agrees"] for c in doc["claims"]] == [True, True, True, True, False]


def test_previous_claims_without_previous_are_an_error(roster: Path, tmp_path: Path) -> None:
    text = "- text: 新进32人\n  figure: previous.new\n  count: 32\n"
    r = stats(roster, "--claims", claims_file(tmp_path, text))
    assert r.exit_code == 2
    assert "新进32人" in r.output and "--previous" in r.output and "claims.yaml:1" in r.output


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("- text: a\n  figure: one_shouldr\n  share: 98.2%\n", 2, ["one_shouldr", "one_shoulder"]),
        ("- text: a\n  figure: women\n  count: 3\n- text: b\n  figure: women\n  share: 九成\n", 6, ["九成"]),
        ("- text: a\n  figure: women\n  count: 3.5\n", 3, ["3.5"]),
        ("- text: a\n  figure: mean_age\n  mean: abc\n", 3, ["abc"]),
        ("- text: a\n  figure: members\n  share: 50%\n", 3, ["members"]),
        ("- text: a\n  figure: mean_age\n  count: 3\n", 2, ["mean"]),
        ("- text: a\n  figure: women\n  count: 3\n  colour: red\n", 4, ["colour"]),
        ("- text: a\n  figure: women\n", 1, ["share"]),
        ("- figure: women\n  count: 3\n", 1, ["text"]),
        ("- text: a\n  figure: women\n  count: 1\n  group: {village: 东村}\n", 4, ["village"]),
        ("- text: a\n  figure: breakdown.人员来源\n  count: 1\n", 2, ["breakdown.列名.取值"]),
        ("- text: a\n  figure: women\n  count: [1\n", 4, ["YAML"]),
        ("text: a\n", 1, ["列表"]),
    ],
)
def test_invalid_claims_files_are_errors_with_file_and_line(
    roster: Path, tmp_path: Path, text: str, line: int, words: list[str]
) -> None:
    r = stats(roster, "--claims", claims_file(tmp_path, text))
    assert r.exit_code == 2, r.output
    assert f"claims.yaml:{line}" in r.output
    for w in words:
        assert w in r.output
    assert "Traceback" not in r.output


@pytest.mark.parametrize(
    ("group_yaml", "line", "word"),
    [("{township: 三镇}", 4, "三镇"), ("{unit: 北村}", 4, "北村"), ("{district: 乙区}", 4, "乙区")],
)
def test_unknown_groups_are_errors_with_file_and_line(roster: Path, tmp_path: Path, group_yaml: str, line: int, word: str) -> None:
    text = f"- text: a\n  figure: members\n  count: 1\n  group: {group_yaml}\n"
    r = stats(roster, "--claims", claims_file(tmp_path, text))
    assert r.exit_code == 2
    assert f"claims.yaml:{line}" in r.output and word in r.output


def test_a_repeated_unit_name_needs_its_township(tmp_path: Path) -> None:
    rows = [r[:] for r in CURRENT] + [["癸", pid("1981-07-01", 11, False), "甲区", "二镇", "东村", "书记", "主任", "", "大专", "中共党员", "汉族", "是", ""]]
    roster = write_csv(tmp_path / "r.csv", rows)
    ambiguous = "- text: a\n  figure: members\n  count: 1\n  group: {unit: 东村}\n"
    r = stats(roster, "--claims", claims_file(tmp_path, ambiguous))
    assert r.exit_code == 2 and "township" in r.output
    ok = "- text: a\n  figure: members\n  count: 1\n  group: {township: 二镇, unit: 东村}\n"
    assert stats_json(roster, "--claims", claims_file(tmp_path, ok, "ok.yaml"))["claims"][0]["agrees"]


def test_bad_options_are_user_errors(roster: Path, tmp_path: Path) -> None:
    assert stats(roster, "-f", "html").exit_code == 2
    assert stats(roster, "-f", "xlsx").exit_code == 2  # needs -o
    assert stats(tmp_path / "missing.csv").exit_code == 2
    assert stats(roster, "--as-of", "2021-13-01").exit_code == 2
    assert stats(roster, "--claims", tmp_path / "missing.yaml").exit_code == 2


# -- formats ---------------------------------------------------------------------------------


def test_json_document_shape(roster: Path, previous: Path) -> None:
    doc = stats_json(roster, "--previous", previous, "--breakdown", "人员来源")
    assert {"tool", "as_of", "inputs", "groups", "claims"} <= set(doc)
    assert doc["tool"]["name"] == "vetting" and doc["as_of"] == "2021-01-10"
    assert doc["inputs"] == [{"path": str(roster), "sheet": None, "rows": 8}]
    g = doc["groups"][0]
    assert set(g) == {"level", "district", "township", "unit", "figures", "breakdown", "previous"}
    assert set(g["previous"]) == {"as_of", "continuing", "new", "leaving", "leaving_over_age", "figures", "changes"}
    assert set(g["previous"]["changes"]) == {"mean_age", "secretary_mean_age", "college_or_above", "women"}
    assert set(g["previous"]["figures"]) == set(g["figures"])
    assert isinstance(g["previous"]["changes"]["mean_age"], float)
    assert isinstance(g["previous"]["changes"]["women"], int)
    assert doc["claims"] == []


def test_console_report(roster: Path, previous: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    r = stats(roster, "--as-of", "2021-01-10", "--previous", previous, "-o", out)
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    for expected in ("全部名单", "一肩挑", "两委成员", "60.0%", "42.8岁", "↓9.0岁", "↑1人", "超龄退出", "按乡镇(街道)"):
        assert expected in text, expected


def test_markdown(roster: Path, tmp_path: Path) -> None:
    r = stats(roster, "--as-of", "2021-01-10", "-f", "markdown", "--claims", claims_file(tmp_path, CLAIMS))
    assert r.exit_code == 0
    md = r.stdout
    assert md.startswith("# 换届结构统计")
    assert "| 女性 | 3 | 60.0% | 两委成员 |" in md
    assert "## 公布数字核对" in md and "| 一致 |" in md


def test_xlsx(roster: Path, previous: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "统计表.xlsx"
    r = stats(roster, "--as-of", "2021-01-10", "--previous", previous, "--by", "unit", "--claims",
              claims_file(tmp_path, CLAIMS), "-f", "xlsx", "-o", out)
    assert r.exit_code == 0, r.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["全部名单", "按县(市、区)", "按乡镇(街道)", "按村(社区)", "与上届比较", "公布数字核对"]
    ws = wb["按村(社区)"]
    header = [c.value for c in ws[1]]
    row = {h: c.value for h, c in zip(header, ws[2], strict=True)}
    assert row["村(社区)"] == "东村" and row["两委成员"] == 3 and row["女性占两委成员"] == pytest.approx(2 / 3)
    assert ws.cell(row=2, column=header.index("女性占两委成员") + 1).number_format == "0.0%"
    claims = wb["公布数字核对"]
    assert [claims.cell(row=i, column=8).value for i in range(2, 7)] == ["一致"] * 5


# -- the seeds: every published figure reproduced, the reports' slips found -------------------


def seed(name: str, *args: str, code: int) -> dict[str, Any]:
    r = runner.invoke(app, ["stats", str(SEEDS / f"{name}.csv"), *args, "-f", "json"])
    assert r.exit_code == code, r.output
    return json.loads(r.stdout)


def test_kaifu_reproduces_every_published_figure() -> None:
    doc = seed("kaifu-2021", "--as-of", "2021-01-28", "--previous", str(SEEDS / "kaifu-2018.csv"), "--previous-as-of", "2018-01-28",
               "--claims", str(SEEDS / "kaifu-2021-claims.yaml"), code=0)
    assert len(doc["claims"]) == 23
    assert all(c["agrees"] for c in doc["claims"])
    d = group(doc, "district", "开福区")
    f = d["figures"]
    assert (f["secretaries"]["count"], f["directors"]["count"], f["one_shoulder"]["count"]) == (114, 114, 112)
    assert (f["party_committee"]["count"], f["village_committee"]["count"], f["cross_appointed"]["count"], f["members"]["count"]) == (612, 588, 295, 905)
    assert f["secretary_women"] == {"count": 52, "share": 52 / 114, "of": "secretaries"}
    assert d["previous"]["changes"]["secretary_mean_age"] == pytest.approx(4742 / 114 - 5038 / 114)
    q = group(doc, "township", "青竹湖街道")
    assert q["previous"]["new"] == {"count": 32} and q["previous"]["leaving_over_age"] == {"count": 19}
    assert len([g for g in doc["groups"] if g["level"] == "township"]) == 16


def test_wenhui_reproduces_its_figures_and_finds_its_slips() -> None:
    doc = seed("wenhui", "--as-of", "2011-01-15", "--claims", str(SEEDS / "wenhui-claims.yaml"), code=1)
    wrong = {c["stated"]: c for c in doc["claims"] if not c["agrees"]}
    assert set(wrong) == {"33, 64.47%", "4, 8.08%", "48, 94.11%"}
    assert wrong["33, 64.47%"]["computed_as_stated"] == "33, 64.71%"
    assert wrong["4, 8.08%"]["computed_as_stated"] == "4, 7.84%"
    assert wrong["48, 94.11%"]["computed_as_stated"] == "48, 94.12%"
    assert sum(c["agrees"] for c in doc["claims"]) == 9
    f = group(doc, "township", "文晖街道")["figures"]
    assert f["secretaries"]["count"] + f["deputies"]["count"] == 14  # “书记、副书记14名”


def test_houzhai_reproduces_every_published_figure() -> None:
    doc = seed("erqi-2020", "--as-of", "2020-12-27", "--claims", str(SEEDS / "erqi-2020-claims.yaml"), code=0)
    assert len(doc["claims"]) == 8 and all(c["agrees"] for c in doc["claims"])
    f = group(doc, "township", "侯寨乡")["figures"]
    assert f["party_committee"]["count"] == 9 + 9 + 9 + 20


def test_seed_rosters_are_what_the_generator_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("make_rosters", SEEDS / "make_rosters.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_rosters", mod)  # dataclasses look their module up
    spec.loader.exec_module(mod)
    monkeypatch.setattr(mod, "HERE", tmp_path)
    mod.main()
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(p.name for p in SEEDS.iterdir() if p.suffix in (".csv", ".yaml"))
    for name in written:
        assert (tmp_path / name).read_bytes() == (SEEDS / name).read_bytes(), f"{name} is stale: run make_rosters.py"


def test_breakdown_by_a_date_column_counts_the_cells_as_written(tmp_path: Path) -> None:
    # (a date's text is held dictionary-encoded: counted as the text itself)
    joined = ["2001.07", "2001.07", "", "", "", "2010年1月", "", ""]
    p = write_csv(tmp_path / "d.csv", [row + [j] for row, j in zip(CURRENT, joined, strict=True)], [*COLS, "入党时间"])
    b = group(stats_json(p, "--breakdown", "入党时间"), "roster")["breakdown"]["入党时间"]
    assert {k: v["count"] for k, v in b.items()} == {"2001.07": 2, "2010年1月": 1, "（空白）": 2}


def test_a_json_report_does_not_load_the_workbook_writer(roster: Path, tmp_path: Path) -> None:
    """`stats -f json` imports the writer it uses, not openpyxl (a tenth of a second of a run)."""
    import subprocess

    out = tmp_path / "s.json"
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "vetting", "stats", str(roster), "-f", "json", "-o", str(out),
         "--as-of", "2021-01-10", "-q"],
        capture_output=True, text=True, check=False,
    )
    assert run.returncode in (0, 1), run.stderr[-2000:]
    assert json.loads(out.read_text(encoding="utf-8"))["groups"]
    imported = {line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")}
    assert "vetting.report.stats_json" in imported
    assert "openpyxl" not in imported
