"""`expect:` targets for a group of members (`checks/group.py`): a measure (count, share, mean,
min, max) and its bounds, per unit, township, district or the whole roster."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...roster.types import field_type
from ..objects import All, AnyOf, Expect, Leaf, Not
from ..operators import OPERATORS
from ..words import describe, operand_text

if TYPE_CHECKING:
    from ..resolve import EffectivePolicy, EffectiveRule
    from . import RuleChecker


class _Expect:
    key = "expect"

    def problems(self, check: RuleChecker) -> None:
        rule = check.er.rule
        for i, exp in enumerate(rule.expectations):
            base: tuple[Any, ...] = ("expect", i) if isinstance(rule.expect, list) else ("expect",)
            if exp.where is not None:
                check.condition(exp.where, (*base, "where"))
            if isinstance(exp.count, All | AnyOf | Not | Leaf):
                check.condition(exp.count, (*base, "count"))
            if exp.share is not None:
                check.condition(exp.share, (*base, "share"))
            _target_problems(exp, base, check)
            for tmpl in (exp.says, exp.says_en):
                check.template(tmpl, (*base, "says"))
        if rule.scope == "person":
            check.problem(("scope",), "群体目标规则的 scope 须为 unit/township/district/roster / a group target needs a group scope")

    def describe(self, er: EffectiveRule, policy: EffectivePolicy, en: bool) -> str:
        parts = [_describe_target(exp, policy, en) for exp in er.rule.expectations]
        return "；".join(parts) if not en else "; ".join(parts)


def _target_problems(exp: Expect, base: tuple[Any, ...], check: RuleChecker) -> None:
    fields = check.policy.all_fields
    for m in ("mean", "min", "max"):
        name = getattr(exp, m)
        if name is not None:
            spec = fields.get(name)
            if spec is None or field_type(spec.type).kind != "number":
                check.problem((*base, m), f"'{m}' 需要数值列，'{name}' 不是 / needs a numeric field")
    for b in exp.BOUNDS:
        written = getattr(exp, b)
        if written is None:
            continue
        known, operand = check.param(written, (*base, b))
        if not known:
            continue
        if not isinstance(operand, int | float) or isinstance(operand, bool):
            check.operand_problem(written, (*base, b), f"界限须为数字，实为 {operand!r} / a bound must be a number")
        elif exp.measure == "share" and not 0 <= operand <= 1:
            check.operand_problem(written, (*base, b), f"比例界限须在 0 到 1 之间（如 0.9 表示 90%），实为 {operand} / a share is 0..1")


def _describe_target(exp: Expect, policy: EffectivePolicy, en: bool) -> str:
    m = exp.measure
    if m == "count":
        what = ("number of members" if en else "成员人数") if exp.count == "all" else (
            ("members with " if en else "满足条件的人数：") + describe(exp.count, policy, en))
    elif m == "share":
        what = ("share of members with " if en else "满足条件的比例：") + describe(exp.share, policy, en)
    else:
        what = f"{m} {getattr(exp, m)}"
    bounds = []
    for b in exp.BOUNDS:
        v = getattr(exp, b)
        if v is not None:
            bounds.append(f"{OPERATORS[b].en if en else OPERATORS[b].zh} {operand_text(v, policy, en)}")
    where = f"（{describe(exp.where, policy, en)}）" if exp.where is not None else ""
    sev = f" [{exp.severity.value}]" if exp.severity else ""
    return f"{what}{where} {'; '.join(bounds) if en else '，'.join('应' + b for b in bounds)}{sev}"


EXPECT = _Expect()
