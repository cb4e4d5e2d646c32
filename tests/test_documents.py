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
        Problem(str(p), 7, 5, "'codes'：“st4”不是规则代码（如 ST004） / 'st4' is not a rule code"),
        Problem(str(p), 11, 5, "expires 须为到期日（如 2026-12-31）或 never，而不是“soon” / expires must be a"
                " date (YYYY-MM-DD) or 'never'"),
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


# -- composition: extends, include, overrides, parameters --------------------------------------

NATIONAL = Path(__file__).resolve().parent.parent / "policies" / "national"


def national_use(param: str) -> str:
    """file:line:col of the national rule that uses `$param` (the key before it)."""
    for f in sorted(NATIONAL.glob("*.yaml")):
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            i = line.find(f": ${param}")
            if i >= 0 and "params" not in line:
                start = max(line.rfind(" ", 0, i), line.rfind("{", 0, i)) + 1
                return f"policies/national/{f.name}:{n}:{start + 1}"
    raise AssertionError(param)


def test_a_wrong_parameter_override_is_reported_in_the_regional_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(NATIONAL.parent.parent)
    body = (
        "params:\n  youth_max_age: 三十五\n  youth_max_agee: 35\n  one_shoulder_target: 90%\n"
        "  new_entrant_max_age: -4\n  leader_min_education: 博士后\n  recommendation_min_share: 0.5\n"
        "  women_representatives_share: {value: 1.5, title: 妇女代表比例下限, unit: 比例}\n"
    )
    assert policy_problems(tmp_path, body) == [
        (4, 3, "参数 'youth_max_age' 应为整数（如 35，见 policies/national/structure.yaml:13:3 的声明），实为 '三十五'"
               " / parameter 'youth_max_age' must be a whole number", None),
        (5, 3, "参数 'youth_max_agee' 未在上级政策中声明（是否应为 'youth_max_age'？）；新参数须写成 {value: …, title: …}"
               " / unknown parameter 'youth_max_agee': declare new ones with value and title", None),
        (6, 3, "参数 'one_shoulder_target' 应为数字（如 0.9，见 policies/national/structure.yaml:12:3 的声明），实为 '90%'"
               " / parameter 'one_shoulder_target' must be a number",
         "比例写作 0 到 1 之间的小数，如 0.9 表示 90% / write a share as a fraction, e.g. 0.9"),
        (7, 3, "参数 'new_entrant_max_age'（单位：岁）不能为负数，实为 -4 / parameter 'new_entrant_max_age' cannot be"
               " negative", None),
        (10, 3, "参数 'women_representatives_share' 是比例，应为 0 到 1 之间的小数（如 0.9 表示 90%），实为 1.5"
                " / a share is between 0 and 1", None),
    ]
    # Values of the right type that do not fit the national rules using them: at the override too.
    body = "params:\n  leader_min_education: 博士后\n  one_shoulder_target: 90\n"
    levels = "未上学、小学、初中、高中、中专、职高、技校、大专、本科、硕士研究生、博士研究生"
    assert policy_problems(tmp_path, body) == [
        (4, 3, f"参数 'leader_min_education' 的值不适合规则 SD004（{national_use('leader_min_education')} 使用）："
               f"'博士后' 不是学历的等级（可用：{levels}） / not a level name", None),
        (5, 3, f"参数 'one_shoulder_target' 的值不适合规则 ST002（{national_use('one_shoulder_target')} 使用）："
               "比例界限须在 0 到 1 之间（如 0.9 表示 90%），实为 90 / a share is 0..1", None),
    ]


