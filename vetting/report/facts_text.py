"""A `facts:` rule (unit table, PR rules) in words, for `vetting explain` and the rule lists."""

from __future__ import annotations

from typing import Any

from ..messages import Catalogue
from ..policy.facts import FactAll, FactAny, FactNot, Facts, FactTest
from ..policy.resolve import EffectivePolicy
from ..units.columns import fact_fields
from .rules_report import _operand, describe

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
    return _operand(op, policy, en)


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
    if isinstance(c, FactAll):
        return (" and " if en else "，且 ").join(_cond(x, facts, policy, en) for x in c.all)
    if isinstance(c, FactAny):
        return "(" + (" or " if en else "，或 ").join(_cond(x, facts, policy, en) for x in c.any) + ")"
    if isinstance(c, FactNot):
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
