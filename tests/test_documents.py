"""The documents layer (vetting/documents): every YAML document a user writes is read, validated
and explained in one way, and its errors are compared here as data (file, line, column,
message, hint): policies, waivers, claims and policy test files."""

from __future__ import annotations

from pathlib import Path

import pytest

from vetting.documents import LoadedYaml, read_yaml, validate
from vetting.errors import Problem, UserError
from vetting.policy.operators import OPERATORS
from vetting.policy.resolve import load_policies

RULE = "  - code: {code}\n    title: t\n    category: c\n    rationale: r\n    source: {{cite: x}}\n    severity: warning\n"
OPERATOR_NOTE = (
    f"字段测试写作 {{field: 列名, 运算: 值}}，可用的运算：{'、'.join(OPERATORS)} / a field test is {{field: KEY, OPERATOR:"
    f" VALUE}}; operators: {', '.join(OPERATORS)}"
)
YES_NO = "是/否写作 true/false：{} → {} / write yes/no as true/false"
DATE_HINT = "日期写作 YYYY-MM-DD，如 2021-01-10。 / Write dates as YYYY-MM-DD."


def policy_problems(tmp_path: Path, body: str) -> list[tuple[int | None, int | None, str, str | None]]:
    """The problems of a county policy extending the national one, as (line, column, message, hint)."""
    p = tmp_path / "county.yaml"
    p.write_text("policy: county\nextends: national\n" + body, encoding="utf-8")
    with pytest.raises(UserError) as e:
        load_policies([str(p)])
    assert e.value.problems, e.value
    assert {q.path for q in e.value.problems} == {str(p)}
    return [(q.line, q.column, q.message, q.hint) for q in e.value.problems]


def test_a_flag_written_in_chinese_and_a_misspelt_severity(tmp_path: Path) -> None:
    body = "rules:\n" + RULE.format(code="XY01") + "    when: {field: criminal_record, is: 否}\n    locked: 是\n"
    body += "overrides:\n  EL001: {severity: eror}\n"
    assert policy_problems(tmp_path, body) == [
        (10, 36, "'is' 应为 true 或 false（是/否），或 unknown、known 之一，实为 '否' / 'is' must be true or false or one of"
                 " unknown, known", YES_NO.format("否", "false")),
        (11, 5, "'locked' 应为 true 或 false（是/否），实为 '是' / 'locked' must be true or false", YES_NO.format("是", "true")),
        (13, 11, "'severity' 应为 error、warning、info 之一（是否应为 'error'？），实为 'eror' / 'severity' must be one of"
                 " error, warning, info (did you mean 'error'?)", None),
    ]


def test_an_operator_by_another_name_is_answered_from_the_operator_table(tmp_path: Path) -> None:
    body = "rules:\n" + RULE.format(code="XY01") + "    when: {field: age, greater_than: 60}\n"
    body += RULE.format(code="XY02") + "    when: {field: age, '>=': 60}\n"
    assert policy_problems(tmp_path, body) == [
        (10, 24, "未知的键 'greater_than'（是否应为 'above'？） / unknown key 'greater_than' (did you mean 'above'?)",
         OPERATOR_NOTE),
        (17, 24, "未知的键 '>='（是否应为 'at_least'？） / unknown key '>=' (did you mean 'at_least'?)", OPERATOR_NOTE),
    ]


def test_wrong_types_name_the_type_in_chinese(tmp_path: Path) -> None:
    body = "as_of: tomorrow\ninclude: parts.yaml\nrules:\n" + RULE.format(code="XY01").replace("title: t", "title: [t]")
    body += "    expect: [{count: all, at_least: 1}, 5]\n    scope: unit\n"
    body += "  - 7\n"
    assert policy_problems(tmp_path, body) == [
        (3, 1, "'as_of' 应为日期（YYYY-MM-DD），实为 'tomorrow' / 'as_of' must be a date (YYYY-MM-DD)", DATE_HINT),
        (4, 1, "'include' 应为列表（每项一行“- …”，或写作 [a, b]），实为 'parts.yaml' / 'include' must be a list", None),
        (7, 5, "'title' 应为文字，实为 一个列表 / 'title' must be text", None),
        (12, 41, "'expect' 第 2 项 应为映射（“键: 值”），实为 5 / item 2 of 'expect' must be a mapping (key: value)", None),
        (14, 5, "'rules' 第 2 项 应为映射（“键: 值”），实为 7 / item 2 of 'rules' must be a mapping (key: value)", None),
    ]


