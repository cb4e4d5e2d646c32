"""The command line through typer's runner: options, formats, exit codes, bad input, masking."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import make_xlsx
from vetting.cli import app
from vetting.testing import make_id

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "二七区两委换届拟任人选.xlsx"
ID_A = make_id(dt.date(1985, 3, 8), 1, False)
ID_B = make_id(dt.date(1990, 1, 2), 2, True)
HEADER = ["姓名", "身份证号", "性别", "乡镇(街道)", "村(社区)", "拟任党组织职务", "拟任村(居)委会职务"]


def lint(*args: str):
    """`vetting lint` at the 2021 round's election date unless told."""
    return runner.invoke(app, ["lint", *args, *(() if "--as-of" in args else ("--as-of", "2021-01-10"))])


def small_roster(tmp_path: Path, *, bad_id: bool = True) -> Path:
    bad = ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1") if bad_id else ID_A
    return make_xlsx(
        tmp_path / "r.xlsx",
        [
            ["某镇两委换届拟任人选"],
            HEADER,
            ["张三", bad, "男", "某镇", "甲村", "书记", "主任"],
            ["李四", ID_B, "女", "某镇", "甲村", "委员", "委员"],
        ],
        merges=["A1:G1"],
    )


def test_json_document_has_the_contract_keys(tmp_path: Path) -> None:
    r = lint(str(small_roster(tmp_path)), "-f", "json", "--as-of", "2021-01-10", "--select", "DQ")
    assert r.exit_code == 1, r.output
    doc = json.loads(r.stdout)
    assert set(doc) >= {"tool", "as_of", "policies", "inputs", "summary", "findings"}
    assert doc["as_of"] == "2021-01-10"
    assert doc["inputs"] == [{"path": str(tmp_path / "r.xlsx"), "sheet": "Sheet1", "rows": 2}]
    assert doc["summary"] == {"error": 1, "warning": 0, "info": 0, "waived": 0, "rows": 2, "people": 2, "units": 1}
    (f,) = doc["findings"]
    assert f["code"] == "DQ001"
    assert f["location"] == {"path": str(tmp_path / "r.xlsx"), "sheet": "Sheet1", "row": 3, "column": "身份证号", "cell": "B3"}
    assert f["subject"]["name"] == "张三"
    assert re.fullmatch(r"\d{6}\*{8}\w{4}", f["subject"]["id_number"])
    assert f["subject"]["person"] and ID_A[6:14] not in json.dumps(doc)


def test_show_pii_reveals_the_id(tmp_path: Path) -> None:
    r = lint(str(small_roster(tmp_path)), "-f", "json", "--select", "DQ001", "--show-pii")
    doc = json.loads(r.stdout)
    assert doc["findings"][0]["subject"]["id_number"] == ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--select", "DQ"), 1),
        (("--select", "DQ", "--fail-on", "never"), 0),
        (("--select", "DQ", "--ignore", "DQ001"), 0),
        (("--select", "DQ0", "--ignore", "DQ00"), 0),
        (("--select", "DQ001", "--ignore", "DQ"), 1),  # the longer prefix wins
        (("--select", "DQ002,DQ001"), 1),
    ],
)
def test_exit_codes_follow_fail_on_and_select(tmp_path: Path, args: tuple[str, ...], code: int) -> None:
    r = lint(str(small_roster(tmp_path)), "-f", "json", *args)
    assert r.exit_code == code, r.output


def test_console_report_plain_text_when_not_a_terminal(tmp_path: Path) -> None:
    r = lint(str(small_roster(tmp_path)), "--select", "DQ")
    assert r.exit_code == 1
    out = r.stdout
    assert "\x1b[" not in out
    assert "某镇 › 甲村" in out
    assert "第3行 B3" in out and "DQ001" in out and "张三" in out
    assert ID_A[6:14] not in out  # the ID number is masked
    assert "合计" in out


def test_english_messages(tmp_path: Path) -> None:
    r = lint(str(small_roster(tmp_path)), "--select", "DQ", "--lang", "en", "-f", "json")
    f = json.loads(r.stdout)["findings"][0]
    assert f["title"] == "Malformed ID number"
    assert "check character" in f["message"]


