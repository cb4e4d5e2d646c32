"""The `facts:` rule kind: tests of a unit's facts from the unit table (单位信息), alone or
against the roster's people of that unit.

    facts:
      counts:                       # roster figures of the unit, named for targets and messages
        party_posts: {field: on_party_committee, is: true}
      expect:
        - margin_ratio: [party_candidates, party_seats]   # (candidates − seats) / seats
          at_least: $party_margin_min
          noun: 名候选人
          says: "党组织委员差额比例 {measure}"
        - value: party_posts
          equals: party_seats
          at: party_seats           # the unit-table column the finding points at

An operand is a unit-table column key (`party_seats`), a derived fact (`member_seats`), a name
from `counts`, a `$param` or a number. Measures (exactly one): `value: X`; `difference: [A, B]`
(A − B); `ratio: [A, B]` (A / B); `margin_ratio: [A, B]` ((A − B) / B); `days: [D1, D2]` (days
from date D1 to date D2; a blank 选举日期 is as_of). Bounds (the target is met when every one
holds): `at_least`, `at_most`, `below`, `above`, `equals` (numbers or operands), `in` (text
values), `is` (a flag). `where:` limits a target to the units meeting tests of the same shape
(`all` / `any` / `not` combine them). `unmatched: true` reports the units present in only one
of the unit table and the roster.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Discriminator, Field, Tag, model_validator

from ..findings import Severity
from . import objects
from .factories import new_dict
from .model import All, AnyOf, Condition, Not, _condition_kind, _Model
from .objects import FactOperand


class FactTest(_Model, objects.FactTest):
    """One measure of a unit and its bounds."""

    value: FactOperand | None = Field(default=None, description="a fact, a named count, a number")
    difference: list[FactOperand] | None = Field(default=None, min_length=2, max_length=2, description="[A, B]: A − B")
    ratio: list[FactOperand] | None = Field(default=None, min_length=2, max_length=2, description="[A, B]: A / B")
    margin_ratio: list[FactOperand] | None = Field(
        default=None, min_length=2, max_length=2, description="[A, B]: (A − B) / B (差额比例)"
    )
    days: list[FactOperand] | None = Field(
        default=None, min_length=2, max_length=2, description="[D1, D2]: days from date D1 to date D2"
    )
    at_least: FactOperand | None = None
    at_most: FactOperand | None = None
    below: FactOperand | None = None
    above: FactOperand | None = None
    equals: FactOperand | None = None
    in_: list[str] | None = Field(default=None, alias="in")
    is_: bool | None = Field(default=None, alias="is")

    @model_validator(mode="after")
    def _shape(self) -> FactTest:
        measures = [m for m in self.MEASURES if getattr(self, m) is not None]
        if len(measures) != 1:
            raise ValueError(
                f"单位信息测试须有且只有一个度量（{'、'.join(self.MEASURES)}） / a unit-fact test needs exactly one measure"
            )
        if not any(getattr(self, b) is not None for b in self.BOUNDS):
            raise ValueError(
                "单位信息测试须有界限（at_least、at_most、below、above、equals、in、is） / a unit-fact test needs a bound"
            )
        return self


# all / any / not over fact tests (the generic All, AnyOf, Not of policy/model.py)
FactCondition = Annotated[
    Annotated[All[FactTest], Tag("all")] | Annotated[AnyOf[FactTest], Tag("any")] | Annotated[Not[FactTest], Tag("not")]
    | Annotated[FactTest, Tag("leaf")],
    Discriminator(_condition_kind),
]


class FactTarget(FactTest, objects.FactTarget):
    """A target a unit must meet; a finding when it certainly does not."""

    where: FactCondition | None = Field(default=None, description="only the units meeting this")
    at: str | None = Field(default=None, description="the unit-table column the finding points at (default: the measure's first fact)")
    noun: str | None = Field(default=None, description="what is missing, e.g. 名候选人 ('还需1名候选人')")
    severity: Severity | None = None
    says: str | None = None
    says_en: str | None = None


class Facts(_Model, objects.Facts):
    counts: dict[str, Condition] = Field(  # type: ignore[assignment]  # dicts are invariant
        default_factory=new_dict, description="named roster figures: distinct people of the unit meeting a condition"
    )
    expect: FactTarget | list[FactTarget] | None = None  # type: ignore[assignment]  # lists are invariant
    unmatched: bool = Field(default=False, description="report units present in only one of the unit table and the roster")
    says_roster: str | None = Field(default=None, description="unmatched: a roster unit without a unit-table row")
    says_table: str | None = Field(default=None, description="unmatched: a unit-table row without people in the roster")

    @model_validator(mode="after")
    def _shape(self) -> Facts:
        if self.expect is None and not self.unmatched:
            raise ValueError("facts 须写 expect（目标）或 unmatched: true / facts needs 'expect' or 'unmatched: true'")
        return self
