"""The policy language: loading errors with positions, composition, locking, the JSON Schema,
and the commands that show policies."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from vetting.cli import app
from vetting.errors import UserError
from vetting.policy.resolve import load_policies, shipped_policies_dir

runner = CliRunner()
RULE = """
  - code: XX01
    title: 测试
    category: 测试
    severity: error
    rationale: 测试
    source: {cite: 测试}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def errors_of(path: Path) -> str:
    with pytest.raises(UserError) as e:
        load_policies([str(path)])
    return str(e.value)


@pytest.mark.parametrize(
    ("body", "where", "what"),
    [
        (RULE + "    when: {field: age, abve: 3}\n", ":9:", "abve"),  # typo in an operator
        (RULE + "    when: {field: agee, above: 3}\n", ":9:", "agee"),  # unknown column
        (RULE + "    when: {field: age, above: $nope}\n", ":9:", "$nope"),  # unknown parameter
        (RULE + "    check: {field: age, above: 3}\n", ":", "check"),  # unknown rule kind
        (RULE + "    when: {field: age, above: 3}\n    severity_x: 1\n", ":10:", "severity_x"),
        (RULE.replace("severity: error", "severity: fatal") + "    when: {field: age, above: 3}\n", ":6:", "severity"),
        (RULE + "    when: {field: education, below: 小学毕业生}\n", ":9:", "小学毕业生"),  # not a level
        (RULE + "    when: {field: incumbent, above: 3}\n", ":9:", "above"),  # operator vs type
        (RULE + "    when: {field: age, above: 3}\n    message: '{agee}岁'\n", ":10:", "agee"),  # placeholder
        (RULE + "    when: {field: age, above: 3}\n    message: '{name.__class__}'\n", ":10:", "{name"),
        (RULE + "    when: {field: age}\n", ":9:", "operator"),
        (RULE + "    scope: unit\n    who: {field: is_member, is: true}\n    expect: {count: all, at_least: 1}\n", ":", "who"),
        (RULE + "    scope: unit\n    expect: {count: all, at_least: 1}\n    when: {field: age, above: 3}\n", ":", "expect"),
    ],
)
def test_policy_errors_name_file_line_and_what(tmp_path: Path, body: str, where: str, what: str) -> None:
    p = write(tmp_path, "p.yaml", "policy: t\nrules:" + body)
    msg = errors_of(p)
    assert "p.yaml" + where in msg, msg
    assert what in msg


def test_all_errors_at_once(tmp_path: Path) -> None:
    body = RULE + "    when: {field: agee, above: 3}\n" + RULE.replace("XX01", "XX02") + "    when: {field: ag, above: 3}\n"
    msg = errors_of(write(tmp_path, "p.yaml", "policy: t\nrules:" + body))
    assert "agee" in msg and "'ag'" in msg


def test_extends_errors(tmp_path: Path) -> None:
    assert "nowhere" in errors_of(write(tmp_path, "a.yaml", "policy: a\nextends: ./nowhere.yaml\n"))
    write(tmp_path, "b.yaml", "policy: b\nextends: c.yaml\n")
    write(tmp_path, "c.yaml", "policy: c\nextends: b.yaml\n")
    assert "cycle" in errors_of(tmp_path / "b.yaml")


def test_extending_overrides_params_and_severity_in_one_line(tmp_path: Path) -> None:
    p = write(tmp_path, "county.yaml", "policy: county\nextends: national\nparams: {one_shoulder_target: 0.95}\noverrides: {EL010: {severity: error}}\n")
    pol = load_policies([str(p)])
    assert pol.param("one_shoulder_target") == 0.95
    assert pol.params["one_shoulder_target"].set_at.path.endswith("county.yaml")
    assert pol.params["one_shoulder_target"].set_at.line == 3
    assert pol.rules["EL010"].rule.severity.value == "error"
    assert pol.rules["EL010"].severity_at.line == 4
    national = load_policies(["national"])
    assert national.param("one_shoulder_target") == 0.9


def test_locked_rules_cannot_be_disabled_or_lowered(tmp_path: Path) -> None:
    assert "EL001" in errors_of(write(tmp_path, "a.yaml", "policy: a\nextends: national\ndisable: [EL001]\n"))
    assert "EL001" in errors_of(write(tmp_path, "b.yaml", "policy: b\nextends: national\noverrides: {EL001: {severity: warning}}\n"))
    pol = load_policies([str(write(tmp_path, "c.yaml", "policy: c\nextends: national\ndisable: [ST007]\n"))])
    assert "ST007" not in pol.rules and "ST007" in pol.disabled