def test_composition_errors_are_problems_reported_together(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(NATIONAL.parent.parent)
    (tmp_path / "parts").mkdir()
    assert policy_problems(tmp_path, "include: [missing.yaml, parts]\n") == [
        (3, 11, "包含的文件不存在 'missing.yaml' / included file not found", None),
        (3, 25, "包含的 'parts' 是一个文件夹，不是文件 / is a directory, not a file", None),
    ]
    el001 = load_policies(["national"]).rules["EL001"].defined_at
    body = "overrides:\n  XX01: {severity: info}\n  EL001: {severity: info}\ndisable: [XX02, EL001]\n"
    assert policy_problems(tmp_path, body) == [
        (4, 3, "overrides 的规则 XX01 不存在 / no inherited rule XX01", None),
        (5, 3, f"规则 EL001 已由 {el001} 锁定（法定要求），不能降低其级别 / locked: its severity cannot be lowered", None),
        (6, 11, "disable 的规则 XX02 不存在 / no rule XX02 to disable", None),
        (6, 17, f"规则 EL001 已由 {el001} 锁定（法定要求），不能停用 / locked rule cannot be disabled", None),
    ]


def test_a_bad_part_and_a_bad_main_file_are_reported_at_once(tmp_path: Path) -> None:
    part = tmp_path / "part.yaml"
    part.write_text("policy: part\nrules:\n  - code: 7\n    title: 年龄\n    category: c\n    rationale: r\n"
                    "    source: {cite: x}\n    severity: warning\n    when: {field: age, below: 18}\n", encoding="utf-8")
    p = tmp_path / "county.yaml"
    p.write_text("policy: county\nextends: national\ninclude: [part.yaml]\nseverity: error\n", encoding="utf-8")
    with pytest.raises(UserError) as e:
        load_policies([str(p)])
    assert e.value.message == "政策文件有 2 处错误 / 2 error(s) in the file"
    assert e.value.problems == [
        Problem(str(p), 4, 1, "未知的键 'severity' / unknown key 'severity'"),
        Problem(str(part), 3, 5, "'code' 应为文字，实为 7 / 'code' must be text"),
    ]


# -- every document error at file:line:col of the user's file -----------------------------------


def test_a_nul_byte_in_a_policy_is_at_its_line_and_column(tmp_path: Path) -> None:
    p = tmp_path / "county.yaml"
    p.write_text("policy: county\nextends: national\ntitle: 某\x00县\n", encoding="utf-8")
    with pytest.raises(UserError) as e:
        load_policies([str(p)])
    assert (e.value.path, e.value.line, e.value.column, e.value.message) == (
        str(p), 3, 9, "文件中有不允许的字符 U+0000 / a character YAML does not allow"
    )


def test_an_impossible_date_is_at_its_line_and_column(tmp_path: Path) -> None:
    p = tmp_path / "county.yaml"
    p.write_text("policy: county\nextends: national\nas_of: 2021-02-30\n", encoding="utf-8")
    with pytest.raises(UserError) as e:
        load_policies([str(p)])
    assert (e.value.path, e.value.line, e.value.column) == (str(p), 3, 8)
    assert e.value.message == "日期“2021-02-30”不存在（如 2 月 30 日）/ not a real date: day is out of range for month"


def test_extends_of_a_file_that_is_no_policy_is_at_the_extends_line(tmp_path: Path) -> None:
    other = tmp_path / "passwd"
    other.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    p = tmp_path / "county.yaml"
    p.write_text(f"policy: county\nextends: {other}\n", encoding="utf-8")
    with pytest.raises(UserError) as e:
        load_policies([str(p)])
    assert (e.value.path, e.value.line, e.value.column) == (str(p), 2, 1)
    assert e.value.message == "extends 指向的 '" + str(other) + "' 不是可用的政策文件 / the extends target is not a usable policy"
    assert e.value.problems == [
        Problem(str(other), 1, 1, "文件内容 应为映射（“键: 值”），实为 'root:x:0:0:root:/root:/bin/bash' / the document"
                " must be a mapping (key: value)"),
    ]


def test_an_extends_cycle_is_at_the_extends_line(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("policy: a\nextends: b.yaml\n", encoding="utf-8")
    b.write_text("policy: b\nextends: a.yaml\n", encoding="utf-8")
    with pytest.raises(UserError) as e:
        load_policies([str(a)])
    assert (e.value.path, e.value.line, e.value.column) == (str(b), 2, 1)


def test_waiver_codes_and_people_are_checked_against_the_policy_all_at_once(tmp_path: Path) -> None:
    from vetting.waivers import load_waivers

    p = tmp_path / "w.yaml"
    p.write_text(
        "waivers:\n  - codes: [XX99, ST004]\n    person: '410103199005262417'\n    reason: 区委研究同意\n"
        "    approved_by: 区委组织部\n    expires: never\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError) as e:
        load_waivers(p, load_policies(["national"]))
    assert e.value.message == "豁免清单有 3 处错误 / 3 error(s) in the file"
    assert e.value.problems == [
        Problem(str(p), 2, 13, "规则 XX99 不存在 / unknown rule code"),
        Problem(str(p), 6, 5, "只有“提示”级规则的豁免可以永不过期，ST004 是 warning / only info rules may be waived with"
                " expires: never"),
        Problem(str(p), 3, 5, "不是有效的身份证号码 / not a valid ID number"),
    ]


def test_the_explainer_on_each_kind_of_pydantic_error() -> None:
    """The error types authors meet, on a small model of its own (no policy involved)."""
    import datetime as dt
    from typing import Literal

    from pydantic import BaseModel, ConfigDict, ValidationError

    from vetting.documents import explain_errors

    class Doc(BaseModel):
        model_config = ConfigDict(extra="forbid")
        share: float
        count: int
        day: dt.date
        flag: bool
        kind: Literal["unit", "township"]
        names: list[str]
        table: dict[str, int]
        text: str

    data = {"share": "95%", "count": "三", "day": "2021-02-30", "flag": "否", "kind": "units", "names": "甲村",
            "table": [1], "text": 5, "extra": 1}
    with pytest.raises(ValidationError) as e:
        Doc.model_validate(data)
    got = [(x.loc, x.message, x.hint) for x in explain_errors([dict(err) for err in e.value.errors()], data, Doc)]
    assert got == [
        (("share",), "'share' 应为数字，实为 '95%' / 'share' must be a number",
         "比例写作 0 到 1 之间的小数，如 0.95 表示 95% / write a share as a fraction, e.g. 0.95"),
        (("count",), "'count' 应为整数，实为 '三' / 'count' must be a whole number", None),
        (("day",), "'day' 应为日期（YYYY-MM-DD），实为 '2021-02-30' / 'day' must be a date (YYYY-MM-DD)", DATE_HINT),
        (("flag",), "'flag' 应为 true 或 false（是/否），实为 '否' / 'flag' must be true or false", YES_NO.format("否", "false")),
        (("kind",), "'kind' 应为 unit、township 之一（是否应为 'unit'？），实为 'units' / 'kind' must be one of unit,"
                    " township (did you mean 'unit'?)", None),
        (("names",), "'names' 应为列表（每项一行“- …”，或写作 [a, b]），实为 '甲村' / 'names' must be a list", None),
        (("table",), "'table' 应为映射（“键: 值”），实为 一个列表 / 'table' must be a mapping (key: value)", None),
        (("text",), "'text' 应为文字，实为 5 / 'text' must be text", None),
        (("extra",), "未知的键 'extra'（是否应为 'text'？） / unknown key 'extra' (did you mean 'text'?)",
         "可用的键：share、count、day、flag、kind、names、table、text / keys: share, count, day, flag, kind, names, table, text"),
    ]


def test_a_damaged_baseline_is_at_its_line_and_column(tmp_path: Path) -> None:
    from vetting.waivers import apply_baseline

    p = tmp_path / "baseline.json"
    p.write_text('{\n  "findings": [\n    {"key": "a" "code": "EL001"}\n  ]\n}\n', encoding="utf-8")
    with pytest.raises(UserError) as e:
        apply_baseline(p, [])
    assert (e.value.path, e.value.line, e.value.column, e.value.message) == (
        str(p), 3, 17, "基线文件不是有效的 JSON：Expecting ',' delimiter / not valid JSON"
    )
    with pytest.raises(UserError) as e:
        apply_baseline(tmp_path, [])
    assert e.value.message == "基线文件是一个文件夹，不是文件 / is a directory, not a file"


def test_an_impossible_date_in_a_waiver_file_is_at_its_line_and_column(tmp_path: Path) -> None:
    p = tmp_path / "w.yaml"
    p.write_text("waivers:\n  - codes: [ST004]\n    expires: 2021-02-30\n", encoding="utf-8")
    with pytest.raises(UserError) as e:
        read_yaml(p)
    assert (e.value.path, e.value.line, e.value.column, e.value.message, e.value.hint) == (
        str(p), 3, 14, "日期“2021-02-30”不存在（如 2 月 30 日）/ not a real date: day is out of range for month",
        "日期写作 YYYY-MM-DD，如 2021-02-28。 / Write dates as YYYY-MM-DD.",
    )


def test_a_pattern_is_said_in_words(tmp_path: Path) -> None:
    body = "rules:\n" + RULE.format(code="el1") + "    when: {field: age, below: 18}\n"
    body += "sources: [{id: Kaifu 2021, title: 开福区}]\n"
    assert policy_problems(tmp_path, body) == [
        (4, 5, "'code' 的写法不对：'el1'，规则代码须为 2-4 个大写字母加 2-4 位数字，如 EL001 / 'code': a rule code is 2-4"
               " capitals and 2-4 digits, e.g. EL001", None),
        (11, 12, "'id' 的写法不对：'Kaifu 2021'，来源编号只用小写字母、数字和 _ . -，如 kaifu-2021 / 'id': lower-case letters,"
                 " digits, _ . - (e.g. kaifu-2021)", None),
    ]


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("policy: a\ntitle: x\ntitle: y\n", 3, 1, "同一个键写了两次（“title”），请删去一个"),
        ("policy: a\n\ttitle: x\n", 2, 1, "用了 Tab 缩进；YAML 只能用空格缩进"),
        ('policy: a\ntitle: "x\n', 3, 1, "引号没有闭合"),
        ("policy: a\ninclude: [a.yaml\n", 3, 1, "方括号 [ ] 没有闭合，或项之间缺少逗号"),
        ("policy: a\nparams: {x: 1\n", 3, 1, "花括号 { } 没有闭合，或项之间缺少逗号"),
        ("policy: a\ntitle: 说明: 见附件\n", 2, 10, "此处不能写“键: 值”：冒号后要有空格，含“: ”的文字请加引号，或检查缩进"),
    ],
)
def test_common_yaml_syntax_errors_are_said_in_chinese(tmp_path: Path, text: str, line: int, column: int, words: str) -> None:
    p = tmp_path / "p.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as e:
        read_yaml(p)
    assert (e.value.path, e.value.line, e.value.column) == (str(p), line, column)
    assert e.value.message.startswith(f"YAML 语法错误：{words} / YAML syntax error: ")
