"""Check kinds: each kind's evaluation (`checks/`) and its rules, validation and description
(`policy/kinds/`), registered under the same keys; each kind's validation reports its own
problems at their positions, compared as data."""

from __future__ import annotations

from pathlib import Path

import pytest

from vetting.checks import CHECKS
from vetting.errors import UserError
from vetting.policy.kinds import KIND_RULES, describe_rule
from vetting.policy.model import Rule
from vetting.policy.resolve import load_policies

ROOT = Path(__file__).resolve().parent.parent


def test_every_kind_has_its_check_and_its_rules() -> None:
    assert set(CHECKS) == set(Rule.KINDS)
    assert set(KIND_RULES) == set(Rule.KINDS)
    for key, check in CHECKS.items():
        assert (check.kind, check.rules) == (key, KIND_RULES[key])  # type: ignore[attr-defined]


def test_every_kind_describes_a_shipped_rule() -> None:
    policy = load_policies(["national"])
    seen: dict[str, str] = {}
    for er in policy.rules.values():
        for kind in er.rule.kinds:
            seen.setdefault(kind, describe_rule(er, policy, en=False))
    assert set(seen) == set(Rule.KINDS)
    assert all(seen.values())


BROKEN = """\
policy: broken.kinds
version: "1"
include: [{fields}]
rules:
  - code: XK01
    title: 条件
    category: 测试
    rationale: 测试用。
    source: {{cite: 测试}}
    severity: warning
    when: {{field: agee, below: 18}}
  - code: XK02
    title: 群体
    category: 测试
    rationale: 测试用。
    source: {{cite: 测试}}
    severity: warning
    scope: unit
    expect: {{mean: name, at_least: $no_such}}
  - code: XK03
    title: 亲属
    category: 测试
    rationale: 测试用。
    source: {{cite: 测试}}
    severity: warning
    relatives: {{among: {{field: on_party_committee, is: true}}, says: "{{nobody}}"}}
  - code: XK04
    title: 同一人
    category: 测试
    rationale: 测试用。
    source: {{cite: 测试}}
    severity: warning
    same_person: {{across: unit, says: "{{elsewhere}}"}}
  - code: XK05
    title: 单位
    category: 测试
    rationale: 测试用。
    source: {{cite: 测试}}
    severity: warning
    facts: {{expect: {{value: party_seatz, at_least: 1}}}}
"""


def test_each_kind_reports_its_own_problems_where_they_are(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(BROKEN.format(fields=ROOT / "policies" / "national" / "fields.yaml"), encoding="utf-8")
    with pytest.raises(UserError) as e:
        load_policies([str(path)])
    got = [(p.line, p.message.split(" / ")[-1]) for p in e.value.problems]
    assert got == [
        (11, "unknown field"),                   # when: the common condition check
        (19, "needs a numeric field"),           # expect: mean of a text column
        (19, "unknown parameter"),               # expect: an unknown $param bound
        (26, "unknown placeholder"),             # relatives: its says
        (33, "unknown placeholder"),             # same_person: its says
        (40, "unknown unit fact or count"),      # facts
        (34, "a facts rule has unit scope"),     # facts: scope (no scope key: the rule)
    ]
