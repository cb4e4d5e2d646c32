"""The unit table's 选举日期 as each unit's reference date (asof.py): ages, windows and
messages per unit, --as-of before it, a regional policy's as_of after it, exit 2 naming the
units without a date, and the dates shown in the reports."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from tests.conftest import make_xlsx
from vetting.cli import app
from vetting.derive import full_years_expr
from vetting.testing import make_id

runner = CliRunner()
HEADER = ["姓名", "身份证号", "性别", "出生日期", "乡镇(街道)", "村(社区)", "拟任村(居)委会职务"]
UNIT_HEADER = ["乡镇(街道)", "村(社区)", "选举日期"]
# Born 2008-06-01: 17 until 2026-05-31, 18 from 2026-06-01.
BORN = dt.date(2008, 6, 1)


def workbook(tmp_path: Path, dates: dict[str, object]) -> Path:
    """Two units (甲村, 乙村), one 17/18-year-old in each; a 单位信息 sheet with `dates`."""
    rows: list[list[object]] = [HEADER]
    for i, unit in enumerate(("甲村", "乙村")):
        rows.append([f"张{i}", make_id(BORN, i + 1, True), "男", BORN.isoformat(), "某镇", unit, "委员"])
    units = [UNIT_HEADER, *[["某镇", u, d] for u, d in dates.items()]]
    return make_xlsx(tmp_path / "r.xlsx", rows, extra_sheets={"单位信息": units})


def lint(*args: str) -> tuple[int, dict, str]:
    r = runner.invoke(app, ["lint", *args, "--select", "EL001", "-f", "json"])
    return r.exit_code, (json.loads(r.stdout) if r.stdout.startswith("{") else {}), r.output


def test_each_unit_is_checked_at_its_own_election_date(tmp_path: Path) -> None:
    path = workbook(tmp_path, {"甲村": dt.date(2026, 3, 1), "乙村": "2026年7月1日"})
    code, doc, out = lint(str(path))
    assert code == 1, out
    assert [(f["code"], f["subject"]["unit"]) for f in doc["findings"]] == [("EL001", "甲村")]  # 17 / 18
    assert doc["as_of"] == "2026-03-01"  # a tie: the earliest
    assert doc["as_of_units"] == [{"district": None, "township": "某镇", "unit": "乙村", "as_of": "2026-07-01"}]


def test_as_of_given_explicitly_wins(tmp_path: Path) -> None:
    path = workbook(tmp_path, {"甲村": dt.date(2026, 3, 1), "乙村": dt.date(2026, 7, 1)})
    r = runner.invoke(app, ["lint", str(path), "--as-of", "2026-03-01", "--select", "EL001", "-f", "json"])
    doc = json.loads(r.stdout)
    assert sorted(f["subject"]["unit"] for f in doc["findings"]) == ["乙村", "甲村"]
    assert doc["as_of"] == "2026-03-01" and doc.get("as_of_units", []) == []
    assert "1 个单位的选举日期与之不同" in r.stderr


def test_a_policy_date_covers_the_units_without_one(tmp_path: Path) -> None:
    path = workbook(tmp_path, {"甲村": None, "乙村": dt.date(2026, 3, 1)})
    county = tmp_path / "county.yaml"
    county.write_text("policy: county\nextends: national\nas_of: 2026-07-01\n", encoding="utf-8")
    code, doc, out = lint(str(path), "-p", str(county))
    assert [f["subject"]["unit"] for f in doc["findings"]] == ["乙村"], out
    assert doc["as_of"] == "2026-07-01"
    assert [u["unit"] for u in doc["as_of_units"]] == ["乙村"]


def test_units_without_a_date_are_named(tmp_path: Path) -> None:
    path = workbook(tmp_path, {"甲村": dt.date(2026, 3, 1), "乙村": "2026年3月"})  # month only
    code, doc, out = lint(str(path))
    assert code == 2, out
    assert "某镇乙村" in out and "某镇甲村" not in out and "--as-of" in out
    assert "Traceback" not in out


def test_a_unit_table_without_dates_still_needs_one(tmp_path: Path) -> None:
    path = workbook(tmp_path, {"甲村": None, "乙村": None})
    code, _, out = lint(str(path))
    assert code == 2 and "--as-of" in out


def test_same_dates_everywhere_is_one_date(tmp_path: Path) -> None:
    path = workbook(tmp_path, {"甲村": dt.date(2026, 3, 1), "乙村": dt.date(2026, 3, 1)})
    code, doc, _ = lint(str(path))
    assert doc["as_of"] == "2026-03-01" and doc.get("as_of_units", []) == []
    assert len(doc["findings"]) == 2
    out = runner.invoke(app, ["lint", str(path), "--select", "EL001"]).output
    assert "基准日 2026-03-01（单位信息表的选举日期）" in out


def test_full_years_against_a_date_column() -> None:
    frame = pl.DataFrame({
        "born": [dt.date(2008, 6, 1), dt.date(2008, 6, 1), dt.date(2004, 2, 29), dt.date(2004, 2, 29)],
        "at": [dt.date(2026, 5, 31), dt.date(2026, 6, 1), dt.date(2022, 2, 28), dt.date(2022, 3, 1)],
    })
    per_row = frame.select(full_years_expr(pl.col("born"), pl.col("at"))).to_series().to_list()
    scalar = [frame.select(full_years_expr(pl.col("born"), d)).to_series()[i] for i, d in enumerate(frame["at"])]
    assert per_row == scalar == [17, 18, 17, 18]


def test_stats_and_the_console_show_the_dates(tmp_path: Path) -> None:
    path = workbook(tmp_path, {"甲村": dt.date(2026, 3, 1), "乙村": dt.date(2026, 7, 1)})
    r = runner.invoke(app, ["stats", str(path), "-f", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["as_of"] == "2026-03-01" and [u["unit"] for u in doc["as_of_units"]] == ["乙村"]
    r = runner.invoke(app, ["stats", str(path)])
    assert "按单位信息表的选举日 2026-07-01 计算年龄：某镇乙村" in r.output
    r = runner.invoke(app, ["lint", str(path), "--select", "EL001"])
    assert "基准日 2026-03-01（按单位信息表：1 个单位为 2026-07-01）" in r.output
    assert "按选举日 2026-07-01 计算：某镇乙村" in r.output
    r = runner.invoke(app, ["lint", str(path), "--select", "EL001", "-f", "sarif"])
    props = json.loads(r.stdout)["runs"][0]["invocations"][0]["properties"]
    assert props == {"as_of": "2026-03-01", "as_of_units": {"某镇乙村": "2026-07-01"}}


def test_stats_ages_follow_the_unit_dates(tmp_path: Path) -> None:
    # One is 17 (甲村, 2026-03-01), the other 18 (乙村, 2026-07-01): mean age 17.5.
    path = workbook(tmp_path, {"甲村": dt.date(2026, 3, 1), "乙村": dt.date(2026, 7, 1)})
    doc = json.loads(runner.invoke(app, ["stats", str(path), "-f", "json"]).stdout)
    assert doc["groups"][0]["figures"]["mean_age"] == {"mean": 17.5, "n": 2}


def test_windows_and_as_of_tests_use_the_units_date(tmp_path: Path) -> None:
    """TN03 (sanction_end after as_of), SQ04 (within 5 years, a date), TN07 (within 3 years, a
    year): the same values fire in 甲村 (2026-03-01) and not in 乙村 (2027-01-02)."""
    header = [*HEADER, "处分影响期截止", "行政拘留时间", "不合格党员年度"]
    rows: list[list[object]] = [header]
    for i, unit in enumerate(("甲村", "乙村")):
        born = dt.date(1980, 1, 1)
        rows.append([f"李{i}", make_id(born, i + 1, True), "男", born.isoformat(), "某镇", unit, "委员",
                     "2026-06-30", "2021-06-01", "2023"])
    units = [UNIT_HEADER, ["某镇", "甲村", dt.date(2026, 3, 1)], ["某镇", "乙村", dt.date(2027, 1, 2)]]
    path = make_xlsx(tmp_path / "w.xlsx", rows, extra_sheets={"单位信息": units})
    r = runner.invoke(app, ["lint", str(path), "--select", "TN03,TN07,SQ04", "-f", "json"])
    found = sorted((f["code"], f["subject"]["unit"]) for f in json.loads(r.stdout)["findings"])
    assert found == [("SQ04", "甲村"), ("TN03", "甲村"), ("TN07", "甲村")], r.output


def test_the_review_takes_the_dates_of_the_roster_workbooks_unit_sheet(tmp_path: Path) -> None:
    from vetting.policy.resolve import load_policies
    from vetting.review.run import run_review

    path = workbook(tmp_path, {"甲村": dt.date(2026, 3, 1), "乙村": dt.date(2026, 7, 1)})
    run = run_review([path], [], load_policies(["national"]), as_of=None)
    el001 = [f.subject.unit for f in run.ledger.lint.findings if f.code == "EL001"]
    assert el001 == ["甲村"] and run.ledger.as_of == dt.date(2026, 3, 1)
    run = run_review([path], [], load_policies(["national"]), as_of=dt.date(2026, 3, 1))
    assert sorted(f.subject.unit or "" for f in run.ledger.lint.findings if f.code == "EL001") == ["乙村", "甲村"]


def test_suggest_takes_one_unit_date_and_asks_when_they_differ(tmp_path: Path) -> None:
    from vetting import api
    from vetting.errors import UserError

    same = workbook(tmp_path, {"甲村": dt.date(2026, 3, 1), "乙村": dt.date(2026, 3, 1)})
    roster = api._read([same], api.load_policy(None), sheet=None, lang="zh", notify=lambda n: None)
    assert api._one_date(api.load_policy(None), None, [same], roster) == dt.date(2026, 3, 1)
    differ = workbook(tmp_path, {"甲村": dt.date(2026, 3, 1), "乙村": dt.date(2026, 7, 1)})
    roster = api._read([differ], api.load_policy(None), sheet=None, lang="zh", notify=lambda n: None)
    try:
        api._one_date(api.load_policy(None), None, [differ], roster)
    except UserError as e:
        assert "2026-03-01、2026-07-01" in e.message and "--as-of" in (e.hint or "")
    else:
        raise AssertionError("differing dates must stop suggest")
    assert api._one_date(api.load_policy(None), dt.date(2026, 5, 1), [differ], roster) == dt.date(2026, 5, 1)


def test_a_unit_without_a_row_is_named_as_such(tmp_path: Path) -> None:
    path = workbook(tmp_path, {"甲村": dt.date(2026, 3, 1)})
    code, _, out = lint(str(path))
    assert code == 2 and "某镇乙村（表中没有这一行）" in " ".join(out.split()).replace(" ", "")
    assert "r.xlsx" in out
