"""Codes are defined once: every code a run can report is in `vetting rules`, the SARIF rule
table of the full national policy names each rule once and validates against the official
schema, and no code is both built in and a policy rule."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from vetting.cli import app
from vetting.dq import BUILTIN_RULES, DQ_RULES, RV_RULES, WV_RULES
from vetting.policy.resolve import load_policies

ROOT = Path(__file__).resolve().parent.parent
SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
EXAMPLE = str(ROOT / "examples" / "二七区两委换届拟任人选.xlsx")
runner = CliRunner()


def _codes_in_source() -> set[str]:
    """String constants in vetting/ that look like built-in codes (DQ001, WV002, RV001…)."""
    found: set[str] = set()
    for path in (ROOT / "vetting").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                v = node.value
                if len(v) == 5 and v[:2] in ("DQ", "WV", "RV") and v[2:].isdigit():
                    found.add(v)
    return found


def test_no_code_is_both_built_in_and_a_policy_rule() -> None:
    policy = load_policies(["national"])
    assert not set(BUILTIN_RULES) & set(policy.rules)
    assert "DQ009" in policy.rules and "DQ009" not in BUILTIN_RULES
    assert set(BUILTIN_RULES) == set(DQ_RULES) | set(WV_RULES) | set(RV_RULES)


def test_every_code_the_code_reports_is_catalogued() -> None:
    policy = load_policies(["national"])
    assert _codes_in_source() - set(BUILTIN_RULES) - set(policy.rules) == set()


def test_rules_lists_every_code_a_run_can_report() -> None:
    r = runner.invoke(app, ["rules", "-f", "json"])
    assert r.exit_code == 0, r.output
    listed = [item["code"] for item in json.loads(r.stdout)["rules"]]
    assert len(listed) == len(set(listed))
    policy = load_policies(["national"])
    assert set(listed) == set(BUILTIN_RULES) | set(policy.rules)
    console = runner.invoke(app, ["rules"]).stdout
    for code in listed:
        assert f" {code} " in console


def test_rules_lists_every_code_the_example_reports() -> None:
    r = runner.invoke(app, ["lint", EXAMPLE, "--as-of", "2021-01-10", "-f", "json"])
    assert r.exit_code == 1, r.output
    reported = {f["code"] for f in json.loads(r.stdout)["findings"]}
    listed = {item["code"] for item in json.loads(runner.invoke(app, ["rules", "-f", "json"]).stdout)["rules"]}
    assert reported and reported <= listed


def test_sarif_of_the_full_national_policy_validates_and_names_each_rule_once() -> None:
    if not SARIF_SCHEMA.exists():
        pytest.skip(f"the official SARIF schema is not beside the checkout ({SARIF_SCHEMA.name})")
    r = runner.invoke(app, ["lint", EXAMPLE, "--as-of", "2021-01-10", "-f", "sarif"])
    assert r.exit_code == 1, r.output
    doc = json.loads(r.stdout)
    jsonschema.validate(doc, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    run0 = doc["runs"][0]
    ids = [rule["id"] for rule in run0["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids))
    assert ids.count("DQ009") == 1
    for res in run0["results"]:
        assert ids[res["ruleIndex"]] == res["ruleId"]
