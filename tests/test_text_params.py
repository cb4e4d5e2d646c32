"""Parameters in inherited titles and rationales: a region that overrides a parameter sees its
value in `vetting rules`, `explain`, findings and reports, without copying the rule; an unknown
placeholder is a policy error at its position."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import make_xlsx
from vetting.cli import app
from vetting.policy.resolve import load_policies
from vetting.report.rules_report import _params_used
from vetting.testing import make_id

runner = CliRunner()


def county(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "county.yaml"
    p.write_text("policy: county\nextends: national\n" + body, encoding="utf-8")
    return p


def test_an_overridden_parameter_shows_in_the_inherited_texts(tmp_path: Path) -> None:
    pol = county(tmp_path, "params:\n  new_entrant_max_age: 40\n  voter_list_days: 15\n  one_shoulder_target: 0.95\n")
    policy = load_policies([str(pol)])
    st004 = policy.rules["ST004"].rule
    assert "一般不超过40岁" in st004.rationale and "45" not in st004.rationale
    assert policy.rules["PR003"].rule.title == "选民名单公布不足15日"
    assert "目标（95%" in policy.rules["ST002"].rule.rationale
    national = load_policies(["national"])
    assert national.rules["PR003"].rule.title == "选民名单公布不足20日"
    assert "一般不超过45岁" in national.rules["ST004"].rule.rationale

    out = runner.invoke(app, ["rules", "-p", str(pol)]).output
    assert "选民名单公布不足15日" in out and "不足20日" not in out
    out = runner.invoke(app, ["explain", "ST004", "-p", str(pol)]).output
    assert "一般不超过40岁" in out and "一般不超过45岁" not in out


def test_a_finding_carries_the_regional_title(tmp_path: Path) -> None:
    pol = county(tmp_path, "params:\n  adult_age: 20\n")
    born = dt.date(2007, 1, 1)  # 19 on 2026-03-01
    roster = make_xlsx(tmp_path / "r.xlsx", [
        ["姓名", "身份证号", "性别", "出生日期", "乡镇(街道)", "村(社区)", "拟任村(居)委会职务"],
        ["张三", make_id(born, 1, True), "男", born.isoformat(), "某镇", "甲村", "委员"],
    ])
    r = runner.invoke(app, ["lint", str(roster), "-p", str(pol), "--as-of", "2026-03-01", "--select", "EL001", "-f", "json"])
    [f] = json.loads(r.stdout)["findings"]
    assert f["title"] == "未满20周岁"
    r = runner.invoke(app, ["lint", str(roster), "-p", str(pol), "--as-of", "2026-03-01", "--select", "EL001", "-f", "sarif"])
    [rule] = [x for x in json.loads(r.stdout)["runs"][0]["tool"]["driver"]["rules"] if x["id"] == "EL001"]
    assert "年满20周岁" in json.dumps(rule, ensure_ascii=False) and "18" not in rule["shortDescription"]["text"]


def test_an_unknown_placeholder_is_an_error_at_its_line(tmp_path: Path) -> None:
    pol = county(tmp_path, (
        "overrides:\n"
        "  ST004:\n"
        "    title: 新进人员超过{new_entrant_max_ag}岁\n"
        "rules:\n"
        "  - code: CX01\n"
        "    title: 测试\n"
        "    category: 其他\n"
        "    severity: warning\n"
        "    rationale: 超过{max_age}岁，或单独的 } 括号\n"
        "    source: {cite: 测试}\n"
        "    when: {field: age, above: 50}\n"
    ))
    r = runner.invoke(app, ["rules", "-p", str(pol)])
    assert r.exit_code == 2, r.output
    text = " ".join(r.output.split())
    assert "county.yaml:5:5" in text and "{new_entrant_max_age}" in text  # the override's line, a did-you-mean
    assert "county.yaml:11:" in text and "'{max_age}'" in text
    assert "单独的“}”" in text
    assert "Traceback" not in r.output


def test_no_shipped_text_keeps_a_parameters_number(tmp_path: Path) -> None:
    """Every number that is a parameter is written as a placeholder: with each whole-number
    parameter moved by one, no rule that uses it still says the national number with its unit."""
    national = load_policies(["national"])
    moved = {n: p.spec.value for n, p in national.params.items()
             if isinstance(p.spec.value, int) and not isinstance(p.spec.value, bool) and p.spec.unit}
    body = "params:\n" + "".join(f"  {n}: {v + 1}\n" for n, v in moved.items())
    region = load_policies([str(county(tmp_path, body))])
    left = []
    for code, er in region.rules.items():
        used = _params_used(national.rules[code].rule)
        for name in used:
            if name not in moved:
                continue
            unit = national.params[name].spec.unit or ""
            for key in ("title", "title_en", "rationale", "rationale_en"):
                text = getattr(er.rule, key) or ""
                if re.search(rf"(?<![\d.]){moved[name]}\s?{re.escape(unit)}", text):
                    left.append((code, name, key))
    assert left == []


def test_one_template_language_for_texts_and_messages() -> None:
    from vetting.checks.context import render
    from vetting.policy.texts import fill, placeholders

    values = {"age": 46, "max": "45", "none": None}
    # messages: an unknown name is blank, escapes are undone, anything else stays as written
    assert render("{age}岁 > {max}岁{none}{missing} {{x}} {a.b} {0} }", values) == "46岁 > 45岁 {x} {a.b} {0} }"
    # policy texts: what is unknown is reported and kept
    unknown: list[str] = []
    assert fill("{age} {nope} { {a.b}", values, unknown.append) == "46 {nope} { {a.b}"
    assert unknown == ["nope", "{", "a.b"]
    assert placeholders("{age}{{lit}} {a.b} {max}") == {"age", "max"}


def _fill_by_substitution(text: str, values: dict, unknown: list[str] | None = None) -> str:
    """`fill`, written as one regular-expression substitution (what it was before templates
    were parsed once and cached)."""
    from vetting.policy.texts import _NAME, _TOKEN

    def sub(m: re.Match[str]) -> str:
        tok, name = m.group(0), m.group(1)
        if tok in ("{{", "}}"):
            return tok[0]
        if name is not None and name in values:
            return "" if values[name] is None else str(values[name])
        if unknown is not None:
            unknown.append(tok if name is None else name)
            return tok
        return "" if name is not None and _NAME.fullmatch(name) else tok

    return _TOKEN.sub(sub, text)


def test_parsed_templates_fill_as_the_substitution() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from vetting.policy.texts import fill

    values = {"age": 46, "max": "45", "none": None, "x": "{y}", "y": 0.5}
    pieces = st.sampled_from(["{", "}", "{{", "}}", "{age}", "{max}", "{none}", "{x}", "{missing}", "{a.b}", "{0}",
                              "{ age}", "岁", "a", " ", "{y}"])

    @settings(max_examples=500, deadline=None)
    @given(st.lists(st.one_of(pieces, st.text(max_size=3)), max_size=12))
    def check(parts: list[str]) -> None:
        text = "".join(parts)
        assert fill(text, values) == _fill_by_substitution(text, values)
        seen: list[str] = []
        expected: list[str] = []
        assert fill(text, values, seen.append) == _fill_by_substitution(text, values, expected)
        assert seen == expected

    check()
