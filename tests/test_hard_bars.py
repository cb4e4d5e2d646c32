"""A 十不能 or a statutory (locked) rule cannot be waived: the waiver is an error, the bar stays."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from vetting.cli import app

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "二七区两委换届拟任人选.xlsx"
LIN_JUN = "410103199005262416"  # 林军: TN02 (criminal record)
CHEN_HAO_UNIT = {"township": "侯寨乡", "unit": "罗庄村"}


def run(tmp_path: Path, text: str, *args: str) -> tuple[int, dict]:
    w = tmp_path / "waivers.yaml"
    w.write_text(text, encoding="utf-8")
    r = runner.invoke(app, ["lint", str(EXAMPLE), "--as-of", "2021-01-10", "--waivers", str(w), "-f", "json", *args],
                      env={"VETTING_TODAY": "2021-01-05"})
    return r.exit_code, json.loads(r.stdout)


def test_a_ten_cannots_waiver_is_an_error_and_the_bar_stays(tmp_path: Path) -> None:
    code, doc = run(tmp_path, (
        "waivers:\n"
        f"  - codes: [TN02]\n    person: \"{LIN_JUN}\"\n    reason: 区委研究同意\n    approved_by: 区委组织部\n    expires: 2021-12-31\n"
    ), "--select", "TN02,WV")
    assert code == 1
    tn02 = [f for f in doc["findings"] if f["code"] == "TN02" and f["subject"]["name"] == "林军"]
    assert len(tn02) == 1 and tn02[0].get("waiver") is None and tn02[0]["severity"] == "error"
    wv = [(f["code"], f["severity"], f["location"]["row"]) for f in doc["findings"] if f["code"].startswith("WV")]
    assert wv == [("WV003", "error", 2)]


def test_a_locked_rule_cannot_be_waived_but_a_warning_can(tmp_path: Path) -> None:
    code, doc = run(tmp_path, (
        "waivers:\n"
        "  - codes: [EL004]\n    unit: {township: 马寨镇, unit: 张河村}\n    reason: 区委研究同意\n    approved_by: 区委组织部\n    expires: 2021-12-31\n"
        "  - codes: [ST005, ST006]\n    unit: {township: 侯寨乡, unit: 罗庄村}\n    reason: 区委研究同意\n    approved_by: 区委组织部\n    expires: 2021-12-31\n"
    ), "--select", "EL004,ST005,ST006,WV")
    el004 = [f for f in doc["findings"] if f["code"] == "EL004"]
    assert el004 and all(f.get("waiver") is None for f in el004)
    st = [f for f in doc["findings"] if f["code"] in ("ST005", "ST006") and f["subject"]["unit"] == "罗庄村"]
    assert st and all(f.get("waiver") for f in st)
    assert [f["code"] for f in doc["findings"] if f["code"].startswith("WV")] == ["WV003"]
    assert code == 1
