"""Policies in words: a condition and an operand as people read them (`vetting rules`,
`vetting explain`, the rule descriptions of every report). Each check kind describes its rules
with these (`policy/kinds/`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..display import fmt_share
from .objects import All, AnyOf, Leaf, Not
from .operators import OPERATORS

if TYPE_CHECKING:
    from .resolve import EffectivePolicy


def operand_text(v: Any, policy: EffectivePolicy, en: bool) -> str:
    """`3（参数 rating_lookback_years）`, `基准日`, `高中、中专`, `是`."""
    if isinstance(v, str) and v.startswith("$"):
        name = v[1:]
        val = policy.param(name) if name in policy.params else "?"
        shown = fmt_share(val) if isinstance(val, float) and 0 < val < 1 else str(val)
        return f"{shown}（参数 {name}）" if not en else f"{shown} (param {name})"
    if v == "as_of":
        return "基准日" if not en else "as_of"
    if isinstance(v, list):
        return "、".join(map(str, v))
    if v is True:
        return "是" if not en else "yes"
    if v is False:
        return "否" if not en else "no"
    return str(v)


def describe(cond: Any, policy: EffectivePolicy, en: bool = False) -> str:
    """A condition in words, e.g. `刑事处罚 为 是，或 涉黑涉恶 为 是`."""
    fields = policy.all_fields
    if cond is None:
        return ""
    if isinstance(cond, All):
        return ("，且 " if not en else " and ").join(describe(c, policy, en) for c in cond.all)
    if isinstance(cond, AnyOf):
        inner = ("，或 " if not en else " or ").join(describe(c, policy, en) for c in cond.any)
        return f"（{inner}）" if not en else f"({inner})"
    if isinstance(cond, Not):
        return ("并非 " if not en else "not ") + describe(cond.not_, policy, en)
    assert isinstance(cond, Leaf)
    spec = fields.get(cond.field)
    name = (spec.title_en or cond.field) if en and spec else (spec.header if spec else cond.field)
    op, v = cond.operator, cond.operand
    return OPERATORS[op].describe(name, v, operand_text(v, policy, en), en)
