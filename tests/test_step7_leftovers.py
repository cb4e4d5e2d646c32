"""Leftovers of the confusing policy messages: a share written as a percentage inside a rule
gets the same hint as a parameter; parameter descriptions follow a region's override; an
unknown parameter in a policy test case is reported at its own line with a did-you-mean."""

from __future__ import annotations

from pathlib import Path

import pytest

from vetting.errors import Problem, UserError
from vetting.policy.resolve import load_policies

RULE_HEAD = "    title: 测试\n    category: 其他\n    severity: warning\n    rationale: 测试\n    source: {cite: 测试}\n"


def _problems(path: Path) -> list[Problem]:
    with pytest.raises(UserError) as e:
        load_policies([str(path)])
    return e.value.problems


def test_a_percentage_inside_a_rule_gets_the_share_hint(tmp_path: Path) -> None:
    pol = tmp_path / "county.yaml"
    pol.write_text(
        "policy: county\nextends: national\nrules:\n"
        "  - code: CX01\n" + RULE_HEAD + "    scope: unit\n    expect:\n"
        "      share: {field: is_woman, is: true}\n"
        "      at_least: 95%\n"
        "  - code: CX02\n" + RULE_HEAD + "    when: {field: age, at_least: 95%}\n"
        "  - code: CX03\n" + RULE_HEAD + "    scope: unit\n    facts:\n      expect:\n"
        "        margin_ratio: [party_candidates, party_seats]\n"
        "        at_least: 20%\n",
        encoding="utf-8",
    )
    hint95 = "比例写作 0 到 1 之间的小数，如 0.95 表示 95% / write a share as a fraction, e.g. 0.95"
    hint20 = "比例写作 0 到 1 之间的小数，如 0.2 表示 20% / write a share as a fraction, e.g. 0.2"
    assert _problems(pol) == [
        Problem(str(pol), 13, 7, "界限须为数字，实为 '95%' / a bound must be a number", hint95),
        Problem(str(pol), 20, 24, "'at_least' 需要数字，实为 '95%' / needs a number", hint95),
        Problem(str(pol), 31, 9, "'at_least' 需要数字，实为 '20%' / needs a number", hint20),
    ]


def test_an_unknown_parameter_in_a_policy_test_case_is_reported_at_its_key(tmp_path: Path) -> None:
    from vetting.testing import run_directory

    (tmp_path / "policy.yaml").write_text("policy: county\nextends: national\n", encoding="utf-8")
    (tmp_path / "tests").mkdir()
    tf = tmp_path / "tests" / "ST004.yaml"
    tf.write_text(
        "rule: ST004\nas_of: 2021-01-10\ncases:\n"
        "  - name: 新进人员46岁\n"
        "    params:\n"
        "      new_entrant_max_age: 45\n"
        "      new_entrant_max_ag: 40\n"
        "    rows: [{出生日期: 1974-06-01, 是否现任: 否}]\n"
        "    expect: [{code: ST004, row: 1}]\n",
        encoding="utf-8",
    )
    [result] = run_directory(tmp_path)
    assert not result.passed and result.line == 7
    assert result.problems == [Problem(
        str(tf), 7, 7,
        "测试用例中的参数 'new_entrant_max_ag' 不存在（是否应为 'new_entrant_max_age'？） / "
        "unknown parameter 'new_entrant_max_ag' in a test case (did you mean 'new_entrant_max_age'?)",
    )]
