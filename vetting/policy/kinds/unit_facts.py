"""`facts:` tests of a unit's facts from the unit table (单位信息), alone or against the
roster's people of that unit (`checks/unit_facts.py`; the params model: `policy/facts.py`)."""

from __future__ import annotations

import difflib
import string
from typing import TYPE_CHECKING, Any

from ...documents import number_hint
from ...errors import Problem
from ...messages import Catalogue
from ...units.columns import fact_fields
from ..objects import All, AnyOf, Facts, FactTest, Not
from ..words import describe, operand_text

if TYPE_CHECKING:
    from ..resolve import EffectivePolicy, EffectiveRule
    from . import RuleChecker


class _Facts:
    key = "facts"

    def problems(self, check: RuleChecker) -> None:
        er, policy = check.er, check.policy
        facts = er.rule.facts
        assert facts is not None
        for name, c in facts.counts.items():
            check.condition(c, ("facts", "counts", name))
        check.add(facts_errors(facts, er.pos, policy.params, policy.all_fields, policy.param))
        if er.rule.scope != "unit":
            check.problem(("scope",), "单位信息规则（facts）的 scope 须为 unit / a facts rule has unit scope")

    def describe(self, er: EffectiveRule, policy: EffectivePolicy, en: bool) -> str:
        facts = er.rule.facts
        assert facts is not None
        return describe_facts(facts, policy, en)


# Placeholders a `facts:` message may use besides facts, counts and parameters.
FACT_TEMPLATE_NAMES = {"measure", "value", "target", "missing", "group", "unit", "code", "title"}


def facts_errors(facts: Facts, pos: Any, params: dict[str, Any], fields: dict[str, Any], param_value: Any) -> list[Problem]:
    """Semantic checks of a `facts:` spec: every operand names a unit fact, a count of the rule or
    a parameter, fits its measure, and every message placeholder exists. `pos(*path)` gives
    a position; the counts' person conditions are checked with the other conditions."""
    facts_by_key = fact_fields()
    errs: list[Problem] = []

    def kind_of(op: Any, loc: tuple[Any, ...]) -> str | None:
        if isinstance(op, bool):
            return "flag"
        if isinstance(op, int | float):
            return "num"
        if op.startswith("$"):
            if op[1:] not in params:
                errs.append(_at(pos(*loc), f"未知的参数 '{op}' / unknown parameter"))
                return None
            v = param_value(op[1:])
            return "num" if isinstance(v, int | float) and not isinstance(v, bool) else "text"
        if op in facts.counts:
            return "num"
        share_hint = number_hint(op)
        if share_hint is not None:  # `at_least: 20%`: a share written as a percentage
            where = f"'{loc[-1]}' " if isinstance(loc[-1], str) else ""
            errs.append(_at(pos(*loc), f"{where}需要数字，实为 '{op}' / needs a number", share_hint))
            return None
        spec = facts_by_key.get(op)
        if spec is None:
            close = difflib.get_close_matches(op, [*facts_by_key, *facts.counts], n=1)
            hint = f"（是否应为 '{close[0]}'？）" if close else ""
            errs.append(_at(pos(*loc), f"未知的单位信息列或计数 '{op}'{hint} / unknown unit fact or count"))
            return None
        return {"count": "num", "date": "date", "flag": "flag"}.get(spec.type, "text")

    def test(t: FactTest, loc: tuple[Any, ...]) -> None:
        m = t.measure
        ops = t.operands
        kinds = [kind_of(o, (*loc, m)) for o in ops]
        want = "date" if m == "days" else ("num" if m != "value" else None)
        if want and any(k is not None and k != want for k in kinds):
            errs.append(_at(pos(*loc, m), f"'{m}' 需要{'日期' if want == 'date' else '数值'}列 / '{m}' needs {want} operands"))
        measured = "num" if m != "value" else kinds[0]
        for bound, operand in t.bounds:
            if bound == "is":
                if measured not in (None, "flag"):
                    errs.append(_at(pos(*loc, 'is'), "'is' 只能用于是/否列 / needs a flag"))
            elif bound == "in":
                if measured not in (None, "text"):
                    errs.append(_at(pos(*loc, 'in'), "'in' 只能用于文字列 / needs a text fact"))
            else:
                k = kind_of(operand, (*loc, bound))
                if measured == "text" and bound == "equals":
                    continue
                if k is not None and (k != "num" or measured not in (None, "num")):
                    errs.append(_at(pos(*loc, bound), f"'{bound}' 需要数值 / needs numbers"))

    def cond(c: Any, loc: tuple[Any, ...]) -> None:
        if isinstance(c, All):
            for i, sub in enumerate(c.all):
                cond(sub, (*loc, "all", i))
        elif isinstance(c, AnyOf):
            for i, sub in enumerate(c.any):
                cond(sub, (*loc, "any", i))
        elif isinstance(c, Not):
            cond(c.not_, (*loc, "not"))
        else:
            test(c, loc)

    names = set(facts_by_key) | set(facts.counts) | set(params) | FACT_TEMPLATE_NAMES

    def template(tmpl: str | None, loc: tuple[Any, ...]) -> None:
        if not tmpl:
            return
        try:
            parsed = list(string.Formatter().parse(tmpl))
        except ValueError as e:
            errs.append(_at(pos(*loc), f"消息模板有误：{e} / bad message template"))
            return
        for _, name, _, _ in parsed:
            if name is not None and name not in names:
                errs.append(_at(pos(*loc), f"消息模板中的未知占位符 '{{{name}}}' / unknown placeholder"))

    for name in facts.counts:
        if name in facts_by_key or name in fields:
            errs.append(_at(pos('facts', 'counts', name), f"计数名 '{name}' 与已有的列重名 / a count name must not shadow a column"))
    for i, t in enumerate(facts.targets):
        base: tuple[Any, ...] = ("facts", "expect", i) if isinstance(facts.expect, list) else ("facts", "expect")
        test(t, base)
        if t.where is not None:
            cond(t.where, (*base, "where"))
        if t.at is not None and t.at not in facts_by_key:
            errs.append(_at(pos(*base, 'at'), f"'at' 须为单位信息表的列，'{t.at}' 不是 / not a unit-table column"))
        template(t.says, (*base, "says"))
        template(t.says_en, (*base, "says_en"))
    template(facts.says_roster, ("facts", "says_roster"))
    template(facts.says_table, ("facts", "says_table"))
    return errs


