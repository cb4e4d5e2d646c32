"""The election date (as_of) is never assumed: --as-of, a regional policy, or exit 2."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import make_xlsx
from vetting.cli import app
from vetting.testing import make_id

runner = CliRunner()
HEADER = ["姓名", "身份证号", "性别", "出生日期", "乡镇(街道)", "村(社区)", "拟任村(居)委会职务"]
# Born 2008-06-01: 17 on 2026-03-01, 18 on 2026-07-01.
BORN = dt.date(2008, 6, 1)


def roster(tmp_path: Path) -> Path:
    pid = make_id(BORN, 1, True)
    return make_xlsx(
        tmp_path / "r.xlsx",
        [HEADER, ["张三", pid, "男", BORN.isoformat(), "某镇", "甲村", "委员"]],
    )


def test_lint_without_a_date_stops_with_guidance(tmp_path: Path) -> None:
    r = runner.invoke(app, ["lint", str(roster(tmp_path)), "--select", "EL001"])
    assert r.exit_code == 2, r.output
    assert "--as-of" in r.output and "选举日" in r.output
    assert "Traceback" not in r.output


def test_the_national_policy_sets_no_date() -> None:
    from vetting.policy.resolve import load_policies

    assert load_policies(["national"]).as_of is None


def test_as_of_decides_the_age_rule(tmp_path: Path) -> None:
    path = str(roster(tmp_path))
    new = runner.invoke(app, ["lint", path, "--select", "EL001", "--as-of", "2026-07-01", "-f", "json"])
    assert json.loads(new.stdout)["as_of"] == "2026-07-01"
    assert [f["code"] for f in json.loads(new.stdout)["findings"]] == []  # 18 on 2026-07-01
    r = runner.invoke(app, ["lint", path, "--select", "EL001", "--as-of", "2026-03-01", "-f", "json"])
    assert [f["code"] for f in json.loads(r.stdout)["findings"]] == ["EL001"]  # 17


def test_a_regional_policy_gives_the_date(tmp_path: Path) -> None:
    county = tmp_path / "county.yaml"
    county.write_text("policy: county\nextends: national\nas_of: 2026-03-01\n", encoding="utf-8")
    r = runner.invoke(app, ["lint", str(roster(tmp_path)), "-p", str(county), "--select", "EL001", "-f", "json"])
    doc = json.loads(r.stdout)
    assert doc["as_of"] == "2026-03-01" and [f["code"] for f in doc["findings"]] == ["EL001"]


def test_stats_without_a_date_stops(tmp_path: Path) -> None:
    r = runner.invoke(app, ["stats", str(roster(tmp_path))])
    assert r.exit_code == 2 and "--as-of" in r.output


def test_stats_previous_default_is_the_policy_term(tmp_path: Path) -> None:
    path = str(roster(tmp_path))
    r = runner.invoke(app, ["stats", path, "--previous", path, "--as-of", "2026-03-01", "-f", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["groups"][0]["previous"]["as_of"] == "2021-03-01"  # 5 years, not 3
    assert "previous_term_years" in r.stderr
    county = tmp_path / "c.yaml"
    county.write_text("policy: c\nextends: national\nparams: {previous_term_years: 3}\n", encoding="utf-8")
    r = runner.invoke(app, ["stats", path, "--previous", path, "--as-of", "2021-01-10", "-p", str(county), "-f", "json"])
    assert json.loads(r.stdout)["groups"][0]["previous"]["as_of"] == "2018-01-10"


def test_the_readmes_first_command_lints_the_example() -> None:
    import shlex

    root = Path(__file__).resolve().parent.parent
    text = (root / "README.md").read_text(encoding="utf-8")
    first = text.split("```sh\n", 1)[1].splitlines()[0]
    args = shlex.split(first.split("vetting lint", 1)[1])
    assert "--as-of" in args
    r = runner.invoke(app, ["lint", *[str(root / a) if a.startswith("examples/") else a for a in args]])
    assert r.exit_code == 1, r.output  # findings on purpose, not a usage error
