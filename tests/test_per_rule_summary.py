"""A rule that fires at two severities (EL006: error for a 村, warning for a 社区) is counted per
severity in every summary, never under one label."""

from __future__ import annotations

import os
import re
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from vetting.cli import app

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "二七区两委换届拟任人选.xlsx"
ARGS = ["lint", str(EXAMPLE), "--as-of", "2021-01-10", "--select", "EL006"]


def test_console_summary_has_a_line_per_severity() -> None:
    out = runner.invoke(app, [*ARGS, "--statistics"]).output
    lines = [re.sub(r"\s+", " ", ln).strip() for ln in out.splitlines() if ln.strip().startswith("EL006 ")]
    assert lines == ["EL006 村(居)委会没有女性成员 错误 1", "EL006 村(居)委会没有女性成员 警告 1"]


def test_xlsx_summary_has_a_row_per_severity(tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    runner.invoke(app, [*ARGS, "-f", "xlsx", "-o", str(out)])
    ws = load_workbook(out)["汇总"]
    rows = [(r[0], r[2], r[4]) for r in ws.iter_rows(values_only=True) if r[0] == "EL006"]
    assert rows == [("EL006", "错误", 1), ("EL006", "警告", 1)]


def test_github_summary_has_a_row_per_severity(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    runner.invoke(app, [*ARGS, "-f", "github"], env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary)})
    rows = [ln for ln in summary.read_text(encoding="utf-8").splitlines() if ln.startswith("| EL006")]
    assert [r.split("|")[3].strip() for r in rows] == ["error", "warning"]
