"""What loading a policy and listing its rules know of each check kind, one module per kind.

A check kind is selected by a rule key (`when`, `expect`, `same_person`, `relatives`, `facts`).
Its parameters are that key's model (`policy/model.py`, `policy/facts.py`); the module of the
kind here says what is wrong with a rule of the kind (`problems`, called by
`policy/validate.py` with every error's position) and how the rule reads in words
(`describe`, for `vetting rules`, `vetting explain` and the reports). How the kind is evaluated
is its class in `checks/` (`checks/base.py`), which names this object as its `rules`.

They sit in the policy layer because a policy is validated when it is loaded, before any
check exists, and because the reporters, which never import the checks, describe rules.

To add a kind: its params model and key on `Rule`; a module here with an object implementing
`KindRules`, registered in `KIND_RULES`; a module in `checks/` registered in `CHECKS`.
`tests/test_kinds.py` fails unless both registries name the same kinds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ...errors import Problem
    from ..resolve import EffectivePolicy, EffectiveRule


class RuleChecker(Protocol):
    """What `policy/validate.py` lends a kind to check one rule: the checks every kind shares
    (conditions, message templates, parameters) and a place to put problems."""

    er: EffectiveRule
    policy: EffectivePolicy

    def problem(self, loc: tuple[Any, ...], message: str) -> None:
        """A problem at the rule's `loc` (a path of keys and indexes under the rule)."""
        ...

    def add(self, problems: list[Problem]) -> None:
        """Problems found with their own positions."""
        ...

    def condition(self, cond: Any, loc: tuple[Any, ...]) -> None:
        """Check a person condition: fields, operators, operands, its `says` templates."""
        ...

    def template(self, template: str | None, loc: tuple[Any, ...]) -> None:
        """Check a message template's placeholders."""
        ...

    def operand_problem(self, operand: Any, loc: tuple[Any, ...], message: str) -> None:
        """A problem with an operand's value: where a `$param`'s value was set when an extending
        policy set it (the fault of that file), else at `loc`."""
        ...

    def param(self, operand: Any, loc: tuple[Any, ...]) -> tuple[bool, Any]:
        """(known, value) of an operand: a `$param` is looked up (a problem when unknown)."""
        ...


class KindRules(Protocol):
    key: str  # the rule key that selects the kind

    def problems(self, check: RuleChecker) -> None:
        """Report what is wrong with the kind's parameters of `check.er` (through `check`)."""
        ...

    def describe(self, er: EffectiveRule, policy: EffectivePolicy, en: bool) -> str:
        """The rule's check in words: `学历 低于 高中`, `成员人数 应不少于 5`."""
        ...


from .group import EXPECT  # noqa: E402  (the registry needs the Protocols above)
from .person import WHEN  # noqa: E402
from .relatives import RELATIVES  # noqa: E402
from .same_person import SAME_PERSON  # noqa: E402
from .unit_facts import FACTS  # noqa: E402

# Rule key -> its kind's rules; in the order a rule's problems are reported.
KIND_RULES: dict[str, KindRules] = {k.key: k for k in (WHEN, EXPECT, FACTS, RELATIVES, SAME_PERSON)}


def describe_rule(er: EffectiveRule, policy: EffectivePolicy, en: bool) -> str:
    """What a rule checks, in words: its kinds' descriptions (a rule with several person-level
    kinds reads `…；或者 …`)."""
    parts = [KIND_RULES[k].describe(er, policy, en) for k in er.rule.kinds]
    return ("; or " if en else "；或者 ").join(parts)


__all__ = ["EXPECT", "FACTS", "KIND_RULES", "RELATIVES", "SAME_PERSON", "WHEN", "KindRules", "RuleChecker", "describe_rule"]
