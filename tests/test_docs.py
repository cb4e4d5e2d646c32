"""Generated documentation stays in step with the policy data."""

from __future__ import annotations

from pathlib import Path

from vetting.policy.resolve import load_policies
from vetting.report.rules_report import rules_markdown

ROOT = Path(__file__).resolve().parent.parent


def test_rule_reference_is_up_to_date() -> None:
    expected = rules_markdown(load_policies(["national"]))
    actual = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/rules.md is stale: run `vetting rules --format markdown > docs/rules.md`"
