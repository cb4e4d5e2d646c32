"""The policy's objects as the engine, the checks and the reporters use them: plain classes.

The policy language and its validation are declared once, by the pydantic models of
`policy/model.py` and `policy/facts.py`, each of which inherits from its class here. A class
here holds what reading a validated object needs (its attributes' types, for mypy, and the
derived properties: a test's operator, a rule's kinds, a target's measure) and nothing that
validates, so that a run that takes its resolved policy from the cache (`policy/effective.py`)
builds these classes directly, from the stored attribute values, without importing pydantic.
Code that reads policies tests against these classes (`isinstance(c, All)`), which both a
validated model and a cached object are.

The attribute annotations carry no values: the defaults, aliases and constraints are the
models'. tests/test_policy_objects.py checks that each model declares the same attributes in
the same order as its class here.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from enum import Enum
from typing import Any, ClassVar, Literal, TypeVar

from ..findings import Severity
from .operators import OPERATORS as OPERATOR_TABLE

Scalar = str | int | float | bool | dt.date
# A bound or operand: a literal, or a parameter reference written "$name".
Operand = int | float | str | dt.date
FactOperand = int | float | str
Level = Literal["unit", "township", "district", "roster"]

_O = TypeVar("_O")
_T = TypeVar("_T")


def _listed(value: _T | list[_T] | None) -> list[_T]:
    """An `expect:` written once, as a list or not at all, as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def built(cls: type[_O], values: dict[str, Any]) -> _O:
    """An object of `cls` with these attribute values, as stored; nothing is checked."""
    obj = cls.__new__(cls)
    obj.__dict__.update(values)
    return obj


def replaced(obj: _O, **changes: Any) -> _O:
    """A copy of `obj` with some attributes changed, unchecked (as pydantic's `model_copy`
    with `update`), for a validated model and a plain object alike."""
    new = copy.copy(obj)
    new.__dict__.update(changes)
    return new