def test_a_date_with_a_time_and_a_validator_message(tmp_path: Path) -> None:
    body = "as_of: 2021-01-10 08:00:00\nrules:\n" + RULE.format(code="XY01") + "    when: {field: age, below: 3, above: 4}\n"
    ops = "、".join(OPERATORS)
    assert policy_problems(tmp_path, body) == [
        (3, 1, "'as_of' 应为日期（YYYY-MM-DD，不带时刻），实为 2021-01-10 08:00:00 / 'as_of' must be a date without a time",
         DATE_HINT),
        (11, 5, f"'when'：字段测试须有且只有一个运算（{ops}），实有：below、above / a field test needs exactly one operator",
         None),
    ]


def test_a_union_reports_the_branch_that_fits_not_every_branch(tmp_path: Path) -> None:
    """A parameter is `{value, title}` or a bare value: a mistyped key in the mapping is not also
    reported as "not a number, not text, not a date"."""
    body = "params:\n  adult_age: {value: 18, titel: 年龄}\n"
    assert policy_problems(tmp_path, body) == [
        (4, 3, "缺少必填的键 'title' / missing required key 'title'", None),
        (4, 26, "未知的键 'titel'（是否应为 'title'？） / unknown key 'titel' (did you mean 'title'?)",
         "可用的键：value、title、title_en、unit、description / keys: value, title, title_en, unit, description"),
    ]


def test_waiver_errors_are_problems_in_the_waiver_file(tmp_path: Path) -> None:
    from vetting.waivers import WaiverFile

    p = tmp_path / "w.yaml"
    p.write_text(
        "waivers:\n  - codes: ST004\n    person: '410103199005262416'\n    reason: 区委研究同意\n"
        "    approved_by: 区委组织部\n    until: 2021-12-31\n  - codes: [st4]\n    unit: 甲村\n    reason: 同意\n"
        "    approved_by: 区委\n    expires: soon\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError) as e:
        validate(WaiverFile, read_yaml(p), what="豁免清单")
    assert e.value.message == "豁免清单有 4 处错误 / 4 error(s) in the file"
    assert e.value.problems == [
        Problem(str(p), 2, 5, "缺少必填的键 'expires' / missing required key 'expires'"),
        Problem(str(p), 6, 5, "未知的键 'until'（是否应为 'expires'？） / unknown key 'until' (did you mean 'expires'?)",
                "可用的键：codes、person、unit、reason、approved_by、expires / keys: codes, person, unit, reason, approved_by,"
                " expires"),
        Problem(str(p), 7, 5, "'codes'：'st4' 不是规则代码（如 ST004） / 'st4' is not a rule code"),
        Problem(str(p), 11, 5, "'expires'：应为日期（YYYY-MM-DD）或 never，实为 'soon' / expires must be a date"
                " (YYYY-MM-DD) or 'never'"),
    ]


def test_claims_errors_are_problems(tmp_path: Path) -> None:
    from vetting.stats.claims import load_claims

    p = tmp_path / "claims.yaml"
    p.write_text("- just text\n- text: a\n  figure: women\n  count: 3\n  colour: red\n- text: b\n  figure: womn\n  count: x\n", encoding="utf-8")
    with pytest.raises(UserError) as e:
        load_claims(p)
    assert [(q.line, q.column, q.message, q.hint) for q in e.value.problems] == [
        (1, 3, "第 1 项 应为映射（“键: 值”），实为 'just text' / item 1 must be a mapping (key: value)", None),
        (5, 3, "未知的键 'colour' / unknown key 'colour'",
         "可用的键：text、figure、share、count、mean、group / keys: text, figure, share, count, mean, group"),
        (7, 3, "未知的指标 'womn'（是否应为 'women'？） / unknown figure", None),
    ]


def test_policy_test_file_errors_are_problems(tmp_path: Path) -> None:
    from vetting.policy.testfile import load_test_file

    p = tmp_path / "t.yaml"
    p.write_text("rule: EL001\ncases:\n  - name: a\n    rows: [{姓名: 张三}]\n    expect: [{code: EL001, row: 第一行}]\n", encoding="utf-8")
    with pytest.raises(UserError) as e:
        load_test_file(p)
    assert e.value.problems == [
        Problem(str(p), 5, 28, "'row' 应为整数，实为 '第一行' / 'row' must be a whole number"),
    ]


def test_a_loaded_document_keeps_positions_of_keys_and_items(tmp_path: Path) -> None:
    p = tmp_path / "d.yaml"
    p.write_text("a:\n  - x\n  - {b: 1}\n", encoding="utf-8")
    doc = read_yaml(p)
    assert isinstance(doc, LoadedYaml)
    assert (doc.pos(("a", 1, "b")).line, doc.pos(("a", 1, "b")).col) == (3, 6)
    assert doc.plain() == {"a": ["x", {"b": 1}]}
