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

from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, Discriminator, Field, Tag, model_validator

from ..documents import number_hint
from ..errors import Problem
from ..findings import Severity
from .model import Condition, _Model

FactOperand = int | float | str


class FactTest(_Model):
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

    MEASURES: ClassVar[tuple[str, ...]] = ("value", "difference", "ratio", "margin_ratio", "days")
    BOUNDS: ClassVar[tuple[str, ...]] = ("at_least", "at_most", "below", "above", "equals", "in_", "is_")

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


class FactAll(_Model):
    all: list[FactCondition] = Field(min_length=1)


class FactAny(_Model):
    any: list[FactCondition] = Field(min_length=1)


class FactNot(_Model):
    not_: FactCondition = Field(alias="not")


def _kind(v: Any) -> str:
    if isinstance(v, dict):
        return next((k for k in ("all", "any", "not") if k in v), "test")
    if isinstance(v, BaseModel):
        return {FactAll: "all", FactAny: "any", FactNot: "not"}.get(type(v), "test")
    return "test"


FactCondition = Annotated[
    Annotated[FactAll, Tag("all")] | Annotated[FactAny, Tag("any")] | Annotated[FactNot, Tag("not")]
    | Annotated[FactTest, Tag("test")],
    Discriminator(_kind),
]
FactAll.model_rebuild()
FactAny.model_rebuild()
FactNot.model_rebuild()


class FactTarget(FactTest):
    """A target a unit must meet; a finding when it certainly does not."""

    where: FactCondition | None = Field(default=None, description="only the units meeting this")
    at: str | None = Field(default=None, description="the unit-table column the finding points at (default: the measure's first fact)")
    noun: str | None = Field(default=None, description="what is missing, e.g. 名候选人 ('还需1名候选人')")
    severity: Severity | None = None
    says: str | None = None
    says_en: str | None = None


class Facts(_Model):
    counts: dict[str, Condition] = Field(
        default_factory=dict, description="named roster figures: distinct people of the unit meeting a condition"
    )
    expect: FactTarget | list[FactTarget] | None = None
    unmatched: bool = Field(default=False, description="report units present in only one of the unit table and the roster")
    says_roster: str | None = Field(default=None, description="unmatched: a roster unit without a unit-table row")
    says_table: str | None = Field(default=None, description="unmatched: a unit-table row without people in the roster")

    @model_validator(mode="after")
    def _shape(self) -> Facts:
        if self.expect is None and not self.unmatched:
            raise ValueError("facts 须写 expect（目标）或 unmatched: true / facts needs 'expect' or 'unmatched: true'")
        return self

    @property
    def targets(self) -> list[FactTarget]:
        if self.expect is None:
            return []
        return self.expect if isinstance(self.expect, list) else [self.expect]


# Placeholders a `facts:` message may use besides facts, counts and parameters.
FACT_TEMPLATE_NAMES = {"measure", "value", "target", "missing", "group", "unit", "code", "title"}


def facts_errors(facts: Facts, pos: Any, params: dict[str, Any], fields: dict[str, Any], param_value: Any) -> list[Problem]:
    """Semantic checks of a `facts:` spec: every operand names a unit fact, a count of the rule or
    a parameter, fits its measure, and every message placeholder exists. `pos(*path)` gives
    a position; the counts' person conditions are checked with the other conditions."""
    import string

    from ..units.columns import fact_fields

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
            import difflib

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
        if isinstance(c, FactAll):
            for i, sub in enumerate(c.all):
                cond(sub, (*loc, "all", i))
        elif isinstance(c, FactAny):
            for i, sub in enumerate(c.any):
                cond(sub, (*loc, "any", i))
        elif isinstance(c, FactNot):
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
