"""Workbooks with one sheet per township: every roster sheet is read, the others are named."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.conftest import make_xlsx
from vetting.cli import app
from vetting.testing import make_id

runner = CliRunner()
HEADER = ["姓名", "身份证号", "性别", "乡镇(街道)", "村(社区)", "拟任党组织职务", "拟任村(居)委会职务"]


def person(n: int, town: str, village: str, *, bad: bool = False) -> list[str]:
    pid = make_id(dt.date(1980, 1, 1) + dt.timedelta(days=n), n, n % 2 == 0)
    if bad:
        pid = pid[:-1] + ("0" if pid[-1] != "0" else "1")
    return [f"人{n}", pid, "女" if n % 2 == 0 else "男", town, village, "委员", "委员"]


def workbook(tmp_path: Path) -> Path:
    first = [["侯寨乡拟任人选"], HEADER] + [person(i, "侯寨乡", "甲村") for i in range(1, 4)]
    second = [HEADER] + [person(i, "马寨镇", "乙村", bad=i == 12) for i in range(10, 14)]
    path = make_xlsx(
        tmp_path / "all.xlsx", first, sheet="侯寨乡",
        extra_sheets={"马寨镇": second, "填表说明": [["请按表头填写"], ["身份证号须为18位"]]},
    )
    return path


def lint(*args: str):
    return runner.invoke(app, ["lint", *args, "--as-of", "2021-01-10"])


def test_every_roster_sheet_is_read_and_the_others_are_named(tmp_path: Path) -> None:
    r = lint(str(workbook(tmp_path)), "--select", "DQ001", "-f", "json")
    doc = json.loads(r.stdout)
    assert [(i["sheet"], i["rows"]) for i in doc["inputs"]] == [("侯寨乡", 3), ("马寨镇", 4)]
    assert doc["summary"]["rows"] == 7
    assert [(f["location"]["sheet"], f["location"]["cell"]) for f in doc["findings"]] == [("马寨镇", "B4")]
    assert "读取工作表 “侯寨乡”（3行）、“马寨镇”（4行）" in r.stderr
    assert "跳过 “填表说明”（没有可识别的名单表头）" in r.stderr


def test_sheet_is_repeatable(tmp_path: Path) -> None:
    path = str(workbook(tmp_path))
    doc = json.loads(lint(path, "--sheet", "侯寨乡", "--sheet", "马寨镇", "-f", "json").stdout)
    assert [i["sheet"] for i in doc["inputs"]] == ["侯寨乡", "马寨镇"]
    doc = json.loads(lint(path, "--sheet", "马寨镇", "-f", "json").stdout)
    assert [i["sheet"] for i in doc["inputs"]] == ["马寨镇"]
    r = lint(path, "--sheet", "填表说明")
    assert r.exit_code == 2 and "填表说明" in r.output


def test_hidden_and_unit_sheets_are_skipped_with_their_reason(tmp_path: Path) -> None:
    path = workbook(tmp_path)
    wb = load_workbook(path)
    hidden = wb.copy_worksheet(wb["马寨镇"])
    hidden.title = "旧名单"
    hidden.sheet_state = "hidden"
    units = wb.create_sheet("单位信息")
    units.append(["乡镇(街道)", "村(社区)", "姓名"])
    units.append(["侯寨乡", "甲村", "x"])
    wb.save(path)
    r = lint(str(path), "--select", "DQ001", "-f", "json")
    assert [i["sheet"] for i in json.loads(r.stdout)["inputs"]] == ["侯寨乡", "马寨镇"]
    assert "“旧名单”（隐藏的工作表或图表）" in r.stderr and "单位信息" not in r.stderr  # the unit table is no roster


def test_the_xlsx_report_annotates_every_sheet(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    r = lint(str(workbook(tmp_path)), "--select", "DQ001", "-f", "xlsx", "-o", str(out))
    assert r.exit_code == 1, r.output
    wb = load_workbook(out)
    assert wb["马寨镇"]["B4"].comment is not None and "DQ001" in wb["马寨镇"]["B4"].comment.text
    assert wb["侯寨乡"]["B4"].comment is None