def test_output_file_and_console_together(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    r = lint(str(small_roster(tmp_path)), "--select", "DQ", "-f", "console", "-f", "json", "-o", str(out))
    assert r.exit_code == 1
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["error"] == 1
    assert "DQ001" in r.stdout


def test_jsonl_is_one_finding_per_line(tmp_path: Path) -> None:
    r = lint(str(small_roster(tmp_path)), "--select", "DQ", "-f", "jsonl")
    lines = r.stdout.strip().splitlines()
    assert [json.loads(line)["code"] for line in lines] == ["DQ001"]


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda p: p / "missing.xlsx", "文件不存在"),
        (lambda p: (p / "empty.csv").write_bytes(b"") and p / "empty.csv" or p / "empty.csv", "文件为空"),
        (lambda p: (p / "r.pdf").write_text("x") and p / "r.pdf" or p / "r.pdf", ".pdf"),
        (lambda p: (p / "fake.xlsx").write_text("not a workbook") and p / "fake.xlsx" or p / "fake.xlsx", "Excel"),
        (lambda p: (p / "nohead.csv").write_text("a,b,c\n1,2,3\n") and p / "nohead.csv" or p / "nohead.csv", "表头"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(tmp_path: Path, make, needle: str) -> None:
    path = make(tmp_path)
    r = lint(str(path))
    assert r.exit_code == 2, r.output
    assert needle in r.stderr
    assert str(path.name) in r.stderr
    assert "Traceback" not in r.stderr + r.stdout


def test_unknown_sheet_lists_the_sheets(tmp_path: Path) -> None:
    r = lint(str(small_roster(tmp_path)), "--sheet", "名单2")
    assert r.exit_code == 2
    assert "Sheet1" in r.stderr


def test_bad_options_exit_2(tmp_path: Path) -> None:
    roster = str(small_roster(tmp_path))
    assert lint(roster, "--fail-on", "sometimes").exit_code == 2
    assert lint(roster, "-f", "pdf").exit_code == 2
    assert lint(roster, "--as-of", "2021.01").exit_code == 2
    r = lint(roster, "-f", "json", "-f", "jsonl")
    assert r.exit_code == 2 and "标准输出" in r.stderr


def test_template_round_trips_through_lint(tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    r = runner.invoke(app, ["template", str(out)])
    assert r.exit_code == 0, r.output
    from openpyxl import load_workbook

    wb = load_workbook(out)
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[3]]
    row = {h: None for h in headers}
    row.update({"序号": 1, "姓名": "张三", "身份证号": ID_A, "性别": "男", "出生日期": "1985.03", "乡镇(街道)": "某镇",
                "村(社区)": "甲村", "拟任党组织职务": "书记", "刑事处罚": "无"})
    for j, h in enumerate(headers, start=1):
        if row[h] is not None:
            ws.cell(row=4, column=j, value=row[h])
    wb.save(out)
    r = lint(str(out), "-f", "json", "--select", "DQ")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["summary"]["rows"] == 1 and doc["findings"] == []
    assert runner.invoke(app, ["template", str(out)]).exit_code == 2  # exists: needs --force


def test_example_workbook_lints(tmp_path: Path) -> None:
    r = lint(str(EXAMPLE), "-f", "json", "--select", "DQ")
    doc = json.loads(r.stdout)
    assert doc["summary"]["units"] == 20
    assert {f["code"] for f in doc["findings"]} == {f"DQ00{i}" for i in range(1, 10)}


def test_policies_layer_in_order_and_as_of_defaults_to_the_policy(tmp_path: Path) -> None:
    county = tmp_path / "county.yaml"
    county.write_text("policy: county\nextends: national\nas_of: 2021-03-01\noverrides: {ST001: {severity: error}}\n", encoding="utf-8")
    roster = small_roster(tmp_path, bad_id=False)
    doc = json.loads(lint(str(roster), "-f", "json", "--select", "ST001").stdout)  # helper: --as-of 2021-01-10
    assert doc["as_of"] == "2021-01-10" and doc["findings"] == []  # 张三 is 书记 and 主任
    people = [["张三", ID_A, "男", "某镇", "甲村", "书记", None], ["李四", ID_B, "女", "某镇", "甲村", "委员", "主任"]]
    r2 = make_xlsx(tmp_path / "r2.xlsx", [HEADER, *people])
    national = json.loads(lint(str(r2), "-f", "json", "--select", "ST001").stdout)
    layered = runner.invoke(app, ["lint", str(r2), "-p", "national", "-p", str(county), "-f", "json", "--select", "ST001"])
    doc = json.loads(layered.stdout)
    assert [f["severity"] for f in national["findings"]] == ["warning"]
    assert [f["severity"] for f in doc["findings"]] == ["error"] and layered.exit_code == 1
    assert doc["as_of"] == "2021-03-01"
    assert [p["name"] for p in doc["policies"]] == ["national", "county"]
    doc = json.loads(lint(str(r2), "-p", str(county), "--as-of", "2021-05-01", "-f", "json", "--select", "ST001").stdout)
    assert doc["as_of"] == "2021-05-01"


def test_an_internal_error_exits_3_with_its_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys, vetting.engine as e\n"
        "def boom(*a, **k):\n    raise RuntimeError('boom')\n"
        "e.lint = boom\n"
        f"sys.argv = ['vetting', 'lint', {str(small_roster(tmp_path))!r}, '--as-of', '2021-01-10']\n"
        "from vetting.cli import main\nmain()\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 3
    assert "Traceback" in r.stderr and "RuntimeError: boom" in r.stderr


@pytest.mark.parametrize("args", [["lint", "--help"], ["stats", "--help"], ["lint"], ["lint", "--bogus", "x"], ["review", "--help"], ["nosuch"]])
def test_a_run_building_only_its_command_says_what_the_full_tree_says(args: list[str]) -> None:
    """`main` registers only the command it runs (start-up time); help, usage errors and exit
    codes are those of the whole command tree."""
    import os
    import subprocess
    import sys

    def run(entry: str) -> tuple[int, str]:
        code = f"import sys; sys.argv = ['vetting'] + sys.argv[1:]; from vetting.cli import {entry}; {entry}()"
        p = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env={**os.environ, "COLUMNS": "100"})
        return p.returncode, p.stdout + p.stderr

    assert run("main") == run("app")
