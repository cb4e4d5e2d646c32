"""What confused a new user: the file of a row with several inputs, waiver lines that read like
roster rows, waiver errors that call the file a policy or suggest the wrong key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import make_xlsx
from vetting.cli import app
from vetting.testing import make_id

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "examples" / "二七区两委换届拟任人选.xlsx")
HEADER = ["姓名", "身份证号", "乡镇(街道)", "村(社区)"]


def bad_id(n: int) -> str:
    good = make_id(dt.date(1980, 1, n), n, False)
    return good[:-1] + ("0" if good[-1] != "0" else "1")


def test_with_several_files_each_row_names_its_file(tmp_path: Path) -> None:
    a = make_xlsx(tmp_path / "甲镇.xlsx", [HEADER, ["张三", bad_id(1), "甲镇", "一村"]])
    b = make_xlsx(tmp_path / "乙镇.xlsx", [HEADER, ["李四", bad_id(2), "乙镇", "二村"]])
    out = runner.invoke(app, ["lint", str(a), str(b), "--as-of", "2021-01-10", "--select", "DQ001"]).stdout
    assert "甲镇.xlsx 第2行 B2" in out and "乙镇.xlsx 第2行 B2" in out
    one = runner.invoke(app, ["lint", str(a), "--as-of", "2021-01-10", "--select", "DQ001"]).stdout
    assert "第2行 B2" in one and "甲镇.xlsx 第2行" not in one


def test_a_waiver_line_is_called_a_waiver_line(tmp_path: Path) -> None:
    w = tmp_path / "w.yaml"
    w.write_text(
        "waivers:\n  - codes: [ST004]\n    person: '410103199005262416'\n    reason: 区委研究同意\n"
        "    approved_by: 区委组织部\n    expires: 2021-12-31\n",
        encoding="utf-8",
    )
    out = runner.invoke(app, ["lint", EXAMPLE, "--as-of", "2021-01-10", "--waivers", str(w), "--select", "WV,ST004"],
                        env={"VETTING_TODAY": "2021-01-05"}).stdout
    assert "豁免清单第2行" in out and "WV001" in out


def test_waiver_file_errors_name_the_waiver_file_and_the_meant_key(tmp_path: Path) -> None:
    w = tmp_path / "w.yaml"
    w.write_text(
        "waivers:\n  - codes: [ST004]\n    person: '410103199005262416'\n    reason: 区委研究同意\n"
        "    approved_by: 区委组织部\n    until: 2021-12-31\n",
        encoding="utf-8",
    )
    r = runner.invoke(app, ["lint", EXAMPLE, "--as-of", "2021-01-10", "--waivers", str(w)])
    assert r.exit_code == 2
    assert "豁免清单" in r.output and "政策文件" not in r.output
    assert "是否应为 'expires'" in r.output and "w.yaml:6:5" in r.output


def test_a_waiver_names_a_unit_with_its_township(tmp_path: Path) -> None:
    import json

    a = make_xlsx(tmp_path / "r.xlsx", [
        HEADER + ["拟任村(居)委会职务"],
        ["张三", make_id(dt.date(1980, 1, 1), 1, False), "甲镇", "新村", "委员"],
        ["李四", make_id(dt.date(1981, 1, 1), 2, False), "乙镇", "新村", "委员"],
    ])
    w = tmp_path / "w.yaml"
    w.write_text(
        "waivers:\n  - codes: [ST003]\n    unit: 乙镇/新村\n    reason: 区委研究同意\n"
        "    approved_by: 区委组织部\n    expires: 2021-12-31\n",
        encoding="utf-8",
    )
    r = runner.invoke(app, ["lint", str(a), "--as-of", "2021-01-10", "--waivers", str(w), "--select", "ST003", "-f", "json"],
                      env={"VETTING_TODAY": "2021-01-05"})
    got = {(f["subject"]["township"], f.get("waiver") is not None) for f in json.loads(r.stdout)["findings"]}
    assert got == {("甲镇", False), ("乙镇", True)}


def test_rules_effective_shows_whole_positions() -> None:
    import re

    out = runner.invoke(app, ["rules", "--effective"]).stdout
    lines = [ln for ln in out.splitlines() if "policies/" in ln]
    assert lines and all(re.search(r"policies/[\w/.-]+\.yaml:\d+:\d+", ln) for ln in lines)
