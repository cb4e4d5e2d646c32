"""`when:` a condition on each person (the person rules, `checks/person.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..words import describe

if TYPE_CHECKING:
    from ..resolve import EffectivePolicy, EffectiveRule
    from . import RuleChecker


class _When:
    key = "when"

    def problems(self, check: RuleChecker) -> None:
        """Its condition (and `who`) are checked with every rule's conditions."""

    def describe(self, er: EffectiveRule, policy: EffectivePolicy, en: bool) -> str:
        return describe(er.rule.when, policy, en)


WHEN = _When()
