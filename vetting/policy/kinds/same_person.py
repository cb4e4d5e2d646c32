"""`same_person:` one ID number proposed in more than one group (`checks/same_person.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..resolve import EffectivePolicy, EffectiveRule
    from . import RuleChecker


class _SamePerson:
    key = "same_person"

    def problems(self, check: RuleChecker) -> None:
        spec = check.er.rule.same_person
        assert spec is not None
        for tmpl in (spec.says, spec.says_en):
            check.template(tmpl, ("same_person", "says"))

    def describe(self, er: EffectiveRule, policy: EffectivePolicy, en: bool) -> str:
        spec = er.rule.same_person
        assert spec is not None
        return ("the same person in more than one " + spec.across) if en else "同一人（身份证号码相同）出现在不止一个村(社区)"


SAME_PERSON = _SamePerson()
