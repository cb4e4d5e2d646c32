"""`relatives:` near relatives in one group (`checks/relatives.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..words import describe

if TYPE_CHECKING:
    from ..resolve import EffectivePolicy, EffectiveRule
    from . import RuleChecker


class _Relatives:
    key = "relatives"

    def problems(self, check: RuleChecker) -> None:
        spec = check.er.rule.relatives
        assert spec is not None
        check.condition(spec.among, ("relatives", "among"))
        if spec.with_ is not None:
            check.condition(spec.with_, ("relatives", "with"))
        for tmpl in (spec.says, spec.says_en):
            check.template(tmpl, ("relatives", "says"))

    def describe(self, er: EffectiveRule, policy: EffectivePolicy, en: bool) -> str:
        spec = er.rule.relatives
        assert spec is not None
        among = describe(spec.among, policy, en)
        other = describe(spec.with_, policy, en) if spec.with_ else among
        if en:
            return f"near relatives: {among} and {other} in one {spec.within}"
        return f"同一{'村(社区)' if spec.within == 'unit' else spec.within}内互为近亲属：{among}；{other}"


RELATIVES = _Relatives()