def test_redefining_an_inherited_code_is_an_error(tmp_path: Path) -> None:
    body = RULE.replace("XX01", "TN01") + "    when: {field: age, above: 3}\n"
    msg = errors_of(write(tmp_path, "a.yaml", "policy: a\nextends: national\nrules:" + body))
    assert "TN01" in msg and "overrides" in msg


def test_parameter_type_must_match(tmp_path: Path) -> None:
    msg = errors_of(write(tmp_path, "a.yaml", "policy: a\nextends: national\nparams: {one_shoulder_target: 很高}\n"))
    assert "one_shoulder_target" in msg


def test_shipped_policy_files_validate_against_the_json_schema() -> None:
    r = runner.invoke(app, ["schema"])
    assert r.exit_code == 0
    schema = json.loads(r.stdout)
    yaml = YAML(typ="safe")
    files = [p for p in shipped_policies_dir().rglob("*.yaml") if "tests" not in p.parts]
    assert len(files) >= 7
    for path in files:
        doc = _dates_as_text(yaml.load(path.read_text(encoding="utf-8")))
        jsonschema.validate(doc, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"policy": "x", "rules": [{"code": "XX01", "bogus": 1}]}, schema)


def _dates_as_text(node):
    """YAML reads 2021-01-10 as a date; an editor validating the file sees the text."""
    import datetime as dt

    if isinstance(node, dict):
        return {k: _dates_as_text(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_dates_as_text(v) for v in node]
    return node.isoformat() if isinstance(node, dt.date) else node


def test_rules_effective_shows_where_values_are_set(tmp_path: Path) -> None:
    p = write(tmp_path, "county.yaml", "policy: county\nextends: national\nparams: {one_shoulder_target: 0.95}\n")
    r = runner.invoke(app, ["rules", "-p", str(p), "--effective", "-f", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    param = next(x for x in doc["params"] if x["name"] == "one_shoulder_target")
    assert param["value"] == 0.95 and param["set_at"].endswith("county.yaml:3:10"), param
    assert all(rule["defined_at"] for rule in doc["rules"])


def test_explain_every_shipped_code() -> None:
    from rich.console import Console

    from vetting.report.rules_report import print_explain

    pol = load_policies(["national"])
    for code in pol.rules:
        console = Console(record=True, width=120)
        print_explain(pol, code, console)
        text = console.export_text()
        assert pol.rules[code].rule.title in text
        assert "不通过的例子" in text and "通过的例子" in text, code
        assert pol.rules[code].rule.source.cite in text
    r = runner.invoke(app, ["explain", "TN07"])
    assert r.exit_code == 0 and "不合格党员" in r.stdout
    r = runner.invoke(app, ["explain", "TN99"])
    assert r.exit_code == 2


def test_vetting_test_command_reports_like_a_test_runner(tmp_path: Path) -> None:
    d = tmp_path / "pol"
    (d / "tests").mkdir(parents=True)
    (d / "policy.yaml").write_text("policy: p\nextends: national\n", encoding="utf-8")
    case = "rule: EL001\nas_of: 2021-01-10\ncases:\n  - name: 成年\n    rows: [{出生日期: 1990-01-01}]\n    expect: []\n"
    (d / "tests" / "ok.yaml").write_text(case, encoding="utf-8")
    r = runner.invoke(app, ["test", str(d)])
    assert r.exit_code == 0, r.output
    assert r.stdout.strip().splitlines()[-1] == "1 passed, 0 failed"
    (d / "tests" / "bad.yaml").write_text(
        "rule: EL001\nas_of: 2021-01-10\ncases:\n  - name: 写错的期望\n    rows: [{出生日期: 1990-01-01}]\n    expect: [{code: EL001, row: 1}]\n",
        encoding="utf-8",
    )
    r = runner.invoke(app, ["test", str(d)])
    assert r.exit_code == 1
    assert "写错的期望" in r.stdout and "FAILED" in r.stdout and "missing: EL001 row 1" in r.stdout
    assert r.stdout.strip().splitlines()[-1] == "1 passed, 1 failed"