def _at(pos: Any, message: str, hint: str | None = None) -> Problem:
    return Problem(pos.path, pos.line, pos.col, message, hint)


_TEXT = Catalogue(__name__, {
    "bound.at_least": ("≥", "≥"),
    "bound.at_most": ("≤", "≤"),
    "bound.below": ("<", "<"),
    "bound.above": (">", ">"),
    "bound.equals": ("=", "="),
    "bound.in": ("为", "is"),
    "bound.is": ("为", "is"),
})


def _name(op: Any, facts: Facts, policy: EffectivePolicy, en: bool) -> str:
    if isinstance(op, str) and not op.startswith("$"):
        spec = fact_fields().get(op)
        if spec is not None:
            return (spec.title_en or op) if en else spec.header
        if op in facts.counts:
            inner = describe(facts.counts[op], policy, en)
            return f"(roster: people with {inner})" if en else f"（名单中{inner}的人数）"
    return operand_text(op, policy, en)


def _test(t: FactTest, facts: Facts, policy: EffectivePolicy, en: bool) -> str:
    ops = [_name(o, facts, policy, en) for o in t.operands]
    m = t.measure
    if m == "value":
        what = ops[0]
    elif m == "difference":
        what = f"{ops[0]} − {ops[1]}"
    elif m == "ratio":
        what = f"{ops[0]} / {ops[1]}"
    elif m == "margin_ratio":
        what = f"({ops[0]} − {ops[1]}) / {ops[1]}"
    else:
        what = f"days from {ops[0]} to {ops[1]}" if en else f"{ops[0]}至{ops[1]}的天数"
    bounds = [f"{_TEXT.text(f'bound.{b}', 'en' if en else 'zh')} {_name(v, facts, policy, en)}" for b, v in t.bounds]
    return f"{what} {'，'.join(bounds)}"


def _cond(c: Any, facts: Facts, policy: EffectivePolicy, en: bool) -> str:
    if isinstance(c, All):
        return (" and " if en else "，且 ").join(_cond(x, facts, policy, en) for x in c.all)
    if isinstance(c, AnyOf):
        return "(" + (" or " if en else "，或 ").join(_cond(x, facts, policy, en) for x in c.any) + ")"
    if isinstance(c, Not):
        return ("not " if en else "并非 ") + _cond(c.not_, facts, policy, en)
    return _test(c, facts, policy, en)


def describe_facts(facts: Facts, policy: EffectivePolicy, en: bool) -> str:
    parts = []
    for t in facts.targets:
        where = f"（{'where' if en else '适用于'} {_cond(t.where, facts, policy, en)}）" if t.where is not None else ""
        parts.append(("unit table: " if en else "单位信息表：") + ("should be " if en else "应 ") + _test(t, facts, policy, en) + where)
    if facts.unmatched:
        parts.append("every roster unit has a unit-table row and every row has people in the roster" if en
                     else "名单中的每个村(社区)在单位信息表中有一行，单位信息表的每一行在名单中有人员")
    return ("; " if en else "；").join(parts)


FACTS = _Facts()