def texts_in(obj: Any) -> Iterator[str]:
    """Every text in an object and its parts (keys of mappings too), in the order of its
    attributes: what a JSON dump of it holds as strings, in the same order."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, list | tuple):
        for v in obj:
            yield from texts_in(v)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from texts_in(k)
            yield from texts_in(v)
    elif hasattr(obj, "__dict__") and not isinstance(obj, type | Enum):
        for v in vars(obj).values():
            yield from texts_in(v)


# ---------------------------------------------------------------------------------------------
# Conditions


class Leaf:
    """A test of one field of one person (exactly one operator)."""

    field: str
    is_: bool | Literal["unknown", "known"] | None
    equals: Scalar | None
    in_: list[Scalar] | None
    not_in: list[Scalar] | None
    present: bool | None
    below: Operand | None
    at_most: Operand | None
    above: Operand | None
    at_least: Operand | None
    before: Operand | None
    after: Operand | None
    on_or_before: Operand | None
    on_or_after: Operand | None
    within_years: Operand | None
    says: str | None
    says_en: str | None

    # the attributes holding an operand, in the order of the operator table
    OPERATORS: ClassVar[tuple[str, ...]] = tuple(op.attr for op in OPERATOR_TABLE.values())

    @property
    def operator(self) -> str:
        return next(op for op in self.OPERATORS if getattr(self, op) is not None).rstrip("_")

    @property
    def operand(self) -> Any:
        return getattr(self, OPERATOR_TABLE[self.operator].attr)


class All:
    """Every one of the conditions (of one kind: a person's field tests, a unit's fact tests)."""

    all: list[Any]


class AnyOf:
    any: list[Any]


class Not:
    not_: Any


Condition = All | AnyOf | Not | Leaf


# ---------------------------------------------------------------------------------------------
# Group targets, cross-row checks


class Expect:
    count: Condition | Literal["all"] | None
    share: Condition | None
    mean: str | None
    min: str | None
    max: str | None
    at_least: Operand | None
    at_most: Operand | None
    below: Operand | None
    above: Operand | None
    where: Condition | None
    severity: Severity | None
    says: str | None
    says_en: str | None

    MEASURES: ClassVar[tuple[str, ...]] = ("count", "share", "mean", "min", "max")
    BOUNDS: ClassVar[tuple[str, ...]] = ("at_least", "at_most", "below", "above")

    @property
    def measure(self) -> str:
        return next(m for m in self.MEASURES if getattr(self, m) is not None)


class SamePerson:
    across: Level
    says: str | None
    says_en: str | None


class Relatives:
    among: Condition
    with_: Condition | None
    within: Level
    says: str | None
    says_en: str | None


class RuleSource:
    ref: str | None
    item: str | None
    cite: str


# ---------------------------------------------------------------------------------------------
# Unit-table facts (policy/facts.py)


class FactTest:
    value: FactOperand | None
    difference: list[FactOperand] | None
    ratio: list[FactOperand] | None
    margin_ratio: list[FactOperand] | None
    days: list[FactOperand] | None
    at_least: FactOperand | None
    at_most: FactOperand | None
    below: FactOperand | None
    above: FactOperand | None
    equals: FactOperand | None
    in_: list[str] | None
    is_: bool | None

    MEASURES: ClassVar[tuple[str, ...]] = ("value", "difference", "ratio", "margin_ratio", "days")
    BOUNDS: ClassVar[tuple[str, ...]] = ("at_least", "at_most", "below", "above", "equals", "in_", "is_")

    @property
    def measure(self) -> str:
        return next(m for m in self.MEASURES if getattr(self, m) is not None)

    @property
    def operands(self) -> list[FactOperand]:
        m = getattr(self, self.measure)
        return list(m) if isinstance(m, list) else [m]

    @property
    def bounds(self) -> list[tuple[str, Any]]:
        return [(b.rstrip("_"), getattr(self, b)) for b in self.BOUNDS if getattr(self, b) is not None]


class FactTarget(FactTest):
    where: Any  # all / any / not over FactTest
    at: str | None
    noun: str | None
    severity: Severity | None
    says: str | None
    says_en: str | None


class Facts:
    counts: dict[str, Condition]
    expect: FactTarget | list[FactTarget] | None
    unmatched: bool
    says_roster: str | None
    says_table: str | None

    @property
    def targets(self) -> list[FactTarget]:
        return _listed(self.expect)


# ---------------------------------------------------------------------------------------------
# Rules, parameters, sources


class Rule:
    code: str
    title: str
    title_en: str | None
    category: str
    severity: Severity
    scope: Level | Literal["person"]
    levels: list[Level] | None
    rationale: str
    rationale_en: str | None
    source: RuleSource
    locked: bool
    who: Condition | None
    when: Condition | None
    members: Condition | None
    expect: Expect | list[Expect] | None
    same_person: SamePerson | None
    relatives: Relatives | None
    facts: Facts | None
    message: str | None
    message_en: str | None

    KINDS: ClassVar[tuple[str, ...]] = ("when", "expect", "same_person", "relatives", "facts")

    @property
    def kinds(self) -> list[str]:
        """The checks this rule runs. One code may carry several person-level checks (a person
        condition, near relatives, the same person elsewhere); their findings share the code."""
        return [k for k in self.KINDS if getattr(self, k) is not None]

    @property
    def expectations(self) -> list[Expect]:
        return _listed(self.expect)


class Param:
    value: int | float | str | bool | dt.date
    title: str
    title_en: str | None
    unit: str | None
    description: str | None


class SourceDoc:
    id: str
    title: str
    issuer: str | None
    date: str | dt.date | None
    region: str | None
    doc: str | None
    note: str | None


class Standard:
    """A selection standard as published (四有四带, 四好四强, 四好三强三高): shown in reports."""

    name: str
    items: list[str]
    region: str | None
    note: str | None
