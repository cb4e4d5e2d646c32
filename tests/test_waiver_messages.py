"""Waiver files as people write them: an ID number without quotes, and messages in Chinese
for the waiver's own rules (expires, person or unit, rule codes)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from vetting.cli import app

runner = CliRunner()
EXAMPLE = str(Path(__file__).resolve().parent.parent / "examples" / "二七区两委换届拟任人选.xlsx")
ENTRY = "    reason: 区委研究同意\n    approved_by: 区委组织部\n"


def lint(tmp_path: Path, waivers: str, *args: str) -> tuple[int, str, str]:
    w = tmp_path / "w.yaml"
    w.write_text("waivers:\n" + waivers, encoding="utf-8")
    r = runner.invoke(app, ["lint", EXAMPLE, "--as-of", "2021-01-10", "--waivers", str(w), *args],
                      env={"VETTING_TODAY": "2021-01-05"})
    return r.exit_code, r.stdout, r.output


def test_an_unquoted_id_number_is_read_as_the_person(tmp_path: Path) -> None:
    quoted = lint(tmp_path, "  - codes: [ST004]\n    person: '410103197408028676'\n" + ENTRY + "    expires: 2021-12-31\n",
                  "--select", "ST004,WV", "-f", "json")
    plain = lint(tmp_path, "  - codes: [ST004]\n    person: 410103197408028676\n" + ENTRY + "    expires: 2021-12-31\n",
                 "--select", "ST004,WV", "-f", "json")
    assert plain[0] != 2, plain[2]
    waived = [f["code"] for f in json.loads(plain[1])["findings"] if f["waiver"]]
    assert waived == ["ST004"]
    assert json.loads(plain[1])["findings"] == json.loads(quoted[1])["findings"]


def test_the_waivers_own_rules_speak_chinese(tmp_path: Path) -> None:
    code, _, out = lint(tmp_path, "  - codes: [ST004]\n    person: '410103197408028676'\n" + ENTRY + "    expires: 明年\n")
    assert code == 2 and "expires 须为到期日" in out and "明年" in out
    code, _, out = lint(tmp_path, "  - codes: [ST004]\n" + ENTRY + "    expires: never\n")
    assert code == 2 and "每条豁免须写 person（身份证号）或 unit" in out
    code, _, out = lint(tmp_path, "  - codes: [st04x]\n    unit: 马寨村\n" + ENTRY + "    expires: never\n")
    assert code == 2 and "不是规则代码" in out
